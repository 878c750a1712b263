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


def topic_iri(slug: str) -> str:
    return f"{topic_rules()['scheme']}/{slug}"


def assign_topics(doc: NormalisedDocument, structure: DocumentStructure) -> dict[int, tuple[str, ...]]:
    text = doc.text
    rules = topic_rules()
    weights = rules["weights"]
    sections = {s.position: s.heading.quote(text) for s in structure.sections}
    out: dict[int, tuple[str, ...]] = {}
    for initiative in structure.initiatives:
        places = (
            (initiative.title.quote(text), weights["title"]),
            (sections.get(initiative.section or 0, ""), weights["section"]),
            (initiative.body.quote(text), weights["text"]),
        )
        scored: list[tuple[int, bool, str]] = []
        for slug, keywords in rules["topics"].items():
            best = [max((w for place, w in places if k in place), default=0) for k in keywords]
            score = sum(best)
            strong = any(b > weights["text"] for b in best)
            if score and (strong or score >= weights["min_text_score"]):
                scored.append((score, strong, slug))
        chosen = [slug for _, _, slug in sorted(scored, key=lambda x: (-x[0], x[2]))[:MAX_TOPICS]] or [FALLBACK]
        out[initiative.position] = tuple(topic_iri(slug) for slug in sorted(chosen))
    return out
