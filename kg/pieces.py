"""A document's graph serialised for every output file, as the cache keeps it: one file, `<key>.pieces`.

The first line is the SHA-256 of the graph's N-Quads and the length of each piece in `PIECE_FILES` order; the
pieces follow, back to back. The build concatenates the pieces of every document into the output files, so at
2,000 documents it moves 2.3 GB: the kernel copies each piece from this file into its output file
(`os.copy_file_range`) instead of reading it into Python and writing it out again, and the store's incremental
update compares the digest instead of hashing 0.7 GB of N-Quads again. The digest is trusted as written: a
file damaged in place at the same length would go unnoticed, as any cache entry's content would.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kg.errors import KgError

PIECE_FILES = ("graph.trig", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld")  # written graph by graph
_HEADER = re.compile(rb"([0-9a-f]{64})((?: [0-9]{1,12}){%d})\n" % len(PIECE_FILES))
_HEADER_MAX = 64 + 13 * len(PIECE_FILES) + 1
_CHUNK = 1 << 20  # what the fallback copy reads at a time


def pack_pieces(pieces: dict[str, bytes]) -> bytes:
    """The pieces as one blob (the header line, then the bytes) for the cache."""
    lengths = " ".join(str(len(pieces[name])) for name in PIECE_FILES)
    header = f"{nquads_digest(pieces['graph.nq'])} {lengths}\n".encode()
    return header + b"".join(pieces[name] for name in PIECE_FILES)


def nquads_digest(nquads: bytes) -> str:
    return hashlib.sha256(nquads).hexdigest()


@dataclass(frozen=True)
class PackedPieces:
    """An open pieces file: where each piece lies in it."""

    handle: BinaryIO
    digest: str  # of the N-Quads piece
    ranges: dict[str, tuple[int, int]]  # output file name → (offset, length) in this file

    @classmethod
    def open(cls, path: Path) -> PackedPieces:
        """Raises KgError when the file is not a whole pieces file (torn, or written by another version), OSError
        when it cannot be read."""
        handle = path.open("rb")
        try:
            line = handle.readline(_HEADER_MAX)
            header = _HEADER.fullmatch(line)
            if header is None:
                raise KgError(f"{path}: damaged cache entry (no header of this version)")
            offset, ranges = len(line), {}
            for name, length in zip(PIECE_FILES, map(int, header.group(2).split()), strict=True):
                ranges[name] = (offset, length)
                offset += length
            if offset != os.fstat(handle.fileno()).st_size:
                raise KgError(f"{path}: damaged cache entry (its size does not match its header)")
        except BaseException:
            handle.close()
            raise
        return cls(handle, header.group(1).decode("ascii"), ranges)

    def __enter__(self) -> PackedPieces:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def read(self, name: str) -> bytes:
        offset, length = self.ranges[name]
        return b"".join(_read_range(self.handle.fileno(), offset, length))

    def copy_to(self, name: str, out: BinaryIO) -> None:
        """Append the piece for the output file `name` to `out`, a file open for writing."""
        offset, length = self.ranges[name]
        out.flush()  # what Python buffered goes first; the kernel then appends at the file's position
        copied = _kernel_copy(self.handle.fileno(), out.fileno(), offset, length)
        # what the kernel could not copy, by reads
        for chunk in _read_range(self.handle.fileno(), offset + copied, length - copied):
            out.write(chunk)


def _kernel_copy(source: int, target: int, offset: int, length: int) -> int:
    """Copy up to `length` bytes at `offset` of `source` to the position of `target` in the kernel; how many it
    copied (fewer, down to none, where the file system or the platform cannot: no copy_file_range off Linux)."""
    copy = getattr(os, "copy_file_range", None)
    done = 0
    while copy is not None and done < length:
        try:
            copied = copy(source, target, length - done, offset + done)
        except OSError:
            break
        if copied == 0:
            break
        done += copied
    return done


def _read_range(source: int, offset: int, length: int) -> Iterator[bytes]:
    """The bytes at `offset`, a chunk at a time (one pread may return less than asked)."""
    end = offset + length
    while offset < end:
        chunk = os.pread(source, min(_CHUNK, end - offset), offset)
        if not chunk:
            raise OSError(f"unexpected end of file at byte {offset}")
        offset += len(chunk)
        yield chunk
