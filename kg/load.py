"""`kg load`: push a built dataset into any SPARQL 1.1 server, one named graph per document.

Each graph goes up with the Graph Store HTTP Protocol (PUT: the server replaces the graph whole, or keeps the old
one when the upload fails), together with the ontology in its own graph. Every uploaded graph carries
`<graph> kg:graphDigest "…"`, the digest of its content, so a second run finds what the server already holds
and uploads only what changed; `prune` deletes the project's graphs no longer in the build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.compare import to_canonical_graph

from kg.graphset import read_graphs
from kg.namespaces import DEFAULT_BASE, KG
from kg.remote import Endpoint, RemoteError, delete_graph, put_graph, remote_query
from kg.write import sorted_ntriples

DIGESTS = f"""SELECT ?g ?d WHERE {{ GRAPH ?g {{ ?g <{KG.graphDigest}> ?d }} }}"""
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@dataclass
class LoadReport:
    uploaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (graph, reason)


def local_graphs(nquads: Path, base: str = DEFAULT_BASE) -> dict[str, bytes]:
    """Every non-empty named graph of the build (its graph.nq, read a graph at a time), and the ontology, as
    N-Triples in the build's sorted order."""
    graphs = {
        name: ox.serialize(triples, None, ox.RdfFormat.N_TRIPLES) for name, triples in read_graphs(nquads) if triples
    }
    ontology = Graph().parse(data=resources.files("kg").joinpath("ontology.ttl").read_text("utf-8"), format="turtle")
    # The ontology's owl:unionOf lists are blank nodes: canonical labels keep its digest stable between runs.
    graphs[f"{base}graph/ontology"] = sorted_ntriples(to_canonical_graph(ontology))
    return graphs


def load(
    endpoint: Endpoint,
    graphs: dict[str, bytes],
    *,
    base: str = DEFAULT_BASE,
    prune: bool = False,
    progress: Callable[[str, str], None] | None = None,
) -> LoadReport:
    report = LoadReport()
    remote = {str(row[0]): str(row[1]) for row in remote_query(endpoint, DIGESTS).rows}
    for iri in sorted(graphs):
        body = graphs[iri]
        digest = hashlib.sha256(body).hexdigest()
        if remote.get(iri) == digest:
            report.unchanged.append(iri)
            continue
        marker = f"<{iri}> <{KG.graphDigest}> {Literal(digest).n3()} .\n".encode()
        try:
            put_graph(endpoint, iri, body + marker)
        except RemoteError as err:
            report.failed.append((iri, str(err)))
            if "cannot reach" in str(err) or "did not answer" in str(err):
                break  # the server is gone: the remaining graphs would fail the same way
            continue
        report.uploaded.append(iri)
        if progress:
            progress(iri, "uploaded")
    if prune and not report.failed:
        prefix = f"{base}graph/"
        for row in remote_query(endpoint, GRAPHS).rows:
            iri = str(row[0])
            if iri.startswith(prefix) and iri not in graphs:
                delete_graph(endpoint, iri)
                report.pruned.append(iri)
    return report
