"""The built dataset: named graphs of pyoxigraph triples, what the mapper fills and the writers serialise.

The mapper used to fill an rdflib `Dataset`; its in-memory store and serialisers were most of a build's time. A
graph here is a plain list of `pyoxigraph.Triple` with no index: the build only appends, then sorts each graph
once (`finalised`), and Oxigraph's writers serialise it. rdflib is still there for what needs it (SHACL
validation, the scorer): `to_rdflib` parses the N-Quads.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from kg.namespaces import PREFIXES


def text(value: str, lang: str | None = None) -> ox.Literal:
    """A string literal; Oxigraph lower-cases language tags (zh-Hans → zh-hans), which BCP 47 allows."""
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def typed(value: object, datatype: URIRef | str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(datatype))


class Graph:
    """One named graph being built: triples in the order they were added (duplicates allowed until finalised)."""

    __slots__ = ("name", "triples")

    def __init__(self, name: str) -> None:
        self.name = name
        self.triples: list[ox.Triple] = []

    def add(self, s: str, p: str, o: str | ox.Literal) -> None:
        self.triples.append(
            ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o if isinstance(o, ox.Literal) else ox.NamedNode(o))
        )

    def extend(self, triples: list[ox.Triple]) -> None:
        self.triples.extend(triples)


class GraphSet:
    def __init__(self) -> None:
        self._graphs: dict[str, Graph] = {}
        self._done: set[object] = set()

    def first_time(self, key: object) -> bool:
        """True the first time `key` is asked about. Facts that never vary (a division, a policy's label) are
        added once, not once for every document that mentions them: the duplicates would be dropped when the
        graphs are finalised anyway, but making them was most of the time of mapping the shared graphs."""
        if key in self._done:
            return False
        self._done.add(key)
        return True

    def graph(self, name: str) -> Graph:
        key = str(name)
        found = self._graphs.get(key)
        if found is None:
            found = self._graphs[key] = Graph(key)
        return found

    def finalised(self) -> list[tuple[str, list[ox.Triple]]]:
        """Non-empty graphs in IRI order, each deduplicated and sorted by its N-Triples form: stable bytes."""
        out = []
        for name in sorted(self._graphs):
            triples = sorted(set(self._graphs[name].triples), key=str)
            if triples:
                out.append((name, triples))
        return out

    def quads(self) -> Iterator[ox.Quad]:
        for name, triples in self.finalised():
            graph = ox.NamedNode(name)
            for t in triples:
                yield ox.Quad(t.subject, t.predicate, t.object, graph)

    def nquads(self) -> bytes:
        return ox.serialize(self.quads(), format=ox.RdfFormat.N_QUADS)

    def to_rdflib(self) -> Dataset:
        return parse_nquads(self.nquads())


def parse_nquads(data: bytes) -> Dataset:
    """An rdflib Dataset of N-Quads, with the project's prefixes bound."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    dataset.parse(data=data, format="nquads")
    return dataset


def read_graphs(nquads: Path) -> Iterator[tuple[str, list[ox.Triple]]]:
    """The named graphs of an N-Quads file written graph after graph (the build's graph.nq), one at a time, so
    a large build is never held whole."""
    with nquads.open("rb") as handle:
        quads = ox.parse(handle, ox.RdfFormat.N_QUADS)
        for name, group in groupby(quads, key=lambda quad: quad.graph_name.value):
            yield name, [quad.triple for quad in group]
