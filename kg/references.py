"""Stage: policy references — every instrument the plan cites or commits to issue.

Tier A is every 《…》 title that names an instrument (nested 〈〉 kept, adjacent 《甲》《乙》 two, odd spacing
ignored); tier B the unbracketed named instruments found by `kg/tier_b.py`. Each gets a canonical title
(`kg/policy_names.py`), a relation from its governing verb (落实 → implements, 制定 → drafts), a scope from its
issuer (title prefix, an issuer named just before it, the catalogue, or — for a document the plan itself will
draft — the plan's own government), and an identity key: national instruments are one across the corpus, a
local one is keyed by its issuing government too (清远's 教育“十三五”规划 is not 王益区's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc

from kg.gazetteer import load_gazetteer
from kg.iris import digest
from kg.policy_names import CatalogueEntry, clean_title, lexicon, load_catalogue, title_key, without_year_range
from kg.records import (
    AdminLevel,
    DocumentStructure,
    GovernmentResolution,
    NormalisedDocument,
    PolicyMention,
    PolicyReferenceRecord,
    PolicyScope,
    Relation,
    Span,
    Tier,
)
from kg.structure import clean_label
from kg.tier_b import find_candidates, parse, relation_before

MAX_TITLE_CHARS = 120
_DRAFTED_AFTER = re.compile(r"^(?:的)?(?:修订|制定|编制|研制|起草|出台|修改)")
_COVER_NOTICE = re.compile(r"(?:印发|转发|颁布|发布)")
_LEVEL_SCOPE = {
    AdminLevel.PROVINCE: PolicyScope.PROVINCIAL,
    AdminLevel.CITY: PolicyScope.MUNICIPAL,
    AdminLevel.DISTRICT: PolicyScope.DISTRICT,
    AdminLevel.COUNTY: PolicyScope.DISTRICT,
}
_PREFIX_SCOPE = {
    "省": PolicyScope.PROVINCIAL,
    "市": PolicyScope.MUNICIPAL,
    "区": PolicyScope.DISTRICT,
    "县": PolicyScope.DISTRICT,
}


def extract_references(
    doc: NormalisedDocument, structure: DocumentStructure, government: GovernmentResolution
) -> tuple[PolicyReferenceRecord, ...]:
    text = doc.text
    tokens = parse(text)
    bracketed = list(_bracketed(text, tokens, structure))
    unbracketed = [
        PolicyMention(c.surface, c.name, Tier.B, _relation(text, tokens, c.surface, c.relation))
        for c in find_candidates(text, tokens, [m.surface for m in bracketed])
    ]
    mentions = sorted(bracketed + unbracketed, key=lambda m: m.surface.start)
    return tuple(_fold(text, mentions, structure, government, doc.source.doc_id))


# --- tier A ------------------------------------------------------------------------------------------------


def _bracketed(text: str, tokens: Doc, structure: DocumentStructure) -> Iterator[PolicyMention]:
    heads = re.compile(lexicon()["title_heads"])
    own_title = clean_label(structure.title.quote(text)) if structure.title else ""
    for surface in _bracket_spans(text):
        inner = Span(surface.start + 1, surface.end - 1)
        title = clean_title(inner.quote(text))
        if not title or not (heads.search(title) or load_catalogue().lookup(title)):
            continue
        if _is_the_plan_itself(surface, title, own_title, structure):
            continue
        relation = _relation(text, tokens, surface, relation_before(tokens, surface.start))
        yield PolicyMention(surface, inner, Tier.A, relation)
        # 《关于〈中小学德育工作指南〉的实施意见》 also cites the instrument it implements.
        for nested in re.finditer(r"〈([^〈〉]{2,80})〉", text[inner.start : inner.end]):
            title_span = Span(inner.start + nested.start(1), inner.start + nested.end(1))
            if heads.search(clean_title(title_span.quote(text))):
                outer = Span(title_span.start - 1, title_span.end + 1)
                yield PolicyMention(outer, title_span, Tier.A, Relation.IMPLEMENTS)


def _bracket_spans(text: str) -> Iterator[Span]:
    """Outermost 《…》 pairs. A 《 never closed (a line break or MAX_TITLE_CHARS passes first) is dropped, and the
    complete pairs found inside it count as outermost after all: one stray 《 does not swallow the titles after it."""
    opened: list[int] = []
    inner: list[Span] = []  # complete pairs met while an outer 《 is still open
    for i, ch in enumerate(text):
        if opened and (ch == "\n" or i - opened[0] > MAX_TITLE_CHARS):
            yield from sorted(inner)
            opened.clear()
            inner.clear()
        if ch == "《":
            opened.append(i)
        elif ch == "》" and opened:
            start = opened.pop()
            if opened:
                inner.append(Span(start, i + 1))
            else:
                inner.clear()
                yield Span(start, i + 1)
    yield from sorted(inner)


def _is_the_plan_itself(surface: Span, title: str, own_title: str, structure: DocumentStructure) -> bool:
    """关于印发《2023年全市教育工作要点》的通知: the cover notice names the plan, which is not a citation."""
    in_title = structure.title is not None and structure.title.start <= surface.start < structure.title.end
    if in_title and _COVER_NOTICE.search(own_title):
        return True
    return bool(own_title) and title_key(title) == title_key(own_title)


def _relation(text: str, tokens: Doc, surface: Span, before: Relation) -> Relation:
    """推进《…条例》的修订工作: a drafting verb after the title outweighs the one before it."""
    return Relation.DRAFTS if _DRAFTED_AFTER.match(text[surface.end : surface.end + 6]) else before


# --- folding mentions into references ----------------------------------------------------------------------


def _fold(
    text: str,
    mentions: list[PolicyMention],
    structure: DocumentStructure,
    government: GovernmentResolution,
    doc_id: str,
) -> list[PolicyReferenceRecord]:
    """One reference per instrument per document, in order of first mention."""
    groups: dict[str, list[PolicyMention]] = {}
    canonical: dict[str, tuple[str, CatalogueEntry | None]] = {}
    for mention in mentions:
        printed = mention.title.quote(text)
        entry = load_catalogue().lookup(printed)
        name = entry.canonical if entry else clean_title(printed)
        key = title_key(name)
        groups.setdefault(key, []).append(mention)
        canonical.setdefault(key, (name, entry))
    records = []
    for key, group in groups.items():
        name, entry = canonical[key]
        first = group[0]
        scope, issuer = _scope(text, name, first, entry, government)
        records.append(
            PolicyReferenceRecord(
                key=_identity(key, scope, issuer, doc_id),
                canonical=name,
                mentions=tuple(group),
                tier=Tier.A if any(m.tier is Tier.A for m in group) else Tier.B,
                relation=first.relation,
                scope=scope,
                issuer=issuer,
                initiative=_initiative_of(first.surface, structure),
                derived_from=_derived_from(name) if scope is not PolicyScope.NATIONAL else None,
            )
        )
    return records


def national_policy_key(canonical: str) -> str:
    return digest(f"national|{title_key(canonical)}")


def _identity(key: str, scope: PolicyScope, issuer: str | None, doc_id: str) -> str:
    if scope is PolicyScope.NATIONAL:
        return digest(f"national|{key}")
    # A local instrument of an unknown government cannot be matched across documents: it stays the plan's own.
    return digest(f"{scope.value}|{issuer or 'document:' + doc_id}|{key}")


def _scope(
    text: str, name: str, mention: PolicyMention, entry: CatalogueEntry | None, government: GovernmentResolution
) -> tuple[PolicyScope, str | None]:
    if entry is not None:
        return PolicyScope.NATIONAL, None
    named = _named_issuer(name)
    if named is not None:
        return named
    if name[:1] in _PREFIX_SCOPE:
        scope = _PREFIX_SCOPE[name[:1]]
        return scope, _own_issuer(government, scope)
    marked = _issuer_marker(text, mention.surface.start)
    if marked is not None:
        return marked, None if marked is PolicyScope.NATIONAL else _own_issuer(government, marked)
    if _is_own_instrument(name, mention) and government.division is not None:
        return _LEVEL_SCOPE[government.division.level], government.division.adcode
    if mention.relation is Relation.DRAFTS and government.division is not None:
        scope = _LEVEL_SCOPE[government.division.level]
        return scope, government.division.adcode
    if mention.relation is Relation.DRAFTS:
        return PolicyScope.MUNICIPAL, None
    return PolicyScope.NATIONAL, None


def _is_own_instrument(name: str, mention: PolicyMention) -> bool:
    """Unprefixed names that are the plan's own all the same: a short programme label with no national
    counterpart (先锋工程, “暖心工程”, 教师读书工程), and the local five-year plan (教育“十三五”规划)."""
    words = lexicon()
    if re.match(words["period_plan_pattern"], name):
        return True
    short_label = mention.tier is Tier.B and name.endswith(tuple(words["short_heads"]))
    return short_label and len(name) <= words["local_label_max_chars"]


def _named_issuer(name: str) -> tuple[PolicyScope, str] | None:
    """A title that opens with a place (湖南省…, 长沙教育现代化2035, 唐山市…) is that place's instrument."""
    gazetteer = load_gazetteer()
    for hit in gazetteer.find_names(name, 0, min(len(name), 12)):
        if hit.span.start != 0 or not hit.divisions or len(hit.divisions) != 1:
            continue
        division = gazetteer.division(hit.divisions[0])
        return _LEVEL_SCOPE[division.level], division.adcode
    return None


def _own_issuer(government: GovernmentResolution, scope: PolicyScope) -> str | None:
    """The adcode of the plan's own government at the level of `scope` (市… in a district plan is its city)."""
    for division in government.chain:
        if _LEVEL_SCOPE[division.level] is scope:
            return division.adcode
    return None


def _issuer_marker(text: str, start: int) -> PolicyScope | None:
    """市委、市政府印发的《…》, 省教育厅等九部门下发的…: an issuer named just before the title."""
    window = text[max(0, start - lexicon()["issuer_window"]) : start]
    best: tuple[int, PolicyScope] | None = None
    for scope, markers in lexicon()["issuer_markers"].items():
        for marker in markers:
            at = window.rfind(marker)
            if at < 0:
                continue
            tail = window[at + len(marker) :]
            if re.search(r"[,,。;;::!?]", tail):
                continue
            if best is None or at + len(marker) > best[0]:
                best = (at + len(marker), PolicyScope(scope))
    return best[1] if best else None


def _derived_from(name: str) -> str | None:
    """长沙教育现代化2035 → 中国教育现代化2035: the national instrument a local title localises."""
    gazetteer = load_gazetteer()
    stripped = name
    for hit in reversed(gazetteer.find_names(name)):
        if hit.divisions:
            stripped = stripped[: hit.span.start] + stripped[hit.span.end :]
    if stripped[:1] in _PREFIX_SCOPE:
        stripped = stripped[1:]
    if stripped == name and name[:1] not in _PREFIX_SCOPE:
        return None
    entry = load_catalogue().lookup(without_year_range(stripped))
    return entry.canonical if entry else None


def _initiative_of(span: Span, structure: DocumentStructure) -> int | None:
    for initiative in structure.initiatives:
        if initiative.body.start <= span.start < initiative.body.end:
            return initiative.position
    return None
