"""The embedded triple store: Oxigraph (pyoxigraph), on disk or in memory, one named graph per document.

Queries see the union of all named graphs as their default graph. Parameters arrive as RDF terms and are
joined as a VALUES block (`kg/saved_queries.py`), exactly as they are sent to a remote server.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.term import Node

from kg.atomic_file import write_bytes
from kg.errors import KgError, UsageError
from kg.saved_queries import with_values
from kg.write import built_file


@dataclass(frozen=True)
class QueryResult:
    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]

    def as_strings(self) -> list[dict[str, str | None]]:
        return [
            {name: (None if value is None else str(value)) for name, value in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]


class EmbeddedStore:
    """An Oxigraph store; `path=None` keeps it in memory (tests), a folder keeps it on disk (`out/store/`)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                self._store = ox.Store(str(path))
        except OSError as err:
            raise KgError(f"{path}: cannot open the store: {err}") from err

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def load_trig(self, data: bytes) -> None:
        self._store.load(data, format=ox.RdfFormat.TRIG)

    def __len__(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        self._store.flush()

    def query(self, text: str, bindings: dict[Variable, Node] | None = None) -> QueryResult:
        try:
            solutions = self._store.query(with_values(text, bindings or {}), use_default_graph_as_union=True)
        except SyntaxError as err:
            raise UsageError(f"SPARQL syntax error: {err}") from err
        if not isinstance(solutions, ox.QuerySolutions):
            raise UsageError("only SELECT queries are supported here")
        variables = tuple(v.value for v in solutions.variables)
        # Results repeat their terms (a government, a year, a policy on every row); building each rdflib term once
        # makes converting 18,888 rows take 0.04 s instead of 0.8 s.
        convert = functools.lru_cache(maxsize=None)(from_oxigraph)
        rows = tuple(tuple(convert(term) for term in solution) for solution in solutions)  # in `variables` order
        return QueryResult(variables, rows)


def load_store(path: Path, nquads: Path) -> None:
    """A fresh on-disk store at `path` holding the N-Quads file (the build writes both to a staging folder)."""
    store = EmbeddedStore(path)
    store.oxigraph.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    # A bulk load leaves its files as loaded; compacting them now, once, makes every later query about twice as
    # fast (a read-only store, as `kg query` opens, never compacts itself). At 2,000 documents: 4 s, and the
    # store takes 1.1 GB on disk instead of 0.64 GB.
    store.oxigraph.optimize()
    store.flush()
    del store  # closes the database before the folder is moved into place


def open_built_store(out_dir: Path) -> EmbeddedStore:
    path = out_dir / "store"
    if not path.is_dir():
        raise UsageError(f"{path}: no store here (run `kg build PATH --out {out_dir}` first)")
    return EmbeddedStore(path, read_only=True)


def load_built_in_memory(out_dir: Path) -> EmbeddedStore:
    """The built graph (`graph.nq`) loaded into a store in memory, for a long-running server: its queries run two to
    five times faster than on `out/store`, for a load at start (8 s and 1.5 GB at 2,000 documents, 3 M quads)."""
    nquads = built_file(out_dir, "graph.nq")
    store = EmbeddedStore()
    try:
        store.oxigraph.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    except (OSError, SyntaxError) as err:
        raise KgError(f"{nquads}: cannot load: {err}") from err
    return store


def from_oxigraph(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")


STORE_MANIFEST = "store-graphs.json"  # in the cache folder: what the on-disk store holds


class StoreSync:
    """Brings the on-disk store of an earlier build up to date graph by graph, instead of loading every quad
    again: a graph whose N-Quads changed is replaced, a graph no longer built is dropped, and all of it happens
    in one update, which Oxigraph applies as one transaction (all or nothing).

    What the store holds is recorded in a manifest (graph IRI → SHA-256 of its N-Quads, `read_manifest`) written
    after each successful load or update. `previous` is that manifest when the store is to be updated in place,
    None when the build loads a fresh store (then `finish` only records the new manifest).
    """

    def __init__(self, store: Path, manifest: Path, previous: dict[str, str] | None) -> None:
        self.store = store
        self.manifest = manifest
        self.previous = previous
        self.current: dict[str, str] = {}
        self.changed: dict[str, bytes] = {}

    def see(self, graph: str, digest: str, ntriples: Callable[[], bytes]) -> None:
        """A graph as written: the SHA-256 of its N-Quads, and its N-Triples (read only when it changed)."""
        self.current[graph] = digest
        if self.previous is not None and self.previous.get(graph) != digest:
            self.changed[graph] = ntriples()

    def finish(self) -> None:
        """In place: replace the changed graphs and drop the removed ones. Then record the manifest."""
        removed = sorted(set(self.previous or ()) - set(self.current))
        if removed or self.changed:
            drops = " ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in [*removed, *sorted(self.changed)])
            # N-Triples is valid SPARQL triple syntax
            inserts = "\n".join(
                f"GRAPH <{graph}> {{\n{triples.decode('utf-8')}}}" for graph, triples in sorted(self.changed.items())
            )
            store = EmbeddedStore(self.store)
            store.oxigraph.update(f"{drops} ;\nINSERT DATA {{\n{inserts}\n}}" if inserts else drops)
            store.flush()
            del store
        self.manifest.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(self.manifest, json.dumps(self.current, sort_keys=True, indent=0).encode("utf-8"))


def read_manifest(store: Path, manifest: Path) -> dict[str, str] | None:
    """What an earlier build's store holds, or None when there is no store or no readable manifest."""
    if not store.is_dir():
        return None
    try:
        found = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
