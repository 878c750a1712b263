"""The machine-level cache folder: derived data that is slow to make and the same for every build on this machine
(the gazetteer's index), kept as pickles under keys that name everything they were made from.

The folder is `$KG_CACHE_DIR`, else `$XDG_CACHE_HOME/edu-policy-kg`, else `~/.cache/edu-policy-kg`. A file that
is missing, torn or unreadable only means making the data again, and a folder that cannot be written only means
not keeping it: a cache never fails a build.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import tempfile
from pathlib import Path

CACHE_DIR_VARIABLE = "KG_CACHE_DIR"

log = logging.getLogger(__name__)


def cache_folder() -> Path | None:
    """The folder for the project's machine-level caches, or None when there is no home to put it in."""
    if folder := os.environ.get(CACHE_DIR_VARIABLE):
        return Path(folder)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG spec says to ignore a relative path
        return Path(xdg) / "edu-policy-kg"
    try:
        return Path.home() / ".cache" / "edu-policy-kg"
    except RuntimeError:  # no $HOME and no password entry: run without a cache
        return None


def read_pickle(path: Path) -> object | None:
    """The object pickled at `path`, or None when the file is missing or not a readable pickle."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # An index unpickles into some 170,000 containers; the cyclic GC would scan them again and again (25 % of
    # the time), and none of them is in a cycle.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    except Exception as error:  # any bytes can be in the file, and a bad pickle raises almost any exception
        log.debug("cache file %s unreadable, making the data again: %r", path, error)
        return None
    finally:
        if was_enabled:
            gc.enable()


def write_pickle(path: Path, value: object, siblings: str) -> None:
    """Pickle `value` to `path`, and remove the other files matching the glob `siblings` (other keys of the same
    data, never read again). A folder that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A temporary file renamed into place: a reader never sees a half-written pickle, even from a crash.
        handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=5)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for old in path.parent.glob(siblings):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as error:
        log.debug("cache file not written to %s: %r", path.parent, error)
