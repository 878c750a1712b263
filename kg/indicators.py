"""The indicator vocabulary (`kg/vocab/indicators.ttl`, SKOS) and matching a target's indicator to a concept.

A concept matches when one of its labels (preferred or alternative, compared as title keys: simplified, no
punctuation) stands in the indicator phrase; failing that, in the clause. The longest label wins, so
学前三年毛入园率 beats 毛入园率.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from rdflib import Graph
from rdflib.namespace import SKOS

from kg.policy_names import title_key

MIN_LABEL_CHARS = 3  # shorter labels (班额) only match the indicator phrase itself, never the whole clause


@cache
def vocabulary(name: str) -> Graph:
    graph = Graph()
    graph.parse(data=resources.files("kg").joinpath("vocab", f"{name}.ttl").read_text("utf-8"), format="turtle")
    return graph


@cache
def _chinese_labels() -> tuple[tuple[str, str], ...]:
    """(label as written, concept IRI) for every Chinese preferred and alternative label."""
    graph = vocabulary("indicators")
    return tuple(
        sorted(
            {
                (str(label), str(concept))
                for predicate in (SKOS.prefLabel, SKOS.altLabel)
                for concept, label in graph.subject_objects(predicate)
                if getattr(label, "language", None) in ("zh-Hans", "zh", None)
            }
        )
    )


@cache
def _labels() -> tuple[tuple[str, str], ...]:
    return tuple(sorted({(title_key(label), iri) for label, iri in _chinese_labels() if title_key(label)}))


def match_indicator(indicator: str, clause: str) -> str | None:
    """IRI of the indicator concept the phrase (else the clause) names, or None."""
    for text, min_chars in ((indicator, 2), (clause, MIN_LABEL_CHARS)):
        key = title_key(text)
        found = [(len(label), label, iri) for label, iri in _labels() if len(label) >= min_chars and label in key]
        if found:
            return max(found)[2]
    return None


@cache
def _printed_labels() -> tuple[str, ...]:
    labels = {label for label, _ in _chinese_labels()}
    return tuple(sorted(labels, key=lambda label: (-len(label), label)))


def label_in(text: str, min_chars: int = 4) -> tuple[int, int] | None:
    """Where the longest indicator label stands verbatim in `text` (normalised), as (start, end), or None."""
    for label in _printed_labels():
        if len(label) < min_chars:
            break
        at = text.find(label)
        if at >= 0:
            return at, at + len(label)
    return None
