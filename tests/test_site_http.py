"""`kg serve --site`: the published seed site and the seed store behind one real server on a free loopback port.
Every resource kind answers each media type; unknown types are 406; paths that could leave the site are 404; the
SPARQL endpoint and the live query page work beside the site."""

from __future__ import annotations

import http.client
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import Response, running
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.publish.publisher import publish
from kg.serve import SparqlServer, make_server
from kg.store import open_built_store

BASE = "https://w3id.org/edu-policy-kg/id/"
PLAN = "/id/plan/003_68d8026e029efe2e"

# one IRI path per kind of resource the site publishes
KINDS = {
    "plan": PLAN,
    "section": PLAN + "/section/2",
    "initiative": PLAN + "/initiative/3",
    "target": PLAN + "/initiative/10/target/1",
    "reference": "/id/plan/000_ca6428d64397fc28/reference/0b2a60f0d879e562",
    "policy": "/id/policy/29e803d9bd56db99",
    "government": "/id/government/430100",
    "source": "/id/source/003_68d8026e029efe2e",
    "body": "/id/body/430100/394df7d76b3a",
    "build": None,  # found in the site (its key depends on the software version)
    "indicator": "/vocab/indicators/preschool-gross-enrolment-rate",
    "topic": "/vocab/topics/preschool-education",
    "scheme": "/vocab/indicators",
    "ontology": "/ontology",
}
MEDIA_TYPES = {
    "text/html": "text/html; charset=utf-8",
    "text/turtle": "text/turtle; charset=utf-8",
    "application/ld+json": "application/ld+json",
    "application/n-triples": "application/n-triples; charset=utf-8",
}


@pytest.fixture(scope="module")
def site(seed_build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("served")
    (root / "secret.txt").write_text("outside the site")  # what a traversal would be after
    publish(seed_build[0], root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def server(seed_build, site: Path) -> Iterator[SparqlServer]:
    store = open_built_store(seed_build[0])
    yield from running(make_server(store.oxigraph, site=site))


def get(server: SparqlServer, path: str, accept: str | None = None, method: str = "GET") -> Response:
    """The path sent byte for byte (no client-side normalisation of dots, slashes or backslashes)."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        if accept is not None:
            connection.putheader("Accept", accept)
        connection.endheaders()
        answer = connection.getresponse()
        return Response(answer.status, dict(answer.headers), answer.read())
    finally:
        connection.close()


def kind_path(site: Path, kind: str) -> str:
    path = KINDS[kind]
    if path is None:
        build = next((site / "id/build").glob("*.ttl"))
        path = "/id/build/" + build.stem
    return path


def parsed(response: Response, media_type: str) -> Graph:
    formats = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}
    return Graph().parse(data=response.body, format=formats[media_type])


# ---- content negotiation -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("media_type", list(MEDIA_TYPES))
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_resource_kind_answers_each_media_type(server, site, kind, media_type):
    path = kind_path(site, kind)
    answer = get(server, path, accept=media_type)
    assert answer.status == 200, answer.text
    assert answer.headers["Content-Type"] == MEDIA_TYPES[media_type]
    assert answer.headers["Vary"] == "Accept"
    name = path.rsplit("/", 1)[-1]
    suffix = {
        "text/html": ".html",
        "text/turtle": ".ttl",
        "application/ld+json": ".jsonld",
        "application/n-triples": ".nt",
    }[media_type]
    assert answer.headers["Content-Location"] == name + suffix
    assert 'rel="alternate"' in answer.headers["Link"]
    iri = "https://w3id.org/edu-policy-kg" + path if not path.startswith("/id/") else BASE + path.removeprefix("/id/")
    if media_type == "text/html":
        assert answer.text.startswith("<!DOCTYPE html>") and iri in answer.text
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src" not in answer.headers["Content-Security-Policy"]  # default-src 'none': no script at all
        return
    graph = parsed(answer, media_type)
    expected = Graph().parse(site / (path.lstrip("/") + ".ttl"), format="turtle")
    assert isomorphic(graph, expected)
    assert any(str(s) == iri for s in graph.subjects())


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        ("", "text/html"),
        ("*/*", "text/html"),
        ("text/*", "text/html"),
        ("application/*", "application/ld+json"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
        ("text/html;q=0.1, text/turtle;q=0.9, */*;q=0.2", "text/turtle"),
        ("application/n-triples, text/html;q=0.99", "application/n-triples"),
        ("text/html;q=0, */*", "text/turtle"),
        ("application/rdf+xml, text/turtle;q=0.3", "text/turtle"),
    ],
)
def test_q_values_choose_the_representation(server, accept, expected):
    answer = get(server, PLAN, accept=accept)
    assert answer.status == 200
    assert answer.headers["Content-Type"].split(";")[0] == expected


@pytest.mark.parametrize(
    "accept",
    ["image/png", "application/pdf, application/rdf+xml", "text/turtle;q=0, text/html;q=0, application/*;q=0, */*;q=0"],
)
@pytest.mark.parametrize("kind", ["plan", "policy", "government", "indicator"])
def test_unknown_media_types_are_406(server, site, kind, accept):
    answer = get(server, kind_path(site, kind), accept=accept)
    assert answer.status == 406
    assert answer.headers["Vary"] == "Accept"
    assert answer.text.count("\n") == 1
    assert answer.text.endswith("offered: text/html, text/turtle, application/ld+json, application/n-triples\n")


def test_pages_that_are_not_resources_offer_html_only(server):
    assert get(server, "/governments", accept="text/html").status == 200
    answer = get(server, "/governments", accept="text/turtle")
    assert answer.status == 406 and answer.text.endswith("offered: text/html\n")


def test_span_and_evidence_iris_see_their_resource(server):
    for suffix in ("/initiative/3/span", "/initiative/3/span/quote", "/evidence/2/span/position"):
        answer = get(server, PLAN + suffix, accept="text/turtle")
        expected = PLAN + suffix.split("/span")[0] if suffix.startswith("/initiative") else PLAN
        assert (answer.status, answer.headers["Location"]) == (303, expected)
        follow = get(server, answer.headers["Location"], accept="text/turtle")
        assert follow.status == 200 and (BASE + PLAN.removeprefix("/id/") + suffix).encode() in follow.body


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        (PLAN + ".ttl", "text/turtle; charset=utf-8"),
        (PLAN + ".jsonld", "application/ld+json"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/citations.svg", "image/svg+xml"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/dumps/graph.nq.gz", "application/gzip"),
        ("/void.ttl", "text/turtle; charset=utf-8"),
    ],
)
def test_site_files_are_served_as_they_are(server, site, path, content_type):
    answer = get(server, path)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == content_type
    on_disk = site / (path.lstrip("/") or "index.html")
    assert answer.body == on_disk.read_bytes()
    head = get(server, path, method="HEAD")
    assert head.status == 200 and head.body == b"" and head.headers["Content-Length"] == str(len(answer.body))


# ---- nothing outside the site ----------------------------------------------------------------------------------------

TRAVERSALS = [
    "/../secret.txt",
    "/../../../../etc/passwd",
    "/id/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/%2E%2E/etc/passwd",
    "/id/%2e%2e/%2e%2e/secret.txt",
    "/.%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/id%2f..%2f..%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/..\\secret.txt",
    "/id\\..\\..\\secret.txt",
    "/%5c..%5csecret.txt",
    "/..%5Csecret.txt",
    "/%252e%252e/secret.txt",
    "/%25%32%65%25%32%65/secret.txt",
    "/%c0%ae%c0%ae/secret.txt",
    "/%e0%80%ae%e0%80%ae/secret.txt",
    "/id/plan/%00",
    "/index.html%00.txt",
    "//etc/passwd",
    "/id//../../secret.txt",
    "/.kg-site",
    "/id/./plan/003_68d8026e029efe2e",
    "/link-out/secret.txt",
    "/link-out",
]


@pytest.fixture(scope="module")
def symlink(site: Path) -> Iterator[None]:
    link = site / "link-out"
    os.symlink(site.parent, link)
    try:
        yield
    finally:
        link.unlink()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_attempts_are_404(server, site, symlink, path):
    assert (site.parent / "secret.txt").is_file()
    answer = get(server, path)
    assert answer.status == 404, path
    assert b"outside the site" not in answer.body
    assert answer.text.startswith("not found")


def test_other_methods_on_site_paths_are_405(server):
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request("POST", "/index.html", body=b"x", headers={"Content-Type": "text/plain"})
        answer = connection.getresponse()
        assert (answer.status, answer.getheader("Allow")) == (405, "GET, HEAD")
        answer.read()
    finally:
        connection.close()
    assert get(server, "/index.html", method="DELETE").status == 405


# ---- the endpoint and the query page beside the site ----------------------------------------------------------------


def test_the_sparql_endpoint_still_answers(server):
    answer = get(server, "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D")
    assert answer.status == 200
    assert int(json.loads(answer.text)["results"]["bindings"][0]["n"]["value"]) > 10_000
    assert get(server, "/sparql", method="HEAD").status == 405


def test_the_query_page_runs_a_saved_query_with_its_parameters(server):
    from urllib.parse import urlencode

    answer = get(server, "/query?" + urlencode({"name": "governments_citing_policy", "policy": "中国教育现代化2035"}))
    assert answer.status == 200 and answer.headers["Content-Type"] == "text/html; charset=utf-8"
    results = answer.text.split('<table class="results">', 1)[1].split("</table>", 1)[0]
    assert "610202" in results  # 王益区 cites it
    assert 'href="id/plan/001_d5df2cb18e06d54f"' in results  # result IRIs link to their pages
    assert 'value="中国教育现代化2035"' in answer.text  # the form keeps what was asked


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"sparql": 'SELECT ("<script>alert(1)</script>" AS ?x) WHERE {}'}, "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ({"name": "../../pyproject"}, "no saved query named &#x27;../../pyproject&#x27;"),
        ({"name": "plans_per_year", "bogus": "1"}, "unknown parameter &#x27;bogus&#x27;"),
        ({"sparql": "DROP ALL"}, "403: this endpoint is read-only"),
        ({"sparql": "CONSTRUCT WHERE { ?s ?p ?o }"}, "only SELECT and ASK queries are shown here"),
        ({"sparql": "SELECT * WHERE {"}, "400: SPARQL syntax error"),
    ],
)
def test_the_query_page_escapes_results_and_reports_errors(server, query, shown):
    from urllib.parse import urlencode

    answer = get(server, "/query?" + urlencode(query))
    assert answer.status == 200
    assert shown in answer.text
    assert "<script>" not in answer.text


def test_serve_binds_to_loopback_unless_told(seed_build, site):
    from kg.cli import _parser

    args = _parser().parse_args(["serve"])
    assert args.host == "127.0.0.1"
    server = make_server(open_built_store(seed_build[0]).oxigraph, site=site)
    try:
        assert server.server_address[0] == "127.0.0.1"
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", server.root_url)
    finally:
        server.server_close()


def test_a_folder_that_is_not_a_site_is_refused(seed_build, tmp_path):
    from kg.errors import UsageError

    with pytest.raises(UsageError, match="not a site written by kg publish"):
        make_server(open_built_store(seed_build[0]).oxigraph, site=tmp_path)


def test_n_triples_are_made_from_the_turtle(server, site):
    answer = get(server, PLAN, accept="application/n-triples")
    lines = answer.text.splitlines()
    assert lines == sorted(set(lines))
    triples = list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) == len(Graph().parse(site / (PLAN.lstrip("/") + ".ttl"), format="turtle"))
