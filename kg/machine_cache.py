"""The machine-level cache folder: derived data that is slow to make and the same for every build on this machine
(the gazetteer's index), kept as pickles under keys that name everything they were made from.

The folder is `$KG_CACHE_DIR`, else `$XDG_CACHE_HOME/edu-policy-kg`, else `~/.cache/edu-policy-kg`. A file that
is missing, torn or unreadable only means making the data again, and a folder that cannot be written only means
not keeping it: a cache never fails a build. Unpickling runs code, so only a file that the user running the
build owns, in a folder that only that user can write to, is ever read.
"""

from __future__ import annotations

import logging
import os
import pickle
import stat
import time
from importlib import metadata
from pathlib import Path

from kg.atomic_file import write_bytes
from kg.gc_pause import collector_paused

CACHE_DIR_VARIABLE = "KG_CACHE_DIR"
# Files of other keys are left this long: another checkout or virtual environment on the machine may still use
# them (deleting them at once would make two checkouts rebuild each other's index on every run).
STALE_AFTER_SECONDS = 7 * 24 * 3600

log = logging.getLogger(__name__)


def cache_folder() -> Path | None:
    """The folder for the project's machine-level caches, or None when there is no home to put it in."""
    if folder := os.environ.get(CACHE_DIR_VARIABLE):
        return Path(folder).absolute()
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG spec says to ignore a relative path
        return Path(xdg) / "edu-policy-kg"
    try:
        return Path.home() / ".cache" / "edu-policy-kg"
    except RuntimeError:  # no $HOME and no password entry: run without a cache
        return None


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:  # importable without metadata (a source tree on the path)
        return "unknown"


def read_pickle(path: Path) -> object | None:
    """The object pickled at `path`, or None when the file is missing, not ours, or not a readable pickle."""
    if not (_private(path.parent) and _private(path)):
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        with collector_paused():
            return pickle.loads(data)
    except Exception as error:  # any bytes can be in the file, and a bad pickle raises almost any exception
        log.debug("cache file %s unreadable, making the data again: %r", path, error)
        return None


def write_pickle(path: Path, value: object, siblings: str) -> None:
    """Pickle `value` to `path`; remove the files matching the glob `siblings` (other keys of the same data) that
    nothing has written for a week. A folder that cannot be written is no error."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_bytes(path, pickle.dumps(value, protocol=5))
        for old in path.parent.glob(siblings):
            if old != path and time.time() - old.stat().st_mtime > STALE_AFTER_SECONDS:
                old.unlink(missing_ok=True)
    except OSError as error:
        log.debug("cache file not written to %s: %r", path.parent, error)


def _private(path: Path) -> bool:
    """Owned by this user and writable by no one else."""
    try:
        status = path.stat()
    except OSError:
        return False
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
