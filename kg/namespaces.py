"""Every vocabulary term the code emits, in one place.

Code never spells an IRI as a string literal elsewhere: it imports the term from here. `KG` is a closed
namespace, so a misspelt term is an AttributeError at import time rather than a silently wrong triple.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/edu-policy-kg/ontology"
DEFAULT_BASE = "https://w3id.org/edu-policy-kg/id/"


class KG(DefinedNamespace):
    """The edu-policy-kg ontology (kg/ontology.ttl). Keep in step with it: a test checks both ways."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    WorkPlan: URIRef
    Government: URIRef
    Initiative: URIRef
    Section: URIRef
    Target: URIRef
    PolicyReference: URIRef
    Policy: URIRef
    SourceDocument: URIRef
    TextSpan: URIRef
    GovernmentEvidence: URIRef
    BuildActivity: URIRef
    AdminLevel: URIRef
    Comparator: URIRef
    CitationRelation: URIRef
    PolicyScope: URIRef
    # individuals
    ProvinceLevel: URIRef
    CityLevel: URIRef
    DistrictLevel: URIRef
    CountyLevel: URIRef
    AtLeast: URIRef
    AtMost: URIRef
    Exactly: URIRef
    Implements: URIRef
    Drafts: URIRef
    NationalScope: URIRef
    ProvincialScope: URIRef
    MunicipalScope: URIRef
    DistrictScope: URIRef
    # work plan
    planYear: URIRef
    issuedBy: URIRef
    issuingBody: URIRef
    governmentInferred: URIRef
    governmentEvidence: URIRef
    evidenceKind: URIRef
    sourceDocument: URIRef
    # government
    adcode: URIRef
    adminLevel: URIRef
    withinDivision: URIRef
    fullName: URIRef
    # work plan counts
    initiativeCount: URIRef
    targetCount: URIRef
    referenceCount: URIRef
    # initiative and section
    partOf: URIRef
    inPlan: URIRef
    number: URIRef
    position: URIRef
    inSection: URIRef
    hasTarget: URIRef
    hasPolicyReference: URIRef
    normalizedLabel: URIRef
    # target
    indicator: URIRef
    comparator: URIRef
    value: URIRef
    valueMax: URIRef
    unit: URIRef
    unitOfMeasure: URIRef
    deadline: URIRef
    statement: URIRef
    measures: URIRef
    unitHint: URIRef
    # policy reference and policy
    cites: URIRef
    relation: URIRef
    surfaceForm: URIRef
    sentence: URIRef
    tier: URIRef
    scope: URIRef
    derivedFrom: URIRef
    citingPlanCount: URIRef
    implementsCount: URIRef
    draftsCount: URIRef
    # provenance
    hasSpan: URIRef
    sha256: URIRef
    byteSize: URIRef
    encoding: URIRef
    encodingMethod: URIRef
    script: URIRef
    text: URIRef
    softwareVersion: URIRef
    graphDigest: URIRef
    extractorVersion: URIRef


ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
QUDT_UNIT = Namespace("http://qudt.org/vocab/unit/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "skos": str(SKOS),
    "org": str(ORG),
    "oa": str(OA),
    "eli": str(ELI),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "unit": str(QUDT_UNIT),
}


def compact_iri(iri: str) -> str:
    """prefix:local for an IRI in one of `PREFIXES`' namespaces (none nests in another), else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
    return iri


__all__ = [
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE",
    "ELI",
    "KG",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "QUDT_UNIT",
    "RDF",
    "RDFS",
    "SH",
    "SKOS",
    "VOID",
    "XSD",
    "compact_iri",
]
