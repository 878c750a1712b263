"""The validation stage: check a built graph against the SHACL shapes in `kg/shapes/`.

`validate` takes the graph `kg build` wrote (a `Dataset` with one named graph per document, or one `Graph`) and
returns a `ValidationResult`. All named graphs are validated together, so links between documents (a plan and
the build activity, a government and its parent copied into several graphs) are checked as one graph.

pySHACL runs with no inference and no ontology graph: every shape targets the exact classes the builder emits.
Only results of severity `sh:Violation` make the data non-conforming; warnings are reported, not fatal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Dataset, Graph, Literal, Node, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result

from kg.namespaces import PREFIXES, RDF, SH

SHAPES_DIR = Path(__file__).parent / "shapes"
KGSH = "https://w3id.org/edu-policy-kg/shapes#"

_SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}
_SEVERITY_NAME = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_REPORT_PREFIXES = ("rdf", "rdfs", "xsd", "kg", "oa", "dcterms", "prov", "skos", "org")


@cache
def load_shapes() -> Graph:
    """All shapes in `kg/shapes/*.ttl` as one graph, parsed once. Treat it as read-only: it is shared."""
    shapes = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    shapes.bind("kgsh", KGSH)
    return shapes


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of one validation: whether the data conforms, the SHACL report, and counts by severity."""

    conforms: bool
    report: Graph = field(repr=False, compare=False)
    violations: int
    warnings: int
    shapes: Graph = field(repr=False, compare=False, default_factory=load_shapes)

    def summary_lines(self) -> list[str]:
        """One line per (severity, node shape, message): how many focus nodes, and the first of them.

        `Violation: kgsh:TargetShape — A target must have exactly one kg:value, an xsd:decimal: 3 focus nodes,
        e.g. <https://…/target/1>`. Violations come first, then warnings; within a severity, by shape and message.
        """
        groups: dict[tuple[int, str, str, str], set[Node]] = defaultdict(set)
        for result in self.report.subjects(SH.resultSeverity, None, unique=True):
            severity = self.report.value(result, SH.resultSeverity)
            shape = self.report.value(result, SH.sourceShape)
            key = (
                _SEVERITY_ORDER.get(severity, 3),
                _SEVERITY_NAME.get(severity, str(severity)),
                self._shape_name(shape),
                _message(self.report, result),
            )
            focus = self.report.value(result, SH.focusNode)
            if focus is not None:
                groups[key].add(focus)
        lines = []
        for (_, severity, shape, message), focus_nodes in sorted(groups.items()):
            count = len(focus_nodes)
            example = min(focus_nodes, key=str)
            noun = "focus node" if count == 1 else "focus nodes"
            lines.append(f"{severity}: {shape} — {message}: {count} {noun}, e.g. {example.n3()}")
        return lines

    def _shape_name(self, shape: Node | None) -> str:
        """The node shape a result comes from, as `kgsh:Name`; a property shape is named by its node shape."""
        if shape is None:
            return "(unknown shape)"
        if (shape, SH.path, None) in self.shapes:
            parent = next(iter(sorted(self.shapes.subjects(SH.property, shape), key=str)), None)
            if parent is not None:
                shape = parent
        text = str(shape)
        if isinstance(shape, URIRef) and text.startswith(KGSH):
            return "kgsh:" + text[len(KGSH) :]
        return shape.n3()


def _message(report: Graph, result: Node) -> str:
    """The result's English message (or its only one), without a final full stop."""
    messages = sorted(report.objects(result, SH.resultMessage), key=lambda m: (m.language != "en", str(m)))
    if not messages:
        component = report.value(result, SH.sourceConstraintComponent)
        return f"fails {component}"
    return str(messages[0]).rstrip(".")


@lru_cache(maxsize=256)
def _prepared(query: str) -> Query:
    return prepareQuery(query)


class _PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once.

    pySHACL runs every SPARQL constraint once per focus node with the same text and a different `$this` binding;
    rdflib would parse the text each time, which costs more than evaluating it.
    """

    def query(self, query_object: str | Query, *args: Any, **kwargs: Any) -> Result:  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def _as_graph(data: Graph | Dataset) -> Graph:
    """One graph over the triples of every named graph; a plain graph is viewed in place, not copied."""
    if not getattr(data, "context_aware", False):
        return _PreparedQueryGraph(store=data.store, identifier=data.identifier)
    union = _PreparedQueryGraph()
    for subject, predicate, obj, _ in data.quads((None, None, None, None)):
        union.add((subject, predicate, obj))
    return union


def validation_graph(triples: Iterable[ox.Triple], ntriples: bytes = b"") -> Graph:
    """An rdflib graph to validate, of pyoxigraph triples and N-Triples, read by the same parser as the build's
    N-Quads so that every literal is checked as a reader of the files will see it."""
    graph = _PreparedQueryGraph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) + ntriples, format="nt")
    return graph


def validate(
    data: Graph | Dataset, shapes: Graph | None = None, shape_names: Sequence[URIRef] | None = None
) -> ValidationResult:
    """Validate the union of all graphs in `data` against `shapes` (default: `load_shapes()`), or against only
    the shapes named in `shape_names` (and the shapes they refer to).

    `data` is only read. A `Dataset` is copied into one graph first; a plain `Graph` is validated in place.
    """
    shapes_graph = load_shapes() if shapes is None else shapes
    graph = _as_graph(data)
    _, report, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes_graph,
        use_shapes=list(shape_names) if shape_names is not None else None,
        ont_graph=None,
        inference="none",
        advanced=False,
        inplace=True,  # no inference: the data is only read, and pySHACL keeps our query cache
        allow_warnings=True,
        abort_on_first=False,
    )
    violations = sum(1 for _ in report.subjects(SH.resultSeverity, SH.Violation))
    warnings = sum(1 for _ in report.subjects(SH.resultSeverity, SH.Warning))
    return ValidationResult(
        conforms=violations == 0,
        report=report,
        violations=violations,
        warnings=warnings,
        shapes=shapes_graph,
    )


def merge_results(reports: Iterable[Graph], shapes: Graph | None = None) -> ValidationResult:
    """One result holding every result of `reports` once: the same result found in two reports (a shared node
    seen from two documents) is one result, as in one validation of the whole graph."""
    merged = Graph()
    report_node = BNode()
    seen: set[str] = set()
    violations = warnings = 0
    for report in reports:
        for result in sorted(report.objects(None, SH.result), key=lambda r: _described(report, r)):
            signature = _described(report, result)
            if signature in seen:
                continue
            seen.add(signature)
            merged.add((report_node, SH.result, result))
            _copy_from(report, result, merged)
            severity = report.value(result, SH.resultSeverity)
            violations += severity == SH.Violation
            warnings += severity == SH.Warning
    merged.add((report_node, RDF.type, SH.ValidationReport))
    merged.add((report_node, SH.conforms, Literal(violations == 0)))
    return ValidationResult(
        conforms=violations == 0,
        report=merged,
        violations=violations,
        warnings=warnings,
        shapes=load_shapes() if shapes is None else shapes,
    )


def _described(graph: Graph, node: Node) -> str:
    """A node written out with the blank nodes under it, the same in any graph whatever their labels."""
    if not isinstance(node, BNode):
        return node.n3()
    parts = sorted(f"{p.n3()} {_described(graph, o)}" for p, o in graph.predicate_objects(node))
    return "[" + " ; ".join(parts) + "]"


def _copy_from(source: Graph, node: Node, target: Graph) -> None:
    """`node`'s triples and those of the blank nodes under it."""
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        if isinstance(o, BNode):
            _copy_from(source, o, target)


def report_turtle(result: ValidationResult) -> bytes:
    """The report as Turtle, byte-identical for the same data.

    pySHACL's report is made of blank nodes with random labels: canonicalise them, then add the triples in
    sorted order so that the serialiser's output does not depend on set iteration order (string hashing).
    """
    canonical = to_canonical_graph(result.report)
    ordered = Graph(bind_namespaces="none")
    ordered.bind("sh", str(SH))
    ordered.bind("kgsh", KGSH)
    for prefix in _REPORT_PREFIXES:
        ordered.bind(prefix, PREFIXES[prefix])
    for triple in sorted(canonical, key=lambda triple: tuple(term.n3() for term in triple)):
        ordered.add(triple)
    return ordered.serialize(format="turtle", encoding="utf-8")


def write_report(result: ValidationResult, path: str | Path) -> Path:
    """Write the validation report as deterministic Turtle to `path`; return the path."""
    target = Path(path)
    target.write_bytes(report_turtle(result))
    return target
