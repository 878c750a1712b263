"""A read-only SPARQL 1.1 Protocol endpoint over an Oxigraph store (`kg serve`), standard library only.

    server = make_server(store)            # loopback, a free port; `server.url` is the endpoint
    try:
        server.serve_forever()
    finally:
        server.server_close()

One path, `/sparql`: `GET ?query=…`, or `POST` with an `application/x-www-form-urlencoded` (`query=…`) or an
`application/sparql-query` body. The dataset is fixed: the default graph is the union of all named graphs and every
named graph is visible to `GRAPH`; `default-graph-uri` / `named-graph-uri` are refused (400), and Oxigraph ignores
`FROM` / `FROM NAMED` in the query under this setting — use `GRAPH <g> { … }` to look at one document.

Results are negotiated from `Accept` (`OFFERS`, chosen by `kg/negotiation.py`); every answer carries `Vary: Accept`,
and every error body is one line of text. Updates are refused with 403 however they arrive (`update=`,
`application/sparql-update`, or an update sent as `query=`): Oxigraph's own parser tells an update from a malformed
query (`_UpdateProbe`), nothing is executed.

Limits:
- **Time.** The query and the serialisation run in a worker thread; the request waits at most `timeout_s`, then
  answers 503 "query timed out after N s". Python cannot stop a thread: the worker is abandoned. It notices the
  timeout between two result rows and stops there, but a query that computes before its first row (ORDER BY,
  GROUP BY, a large join under a FILTER that never matches) keeps one CPU busy until Oxigraph is done.
- **Size.** SELECT solutions and CONSTRUCT/DESCRIBE triples are cut after `max_results`: the answer is a valid
  result of the first `max_results` rows with `X-Result-Truncated: true` (otherwise `false`), so a client that
  reads the header can add LIMIT/OFFSET, and one that does not still gets a well-formed answer.
- **Requests.** Bodies over 1 MiB are refused (413) before they are read.

A query may still use `SERVICE`, which makes this process fetch the given URL; bind to loopback (the default) unless
the clients are trusted.

With `site=` (a folder written by `kg publish`), every other path is answered from the site (`kg/publish/site_http.py`):
its files, resource IRIs negotiated to HTML, Turtle, JSON-LD or N-Triples, and `/query`, the saved queries run on
this store through the same worker, limits and refusals as `/sparql`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import socketserver
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg.errors import KgError, UsageError
from kg.negotiation import Answer, negotiate

if TYPE_CHECKING:
    from kg.publish.site_http import SiteFiles

__all__ = ["MAX_BODY_BYTES", "OFFERS", "PATH", "READ_ONLY", "SparqlServer", "make_server"]

PATH = "/sparql"
QUERY_PAGE = "/query"
MAX_BODY_BYTES = 1 << 20
READ_ONLY = "this endpoint is read-only"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

_T = TypeVar("_T")

Format = ox.QueryResultsFormat | ox.RdfFormat

# What each query form can be answered as, in order of preference: the first is the default (no Accept, `*/*`).
OFFERS: dict[str, tuple[tuple[str, Format], ...]] = {
    "SELECT": (
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("text/csv", ox.QueryResultsFormat.CSV),
        ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
        ("application/json", ox.QueryResultsFormat.JSON),
    ),
    "ASK": (
        ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
        ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
        ("application/json", ox.QueryResultsFormat.JSON),
    ),
    "CONSTRUCT": (
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),  # SPARQLWrapper's default for CONSTRUCT
    ),
}


def make_server(
    store: ox.Store,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    timeout_s: float = 10.0,
    max_results: int = 10_000,
    site: Path | None = None,
) -> SparqlServer:
    """A bound, not yet serving endpoint over `store` (open it with `Store.read_only` when it is on disk).

    `port=0` picks a free port: read it from `server.server_address[1]`. `site` is a folder written by `kg publish`,
    served beside the endpoint. Raises `UsageError` for a bad limit or a folder that is not a site, and `KgError`
    when the address cannot be bound.
    """
    if not timeout_s > 0:
        raise UsageError(f"the query timeout must be a positive number of seconds, not {timeout_s}")
    if max_results < 1:
        raise UsageError(f"the result limit must be at least 1 row, not {max_results}")
    site_files = None
    if site is not None:
        from kg.publish.site_http import SiteFiles

        site_files = SiteFiles(site)
    try:
        return SparqlServer((host, port), store, timeout_s=timeout_s, max_results=max_results, site=site_files)
    except OSError as err:
        raise KgError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err


class SparqlServer(ThreadingHTTPServer):
    """One thread per request; the store, the limits and the update probe are shared by all of them."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        store: ox.Store,
        *,
        timeout_s: float,
        max_results: int,
        site: SiteFiles | None = None,
    ) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.store = store
        self.site = site
        self.timeout_s = timeout_s
        self.max_results = max_results
        try:
            self.probe = _UpdateProbe()
        except OSError as err:
            raise KgError(f"cannot create the scratch store in {tempfile.gettempdir()}: {err}") from err
        try:
            super().__init__(address, _Handler)
        except BaseException:
            self.probe.close()
            raise

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host name (a reverse DNS lookup); the address is all we need.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    @property
    def url(self) -> str:
        return self.root_url + PATH.lstrip("/")

    @property
    def root_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{f'[{host}]' if ':' in str(host) else host}:{port}/"

    def server_close(self) -> None:
        super().server_close()
        self.probe.close()


class _UpdateProbe:
    """Tells an update from a malformed query with Oxigraph's parser, executing nothing.

    `Store.update` on a read-only store parses the update (SyntaxError if it is not one), then fails to open the write
    transaction before any operation runs — so not even `LOAD` or `SERVICE` is attempted. The store is an empty one
    in a temporary folder, removed by `close()`.
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="kg-serve-")
        ox.Store(self._folder.name).flush()  # create it; the writable handle is dropped at once
        self._store: ox.Store | None = ox.Store.read_only(self._folder.name)

    def is_update(self, text: str) -> bool:
        """Whether `text` is an update with at least one operation (a bare prologue parses as an empty update)."""
        if self._store is None:
            raise RuntimeError("the update probe is closed")
        try:
            self._store.update(text)
        except SyntaxError:
            return False
        except RuntimeError:  # parsed, then refused by the read-only store
            return not self._is_prologue(text)
        return False

    def _is_prologue(self, text: str) -> bool:
        assert self._store is not None
        try:
            self._store.query(text + "\nASK {}")  # only PREFIX/BASE and comments can stand before a query
        except SyntaxError:
            return False
        return True

    def close(self) -> None:
        """Idempotent."""
        self._store = None
        self._folder.cleanup()


class _Cancelled(Exception):
    """The request gave up waiting; the worker stops at the next row."""


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "edu-policy-kg"
    sys_version = ""
    timeout = 60  # seconds a client may take to send its request

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._send(self._dispatch())

    def do_HEAD(self) -> None:
        if self.server.site is not None and urlsplit(self.path).path != PATH:
            self._send(self._dispatch())
        else:
            self._refuse_method()

    def do_POST(self) -> None:
        self._send(self._dispatch())

    def _refuse_method(self) -> None:
        self._send(self._method_not_allowed())

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    def parse_request(self) -> bool:
        self._started = time.monotonic()
        return super().parse_request()

    # ---- the request --------------------------------------------------------------------------------------------

    def _dispatch(self) -> Answer:
        url = urlsplit(self.path)
        if url.path != PATH and self.server.site is not None:
            if self.command == "POST":
                return self._method_not_allowed()
            if url.path == QUERY_PAGE:
                return self._query_page(url.query)
            return self.server.site.answer(url.path, self.headers.get("Accept", ""))
        if url.path != PATH:
            return Answer.text(404, f"not found: the SPARQL endpoint is {PATH}")
        try:
            params = parse_qs(url.query, keep_blank_values=True, errors="strict")
            if self.command == "POST":
                body_type, body = self._read_body()
                if body_type == "application/x-www-form-urlencoded":
                    for name, values in parse_qs(body, keep_blank_values=True, errors="strict").items():
                        params.setdefault(name, []).extend(values)
                elif body_type == "application/sparql-update":
                    return Answer.text(403, READ_ONLY)
                elif body_type == "application/sparql-query":
                    if "query" in params:
                        return Answer.text(400, "send the query either in the body or as query=, not both")
                    params["query"] = [body]
                else:
                    return Answer.text(
                        415,
                        f"unsupported Content-Type {body_type or '(none)'}: send application/sparql-query "
                        "or application/x-www-form-urlencoded",
                    )
        except _BadRequest as err:
            return err.reply
        except UnicodeDecodeError:
            return Answer.text(400, "the request is not valid UTF-8")
        if "update" in params:
            return Answer.text(403, READ_ONLY)
        unsupported = [name for name in ("default-graph-uri", "named-graph-uri") if name in params]
        if unsupported:
            return Answer.text(
                400,
                f"{' and '.join(unsupported)} not supported: the default graph is the union of all named graphs; "
                "use GRAPH <iri> { … } in the query to look at one graph",
            )
        queries = params.get("query", [])
        if len(queries) != 1:
            return Answer.text(400, "expected exactly one query parameter" if queries else "missing query parameter")
        if not queries[0].strip():
            return Answer.text(400, "the query is empty")
        return self._run(queries[0], self.headers.get("Accept", ""))

    def _read_body(self) -> tuple[str, str]:
        body_type = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            raise _BadRequest(Answer.text(411, "Content-Length required"))
        try:
            length = int(length_header)
        except ValueError:
            raise _BadRequest(Answer.text(400, f"bad Content-Length {length_header!r}")) from None
        if length < 0:
            raise _BadRequest(Answer.text(400, f"bad Content-Length {length_header!r}"))
        if length > MAX_BODY_BYTES:
            raise _BadRequest(Answer.text(413, f"request body of {length} bytes is over the {MAX_BODY_BYTES} limit"))
        return body_type, self.rfile.read(length).decode("utf-8")

    def _run(self, query: str, accept: str) -> Answer:
        server = self.server
        cancel = threading.Event()
        future: Future[Answer] = Future()

        def work() -> None:
            try:
                future.set_result(_answer(server.store, server.probe, query, accept, server.max_results, cancel))
            except _Cancelled:
                pass
            except Exception as err:
                future.set_result(Answer.text(500, f"internal error: {type(err).__name__}: {err}"))

        threading.Thread(target=work, name="kg-serve-query", daemon=True).start()
        try:
            return future.result(timeout=server.timeout_s)
        except FutureTimeout:
            cancel.set()
            return Answer.text(503, f"query timed out after {server.timeout_s:g} s")

    def _query_page(self, query_string: str) -> Answer:
        from kg.publish.query_run import render_query_page

        def run(text: str) -> tuple[int, bytes, bool]:
            reply = self._run(text, "application/sparql-results+json")
            return reply.status, reply.body, ("X-Result-Truncated", "true") in reply.headers

        assert self.server.site is not None
        return render_query_page(self.server.site, query_string, run)

    def _method_not_allowed(self) -> Answer:
        path = urlsplit(self.path).path
        if path != PATH and self.server.site is not None:
            return Answer.text(405, f"{self.command} not allowed: use GET or HEAD", ("Allow", "GET, HEAD"))
        if path != PATH:
            return Answer.text(404, f"not found: the SPARQL endpoint is {PATH}")
        return Answer.text(405, f"{self.command} not allowed: use GET or POST", ("Allow", "GET, POST"))

    # ---- the response -------------------------------------------------------------------------------------------

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # http.server's own errors (malformed request line, 414, oversized headers) as one line of text too.
        self.close_connection = True
        self._send(Answer.text(code, message or HTTPStatus(code).phrase))

    def _send(self, reply: Answer) -> None:
        try:
            source = reply.file.open("rb") if reply.file is not None else None
        except OSError:
            reply, source = Answer.text(404, "not found"), None
        # Logged before the answer goes out, so the line is written by the time the client has its answer.
        elapsed_ms = (time.monotonic() - getattr(self, "_started", time.monotonic())) * 1000
        path = urlsplit(self.path).path if getattr(self, "path", None) else "-"
        self.log_message("%s %s %d %.0fms", self.command or "-", path[:200], reply.status, elapsed_ms)
        try:
            length = os.fstat(source.fileno()).st_size if source is not None else len(reply.body)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(length))
            self.send_header("Vary", "Accept")
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                if source is not None:
                    shutil.copyfileobj(source, self.wfile)
                else:
                    self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            if source is not None:
                source.close()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # `_send` logs one line per request, without the query string

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write("kg serve: " + " ".join((format % args).split()) + "\n")


class _BadRequest(Exception):
    def __init__(self, reply: Answer) -> None:
        super().__init__(reply.body.decode("utf-8").strip())
        self.reply = reply


# ---- the query, in the worker thread ------------------------------------------------------------------------------


def _answer(
    store: ox.Store, probe: _UpdateProbe, query: str, accept: str, max_results: int, cancel: threading.Event
) -> Answer:
    try:
        result = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as err:
        if probe.is_update(query):
            return Answer.text(403, READ_ONLY)
        return Answer.text(400, f"SPARQL syntax error: {err}")
    except OSError as err:
        return Answer.text(500, f"the query failed: {err}")

    if isinstance(result, ox.QueryBoolean):
        form = "ASK"
    elif isinstance(result, ox.QuerySolutions):
        form = "SELECT"
    else:
        form = "CONSTRUCT"  # and DESCRIBE: both are triples
    chosen = negotiate(accept, OFFERS[form])
    if chosen is None:
        acceptable = ", ".join(dict.fromkeys(media_type for media_type, _ in OFFERS[form]))
        return Answer.text(406, f"cannot answer a {form} query as {accept[:200]}; acceptable: {acceptable}")
    media_type, fmt = chosen
    content_type = f"{media_type}; charset=utf-8"

    try:
        if isinstance(result, ox.QueryBoolean):
            return Answer(200, content_type, result.serialize(format=fmt))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows, truncated = _take(result, max_results, cancel)
            body = _solutions_json(variables, rows)
            if fmt != ox.QueryResultsFormat.JSON:
                body = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(format=fmt)
        else:
            triples, truncated = _take(result, max_results, cancel)
            body = ox.serialize(triples, format=fmt)
    except OSError as err:  # evaluation errors surface while iterating (e.g. a failing SERVICE)
        return Answer.text(500, f"the query failed: {err}")
    return Answer(200, content_type, body, headers=(("X-Result-Truncated", "true" if truncated else "false"),))


def _take(items: Iterable[_T], limit: int, cancel: threading.Event) -> tuple[list[_T], bool]:
    taken: list[_T] = []
    for item in items:
        if cancel.is_set():
            raise _Cancelled
        if len(taken) == limit:
            return taken, True
        taken.append(item)
    return taken, False


def _solutions_json(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    """SPARQL 1.1 Query Results JSON of the rows kept; the other formats are written from it by Oxigraph."""
    bindings = []
    for row in rows:
        binding = {}
        for name in variables:
            term = row[name]
            if term is not None:
                binding[name] = _term_json(term)
        bindings.append(binding)
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _term_json(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = str(term.direction)
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {key: _term_json(part) for key, part in parts.items()}}
    raise TypeError(f"unexpected term {term!r}")
