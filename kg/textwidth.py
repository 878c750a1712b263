"""Terminal column widths for mixed CJK and Latin text (a CJK character takes two columns)."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in text)


def pad(text: str, columns: int, *, right: bool = False) -> str:
    fill = " " * max(0, columns - width(text))
    return fill + text if right else text + fill


def truncate(text: str, columns: int) -> str:
    if width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > columns - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def table(headers: list[str], rows: list[list[str]], *, max_width: int = 48, right: set[int] | None = None) -> str:
    """A plain-text table whose columns line up in a terminal whatever the script."""
    right = right or set()
    cells = [[truncate(cell, max_width) for cell in row] for row in rows]
    widths = [max([width(h)] + [width(row[i]) for row in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(pad(h, widths[i], right=i in right) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(pad(c, widths[i], right=i in right) for i, c in enumerate(row)).rstrip() for row in cells)
    return "\n".join(lines)
