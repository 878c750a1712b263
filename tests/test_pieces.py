"""The cached pieces file (kg/pieces.py): read back exactly, copied by the kernel or, where it cannot, by reads;
a torn entry is a cache miss, not a failed build."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from kg.build import BuildOptions, build
from kg.errors import KgError
from kg.pieces import PIECE_FILES, PackedPieces, nquads_digest, pack_pieces
from kg.write import OUTPUT_FILES

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PIECES = {name: f"《{name}》 ＠ 第{n}段\n".encode() * (n + 1) for n, name in enumerate(PIECE_FILES)}


@pytest.fixture
def packed(tmp_path: Path) -> Path:
    path = tmp_path / "entry.pieces"
    path.write_bytes(pack_pieces(PIECES))
    return path


def test_each_piece_reads_back_and_the_digest_is_of_the_nquads(packed: Path) -> None:
    with PackedPieces.open(packed) as pieces:
        assert {name: pieces.read(name) for name in PIECE_FILES} == PIECES
        assert pieces.digest == nquads_digest(PIECES["graph.nq"])


def test_pieces_are_appended_after_what_python_buffered(packed: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.nt"
    with PackedPieces.open(packed) as pieces, target.open("wb") as out:
        out.write(b"head\n")  # still in Python's buffer when the kernel copies
        pieces.copy_to("graph.nt", out)
        out.write(b"tail\n")
        pieces.copy_to("graph.trig", out)
    assert target.read_bytes() == b"head\n" + PIECES["graph.nt"] + b"tail\n" + PIECES["graph.trig"]


def test_a_target_the_kernel_cannot_copy_into_gets_the_bytes_by_reads(packed: Path) -> None:
    """copy_file_range takes regular files only: into a pipe every byte goes the slow way."""
    read_end, write_end = os.pipe()
    received = bytearray()
    reader = threading.Thread(target=lambda: received.extend(_drain(read_end)))
    reader.start()
    with PackedPieces.open(packed) as pieces, open(write_end, "wb") as out:
        pieces.copy_to("graph.jsonld", out)
    reader.join()
    assert bytes(received) == PIECES["graph.jsonld"]


def _drain(fd: int) -> bytes:
    with open(fd, "rb") as handle:
        return handle.read()


DIGEST = b"0" * 64


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-3],  # torn
        lambda data: data + b"x",  # longer than its header says
        lambda data: b"x 1 2\n" + data,
        lambda data: b"",
        lambda data: b"1 1 1 1 1\nabcde",  # the header of the version before the digest
        lambda data: "é 0 0 0 0 0\n".encode(),  # well formed but for the digest
        lambda data: DIGEST + b" 10 -5 0 0 0\n" + b"x" * 5,  # lengths that add up, one negative
        lambda data: DIGEST + b" +1 0 0 0 0\nx",
    ],
    ids=["torn", "longer", "garbage", "empty", "old-header", "digest", "negative", "signed"],
)
def test_a_damaged_file_is_refused_by_name(packed: Path, damage) -> None:
    packed.write_bytes(damage(packed.read_bytes()))
    with pytest.raises(KgError, match=r"entry\.pieces: damaged cache entry"):
        PackedPieces.open(packed)


def test_a_torn_cache_entry_is_extracted_again(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "out"
    build([corpus], BuildOptions(out_dir=out, run_validation=False))
    torn = sorted((out / "cache").glob("*.pieces"))[2]
    torn.write_bytes(torn.read_bytes()[:1000])
    again = build([corpus], BuildOptions(out_dir=out, run_validation=False))
    assert (again.extracted, again.reused) == (1, 4)
    clean = tmp_path / "clean"
    build([corpus], BuildOptions(out_dir=clean, run_validation=False, use_cache=False))
    for name in OUTPUT_FILES:
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
