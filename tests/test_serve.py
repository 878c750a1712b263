"""The read-only SPARQL endpoint (`kg/serve.py`): a real server on a free loopback port, a real in-memory Oxigraph
store with two named graphs, and real clients (urllib and SPARQLWrapper)."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import Response, free_port, running
from SPARQLWrapper import CSV, JSON, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.errors import KgError, UsageError
from kg.negotiation import negotiate
from kg.serve import READ_ONLY, SparqlServer, make_server

EX = "http://example.org/"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PLAN = ox.NamedNode(EX + "WorkPlan")
G1, G2 = ox.NamedNode(EX + "doc/1"), ox.NamedNode(EX + "doc/2")
LABELS = {"北京市2024年教育工作要点", "上海市教育工作要点", "Guangzhou education work plan"}
LABELS_QUERY = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?plan ?label WHERE { ?plan rdfs:label ?label } ORDER BY ?plan"
SPARQL_NS = "{http://www.w3.org/2005/sparql-results#}"


def plan_quads() -> list[ox.Quad]:
    year = ox.NamedNode(EX + "year")
    plans = [
        (EX + "plan/beijing", ox.Literal("北京市2024年教育工作要点", language="zh"), 2024, G1),
        (EX + "plan/shanghai", ox.Literal("上海市教育工作要点", language="zh"), 2024, G2),
        (EX + "plan/guangzhou", ox.Literal("Guangzhou education work plan"), 2025, G2),
    ]
    quads = []
    for iri, label, when, graph in plans:
        plan = ox.NamedNode(iri)
        quads += [
            ox.Quad(plan, RDF_TYPE, PLAN, graph),
            ox.Quad(plan, RDFS_LABEL, label, graph),
            ox.Quad(plan, year, ox.Literal(when), graph),
        ]
    return quads


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.extend(plan_quads())
    return store


@pytest.fixture(scope="module")
def server(store: ox.Store) -> Iterator[SparqlServer]:
    yield from running(make_server(store))


@pytest.fixture(scope="module")
def endpoint(server: SparqlServer) -> str:
    return server.url


def request(
    url: str, *, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
) -> Response:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as answer:
            return Response(answer.status, dict(answer.headers), answer.read())
    except urllib.error.HTTPError as err:
        with err:
            return Response(err.code, dict(err.headers), err.read())


def sparql(endpoint: str, query: str, transport: str = "get", accept: str | None = None, **params: str) -> Response:
    """The query sent one of the three ways the SPARQL 1.1 Protocol allows."""
    headers = {"Accept": accept} if accept is not None else {}
    if transport == "get":
        return request(endpoint + "?" + urllib.parse.urlencode({"query": query, **params}), headers=headers)
    if transport == "post-form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode({"query": query, **params}).encode("utf-8")
        return request(endpoint, method="POST", body=body, headers=headers)
    assert transport == "post-direct"
    headers["Content-Type"] = "application/sparql-query"
    url = endpoint + ("?" + urllib.parse.urlencode(params) if params else "")
    return request(url, method="POST", body=query.encode("utf-8"), headers=headers)


def labels_in(response: Response) -> list[str]:
    """The `?label` column, read with a parser of the response's own format."""
    media_type = response.content_type.split(";")[0]
    if media_type == "application/sparql-results+json":
        return [row["label"]["value"] for row in json.loads(response.text)["results"]["bindings"]]
    if media_type == "application/sparql-results+xml":
        root = ET.fromstring(response.body)
        return [b.findtext(f"{SPARQL_NS}literal") for b in root.iter(f"{SPARQL_NS}binding") if b.get("name") == "label"]
    if media_type == "text/csv":
        return [row["label"] for row in csv.DictReader(io.StringIO(response.text, newline=""))]
    assert media_type == "text/tab-separated-values"
    return [s["label"].value for s in ox.parse_query_results(response.body, format=ox.QueryResultsFormat.TSV)]


TRANSPORTS = ["get", "post-form", "post-direct"]
SELECT_FORMATS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]


# ---- SELECT, ASK, CONSTRUCT --------------------------------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("media_type", SELECT_FORMATS)
def test_select_in_every_format_over_every_transport(endpoint, transport, media_type):
    answer = sparql(endpoint, LABELS_QUERY, transport, accept=media_type)
    assert answer.status == 200, answer.text
    assert answer.content_type == f"{media_type}; charset=utf-8"
    assert answer.headers["Vary"] == "Accept"
    assert answer.headers["X-Result-Truncated"] == "false"
    # ORDER BY ?plan: beijing, guangzhou, shanghai — from both named graphs, with the Chinese intact
    assert labels_in(answer) == ["北京市2024年教育工作要点", "Guangzhou education work plan", "上海市教育工作要点"]


@pytest.mark.parametrize("accept", [None, "", "*/*", "application/*", "application/json;q=0.5, */*;q=0.9"])
def test_json_is_the_default(endpoint, accept):
    answer = sparql(endpoint, LABELS_QUERY, accept=accept)
    assert answer.status == 200
    assert answer.content_type == "application/sparql-results+json; charset=utf-8"
    assert set(labels_in(answer)) == LABELS


def test_the_default_graph_is_the_union_of_the_named_graphs(endpoint, store):
    counted = json.loads(sparql(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").text)
    assert int(counted["results"]["bindings"][0]["n"]["value"]) == len(store) == 9
    per_graph = json.loads(
        sparql(endpoint, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g").text
    )
    assert [(b["g"]["value"], b["n"]["value"]) for b in per_graph["results"]["bindings"]] == [
        (G1.value, "3"),
        (G2.value, "6"),
    ]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('ASK { ?plan <http://www.w3.org/2000/01/rdf-schema#label> "上海市教育工作要点"@zh }', True),
        ("ASK { GRAPH <http://example.org/doc/1> { ?plan <http://example.org/year> 2025 } }", False),
    ],
)
def test_ask(endpoint, transport, query, expected):
    as_json = sparql(endpoint, query, transport)
    assert as_json.status == 200
    assert as_json.content_type == "application/sparql-results+json; charset=utf-8"
    assert json.loads(as_json.text)["boolean"] is expected
    as_xml = sparql(endpoint, query, transport, accept="application/sparql-results+xml")
    assert as_xml.content_type == "application/sparql-results+xml; charset=utf-8"
    assert ET.fromstring(as_xml.body).findtext(f"{SPARQL_NS}boolean") == str(expected).lower()


CONSTRUCT = "CONSTRUCT { ?plan ?p ?o } WHERE { GRAPH <http://example.org/doc/1> { ?plan ?p ?o } }"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_construct_defaults_to_n_triples(endpoint, store, transport):
    answer = sparql(endpoint, CONSTRUCT, transport)
    assert answer.status == 200
    assert answer.content_type == "application/n-triples; charset=utf-8"
    got = {quad.triple for quad in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)}
    assert got == {q.triple for q in store.quads_for_pattern(None, None, None, G1)}


def test_construct_as_turtle_and_describe(endpoint):
    turtle = sparql(endpoint, CONSTRUCT, accept="text/turtle")
    assert turtle.content_type == "text/turtle; charset=utf-8"
    assert len(list(ox.parse(turtle.body, format=ox.RdfFormat.TURTLE))) == 3
    described = sparql(endpoint, "DESCRIBE <http://example.org/plan/shanghai>")
    assert described.content_type == "application/n-triples; charset=utf-8"
    assert "上海市教育工作要点" in described.text


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (LABELS_QUERY, "text/turtle"),
        (LABELS_QUERY, "application/pdf, text/html;q=0.9"),
        (LABELS_QUERY, "text/csv;q=0, application/sparql-results+json;q=0"),
        ("ASK { ?s ?p ?o }", "text/csv"),
        (CONSTRUCT, "application/sparql-results+json"),
    ],
)
def test_unknown_accept_is_406(endpoint, query, accept):
    answer = sparql(endpoint, query, accept=accept)
    assert answer.status == 406
    assert answer.content_type == "text/plain; charset=utf-8"
    assert answer.text.startswith("cannot answer a ") and "acceptable: " in answer.text
    assert answer.text.count("\n") == 1 and answer.text.endswith("\n")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("application/json", "application/json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/*;q=0.8, text/tab-separated-values", "text/tab-separated-values"),
        ("*/*;q=0.1, text/csv;q=0", "application/sparql-results+json"),
        ("image/png", None),
    ],
)
def test_negotiate(accept, expected):
    from kg.serve import OFFERS

    chosen = negotiate(accept, OFFERS["SELECT"])
    assert (chosen[0] if chosen else None) == expected


# ---- SPARQLWrapper, as a client would use it ---------------------------------------------------------------------


def test_sparqlwrapper_select_json_over_get(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(LABELS_QUERY)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert {row["label"]["value"] for row in result["results"]["bindings"]} == LABELS


def test_sparqlwrapper_select_xml_over_post_form(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(LABELS_QUERY)
    client.setMethod("POST")
    client.setReturnFormat(XML)
    document = client.query().convert()  # xml.dom.minidom
    assert {node.firstChild.data for node in document.getElementsByTagName("literal")} == LABELS


def test_sparqlwrapper_select_csv_over_post_directly(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(LABELS_QUERY)
    client.setMethod("POST")
    client.setRequestMethod(POSTDIRECTLY)
    client.setReturnFormat(CSV)
    rows = list(csv.DictReader(io.StringIO(client.query().convert().decode("utf-8"), newline="")))
    assert {row["label"] for row in rows} == LABELS


def test_sparqlwrapper_ask_and_construct(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery("ASK { GRAPH <http://example.org/doc/2> { ?s ?p ?o } }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client = SPARQLWrapper(endpoint)
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    assert len(list(ox.parse(client.queryAndConvert(), format=ox.RdfFormat.TURTLE))) == 3  # Turtle comes as bytes
    client = SPARQLWrapper(endpoint)
    client.setQuery(CONSTRUCT)  # its default for CONSTRUCT asks for RDF/XML
    with client.query().response as raw:  # (its convert() builds a deprecated rdflib ConjunctiveGraph)
        assert raw.headers["Content-Type"] == "application/rdf+xml; charset=utf-8"
        assert len(list(ox.parse(raw.read(), format=ox.RdfFormat.RDF_XML))) == 3


def test_sparqlwrapper_update_is_refused(endpoint, store):
    before = set(store)
    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setQuery(f"INSERT DATA {{ GRAPH <{G1.value}> {{ <{EX}x> <{EX}y> <{EX}z> }} }}")
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    with refused.value:
        assert refused.value.code == 403
        assert refused.value.read().decode("utf-8") == READ_ONLY + "\n"
    assert set(store) == before


def test_sparqlwrapper_sees_the_syntax_error(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed, match=r"error at 1:\d+"):
        client.query()


# ---- refusals ----------------------------------------------------------------------------------------------------

INSERT = f"INSERT DATA {{ GRAPH <{G1.value}> {{ <{EX}plan/beijing> <{EX}year> 1999 }} }}"


@pytest.mark.parametrize(
    "send",
    [
        pytest.param(
            lambda url: request(
                url,
                method="POST",
                body=urllib.parse.urlencode({"update": INSERT}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ),
            id="form-update",
        ),
        pytest.param(lambda url: request(url + "?" + urllib.parse.urlencode({"update": INSERT})), id="get-update"),
        pytest.param(
            lambda url: request(
                url, method="POST", body=INSERT.encode(), headers={"Content-Type": "application/sparql-update"}
            ),
            id="sparql-update-body",
        ),
        pytest.param(lambda url: sparql(url, INSERT, "get"), id="get-query"),
        pytest.param(lambda url: sparql(url, INSERT, "post-form"), id="form-query"),
        pytest.param(lambda url: sparql(url, INSERT, "post-direct"), id="sparql-query-body"),
        pytest.param(lambda url: sparql(url, "# a comment\nPREFIX ex: <http://ex/>\nDROP ALL"), id="prologue-drop"),
        pytest.param(lambda url: sparql(url, "DELETE WHERE { ?s ?p ?o }", "post-form"), id="delete-where"),
    ],
)
def test_updates_are_refused_and_the_store_is_unchanged(endpoint, store, send):
    before = set(store)
    answer = send(endpoint)
    assert answer.status == 403
    assert answer.text == "this endpoint is read-only\n"
    assert set(store) == before


def test_a_refused_update_runs_nothing(endpoint):
    """`LOAD` sent as a query is recognised by the parser and never executed: nothing connects to the URL."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0.3)
        port = listener.getsockname()[1]
        assert sparql(endpoint, f"LOAD <http://127.0.0.1:{port}/data.ttl>").status == 403
        with pytest.raises(TimeoutError):
            listener.accept()


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_syntax_error_is_400_with_line_and_column(endpoint, transport):
    answer = sparql(endpoint, "SELECT ?s\nWHERE {\n  ?s ?p\n}", transport)
    assert answer.status == 400
    assert answer.text == "SPARQL syntax error: error at 4:2: expected one of LATERAL, SERVICE, [_]\n"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("# only a comment", "SPARQL syntax error: error at 1:17: expected [_]"),
        ("PREFIX ex: <http://example.org/>\n", "SPARQL syntax error: error at 2:1: expected [_]"),
    ],
)
def test_a_bare_prologue_is_a_syntax_error_not_an_update(endpoint, query, message):
    """Oxigraph parses it as an update with no operation; there is nothing to refuse, so it is reported as a bad query."""
    answer = sparql(endpoint, query)
    assert (answer.status, answer.text) == (400, message + "\n")


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("name", ["default-graph-uri", "named-graph-uri"])
def test_dataset_parameters_are_refused(endpoint, transport, name):
    answer = sparql(endpoint, LABELS_QUERY, transport, **{name: G1.value})
    assert answer.status == 400
    assert answer.text.startswith(f"{name} not supported: the default graph is the union of all named graphs")
    assert answer.text.count("\n") == 1


@pytest.mark.parametrize(
    ("url_suffix", "message"),
    [("", "missing query parameter"), ("?query=", "the query is empty"), ("?query=ASK{}&query=ASK{}", "exactly one")],
)
def test_missing_or_repeated_query_is_400(endpoint, url_suffix, message):
    answer = request(endpoint + url_suffix)
    assert answer.status == 400
    assert message in answer.text


@pytest.mark.parametrize(("method", "path"), [("GET", "/"), ("GET", "/sparql/extra"), ("POST", "/"), ("PUT", "/x")])
def test_other_paths_are_404(server, method, path):
    host, port = server.server_address[:2]
    answer = request(f"http://{host}:{port}{path}", method=method, body=b"" if method != "GET" else None)
    assert answer.status == 404
    assert answer.text == "not found: the SPARQL endpoint is /sparql\n"


def test_other_methods_and_bodies(endpoint):
    put = request(endpoint, method="PUT", body=b"x")
    assert (put.status, put.headers["Allow"]) == (405, "GET, POST")
    plain = request(endpoint, method="POST", body=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert plain.status == 415 and "application/sparql-query" in plain.text


def test_a_large_body_is_refused_unread(server):
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=5)
    try:
        connection.putrequest("POST", "/sparql")
        connection.putheader("Content-Type", "application/sparql-query")
        connection.putheader("Content-Length", str(10**9))
        connection.endheaders()
        answer = connection.getresponse()
        assert answer.status == 413
        assert answer.read() == b"request body of 1000000000 bytes is over the 1048576 limit\n"
    finally:
        connection.close()


def test_one_log_line_per_request_without_the_query(endpoint, capsys):
    secret = "北京市2024年教育工作要点"
    sparql(endpoint, f'ASK {{ ?s ?p "{secret}"@zh }}')
    sparql(endpoint, "SELECT * WHERE {", "post-form")
    log = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"kg serve: GET /sparql 200 \d+ms", log[-2])
    assert re.fullmatch(r"kg serve: POST /sparql 400 \d+ms", log[-1])
    assert secret not in "\n".join(log) and "ASK" not in "\n".join(log)


# ---- limits ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def limited(store: ox.Store) -> Iterator[SparqlServer]:
    yield from running(make_server(store, max_results=2))


@pytest.mark.parametrize("media_type", SELECT_FORMATS)
def test_results_are_truncated_at_the_limit(limited, media_type):
    answer = sparql(limited.url, LABELS_QUERY, "post-form", accept=media_type)
    assert answer.status == 200
    assert answer.headers["X-Result-Truncated"] == "true"
    assert labels_in(answer) == ["北京市2024年教育工作要点", "Guangzhou education work plan"]


def test_construct_is_truncated_and_exact_fits_are_not(limited):
    triples = sparql(limited.url, "CONSTRUCT WHERE { ?s ?p ?o }")
    assert triples.headers["X-Result-Truncated"] == "true"
    assert len(list(ox.parse(triples.body, format=ox.RdfFormat.N_TRIPLES))) == 2
    exact = sparql(limited.url, LABELS_QUERY + " LIMIT 2")
    assert exact.headers["X-Result-Truncated"] == "false"
    assert len(labels_in(exact)) == 2
    assert "X-Result-Truncated" not in sparql(limited.url, "ASK { ?s ?p ?o }").headers


@pytest.fixture(scope="module")
def slow() -> Iterator[SparqlServer]:
    """3,000 numbered nodes: a self-join under a FILTER Oxigraph cannot turn into a join takes seconds."""
    store = ox.Store()
    number = ox.NamedNode(EX + "n")
    store.extend(ox.Quad(ox.NamedNode(f"{EX}node/{i}"), number, ox.Literal(i), G1) for i in range(3000))
    yield from running(make_server(store, timeout_s=0.2))


SLOW = f"SELECT ?a ?b WHERE {{ ?a <{EX}n> ?x . ?b <{EX}n> ?y . FILTER(?x + 0 = ?y) }}"


def query_workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "kg-serve-query"]


def test_a_slow_query_times_out_and_its_worker_stops(slow):
    started = time.monotonic()
    answer = sparql(slow.url, SLOW)
    elapsed = time.monotonic() - started
    assert answer.status == 503
    assert answer.text == "query timed out after 0.2 s\n"
    assert 0.2 <= elapsed < 1.0
    # the server still answers, and the abandoned worker stops at its next row instead of running to the end
    assert sparql(slow.url, "ASK { ?s ?p ?o }").status == 200
    deadline = time.monotonic() + 0.5
    while query_workers() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not query_workers()


# ---- binding -----------------------------------------------------------------------------------------------------


def test_binds_to_loopback_on_a_free_port_by_default(store):
    server = make_server(store)
    try:
        host, port = server.server_address[:2]
        assert host == "127.0.0.1" and port > 0
        assert server.url == f"http://127.0.0.1:{port}/sparql"
        with pytest.raises(KgError, match=rf"cannot listen on 127\.0\.0\.1:{port}: "):
            make_server(store, port=port)
    finally:
        server.server_close()
    assert not os.path.exists(server.probe._folder.name)  # the update probe's scratch store is gone


@pytest.mark.parametrize(("option", "value"), [("timeout_s", 0), ("timeout_s", -1.0), ("max_results", 0)])
def test_bad_limits_are_usage_errors(store, option, value):
    with pytest.raises(UsageError):
        make_server(store, **{option: value})


def test_cli_serves_the_graph_loaded_in_memory(seed_build, tmp_path):
    """`kg serve --in-memory` on the seed build, queried over HTTP with SPARQLWrapper like any endpoint."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "kg"),
        "serve",
        "--in-memory",
        "--out",
        str(seed_build[0]),
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        client = SPARQLWrapper(f"http://127.0.0.1:{port}/sparql")
        client.setQuery(
            "PREFIX kg: <https://w3id.org/edu-policy-kg/ontology#> SELECT (COUNT(*) AS ?n) { ?p a kg:WorkPlan }"
        )
        client.setReturnFormat(JSON)
        deadline = time.monotonic() + 60
        while True:
            try:
                rows = client.query().convert()["results"]["bindings"]
                break
            except urllib.error.URLError:
                assert process.poll() is None, process.stderr.read()
                assert time.monotonic() < deadline, "kg serve --in-memory did not start"
                time.sleep(0.2)
        assert rows == [
            {"n": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "5"}}
        ]
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=10)
    assert "graph.nq loaded in memory" in errors
