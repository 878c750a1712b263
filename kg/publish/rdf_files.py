"""Turtle and JSON-LD of a set of triples, byte-identical for the same triples.

Turtle comes from rdflib's serializer, which orders subjects, predicates and objects. JSON-LD is compacted with the
project's published context (`kg/context.jsonld`, given inline so each file stands alone) and its arrays sorted.
IRIs stay absolute: a file describes the same resources wherever it is copied.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from rdflib import Graph

from kg.namespaces import PREFIXES
from kg.write import published_context

VOCAB_PREFIXES = {
    "ind": "https://w3id.org/edu-policy-kg/vocab/indicators/",
    "topic": "https://w3id.org/edu-policy-kg/vocab/topics/",
}
_RESOURCE_PREFIXES = {**PREFIXES, **VOCAB_PREFIXES}  # bound in every resource's graph


def to_graph(triples: Iterable[tuple]) -> Graph:
    graph = Graph()
    for prefix, namespace in _RESOURCE_PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(triple)
    return graph


def turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle").encode("utf-8")


def json_ld(graph: Graph, ctx: dict | None = None) -> bytes:
    ctx = ctx if ctx is not None else published_context()
    document = json.loads(graph.serialize(format="json-ld", context=ctx["@context"], auto_compact=True))
    if isinstance(document, list):  # rdflib gives a bare list for an empty graph
        document = {"@context": ctx["@context"], "@graph": document}
    return (json.dumps(canonical_json(document), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def canonical_json(value: object) -> object:
    """JSON-LD with node and value arrays sorted (their order carries no meaning; `@list` keeps its order)."""
    if isinstance(value, dict):
        return {key: (item if key == "@list" else canonical_json(item)) for key, item in sorted(value.items())}
    if isinstance(value, list):
        items = [canonical_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return value
