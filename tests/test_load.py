"""`kg load` and `kg query --endpoint` against a real Oxigraph server started on loopback by the test."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, free_port

from kg.build import BuildOptions, build
from kg.cli import main
from kg.load import load, local_graphs
from kg.remote import Endpoint, RemoteError, remote_query
from kg.saved_queries import bindings
from kg.saved_queries import load as load_query
from kg.store import EmbeddedStore

CASES = sorted((ROOT / "tests" / "queries").glob("*/*.json"))
BASE = "https://w3id.org/edu-policy-kg/id/"


class OxigraphServer:
    """`oxigraph serve` on a free loopback port, with its data in a folder that outlives restarts."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> Endpoint:
        return Endpoint(f"http://127.0.0.1:{self.port}/query", timeout=10)

    def start(self) -> None:
        binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        self.process = subprocess.Popen(
            [
                binary,
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--union-default-graph",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def server(tmp_path):
    running = OxigraphServer(tmp_path / "oxigraph")
    running.start()
    yield running
    running.stop()


def built(out: Path, paths: list[Path]) -> dict[str, bytes]:
    build(paths, BuildOptions(out_dir=out, run_validation=False))
    return local_graphs(out / "graph.nq")


def graph_count(endpoint: Endpoint, graph: str) -> int:
    rows = remote_query(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
    return int(rows[0][0])


def test_loaded_server_answers_every_saved_query_like_the_embedded_store(server, seed_build):
    out, _ = seed_build
    report = load(server.endpoint, local_graphs(out / "graph.nq"))
    assert not report.failed and len(report.uploaded) >= 8
    embedded = EmbeddedStore()
    embedded.load_trig((out / "graph.trig").read_bytes())
    for case in CASES:
        query = load_query(case.parent.name)
        params = json.loads(case.read_text("utf-8"))["params"]
        local = sorted(map(str, embedded.query(query.text, bindings(query, params)).as_strings()))
        remote = sorted(map(str, remote_query(server.endpoint, query.text, bindings(query, params)).as_strings()))
        assert remote == local, case


def test_loading_twice_uploads_nothing_and_duplicates_nothing(server, tmp_path):
    graphs = built(tmp_path / "out", [SEEDS])
    first = load(server.endpoint, graphs)
    plan = f"{BASE}graph/000_ca6428d64397fc28"
    before = graph_count(server.endpoint, plan)
    second = load(server.endpoint, graphs)
    assert second.uploaded == [] and sorted(second.unchanged) == sorted(first.uploaded)
    assert graph_count(server.endpoint, plan) == before


def test_a_changed_document_replaces_only_its_graph(server, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    load(server.endpoint, built(tmp_path / "out", [corpus]))
    changed = corpus / "002_10032fc358fb4eb7.txt"
    changed.write_text(changed.read_text("utf-8").replace("新建、改扩建幼儿园46所", "新建、改扩建幼儿园48所"), "utf-8")
    report = load(server.endpoint, built(tmp_path / "out", [corpus]))
    assert report.uploaded == [f"{BASE}graph/002_10032fc358fb4eb7"]
    values = remote_query(
        server.endpoint, "PREFIX kg: <https://w3id.org/edu-policy-kg/ontology#> SELECT ?v WHERE { ?t kg:value ?v }"
    )
    assert "48" in {str(row[0]) for row in values.rows} and "46" not in {str(row[0]) for row in values.rows}


def test_prune_removes_graphs_of_documents_no_longer_built(server, tmp_path):
    load(server.endpoint, built(tmp_path / "all", [SEEDS]))
    fewer = [p for p in sorted(SEEDS.glob("*.txt")) if not p.name.startswith("004")]
    report = load(server.endpoint, built(tmp_path / "fewer", fewer), prune=True)
    assert report.pruned == [f"{BASE}graph/004_91f08b645f3ddd8f"]
    assert graph_count(server.endpoint, f"{BASE}graph/004_91f08b645f3ddd8f") == 0
    assert graph_count(server.endpoint, f"{BASE}graph/000_ca6428d64397fc28") > 100


def test_server_stopped_mid_load_keeps_earlier_graphs_and_names_the_failure(server, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    load(server.endpoint, built(tmp_path / "out", [corpus]))
    before = {
        iri: graph_count(server.endpoint, iri)
        for iri in (f"{BASE}graph/000_ca6428d64397fc28", f"{BASE}graph/001_d5df2cb18e06d54f")
    }
    for name in ("000_ca6428d64397fc28.txt", "001_d5df2cb18e06d54f.txt"):
        path = corpus / name
        path.write_text(path.read_text("utf-8") + "\n补充说明。\n", "utf-8")
    graphs = built(tmp_path / "out", [corpus])
    report = load(server.endpoint, graphs, progress=lambda iri, what: server.stop())
    assert len(report.uploaded) == 1 and report.failed
    failed_graph, reason = report.failed[0]
    assert "connection refused" in reason or "cannot reach" in reason
    server.start()
    # the graph that failed is the server's previous one, whole
    assert graph_count(server.endpoint, failed_graph) == before.get(
        failed_graph, graph_count(server.endpoint, failed_graph)
    )
    server.stop()
    with pytest.raises(RemoteError, match="connection refused"):
        load(server.endpoint, graphs)
    server.start()


def test_cli_load_and_query_against_the_server(server, seed_build, capsys):
    out, _ = seed_build
    assert main(["load", "--endpoint", server.endpoint.query_url, "--out", str(out)]) == 0
    assert "0 failed" in capsys.readouterr().out
    assert (
        main(["query", "governments_citing_policy", "--endpoint", server.endpoint.query_url, "--format", "json"]) == 0
    )
    rows = json.loads(capsys.readouterr().out)
    assert [(r["government"], r["relation"]) for r in rows] == [("王益区", "implements")]
    server.stop()
    assert main(["query", "plans_per_year", "--endpoint", server.endpoint.query_url]) == 2
    assert "connection refused" in capsys.readouterr().err
    server.start()
