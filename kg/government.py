"""Extraction stage: the government that issued a plan, as a GB/T 2260 division.

    resolve_government(NormalisedDocument, DocumentStructure) -> GovernmentResolution

Three kinds of evidence, all matched on the normalised text so that spans point at the printed characters:

1. How the plan speaks of itself (全区, 我市, 县委, 区政府): the level it speaks for, as the last character of
   its government's name; and whether it speaks of counties under it (各县(市、区)), which rules out a
   county-level city that also says 全市 (`kg/government_evidence.py`).
2. Divisions it names, weighted by where: the title, an issuing department (长沙市教育局), or the body. The best
   named division whose name fits the self-reference wins; same-name divisions (朝阳区 in Beijing and in
   Changchun) are told apart by mentions of their parents and by towns that lie in them.
3. When no named division fits (a plan that only says 全区), towns and streets (黄堡镇, 王家河, 红旗街) and
   province abbreviations (来陕考察). Each town name counts 1/(number of counties that have it); a county
   needs two distinct names that agree and a clear lead, else the common city (to which counties named in
   the body also point), else the province. No such evidence: unresolved, never a guess.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kg.gazetteer import Gazetteer, NameHit, load_gazetteer
from kg.government_evidence import (
    Patterns,
    SelfReference,
    abbreviation_evidence,
    department_spans,
    dominant_suffix,
    load_patterns,
    self_references,
    source_values,
    speaks_for_counties,
    town_in_word,
)
from kg.records import (
    AdminLevel,
    Division,
    DocumentStructure,
    Evidence,
    GovernmentResolution,
    NormalisedDocument,
    Span,
)

# Weight of one mention of a division by where it stands; a title naming its issuer outweighs any body.
TITLE_WEIGHT = 5.0
ISSUING_WEIGHT = 4.0
BODY_WEIGHT = 1.0
WEAK_FACTOR = 0.5  # short forms (唐山) and two-character names (义县) inside ordinary phrases
# A division named only in the body needs this much weight, including one full-name mention.
BODY_ONLY_MINIMUM = 2.0
# Share of a parent's mentions (and of agreeing towns) credited to a division: enough to break ties between
# same-name divisions, too little to outvote the division's own mentions.
TIE_BREAK_SHARE = 0.1

# Inference from towns.
MIN_AGREEING_KEYS = 2
MARGIN = 2.0  # the best unit's score over the runner-up's
# Town score (before agreement bonuses) a unit needs: two names each shared by four counties are not enough.
MIN_TOWN_SCORE = 0.5
AGREEMENT_BONUS = 0.5  # a province abbreviation or a named parent that agrees
ABBREVIATION_WEIGHT = 1.0  # at province level an abbreviation is a piece of evidence in itself
LEVEL_MISFIT = 0.5  # a 县 when the plan says 全区: data vintages differ (崇礼县 became 崇礼区)


_COUNTY_LEVELS = (AdminLevel.COUNTY, AdminLevel.DISTRICT)


@dataclass(frozen=True)
class _Mention:
    hit: NameHit
    evidence: Evidence
    weight: float


def resolve_government(doc: NormalisedDocument, structure: DocumentStructure) -> GovernmentResolution:
    gazetteer = load_gazetteer()
    pats = load_patterns(gazetteer)
    text = doc.text
    hits = gazetteer.find_names(text)
    mentions = _mentions(text, hits, structure.title, pats)
    places = [h for h in hits if h.place_kind and not h.divisions and not town_in_word(text, h.span, pats)]
    references = self_references(text, structure.body_start, structure.title, pats)
    suffix = dominant_suffix(references)
    above_counties = speaks_for_counties(text, structure.body_start, pats)
    abbreviations = abbreviation_evidence(text, gazetteer, pats)
    body, body_span = _issuing_body(doc, structure, hits, pats)

    named, strong = _choose_named(gazetteer, mentions, places, suffix, above_counties)
    if named is None or not strong:
        # A division named only in the body may be a partner (对口帮扶XX县); towns that agree among
        # themselves but not with it win.
        inferred = _infer(gazetteer, places, abbreviations, mentions, suffix, above_counties)
        if inferred is not None and not (named and _related(gazetteer, named, inferred)):
            division = gazetteer.division(inferred)
            evidence = _agreeing(gazetteer, division, places, abbreviations, mentions)
            return _resolution(gazetteer, division, references, None, True, evidence, body, body_span)
    if named is None:
        # Nothing fits the self-reference: a title or issuer that names a division still beats nothing.
        named, _ = _choose_named(gazetteer, mentions, places, None, False, strong_only=True)
    if named is None:
        evidence = (
            tuple(r.evidence for r in references)
            + tuple(_place_evidence(h) for h in places)
            + tuple(e for e, _ in abbreviations)
            + tuple(m.evidence for m in mentions)
        )
        return GovernmentResolution(None, (), None, False, _sorted(evidence), body, body_span)
    chain = {d.adcode for d in gazetteer.chain(named)}
    surface = _surface([m for m in mentions if named in m.hit.divisions])
    evidence = tuple(m.evidence for m in mentions if chain & set(m.hit.divisions))
    return _resolution(gazetteer, gazetteer.division(named), references, surface, False, evidence, body, body_span)


def _related(gazetteer: Gazetteer, one: str, other: str) -> bool:
    return gazetteer.within(one, other) or gazetteer.within(other, one)


def _resolution(
    gazetteer: Gazetteer,
    division: Division,
    references: list[SelfReference],
    surface: Span | None,
    inferred: bool,
    evidence: tuple[Evidence, ...],
    body: str | None,
    body_span: Span | None,
) -> GovernmentResolution:
    # The self-references that agree with the division: 全区 and 区委 for 王益区, not 全省.
    evidence += tuple(r.evidence for r in references if division.name.endswith(r.suffix))
    chain = gazetteer.chain(division.adcode)
    return GovernmentResolution(division, chain, surface, inferred, _sorted(evidence), body, body_span)


def _sorted(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """Each distinct piece of evidence once, at its first occurrence: a name repeated 30 times is one piece."""
    first: dict[tuple[str, str], Evidence] = {}
    for item in sorted(set(evidence), key=lambda e: (e.span, e.kind)):
        first.setdefault((item.kind, item.key), item)
    return tuple(first.values())


# --- named divisions -----------------------------------------------------------------------------------------


def _mentions(text: str, hits: list[NameHit], title: Span | None, pats: Patterns) -> list[_Mention]:
    """Every hit that names a division, weighted by where it stands."""
    department_starts = {span.start for span in department_spans(text, 0, len(text), pats)}
    out = []
    for hit in hits:
        if not hit.divisions:
            continue
        in_title = title is not None and title.start <= hit.span.start < title.end
        issuing = hit.span.end in department_starts
        weight = (TITLE_WEIGHT if in_title else 0.0) + (ISSUING_WEIGHT if issuing else 0.0)
        if not weight:
            weight = BODY_WEIGHT * (WEAK_FACTOR if hit.weak else 1.0)
        kind = "issuing-body" if issuing else "title" if in_title else "body-mention"
        out.append(_Mention(hit, Evidence(hit.span, kind, hit.key), weight))
    return out


def _fits(division: Division, suffix: str | None) -> bool:
    """全市 fits 清远市, 昆山市 and 北京市; 全区 fits 王益区 and 广西壮族自治区."""
    return suffix is None or division.name.endswith(suffix)


def _choose_named(
    gazetteer: Gazetteer,
    mentions: list[_Mention],
    places: list[NameHit],
    suffix: str | None,
    above_counties: bool,
    strong_only: bool = False,
) -> tuple[str | None, bool]:
    """The best named division that fits `suffix`, and whether a title or issuer names it.

    `above_counties`: the plan speaks of its counties, so no county-level division is its government."""
    score: dict[str, float] = defaultdict(float)
    strong: set[str] = set()
    full_in_body: set[str] = set()
    for mention in mentions:
        for code in mention.hit.divisions:
            score[code] += mention.weight
            if mention.evidence.kind != "body-mention":
                strong.add(code)
            elif not mention.hit.weak:
                full_in_body.add(code)
    # Named only in the body: only when the plan's self-reference says which level to look for, since a
    # plan that never says 全市 may well be naming someone else (北京市海淀区某校来访).
    body_only = not strong_only and suffix is not None
    eligible = [
        code
        for code in score
        if (code in strong or (body_only and code in full_in_body and score[code] >= BODY_ONLY_MINIMUM))
        and _fits(gazetteer.division(code), suffix)
        and not (above_counties and gazetteer.division(code).level in _COUNTY_LEVELS)
    ]

    def total(code: str) -> float:
        parents = sum(score.get(d.adcode, 0.0) for d in gazetteer.chain(code)[1:])
        towns = len({h.key for h in places if any(gazetteer.within(c, code) for c in h.places)})
        return score[code] + TIE_BREAK_SHARE * (parents + towns)

    ranked = sorted(((total(code), code) for code in eligible), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None, False  # nothing fits, or same-name divisions that nothing tells apart
    return ranked[0][1], ranked[0][1] in strong


def _surface(mentions: list[_Mention]) -> Span | None:
    """Where the text names the government: the title first, then an issuer, then a full name in the body."""
    order = {"title": 0, "issuing-body": 1, "body-mention": 2}
    ranked = sorted(mentions, key=lambda m: (order[m.evidence.kind], m.hit.weak, m.hit.span))
    return ranked[0].hit.span if ranked else None


# --- inference from towns ------------------------------------------------------------------------------------


def _levels(suffix: str | None, above_counties: bool) -> tuple[AdminLevel, ...]:
    """Levels to try, most specific first, for a plan that speaks for a division ending in `suffix`."""
    if suffix == "省":
        return (AdminLevel.PROVINCE,)
    if suffix in ("州", "盟") or above_counties:
        return (AdminLevel.CITY, AdminLevel.PROVINCE)
    return (AdminLevel.COUNTY, AdminLevel.CITY, AdminLevel.PROVINCE)


def _unit(gazetteer: Gazetteer, county: str, level: AdminLevel) -> str | None:
    chain = gazetteer.chain(county)
    if level is AdminLevel.COUNTY:
        return county
    if level is AdminLevel.PROVINCE:
        return chain[-1].adcode
    return next((d.adcode for d in chain if d.level is AdminLevel.CITY), None)


def _infer(
    gazetteer: Gazetteer,
    places: list[NameHit],
    abbreviations: list[tuple[Evidence, str]],
    mentions: list[_Mention],
    suffix: str | None,
    above_counties: bool,
) -> str | None:
    counties_of = {h.key: h.places for h in places}
    # Counties the body names (清城区、英德市、佛冈县) point at their common city, never at one of them.
    named_counties = {
        m.hit.key: tuple(c for c in m.hit.divisions if gazetteer.division(c).level in _COUNTY_LEVELS)
        for m in mentions
        if m.evidence.kind == "body-mention" and not m.hit.weak
    }
    named_counties = {key: codes for key, codes in named_counties.items() if codes and key not in counties_of}
    abbreviated = {code for _, code in abbreviations}
    named = {code for m in mentions for code in m.hit.divisions}
    for level in _levels(suffix, above_counties):
        shares: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        keys = counties_of if level is AdminLevel.COUNTY else counties_of | named_counties
        for key, counties in keys.items():
            for county in counties:
                unit = _unit(gazetteer, county, level)
                if unit is not None:
                    shares[unit][key] += 1 / len(counties)
        if level is AdminLevel.PROVINCE:
            for code in abbreviated:
                shares[code]["\0abbreviation"] += ABBREVIATION_WEIGHT
        scored = []
        for unit, by_key in shares.items():
            division = gazetteer.division(unit)
            if level is AdminLevel.COUNTY and suffix == "市" and not division.name.endswith("市"):
                continue  # a city plan: towns in one county do not make it that county's
            pieces = len(by_key)
            if pieces < MIN_AGREEING_KEYS and "\0abbreviation" not in by_key:
                continue
            score = sum(by_key.values())
            if score < MIN_TOWN_SCORE:
                continue
            if level is AdminLevel.COUNTY and suffix in ("区", "县", "旗") and not division.name.endswith(suffix):
                score *= LEVEL_MISFIT
            chain = {d.adcode for d in gazetteer.chain(unit)}
            if chain & abbreviated and level is not AdminLevel.PROVINCE:
                score += AGREEMENT_BONUS
            if any(code in chain or gazetteer.within(code, unit) for code in named):
                score += AGREEMENT_BONUS
            scored.append((score, unit))
        scored.sort(reverse=True)
        if scored and (len(scored) == 1 or scored[0][0] >= MARGIN * scored[1][0]):
            return scored[0][1]
    return None


def _place_evidence(hit: NameHit) -> Evidence:
    return Evidence(hit.span, hit.place_kind or "town", hit.key)


def _agreeing(
    gazetteer: Gazetteer,
    division: Division,
    places: list[NameHit],
    abbreviations: list[tuple[Evidence, str]],
    mentions: list[_Mention],
) -> tuple[Evidence, ...]:
    """The evidence that points at `division`: its towns, its province's abbreviation, named relatives."""
    chain = {d.adcode for d in gazetteer.chain(division.adcode)}
    out = [_place_evidence(h) for h in places if any(gazetteer.within(c, division.adcode) for c in h.places)]
    out += [e for e, code in abbreviations if code in chain]
    out += [
        Evidence(m.hit.span, "place-name", m.hit.key)
        for m in mentions
        if any(code in chain or gazetteer.within(code, division.adcode) for code in m.hit.divisions)
    ]
    return tuple(out)


# --- the issuing department ----------------------------------------------------------------------------------


def _issuing_body(
    doc: NormalisedDocument, structure: DocumentStructure, hits: list[NameHit], pats: Patterns
) -> tuple[str | None, Span | None]:
    """The department as printed when the title, the header or a 来源: line names it (长沙市教育局)."""
    text = doc.text
    regions = [structure.title] if structure.title is not None else []
    if structure.body_start > 0:
        regions.append(Span(0, structure.body_start))
    regions += source_values(text, pats)
    ends = {h.span.end: h.span.start for h in hits if h.divisions}
    for region in regions:
        for department in department_spans(text, region.start, region.end, pats):
            start = department.start
            while start in ends and ends[start] >= region.start:
                start = ends[start]  # 铜川市王益区教育局: every division name before it
            if start == department.start and start > region.start and pats.body_prefix.fullmatch(text[start - 1]):
                start -= 1  # 市教育局
            span = Span(start, department.end)
            return span.quote(doc.original), span
    return None, None
