"""Writing a site atomically: every file goes into a staging folder beside `--out`, which then replaces `--out`
in two renames. A crash or an error leaves the previous site as it was (and removes the staging folder).

A folder is only ever replaced if it is empty or was written by `kg publish` (it holds the marker `.kg-site`,
which also records the build base that `kg serve` needs): `--out out` or `--out .` cannot wipe other files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from kg.errors import KgError, UsageError

MARKER = ".kg-site"


def read_marker(site: Path) -> dict:
    """The marker of a published site; UsageError when `site` is not one."""
    try:
        return json.loads((site / MARKER).read_text("utf-8"))
    except (OSError, ValueError) as err:
        raise UsageError(
            f"{site}: not a site written by kg publish (no readable {MARKER}); run kg publish first"
        ) from err


class StagedSite:
    """`with StagedSite(out) as site: site.write("index.html", data)`; moved into place when the block ends well."""

    def __init__(self, out_dir: Path, marker: dict) -> None:
        self.out_dir = out_dir
        self.marker = marker
        self.files = 0
        self.bytes = 0
        if out_dir.exists():
            if not out_dir.is_dir():
                raise UsageError(f"{out_dir}: exists and is not a folder")
            if any(out_dir.iterdir()) and not (out_dir / MARKER).is_file():
                raise UsageError(
                    f"{out_dir}: not empty and not a site written by kg publish; choose a new or empty folder"
                )
        parent = out_dir.resolve().parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=parent))
        except OSError as err:
            raise KgError(f"{parent}: cannot create a staging folder: {err.strerror or err}") from err

    def __enter__(self) -> StagedSite:
        return self

    def write(self, path: str, data: bytes) -> None:
        self.write_with(path, lambda out: out.write(data))

    def write_with(self, path: str, fill: Callable[[BinaryIO], object]) -> int:
        """Write the file `path` by handing its open binary stream to `fill` (for files too large to hold in
        memory); its size in bytes."""
        target = self.staging.joinpath(*path.split("/"))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                fill(out)
            size = target.stat().st_size
        except OSError as err:
            raise KgError(f"{target}: cannot write: {err.strerror or err}") from err
        self.files += 1
        self.bytes += size
        return size

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            if kind is None:
                self._commit()
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)

    def _commit(self) -> None:
        (self.staging / MARKER).write_text(json.dumps(self.marker, sort_keys=True) + "\n", "utf-8")
        old = None
        try:
            if self.out_dir.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{self.out_dir.name}.old-", dir=self.staging.parent))
                os.rmdir(old)
                self.out_dir.rename(old)
            self.staging.rename(self.out_dir)
        except OSError as err:
            if old is not None and old.exists() and not self.out_dir.exists():
                old.rename(self.out_dir)  # put the previous site back
            raise KgError(f"{self.out_dir}: cannot move the new site into place: {err.strerror or err}") from err
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
