"""Talking to any SPARQL 1.1 server: queries through SPARQLWrapper, graphs through the Graph Store HTTP Protocol.

Every network failure becomes a `RemoteError` whose message names the server and what happened (refused,
timed out, HTTP status with the server's first line), for the CLI to print as one line.
"""

from __future__ import annotations

import base64
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.term import Node

from kg.errors import KgError
from kg.saved_queries import with_values
from kg.store import QueryResult

DEFAULT_TIMEOUT = 30.0


class RemoteError(KgError):
    """The server could not be reached or refused the request."""


@dataclass(frozen=True)
class Endpoint:
    query_url: str
    store_url: str | None = None  # Graph Store HTTP Protocol endpoint
    user: str | None = None
    password: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    @property
    def graph_store(self) -> str:
        """The GSP URL: given, or the query URL with its last segment replaced by `store` (Oxigraph, Fuseki)."""
        if self.store_url:
            return self.store_url
        base, _, last = self.query_url.rstrip("/").rpartition("/")
        return f"{base}/store" if last in {"query", "sparql"} else self.query_url.rstrip("/") + "/store"

    def _headers(self) -> dict[str, str]:
        headers = {"User-Agent": "edu-policy-kg"}
        if self.user is not None:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        return headers


def remote_query(endpoint: Endpoint, text: str, bindings: dict[Variable, Node] | None = None) -> QueryResult:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint.query_url)
    client.setQuery(with_values(text, bindings or {}))
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(endpoint.timeout))
    if endpoint.user is not None:
        client.setCredentials(endpoint.user, endpoint.password or "")
    try:
        data = client.queryAndConvert()
    except SPARQLWrapperException as err:
        raise RemoteError(f"{endpoint.query_url} rejected the query: {_first_line(str(err))}") from err
    except urllib.error.HTTPError as err:
        raise RemoteError(f"{endpoint.query_url} answered HTTP {err.code}: {_first_line(_body(err))}") from err
    except (urllib.error.URLError, OSError) as err:
        raise RemoteError(_unreachable(endpoint.query_url, err, endpoint.timeout)) from err
    variables = tuple(data["head"]["vars"])
    rows = tuple(tuple(_term(binding.get(v)) for v in variables) for binding in data["results"]["bindings"])
    return QueryResult(variables, rows)


def put_graph(endpoint: Endpoint, graph: str, ntriples: bytes) -> None:
    """Replace one named graph (GSP PUT): the server swaps it whole, or keeps the old one on failure."""
    _request(endpoint, "PUT", graph, ntriples, "application/n-triples")


def delete_graph(endpoint: Endpoint, graph: str) -> None:
    _request(endpoint, "DELETE", graph, None, None)


def _request(endpoint: Endpoint, method: str, graph: str, body: bytes | None, content_type: str | None) -> None:
    url = f"{endpoint.graph_store}?{urllib.parse.urlencode({'graph': graph})}"
    headers = endpoint._headers()
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=endpoint.timeout) as response:
            response.read()
    except urllib.error.HTTPError as err:
        if method == "DELETE" and err.code == 404:
            return
        raise RemoteError(
            f"{endpoint.graph_store} answered HTTP {err.code} to {method}: {_first_line(_body(err))}"
        ) from err
    except (urllib.error.URLError, OSError) as err:
        raise RemoteError(_unreachable(endpoint.graph_store, err, endpoint.timeout)) from err


def _term(value: dict | None) -> Node | None:
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    return Literal(value["value"], datatype=URIRef(datatype) if datatype else None)


def _unreachable(url: str, err: Exception, timeout: float) -> str:
    reason = getattr(err, "reason", err)
    if isinstance(reason, socket.timeout | TimeoutError) or "timed out" in str(reason):
        return f"{url} did not answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError) or "refused" in str(reason).lower():
        return f"cannot reach {url}: connection refused (is the server running?)"
    return f"cannot reach {url}: {reason}"


def _body(err: urllib.error.HTTPError) -> str:
    try:
        return err.read().decode("utf-8", "replace")
    except OSError:
        return err.reason or ""


def _first_line(text: str) -> str:
    stripped = text.strip()
    return stripped.splitlines()[0][:300] if stripped else "(no message)"
