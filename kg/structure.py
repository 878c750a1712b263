"""Stage 3: the document's structure — title, sections and initiatives (work items).

Work plans come in a handful of layouts, and one document keeps to one of them, so the layout is decided once
per document, in this order:
1. numbered items (`1.` / `1、`, else `（一）`, else `（1）`, else `①`) under `一、` sections;
2. unnumbered paragraphs that open with a short lead sentence (学习贯彻全教会精神。) under section headings,
   which may be `一、` lines or short heading lines, possibly split over two lines;
3. heading lines (bold in the original page) each followed by its prose;
4. an inline enumeration of the year's tasks (一是…；二是…；) inside a paragraph.
Page chrome, repeated abstracts and signature lines are never initiatives.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from kg.lines import (
    ITEM_KINDS,
    RUN_ON_MIN,
    Kind,
    Line,
    first_sentence_end,
    is_signature,
    lead_sentence_length,
    split_lines,
)
from kg.records import DocumentStructure, InitiativeRecord, NormalisedDocument, Section, Span

TITLE_MAX = 60  # a longer first line is already the body
TITLE_SEARCH = 6  # lines looked at for a title
MIN_ITEMS = 2  # numbered lines needed before numbering decides the layout
_TRUNCATED = re.compile(r"(\.\.\.|…+)$")
_INLINE_ENUM = re.compile(r"(?:^|(?<=[。;；,，:：]))([一二三四五六七八九十]{1,2})是")
_TRAILING = re.compile(r"[。;；,，\s]+$")


def segment(doc: NormalisedDocument) -> DocumentStructure:
    found = _segment(doc, split_lines(doc.text))
    if not found.initiatives and any(len(line) > RUN_ON_MIN for line in doc.text.splitlines()):
        # No work item at all, and paragraphs longer than any heading: the line breaks were probably lost, so
        # read the section and item markers inside the lines. Documents that have items keep their reading.
        run_on = _segment(doc, split_lines(doc.text, run_on=True))
        if run_on.initiatives:
            return run_on
    return found


def _segment(doc: NormalisedDocument, lines: list[Line]) -> DocumentStructure:
    boilerplate = _mark_repeats(lines)
    title, body = _title(lines, boilerplate)
    body = [line for line in body if line.index not in boilerplate and line.kind is not Kind.CHROME]
    body = _before_attachments(lines, body)
    sections, section_of = _sections(body)
    initiatives = _initiatives(body, section_of)
    chrome = [Span(line.start, line.end) for line in lines if line.kind is Kind.CHROME or line.index in boilerplate]
    return DocumentStructure(
        title=Span(title.start, title.end) if title else None,
        sections=tuple(sections),
        initiatives=tuple(initiatives),
        boilerplate=tuple(chrome),
        body_start=body[0].start if body else len(doc.text),
    )


def sentence_span(text: str, span: Span) -> Span:
    """The sentence around `span`: from after the previous 。！？ or line break to the next one, inclusive."""
    start = span.start
    while start > 0 and text[start - 1] not in "。!?！？\n\r":
        start -= 1
    end = span.end
    while end < len(text) and text[end - 1 : end] not in ("。", "!", "?", "！", "？") and text[end] not in "\r\n":
        end += 1
    while start < end and text[start].isspace():
        start += 1
    return Span(start, max(end, span.end))


_ATTACHMENTS = re.compile(r"^附件\s*\d*\s*[:：]?\s*$|^附件\s*\d*\s*[:：]")


def _before_attachments(lines: list[Line], body: list[Line]) -> list[Line]:
    """附件：1.学校名单 2.任务分工表 — attachments after the plan are not its work items."""
    first = body[0].index if body else 0
    cut = next((line.index for line in lines if line.index > first and _ATTACHMENTS.match(line.text)), None)
    return body if cut is None else [line for line in body if line.index < cut]


def clean_label(text: str) -> str:
    """A label from a span's quote: line breaks inside a heading or title removed, nothing else touched."""
    return re.sub(r"\s*\n\s*", "", text).strip()


# --- title and boilerplate ---------------------------------------------------------------------------------


def _mark_repeats(lines: list[Line]) -> set[int]:
    """Indices of repeated-abstract lines: truncated summaries ending in …, and paragraphs repeated later."""
    first_heading = next((line.index for line in lines if line.kind is Kind.SECTION), len(lines))
    prose = [line for line in lines if line.kind in (Kind.PROSE, Kind.HEADING)]
    repeats: set[int] = set()
    for i, line in enumerate(prose):
        if line.index >= first_heading:
            break
        if _TRUNCATED.search(line.text) and len(line.text) >= 40:
            repeats.add(line.index)
            continue
        stem = _TRAILING.sub("", line.text)
        if len(stem) >= 20 and any(later.text.startswith(stem) for later in prose[i + 1 :]):
            repeats.add(line.index)
    return repeats


def _title(lines: list[Line], boilerplate: set[int]) -> tuple[Line | None, list[Line]]:
    """The first line that reads as a title (short, not an item, not a sentence), and the lines after it."""
    candidates = [line for line in lines if line.kind is not Kind.CHROME and line.index not in boilerplate]
    for position, line in enumerate(candidates[:TITLE_SEARCH]):
        if line.kind in (Kind.SECTION, *ITEM_KINDS) or len(line.text) > TITLE_MAX:
            break
        if line.kind is Kind.DATE:
            continue
        if line.text.endswith("。"):
            break
        rest = [other for other in candidates[position + 1 :] if other.text != line.text]
        return line, rest
    return None, candidates


# --- sections ----------------------------------------------------------------------------------------------


def _sections(body: list[Line]) -> tuple[list[Section], dict[int, int]]:
    """Section headings and, for every body line, the position of the section it stands under."""
    numbered = [line for line in body if line.kind is Kind.SECTION]
    # first and last line of each heading
    heads = [(line, line) for line in numbered] if numbered else _heading_blocks(body)
    sections: list[Section] = []
    section_of: dict[int, int] = {}
    starts = {first.index: (first, last) for first, last in heads}
    current: int | None = None
    for line in body:
        if line.index in starts:
            first, last = starts[line.index]
            end = _heading_end(first, last)
            current = len(sections) + 1
            sections.append(Section(position=current, heading=Span(first.start, end), number=first.number))
        if current is not None:
            section_of[line.index] = current
    return sections, section_of


def _heading_end(first: Line, last: Line) -> int:
    """A numbered heading line may run on into introductory prose: the heading is its first sentence."""
    if first is last:
        stop = first_sentence_end(first.text)
        return first.start + stop if stop > 0 else first.end
    return last.end


def _heading_blocks(body: list[Line]) -> list[tuple[Line, Line]]:
    """Runs of one or two heading lines (a heading split over two lines) followed directly by prose."""
    blocks: list[tuple[Line, Line]] = []
    i = 0
    while i < len(body):
        line = body[i]
        if line.kind is Kind.HEADING and not is_signature(line):
            last = line
            if i + 1 < len(body) and body[i + 1].kind is Kind.HEADING and not body[i + 1].blank_before:
                last = body[i + 1]
                i += 1
            follower = body[i + 1] if i + 1 < len(body) else None
            if follower is not None and follower.kind is Kind.PROSE:
                blocks.append((line, last))
        i += 1
    return blocks


# --- initiatives -------------------------------------------------------------------------------------------


def _initiatives(body: list[Line], section_of: dict[int, int]) -> list[InitiativeRecord]:
    counts = Counter(line.kind for line in body)
    for kind in ITEM_KINDS:
        if counts[kind] >= MIN_ITEMS:
            return _numbered(body, section_of, kind)
    lead = _lead_paragraphs(body, section_of)
    if len(lead) >= MIN_ITEMS:
        return lead
    headed = _headed_paragraphs(body, section_of)
    if len(headed) >= MIN_ITEMS:
        return headed
    return _inline_enumeration(body, section_of)


def _numbered(body: list[Line], section_of: dict[int, int], kind: Kind) -> list[InitiativeRecord]:
    """Numbered items; unnumbered prose after an item continues it until the next item or heading."""
    groups: list[list[Line]] = []
    for line in body:
        if line.kind is kind:
            groups.append([line])
        elif groups and _continues(line, kind):
            groups[-1].append(line)
        elif groups and line.kind in (Kind.SECTION, Kind.HEADING, Kind.DATE):
            groups.append([])  # a heading or signature closes the open item
    return _records((group for group in groups if group), section_of, numbered=True)


def _continues(line: Line, item_kind: Kind) -> bool:
    if line.kind is Kind.PROSE:
        return True
    # deeper numbering inside an item ((1) under 1.) belongs to the item
    return line.kind in ITEM_KINDS and ITEM_KINDS.index(line.kind) > ITEM_KINDS.index(item_kind)


def _lead_paragraphs(body: list[Line], section_of: dict[int, int]) -> list[InitiativeRecord]:
    """Paragraphs opening with a short lead sentence, within sections; other prose continues the open one."""
    groups: list[list[Line]] = []
    for line in body:
        # Under sections, only what stands in one (the preamble's 2019年是…之年。 is no work item).
        if section_of and line.index not in section_of:
            continue
        if line.kind is Kind.PROSE and lead_sentence_length(line.text) is not None:
            groups.append([line])
        elif groups and groups[-1] and line.kind is Kind.PROSE and _same_section(groups[-1][-1], line, section_of):
            groups[-1].append(line)
        elif groups:
            groups.append([])
    return _records((group for group in groups if group), section_of, numbered=False)


def _headed_paragraphs(body: list[Line], section_of: dict[int, int]) -> list[InitiativeRecord]:
    """A heading line followed by prose: the heading is the title, heading and prose the body."""
    groups: list[list[Line]] = []
    for line in body:
        if line.kind is Kind.HEADING and not is_signature(line):
            groups.append([line])
        elif groups and groups[-1] and line.kind is Kind.PROSE:
            groups[-1].append(line)
        elif groups:
            groups.append([])
    return _records((g for g in groups if len(g) > 1), section_of, numbered=False, title_is_first_line=True)


def _same_section(a: Line, b: Line, section_of: dict[int, int]) -> bool:
    return section_of.get(a.index) == section_of.get(b.index)


def _records(
    groups: Iterable[list[Line]],
    section_of: dict[int, int],
    *,
    numbered: bool,
    title_is_first_line: bool = False,
) -> list[InitiativeRecord]:
    records: list[InitiativeRecord] = []
    for group in groups:
        head = group[0]
        title = Span(head.start, head.end) if title_is_first_line else _title_span(head)
        if title.end <= title.start:
            continue
        records.append(
            InitiativeRecord(
                position=len(records) + 1,
                number=head.number if numbered else None,
                section=section_of.get(head.index),
                title=title,
                body=Span(head.start, group[-1].end),
            )
        )
    return records


def _title_span(head: Line) -> Span:
    """The item's first sentence, up to the first 。 (without it); failing that, up to ；, else the line."""
    text_start = head.marker_end - head.start
    stop = first_sentence_end(head.text, text_start)
    if stop < 0:
        semicolon = re.search(r"[;；]", head.text[text_start:])
        stop = text_start + semicolon.start() if semicolon else len(head.text)
    return Span(head.marker_end, head.start + stop)


def _inline_enumeration(body: list[Line], section_of: dict[int, int]) -> list[InitiativeRecord]:
    """一是…；二是…；: one initiative per item, numbered by position, title up to the first ；or 。."""
    records: list[InitiativeRecord] = []
    for line in body:
        markers = list(_INLINE_ENUM.finditer(line.text))
        if len(markers) < MIN_ITEMS:
            continue
        for i, marker in enumerate(markers):
            end = markers[i + 1].start() if i + 1 < len(markers) else len(line.text)
            item = line.text[marker.end() : end]
            stop = re.search(r"[;；。]", item)
            title_end = marker.end() + (stop.start() if stop else len(_TRAILING.sub("", item)))
            records.append(
                InitiativeRecord(
                    position=len(records) + 1,
                    number=len(records) + 1,
                    section=section_of.get(line.index),
                    title=Span(line.start + marker.end(), line.start + title_end),
                    body=Span(line.start + marker.start(), line.start + len(_TRAILING.sub("", line.text[:end]))),
                )
            )
    return records
