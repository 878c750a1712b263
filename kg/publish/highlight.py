"""Original text with spans marked: each mark links to the resource the span belongs to.

Spans may overlap (a target clause that contains a cited title). The text is cut at every span boundary; each piece
is marked with the kinds of all spans covering it and links to the shortest of them (links cannot nest), and
neighbouring pieces with the same link are merged into one mark.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from kg.publish.markup import Markup, el, escape, join

KIND_ORDER = ("here", "target", "cite")


@dataclass(frozen=True)
class Mark:
    start: int  # offsets in the same coordinates as the text's `origin` (code points of the source text)
    end: int
    kind: str  # "target" | "cite"; "here" adds an outline for the resource the page is about
    href: str | None
    title: str = ""


def highlight(text: str, origin: int, marks: list[Mark]) -> Markup:
    """`text` (which starts at `origin` in its source) as HTML with `marks` applied; marks outside it are ignored."""
    end = origin + len(text)
    inside = sorted(
        {
            Mark(max(m.start, origin), min(m.end, end), m.kind, m.href, m.title)
            for m in marks
            if m.start < end and m.end > origin and m.start < m.end
        },
        key=lambda m: (m.start, m.end, KIND_ORDER.index(m.kind) if m.kind in KIND_ORDER else 9, m.href or ""),
    )
    cuts = sorted({origin, end, *(m.start for m in inside), *(m.end for m in inside)})
    pieces: list[tuple[str, Mark | None, frozenset[str]]] = []
    for left, right in itertools.pairwise(cuts):
        covering = [m for m in inside if m.start <= left and m.end >= right]
        piece = text[left - origin : right - origin]
        if not covering:
            pieces.append((piece, None, frozenset()))
            continue
        primary = min(
            covering, key=lambda m: (m.end - m.start, KIND_ORDER.index(m.kind) if m.kind in KIND_ORDER else 9)
        )
        kinds = frozenset(m.kind for m in covering)
        if pieces and pieces[-1][1] == primary and pieces[-1][2] == kinds:
            pieces[-1] = (pieces[-1][0] + piece, primary, kinds)
        else:
            pieces.append((piece, primary, kinds))
    out: list[Markup] = []
    for piece, primary, kinds in pieces:
        if primary is None:
            out.append(escape(piece))
            continue
        classes = " ".join(k for k in KIND_ORDER if k in kinds) or primary.kind
        inner = el("a", {"href": primary.href, "title": primary.title or None}, piece) if primary.href else piece
        out.append(el("mark", {"class": classes, "title": None if primary.href else primary.title or None}, inner))
    return join(out)


def occurrences(text: str, needle: str, origin: int) -> list[tuple[int, int]]:
    """Every place `needle` stands in `text`, as offsets from `origin`."""
    found = []
    if not needle:
        return found
    at = text.find(needle)
    while at >= 0:
        found.append((origin + at, origin + at + len(needle)))
        at = text.find(needle, at + len(needle))
    return found
