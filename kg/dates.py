"""Stage: the plan year and the published date.

The plan year is the year the plan is for, not the year a website republished it: the title's year
(清远市2018年教育工作要点) first, then a year that opens the body's statement of the year's work
(2021年全区教育工作思路…, 2019年是…开局之年, 今年…), and only then the published year. The published date is the
issuing or posting date as printed: a labelled date in the page header (发布时间: 2018-04-06), a date stamped
"发布" (2019/6/12 18:57:19发布), or the signature date at the end (2019年1月22日).
"""

from __future__ import annotations

import re
from datetime import date

from kg.records import DocumentStructure, NormalisedDocument, PlanDates, Span

EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
HEADER_CHARS = 600  # the page header where labelled dates stand
FOOTER_CHARS = 400  # the signature block
BODY_YEAR_CHARS = 1500  # where the body states the year of the plan

_Y = r"((?:19|20)\d{2})"
_DATE = rf"{_Y}\s*(?:[-/.]\s*(\d{{1,2}})\s*[-/.]\s*(\d{{1,2}})|年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日)"
_LABELLED = re.compile(rf"(?:发布时间|发布日期|发文日期|成文日期|印发日期|日期|时间)\s*[:：]?\s*{_DATE}")
_STAMPED = re.compile(rf"{_DATE}(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s*发布")
_SIGNATURE = re.compile(rf"^\s*{_DATE}\s*(?=[\r\n]|\Z)", re.MULTILINE)
_TITLE_YEAR = re.compile(rf"{_Y}\s*(?:年度?|—|-)")
# A year that follows 到/至/截至 is a deadline (到2020年，…), not the plan's year.
_BODY_YEAR = re.compile(
    rf"(?<![到至止自从\d])\s*{_Y}\s*年(?:度)?\s*[,，]?\s*(?:是|(?:全市|全区|全县|全省|全州|全旗|全盟|我市|我区|我县|我省)?\s*(?:的)?\s*"
    r"(?:教育|全市教育|全区教育|全县教育)?\s*(?:工作|事业))"
)


def find_dates(doc: NormalisedDocument, structure: DocumentStructure) -> PlanDates:
    text = doc.text
    published, published_span = _published(text)
    year, year_span = _plan_year(text, structure)
    if year is None and published is not None:
        year, year_span = published.year, published_span
    return PlanDates(plan_year=year, plan_year_span=year_span, published=published, published_span=published_span)


def _plan_year(text: str, structure: DocumentStructure) -> tuple[int | None, Span | None]:
    if structure.title is not None:
        match = _TITLE_YEAR.search(text, structure.title.start, structure.title.end)
        if match and _plausible(int(match.group(1))):
            return int(match.group(1)), Span(match.start(1), match.end(1))
    start = structure.body_start
    # The latest year that opens a statement of the year's work: a plan often reviews last year first
    # (2020年，全区教育工作取得显著成绩 … 2021年全区教育工作的总体要求是…).
    found = [
        (int(match.group(1)), Span(match.start(1), match.end(1)))
        for match in _BODY_YEAR.finditer(text, start, min(len(text), start + BODY_YEAR_CHARS))
        if _plausible(int(match.group(1)))
    ]
    return max(found, key=lambda item: (item[0], -item[1].start)) if found else (None, None)


def _published(text: str) -> tuple[date | None, Span | None]:
    header = text[:HEADER_CHARS]
    for pattern in (_LABELLED, _STAMPED):
        match = pattern.search(header)
        if match and (found := _to_date(match)):
            return found, _date_span(match)
    footer_start = max(0, len(text) - FOOTER_CHARS)
    for match in reversed(list(_SIGNATURE.finditer(text, footer_start))):
        if found := _to_date(match):
            return found, _date_span(match)
    return None, None


def _to_date(match: re.Match[str]) -> date | None:
    year, m1, d1, m2, d2 = match.groups()
    month, day = (m1, d1) if m1 else (m2, d2)
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if _plausible(found.year) else None


def _date_span(match: re.Match[str]) -> Span:
    groups = [i for i in range(1, 6) if match.group(i)]
    return Span(match.start(groups[0]), match.end(groups[-1]))


def _plausible(year: int) -> bool:
    return EARLIEST_YEAR <= year <= LATEST_YEAR
