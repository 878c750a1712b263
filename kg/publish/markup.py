"""HTML built from escaped text only.

`Markup` is a string already known to be HTML. It is made by `el` (an element whose text children and attribute
values are all escaped), by `escape`, or by `join` of Markup parts — never by wrapping a string that came from a
document. A title holding `<script>` or `"><img onerror=…>` can only ever come out as text:

    el("a", {"href": "../policy/1.html", "title": title}, title)

Attribute values are escaped with quotes; text children with `html.escape` too. The same builder writes SVG, since
its output is also well-formed XML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

__all__ = ["Markup", "el", "escape", "join", "safe_url"]

_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9:-]*")
_VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "col", "wbr"})

Child = "Markup | str | int | float | None | Iterable[Child]"
Attrs = Mapping[str, "str | int | float | bool | None"]


class Markup(str):
    """Trusted HTML. Only this module's functions should construct it."""

    __slots__ = ()


def escape(value: object) -> Markup:
    """`value` as HTML text; Markup passes through unchanged."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


def join(parts: Iterable[object], separator: object = "") -> Markup:
    return Markup(escape(separator).join(escape(part) for part in _flatten(parts)))


def el(tag: str, attrs: Attrs | None = None, *children: object) -> Markup:
    """`<tag attrs>children</tag>`; attributes with value None or False are left out, True writes the bare name."""
    if tag not in _CHECKED and not _checked(tag):
        raise ValueError(f"bad tag name {tag!r}")
    parts = [f"<{tag}"]
    for name, value in (attrs or {}).items():
        if name not in _CHECKED and not _checked(name):
            raise ValueError(f"bad attribute name {name!r}")
        if value is None or value is False:
            continue
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{html.escape(str(value), quote=True)}"')
    parts.append(">")
    if tag in _VOID:
        if children:
            raise ValueError(f"<{tag}> takes no children")
        return Markup("".join(parts))
    parts.extend(escape(child) for child in _flatten(children))
    parts.append(f"</{tag}>")
    return Markup("".join(parts))


_CHECKED: set[str] = set()  # tag and attribute names already matched against _NAME (a site makes millions of tags)


def _checked(name: str) -> bool:
    """Whether `name` is a well-formed tag or attribute name; remembered when it is."""
    if _NAME.fullmatch(name):
        _CHECKED.add(name)
        return True
    return False


def _flatten(items: Iterable[object]) -> Iterable[object]:
    for item in items:
        if item is None:
            continue
        if isinstance(item, str | int | float):
            yield item
        else:
            yield from _flatten(item)  # type: ignore[arg-type]


def safe_url(url: str) -> str | None:
    """`url` if it is an http(s) URL fit for an href, else None (no `javascript:`, `data:` or the like)."""
    if re.fullmatch(r"https?://[^\s<>\"'`\\]+", url):
        return url
    return None
