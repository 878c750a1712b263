"""Counts per class and per document, for the build summary and `kg stats`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg.graphset import read_graphs
from kg.iris import Iris
from kg.namespaces import KG, compact_iri

_RDF_TYPE = str(RDF.type)


@dataclass(frozen=True)
class DocumentStats:
    doc_id: str
    source: str
    triples: int
    initiatives: int
    targets: int
    references: int
    government: str | None
    adcode: str | None
    plan_year: int | None


@dataclass(frozen=True)
class BuiltStats:
    triples: int
    classes: dict[str, int]
    documents: list[DocumentStats]


_PLAN_PROPERTIES = frozenset({str(KG.issuedBy), str(KG.planYear), str(DCTERMS.source)})


@dataclass(frozen=True)
class GraphSummary:
    """What the stats read of one document's graph: small enough to cache with the document and to send back
    from an extraction worker."""

    triples: int
    instances: tuple[tuple[str, int], ...]  # (class IRI, instances in this graph)
    plan_values: tuple[tuple[str, str], ...]  # (predicate IRI, value) of the plan's single-valued properties

    @classmethod
    def of(cls, plan: str, triples: list[ox.Triple]) -> GraphSummary:
        types = {(t.subject.value, t.object.value) for t in triples if t.predicate.value == _RDF_TYPE}
        values = {
            t.predicate.value: t.object.value
            for t in triples
            if t.subject.value == plan and t.predicate.value in _PLAN_PROPERTIES
        }
        return cls(len(triples), tuple(sorted(Counter(c for _, c in types).items())), tuple(sorted(values.items())))


class StatsCollector:
    """Triples, instances per kg: class and per-document counts, gathered graph by graph as the build writes them
    (or as `read_back` reads them), so nothing has to keep every graph. Subjects never repeat across graphs (see
    kg/write.py), so per-graph instance counts add up to the union's."""

    def __init__(self, base: str) -> None:
        self.iris = Iris(base)
        self.triples = 0
        self.classes: Counter[str] = Counter()
        self._documents: dict[str, GraphSummary] = {}
        self._governments: dict[tuple[str, str], str] = {}

    def add_graph(self, name: str, triples: list[ox.Triple], doc_id: str | None = None) -> None:
        if doc_id is not None:
            self.add_document(doc_id, GraphSummary.of(str(self.iris.plan(doc_id)), triples))
            return
        self._count(GraphSummary.of("", triples))
        if name == str(self.iris.shared_graph("governments")):
            self._governments = _values(triples)

    def add_document(self, doc_id: str, summary: GraphSummary) -> None:
        self._count(summary)
        self._documents[doc_id] = summary

    def _count(self, summary: GraphSummary) -> None:
        self.triples += summary.triples
        self.classes.update({compact_iri(c): n for c, n in summary.instances if c.startswith(str(KG))})

    def result(self, doc_ids: list[str]) -> BuiltStats:
        documents = []
        for doc_id in doc_ids:
            summary = self._documents.get(doc_id, GraphSummary(0, (), ()))
            kinds, values = dict(summary.instances), dict(summary.plan_values)
            government = values.get(str(KG.issuedBy))
            year = values.get(str(KG.planYear))
            documents.append(
                DocumentStats(
                    doc_id=doc_id,
                    source=str(values.get(str(DCTERMS.source))),
                    triples=summary.triples,
                    initiatives=kinds.get(str(KG.Initiative), 0),
                    targets=kinds.get(str(KG.Target), 0),
                    references=kinds.get(str(KG.PolicyReference), 0),
                    government=self._governments.get((government, str(RDFS.label))) if government else None,
                    adcode=self._governments.get((government, str(KG.adcode))) if government else None,
                    plan_year=int(year) if year is not None else None,
                )
            )
        return BuiltStats(self.triples, dict(sorted(self.classes.items())), documents)


def _values(triples: list[ox.Triple]) -> dict[tuple[str, str], str]:
    """(subject, predicate) → the object's value, for the single-valued properties the stats read."""
    return {(t.subject.value, t.predicate.value): t.object.value for t in triples}


def read_back(nquads: Path) -> BuiltStats:
    """The counts of a finished build, read from its graph.nq (`kg stats`) by the collector the build used. The
    file holds one graph after another, so only one graph is in memory at a time; every graph IRI is the base
    followed by `graph/`, and a document's graph is the one holding a work plan."""
    collector: StatsCollector | None = None
    doc_ids: list[str] = []
    for name, triples in read_graphs(nquads):
        collector = collector or StatsCollector(name[: name.rfind("graph/")])
        doc_id = _document_key(name, triples)
        collector.add_graph(name, triples, doc_id)
        doc_ids += [doc_id] if doc_id else []
    return collector.result(doc_ids) if collector else BuiltStats(0, {}, [])


def _document_key(graph: str, triples: list[ox.Triple]) -> str | None:
    """The document key of a document's graph (the identifier of its source), None for a shared graph."""
    if not any(t.predicate.value == _RDF_TYPE and t.object.value == str(KG.WorkPlan) for t in triples):
        return None
    key = next((t.object.value for t in triples if t.predicate.value == str(DCTERMS.identifier)), None)
    return key if key and graph.endswith(f"graph/{key}") else None
