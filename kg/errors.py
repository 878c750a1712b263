"""Domain errors. The CLI turns each into one line and an exit code (`kg/cli.py`); library code only raises."""

from __future__ import annotations


class KgError(Exception):
    """Base class: an error a user can act on, with a message that says what and where."""

    exit_code = 2


class InputError(KgError):
    """One input file cannot be read; the rest of the corpus still builds."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UsageError(KgError):
    """A bad argument or option."""


class ValidationFailed(KgError):
    """The graph does not conform to the shapes."""

    exit_code = 1
