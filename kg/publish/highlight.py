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
        key=lambda m: (m.start, m.end, _order(m), m.href or ""),
    )
    cuts = sorted({origin, end, *(m.start for m in inside), *(m.end for m in inside)})
    pieces: list[tuple[int, int, Mark | None, frozenset[str]]] = []  # (start, end, link target, kinds)
    for left, right in itertools.pairwise(cuts):
        covering = [m for m in inside if m.start <= left and m.end >= right]
        if not covering:
            pieces.append((left, right, None, frozenset()))
            continue
        primary = min(covering, key=lambda m: (m.href is None, m.end - m.start, _order(m)))
        kinds = frozenset(m.kind for m in covering)
        if pieces and pieces[-1][2] == primary and pieces[-1][3] == kinds:
            pieces[-1] = (pieces[-1][0], right, primary, kinds)
        else:
            pieces.append((left, right, primary, kinds))
    out: list[Markup] = []
    for left, right, primary, kinds in pieces:
        piece = text[left - origin : right - origin]
        if primary is None:
            out.append(escape(piece))
            continue
        classes = " ".join(k for k in KIND_ORDER if k in kinds) or primary.kind
        inner = el("a", {"href": primary.href, "title": primary.title or None}, piece) if primary.href else piece
        out.append(el("mark", {"class": classes, "title": None if primary.href else primary.title or None}, inner))
        if right == primary.end:  # other resources with exactly this span: one small link each
            twins = [m for m in inside if (m.start, m.end) == (primary.start, primary.end) and m.href and m != primary]
            hrefs = list(dict.fromkeys((m.href, m.title, m.kind) for m in twins if m.href != primary.href))
            out.extend(
                el("sup", {}, el("a", {"href": target, "title": title or None, "class": f"also {kind}"}, f"+{n}"))
                for n, (target, title, kind) in enumerate(hrefs, 1)
            )
    return join(out)


def _order(mark: Mark) -> int:
    return KIND_ORDER.index(mark.kind) if mark.kind in KIND_ORDER else len(KIND_ORDER)


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
