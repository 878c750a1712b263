"""Plain records passed between pipeline stages.

Each stage takes one of these and returns one; none of them knows about RDF. `kg/rdf_mapping.py` is the only
place that turns records into triples.

Offsets everywhere are Unicode code points into `SourceDocument.text`, the text as printed, half-open
`[start, end)`. The normalised text (simplified, half-width) is aligned one-to-one with it, so the same offsets
index both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def quote(self, text: str) -> str:
        return text[self.start : self.end]

    def shifted(self, offset: int) -> Span:
        return Span(self.start + offset, self.end + offset)


@dataclass(frozen=True)
class SourceDocument:
    """A decoded input file: the printed text and how it was obtained."""

    doc_id: str  # key used in IRIs and graph names
    name: str  # the file name as given (dcterms:source)
    path: Path | None
    sha256: str  # of the raw bytes
    byte_size: int
    media_type: str  # text/plain | text/html
    encoding: str  # utf-8 | utf-8-sig | gb18030 | big5
    encoding_method: str  # bom | strict-utf-8 | charset-normalizer | html-meta
    text: str  # printed text; for HTML the visible text


class Script(StrEnum):
    SIMPLIFIED = "simplified"
    TRADITIONAL = "traditional"
    MIXED = "mixed"


@dataclass(frozen=True)
class NormalisedDocument:
    """The printed text plus a simplified, half-width copy of the same length, used for matching."""

    source: SourceDocument
    text: str  # normalised; len(text) == len(source.text)
    script: Script

    @property
    def original(self) -> str:
        return self.source.text


@dataclass(frozen=True)
class Section:
    position: int  # 1-based order in the document
    heading: Span  # the heading as printed (first sentence of the heading line)
    number: int | None  # 一 → 1; None for unnumbered headings


@dataclass(frozen=True)
class InitiativeRecord:
    position: int  # 1-based order in the document
    number: int | None  # the printed item number
    section: int | None  # Section.position
    title: Span
    body: Span  # the whole item, number included


@dataclass(frozen=True)
class DocumentStructure:
    title: Span | None
    sections: tuple[Section, ...]
    initiatives: tuple[InitiativeRecord, ...]
    boilerplate: tuple[Span, ...]  # lines dropped as page chrome or repeated abstract
    body_start: int  # offset of the first non-boilerplate line after the title


@dataclass(frozen=True)
class PlanDates:
    plan_year: int | None
    plan_year_span: Span | None  # the characters that decided it
    published: date | None
    published_span: Span | None


class AdminLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    DISTRICT = "district"
    COUNTY = "county"


@dataclass(frozen=True)
class Division:
    """An administrative division with its GB/T 2260 code."""

    adcode: str  # six digits
    name: str  # 王益区
    level: AdminLevel
    parent: str | None  # adcode of the parent division; None for provinces
    full_name: str  # 陕西省铜川市王益区


@dataclass(frozen=True)
class Evidence:
    span: Span
    kind: (
        str  # title | body-mention | issuing-body | town | street | place-name | province-abbreviation | self-reference
    )
    key: str  # the normalised name that matched


@dataclass(frozen=True)
class GovernmentResolution:
    division: Division | None  # None: unresolved
    chain: tuple[Division, ...]  # the division, then its parents up to the province
    surface: Span | None  # where the text names it, when it does
    inferred: bool  # True when never named and inferred from evidence
    evidence: tuple[Evidence, ...]
    body: str | None  # issuing department as printed (长沙市教育局, 教育科技體育局)
    body_span: Span | None


class Tier(StrEnum):
    A = "A"  # a title in 《》
    B = "B"  # an unbracketed named instrument


class Relation(StrEnum):
    IMPLEMENTS = "implements"
    DRAFTS = "drafts"


class PolicyScope(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    DISTRICT = "district"


@dataclass(frozen=True)
class PolicyMention:
    """One place where the text names an instrument."""

    surface: Span  # as printed, with its 《》 or “” when bracketed
    title: Span  # the name inside the brackets
    tier: Tier
    relation: Relation


@dataclass(frozen=True)
class PolicyReferenceRecord:
    """A document's citation of one instrument (all its mentions folded into one)."""

    key: str  # identity of the cited instrument across documents
    canonical: str  # simplified title, full official form where known
    mentions: tuple[PolicyMention, ...]  # in text order; the first is the reference's surface
    tier: Tier
    relation: Relation
    scope: PolicyScope
    issuer: str | None  # adcode of the issuing government of a local instrument
    initiative: int | None  # InitiativeRecord.position of the first mention
    derived_from: str | None  # canonical of the national instrument a local one localises

    @property
    def surface(self) -> Span:
        return self.mentions[0].surface


class Comparator(StrEnum):
    AT_LEAST = ">="
    AT_MOST = "<="
    EXACTLY = "="


@dataclass(frozen=True)
class TargetRecord:
    """One quantified commitment: a number with its unit, what it measures, how and by when."""

    initiative: int  # InitiativeRecord.position
    clause: Span  # the shortest clause stating it (kg:statement)
    quantity: Span  # the number and its unit as printed
    value: Decimal
    value_max: Decimal | None  # upper end of a range
    unit: str
    comparator: Comparator
    deadline: int | None
    indicator: str | None  # the measured noun phrase, from the printed text
    measures: str | None  # IRI of the indicator concept it measures


@dataclass(frozen=True)
class DocumentRecord:
    """Everything extracted from one document; the input to RDF mapping."""

    source: SourceDocument
    normalised: NormalisedDocument
    structure: DocumentStructure
    dates: PlanDates
    government: GovernmentResolution
    references: tuple[PolicyReferenceRecord, ...] = ()
    targets: tuple[TargetRecord, ...] = ()
    topics: dict[int, tuple[str, ...]] = field(default_factory=dict)  # initiative position -> topic concept IRIs
