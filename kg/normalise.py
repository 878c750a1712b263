"""Stage 2: a normalised copy of the printed text, for matching only.

Traditional characters become simplified (OpenCC `t2s`) and full-width ASCII forms half-width. The copy has
exactly the printed text's length, character for character, so an offset found in it is the offset of the printed
characters: the offset map back to the original is the identity by construction, and every span points at the
characters as printed. Where OpenCC's phrase conversion would change a line's length, that line is converted
character by character instead, which never does.
"""

from __future__ import annotations

from functools import cache

from opencc import OpenCC

from kg.records import NormalisedDocument, Script, SourceDocument

# Share of CJK characters that t2s changes, above which a text counts as traditional / mixed.
TRADITIONAL_SHARE = 0.08
MIXED_SHARE = 0.02

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@cache
def _t2s() -> OpenCC:
    return OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    """Simplified characters, same length as `text`."""
    converter = _t2s()
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        converted = converter.convert(line)
        if len(converted) != len(line):
            converted = "".join(_one_char(converter, ch) for ch in line)
        out.append(converted)
    return "".join(out)


def _one_char(converter: OpenCC, ch: str) -> str:
    converted = converter.convert(ch)
    return converted if len(converted) == 1 else ch


def to_half_width(text: str) -> str:
    """Full-width ASCII forms (Ａ１，：) and the ideographic space as their half-width forms."""
    return text.translate(_FULL_WIDTH)


def normalise_text(text: str) -> str:
    return to_half_width(to_simplified(text))


def detect_script(original: str, simplified: str) -> Script:
    cjk = changed = 0
    for before, after in zip(original, simplified, strict=True):
        if "\u4e00" <= before <= "\u9fff":
            cjk += 1
            changed += before != after
    share = changed / cjk if cjk else 0.0
    if share >= TRADITIONAL_SHARE:
        return Script.TRADITIONAL
    if share >= MIXED_SHARE:
        return Script.MIXED
    return Script.SIMPLIFIED


def normalise(source: SourceDocument) -> NormalisedDocument:
    simplified = to_simplified(source.text)
    return NormalisedDocument(
        source=source,
        text=to_half_width(simplified),
        script=detect_script(source.text, simplified),
    )
