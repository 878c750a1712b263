"""The ontology and the SHACL shapes, checked with real pySHACL.

A small valid graph (one plan, a province → city chain, one section, initiative, target, policy reference and
policy, every fact with its span) must conform. Each row of `MUTATIONS` changes one thing and names exactly the
shapes or SPARQL constraints that must fire, with their severity; a meta-test checks that every property shape
and SPARQL constraint in `kg/shapes/` is exercised by some row.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib.namespace
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS
from rdflib.plugins.stores.memory import Memory

from kg.namespaces import DEFAULT_BASE, KG, OA, ONTOLOGY_IRI, ORG, SH
from kg.validate import (
    KGSH,
    ValidationResult,
    load_shapes,
    merge_results,
    report_turtle,
    validate,
    validation_graph,
    write_report,
)
from kg.validate_scopes import corpus_view, shape_scopes, validate_corpus, validate_document

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "kg" / "ontology.ttl"
SHAPES = Namespace(KGSH)
BASE = Namespace(DEFAULT_BASE)
# pytest probes every module attribute (for `_mock_name`), and rdflib's open XSD namespace warns on unknown
# names; a plain Namespace over the same IRI does not.
XSD = Namespace(str(rdflib.namespace.XSD))

# ---------------------------------------------------------------------------------------------------------------
# The valid graph
# ---------------------------------------------------------------------------------------------------------------

DOC = "000_test"
TITLE = "清远市2018年教育工作要点"
HEADING = "一、突出引领,全面加强党的统一领导"
ITEM = "1.贯彻落实《民促法》,到2020年学前三年毛入园率达到95%以上。"
TEXT = f"{TITLE}\n{HEADING}\n{ITEM}\n"
POLICY_TITLE = "中华人民共和国民办教育促进法"
POLICY_KEY = hashlib.sha256(POLICY_TITLE.encode()).hexdigest()[:16]

SOURCE = BASE[f"source/{DOC}"]
PLAN = BASE[f"plan/{DOC}"]
BUILD = BASE["build/0123456789abcdef"]
PROVINCE = BASE["government/440000"]
CITY = BASE["government/441800"]
BODY = BASE["body/441800/0123456789ab"]
EVIDENCE = URIRef(f"{PLAN}/evidence/1")
SECTION = URIRef(f"{PLAN}/section/1")
INITIATIVE = URIRef(f"{PLAN}/initiative/1")
TARGET = URIRef(f"{INITIATIVE}/target/1")
REFERENCE = URIRef(f"{PLAN}/reference/{POLICY_KEY}")
POLICY = BASE[f"policy/{POLICY_KEY}"]
OTHER_PLAN = BASE["plan/001_other"]


def span(fact: URIRef) -> URIRef:
    return URIRef(f"{fact}/span")


def position(fact: URIRef) -> URIRef:
    return URIRef(f"{fact}/span/position")


def quote(fact: URIRef) -> URIRef:
    return URIRef(f"{fact}/span/quote")


def nonneg(n: int) -> Literal:
    return Literal(n, datatype=XSD.nonNegativeInteger)


def zh(text: str) -> Literal:
    return Literal(text, lang="zh-Hans")


def add_span(g: Graph, fact: URIRef, text: str, exact: str, source: URIRef = SOURCE) -> None:
    start = text.index(exact)
    g.add((fact, KG.hasSpan, span(fact)))
    g.add((span(fact), RDF.type, OA.SpecificResource))
    g.add((span(fact), RDF.type, KG.TextSpan))
    g.add((span(fact), OA.hasSource, source))
    g.add((span(fact), OA.hasSelector, position(fact)))
    g.add((span(fact), OA.hasSelector, quote(fact)))
    g.add((position(fact), RDF.type, OA.TextPositionSelector))
    g.add((position(fact), OA.start, nonneg(start)))
    g.add((position(fact), OA.end, nonneg(start + len(exact))))
    g.add((quote(fact), RDF.type, OA.TextQuoteSelector))
    g.add((quote(fact), OA.exact, Literal(exact)))


def add_government(g: Graph, adcode: str, level: URIRef, name: str, full_name: str, parent: URIRef | None) -> URIRef:
    gov = BASE[f"government/{adcode}"]
    g.add((gov, RDF.type, KG.Government))
    g.add((gov, RDFS.label, zh(name)))
    g.add((gov, KG.fullName, zh(full_name)))
    g.add((gov, KG.adcode, Literal(adcode)))
    g.add((gov, KG.adminLevel, level))
    if parent is not None:
        g.add((gov, KG.withinDivision, parent))
    return gov


def valid_graph(prefix: str = "") -> Graph:
    """One plan as docs/rdf-model.md describes it; `prefix` is put before the text (offsets follow)."""
    text = prefix + TEXT
    g = Graph()
    g.add((SOURCE, RDF.type, KG.SourceDocument))
    g.add((SOURCE, DCTERMS.identifier, Literal(DOC)))
    g.add((SOURCE, DCTERMS.source, Literal(f"{DOC}.txt")))
    g.add((SOURCE, DCTERMS.format, Literal("text/plain")))
    g.add((SOURCE, KG.sha256, Literal(hashlib.sha256(text.encode()).hexdigest())))
    g.add((SOURCE, KG.byteSize, Literal(len(text.encode()))))
    g.add((SOURCE, KG.encoding, Literal("utf-8")))
    g.add((SOURCE, KG.encodingMethod, Literal("strict-utf-8")))
    g.add((SOURCE, KG.script, Literal("simplified")))
    g.add((SOURCE, KG.text, Literal(text)))

    g.add((BUILD, RDF.type, PROV.Activity))
    g.add((BUILD, RDF.type, KG.BuildActivity))
    g.add((BUILD, KG.softwareVersion, Literal("0.1.0")))
    g.add((BUILD, KG.extractorVersion, Literal("1")))
    g.add((BUILD, PROV.used, SOURCE))

    add_government(g, "440000", KG.ProvinceLevel, "广东省", "广东省", None)
    add_government(g, "441800", KG.CityLevel, "清远市", "广东省清远市", PROVINCE)
    g.add((BODY, RDF.type, ORG.Organization))
    g.add((BODY, RDFS.label, zh("清远市教育局")))
    g.add((BODY, ORG.subOrganizationOf, CITY))

    g.add((PLAN, RDF.type, KG.WorkPlan))
    g.add((PLAN, DCTERMS.title, zh(TITLE)))
    g.add((PLAN, KG.planYear, Literal("2018", datatype=XSD.gYear)))
    g.add((PLAN, DCTERMS.issued, Literal("2018-04-06", datatype=XSD.date)))
    g.add((PLAN, DCTERMS.source, Literal(f"{DOC}.txt")))
    g.add((PLAN, KG.sourceDocument, SOURCE))
    g.add((PLAN, KG.issuedBy, CITY))
    g.add((PLAN, KG.issuingBody, BODY))
    g.add((PLAN, KG.governmentInferred, Literal(False)))
    g.add((PLAN, KG.governmentEvidence, EVIDENCE))
    g.add((PLAN, PROV.wasGeneratedBy, BUILD))
    g.add((PLAN, KG.initiativeCount, nonneg(1)))
    g.add((PLAN, KG.targetCount, nonneg(1)))
    g.add((PLAN, KG.referenceCount, nonneg(1)))
    add_span(g, PLAN, text, TITLE)

    g.add((EVIDENCE, RDF.type, KG.GovernmentEvidence))
    g.add((EVIDENCE, KG.evidenceKind, Literal("title")))
    g.add((EVIDENCE, RDFS.label, Literal("清远市")))
    add_span(g, EVIDENCE, text, "清远市")

    g.add((SECTION, RDF.type, KG.Section))
    g.add((SECTION, RDFS.label, Literal(HEADING)))
    g.add((SECTION, KG.position, Literal(1)))
    g.add((SECTION, KG.partOf, PLAN))
    add_span(g, SECTION, text, HEADING)

    g.add((INITIATIVE, RDF.type, KG.Initiative))
    g.add((INITIATIVE, KG.partOf, PLAN))
    g.add((INITIATIVE, RDFS.label, zh("贯彻落实《民促法》,到2020年学前三年毛入园率达到95%以上")))
    g.add((INITIATIVE, KG.normalizedLabel, zh("贯彻落实《民促法》,到2020年学前三年毛入园率达到95%以上")))
    g.add((INITIATIVE, KG.number, Literal(1)))
    g.add((INITIATIVE, KG.position, Literal(1)))
    g.add((INITIATIVE, KG.inSection, SECTION))
    g.add((INITIATIVE, KG.hasTarget, TARGET))
    g.add((INITIATIVE, KG.hasPolicyReference, REFERENCE))
    g.add((INITIATIVE, DCTERMS.subject, BASE["topic/preschool"]))
    add_span(g, INITIATIVE, text, ITEM)

    statement = "到2020年学前三年毛入园率达到95%以上"
    g.add((TARGET, RDF.type, KG.Target))
    g.add((TARGET, KG.inPlan, PLAN))
    g.add((TARGET, KG.indicator, zh("学前三年毛入园率")))
    g.add((TARGET, KG.measures, BASE["indicator/preschool-gross-enrolment"]))
    g.add((TARGET, KG.comparator, KG.AtLeast))
    g.add((TARGET, KG.value, Literal("95", datatype=XSD.decimal)))
    g.add((TARGET, KG.unit, Literal("%")))
    g.add((TARGET, KG.unitOfMeasure, URIRef("http://qudt.org/vocab/unit/PERCENT")))
    g.add((TARGET, KG.deadline, Literal("2020", datatype=XSD.gYear)))
    g.add((TARGET, KG.statement, Literal(statement)))
    add_span(g, TARGET, text, statement)

    g.add((REFERENCE, RDF.type, KG.PolicyReference))
    g.add((REFERENCE, KG.inPlan, PLAN))
    g.add((REFERENCE, KG.cites, POLICY))
    g.add((REFERENCE, KG.relation, KG.Implements))
    g.add((REFERENCE, KG.surfaceForm, Literal("《民促法》")))
    g.add((REFERENCE, KG.sentence, Literal("结合新《民促法》的实施,加强民办学校党组织管理。")))
    g.add((REFERENCE, KG.tier, Literal("A")))
    add_span(g, REFERENCE, text, "《民促法》")

    g.add((POLICY, RDF.type, KG.Policy))
    g.add((POLICY, RDFS.label, zh(POLICY_TITLE)))
    g.add((POLICY, SKOS.altLabel, zh("民促法")))
    g.add((POLICY, KG.scope, KG.NationalScope))
    g.add((POLICY, KG.citingPlanCount, nonneg(1)))
    g.add((POLICY, KG.implementsCount, nonneg(1)))
    g.add((POLICY, KG.draftsCount, nonneg(0)))
    return g


# ---------------------------------------------------------------------------------------------------------------
# Mutations: small graph edits, composable
# ---------------------------------------------------------------------------------------------------------------

Mutation = Callable[[Graph], None]


def drop(s: URIRef, p: URIRef, o: object = None) -> Mutation:
    return lambda g: g.remove((s, p, o))


def put(s: URIRef, p: URIRef, o: object) -> Mutation:
    return lambda g: g.set((s, p, o))


def add(s: URIRef, p: URIRef, o: object) -> Mutation:
    return lambda g: g.add((s, p, o))


def chain(*steps: Mutation) -> Mutation:
    def run(g: Graph) -> None:
        for step in steps:
            step(g)

    return run


def government(adcode: str, level: URIRef, name: str, parent: URIRef) -> Mutation:
    return lambda g: add_government(g, adcode, level, name, name, parent)


def to_blank_node(node: URIRef) -> Mutation:
    def run(g: Graph) -> None:
        blank = BNode()
        for s, p, o in list(g.triples((node, None, None))):
            g.remove((s, p, o))
            g.add((blank, p, o))
        for s, p, o in list(g.triples((None, None, node))):
            g.remove((s, p, o))
            g.add((s, p, blank))

    return run


def extra_span(g: Graph) -> None:
    orphan = URIRef(f"{PLAN}/orphan")
    add_span(g, orphan, TEXT, ITEM)
    g.remove((orphan, KG.hasSpan, span(orphan)))


def V(name: str) -> tuple[URIRef, URIRef]:  # a severity tag in the table below
    return SHAPES[name], SH.Violation


def W(name: str) -> tuple[URIRef, URIRef]:
    return SHAPES[name], SH.Warning


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Mutation
    expected: frozenset[tuple[URIRef, URIRef]]


def case(case_id: str, mutate: Mutation, *expected: tuple[URIRef, URIRef]) -> Case:
    return Case(case_id, mutate, frozenset(expected))


GYEAR = XSD.gYear
TEXT_LEN = len(TEXT)
TARGET_START = TEXT.index("到2020年")

MUTATIONS: list[Case] = [
    # work plan
    case("plan-no-sourceDocument", drop(PLAN, KG.sourceDocument), V("WorkPlanShape-sourceDocument")),
    case("plan-sourceDocument-not-source", put(PLAN, KG.sourceDocument, CITY), V("WorkPlanShape-sourceDocument")),
    case("plan-no-source", drop(PLAN, DCTERMS.source), V("WorkPlanShape-source")),
    case("plan-source-tagged", put(PLAN, DCTERMS.source, zh("x.txt")), V("WorkPlanShape-source")),
    case("plan-no-title", drop(PLAN, DCTERMS.title), W("WorkPlanShape-titleExpected")),
    case("plan-two-titles", add(PLAN, DCTERMS.title, zh("另一个标题")), V("WorkPlanShape-title")),
    case("plan-title-untagged", put(PLAN, DCTERMS.title, Literal(TITLE)), V("WorkPlanShape-title")),
    case("plan-no-planYear", drop(PLAN, KG.planYear), W("WorkPlanShape-planYearExpected")),
    case("plan-no-initiativeCount", drop(PLAN, KG.initiativeCount), V("WorkPlanShape-initiativeCount")),
    case("plan-targetCount-integer", put(PLAN, KG.targetCount, Literal(1)), V("WorkPlanShape-targetCount")),
    case(
        "plan-two-referenceCounts",
        add(PLAN, KG.referenceCount, nonneg(2)),
        V("WorkPlanShape-referenceCount"),
        V("WorkPlanShape-countsAgree"),
    ),
    case("plan-initiativeCount-wrong", put(PLAN, KG.initiativeCount, nonneg(2)), V("WorkPlanShape-countsAgree")),
    case("plan-targetCount-wrong", put(PLAN, KG.targetCount, nonneg(0)), V("WorkPlanShape-countsAgree")),
    case("plan-referenceCount-wrong", put(PLAN, KG.referenceCount, nonneg(3)), V("WorkPlanShape-countsAgree")),
    case("plan-planYear-integer", put(PLAN, KG.planYear, Literal(2018)), V("WorkPlanShape-planYear")),
    case(
        "plan-two-planYears",
        add(PLAN, KG.planYear, Literal("2019", datatype=GYEAR)),
        V("WorkPlanShape-planYear"),
    ),
    case(
        "plan-planYear-1989",
        put(PLAN, KG.planYear, Literal("1989", datatype=GYEAR)),
        V("WorkPlanShape-planYearRange"),
    ),
    case(
        "plan-planYear-2101",
        put(PLAN, KG.planYear, Literal("2101", datatype=GYEAR)),
        V("WorkPlanShape-planYearRange"),
        V("WorkPlanShape-targetDeadlineAfterPlanYear"),
    ),
    case(
        "plan-issued-datetime",
        put(PLAN, DCTERMS.issued, Literal("2018-04-06T00:00:00", datatype=XSD.dateTime)),
        V("WorkPlanShape-issued"),
    ),
    case("plan-issuedBy-not-government", put(PLAN, KG.issuedBy, POLICY), V("WorkPlanShape-issuedBy")),
    case("plan-two-issuedBy", add(PLAN, KG.issuedBy, PROVINCE), V("WorkPlanShape-issuedBy")),
    case("plan-issuingBody-untyped", drop(BODY, RDF.type), V("WorkPlanShape-issuingBody")),
    case("body-no-label", drop(BODY, RDFS.label), V("IssuingBodyShape-label")),
    case("body-no-government", drop(BODY, ORG.subOrganizationOf), V("IssuingBodyShape-subOrganizationOf")),
    case("plan-no-governmentInferred", drop(PLAN, KG.governmentInferred), V("WorkPlanShape-governmentInferred")),
    case(
        "plan-governmentInferred-string",
        put(PLAN, KG.governmentInferred, Literal("false")),
        V("WorkPlanShape-governmentInferred"),
    ),
    case(
        "plan-evidence-not-evidence",
        add(PLAN, KG.governmentEvidence, INITIATIVE),
        V("WorkPlanShape-governmentEvidence"),
    ),
    case("plan-no-build", drop(PLAN, PROV.wasGeneratedBy), V("WorkPlanShape-wasGeneratedBy")),
    case(
        "plan-no-span",
        drop(PLAN, KG.hasSpan),
        V("WorkPlanShape-hasSpan"),
        V("TextSpanShape-fact"),
    ),
    # section
    case("section-no-label", drop(SECTION, RDFS.label), V("SectionShape-label")),
    case("section-label-number", put(SECTION, RDFS.label, Literal(1)), V("SectionShape-label")),
    case("section-position-0", put(SECTION, KG.position, Literal(0)), V("SectionShape-position")),
    case("section-no-plan", drop(SECTION, KG.partOf), V("SectionShape-partOf")),
    case(
        "section-no-span",
        drop(SECTION, KG.hasSpan),
        V("SectionShape-hasSpan"),
        V("TextSpanShape-fact"),
    ),
    # government evidence
    case(
        "evidence-bad-kind",
        put(EVIDENCE, KG.evidenceKind, Literal("village")),
        V("GovernmentEvidenceShape-evidenceKind"),
    ),
    case("evidence-no-label", drop(EVIDENCE, RDFS.label), V("GovernmentEvidenceShape-label")),
    case(
        "evidence-no-span",
        drop(EVIDENCE, KG.hasSpan),
        V("GovernmentEvidenceShape-hasSpan"),
        V("TextSpanShape-fact"),
    ),
    case("evidence-orphan", drop(PLAN, KG.governmentEvidence), V("GovernmentEvidenceShape-plan")),
    # government
    case("gov-no-label", drop(CITY, RDFS.label), V("GovernmentShape-label")),
    case("gov-label-untagged", put(CITY, RDFS.label, Literal("清远市")), V("GovernmentShape-label")),
    case("gov-adcode-integer", put(CITY, KG.adcode, Literal(441800)), V("GovernmentShape-adcode")),
    case(
        "gov-adcode-7-digits",
        put(CITY, KG.adcode, Literal("4418000")),
        V("GovernmentShape-adcode"),
        V("GovernmentShape-iriMatchesAdcode"),
    ),
    case("gov-no-level", drop(CITY, KG.adminLevel), V("GovernmentShape-adminLevel")),
    case("gov-level-not-level", put(CITY, KG.adminLevel, KG.AtLeast), V("GovernmentShape-adminLevel")),
    case("gov-no-fullName", drop(CITY, KG.fullName), V("GovernmentShape-fullName")),
    case("gov-parent-not-government", put(CITY, KG.withinDivision, POLICY), V("GovernmentShape-withinDivision")),
    case("city-without-parent", drop(CITY, KG.withinDivision), V("GovernmentShape-parentRequired")),
    case(
        "county-under-district",
        chain(
            government("441802", KG.DistrictLevel, "清城区", CITY),
            government("441821", KG.CountyLevel, "佛冈县", BASE["government/441802"]),
        ),
        V("GovernmentShape-parentLevel"),
    ),
    case(
        "province-under-city",
        add(PROVINCE, KG.withinDivision, CITY),
        V("GovernmentShape-parentLevel"),
        V("GovernmentShape-parentAdcodePrefix"),
    ),
    case(
        "district-under-wrong-city",
        government("441902", KG.DistrictLevel, "某区", CITY),
        V("GovernmentShape-parentAdcodePrefix"),
    ),
    case(
        "county-under-wrong-province",
        government("429004", KG.CountyLevel, "仙桃市", PROVINCE),
        V("GovernmentShape-parentAdcodePrefix"),
    ),
    case("city-adcode-as-county", put(CITY, KG.adminLevel, KG.CountyLevel), V("GovernmentShape-adcodeMatchesLevel")),
    case("gov-iri-not-adcode", put(CITY, KG.adcode, Literal("441900")), V("GovernmentShape-iriMatchesAdcode")),
    # initiative
    case(
        "initiative-no-plan", drop(INITIATIVE, KG.partOf), V("InitiativeShape-partOf"), V("WorkPlanShape-countsAgree")
    ),
    case("initiative-label-untagged", put(INITIATIVE, RDFS.label, Literal("贯彻")), V("InitiativeShape-label")),
    case("initiative-label-english", put(INITIATIVE, RDFS.label, Literal("x", lang="en")), V("InitiativeShape-label")),
    case("initiative-no-normalized", drop(INITIATIVE, KG.normalizedLabel), V("InitiativeShape-normalizedLabel")),
    case(
        "initiative-normalized-traditional",
        put(INITIATIVE, KG.normalizedLabel, Literal("貫徹", lang="zh-Hant")),
        V("InitiativeShape-normalizedLabel"),
    ),
    case("initiative-number-0", put(INITIATIVE, KG.number, Literal(0)), V("InitiativeShape-number")),
    case(
        "initiative-number-decimal",
        put(INITIATIVE, KG.number, Literal("1.5", datatype=XSD.decimal)),
        V("InitiativeShape-number"),
    ),
    case("initiative-no-position", drop(INITIATIVE, KG.position), V("InitiativeShape-position")),
    case("initiative-two-positions", add(INITIATIVE, KG.position, Literal(2)), V("InitiativeShape-position")),
    case("initiative-section-not-section", put(INITIATIVE, KG.inSection, PLAN), V("InitiativeShape-inSection")),
    case(
        "initiative-no-span",
        drop(INITIATIVE, KG.hasSpan),
        V("InitiativeShape-hasSpan"),
        V("TextSpanShape-fact"),
    ),
    case("initiative-target-not-target", add(INITIATIVE, KG.hasTarget, POLICY), V("InitiativeShape-hasTarget")),
    case(
        "initiative-reference-not-reference",
        add(INITIATIVE, KG.hasPolicyReference, POLICY),
        V("InitiativeShape-hasPolicyReference"),
    ),
    case(
        "initiative-subject-literal",
        add(INITIATIVE, DCTERMS.subject, Literal("学前教育")),
        V("InitiativeShape-subject"),
    ),
    case(
        "initiative-section-of-other-plan",
        put(SECTION, KG.partOf, OTHER_PLAN),
        V("SectionShape-partOf"),
        V("WorkPlanShape-initiativeSectionInSamePlan"),
    ),
    case(
        "initiative-in-another-plan",  # its section, target and reference report it from their plan
        put(INITIATIVE, KG.partOf, OTHER_PLAN),
        V("InitiativeShape-partOf"),
        V("WorkPlanShape-countsAgree"),
        V("WorkPlanShape-initiativeSectionInSamePlan"),
        V("WorkPlanShape-targetSamePlan"),
        V("WorkPlanShape-referenceSamePlan"),
    ),
    # target
    case("target-no-value", drop(TARGET, KG.value), V("TargetShape-value")),
    case("target-no-plan", drop(TARGET, KG.inPlan), V("TargetShape-inPlan"), V("WorkPlanShape-countsAgree")),
    case(
        "target-in-another-plan",
        put(TARGET, KG.inPlan, OTHER_PLAN),  # not a plan of this graph either
        V("TargetShape-inPlan"),
        V("WorkPlanShape-targetSamePlan"),
        V("WorkPlanShape-countsAgree"),
    ),
    case("target-value-string", put(TARGET, KG.value, Literal("95")), V("TargetShape-value")),
    case("target-value-double", put(TARGET, KG.value, Literal(95.0)), V("TargetShape-value")),
    case(
        "target-two-valueMax",
        chain(
            add(TARGET, KG.valueMax, Literal("96", datatype=XSD.decimal)),
            add(TARGET, KG.valueMax, Literal("97", datatype=XSD.decimal)),
        ),
        V("TargetShape-valueMax"),
    ),
    case(
        "target-value-above-max",
        add(TARGET, KG.valueMax, Literal("90", datatype=XSD.decimal)),
        V("TargetShape-valueOrder"),
    ),
    case("target-no-unit", drop(TARGET, KG.unit), V("TargetShape-unit")),
    case("target-empty-unit", put(TARGET, KG.unit, Literal("")), V("TargetShape-unit")),
    case("target-unitOfMeasure-literal", put(TARGET, KG.unitOfMeasure, Literal("%")), V("TargetShape-unitOfMeasure")),
    case("target-no-comparator", drop(TARGET, KG.comparator), V("TargetShape-comparator")),
    case("target-comparator-not-comparator", put(TARGET, KG.comparator, KG.Drafts), V("TargetShape-comparator")),
    case("target-no-statement", drop(TARGET, KG.statement), V("TargetShape-statement")),
    case(
        "target-indicator-untagged", put(TARGET, KG.indicator, Literal("学前三年毛入园率")), V("TargetShape-indicator")
    ),
    case("target-measures-literal", put(TARGET, KG.measures, Literal("x")), V("TargetShape-measures")),
    case("target-deadline-integer", put(TARGET, KG.deadline, Literal(2020)), V("TargetShape-deadline")),
    case(
        "target-deadline-before-plan-year",
        put(TARGET, KG.deadline, Literal("2016", datatype=GYEAR)),
        V("WorkPlanShape-targetDeadlineAfterPlanYear"),
    ),
    case(
        "target-deadline-2101",
        put(TARGET, KG.deadline, Literal("2101", datatype=GYEAR)),
        V("WorkPlanShape-targetDeadlineRange"),
    ),
    case(
        "target-no-span",
        drop(TARGET, KG.hasSpan),
        V("TargetShape-hasSpan"),
        V("TextSpanShape-fact"),
    ),
    case("target-orphan", drop(INITIATIVE, KG.hasTarget), V("TargetShape-initiative")),
    case(
        "target-percent-above-100",
        chain(
            put(TARGET, KG.indicator, zh("普惠性幼儿园覆盖率")),
            put(TARGET, KG.value, Literal("120", datatype=XSD.decimal)),
        ),
        V("WorkPlanShape-targetPercentRange"),
    ),
    case(
        "target-percent-range-above-100",
        chain(put(TARGET, KG.indicator, zh("覆盖率")), add(TARGET, KG.valueMax, Literal("101", datatype=XSD.decimal))),
        V("WorkPlanShape-targetPercentRange"),
    ),
    case(
        "target-gross-rate-negative",
        put(TARGET, KG.value, Literal("-1", datatype=XSD.decimal)),
        V("WorkPlanShape-targetPercentRange"),
    ),
    # policy reference
    case(
        "reference-no-cites", drop(REFERENCE, KG.cites), V("PolicyReferenceShape-cites"), V("PolicyShape-countsAgree")
    ),
    case(
        "reference-no-plan",
        drop(REFERENCE, KG.inPlan),
        V("PolicyReferenceShape-inPlan"),
        V("PolicyShape-countsAgree"),
        V("WorkPlanShape-countsAgree"),
    ),
    case(
        "reference-in-another-plan",
        put(REFERENCE, KG.inPlan, OTHER_PLAN),  # not a plan of this graph either
        V("PolicyReferenceShape-inPlan"),
        V("WorkPlanShape-referenceSamePlan"),
        V("WorkPlanShape-countsAgree"),
    ),
    case(
        "reference-cites-plan",
        put(REFERENCE, KG.cites, PLAN),
        V("PolicyReferenceShape-cites"),
        V("PolicyShape-countsAgree"),
    ),
    case(
        "reference-relation-bad",
        put(REFERENCE, KG.relation, KG.AtLeast),
        V("PolicyReferenceShape-relation"),
        V("PolicyShape-countsAgree"),
    ),
    case(
        "reference-no-relation",
        drop(REFERENCE, KG.relation),
        V("PolicyReferenceShape-relation"),
        V("PolicyShape-countsAgree"),
    ),
    case("reference-no-surfaceForm", drop(REFERENCE, KG.surfaceForm), V("PolicyReferenceShape-surfaceForm")),
    case(
        "reference-two-sentences", add(REFERENCE, KG.sentence, Literal("另一句。")), V("PolicyReferenceShape-sentence")
    ),
    case("reference-tier-C", put(REFERENCE, KG.tier, Literal("C")), V("PolicyReferenceShape-tier")),
    case("reference-tier-AB", put(REFERENCE, KG.tier, Literal("AB")), V("PolicyReferenceShape-tier")),
    case(
        "reference-no-span",
        drop(REFERENCE, KG.hasSpan),
        V("PolicyReferenceShape-hasSpan"),
        V("TextSpanShape-fact"),
    ),
    case(
        "reference-orphan",
        drop(INITIATIVE, KG.hasPolicyReference),
        V("WorkPlanShape-referenceHeld"),
    ),
    case(
        "reference-shared-by-two-plans",
        chain(
            add(URIRef(f"{OTHER_PLAN}/initiative/1"), KG.partOf, OTHER_PLAN),
            add(URIRef(f"{OTHER_PLAN}/initiative/1"), KG.hasPolicyReference, REFERENCE),
        ),
        V("WorkPlanShape-referenceOnePlan"),
        V("WorkPlanShape-referenceSamePlan"),
    ),
    # policy
    case("policy-no-label", drop(POLICY, RDFS.label), V("PolicyShape-label")),
    case("policy-two-labels", add(POLICY, RDFS.label, zh("民促法")), V("PolicyShape-label")),
    case(
        "policy-label-traditional",
        put(POLICY, RDFS.label, Literal("民辦教育促進法", lang="zh-Hant")),
        V("PolicyShape-label"),
    ),
    case("policy-altLabel-untagged", add(POLICY, SKOS.altLabel, Literal("民促法")), V("PolicyShape-altLabel")),
    case("policy-no-scope", drop(POLICY, KG.scope), V("PolicyShape-scope")),
    case("policy-scope-not-scope", put(POLICY, KG.scope, KG.CityLevel), V("PolicyShape-scope")),
    case("policy-derived-from-plan", add(POLICY, KG.derivedFrom, PLAN), V("PolicyShape-derivedFrom")),
    case("policy-no-citingPlanCount", drop(POLICY, KG.citingPlanCount), V("PolicyShape-citingPlanCount")),
    case(
        "policy-implementsCount-integer", put(POLICY, KG.implementsCount, Literal(1)), V("PolicyShape-implementsCount")
    ),
    case(
        "policy-two-draftsCounts",
        add(POLICY, KG.draftsCount, nonneg(1)),
        V("PolicyShape-draftsCount"),
        V("PolicyShape-countsAgree"),
    ),
    case("policy-citingPlanCount-wrong", put(POLICY, KG.citingPlanCount, nonneg(2)), V("PolicyShape-countsAgree")),
    case("policy-implementsCount-wrong", put(POLICY, KG.implementsCount, nonneg(0)), V("PolicyShape-countsAgree")),
    case("policy-draftsCount-wrong", put(POLICY, KG.draftsCount, nonneg(1)), V("PolicyShape-countsAgree")),
    case("policy-drafted-not-implemented", put(REFERENCE, KG.relation, KG.Drafts), V("PolicyShape-countsAgree")),
    # source document
    case("source-no-identifier", drop(SOURCE, DCTERMS.identifier), V("SourceDocumentShape-identifier")),
    case(
        "source-identifier-space", put(SOURCE, DCTERMS.identifier, Literal("a b")), V("SourceDocumentShape-identifier")
    ),
    case("source-no-source", drop(SOURCE, DCTERMS.source), V("SourceDocumentShape-source")),
    case("source-format-pdf", put(SOURCE, DCTERMS.format, Literal("application/pdf")), V("SourceDocumentShape-format")),
    case("source-sha256-upper", put(SOURCE, KG.sha256, Literal("A" * 64)), V("SourceDocumentShape-sha256")),
    case("source-sha256-short", put(SOURCE, KG.sha256, Literal("a" * 63)), V("SourceDocumentShape-sha256")),
    case("source-byteSize-negative", put(SOURCE, KG.byteSize, Literal(-1)), V("SourceDocumentShape-byteSize")),
    case("source-byteSize-string", put(SOURCE, KG.byteSize, Literal("10")), V("SourceDocumentShape-byteSize")),
    case("source-encoding-gbk", put(SOURCE, KG.encoding, Literal("gbk")), V("SourceDocumentShape-encoding")),
    case(
        "source-encodingMethod-guess",
        put(SOURCE, KG.encodingMethod, Literal("guess")),
        V("SourceDocumentShape-encodingMethod"),
    ),
    case("source-script-bad", put(SOURCE, KG.script, Literal("latin")), V("SourceDocumentShape-script")),
    case("source-no-text", drop(SOURCE, KG.text), V("SourceDocumentShape-text")),
    case("source-text-tagged", put(SOURCE, KG.text, zh(TEXT)), V("SourceDocumentShape-text")),
    case("source-derived", add(SOURCE, PROV.wasDerivedFrom, PLAN), V("SourceDocumentShape-notDerived")),
    case(
        "source-not-used",
        drop(BUILD, PROV.used),
        V("SourceDocumentShape-usedByBuild"),
        V("BuildActivityShape-used"),
    ),
    # text span and selectors
    case("span-not-specific-resource", drop(span(TARGET), RDF.type, OA.SpecificResource), V("TextSpanShape-type")),
    case("span-no-source", drop(span(TARGET), OA.hasSource), V("TextSpanShape-hasSource")),
    case("span-source-not-document", put(span(TARGET), OA.hasSource, PLAN), V("TextSpanShape-hasSource")),
    case(
        "span-no-quote-selector",
        drop(span(TARGET), OA.hasSelector, quote(TARGET)),
        V("TextSpanShape-selectors"),
        V("TextSpanShape-quoteSelector"),
    ),
    case(
        "span-two-position-selectors",
        chain(
            add(span(TARGET), OA.hasSelector, URIRef(f"{TARGET}/span/position2")),
            add(URIRef(f"{TARGET}/span/position2"), RDF.type, OA.TextPositionSelector),
            add(URIRef(f"{TARGET}/span/position2"), OA.start, nonneg(TARGET_START)),
            add(
                URIRef(f"{TARGET}/span/position2"),
                OA.end,
                nonneg(TARGET_START + len("到2020年学前三年毛入园率达到95%以上")),
            ),
        ),
        V("TextSpanShape-selectors"),
        V("TextSpanShape-positionSelector"),
    ),
    case(
        "span-end-past-text",
        put(position(TARGET), OA.end, nonneg(TEXT_LEN + 1)),
        V("SourceDocumentShape-spanOffsetsInText"),
    ),
    case(
        "span-start-after-end",
        put(position(TARGET), OA.start, nonneg(TEXT_LEN)),
        V("SourceDocumentShape-spanOffsetsInText"),
        V("TextPositionSelectorShape-order"),
    ),
    case(
        "span-quote-differs",
        put(quote(TARGET), OA.exact, Literal("到2021年")),
        V("SourceDocumentShape-spanQuotesMatchText"),
    ),
    case(
        "span-offsets-shifted",
        chain(
            put(position(REFERENCE), OA.start, nonneg(TEXT.index("《民促法》") + 1)),
            put(position(REFERENCE), OA.end, nonneg(TEXT.index("《民促法》") + 6)),
        ),
        V("SourceDocumentShape-spanQuotesMatchText"),
    ),
    case("span-without-fact", extra_span, V("TextSpanShape-fact")),
    case(
        "span-shared-by-two-facts",
        add(REFERENCE, KG.hasSpan, span(TARGET)),
        V("PolicyReferenceShape-hasSpan"),
        V("TextSpanShape-fact"),
    ),
    case(
        "position-start-integer",
        put(position(TARGET), OA.start, Literal(TARGET_START)),
        V("TextPositionSelectorShape-start"),
    ),
    case("position-no-end", drop(position(TARGET), OA.end), V("TextPositionSelectorShape-end")),
    case("quote-no-exact", drop(quote(TARGET), OA.exact), V("TextQuoteSelectorShape-exact")),
    case("quote-exact-tagged", put(quote(REFERENCE), OA.exact, zh("《民促法》")), V("TextQuoteSelectorShape-exact")),
    # build activity
    case("build-not-prov-activity", drop(BUILD, RDF.type, PROV.Activity), V("BuildActivityShape-type")),
    case("build-no-software-version", drop(BUILD, KG.softwareVersion), V("BuildActivityShape-softwareVersion")),
    case(
        "build-extractor-version-integer",
        put(BUILD, KG.extractorVersion, Literal(1)),
        V("BuildActivityShape-extractorVersion"),
    ),
    case("build-used-plan", add(BUILD, PROV.used, PLAN), V("BuildActivityShape-used")),
    # no blank nodes
    case("policy-blank-node", to_blank_node(POLICY), V("IriNodeShape")),
    case("selector-blank-node", to_blank_node(quote(INITIATIVE)), V("IriNodeShape")),
]

VALID_VARIANTS: list[tuple[str, Mutation]] = [
    ("tier-typed-string", put(REFERENCE, KG.tier, Literal("A", datatype=XSD.string))),
    ("gross-rate-above-100", put(TARGET, KG.value, Literal("105.3", datatype=XSD.decimal))),
    (
        "traditional-gross-rate-above-100",
        chain(
            put(TARGET, KG.indicator, Literal("毛入學率", lang="zh-Hant")),
            put(TARGET, KG.value, Literal("102", datatype=XSD.decimal)),
        ),
    ),
    ("deadline-plan-year-minus-one", put(TARGET, KG.deadline, Literal("2017", datatype=GYEAR))),
    ("range-target", add(TARGET, KG.valueMax, Literal("98", datatype=XSD.decimal))),
    ("district-under-city", government("441802", KG.DistrictLevel, "清城区", CITY)),
    ("county-under-city", government("441821", KG.CountyLevel, "佛冈县", CITY)),
    (
        "municipality-district",
        chain(
            lambda g: add_government(g, "110000", KG.ProvinceLevel, "北京市", "北京市", None),
            government("110101", KG.DistrictLevel, "东城区", BASE["government/110000"]),
        ),
    ),
    (
        "county-level-city-under-province",
        chain(
            lambda g: add_government(g, "420000", KG.ProvinceLevel, "湖北省", "湖北省", None),
            government("429004", KG.CountyLevel, "仙桃市", BASE["government/420000"]),
        ),
    ),
    (
        "no-optional-facts",
        chain(
            drop(PLAN, KG.issuedBy),
            drop(PLAN, KG.issuingBody),
            drop(PLAN, DCTERMS.issued),
            drop(INITIATIVE, KG.number),
            drop(INITIATIVE, KG.inSection),
            drop(TARGET, KG.deadline),
            drop(TARGET, KG.indicator),
            drop(TARGET, KG.measures),
            drop(TARGET, KG.unitOfMeasure),
        ),
    ),
    ("initiative-label-traditional", put(INITIATIVE, RDFS.label, Literal("貫徹落實", lang="zh-Hant"))),
    ("policy-derived-from-policy", chain(add(POLICY, KG.derivedFrom, POLICY))),
]


# ---------------------------------------------------------------------------------------------------------------
# Helpers over reports
# ---------------------------------------------------------------------------------------------------------------


def fired(result: ValidationResult) -> set[tuple[URIRef, URIRef]]:
    """(shape or SPARQL constraint, severity) for every result in the report."""
    report = result.report
    found = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(r, SH.resultSeverity)
        if report.value(r, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent:
            source = report.value(r, SH.sourceConstraint)
        else:
            source = report.value(r, SH.sourceShape)
        found.add((source, severity))
    return found


def messages(result: ValidationResult) -> list[str]:
    return sorted(str(m) for m in result.report.objects(None, SH.resultMessage))


# ---------------------------------------------------------------------------------------------------------------
# Tests: validation
# ---------------------------------------------------------------------------------------------------------------


def test_valid_graph_conforms() -> None:
    result = validate(valid_graph())
    assert fired(result) == set(), result.summary_lines()
    assert result.conforms
    assert (result.violations, result.warnings) == (0, 0)
    assert result.summary_lines() == []


def test_offsets_count_code_points_beyond_the_bmp() -> None:
    result = validate(valid_graph(prefix="𠮷𠮷\n"))
    assert result.conforms, result.summary_lines()


@pytest.mark.parametrize(("name", "mutate"), VALID_VARIANTS, ids=[name for name, _ in VALID_VARIANTS])
def test_valid_variants_conform(name: str, mutate: Mutation) -> None:
    g = valid_graph()
    mutate(g)
    result = validate(g)
    assert fired(result) == set(), result.summary_lines()


@pytest.mark.parametrize("row", MUTATIONS, ids=[row.id for row in MUTATIONS])
def test_mutation_fires_expected_constraints(row: Case) -> None:
    g = valid_graph()
    before = set(g)
    row.mutate(g)
    assert set(g) != before, "the mutation changed nothing"
    result = validate(g)
    assert fired(result) == set(row.expected), result.summary_lines()
    has_violation = any(severity == SH.Violation for _, severity in row.expected)
    assert result.conforms is not has_violation


# The build validates in two scopes (kg/validate_scopes.py): the document shapes on each document's graph with
# the shared nodes it points at, the corpus shapes on the shared graphs with every document's corpus view. Each
# row must fire exactly the same results that way as in one validation of the whole graph.
SHARED_TYPES = {KG.Government, KG.Policy, KG.BuildActivity, ORG.Organization}


def validated_in_scopes(g: Graph) -> ValidationResult:
    """`g` split as a build holds it: the document's own graph (the plan and source IRIs and what hangs off them),
    and the shared nodes (governments, the department, the policy, the build)."""
    own_prefixes = (str(BASE["plan/"]), str(BASE["source/"]))
    shared_blank = {s for s, o in g.subject_objects(RDF.type) if isinstance(s, BNode) and o in SHARED_TYPES}
    own, shared = Graph(), Graph()
    for s, p, o in g:
        is_own = str(s).startswith(own_prefixes) if isinstance(s, URIRef) else s not in shared_blank
        (own if is_own else shared).add((s, p, o))
    own_triples, shared_triples = oxigraph_triples(own), oxigraph_triples(shared)
    view = ox.serialize(corpus_view(own_triples), format=ox.RdfFormat.N_TRIPLES)
    document = validate_document(own_triples, shared_triples)
    return merge_results([document.report, validate_corpus(shared_triples, [view]).report])


def oxigraph_triples(g: Graph) -> list[ox.Triple]:
    return list(ox.parse(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("row", MUTATIONS, ids=[row.id for row in MUTATIONS])
def test_mutation_fires_the_same_in_the_build_scopes(row: Case) -> None:
    g = valid_graph()
    row.mutate(g)
    # the whole graph as Oxigraph hands it over too (it lower-cases language tags, which a report quotes)
    whole, scoped = validate(validation_graph(oxigraph_triples(g))), validated_in_scopes(g)
    assert fired(scoped) == fired(whole), scoped.summary_lines()
    assert (scoped.conforms, scoped.violations, scoped.warnings) == (whole.conforms, whole.violations, whole.warnings)
    assert report_turtle(scoped) == report_turtle(whole)


@pytest.mark.parametrize(("name", "mutate"), VALID_VARIANTS, ids=[name for name, _ in VALID_VARIANTS])
def test_valid_variants_conform_in_the_build_scopes(name: str, mutate: Mutation) -> None:
    g = valid_graph()
    mutate(g)
    assert validated_in_scopes(g).summary_lines() == []


def test_scopes_hold_every_shape() -> None:
    """Each targeted shape is in one scope (kgsh:IriNodeShape in both), with every named shape under it:
    pySHACL skips a named property shape that is not listed."""
    shapes = load_shapes()
    document, corpus = shape_scopes()
    targeted = {s for p in (SH.targetClass, SH.targetObjectsOf) for s in shapes.subjects(p, None)}
    assert targeted <= set(document) | set(corpus)
    assert set(document) & set(corpus) == {SHAPES.IriNodeShape}
    assert {SHAPES.GovernmentShape, SHAPES.PolicyShape, SHAPES.BuildActivityShape} <= set(corpus)
    named_parts = {o for o in shapes.objects(None, SH.property) if isinstance(o, URIRef)}
    assert named_parts <= set(document) | set(corpus)


def test_every_constraint_has_a_mutation() -> None:
    shapes = load_shapes()
    constraints = {s for s in shapes.subjects(SH.path, None) if isinstance(s, URIRef)}
    constraints |= set(shapes.subjects(RDF.type, SH.SPARQLConstraint))
    constraints |= {s for s in shapes.subjects(SH.nodeKind, None) if (s, RDF.type, SH.NodeShape) in shapes}
    exercised = {shape for row in MUTATIONS for shape, _ in row.expected}
    assert constraints - exercised == set()
    assert exercised - constraints == set()


# The SPARQL checks of a plan's items, each with the item the valid graph's mutations make fail
ITEM_CHECKS = {
    SHAPES["WorkPlanShape-initiativeSectionInSamePlan"]: INITIATIVE,
    SHAPES["WorkPlanShape-targetSamePlan"]: TARGET,
    SHAPES["WorkPlanShape-targetDeadlineRange"]: TARGET,
    SHAPES["WorkPlanShape-targetDeadlineAfterPlanYear"]: TARGET,
    SHAPES["WorkPlanShape-targetPercentRange"]: TARGET,
    SHAPES["WorkPlanShape-referenceHeld"]: REFERENCE,
    SHAPES["WorkPlanShape-referenceOnePlan"]: REFERENCE,
    SHAPES["WorkPlanShape-referenceSamePlan"]: REFERENCE,
}
ITEM_CHECK_ROWS = [row for row in MUTATIONS if any(shape in ITEM_CHECKS for shape, _ in row.expected)]


@pytest.mark.parametrize("row", ITEM_CHECK_ROWS, ids=[row.id for row in ITEM_CHECK_ROWS])
def test_item_checks_report_the_plan_and_the_item(row: Case) -> None:
    """The SPARQL checks of initiatives, targets and policy references run once per plan: a failing item is the
    result's sh:value, its plan the focus node."""
    g = valid_graph()
    row.mutate(g)
    report = validate(g).report
    reported = set()
    for result in report.subjects(SH.sourceConstraintComponent, SH.SPARQLConstraintComponent):
        constraint = report.value(result, SH.sourceConstraint)
        if constraint in ITEM_CHECKS:
            reported.add(constraint)
            assert (report.value(result, SH.focusNode), report.value(result, SH.value)) == (
                PLAN,
                ITEM_CHECKS[constraint],
            ), constraint
    assert reported == {shape for shape, _ in row.expected if shape in ITEM_CHECKS}


def test_every_item_check_is_on_the_plan_shape() -> None:
    shapes = load_shapes()
    assert set(ITEM_CHECKS) <= set(shapes.objects(SHAPES.WorkPlanShape, SH.sparql))


def test_missing_title_and_year_are_warnings_only() -> None:
    g = valid_graph()
    g.remove((PLAN, DCTERMS.title, None))
    g.remove((PLAN, KG.planYear, None))
    result = validate(g)
    assert result.conforms
    assert (result.violations, result.warnings) == (0, 2)
    assert result.summary_lines() == [
        "Warning: kgsh:WorkPlanShape — The work plan has no dcterms:title: the document prints none, or the title "
        f"was not found: 1 focus node, e.g. <{PLAN}>",
        "Warning: kgsh:WorkPlanShape — The work plan has no kg:planYear: the year the plan is for could not be "
        f"determined: 1 focus node, e.g. <{PLAN}>",
    ]


def test_sparql_messages_name_the_values() -> None:
    g = valid_graph()
    g.set((quote(TARGET), OA.exact, Literal("到2021年")))
    g.set((TARGET, KG.deadline, Literal("2015", datatype=GYEAR)))
    add_government(g, "441902", KG.DistrictLevel, "某区", "某区", CITY)
    g.set((quote(INITIATIVE), OA.exact, Literal("x" * 31)))
    msgs = messages(validate(g))
    start = TEXT.index("到2020年")
    stop = start + len("到2020年学前三年毛入园率达到95%以上")
    item_start = TEXT.index(ITEM)
    assert msgs == sorted(
        [
            f'Span quote "到2021年" is not the source text at [{start}, {stop}), which reads '
            '"到2020年学前三年毛入园率达到95%以上".',
            f'Span quote "{"x" * 30}…" is not the source text at [{item_start}, {item_start + len(ITEM)}), '
            f'which reads "{ITEM[:30]}…".',
            f"kg:deadline 2015 of target {TARGET} is before the plan year 2018 minus one.",
            "kg:adcode 441902 does not start with the first 4 digits of its kg:withinDivision's adcode 441800.",
        ]
    )


def test_summary_groups_by_shape_and_message() -> None:
    g = valid_graph()
    for fact in (PLAN, SECTION, INITIATIVE):
        g.remove((fact, KG.hasSpan, None))
    result = validate(g)
    assert result.violations == 6
    assert result.summary_lines() == [
        "Violation: kgsh:InitiativeShape — An initiative must have exactly one kg:hasSpan, which must be a "
        f"kg:TextSpan: 1 focus node, e.g. <{INITIATIVE}>",
        "Violation: kgsh:SectionShape — A section must have exactly one kg:hasSpan, which must be a kg:TextSpan: "
        f"1 focus node, e.g. <{SECTION}>",
        "Violation: kgsh:TextSpanShape — A text span must be the kg:hasSpan of exactly one fact: 3 focus nodes, "
        f"e.g. <{span(INITIATIVE)}>",
        "Violation: kgsh:WorkPlanShape — A work plan must have exactly one kg:hasSpan, which must be a "
        f"kg:TextSpan: 1 focus node, e.g. <{PLAN}>",
    ]


def test_validation_time_grows_linearly() -> None:
    """A SPARQL constraint whose first triple pattern does not start from $this scans the whole graph for every
    focus node (rdflib orders patterns by unbound variables and counts $this as unbound). 60 more initiatives with
    a target, a reference and their spans (300 spans) take well under a second; a quadratic constraint takes far
    longer than the bound."""
    g = valid_graph()
    for n in range(2, 62):
        initiative = URIRef(f"{PLAN}/initiative/{n}")
        target = URIRef(f"{initiative}/target/1")
        reference = URIRef(f"{PLAN}/reference/{n:016x}")
        for p, o in list(g.predicate_objects(INITIATIVE)):
            if p not in (KG.hasSpan, KG.hasTarget, KG.hasPolicyReference, KG.position):
                g.add((initiative, p, o))
        g.add((initiative, KG.position, Literal(n)))
        g.add((initiative, KG.hasTarget, target))
        g.add((initiative, KG.hasPolicyReference, reference))
        for fact, original in ((target, TARGET), (reference, REFERENCE)):
            for p, o in list(g.predicate_objects(original)):
                if p != KG.hasSpan:
                    g.add((fact, p, o))
        add_span(g, initiative, TEXT, ITEM)
        add_span(g, target, TEXT, "到2020年学前三年毛入园率达到95%以上")
        add_span(g, reference, TEXT, "《民促法》")
    for count in (KG.initiativeCount, KG.targetCount, KG.referenceCount):
        g.set((PLAN, count, nonneg(61)))
    g.set((POLICY, KG.citingPlanCount, nonneg(1)))
    g.set((POLICY, KG.implementsCount, nonneg(61)))
    started = time.perf_counter()
    result = validate(g)
    elapsed = time.perf_counter() - started
    assert result.conforms, result.summary_lines()
    assert elapsed < 4.0, f"validation took {elapsed:.1f} s"


class CountingMemory(Memory):
    """An in-memory store that counts the triples its lookups return."""

    read = 0

    def triples(self, pattern, context=None):  # type: ignore[no-untyped-def, override]
        for found in super().triples(pattern, context):
            self.read += 1
            yield found


def copy_of_document(g: Graph, key: str) -> Graph:
    """The plan, source document and policy of `g` again, under another document key and policy IRI."""
    renamed = {DOC: key, str(POLICY): f"{POLICY}-{key}"}

    def rename(term: object) -> object:
        if not isinstance(term, URIRef) or not str(term).startswith(
            (str(BASE["plan/"]), str(BASE["source/"]), str(POLICY))
        ):
            return term
        text = str(term)
        for old, new in renamed.items():
            text = text.replace(old, new)
        return URIRef(text)

    copy = Graph()
    for s, p, o in g:
        if s not in (BUILD, PROVINCE, CITY, BODY):
            copy.add((rename(s), p, rename(o)))
    return copy


def test_sparql_constraints_read_only_their_own_plan() -> None:
    """Each SPARQL constraint, run for a focus node of the valid graph, reads the same triples when three more
    documents are in the graph: it starts from $this, not from every item of the graph (see the rdflib note in
    kg/shapes/workplan.ttl)."""
    shapes = load_shapes()
    header = "".join(
        f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
        for d in shapes.subjects(SH.prefix, None)
    )
    stores = CountingMemory(), CountingMemory()
    small, large = (Graph(store=store) for store in stores)
    for triple in valid_graph():
        small.add(triple)
        large.add(triple)
    for n in range(1, 4):
        for triple in copy_of_document(valid_graph(), f"00{n}_copy"):
            large.add(triple)
    assert len(set(large.subjects(RDF.type, KG.WorkPlan))) == 4
    read: dict[URIRef, list[int]] = {}
    for constraint in sorted(shapes.subjects(RDF.type, SH.SPARQLConstraint)):
        query = header + str(shapes.value(constraint, SH.select))
        shape = shapes.value(None, SH.sparql, constraint)
        focus_nodes = sorted(small.subjects(RDF.type, shapes.value(shape, SH.targetClass)))
        assert focus_nodes, constraint
        read[constraint] = []
        for g, store in zip((small, large), stores, strict=True):
            store.read = 0
            for focus in focus_nodes:
                list(g.query(query, initBindings={"this": focus}))
            read[constraint].append(store.read)
    assert {constraint: counts for constraint, counts in read.items() if counts[0] != counts[1]} == {}


def test_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    g = valid_graph()
    ds = Dataset()
    doc_graph = ds.graph(BASE[f"graph/{DOC}"])
    build_graph = ds.graph(BASE["graph/build"])
    for triple in g:
        (build_graph if triple[0] == BUILD else doc_graph).add(triple)
    assert validate(ds).conforms

    without_build = Dataset()
    for triple in doc_graph:
        without_build.graph(BASE[f"graph/{DOC}"]).add(triple)
    assert fired(validate(without_build)) == {
        V("WorkPlanShape-wasGeneratedBy"),
        V("SourceDocumentShape-usedByBuild"),
    }


def test_report_is_byte_identical_across_runs(tmp_path: Path) -> None:
    g = valid_graph()
    for mutate in (drop(PLAN, KG.hasSpan), drop(PLAN, DCTERMS.title), put(quote(TARGET), OA.exact, Literal("x"))):
        mutate(g)
    first = write_report(validate(g), tmp_path / "first.ttl").read_bytes()
    second = write_report(validate(g), tmp_path / "second.ttl").read_bytes()
    assert first == second
    assert not validate(g).conforms
    parsed = Graph().parse(data=first.decode(), format="turtle")
    assert len(list(parsed.subjects(RDF.type, SH.ValidationResult))) == 4


def test_report_is_byte_identical_across_processes(tmp_path: Path) -> None:
    """String hashing differs between processes; the report must not depend on it."""
    g = valid_graph()
    g.remove((PLAN, KG.hasSpan, None))
    g.set((TARGET, KG.value, Literal("x")))
    data = tmp_path / "data.nt"
    g.serialize(data, format="nt", encoding="utf-8")
    script = (
        "import sys; from rdflib import Graph; from kg.validate import validate, report_turtle;"
        "sys.stdout.buffer.write(report_turtle(validate(Graph().parse(sys.argv[1], format='nt'))))"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script, str(data)], env=env, capture_output=True, check=True, cwd=ROOT
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0] == report_turtle(validate(Graph().parse(data, format="nt")))


# ---------------------------------------------------------------------------------------------------------------
# Tests: the ontology, and the shapes against it
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def kg_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(KG))}


def test_ontology_defines_exactly_the_kg_namespace(ontology: Graph) -> None:
    defined = {str(term)[len(str(KG)) :] for term in kg_terms(ontology)}
    assert defined == set(KG.__annotations__)


def test_ontology_refers_only_to_its_own_terms(ontology: Graph) -> None:
    used = {o for o in ontology.objects() if isinstance(o, URIRef) and str(o).startswith(str(KG))}
    assert used - kg_terms(ontology) == set()


def test_chinese_text_is_simplified(ontology: Graph) -> None:
    opencc = pytest.importorskip("opencc")
    to_simplified = opencc.OpenCC("t2s")
    chinese = [str(o) for o in ontology.objects() if isinstance(o, Literal) and o.language == "zh-Hans"]
    assert len(chinese) > 140
    assert [text for text in chinese if to_simplified.convert(text) != text] == []


def test_ontology_header(ontology: Graph) -> None:
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) == Literal("0.1.0")
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.license, RDFS.comment):
        assert ontology.value(header, predicate) is not None, predicate


def test_every_term_has_labels_and_definitions_in_both_languages(ontology: Graph) -> None:
    for term in kg_terms(ontology):
        for predicate in (RDFS.label, SKOS.definition):
            languages = {o.language for o in ontology.objects(term, predicate)}
            assert languages == {"zh-Hans", "en"}, (term, predicate)


def test_every_term_has_one_kind(ontology: Graph) -> None:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}
    for term in kg_terms(ontology):
        assert len(set(ontology.objects(term, RDF.type)) & kinds) == 1, term


def test_properties_have_domain_and_range(ontology: Graph) -> None:
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            assert ontology.value(prop, RDFS.domain) is not None, prop
            assert ontology.value(prop, RDFS.range) is not None, prop


@pytest.mark.parametrize(
    ("prop", "datatype"),
    [
        (KG.planYear, XSD.gYear),
        (KG.deadline, XSD.gYear),
        (KG.value, XSD.decimal),
        (KG.valueMax, XSD.decimal),
        (KG.number, XSD.integer),
        (KG.position, XSD.integer),
        (KG.byteSize, XSD.integer),
        (KG.adcode, XSD.string),
        (KG.governmentInferred, XSD.boolean),
    ],
)
def test_datatype_ranges(ontology: Graph, prop: URIRef, datatype: URIRef) -> None:
    assert ontology.value(prop, RDFS.range) == datatype


def test_enumerations_are_closed(ontology: Graph) -> None:
    enumerations = {
        KG.AdminLevel: [KG.ProvinceLevel, KG.CityLevel, KG.DistrictLevel, KG.CountyLevel],
        KG.Comparator: [KG.AtLeast, KG.AtMost, KG.Exactly],
        KG.CitationRelation: [KG.Implements, KG.Drafts],
        KG.PolicyScope: [KG.NationalScope, KG.ProvincialScope, KG.MunicipalScope, KG.DistrictScope],
    }
    for cls, members in enumerations.items():
        assert list(Collection(ontology, ontology.value(cls, OWL.oneOf))) == members
        assert set(ontology.subjects(RDF.type, cls)) == set(members)
        for member in members:
            assert (member, RDF.type, OWL.NamedIndividual) in ontology


@pytest.mark.parametrize(
    ("term", "predicate", "target"),
    [
        (KG.Government, RDFS.subClassOf, ORG.FormalOrganization),
        (KG.WorkPlan, RDFS.subClassOf, PROV.Entity),
        (KG.Initiative, RDFS.subClassOf, PROV.Entity),
        (KG.Policy, RDFS.subClassOf, PROV.Entity),
        (KG.SourceDocument, RDFS.subClassOf, PROV.Entity),
        (KG.BuildActivity, RDFS.subClassOf, PROV.Activity),
        (KG.TextSpan, RDFS.subClassOf, OA.SpecificResource),
        (KG.Policy, RDFS.seeAlso, URIRef("http://data.europa.eu/eli/ontology#LegalResource")),
        (KG.cites, RDFS.subPropertyOf, URIRef("http://data.europa.eu/eli/ontology#cites")),
        (KG.partOf, RDFS.subPropertyOf, DCTERMS.isPartOf),
        (KG.withinDivision, RDFS.subPropertyOf, ORG.subOrganizationOf),
        (KG.issuedBy, RDFS.subPropertyOf, DCTERMS.publisher),
        (KG.derivedFrom, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (KG.measures, RDFS.range, SKOS.Concept),
    ],
)
def test_alignments(ontology: Graph, term: URIRef, predicate: URIRef, target: URIRef) -> None:
    assert (term, predicate, target) in ontology


def built_classes(ontology: Graph) -> set[URIRef]:
    """Classes the builder instantiates: every kg: class except the closed enumerations."""
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if c in kg_terms(ontology)}
    return {c for c in classes if ontology.value(c, OWL.oneOf) is None}


def test_every_built_class_has_its_own_shape(ontology: Graph) -> None:
    shapes = load_shapes()
    assert len(built_classes(ontology)) == 11
    for cls in built_classes(ontology):
        own = [s for s in shapes.subjects(SH.targetClass, cls) if (s, SH.property, None) in shapes]
        assert len(own) == 1, cls
        assert shapes.value(own[0], SH.name) is not None
        assert shapes.value(own[0], SH.description) is not None


def test_shapes_use_only_ontology_terms(ontology: Graph) -> None:
    shapes = load_shapes()
    defined = kg_terms(ontology)
    used = {o for o in shapes.objects() if isinstance(o, URIRef) and str(o).startswith(str(KG))}
    assert used - defined == set()


def test_every_constraint_explains_itself() -> None:
    shapes = load_shapes()
    explained = set(shapes.subjects(SH.path, None)) | set(shapes.subjects(RDF.type, SH.SPARQLConstraint))
    explained |= set(shapes.subjects(SH.nodeKind, None))
    for shape in explained:
        texts = [m for m in shapes.objects(shape, SH.message) if m.language == "en"]
        assert len(texts) == 1, shape


def test_every_property_shape_belongs_to_a_node_shape() -> None:
    shapes = load_shapes()
    for shape in shapes.subjects(SH.path, None):
        if isinstance(shape, URIRef):
            assert (None, SH.property, shape) in shapes, shape
    for constraint in shapes.subjects(RDF.type, SH.SPARQLConstraint):
        assert (None, SH.sparql, constraint) in shapes, constraint
        assert shapes.value(constraint, SH.prefixes) is not None, constraint
