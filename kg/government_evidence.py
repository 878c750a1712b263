"""Evidence about a plan's government that is not a gazetteer name: how the plan refers to itself (全区, 市委),
province abbreviations in safe contexts (来陕考察), and education departments (教育局, 教体局).

All patterns live in `data/government_patterns.json`; this module compiles them and reports matches as
`Evidence` on the normalised text. `kg/government.py` weighs them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.errors import KgError
from kg.gazetteer import Gazetteer
from kg.records import Evidence, Span

PATTERNS_FILE = Path(__file__).parent / "data" / "government_patterns.json"

# The dominant self-reference must outweigh the next by this factor; a district plan says 全市 now and then
# (全市教育大会), a city plan 全省.
DOMINANCE = 1.5
MIN_SELF_REFERENCE = 2.0


@dataclass(frozen=True)
class SelfReference:
    evidence: Evidence
    suffix: str  # 市 区 县 旗 州 盟 省: the last character of the division's name
    weight: float


@dataclass(frozen=True)
class Patterns:
    self_reference: tuple[tuple[re.Pattern[str], str, float], ...]
    department: re.Pattern[str]
    source_line: re.Pattern[str]
    body_prefix: re.Pattern[str]
    abbreviation: tuple[re.Pattern[str], ...]
    town_false_next: dict[str, re.Pattern[str]]
    subordinate: re.Pattern[str]
    subordinate_minimum: int


@cache
def patterns(abbreviations: tuple[str, ...]) -> Patterns:
    """Compile the pattern file, with `{abbr}` bound to the given abbreviation characters."""
    try:
        data = json.loads(PATTERNS_FILE.read_text(encoding="utf-8"))
        self_reference = tuple(
            (re.compile(entry["pattern"].replace("{s}", suffix)), suffix, float(entry["weight"]))
            for entry in data["self_reference"]
            for suffix in data["self_reference_suffixes"]
        )
        abbreviation = tuple(
            re.compile(entry["pattern"].replace("{abbr}", _char_class(set(abbreviations) - set(entry["exclude"]))))
            for entry in data["province_abbreviation"]
        )
        return Patterns(
            self_reference=self_reference,
            department=re.compile(data["issuing_body"]),
            source_line=re.compile(data["source_line"]),
            body_prefix=re.compile(data["body_prefix"]),
            abbreviation=abbreviation,
            town_false_next={end: re.compile(p) for end, p in data["town_false_next"].items()},
            subordinate=re.compile(data["subordinate_counties"]),
            subordinate_minimum=int(data["subordinate_minimum"]),
        )
    except (KeyError, re.error, json.JSONDecodeError) as error:
        raise KgError(f"{PATTERNS_FILE}: {error}; fix the pattern file") from error


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(sorted(re.escape(c) for c in chars)) + "]"


def load_patterns(gazetteer: Gazetteer) -> Patterns:
    return patterns(tuple(sorted(gazetteer.abbreviations)))


def self_references(text: str, start: int, skip: Span | None, pats: Patterns) -> list[SelfReference]:
    """全区, 我市, 县委, 区政府 … in `text[start:]`, outside `skip` (the title)."""
    out = []
    for pattern, suffix, weight in pats.self_reference:
        for match in pattern.finditer(text, start):
            span = Span(match.start(), match.end())
            if skip is not None and skip.start <= span.start < skip.end:
                continue
            out.append(SelfReference(Evidence(span, "self-reference", match.group()), suffix, weight))
    out.sort(key=lambda r: r.evidence.span)
    return out


def dominant_suffix(references: list[SelfReference]) -> str | None:
    """The level the plan speaks for, as the suffix of its name; None when no suffix clearly dominates."""
    tally: Counter[str] = Counter()
    for ref in references:
        tally[ref.suffix] += ref.weight
    ranked = tally.most_common(2)
    if not ranked or ranked[0][1] < MIN_SELF_REFERENCE:
        return None
    if len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]:
        return None
    return ranked[0][0]


def speaks_for_counties(text: str, start: int, pats: Patterns) -> bool:
    """True when the body speaks of the counties under the plan's government (各县(市、区)): a prefecture or
    a province, not a county-level city, even when it says 全市."""
    return sum(1 for _ in pats.subordinate.finditer(text, start)) >= pats.subordinate_minimum


def abbreviation_evidence(text: str, gazetteer: Gazetteer, pats: Patterns) -> list[tuple[Evidence, str]]:
    """(evidence, province adcode) for each abbreviation in a safe context; the key is the whole phrase."""
    out = []
    for pattern in pats.abbreviation:
        for match in pattern.finditer(text):
            span = Span(match.start(), match.end())
            out.append(
                (Evidence(span, "province-abbreviation", match.group()), gazetteer.abbreviations[match.group(1)])
            )
    out.sort(key=lambda pair: pair[0].span)
    return out


def department_spans(text: str, start: int, end: int, pats: Patterns) -> list[Span]:
    """Education departments (教育局, 教育科技体育局, 教体局 …) named in `text[start:end]`."""
    return [Span(m.start(), m.end()) for m in pats.department.finditer(text, start, end)]


def source_values(text: str, pats: Patterns) -> list[Span]:
    """The values of 来源: / 发布机构: header lines."""
    return [Span(m.start("value"), m.end("value")) for m in pats.source_line.finditer(text)]


def town_in_word(text: str, span: Span, pats: Patterns) -> bool:
    """True when a town name is the start of an ordinary word: 振兴乡 in 振兴乡村, 某乡 in 乡镇."""
    follow = pats.town_false_next.get(text[span.end - 1])
    return bool(follow and follow.match(text, span.end))
