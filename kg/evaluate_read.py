"""Read a graph written by `kg build` (docs/rdf-model.md) into the plain records `kg eval` scores.

`read_predictions` pulls the facts the guidelines define out of the union of the named graphs with SPARQL,
one record per kg:WorkPlan keyed by its `dcterms:source` (the gold "doc" key). The record types are shared
with the gold reader (`kg/evaluate_gold.py`), so gold and predicted documents compare field by field; scoring
lives in `kg/evaluate.py`.
"""

from __future__ import annotations

import re
import warnings
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespaces import KG, PREFIXES


class EvaluationError(Exception):
    """Inputs to `kg eval` that cannot be scored; the message says which input and what is wrong."""


class GoldFormatError(EvaluationError):
    """A gold file that cannot be read, is not JSON, or does not follow the gold format."""


@dataclass(frozen=True)
class InitiativeItem:
    title: str
    number: int | None = None
    section: str | None = None  # the section heading as printed


@dataclass(frozen=True)
class ReferenceItem:
    canonical: str
    tier: str | None = None  # "A" | "B"
    relation: str | None = None  # "implements" | "drafts"
    scope: str | None = None  # "national" | "provincial" | "municipal" | "district"
    surface: str | None = None
    initiative: int | str | None = None  # citing initiative: number (gold: title if unnumbered); unscored


@dataclass(frozen=True)
class TargetItem:
    value: Decimal | None
    unit: str | None
    comparator: str | None = None  # ">=" | "<=" | "="
    deadline: int | None = None
    indicator: str | None = None
    text: str | None = None  # the clause stating it
    initiative: int | str | None = None  # as for ReferenceItem


@dataclass(frozen=True)
class DocFacts:
    """What the guidelines extract from one document: the part of a gold entry that is scored."""

    doc: str
    government_adcode: str | None = None
    government_name: str | None = None
    plan_year: int | None = None
    published: str | None = None  # YYYY-MM-DD
    initiatives: tuple[InitiativeItem, ...] = ()
    references: tuple[ReferenceItem, ...] = ()
    targets: tuple[TargetItem, ...] = ()


@dataclass(frozen=True)
class GoldDoc(DocFacts):
    title: str | None = None


@dataclass(frozen=True)
class PredictedDoc(DocFacts):
    plan: str | None = None  # the kg:WorkPlan IRI it was read from


# ---------------------------------------------------------------------------------------------------------
# Built graphs

_COMPARATOR_OF = {KG.AtLeast: ">=", KG.AtMost: "<=", KG.Exactly: "="}
_RELATION_OF = {KG.Implements: "implements", KG.Drafts: "drafts"}
_SCOPE_OF = {
    KG.NationalScope: "national",
    KG.ProvincialScope: "provincial",
    KG.MunicipalScope: "municipal",
    KG.DistrictScope: "district",
}

_PLANS = """
SELECT DISTINCT ?plan ?source ?year ?issued ?adcode ?govLabel WHERE {
  ?plan a kg:WorkPlan ; dcterms:source ?source .
  OPTIONAL { ?plan kg:planYear ?year }
  OPTIONAL { ?plan dcterms:issued ?issued }
  OPTIONAL { ?plan kg:issuedBy ?gov .
             OPTIONAL { ?gov kg:adcode ?adcode }
             OPTIONAL { ?gov rdfs:label ?govLabel } }
}"""

_INITIATIVES = """
SELECT DISTINCT ?plan ?ini ?label ?number ?position ?section WHERE {
  ?plan a kg:WorkPlan .
  ?ini a kg:Initiative ; kg:partOf ?plan .
  OPTIONAL { ?ini rdfs:label ?label }
  OPTIONAL { ?ini kg:number ?number }
  OPTIONAL { ?ini kg:position ?position }
  OPTIONAL { ?ini kg:inSection ?sec . ?sec rdfs:label ?section }
}"""

# A reference hangs off the initiatives that cite it; also accept a direct link from or to the plan.
_REFERENCES = """
SELECT DISTINCT ?plan ?ref ?surface ?tier ?relation ?canonical ?scope ?ini ?position ?number WHERE {
  ?plan a kg:WorkPlan .
  ?ref a kg:PolicyReference .
  { ?ini kg:hasPolicyReference ?ref ; kg:partOf ?plan .
    OPTIONAL { ?ini kg:position ?position }
    OPTIONAL { ?ini kg:number ?number } }
  UNION { ?plan kg:hasPolicyReference ?ref }
  UNION { ?ref kg:partOf ?plan }
  OPTIONAL { ?ref kg:surfaceForm ?surface }
  OPTIONAL { ?ref kg:tier ?tier }
  OPTIONAL { ?ref kg:relation ?relation }
  OPTIONAL { ?ref kg:cites ?policy .
             OPTIONAL { ?policy rdfs:label ?canonical }
             OPTIONAL { ?policy kg:scope ?scope } }
}"""

_TARGETS = """
SELECT DISTINCT ?plan ?target ?statement ?indicator ?comparator ?value ?unit ?deadline ?position ?number
WHERE {
  ?plan a kg:WorkPlan .
  ?ini kg:hasTarget ?target ; kg:partOf ?plan .
  OPTIONAL { ?ini kg:position ?position }
  OPTIONAL { ?ini kg:number ?number }
  OPTIONAL { ?target kg:statement ?statement }
  OPTIONAL { ?target kg:indicator ?indicator }
  OPTIONAL { ?target kg:comparator ?comparator }
  OPTIONAL { ?target kg:value ?value }
  OPTIONAL { ?target kg:unit ?unit }
  OPTIONAL { ?target kg:deadline ?deadline }
}"""


def read_predictions(dataset: Dataset | Graph) -> dict[str, PredictedDoc]:
    """One PredictedDoc per kg:WorkPlan, keyed by its dcterms:source, read over the union of named graphs.

    Parts the graph lacks (no targets, no references yet) are empty tuples; a property with several values
    contributes its smallest (the builder writes one). Raises EvaluationError when two work plans share a
    dcterms:source, since their predictions could not be told apart.
    """
    graph = _union_view(dataset)
    plans = _group(graph, _PLANS, "plan", "plan")
    initiatives = _group(graph, _INITIATIVES, "plan", "ini")
    references = _group(graph, _REFERENCES, "plan", "ref")
    targets = _group(graph, _TARGETS, "plan", "target")

    by_source: dict[str, PredictedDoc] = {}
    for plan in sorted(plans):
        rows = plans[plan][plan]
        source = str(_first(rows, "source"))
        if source in by_source:
            raise EvaluationError(
                f"work plans {by_source[source].plan} and {plan} both have dcterms:source {source!r}; "
                "build each input file once"
            )
        by_source[source] = PredictedDoc(
            doc=source,
            government_adcode=_str(_first(rows, "adcode")),
            government_name=_str(_first(rows, "govLabel")),
            plan_year=_year(_first(rows, "year")),
            published=_str(_first(rows, "issued")),
            initiatives=tuple(_initiative(rows) for rows in _in_order(initiatives.get(plan, {}))),
            references=tuple(_reference(rows) for rows in _in_order(references.get(plan, {}))),
            targets=tuple(_target(rows) for rows in _in_order(targets.get(plan, {}))),
            plan=str(plan),
        )
    return by_source


def _union_view(dataset: Dataset | Graph) -> Graph:
    if isinstance(dataset, Dataset) and not dataset.default_union:
        return Dataset(store=dataset.store, default_union=True)
    return dataset


Rows = list[dict[str, Node]]


def _group(graph: Graph, query: str, outer: str, inner: str) -> dict[Node, dict[Node, Rows]]:
    """The query's rows grouped by `outer` (the plan), then by `inner` (the fact)."""
    groups: dict[Node, dict[Node, Rows]] = defaultdict(lambda: defaultdict(list))
    with warnings.catch_warnings():
        # rdflib's own SPARQL evaluation over a Dataset touches its deprecated default_context; not ours to fix
        warnings.filterwarnings("ignore", r"Dataset\.default_context is deprecated", DeprecationWarning)
        for row in graph.query(query, initNs=PREFIXES):
            values = row.asdict()
            groups[values[outer]][values[inner]].append(values)
    return groups


def _in_order(facts: Mapping[Node, Rows]) -> list[Rows]:
    """Facts in text order: by the position of the (first) initiative they belong to, then by IRI, numbers
    in the IRI compared as numbers (…/target/2 before …/target/10)."""

    def key(item: tuple[Node, Rows]) -> tuple[int, list[tuple[int, str]]]:
        iri, rows = item
        positions = [p for row in rows if (p := _int(row.get("position"))) is not None]
        natural = [(int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"([0-9]+)", str(iri))]
        return (min(positions, default=1 << 30), natural)

    return [rows for _, rows in sorted(facts.items(), key=key)]


def _first(rows: Rows, var: str) -> Node | None:
    """The smallest bound value of `var` over the rows, so that the choice does not depend on store order."""
    values = [row[var] for row in rows if row.get(var) is not None]
    return min(values, key=lambda v: (str(v), getattr(v, "language", None) or "")) if values else None


def _str(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _int(node: Node | None) -> int | None:
    if node is None:
        return None
    try:
        return int(str(node).strip())
    except ValueError:
        return None


def _year(node: Node | None) -> int | None:
    """An xsd:gYear ("2018", "2018Z", "2018+08:00") or integer literal as an int."""
    match = re.match(r"\s*(-?\d{4,})", str(node)) if node is not None else None
    return int(match.group(1)) if match else None


def _decimal(node: Node | None) -> Decimal | None:
    if node is None:
        return None
    value = node.toPython() if isinstance(node, Literal) else node
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _uri(node: Node | None) -> URIRef | None:
    return node if isinstance(node, URIRef) else None


def _first_citing(rows: Rows) -> int | None:
    """The number of the first initiative (by kg:position) among those the fact belongs to."""
    cited = sorted((_int(row.get("position")) or 0, n) for row in rows if (n := _int(row.get("number"))) is not None)
    return cited[0][1] if cited else None


def _initiative(rows: Rows) -> InitiativeItem:
    return InitiativeItem(
        title=_str(_first(rows, "label")) or "",
        number=_int(_first(rows, "number")),
        section=_str(_first(rows, "section")),
    )


def _reference(rows: Rows) -> ReferenceItem:
    return ReferenceItem(
        canonical=_str(_first(rows, "canonical")) or "",
        tier=_str(_first(rows, "tier")),
        relation=_RELATION_OF.get(_uri(_first(rows, "relation"))),
        scope=_SCOPE_OF.get(_uri(_first(rows, "scope"))),
        surface=_str(_first(rows, "surface")),
        initiative=_first_citing(rows),
    )


def _target(rows: Rows) -> TargetItem:
    return TargetItem(
        value=_decimal(_first(rows, "value")),
        unit=_str(_first(rows, "unit")),
        comparator=_COMPARATOR_OF.get(_uri(_first(rows, "comparator"))),
        deadline=_year(_first(rows, "deadline")),
        indicator=_str(_first(rows, "indicator")),
        text=_str(_first(rows, "statement")),
        initiative=_first_citing(rows),
    )
