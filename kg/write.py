"""Stage: write the dataset to `out/` in every serialisation, deterministically and atomically.

Oxigraph's writers serialise each named graph once per format (graphs in IRI order, triples sorted, see
`kg/graphset.py`); the files concatenate the pieces. Oxigraph writes language tags in lower case (zh-hans), which
BCP 47 allows and every SPARQL engine matches with LANGMATCHES. graph.jsonld is one object with the published
`@context`, one named graph per entry and one node per line, keys and types as compact IRIs.

Files are first written to a staging folder beside the output folder, then moved into place one by one with
`os.replace`, so a crash or an error never leaves a half-written file where an earlier good one stood. Blank
nodes never occur (see `kg/iris.py`).
"""

from __future__ import annotations

import io
import json
import json.encoder
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph

from kg.errors import UsageError
from kg.namespaces import PREFIXES, compact_iri
from kg.pieces import PIECE_FILES, PackedPieces, nquads_digest
from kg.timings import PhaseTimer

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# Told of every graph written: its IRI, the SHA-256 of its N-Quads, and how to get its N-Triples if needed.
GraphObserver = Callable[[str, str, Callable[[], bytes]], None]
OUTPUT_FILES = (*PIECE_FILES, "context.jsonld")


def built_file(out_dir: Path, name: str) -> Path:
    """`name` (graph.nq, graph.trig …) of the build in `out_dir`; a usage error saying to build first if absent."""
    path = out_dir / name
    if not path.is_file():
        raise UsageError(f"{path}: no built graph here (run `kg build PATH --out {out_dir}` first)")
    return path


def published_context() -> dict:
    return json.loads(resources.files("kg").joinpath("context.jsonld").read_text("utf-8"))


class DatasetWriter:
    """Writes every graph file in one pass, graph by graph, so a large build never holds a whole file in memory.

    Each graph is serialised once per format by Oxigraph and each file is the concatenation, graph by graph (in the
    order given; the build gives documents in IRI order, then the shared graphs). The union formats (graph.ttl,
    graph.nt) concatenate too: the mapper puts every subject in exactly one graph (a document's resources in its
    graph, governments and policies in the shared ones), so no triple repeats.
    """

    def __init__(self, files: dict[str, BinaryIO], observe: GraphObserver | None = None) -> None:
        self.files = files
        self.observe = observe  # told of every graph written (the store's incremental update)
        self.graphs = 0
        header = "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items()).encode()
        files["graph.trig"].write(header)
        files["graph.ttl"].write(header)
        context = published_context()
        head = json.dumps(context["@context"], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        files["graph.jsonld"].write(b'{"@context":' + head.encode() + b',\n"@graph":[\n')
        files["context.jsonld"].write(_json_bytes(context))

    @classmethod
    def open(cls, folder: Path, observe: GraphObserver | None = None) -> tuple[DatasetWriter, ExitStack]:
        stack = ExitStack()
        files = {name: stack.enter_context((folder / name).open("wb")) for name in OUTPUT_FILES}
        return cls(files, observe), stack

    def write_graph(self, graph: str, triples: list[ox.Triple]) -> None:
        """One named graph, its triples already deduplicated and sorted (`GraphSet.finalised`)."""
        pieces = graph_pieces(graph, triples)
        if self.observe:
            self.observe(graph, nquads_digest(pieces["graph.nq"]), lambda: pieces["graph.nt"])
        self._separate()
        for name in PIECE_FILES:
            self.files[name].write(pieces[name])

    def write_packed(self, graph: str, path: Path) -> None:
        """One named graph from a cached pieces file (`kg/pieces.py`), copied file to file by the kernel."""
        with PackedPieces.open(path) as packed:
            if self.observe:
                self.observe(graph, packed.digest, lambda: packed.read("graph.nt"))
            self._separate()
            for name in PIECE_FILES:
                packed.copy_to(name, self.files[name])

    def _separate(self) -> None:
        """Between two graphs of graph.jsonld's list, a comma."""
        if self.graphs:
            self.files["graph.jsonld"].write(b",\n")
        self.graphs += 1

    def finish(self) -> None:
        self.files["graph.jsonld"].write(b"\n]}\n")


def graph_pieces(name: str, triples: list[ox.Triple]) -> dict[str, bytes]:
    """One named graph's part of every graph file: what the file holds for it, in file order."""
    graph = ox.NamedNode(name)
    body = _turtle_body(triples)
    quads = (ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return {
        "graph.trig": b"\n<" + name.encode() + b"> {\n" + body + b"}\n",
        "graph.nq": ox.serialize(quads, None, ox.RdfFormat.N_QUADS),
        "graph.ttl": b"\n" + body,
        "graph.nt": ox.serialize(triples, None, ox.RdfFormat.N_TRIPLES),
        "graph.jsonld": _jsonld_graph(name, triples),
    }


def serialise(graphs: list[tuple[str, list[ox.Triple]]]) -> dict[str, bytes]:
    """Every output file's bytes, in memory (small datasets and tests; the build streams to files)."""
    buffers = {name: io.BytesIO() for name in OUTPUT_FILES}
    writer = DatasetWriter(buffers)
    for name, triples in graphs:
        writer.write_graph(name, triples)
    writer.finish()
    return {name: buffer.getvalue() for name, buffer in buffers.items()}


def write_atomically(
    out_dir: Path, writers: dict[str | tuple[str, ...], Callable[[Path], None]], timer: PhaseTimer | None = None
) -> None:
    """Run each writer on a staging path, then move every result into `out_dir` (files or folders).

    A writer keyed by one name gets that name's staging path; a writer keyed by a tuple of names gets the staging
    folder and writes all of them into it (the graph files are written in one pass).
    """
    timer = timer or PhaseTimer()
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    names: list[str] = []
    try:
        for key, writer in writers.items():
            if isinstance(key, tuple):
                writer(staging)
                names.extend(key)
            else:
                writer(staging / key)
                names.append(key)
        with timer.phase("move into place"):
            _move_into_place(staging, out_dir, names)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into_place(staging: Path, out_dir: Path, names: list[str]) -> None:
    for name in names:
        target = out_dir / name
        if (staging / name).is_dir():
            if target.exists():
                old = target.with_name(f".old-{name}")
                shutil.rmtree(old, ignore_errors=True)
                target.rename(old)
                (staging / name).rename(target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                (staging / name).rename(target)
        else:
            os.replace(staging / name, target)


def _turtle_body(triples: list[ox.Triple]) -> bytes:
    """The triples as Turtle with the project's prefixes, without the @prefix lines (the file header has them)."""
    text = ox.serialize(triples, None, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    while text.startswith(b"@prefix "):
        text = text[text.index(b"\n") + 1 :]
    return text if text.endswith(b"\n") else text + b"\n"


def _jsonld_graph(name: str, triples: list[ox.Triple]) -> bytes:
    """One named graph as a JSON-LD object, its nodes in IRI order, one node per line, keys and types as compact
    IRIs, every list sorted. Written straight from the triples, each string escaped once by the json module's
    encoder: the build's most-used serialisation path, and going through an expanded document and back cost
    more than every other format together."""
    by_subject: dict[str, list[ox.Triple]] = {}
    for triple in triples:
        by_subject.setdefault(triple.subject.value, []).append(triple)
    nodes = []
    for subject in sorted(by_subject):
        types: list[str] = []
        values: dict[str, list[str]] = {}
        for triple in by_subject[subject]:
            predicate = triple.predicate.value
            if predicate == _RDF_TYPE:
                types.append(_compact(triple.object.value))
            else:
                values.setdefault(_compact(predicate), []).append(_value_json(triple.object))
        members = {"@id": _encode(subject)}
        if types:
            members["@type"] = "[" + ",".join(_encode(t) for t in sorted(types)) + "]"
        for key, items in values.items():
            members[key] = "[" + ",".join(sorted(items)) + "]"
        nodes.append("{" + ",".join(f"{_encode(key)}:{members[key]}" for key in sorted(members)) + "}")
    return b'{"@id":' + _encode(name).encode() + b',"@graph":[\n' + ",\n".join(nodes).encode() + b"\n]}"


_encode = json.encoder.encode_basestring  # a JSON string, non-ASCII kept as is (ensure_ascii=False)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _value_json(term: ox.NamedNode | ox.Literal) -> str:
    """The JSON-LD value object of an IRI or literal, keys in sorted order."""
    if isinstance(term, ox.NamedNode):
        return '{"@id":' + _encode(term.value) + "}"
    if term.language:
        return '{"@language":' + _encode(term.language) + ',"@value":' + _encode(term.value) + "}"
    if term.datatype.value == _XSD_STRING:
        return '{"@value":' + _encode(term.value) + "}"
    return '{"@type":' + _encode(_compact(term.datatype.value)) + ',"@value":' + _encode(term.value) + "}"


@lru_cache(maxsize=4096)  # predicates, classes and datatypes: a few dozen, met millions of times
def _compact(iri: str) -> str:
    return compact_iri(iri)


def sorted_ntriples(graph: Graph) -> bytes:
    """A graph as N-Triples, lines sorted: the same graph always gives the same bytes."""
    return _sorted_lines(graph.serialize(format="nt"))


def _sorted_lines(text: str) -> bytes:
    lines = sorted(line for line in text.split("\n") if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def _json_bytes(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
