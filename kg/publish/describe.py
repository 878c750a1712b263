"""Which IRIs get files of their own, and which triples each resource's `.ttl` and `.jsonld` hold.

Every subject of the graph is either *published* (it gets `.html`, `.ttl`, `.jsonld`) or *folded* into the nearest
published resource whose IRI is a path prefix of its own: text spans and their selectors (`…/span`,
`…/span/position`, `…/span/quote`) and the government evidence of a plan (`{plan}/evidence/{n}`). A resource's
description is every triple whose subject is the resource or one of the subjects folded into it — its concise
bounded description, spans included. Each triple has exactly one subject, so the descriptions partition the graph:
the union of all `.ttl` files is the whole graph, and no triple is written twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import BNode, URIRef
from rdflib.namespace import RDF

from kg.errors import KgError
from kg.namespaces import KG, OA
from kg.publish.corpus import Corpus, sort_key
from kg.publish.paths import RESOURCE_SUFFIXES, SitePaths

FOLDED_CLASSES = frozenset(
    {OA.SpecificResource, KG.TextSpan, OA.TextPositionSelector, OA.TextQuoteSelector, KG.GovernmentEvidence}
)

Triple = tuple[URIRef | BNode, URIRef, object]


@dataclass(frozen=True)
class Descriptions:
    resources: tuple[URIRef, ...]  # published, in natural IRI order
    owner: dict[URIRef | BNode, URIRef]  # every subject → the resource whose files describe it
    members: dict[URIRef, tuple[URIRef | BNode, ...]]  # resource → the subjects it describes, itself first
    paths: dict[URIRef, str]  # resource → site path without suffix

    def triples(self, corpus: Corpus, resource: URIRef) -> list[Triple]:
        out: list[Triple] = []
        for subject in self.members[resource]:
            out.extend(corpus.triples.triples_of(subject))  # type: ignore[arg-type]
        return out


def partition(corpus: Corpus, site: SitePaths) -> Descriptions:
    subjects = corpus.triples.by_subject.keys()
    named = sorted((s for s in subjects if isinstance(s, URIRef)), key=sort_key)
    folded = {s for s in named if FOLDED_CLASSES.intersection(corpus.values(s, RDF.type))}
    published = {s for s in named if s not in folded}

    owner: dict[URIRef | BNode, URIRef] = {s: s for s in published}
    for subject in sorted(folded, key=sort_key):
        ancestor = _published_ancestor(subject, published)
        if ancestor is None:  # nothing to fold into: it stands on its own
            published.add(subject)
            owner[subject] = subject
        else:
            owner[subject] = ancestor
    for blank in sorted((s for s in subjects if isinstance(s, BNode)), key=str):
        owner[blank] = _owner_of_blank(corpus, blank, owner)

    members: dict[URIRef, list[URIRef | BNode]] = defaultdict(list)
    for subject, resource in owner.items():
        members[resource].append(subject)
    resources = tuple(sorted(published, key=sort_key))
    paths = {resource: site.require_path(str(resource)) for resource in resources}
    _check_collisions(paths)
    return Descriptions(
        resources=resources,
        owner=owner,
        members={r: tuple(sorted(members[r], key=lambda s: (s != r, sort_key(s)))) for r in resources},
        paths=paths,
    )


def _published_ancestor(subject: URIRef, published: set[URIRef]) -> URIRef | None:
    text = str(subject)
    while "/" in text:
        text = text.rsplit("/", 1)[0]
        if URIRef(text) in published:
            return URIRef(text)
    return None


def _owner_of_blank(corpus: Corpus, blank: BNode, owner: dict[URIRef | BNode, URIRef]) -> URIRef:
    """A blank node (the build makes none) is described with a subject that points at it."""
    seen = {blank}
    current: URIRef | BNode = blank
    while True:
        holders = sorted({s for group in corpus.triples.referrers(current).values() for s in group}, key=str)
        if not holders:
            raise KgError(f"cannot publish the blank node _:{blank}: nothing points at it")
        holder = holders[0]
        if holder in owner:
            return owner[holder]
        if holder in seen:
            raise KgError(f"cannot publish the blank node _:{blank}: it sits in a cycle of blank nodes")
        seen.add(holder)
        current = holder


def _check_collisions(paths: dict[URIRef, str]) -> None:
    taken = {path: iri for iri, path in paths.items()}
    for iri, path in sorted(paths.items()):
        for suffix in RESOURCE_SUFFIXES:
            other = taken.get(path + suffix)
            if other is not None:
                raise KgError(f"cannot publish <{other}>: its site path clashes with the {suffix} file of <{iri}>")
