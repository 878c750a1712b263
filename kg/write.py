"""Stage: write the dataset to `out/` in every serialisation, deterministically and atomically.

Files are first written to a staging folder beside the output folder, then moved into place one by one with
`os.replace`, so a crash or an error never leaves a half-written file where an earlier good one stood.
Line-based formats are sorted; JSON-LD arrays are sorted; blank nodes never occur (see `kg/iris.py`).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from rdflib import Dataset, Graph

from kg.namespaces import PREFIXES

OUTPUT_FILES = ("graph.trig", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld", "context.jsonld")


def published_context() -> dict:
    return json.loads(resources.files("kg").joinpath("context.jsonld").read_text("utf-8"))


def union_graph(dataset: Dataset) -> Graph:
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def serialise(dataset: Dataset) -> dict[str, bytes]:
    """Every output file's bytes."""
    union = union_graph(dataset)
    context = published_context()
    jsonld = json.loads(dataset.serialize(format="json-ld", context=context["@context"], auto_compact=True))
    return {
        "graph.trig": _trig(dataset),
        "graph.nq": _sorted_lines(dataset.serialize(format="nquads")),
        "graph.ttl": union.serialize(format="turtle").encode("utf-8"),
        "graph.nt": sorted_ntriples(union),
        "graph.jsonld": _json_bytes(_canonical_json(jsonld)),
        "context.jsonld": _json_bytes(context),
    }


def write_atomically(out_dir: Path, writers: dict[str, Callable[[Path], None]]) -> None:
    """Run each writer on a staging path, then move every result into `out_dir` (files or folders)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        for name, writer in writers.items():
            writer(staging / name)
        for name in writers:
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
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _trig(dataset: Dataset) -> bytes:
    """TriG with the named graphs in IRI order (rdflib writes them in store order, which varies run to run)."""
    parts = [f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items()]
    for named in sorted((g for g in dataset.graphs() if len(g)), key=lambda g: str(g.identifier)):
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in named:
            graph.add(triple)
        # Drop the leading @prefix block only; split on \n alone, since literals may hold \u2028 and the like.
        lines = graph.serialize(format="turtle").split("\n")
        while lines and (lines[0].startswith("@prefix") or not lines[0].strip()):
            lines.pop(0)
        # no re-indenting: lines inside a multi-line literal are part of its value
        inner = "\n".join(lines).strip("\n")
        parts.append(f"\n<{named.identifier}> {{\n{inner}\n}}\n")
    return "".join(parts).encode("utf-8")


def sorted_ntriples(graph: Graph) -> bytes:
    """A graph as N-Triples, lines sorted: the same graph always gives the same bytes."""
    return _sorted_lines(graph.serialize(format="nt"))


def _sorted_lines(text: str) -> bytes:
    lines = sorted(line for line in text.split("\n") if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def _canonical_json(value: object) -> object:
    """Sort JSON-LD node arrays and value arrays (order carries no meaning there) so output is stable."""
    if isinstance(value, dict):
        return {key: (item if key == "@list" else _canonical_json(item)) for key, item in sorted(value.items())}
    if isinstance(value, list):
        items = [_canonical_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return value


def _json_bytes(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
