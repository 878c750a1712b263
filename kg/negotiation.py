"""HTTP content negotiation (RFC 9110 §12.5.1): which of a server's offers an `Accept` header likes best, and the
`Answer` that `kg serve` sends.

Shared by the SPARQL endpoint (result formats, `kg/serve.py`) and the published site (resource representations,
`kg/publish/site_http.py`). An offer is a media type with whatever the caller needs to answer in it:

    negotiate("text/turtle;q=0.9, */*;q=0.1", (("text/html", ".html"), ("text/turtle", ".ttl")))
    # → ("text/turtle", ".ttl")
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

__all__ = ["Answer", "negotiate"]

Offer = TypeVar("Offer")


def negotiate(accept: str, offers: tuple[tuple[str, Offer], ...]) -> tuple[str, Offer] | None:
    """The offer the `Accept` header likes best; ties go to the earlier offer; None if none is acceptable.

    No header, or an empty one, takes the first offer.
    """
    ranges = _parse_accept(accept)
    if not ranges:
        return offers[0]
    best: tuple[str, Offer] | None = None
    best_q = 0.0
    for offer in offers:
        q = _quality(offer[0], ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def _parse_accept(accept: str) -> list[tuple[str, str, float]]:
    """(type, subtype, q) for each media range; a malformed q counts as 0 (not acceptable), never as an error."""
    ranges = []
    for item in accept.split(","):
        media_range, *params = (part.strip() for part in item.split(";"))
        if not media_range:
            continue
        kind, _, subtype = media_range.lower().partition("/")
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((kind, subtype or "*", q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, str, float]]) -> float:
    """The q of the most specific range that matches `media_type` (exact, then `type/*`, then `*/*`), or 0."""
    kind, _, subtype = media_type.partition("/")
    found: tuple[int, float] | None = None
    for range_kind, range_subtype, q in ranges:
        if (range_kind, range_subtype) == (kind, subtype):
            specificity = 2
        elif (range_kind, range_subtype) == (kind, "*"):
            specificity = 1
        elif (range_kind, range_subtype) == ("*", "*"):
            specificity = 0
        else:
            continue
        if found is None or specificity > found[0]:
            found = (specificity, q)
    return 0.0 if found is None else found[1]


@dataclass(frozen=True)
class Answer:
    """One HTTP answer of `kg serve`, from the SPARQL endpoint or the site: a body, or a file sent from disk."""

    status: int
    content_type: str = "text/plain; charset=utf-8"
    body: bytes = b""
    file: Path | None = None  # sent from disk instead of `body`
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def text(cls, status: int, message: str, *headers: tuple[str, str]) -> Answer:
        """A plain-text answer of one line."""
        return cls(status, body=(" ".join(message.split()) + "\n").encode("utf-8"), headers=headers)
