"""Stage: topics — every initiative tagged with the education sectors and themes it is about.

The rules are data (`kg/data/topic_rules.json`: keywords per concept of `kg/vocab/topics.ttl`, and their
weights). A keyword counts once, at its best place: the initiative's title, its section heading, or its text. A
title or section match tags on its own; a topic found only in the text needs `min_text_score`. At most
MAX_TOPICS are kept, best first; an initiative nothing matches takes the general theme, so none is untagged.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from kg.records import DocumentStructure, NormalisedDocument

MAX_TOPICS = 3
FALLBACK = "reform-and-governance"


@cache
def topic_rules() -> dict:
    return json.loads(resources.files("kg.data").joinpath("topic_rules.json").read_text("utf-8"))


@cache
def _topics_of() -> dict[str, tuple[str, ...]]:
    """keyword → the topics it counts for"""
    found: dict[str, list[str]] = {}
    for slug, keywords in topic_rules()["topics"].items():
        for keyword in keywords:
            found.setdefault(keyword, []).append(slug)
    return {keyword: tuple(slugs) for keyword, slugs in found.items()}


def topic_iri(slug: str) -> str:
    return f"{topic_rules()['scheme']}/{slug}"


def assign_topics(doc: NormalisedDocument, structure: DocumentStructure) -> dict[int, tuple[str, ...]]:
    text = doc.text
    rules = topic_rules()
    weights = rules["weights"]
    sections = {s.position: s.heading.quote(text) for s in structure.sections}
    out: dict[int, tuple[str, ...]] = {}
    keywords = _topics_of()
    for initiative in structure.initiatives:
        places = (
            (initiative.title.quote(text), weights["title"]),
            (sections.get(initiative.section or 0, ""), weights["section"]),
            (initiative.body.quote(text), weights["text"]),
        )
        # each keyword's best weight over the places it occurs in: one pass over the keywords per place
        best_weight: dict[str, int] = {}
        for place, weight in places:
            for keyword in keywords:
                if keyword in place and best_weight.get(keyword, 0) < weight:
                    best_weight[keyword] = weight
        scored: list[tuple[int, bool, str]] = []
        for slug in {slug for keyword in best_weight for slug in keywords[keyword]}:  # `scored` is sorted below
            best = [best_weight.get(k, 0) for k in rules["topics"][slug]]
            score = sum(best)
            strong = any(b > weights["text"] for b in best)
            if score and (strong or score >= weights["min_text_score"]):
                scored.append((score, strong, slug))
        chosen = [slug for _, _, slug in sorted(scored, key=lambda x: (-x[0], x[2]))[:MAX_TOPICS]] or [FALLBACK]
        out[initiative.position] = tuple(topic_iri(slug) for slug in sorted(chosen))
    return out
