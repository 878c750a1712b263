"""Per-document extraction cache: a rebuild re-extracts only the documents whose bytes or whose extractor
changed, and the outputs equal a clean build's (mapping, linking and serialising always run on all records).

An entry is keyed by the document's name, the SHA-256 of its bytes and the extractor version, and holds the
pickled `DocumentRecord`. Entries are written to a temporary name and renamed, so a crash never leaves a torn
entry; entries no document used in a build are removed after it.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

from kg import EXTRACTOR_VERSION
from kg.iris import digest
from kg.records import DocumentRecord, SourceDocument


class ExtractionCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def _key(self, source: SourceDocument) -> str:
        return f"{source.sha256[:24]}-{digest(source.name, 12)}-v{EXTRACTOR_VERSION}"

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
