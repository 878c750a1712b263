"""Lines of a document, classified: page chrome, section heading, numbered item, heading line or prose.

Structure (`kg/structure.py`) reads documents as a sequence of these. Patterns run on the normalised text, so
traditional and full-width documents classify the same as simplified ones; offsets are shared with the printed
text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

import cn2an

# Longest line that may be a heading rather than prose (heading lines carry no sentence punctuation).
HEADING_MAX = 25
# Longest first sentence that still reads as the lead sentence of a work item (学习贯彻全教会精神。).
LEAD_MAX = 40

_CN_DIGITS = "一二三四五六七八九十"
_SECTION = re.compile(rf"^(?:第([{_CN_DIGITS}]{{1,3}})(?:部分|章)|([{_CN_DIGITS}]{{1,3}})\s*[、.])\s*")
_ARABIC_ITEM = re.compile(r"^(\d{1,3}|[\u2488-\u249b])\s*[.、)]?(?<=[.、)\u2488-\u249b])(?!\d)\s*")
_PAREN_CN_ITEM = re.compile(rf"^[(]([{_CN_DIGITS}]{{1,3}})[)]\s*")
_PAREN_AR_ITEM = re.compile(r"^(?:[(](\d{1,3})[)]|([\u2474-\u2487]))\s*")
_CIRCLED_ITEM = re.compile(r"^([\u2460-\u2473])\s*")
_SENTENCE_PUNCT = re.compile(r"[。;；!！?？:：]")
_CLAUSE_PUNCT = re.compile(r"[,，、;；:：]")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$")


class Kind(StrEnum):
    CHROME = "chrome"
    SECTION = "section"  # 一、 / 第一部分
    ITEM_ARABIC = "item-arabic"  # 1. / 1、
    ITEM_PAREN_CN = "item-paren-cn"  # （一）
    ITEM_PAREN_AR = "item-paren-ar"  # （1）
    ITEM_CIRCLED = "item-circled"  # ①
    HEADING = "heading"  # a short line without sentence punctuation
    DATE = "date"  # a signature date line
    PROSE = "prose"


ITEM_KINDS = (Kind.ITEM_ARABIC, Kind.ITEM_PAREN_CN, Kind.ITEM_PAREN_AR, Kind.ITEM_CIRCLED)


@dataclass(frozen=True)
class Line:
    index: int  # line number, 0-based
    start: int  # offset of the first non-space character
    end: int  # offset after the last non-space character
    text: str  # normalised text of [start, end)
    kind: Kind
    number: int | None  # the printed number of a section or item
    marker_end: int  # offset where the text after the number marker begins (== start when unnumbered)
    blank_before: bool  # an empty line separates it from the previous line


@dataclass(frozen=True)
class ChromePatterns:
    short_line_max: int
    short_line: re.Pattern[str]
    line_start: re.Pattern[str]
    whole_line: re.Pattern[str]

    def matches(self, text: str) -> bool:
        if self.line_start.match(text) or self.whole_line.fullmatch(text):
            return True
        return len(text) <= self.short_line_max and bool(self.short_line.search(text))


@cache
def chrome_patterns() -> ChromePatterns:
    data = json.loads(resources.files("kg.data").joinpath("boilerplate.json").read_text("utf-8"))
    return ChromePatterns(
        short_line_max=data["short_line_max"],
        short_line=re.compile("|".join(f"(?:{p})" for p in data["short_line"]), re.IGNORECASE),
        line_start=re.compile("|".join(f"(?:{p})" for p in data["line_start"]), re.IGNORECASE),
        whole_line=re.compile("|".join(f"(?:{p})" for p in data["whole_line"]), re.IGNORECASE),
    )


def split_lines(normalised: str, *, run_on: bool = False) -> list[Line]:
    """Non-empty lines with their offsets and kinds. With `run_on`, a line longer than RUN_ON_MIN is also cut
    before the section and item markers printed inside it (`run_on_breaks`), for documents whose line breaks
    were lost (a page copied as one paragraph)."""
    patterns = chrome_patterns()
    lines: list[Line] = []
    offset = 0
    blank = False
    for raw in normalised.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        stripped = content.strip()
        if not stripped:
            blank = True
            offset += len(raw)
            continue
        start = offset + (len(content) - len(content.lstrip()))
        cuts = run_on_breaks(stripped) if run_on and len(stripped) > RUN_ON_MIN else []
        for piece_start, piece_end in zip([0, *cuts], [*cuts, len(stripped)], strict=True):
            piece = stripped[piece_start:piece_end].rstrip()
            kind, number, marker = classify(piece, patterns)
            at = start + piece_start
            lines.append(Line(len(lines), at, at + len(piece), piece, kind, number, at + marker, blank))
            blank = False
        offset += len(raw)
    return lines


# A line this long is a run-on paragraph, not a heading or one work item's first line.
RUN_ON_MIN = 200
# In a run-on line, the first section (一、) is cut off what precedes it only this close to the start: a title.
RUN_ON_TITLE_MAX = 80
_INLINE_MARKER = re.compile(
    rf"(?:第[{_CN_DIGITS}]{{1,3}}(?:部分|章)|[{_CN_DIGITS}]{{1,3}}\s*、|\d{{1,3}}\s*[.、](?!\d)|[(][{_CN_DIGITS}]{{1,3}}[)]"
    r"|[(]\d{1,3}[)]|[\u2460-\u249b])"
)
SENTENCE_ENDS = "。;；!！?？"  # the marks that end a sentence (or a clause of a list), full- and half-width


def run_on_breaks(text: str) -> list[int]:
    """Offsets in a run-on line where a section or item starts: a marker after the end of a sentence or after
    a space; the first section (一、) after the title; and the first item after a section's heading (一、加强党建
    1.…, or 二、… 5. where a plan numbers its items on across sections), where no punctuation separates them."""
    cuts: list[int] = []
    last_kind: Kind | None = None  # of the last cut
    last_number: dict[Kind, int] = {}  # the number of the last item cut, by kind
    for match in _INLINE_MARKER.finditer(text):
        at = match.start()
        before = text[:at].rstrip()
        kind, number, _ = classify(text[at:])
        if kind not in (Kind.SECTION, *ITEM_KINDS) or at == 0:
            continue
        after_sentence = before.endswith(tuple(SENTENCE_ENDS)) or (before != text[:at] and bool(before))
        first_section = kind is Kind.SECTION and number == 1 and not cuts and at <= RUN_ON_TITLE_MAX
        after_heading = (
            kind in ITEM_KINDS
            and number in (1, last_number.get(kind, 0) + 1)
            and last_kind is Kind.SECTION
            and at - cuts[-1] <= HEADING_MAX + 5
            and not _SENTENCE_PUNCT.search(text[cuts[-1] : at])
        )
        if after_sentence or first_section or after_heading:
            cuts.append(at)
            last_kind = kind
            if kind in ITEM_KINDS and number is not None:
                last_number[kind] = number
    return cuts


def classify(text: str, patterns: ChromePatterns | None = None) -> tuple[Kind, int | None, int]:
    """The kind of one stripped, normalised line, its printed number and where its text starts."""
    patterns = patterns or chrome_patterns()
    for kind, pattern in (
        (Kind.SECTION, _SECTION),
        (Kind.ITEM_ARABIC, _ARABIC_ITEM),
        (Kind.ITEM_PAREN_CN, _PAREN_CN_ITEM),
        (Kind.ITEM_PAREN_AR, _PAREN_AR_ITEM),
        (Kind.ITEM_CIRCLED, _CIRCLED_ITEM),
    ):
        match = pattern.match(text)
        if match and match.end() < len(text):
            return kind, _number(next(g for g in match.groups() if g)), match.end()
    if patterns.matches(text):
        return Kind.CHROME, None, 0
    if _DATE_LINE.match(text):
        return Kind.DATE, None, 0
    if len(text) <= HEADING_MAX and not _SENTENCE_PUNCT.search(text) and not _CLAUSE_PUNCT.search(text):
        return Kind.HEADING, None, 0
    return Kind.PROSE, None, 0


def _number(token: str) -> int | None:
    if token.isascii() and token.isdigit():
        return int(token)
    if "\u2474" <= token <= "\u2487":  # ⑴…⒇
        return ord(token) - 0x2474 + 1
    if "\u2488" <= token <= "\u249b":  # ⒈…⒛
        return ord(token) - 0x2488 + 1
    if "\u2460" <= token <= "\u2473":
        return ord(token) - 0x2460 + 1
    try:
        return int(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError):  # a malformed numeral (十十、) numbers nothing
        return None


def first_sentence_end(text: str, start: int = 0) -> int:
    """Index of the first 。 at or after `start`, or -1."""
    return text.find("。", start)


def lead_sentence_length(text: str) -> int | None:
    """Length of the paragraph's lead sentence (学习贯彻全教会精神。), or None when it opens with prose."""
    end = first_sentence_end(text)
    if end <= 1 or end > LEAD_MAX:
        return None
    if _CLAUSE_PUNCT.search(text[:end]) or re.search(r"[!！?？]", text[:end]):
        return None
    return end


def is_signature(line: Line) -> bool:
    """A closing line that signs the document: the issuing office's name or the date."""
    return line.kind is Kind.DATE or (
        line.kind is Kind.HEADING and bool(re.search(r"(局|委员会|政府|办公室|厅)$", line.text))
    )
