"""Minting IRIs from content keys.

Every IRI is a pure function of the base and of keys found in the content (document key, adcode, position in
the document, canonical title): never of Python's `hash()`, of run order or of time. Same input, same IRIs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import URIRef

from kg.namespaces import DEFAULT_BASE


def digest(text: str, length: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class Iris:
    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def graph(self, doc_id: str) -> URIRef:
        return self._iri(f"graph/{doc_id}")

    def build_graph(self) -> URIRef:
        return self._iri("graph/build")

    def shared_graph(self, name: str) -> URIRef:
        """A graph of things many documents point at (governments, policies), kept once for all of them."""
        return self._iri(f"graph/{name}")

    def vocabulary_graph(self, name: str) -> URIRef:
        return self._iri(f"graph/vocab/{name}")

    def source(self, doc_id: str) -> URIRef:
        return self._iri(f"source/{doc_id}")

    def plan(self, doc_id: str) -> URIRef:
        return self._iri(f"plan/{doc_id}")

    def government(self, adcode: str) -> URIRef:
        return self._iri(f"government/{adcode}")

    def body(self, adcode: str, name: str) -> URIRef:
        return self._iri(f"body/{adcode}/{digest(name, 12)}")

    def policy(self, key: str) -> URIRef:
        """`key` is the reference's identity key (see kg/references.py), already a digest."""
        return self._iri(f"policy/{key}")

    def build(self, key: str) -> URIRef:
        return self._iri(f"build/{key}")

    @staticmethod
    def child(parent: URIRef, *parts: object) -> URIRef:
        return URIRef("/".join([str(parent), *map(str, parts)]))

    def reference(self, plan: URIRef, key: str) -> URIRef:
        return self.child(plan, "reference", key)
