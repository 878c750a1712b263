"""Rewrite tests/golden/<doc>.ttl from a fresh build of the seeds. Run after an intended extraction change,
then review `git diff tests/golden` before committing: the diff is the change in behaviour."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rdflib import Dataset, Graph

from kg.build import BuildOptions, build
from kg.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    golden = ROOT / "tests" / "golden"
    golden.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build([ROOT / "seeds"], BuildOptions(out_dir=out, run_validation=False))
        dataset = Dataset()
        dataset.parse(out / "graph.trig", format="trig")
        for named in dataset.graphs():
            name = str(named.identifier).rsplit("/", 1)[-1]
            # the documents' graphs and the shared ones they feed; the build record and vocabularies are not
            # extraction output
            if not len(named) or name == "build" or "/graph/vocab/" in str(named.identifier):
                continue
            graph = Graph()
            for prefix, namespace in PREFIXES.items():
                graph.bind(prefix, namespace)
            for triple in named:
                graph.add(triple)
            graph.serialize(golden / f"{name}.ttl", format="turtle")
            print(f"wrote tests/golden/{name}.ttl ({len(graph)} triples)")


if __name__ == "__main__":
    main()
