"""The built graph, read once from `out/` (the union `graph.nt`, the graph sizes of `graph.nq`), with the lookups the
pages need.

Everything is read from the graph itself (its triples, `kg/publish/triples.py`), never from the byte layout of the
build's files. The build base
is found in the graph: the build activity is `BASE build/{key}`, each source `BASE source/{doc}`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.errors import InputError
from kg.namespaces import KG, OA
from kg.publish.triples import TripleIndex
from kg.write import built_file

__all__ = ["Corpus", "Span", "load_corpus", "pick", "sort_key"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    exact: str
    source: URIRef | None


@dataclass
class Corpus:
    """The union graph's triples, the named graphs' sizes and the build base.

    Lookups go through the triple index (by subject, by object), with each value list in natural order, so a page's
    many small questions ("its label", "its year") cost a dictionary access each.
    """

    triples: TripleIndex
    named_graphs: dict[str, int]
    base: str
    _labels: dict[tuple[Node, tuple[str, ...]], str] = field(default_factory=dict, repr=False)
    _spans: dict[Node, Span | None] = field(default_factory=dict, repr=False)

    # ---- classes and kinds -------------------------------------------------------------------------------------

    def instances(self, cls: URIRef) -> list[URIRef]:
        return self.subjects(RDF.type, cls)

    def has_type(self, iri: Node, cls: URIRef) -> bool:
        return cls in self.values(iri, RDF.type)

    # ---- values ------------------------------------------------------------------------------------------------

    def objects_of(self, subject: Node) -> dict[Node, list[Node]]:
        return self.triples.objects_of(subject)

    def value(self, subject: Node, predicate: URIRef) -> Node | None:
        values = self.values(subject, predicate)
        return values[0] if values else None

    def values(self, subject: Node, predicate: URIRef) -> list[Node]:
        return self.triples.values(subject, predicate)

    def subjects(self, predicate: URIRef, obj: Node) -> list[URIRef]:
        """The IRIs with `predicate` `obj`, in natural order."""
        return [s for s in self.triples.subjects(predicate, obj) if isinstance(s, URIRef)]

    def integer(self, subject: Node, predicate: URIRef) -> int | None:
        value = self.value(subject, predicate)
        try:
            return int(str(value)) if value is not None else None
        except ValueError:
            return None

    def text(self, subject: Node, predicate: URIRef, prefer: tuple[str, ...] = ("zh",)) -> Literal | None:
        return pick([v for v in self.values(subject, predicate) if isinstance(v, Literal)], prefer)

    def label(self, iri: Node, prefer: tuple[str, ...] = ("zh",)) -> str:
        """A name to show for any IRI: its label, title or preferred label, else the last part of the IRI."""
        key = (iri, prefer)
        if key not in self._labels:
            self._labels[key] = self._label(iri, prefer)
        return self._labels[key]

    def _label(self, iri: Node, prefer: tuple[str, ...]) -> str:
        for predicate in (SKOS.prefLabel, RDFS.label, DCTERMS.title, KG.surfaceForm, KG.statement):
            found = self.text(iri, predicate, prefer)
            if found is not None:
                return str(found)
        return local_name(str(iri))

    def span(self, fact: Node) -> Span | None:
        if fact not in self._spans:
            self._spans[fact] = self._span(fact)
        return self._spans[fact]

    def _span(self, fact: Node) -> Span | None:
        span = self.value(fact, KG.hasSpan)
        if span is None:
            return None
        start = end = None
        exact = ""
        for selector in self.values(span, OA.hasSelector):
            if self.has_type(selector, OA.TextPositionSelector):
                start, end = self.integer(selector, OA.start), self.integer(selector, OA.end)
            elif self.has_type(selector, OA.TextQuoteSelector):
                exact = str(self.value(selector, OA.exact) or "")
        if start is None or end is None:
            return None
        source = self.value(span, OA.hasSource)
        return Span(start, end, exact, source if isinstance(source, URIRef) else None)

    # ---- the plan structure ------------------------------------------------------------------------------------

    @cached_property
    def plans(self) -> list[URIRef]:
        return sorted(self.instances(KG.WorkPlan), key=lambda p: (self.year(p) or 0, self.label(p), str(p)))

    def year(self, plan: Node) -> int | None:
        return self.integer(plan, KG.planYear)

    def plan_of(self, fact: Node) -> URIRef | None:
        """The plan an initiative, section, target or reference belongs to: its IRI nests in the plan's,
        `BASE plan/{doc}/…`."""
        text = str(fact)
        if not text.startswith(self.base + "plan/"):
            return None
        plan = self.base + "/".join(text[len(self.base) :].split("/")[:2])
        return self._plans_by_iri.get(plan)

    @cached_property
    def _plans_by_iri(self) -> dict[str, URIRef]:
        return {str(plan): plan for plan in self.plans}

    def government_of(self, plan: Node) -> URIRef | None:
        value = self.value(plan, KG.issuedBy)
        return value if isinstance(value, URIRef) else None

    def initiatives(self, plan: Node) -> list[URIRef]:
        items = self.subjects(KG.partOf, plan)
        items = [i for i in items if self.has_type(i, KG.Initiative)]
        return sorted(items, key=lambda i: (self.integer(i, KG.position) or 0, str(i)))

    def sections(self, plan: Node) -> list[URIRef]:
        items = [s for s in self.subjects(KG.partOf, plan) if self.has_type(s, KG.Section)]
        return sorted(items, key=lambda s: (self.integer(s, KG.position) or 0, str(s)))

    def targets(self, initiative: Node) -> list[URIRef]:
        found = [t for t in self.values(initiative, KG.hasTarget) if isinstance(t, URIRef)]
        return sorted(found, key=lambda t: (int(local_name(str(t))) if local_name(str(t)).isdigit() else 0, str(t)))

    def references(self, holder: Node) -> list[URIRef]:
        """References held by an initiative or (outside any work item) by a plan, in text order."""
        found = [r for r in self.values(holder, KG.hasPolicyReference) if isinstance(r, URIRef)]
        return sorted(found, key=lambda r: (self.span(r).start if self.span(r) else 0, str(r)))

    def plan_references(self, plan: URIRef) -> list[URIRef]:
        """Every reference of a plan (one per cited policy), whether an initiative or the plan holds it."""
        return self._references_by_plan.get(plan, [])

    @cached_property
    def _references_by_plan(self) -> dict[URIRef, list[URIRef]]:
        by_plan = _grouped((self.plan_of(reference), reference) for reference in self.holder_of_reference)
        return {plan: sorted(refs, key=sort_key) for plan, refs in by_plan.items()}

    @cached_property
    def holder_of_reference(self) -> dict[URIRef, URIRef]:
        return {o: s for s, o in self._iri_pairs(KG.hasPolicyReference)}

    @cached_property
    def initiative_of_target(self) -> dict[URIRef, URIRef]:
        return {o: s for s, o in self._iri_pairs(KG.hasTarget)}

    @cached_property
    def references_of_policy(self) -> dict[URIRef, list[URIRef]]:
        by_policy = _grouped((policy, reference) for reference, policy in self._iri_pairs(KG.cites))
        return {policy: sorted(refs, key=sort_key) for policy, refs in by_policy.items()}

    @cached_property
    def plans_of_government(self) -> dict[URIRef, list[URIRef]]:
        """Each government's plans, in the order of `plans` (year, then title)."""
        return _grouped((self.government_of(plan), plan) for plan in self.plans)

    def _iri_pairs(self, predicate: URIRef) -> list[tuple[URIRef, URIRef]]:
        return [(s, o) for s, o in self.triples.pairs(predicate) if isinstance(s, URIRef) and isinstance(o, URIRef)]

    def province_of(self, government: URIRef) -> URIRef:
        """The topmost division above `government` in the graph (itself for a province)."""
        return self.chain(government)[0]

    def chain(self, government: URIRef) -> list[URIRef]:
        """`government` and its ancestors, province first."""
        out = [government]
        while True:
            parent = self.value(out[-1], KG.withinDivision)
            if not isinstance(parent, URIRef) or parent in out:
                return list(reversed(out))
            out.append(parent)


def _grouped(pairs: Iterable[tuple[URIRef | None, URIRef]]) -> dict[URIRef, list[URIRef]]:
    """key → its values in the order given; pairs without a key are left out."""
    found: dict[URIRef, list[URIRef]] = defaultdict(list)
    for key, value in pairs:
        if key is not None:
            found[key].append(value)
    return dict(found)


def load_corpus(built_dir: Path) -> Corpus:
    """The built graph of `built_dir`: the union from `graph.nt`, the named graphs' sizes from `graph.nq`.

    The union is parsed by rdflib, which keeps language tags as written (Oxigraph would lower-case them, and the
    published files must hold the build's literals exactly); the N-Quads are only counted, by Oxigraph.
    """
    union_path, quads_path, _ = [built_file(built_dir, name) for name in ("graph.nt", "graph.nq", "graph.ttl")]
    named: dict[str, int] = defaultdict(int)
    try:
        union = TripleIndex.read(union_path, sort_key)
        for quad in ox.parse(path=str(quads_path), format=ox.RdfFormat.N_QUADS):
            if isinstance(quad.graph_name, ox.NamedNode):
                named[quad.graph_name.value] += 1
    except Exception as err:  # rdflib raises many parser-specific types
        raise InputError(str(built_dir), f"cannot parse the built graph: {err}") from err
    return Corpus(union, dict(sorted(named.items())), find_base(union, union_path))


def find_base(triples: TripleIndex, where: Path) -> str:
    for cls, segment in ((KG.BuildActivity, "/build/"), (KG.SourceDocument, "/source/")):
        for subject in sorted(triples.subjects(RDF.type, cls), key=str):
            text = str(subject)
            cut = text.rfind(segment)
            if cut > 0 and "#" not in text:
                return text[: cut + 1]
    raise InputError(str(where), "no build activity or source document in the graph: cannot tell its base IRI")


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def pick(literals: Iterable[Literal], prefer: tuple[str, ...] = ("zh",)) -> Literal | None:
    """The literal whose language best matches `prefer` (by primary subtag, case-insensitive), ties by value."""
    items = sorted(literals, key=lambda lit: (str(lit), lit.language or ""))
    if not items:
        return None

    def rank(lit: Literal) -> int:
        language = (lit.language or "").lower()
        for i, wanted in enumerate(prefer):
            if language == wanted or language.startswith(wanted + "-"):
                return i
        return len(prefer) + (0 if not language else 1)

    return min(items, key=rank)


def sort_key(node: Node) -> tuple[str, str, str, str]:
    """Natural order for IRIs with numbers in them (initiative/2 before initiative/10), then the text, then a
    literal's language and datatype: a total order, so that `"国培"@zh` and `"国培"@zh-hant` come out the same way
    in every process (their order in a set follows the string hash, which changes from run to run)."""
    text = str(node)
    parts = []
    for chunk in text.split("/"):
        parts.append(chunk.zfill(12) if chunk.isdigit() else chunk)
    if isinstance(node, Literal):
        return ("/".join(parts), text, node.language or "", str(node.datatype or ""))
    return ("/".join(parts), text, "", "")
