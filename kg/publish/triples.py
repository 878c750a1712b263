"""The union graph held as two plain indexes, by subject and by (non-literal) object, read from N-Triples a line
at a time.

Why not an rdflib `Graph`: its in-memory store keeps three nested indexes and a context map for every triple, about
2 KB a triple (5–7 GB at 2,000 documents), and the site only ever asks "the values of this subject", "who points at
this IRI" and a few counts. The terms are still rdflib's (parsed by rdflib's N-Triples parser, so language tags keep
their case as built), and each distinct term is held once however many triples it stands in.

Value lists are in natural order (`sort_key`) without repeats, so an answer never depends on the order of the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path

from rdflib import Literal
from rdflib.plugins.parsers.ntriples import W3CNTriplesParser
from rdflib.term import Node

Index = dict[Node, dict[Node, list[Node]]]


class TripleIndex:
    """`TripleIndex.read(path, sort_key)`; then `values(s, p)`, `subjects(p, o)`, `referrers(o)`, `triples_of(s)`."""

    def __init__(self) -> None:
        self.by_subject: Index = {}
        self.by_object: Index = {}  # IRIs and blank nodes only: nothing looks a literal up
        self.size = 0
        self._terms: dict[Node, Node] = {}

    @classmethod
    def read(cls, path: Path, sort_key: Callable[[Node], object]) -> TripleIndex:
        """The triples of the N-Triples file `path`; rdflib's ParseError (naming the line) on a malformed one."""
        index = cls()
        with path.open("rb") as stream:
            W3CNTriplesParser(sink=index).parse(stream)  # type: ignore[arg-type]  # any object with triple()
        index._finish(sort_key)
        return index

    def triple(self, s: Node, p: Node, o: Node) -> None:
        """The parser's sink: one triple, its terms shared with the earlier triples that hold them."""
        terms = self._terms
        s, p, o = terms.setdefault(s, s), terms.setdefault(p, p), terms.setdefault(o, o)
        self.by_subject.setdefault(s, {}).setdefault(p, []).append(o)
        if not isinstance(o, Literal):
            self.by_object.setdefault(o, {}).setdefault(p, []).append(s)

    def _finish(self, sort_key: Callable[[Node], object]) -> None:
        self._terms = {}  # only needed while reading
        for index in (self.by_subject, self.by_object):
            for groups in index.values():
                for key, nodes in groups.items():
                    if len(nodes) > 1:
                        groups[key] = sorted(set(nodes), key=sort_key)
        self.size = sum(len(nodes) for groups in self.by_subject.values() for nodes in groups.values())

    # ---- lookups -----------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self.size

    def objects_of(self, subject: Node) -> dict[Node, list[Node]]:
        return self.by_subject.get(subject, {})

    def values(self, subject: Node, predicate: Node) -> list[Node]:
        return self.by_subject.get(subject, {}).get(predicate, [])

    def subjects(self, predicate: Node, obj: Node) -> list[Node]:
        return self.by_object.get(obj, {}).get(predicate, [])

    def referrers(self, obj: Node) -> dict[Node, list[Node]]:
        """predicate → the subjects that point at `obj` with it."""
        return self.by_object.get(obj, {})

    def triples_of(self, subject: Node) -> list[tuple[Node, Node, Node]]:
        return [(subject, p, o) for p, objects in self.objects_of(subject).items() for o in objects]

    def pairs(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        """(subject, object) of every triple with `predicate`, subject by subject (a scan of all subjects)."""
        for subject, groups in self.by_subject.items():
            for obj in groups.get(predicate, ()):
                yield subject, obj

    # ---- counts (VoID) -----------------------------------------------------------------------------------------

    @cached_property
    def predicate_counts(self) -> Counter[Node]:
        counts: Counter[Node] = Counter()
        for groups in self.by_subject.values():
            for predicate, objects in groups.items():
                counts[predicate] += len(objects)
        return counts

    def distinct_objects(self) -> int:
        groups = self.by_subject.values()
        literals = {o for objects in groups for os in objects.values() for o in os if isinstance(o, Literal)}
        return len(self.by_object) + len(literals)
