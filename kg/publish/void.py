"""The dataset described in VoID and DCAT (`void.ttl`, `void.jsonld`): counts, class and property partitions,
example resources, the dumps, the licence, the SPARQL endpoint and the IRI space.

The description's own IRIs are absolute, under the public URL of the site (`--base`): `{base}void.ttl#dataset`,
`…#dump-nq`, `…#class/WorkPlan`. No blank nodes and no timestamps: the same graph gives the same file.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, XSD
from rdflib.term import Node

from kg import __version__
from kg.namespaces import DCAT, KG, ONTOLOGY_IRI, PREFIXES, PROV, VOID
from kg.publish.corpus import Corpus
from kg.publish.paths import VOCAB_IRI

MEDIA_TYPES = {".nq.gz": "application/n-quads", ".ttl.gz": "text/turtle"}
FORMATS = Namespace("http://www.w3.org/ns/formats/")  # W3C's IRIs for RDF syntaxes (VoID features)
GZIP = URIRef("http://www.iana.org/assignments/media-types/application/gzip")


@dataclass(frozen=True)
class Dump:
    file: str  # site path, e.g. "dumps/graph.nq.gz"
    size: int


def counts(corpus: Corpus) -> dict[str, int]:
    triples = corpus.triples
    return {
        "triples": len(triples),
        "subjects": len(triples.by_subject),
        "objects": triples.distinct_objects(),
        "properties": len(triples.predicate_counts),
        "classes": len(_classes(corpus)),
        "plans": len(corpus.plans),
        "governments": len(corpus.instances(KG.Government)),
        "initiatives": len(corpus.instances(KG.Initiative)),
        "targets": len(corpus.instances(KG.Target)),
        "policies": len(corpus.instances(KG.Policy)),
        "references": len(corpus.instances(KG.PolicyReference)),
        "graphs": len(corpus.named_graphs),
    }


def describe(
    corpus: Corpus,
    numbers: dict[str, int],
    base_url: str,
    dumps: list[Dump],
    examples: list[URIRef],
    license: str | None,
) -> Graph:
    """The VoID and DCAT description; `numbers` are the corpus's `counts`, made once for the home page too."""
    graph = Graph()
    for prefix, namespace in {**PREFIXES, "void": str(VOID), "dcat": str(DCAT), "foaf": str(FOAF)}.items():
        graph.bind(prefix, namespace)
    here = base_url + "void.ttl#"
    dataset = URIRef(here + "dataset")
    add = graph.add
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, DCTERMS.title, Literal("Education work plans of Chinese local governments", lang="en")))
    add((dataset, DCTERMS.title, Literal("中国地方政府教育工作要点知识图谱", lang="zh-Hans")))
    add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "Local-government education work plans read into linked data: issuing governments, initiatives, "
                "quantified targets and cited policies, each fact with the text span it came from.",
                lang="en",
            ),
        )
    )
    add(
        (
            dataset,
            DCTERMS.description,
            Literal(
                "地方政府教育工作要点的关联数据：发布政府、工作举措、量化目标和引用的政策文件，每条事实都关联原文片段。",
                lang="zh-Hans",
            ),
        )
    )
    for keyword in ("教育", "工作要点", "education policy", "linked data"):
        add((dataset, DCAT.keyword, Literal(keyword, lang="zh-Hans" if keyword[0] > "\u2e80" else "en")))
    if license:
        add((dataset, DCTERMS.license, URIRef(license)))
    add((dataset, DCAT.landingPage, URIRef(base_url + "index.html")))
    add((dataset, FOAF.homepage, URIRef(base_url + "index.html")))
    add((dataset, VOID.uriSpace, Literal(corpus.base)))
    add((dataset, VOID.rootResource, URIRef(base_url + "index.html")))
    add((dataset, VOID.sparqlEndpoint, URIRef(base_url + "sparql")))
    for syntax in ("N-Quads", "Turtle", "JSON-LD"):
        add((dataset, VOID.feature, FORMATS[syntax]))
    for vocabulary in (
        ONTOLOGY_IRI,
        VOCAB_IRI + "indicators",
        VOCAB_IRI + "topics",
        *sorted(set(PREFIXES.values()) - {str(KG)}),
    ):
        add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    add((dataset, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    add((dataset, DCAT.version, Literal(__version__)))
    for example in examples:
        add((dataset, VOID.exampleResource, example))
    builds = corpus.instances(KG.BuildActivity)
    for build in builds:
        add((dataset, PROV.wasGeneratedBy, build))

    for key in ("triples", "classes", "properties"):
        add((dataset, VOID[key], Literal(numbers[key], datatype=XSD.integer)))
    add((dataset, VOID.distinctSubjects, Literal(numbers["subjects"], datatype=XSD.integer)))
    add((dataset, VOID.distinctObjects, Literal(numbers["objects"], datatype=XSD.integer)))
    add((dataset, VOID.entities, Literal(numbers["subjects"], datatype=XSD.integer)))

    for cls in sorted(_classes(corpus), key=str):
        part = URIRef(here + "class/" + _local(str(cls)))
        add((dataset, VOID.classPartition, part))
        add((part, VOID["class"], cls))
        add((part, VOID.entities, Literal(len(corpus.triples.subjects(RDF.type, cls)), datatype=XSD.integer)))
    for predicate, count in sorted(corpus.triples.predicate_counts.items(), key=lambda item: str(item[0])):
        part = URIRef(here + "property/" + _local(str(predicate)))
        add((dataset, VOID.propertyPartition, part))
        add((part, VOID.property, predicate))
        add((part, VOID.triples, Literal(count, datatype=XSD.integer)))

    for dump in dumps:
        url = URIRef(base_url + dump.file)
        suffix = next(s for s in MEDIA_TYPES if dump.file.endswith(s))
        distribution = URIRef(here + "dump-" + suffix.strip(".").split(".")[0])
        add((dataset, VOID.dataDump, url))
        add((dataset, DCAT.distribution, distribution))
        add((distribution, RDF.type, DCAT.Distribution))
        add((distribution, DCAT.downloadURL, url))
        add((distribution, DCAT.accessURL, url))
        add(
            (
                distribution,
                DCAT.mediaType,
                URIRef("https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[suffix]),
            )
        )
        add((distribution, DCAT.compressFormat, GZIP))
        add((distribution, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        add((distribution, DCTERMS.title, Literal(f"{MEDIA_TYPES[suffix]} dump, gzip", lang="en")))
        if license:
            add((distribution, DCTERMS.license, URIRef(license)))

    service = URIRef(here + "sparql")
    add((dataset, DCAT.distribution, URIRef(here + "sparql-distribution")))
    add((URIRef(here + "sparql-distribution"), RDF.type, DCAT.Distribution))
    add((URIRef(here + "sparql-distribution"), DCAT.accessService, service))
    add((URIRef(here + "sparql-distribution"), DCAT.accessURL, URIRef(base_url + "sparql")))
    add((service, RDF.type, DCAT.DataService))
    add((service, DCAT.endpointURL, URIRef(base_url + "sparql")))
    add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    add((service, DCAT.servesDataset, dataset))
    add((service, DCTERMS.title, Literal("Read-only SPARQL 1.1 endpoint (kg serve)", lang="en")))
    return graph


def _classes(corpus: Corpus) -> set[Node]:
    """Every object of rdf:type."""
    return {cls for cls, pointing in corpus.triples.by_object.items() if RDF.type in pointing}


def _local(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}-{iri[len(namespace) :]}"
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
