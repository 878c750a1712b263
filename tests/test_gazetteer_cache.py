"""The gazetteer's on-disk cache: a good file is read, anything else is built again, and a folder that cannot be
written only means no cache. Every load here is real (the packaged datasets, a real pickle in a tmp folder)."""

from __future__ import annotations

import logging
import os
import pickle
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from kg.gazetteer import RULES_FILE, Gazetteer, load_gazetteer
from kg.machine_cache import CACHE_DIR_VARIABLE, STALE_AFTER_SECONDS

TEXTS = ("陕西省铜川市王益区黄堡镇", "长沙市教育局", "海西州和延边州的示范县", "关于印发北京市东城区教育工作要点的通知")
FILE_NAME = re.compile(r"gazetteer-[0-9a-f]{16}\.pickle")


def answers(gazetteer: Gazetteer) -> tuple[Any, ...]:
    """What callers see of a gazetteer; the timing fields of its stats left out."""
    return (
        [gazetteer.find_names(text) for text in TEXTS],
        gazetteer.division("610202"),
        gazetteer.chain("610202"),
        gazetteer.towns,
        gazetteer.abbreviations,
        replace(gazetteer.stats, seconds=0.0, cached=False),
    )


@dataclass(frozen=True)
class Reference:
    file_name: str  # the cache file a cold load writes
    pickled: bytes  # its bytes
    answers: tuple[Any, ...]  # of the gazetteer that load built


def load_in(folder: Path) -> Gazetteer:
    """A cold `load_gazetteer()` with `folder` as the cache folder; the process's own gazetteer is left alone."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_DIR_VARIABLE, str(folder))
        load_gazetteer.cache_clear()
        try:
            return load_gazetteer()
        finally:
            load_gazetteer.cache_clear()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    folder = tmp_path_factory.mktemp("gazetteer-reference")
    built = load_in(folder)
    (path,) = folder.iterdir()
    return Reference(path.name, path.read_bytes(), answers(built))


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """KG_CACHE_DIR pointed at an empty folder, and no gazetteer loaded yet in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(folder))
    load_gazetteer.cache_clear()
    yield folder
    # Runs before monkeypatch restores the environment: the next caller loads from its own cache folder.
    load_gazetteer.cache_clear()


def test_first_load_writes_one_file_and_the_next_load_reads_it(cache_dir: Path, reference: Reference) -> None:
    first = load_gazetteer()
    assert not first.stats.cached
    files = list(cache_dir.iterdir())
    assert [f.name for f in files] == [reference.file_name]  # no temporary file left beside it
    assert FILE_NAME.fullmatch(files[0].name)
    written = files[0].stat().st_mtime_ns

    load_gazetteer.cache_clear()
    second = load_gazetteer()
    assert second.stats.cached
    assert second is not first
    assert answers(second) == answers(first) == reference.answers
    assert second.division("610202").full_name == "陕西省铜川市王益区"
    assert files[0].stat().st_mtime_ns == written  # read, not written again


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda good: b"\x80\x05garbage, not a pickle" * 100, id="garbage"),
        pytest.param(lambda good: good[: len(good) // 2], id="truncated"),
        pytest.param(lambda good: pickle.dumps({"not": "a gazetteer"}, protocol=5), id="wrong-type"),
        # a pickle naming a class that is gone: ModuleNotFoundError, not UnpicklingError
        pytest.param(lambda good: b"\x80\x04ckg.no_such_module\nGazetteer\n)\x81.", id="unknown-class"),
        pytest.param(lambda good: b"", id="empty"),
    ],
)
def test_a_bad_cache_file_is_built_again_and_replaced(cache_dir: Path, reference: Reference, damage: Any) -> None:
    cache_dir.mkdir()
    (cache_dir / reference.file_name).write_bytes(damage(reference.pickled))

    rebuilt = load_gazetteer()
    assert not rebuilt.stats.cached
    assert answers(rebuilt) == reference.answers

    load_gazetteer.cache_clear()
    again = load_gazetteer()
    assert again.stats.cached, "the bad file should have been replaced by a good one"
    assert answers(again) == reference.answers


def test_a_folder_that_cannot_be_made_only_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, reference: Reference
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a regular file where the cache folder's parent should be")
    load_gazetteer.cache_clear()
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(blocker / "cache"))
    caplog.set_level(logging.DEBUG)
    try:
        gazetteer = load_gazetteer()
    finally:
        load_gazetteer.cache_clear()
    assert not gazetteer.stats.cached
    assert answers(gazetteer) == reference.answers
    assert [r.getMessage() for r in caplog.records if r.levelno > logging.DEBUG] == []
    assert blocker.is_file()


def test_writing_removes_the_files_of_other_keys_unused_for_a_week(cache_dir: Path, reference: Reference) -> None:
    cache_dir.mkdir()
    stale = cache_dir / "gazetteer-0123456789abcdef.pickle"
    stale.write_bytes(reference.pickled)  # a good pickle, but under a key the sources no longer have
    week_ago = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(stale, (week_ago, week_ago))
    recent = cache_dir / "gazetteer-fedcba9876543210.pickle"  # another checkout's, say: still in use
    recent.write_bytes(reference.pickled)
    unrelated = cache_dir / "another-cache.json"
    unrelated.write_text("{}")

    load_gazetteer()
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted([reference.file_name, recent.name, unrelated.name])


def test_a_file_others_can_write_is_never_unpickled(cache_dir: Path, reference: Reference) -> None:
    cache_dir.mkdir()
    planted = cache_dir / reference.file_name
    planted.write_bytes(reference.pickled)
    planted.chmod(0o666)
    assert not load_gazetteer().stats.cached


def test_an_edited_source_gives_another_key(
    cache_dir: Path, reference: Reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir.mkdir()
    (cache_dir / reference.file_name).write_bytes(reference.pickled)
    rules = tmp_path / "gazetteer_rules.json"
    rules.write_text(RULES_FILE.read_text("utf-8") + "\n", "utf-8")  # the same rules, other bytes
    monkeypatch.setattr("kg.gazetteer.RULES_FILE", rules)
    assert not load_gazetteer().stats.cached
    assert len([p for p in cache_dir.iterdir() if FILE_NAME.fullmatch(p.name)]) == 2
