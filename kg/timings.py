"""Wall-clock time per build phase: the build summary's `time:` line and the benchmark's breakdown.

A rebuild after one change is bounded by its slowest phase, not by extraction; these figures say which one, so
work on speed starts from a measurement instead of a guess.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class PhaseTimer:
    """Seconds spent in each named phase, in the order the phases first ran (a phase run twice adds up), and the
    wall time from the timer's creation to `stop`, which includes what no phase timed."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.wall: float | None = None
        self._started = time.perf_counter()

    def stop(self) -> None:
        self.wall = time.perf_counter() - self._started

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    @property
    def total(self) -> float:
        """The wall time once stopped; until then, the sum of the phases."""
        return self.wall if self.wall is not None else sum(self.seconds.values())

    def summary(self) -> str:
        """`12.3 s (read 1.1, extract 4.2, …)`: the total, and the phases that took a measurable time."""
        parts = ", ".join(f"{name} {seconds:.1f}" for name, seconds in self.seconds.items() if seconds >= 0.05)
        return f"{self.total:.1f} s" + (f" ({parts})" if parts else "")
