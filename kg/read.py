"""Stage 1: read an input file into a `SourceDocument` (decoded, printed text).

Plain text arrives as UTF-8 (with or without BOM), GB18030/GBK or Big5. The encoding is detected, never guessed
silently: a BOM or a strict UTF-8 decode settles it; otherwise the legacy encodings that decode the bytes strictly
are ranked by charset-normalizer, and the choice and the way it was made are recorded on the document.
HTML pages keep only their visible text (see `kg/html_text.py`).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.html_text import visible_text
from kg.records import SourceDocument

TEXT_SUFFIXES = {".txt": "text/plain", ".html": "text/html", ".htm": "text/html"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
LEGACY_ENCODINGS = ("gb18030", "big5")
_DOC_ID_SAFE = re.compile(r"^[A-Za-z0-9_.-]+$")
# Control characters other than tab and line breaks print nothing, and RDF syntaxes cannot carry them raw.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    method: str


def document_key(name: str) -> str:
    """The key used in IRIs and graph names: the stem when it is IRI-safe ASCII, else a digest of the name."""
    stem = Path(name).stem
    if _DOC_ID_SAFE.match(stem) and not stem.startswith("."):
        return stem
    return "d" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def read_document(path: Path, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDocument:
    """Read and decode one file. Raises `InputError` naming the file and the reason."""
    shown = str(path)
    media_type = TEXT_SUFFIXES.get(path.suffix.lower())
    if media_type is None:
        raise InputError(shown, f"unsupported file type '{path.suffix or '(none)'}' (expected .txt, .html or .htm)")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                shown,
                f"file is {size / 1_048_576:.1f} MB, over the size limit of {max_bytes / 1_048_576:.1f} MB "
                "(raise it with --max-bytes)",
            )
        data = path.read_bytes()
    except OSError as err:
        raise InputError(shown, f"cannot read: {err.strerror or err}") from err
    return decode_document(data, name=name or path.name, media_type=media_type, path=path)


def decode_document(data: bytes, *, name: str, media_type: str, path: Path | None = None) -> SourceDocument:
    shown = str(path) if path else name
    if not data.strip():
        raise InputError(shown, "empty file (no text)")
    if b"\x00" in data:
        raise InputError(shown, "binary content (NUL bytes): not a text or HTML document")
    decoded = _decode(data, shown, media_type)
    text = visible_text(decoded.text) if media_type == "text/html" else decoded.text
    text = _CONTROL.sub("", text)
    if not text.strip():
        raise InputError(shown, "no visible text")
    return SourceDocument(
        doc_id=document_key(name),
        name=name,
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        byte_size=len(data),
        media_type=media_type,
        encoding=decoded.encoding,
        encoding_method=decoded.method,
        text=text,
    )


def _decode(data: bytes, shown: str, media_type: str) -> Decoded:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", "bom", shown)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "strict-utf-8")
    except UnicodeDecodeError:
        pass
    if media_type == "text/html" and (declared := _declared_charset(data)):
        return _strict(data, declared, "html-meta", shown)
    candidates = [enc for enc in LEGACY_ENCODINGS if _decodes(data, enc)]
    if not candidates:
        raise InputError(shown, "cannot decode: the bytes are not valid UTF-8, GB18030/GBK or Big5")
    if len(candidates) == 1:
        return Decoded(data.decode(candidates[0]), candidates[0], "charset-normalizer")
    return Decoded(data.decode(best := _rank(data, candidates)), best, "charset-normalizer")


def _strict(data: bytes, encoding: str, method: str, shown: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding), encoding, method)
    except (UnicodeDecodeError, LookupError) as err:
        raise InputError(shown, f"cannot decode as {encoding} (found by {method}): {err}") from err


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    # GB2312 and GBK pages routinely contain GB18030-only characters; GB18030 is their superset.
    return "gb18030" if label in {"gb2312", "gbk", "gb18030", "x-gbk"} else label


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _rank(data: bytes, candidates: list[str]) -> str:
    """Both legacy encodings decode the bytes: let charset-normalizer pick the one that reads as language."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=candidates).best()
    if best is not None and best.encoding in candidates:
        return best.encoding
    # charset-normalizer names GB18030 and Big5 by its own aliases; map them back before comparing.
    if best is not None:
        alias = {"gb2312": "gb18030", "gbk": "gb18030", "big5hkscs": "big5", "cp950": "big5"}
        if alias.get(best.encoding) in candidates:
            return alias[best.encoding]
    return candidates[0]
