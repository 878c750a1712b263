"""Stage: map extraction records to RDF, one named graph per document (see docs/rdf-model.md).

The only module that knows both the records and the vocabulary. No blank nodes: every node gets an IRI from
`kg/iris.py`, so serialisations are byte-identical run after run.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from importlib import resources

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg import EXTRACTOR_VERSION, __version__
from kg.gazetteer import load_gazetteer
from kg.graphset import Graph, GraphSet, text, typed
from kg.iris import Iris, digest
from kg.namespaces import KG, OA, ORG, QUDT_UNIT
from kg.normalise import normalise_text
from kg.policy_names import load_catalogue, title_key
from kg.records import (
    AdminLevel,
    Comparator,
    Division,
    DocumentRecord,
    PolicyReferenceRecord,
    PolicyScope,
    Relation,
    Script,
    SourceDocument,
    Span,
)
from kg.references import national_policy_key
from kg.structure import clean_label, sentence_span

LEVELS = {
    AdminLevel.PROVINCE: KG.ProvinceLevel,
    AdminLevel.CITY: KG.CityLevel,
    AdminLevel.DISTRICT: KG.DistrictLevel,
    AdminLevel.COUNTY: KG.CountyLevel,
}
COMPARATORS = {Comparator.AT_LEAST: KG.AtLeast, Comparator.AT_MOST: KG.AtMost, Comparator.EXACTLY: KG.Exactly}
# QUDT unit IRIs for the counted units that have one; counts of things (所, 个, 人) are dimensionless numbers.
QUDT_UNITS = {"%": "PERCENT", "平方米": "M2", "小时": "HR", "米": "M", "公里": "KiloM", "天": "DAY"}
RELATIONS = {Relation.IMPLEMENTS: KG.Implements, Relation.DRAFTS: KG.Drafts}
SCOPES = {
    PolicyScope.NATIONAL: KG.NationalScope,
    PolicyScope.PROVINCIAL: KG.ProvincialScope,
    PolicyScope.MUNICIPAL: KG.MunicipalScope,
    PolicyScope.DISTRICT: KG.DistrictScope,
}
_LANG = {Script.SIMPLIFIED: "zh-Hans", Script.TRADITIONAL: "zh-Hant", Script.MIXED: "zh"}


def decimal_literal(value: Decimal) -> ox.Literal:
    """xsd:decimal in its canonical lexical form (10.0, 2.5), so every serialisation writes the same literal."""
    lexical = format(value, "f")
    return typed(lexical if "." in lexical else lexical + ".0", XSD.decimal)


def build_key() -> str:
    """The build activity is keyed by what did the extracting (software and extractor version), not by the
    inputs: a plan's `prov:wasGeneratedBy` then changes only when the extractor does, so one changed document
    changes only its own graph. The inputs are listed with `prov:used` in the build graph."""
    return digest("\n".join([__version__, EXTRACTOR_VERSION]))


VOCABULARIES = ("indicators", "topics")


def add_vocabularies(dataset: GraphSet, iris: Iris) -> None:
    """The indicator and topic schemes, each in its own graph, so queries can find concepts by their labels."""
    for name in VOCABULARIES:
        dataset.graph(iris.vocabulary_graph(name)).extend(_vocabulary_triples(name))


@cache
def _vocabulary_triples(name: str) -> list[ox.Triple]:
    data = resources.files("kg").joinpath("vocab", f"{name}.ttl").read_bytes()
    return list(ox.parse(data, format=ox.RdfFormat.TURTLE))


def add_build(dataset: GraphSet, iris: Iris, sources: list[SourceDocument]) -> URIRef:
    graph = dataset.graph(iris.build_graph())
    build = iris.build(build_key())
    graph.add(build, RDF.type, PROV.Activity)
    graph.add(build, RDF.type, KG.BuildActivity)
    graph.add(build, RDFS.label, text(f"edu-policy-kg {__version__} build", "en"))
    graph.add(build, KG.softwareVersion, text(__version__))
    graph.add(build, KG.extractorVersion, text(EXTRACTOR_VERSION))
    for source in sources:
        graph.add(build, PROV.used, iris.source(source.doc_id))
    return build


class DocumentMapper:
    """Writes one document's records into its named graph."""

    def __init__(self, dataset: GraphSet, iris: Iris, record: DocumentRecord, build: URIRef, shared: GraphSet) -> None:
        self.iris = iris
        self.record = record
        self.source = record.source
        self.text = record.source.text
        self.graph: Graph = dataset.graph(iris.graph(record.source.doc_id))
        # Governments, their departments and the cited policies are shared by many documents: their triples
        # live once in shared graphs, so a query over the union never meets a copy per document.
        self.shared = shared
        self.governments: Graph = shared.graph(iris.shared_graph("governments"))
        self.policies: Graph = shared.graph(iris.shared_graph("policies"))
        self.source_iri = iris.source(record.source.doc_id)
        self.plan = iris.plan(record.source.doc_id)
        self.build = build
        self.lang = _LANG[record.normalised.script]

    def map_own(self) -> None:
        """The document's own graph. It depends on this document alone (not on linking), so it can be mapped and
        serialised in a worker process and cached with the document."""
        self._source_document()
        self._plan()
        self._government()
        sections = self._sections()
        initiatives = self._initiatives(sections)
        references = self._references(initiatives)
        targets = self._targets(initiatives)
        # stated, so an overview of every plan reads three numbers instead of counting each plan's nodes
        self.add(self.plan, KG.initiativeCount, typed(len(initiatives), XSD.nonNegativeInteger))
        self.add(self.plan, KG.targetCount, typed(targets, XSD.nonNegativeInteger))
        self.add(self.plan, KG.referenceCount, typed(references, XSD.nonNegativeInteger))

    def map_shared(self) -> None:
        """What the document adds to the shared graphs: its government's divisions and department, and the
        policies it cites (their canonical labels come from linking across the corpus)."""
        resolution = self.record.government
        for division in resolution.chain:
            self._division(division)
        adcode = resolution.division.adcode if resolution.division else None
        if adcode and resolution.body:
            body = self.iris.body(adcode, normalise_text(resolution.body))
            self.governments.add(body, RDF.type, ORG.Organization)
            # one label however each document prints it (長沙市教育局, 长沙市教育局): the printed form stays on
            # the plan's evidence node
            self.governments.add(body, RDFS.label, text(normalise_text(resolution.body), "zh-Hans"))
            self.governments.add(body, ORG.subOrganizationOf, self.iris.government(adcode))
        for reference in self.record.references:
            self._policy(reference)

    # --- helpers -------------------------------------------------------------------------------------------

    def add(self, s: str, p: str, o: str | ox.Literal) -> None:
        self.graph.add(s, p, o)

    def printed(self, value: str) -> ox.Literal:
        return text(value, self.lang)

    def span(self, fact: URIRef, span: Span) -> None:
        node = Iris.child(fact, "span")
        position = Iris.child(node, "position")
        quote = Iris.child(node, "quote")
        self.add(fact, KG.hasSpan, node)
        self.add(node, RDF.type, OA.SpecificResource)
        self.add(node, RDF.type, KG.TextSpan)
        self.add(node, OA.hasSource, self.source_iri)
        self.add(node, OA.hasSelector, position)
        self.add(node, OA.hasSelector, quote)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, typed(span.start, XSD.nonNegativeInteger))
        self.add(position, OA.end, typed(span.end, XSD.nonNegativeInteger))
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, text(span.quote(self.text)))

    # --- parts ---------------------------------------------------------------------------------------------

    def _source_document(self) -> None:
        s, source = self.source_iri, self.source
        self.add(s, RDF.type, KG.SourceDocument)
        self.add(s, RDF.type, PROV.Entity)
        self.add(s, DCTERMS.identifier, text(source.doc_id))
        self.add(s, DCTERMS.source, text(source.name))
        self.add(s, DCTERMS["format"], text(source.media_type))
        self.add(s, KG.sha256, text(source.sha256))
        self.add(s, KG.byteSize, typed(source.byte_size, XSD.integer))
        self.add(s, KG.encoding, text(source.encoding))
        self.add(s, KG.encodingMethod, text(source.encoding_method))
        self.add(s, KG.script, text(self.record.normalised.script.value))
        self.add(s, KG.text, text(source.text))

    def _plan(self) -> None:
        plan, record = self.plan, self.record
        self.add(plan, RDF.type, KG.WorkPlan)
        self.add(plan, DCTERMS.source, text(self.source.name))
        self.add(plan, KG.sourceDocument, self.source_iri)
        self.add(plan, PROV.wasGeneratedBy, self.build)
        title = record.structure.title
        if title is not None:
            self.add(plan, DCTERMS.title, self.printed(clean_label(title.quote(self.text))))
            self.span(plan, title)
        elif record.structure.initiatives:
            self.span(plan, Span(record.structure.body_start, record.structure.initiatives[0].body.start))
        if record.dates.plan_year is not None:
            self.add(plan, KG.planYear, typed(f"{record.dates.plan_year:04d}", XSD.gYear))
        if record.dates.published is not None:
            self.add(plan, DCTERMS.issued, typed(record.dates.published.isoformat(), XSD.date))

    def _government(self) -> None:
        resolution = self.record.government
        self.add(self.plan, KG.governmentInferred, typed("true" if resolution.inferred else "false", XSD.boolean))
        adcode = resolution.division.adcode if resolution.division else None
        if adcode:
            self.add(self.plan, KG.issuedBy, self.iris.government(adcode))
        if resolution.body:
            # A department is shared by every plan of its government (`map_shared`); without an adcode nothing
            # says two 教育局 are one, so the node stays the plan's own.
            if adcode:
                body = self.iris.body(adcode, normalise_text(resolution.body))
            else:
                body = Iris.child(self.plan, "issuing-body")
                self.add(body, RDF.type, ORG.Organization)
                self.add(body, RDFS.label, text(normalise_text(resolution.body), "zh-Hans"))
            self.add(self.plan, KG.issuingBody, body)
            if resolution.body_span:
                # The span belongs to this plan's text, so it hangs off a plan-scoped evidence node.
                self._evidence(Iris.child(self.plan, "evidence", "issuing-body"), "issuing-body", resolution.body_span)
        for n, evidence in enumerate(resolution.evidence, start=1):
            self._evidence(Iris.child(self.plan, "evidence", n), evidence.kind, evidence.span)

    def _evidence(self, node: URIRef, kind: str, span: Span) -> None:
        self.add(self.plan, KG.governmentEvidence, node)
        self.add(node, RDF.type, KG.GovernmentEvidence)
        self.add(node, KG.evidenceKind, text(kind))
        self.add(node, RDFS.label, self.printed(span.quote(self.text)))
        self.span(node, span)

    def _division(self, division: Division) -> None:
        if not self.shared.first_time(("division", division.adcode)):
            return
        node = self.iris.government(division.adcode)
        graph = self.governments
        graph.add(node, RDF.type, KG.Government)
        graph.add(node, RDFS.label, text(division.name, "zh-Hans"))
        graph.add(node, KG.fullName, text(division.full_name, "zh-Hans"))
        graph.add(node, KG.adcode, text(division.adcode))
        graph.add(node, KG.adminLevel, LEVELS[division.level])
        if division.parent:
            graph.add(node, KG.withinDivision, self.iris.government(division.parent))

    def _sections(self) -> dict[int, URIRef]:
        nodes: dict[int, URIRef] = {}
        for section in self.record.structure.sections:
            node = Iris.child(self.plan, "section", section.position)
            nodes[section.position] = node
            self.add(node, RDF.type, KG.Section)
            self.add(node, KG.partOf, self.plan)
            self.add(node, KG.position, typed(section.position, XSD.integer))
            self.add(node, RDFS.label, self.printed(clean_label(section.heading.quote(self.text))))
            if section.number is not None:
                self.add(node, KG.number, typed(section.number, XSD.integer))
            self.span(node, section.heading)
        return nodes

    def _initiatives(self, sections: dict[int, URIRef]) -> dict[int, URIRef]:
        nodes: dict[int, URIRef] = {}
        for initiative in self.record.structure.initiatives:
            node = Iris.child(self.plan, "initiative", initiative.position)
            nodes[initiative.position] = node
            title = clean_label(initiative.title.quote(self.text))
            self.add(node, RDF.type, KG.Initiative)
            self.add(node, KG.partOf, self.plan)
            self.add(node, RDFS.label, self.printed(title))
            self.add(node, KG.normalizedLabel, text(normalise_text(title), "zh-Hans"))
            self.add(node, KG.position, typed(initiative.position, XSD.integer))
            if initiative.number is not None:
                self.add(node, KG.number, typed(initiative.number, XSD.integer))
            if initiative.section is not None:
                self.add(node, KG.inSection, sections[initiative.section])
            for topic in self.record.topics.get(initiative.position, ()):
                self.add(node, DCTERMS.subject, URIRef(topic))
            self.span(node, initiative.body)
        return nodes

    def _references(self, initiatives: dict[int, URIRef]) -> int:
        """Maps the references; returns how many reference nodes there are."""
        nodes: set[URIRef] = set()
        for reference in self.record.references:
            node = self.iris.reference(self.plan, reference.key)
            nodes.add(node)
            # A citation outside any work item (a goals paragraph) belongs to the plan as a whole.
            holder = initiatives.get(reference.initiative, self.plan) if reference.initiative else self.plan
            self.add(holder, KG.hasPolicyReference, node)
            self.add(node, RDF.type, KG.PolicyReference)
            self.add(node, KG.cites, self.iris.policy(reference.key))
            self.add(node, KG.inPlan, self.plan)
            self.add(node, KG.relation, RELATIONS[reference.relation])
            self.add(node, KG.surfaceForm, text(reference.surface.quote(self.text)))
            self.add(node, KG.sentence, text(sentence_span(self.text, reference.surface).quote(self.text)))
            self.add(node, KG.tier, text(reference.tier.value))
            self.span(node, reference.surface)
        return len(nodes)

    def _targets(self, initiatives: dict[int, URIRef]) -> int:
        """Maps the targets; returns how many target nodes there are."""
        nodes: set[URIRef] = set()
        counts: dict[int, int] = {}
        for target in self.record.targets:
            holder = initiatives[target.initiative]
            counts[target.initiative] = counts.get(target.initiative, 0) + 1
            node = Iris.child(holder, "target", counts[target.initiative])
            nodes.add(node)
            self.add(holder, KG.hasTarget, node)
            self.add(node, RDF.type, KG.Target)
            self.add(node, KG.inPlan, self.plan)
            if target.indicator:
                self.add(node, KG.indicator, self.printed(target.indicator))
            if target.measures:
                self.add(node, KG.measures, URIRef(target.measures))
            self.add(node, KG.comparator, COMPARATORS[target.comparator])
            self.add(node, KG.value, decimal_literal(target.value))
            if target.value_max is not None:
                self.add(node, KG.valueMax, decimal_literal(target.value_max))
            self.add(node, KG.unit, text(target.unit))
            if target.unit in QUDT_UNITS:
                self.add(node, KG.unitOfMeasure, QUDT_UNIT[QUDT_UNITS[target.unit]])
            if target.deadline is not None:
                self.add(node, KG.deadline, typed(f"{target.deadline:04d}", XSD.gYear))
            self.add(node, KG.statement, text(target.clause.quote(self.text)))
            self.span(node, target.clause)
        return len(nodes)

    def _policy(self, reference: PolicyReferenceRecord) -> None:
        node = self.iris.policy(reference.key)
        # Search keys (simplified, no punctuation) for the title, every variant and every known alias, so a
        # query for 民促法 or 教育現代化2035 finds the same policy.
        keys: set[str] = set()
        for mention in reference.mentions:
            variant = clean_label(mention.title.quote(self.text))
            keys.add(title_key(variant))
            if variant != reference.canonical:
                self.policies.add(node, SKOS.altLabel, self.printed(variant))
        # the rest depends on the key alone (linking gave every reference to it the same canonical title)
        if self.shared.first_time(("policy", reference.key)):
            keys.update((title_key(reference.canonical), *load_catalogue().aliases_for(reference.canonical)))
            self._policy_itself(node, reference)
        self._derivation(node, reference)
        for key in keys:
            self.policies.add(node, SKOS.hiddenLabel, text(key))

    def _policy_itself(self, node: URIRef, reference: PolicyReferenceRecord) -> None:
        self.policies.add(node, RDF.type, KG.Policy)
        self.policies.add(node, RDFS.label, text(reference.canonical, "zh-Hans"))
        self.policies.add(node, KG.scope, SCOPES[reference.scope])
        if reference.issuer:
            self.policies.add(node, DCTERMS.publisher, self.iris.government(reference.issuer))
            for division in load_gazetteer().chain(reference.issuer):
                self._division(division)

    def _derivation(self, node: URIRef, reference: PolicyReferenceRecord) -> None:
        if reference.derived_from:
            parent = _parent_policy(self.iris, reference.derived_from)
            self.policies.add(node, KG.derivedFrom, parent)
            self.policies.add(parent, RDF.type, KG.Policy)
            self.policies.add(parent, RDFS.label, text(reference.derived_from, "zh-Hans"))
            self.policies.add(parent, KG.scope, KG.NationalScope)


def _parent_policy(iris: Iris, title: str) -> URIRef:
    """The national instrument a local edition derives from (its `derived_from` title)."""
    return iris.policy(national_policy_key(title))


def map_own_graph(iris: Iris, record: DocumentRecord, build: URIRef) -> list[ox.Triple]:
    """The document's own graph alone, finalised; what it adds to the shared graphs is left to `map_shared`."""
    own = GraphSet()
    DocumentMapper(own, iris, record, build, GraphSet()).map_own()
    graphs = own.finalised()
    return graphs[0][1] if graphs else []


def map_shared(shared: GraphSet, iris: Iris, record: DocumentRecord, build: URIRef) -> None:
    """What a (linked) document adds to the shared graphs: governments, departments, cited policies."""
    DocumentMapper(GraphSet(), iris, record, build, shared).map_shared()


def add_citation_counts(shared: GraphSet, iris: Iris, records: list[DocumentRecord]) -> None:
    """How many plans cite each policy, and how many of their references implement it or commit to draft it,
    on every policy of the shared policies graph (0 for a policy only named as what another derives from).

    Counted the way the graph holds it: a plan has one reference node per cited policy (`Iris.reference`), so
    a policy's plans and relations are counted once per plan and relation."""
    citations: dict[str, set[tuple[str, Relation]]] = {}  # policy → (citing plan, relation)
    for record in records:
        for reference in record.references:
            citations.setdefault(iris.policy(reference.key), set()).add((record.source.doc_id, reference.relation))
            if reference.derived_from:
                citations.setdefault(_parent_policy(iris, reference.derived_from), set())
    graph = shared.graph(iris.shared_graph("policies"))
    for policy, cited in citations.items():
        cited_as = [relation for _, relation in cited]
        graph.add(policy, KG.citingPlanCount, typed(len({plan for plan, _ in cited}), XSD.nonNegativeInteger))
        graph.add(policy, KG.implementsCount, typed(cited_as.count(Relation.IMPLEMENTS), XSD.nonNegativeInteger))
        graph.add(policy, KG.draftsCount, typed(cited_as.count(Relation.DRAFTS), XSD.nonNegativeInteger))
