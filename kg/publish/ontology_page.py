"""The ontology (`kg/ontology.ttl`) as a page: classes, properties and individuals with their Chinese and English
labels and definitions, each at an anchor named after the term (`ontology.html#WorkPlan`), so links to
`kg:WorkPlan` from any page land on it. Its Turtle and JSON-LD are published beside it."""

from __future__ import annotations

from importlib import resources

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.namespaces import KG, ONTOLOGY_IRI
from kg.publish.blocks import facts
from kg.publish.corpus import pick
from kg.publish.layout import Page
from kg.publish.markup import Markup, el, join
from kg.publish.rdf_files import json_ld
from kg.publish.site import SiteContext, compact

FILE = "ontology.html"


def ontology_turtle() -> bytes:
    return resources.files("kg").joinpath("ontology.ttl").read_bytes()


def load_ontology() -> Graph:
    graph = Graph()
    graph.parse(data=ontology_turtle().decode("utf-8"), format="turtle")
    return graph


def ontology_json_ld(graph: Graph) -> bytes:
    """JSON-LD with blank nodes named canonically, so the file is the same on every run."""
    return json_ld(to_canonical_graph(graph))


def _text(graph: Graph, subject: Node, predicate: URIRef, language: str) -> str:
    found = pick(
        (
            v
            for v in graph.objects(subject, predicate)
            if isinstance(v, Literal) and (v.language or "").lower().startswith(language)
        ),
        (language,),
    )
    return "" if found is None else str(found)


def _terms(graph: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(
        (s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef) and str(s).startswith(str(KG))), key=str
    )


def _ref(ctx: SiteContext, node: Node) -> Markup:
    """A class or property: linked, or for `[ owl:unionOf (A B) ]`, "A or B"."""
    graph = ctx.ontology
    if isinstance(node, BNode):
        members = graph.value(node, OWL.unionOf)
        if members is not None:
            return join([_ref(ctx, m) for m in Collection(graph, members)], " or ")
        return el("span", {}, "(anonymous class)")
    return ctx.term(FILE, node)


def _entry(ctx: SiteContext, term: URIRef, rows: list[tuple[str, object]], counted: int | None) -> Markup:
    graph = ctx.ontology
    name = str(term).rsplit("#", 1)[-1]
    zh, en = _text(graph, term, RDFS.label, "zh"), _text(graph, term, RDFS.label, "en")
    zh_def, en_def = _text(graph, term, SKOS.definition, "zh"), _text(graph, term, SKOS.definition, "en")
    return el(
        "section",
        {"id": name, "class": "term"},
        el(
            "h3",
            {},
            el("code", {}, f"kg:{name}"),
            " ",
            el("span", {"lang": "zh-Hans"}, zh),
            " ",
            el("span", {"class": "en", "lang": "en"}, en),
        ),
        el("p", {"lang": "zh-Hans"}, zh_def) if zh_def else None,
        el("p", {"lang": "en"}, en_def) if en_def else None,
        facts(
            [
                *rows,
                ("In this dataset", f"{counted:,}" if counted else None),
                ("IRI", el("span", {"class": "iri"}, str(term))),
            ]
        ),
    )


def ontology_page(ctx: SiteContext) -> Page:
    graph = ctx.ontology
    triples = ctx.corpus.triples
    header = URIRef(ONTOLOGY_IRI)
    classes = _terms(graph, OWL.Class)
    object_properties = _terms(graph, OWL.ObjectProperty)
    datatype_properties = _terms(graph, OWL.DatatypeProperty)
    individuals = _terms(graph, OWL.NamedIndividual)

    def class_entry(term: URIRef) -> Markup:
        members = [m for m in Collection(graph, graph.value(term, OWL.oneOf))] if graph.value(term, OWL.oneOf) else []
        rows: list[tuple[str, object]] = [
            ("Subclass of", join([_ref(ctx, c) for c in sorted(graph.objects(term, RDFS.subClassOf), key=str)], ", ")),
            ("One of", join([_ref(ctx, m) for m in members], ", ")),
            ("See also", join([_ref(ctx, c) for c in sorted(graph.objects(term, RDFS.seeAlso), key=str)], ", ")),
        ]
        return _entry(ctx, term, rows, len(triples.subjects(RDF.type, term)))

    def property_entry(term: URIRef) -> Markup:
        characteristics = [
            compact(t)
            for t in sorted(graph.objects(term, RDF.type), key=str)
            if t not in (OWL.ObjectProperty, OWL.DatatypeProperty)
        ]
        rows: list[tuple[str, object]] = [
            ("Domain", join(sorted(_ref(ctx, c) for c in graph.objects(term, RDFS.domain)), ", ")),
            ("Range", join(sorted(_ref(ctx, c) for c in graph.objects(term, RDFS.range)), ", ")),
            (
                "Subproperty of",
                join([_ref(ctx, c) for c in sorted(graph.objects(term, RDFS.subPropertyOf), key=str)], ", "),
            ),
            ("Characteristics", ", ".join(characteristics)),
        ]
        return _entry(ctx, term, rows, triples.predicate_counts.get(term, 0))

    def individual_entry(term: URIRef) -> Markup:
        kinds = [t for t in sorted(graph.objects(term, RDF.type), key=str) if t != OWL.NamedIndividual]
        rows: list[tuple[str, object]] = [
            ("Member of", join([_ref(ctx, c) for c in kinds], ", ")),
            ("Notation", str(graph.value(term, SKOS.notation) or "")),
        ]
        return _entry(ctx, term, rows, sum(len(group) for group in triples.referrers(term).values()))

    licence = graph.value(header, DCTERMS.license)
    body = [
        el("p", {"lang": "zh-Hans"}, _text(graph, header, DCTERMS.description, "zh")),
        el("p", {"lang": "en"}, _text(graph, header, DCTERMS.description, "en")),
        facts(
            [
                ("Namespace", el("span", {"class": "iri"}, str(KG))),
                ("Prefix", el("code", {}, "kg:")),
                ("Version", str(graph.value(header, OWL.versionInfo) or "")),
                ("Licence", ctx.link(FILE, licence, str(licence)) if licence is not None else None),
                (
                    "Files",
                    [
                        el("a", {"href": "ontology.ttl"}, "Turtle"),
                        " · ",
                        el("a", {"href": "ontology.jsonld"}, "JSON-LD"),
                    ],
                ),
            ]
        ),
        el(
            "nav",
            {},
            el("a", {"href": "#classes"}, f"Classes ({len(classes)})"),
            " · ",
            el("a", {"href": "#object-properties"}, f"Object properties ({len(object_properties)})"),
            " · ",
            el("a", {"href": "#datatype-properties"}, f"Datatype properties ({len(datatype_properties)})"),
            " · ",
            el("a", {"href": "#individuals"}, f"Individuals ({len(individuals)})"),
        ),
        el("h2", {"id": "classes"}, "Classes 类"),
        [class_entry(t) for t in classes],
        el("h2", {"id": "object-properties"}, "Object properties 对象属性"),
        [property_entry(t) for t in object_properties],
        el("h2", {"id": "datatype-properties"}, "Datatype properties 数据属性"),
        [property_entry(t) for t in datatype_properties],
        el("h2", {"id": "individuals"}, "Individuals 个体"),
        [individual_entry(t) for t in individuals],
    ]
    title = f"{_text(graph, header, DCTERMS.title, 'en')} · {_text(graph, header, DCTERMS.title, 'zh')}"
    return Page(FILE, title, join(body), "Ontology 本体", ONTOLOGY_IRI, (("index.html", "Home"),))
