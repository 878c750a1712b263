"""Visible text of an HTML page: what a reader sees, one block element per line.

Scripts, styles and page chrome (navigation, sidebars, share bars, footers) are dropped here by element; the
text-level boilerplate that survives (breadcrumbs, 扫一扫 lines) is dropped later by `kg/structure.py`, which
sees the same kinds of lines in plain-text pages too.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

_INVISIBLE = {
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head",
    "nav", "aside", "footer", "form", "button", "select", "option", "textarea", "input", "map",
}  # fmt: skip
_BLOCK = {
    "address", "article", "blockquote", "body", "caption", "center", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tfoot", "tr", "ul",
}  # fmt: skip
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
_CHROME_TOKEN = re.compile(
    r"^(nav|navbar|menu|breadcrumbs?|crumbs?|share|sharebar|bdshare|social|footer|foot|sidebar|side|"
    r"ads?|advert|advertisement|banner|toolbar|copyright|topbar|login|search|qrcode|erweima)([-_].*)?$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\r\f\v]+")


def visible_text(html: str) -> str:
    """The page's visible text, block elements on their own lines, runs of blank lines folded to one."""
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    parts: list[str] = []
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    # An explicit stack rather than recursion: hostile pages nest elements deeper than Python's recursion limit.
    while stack:
        node, closing = stack.pop()
        tag = node.tag
        if closing:
            parts.append("\n")
            continue
        if tag == "-text":
            parts.append(node.text_content or "")
            continue
        if tag in _INVISIBLE or _is_chrome(node):
            continue
        if tag == "br":
            parts.append("\n")
            continue
        if tag in _BLOCK:
            parts.append("\n")
            stack.append((node, True))
        children = list(node.iter(include_text=True))
        stack.extend((child, False) for child in reversed(children))
    return _fold_lines("".join(parts))


def _is_chrome(node: LexborNode) -> bool:
    attributes = node.attributes
    if (attributes.get("role") or "").lower() in _CHROME_ROLES:
        return True
    if "hidden" in attributes or "display:none" in (attributes.get("style") or "").replace(" ", "").lower():
        return True
    tokens = (attributes.get("class") or "").split() + (attributes.get("id") or "").split()
    return any(_CHROME_TOKEN.match(token) for token in tokens)


def _fold_lines(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\xa0", " ").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"
