"""Validation in two scopes, so that a build validates each document once, in the worker that extracted it (the
report is cached with the document), and the parent validates only what depends on the whole corpus.

- **Document scope**: every targeted shape but the corpus ones (plans, sections, initiatives, targets, policy
  references, spans, evidence, issuing bodies). They read the document's own graph and the few shared nodes it
  points at: its government and department, the policies it cites, the build activity. The worker validates
  them on the own graph plus exactly those shared triples, mapped from the same record by the same code that
  maps the shared graphs (`map_shared`, and `add_build` for this one source). Linking, which runs later over the
  whole corpus, changes only the policies' labels, which no document shape reads.
- **Corpus scope**: the shapes of the shared nodes (governments, policies with their counts over every plan, the
  build activity). They read the shared graphs and, of each document's graph, only `corpus_view`.

Every shape of `kg/shapes/` is in one scope, `kgsh:IriNodeShape` in both (its classes live in both).
`tests/test_validate_scopes.py` runs every mutation of `tests/test_shapes.py` through both scopes and checks they
report exactly what one validation of the whole graph reports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from importlib import metadata

import pyoxigraph as ox
from rdflib import Graph, Node, URIRef

from kg.graphset import GraphSet
from kg.iris import Iris
from kg.namespaces import KG, RDF, SH
from kg.rdf_mapping import add_build, map_shared
from kg.records import DocumentRecord
from kg.validate import KGSH, SHAPES_DIR, ValidationResult, load_shapes, validate, validation_graph

# the shapes whose focus nodes live in the shared graphs
CORPUS_SHAPES = frozenset(URIRef(KGSH + name) for name in ("GovernmentShape", "PolicyShape", "BuildActivityShape"))
IN_BOTH_SCOPES = URIRef(KGSH + "IriNodeShape")
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_SHAPE_VALUED = (SH.property, SH.node, SH.qualifiedValueShape, SH["not"])
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)

# What the corpus shapes read of a document's graph: each reference's policy, plan and relation (a policy's
# counts over every plan), and the type of the source document (what the build activity used).
_VIEW_PREDICATES = frozenset(ox.NamedNode(p) for p in (KG.cites, KG.inPlan, KG.relation))
_RDF_TYPE = ox.NamedNode(RDF.type)
_VIEW_TYPES = frozenset((ox.NamedNode(KG.SourceDocument),))


@cache
def shape_scopes() -> tuple[list[URIRef], list[URIRef]]:
    """(document shapes, corpus shapes): every shape with a target, and the named shapes under it, in IRI order.

    The named parts are listed too because pySHACL's `use_shapes` follows only blank nodes from the shapes it is
    given: a property shape with an IRI that is not listed is skipped, and its constraints pass unchecked."""
    shapes = load_shapes()
    targeted = {s for p in _TARGETS for s in shapes.subjects(p, None)}
    document = _with_parts(shapes, {s for s in targeted if s not in CORPUS_SHAPES})
    corpus = _with_parts(shapes, {s for s in targeted if s in CORPUS_SHAPES or s == IN_BOTH_SCOPES})
    return document, corpus


def _with_parts(shapes: Graph, roots: set[Node]) -> list[URIRef]:
    found, todo = set(), list(roots)
    while todo:
        shape = todo.pop()
        if shape in found:
            continue
        found.add(shape)
        for predicate in _SHAPE_VALUED:
            todo.extend(shapes.objects(shape, predicate))
        for predicate in _SHAPE_LISTS:
            for members in shapes.objects(shape, predicate):
                todo.extend(shapes.items(members))
    return sorted((s for s in found if isinstance(s, URIRef)), key=str)


@cache
def shapes_fingerprint() -> str:
    """A digest of the shapes and of the validator: a cached report is good only while both are unchanged."""
    hasher = hashlib.sha256()
    for package in ("pyshacl", "rdflib"):
        hasher.update(f"{package}={metadata.version(package)}\n".encode())
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        hasher.update(path.name.encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()[:12]


def corpus_view(own: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples of a document's graph that the corpus shapes read."""
    return [t for t in own if t.predicate in _VIEW_PREDICATES or (t.predicate == _RDF_TYPE and t.object in _VIEW_TYPES)]


def document_context(iris: Iris, record: DocumentRecord) -> list[ox.Triple]:
    """The shared triples a document's graph points at: its divisions and department, the policies it cites, and
    the build activity with this document as its one input."""
    context = GraphSet()
    build = add_build(context, iris, [record.source])
    map_shared(context, iris, record, build)
    return [t for _, triples in context.finalised() for t in triples]


def validate_document(own: Iterable[ox.Triple], context: Iterable[ox.Triple]) -> ValidationResult:
    """The document shapes on one document's graph and its context."""
    return validate(validation_graph([*own, *context]), shape_names=shape_scopes()[0])


def validate_corpus(shared: Iterable[ox.Triple], views: Iterable[bytes]) -> ValidationResult:
    """The corpus shapes on the shared graphs and every document's `corpus_view` (N-Triples)."""
    return validate(validation_graph(list(shared), b"".join(views)), shape_names=shape_scopes()[1])


def corpus_inputs_digest(shared: Iterable[ox.Triple], views: Iterable[bytes]) -> str:
    """A digest of everything the corpus shapes read, and of the shapes: equal digests, equal reports."""
    hasher = hashlib.sha256(shapes_fingerprint().encode())
    hasher.update(ox.serialize(shared, format=ox.RdfFormat.N_TRIPLES))
    for view in views:
        hasher.update(hashlib.sha256(view).digest())
    return hasher.hexdigest()[:24]


def report_ntriples(result: ValidationResult) -> bytes:
    """A document's report for the cache: empty when it has no results (the usual case), else N-Triples."""
    if result.violations == 0 and result.warnings == 0 and not any(result.report.subjects(SH.resultSeverity)):
        return b""
    return result.report.serialize(format="nt", encoding="utf-8")
