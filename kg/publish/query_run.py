"""The live query page of `kg serve --site` (`/query`): a saved query chosen by name with its parameters, or a query
typed in, run through the endpoint's own worker (its timeout, result limit and update refusal), shown as a table.

Only saved queries are run by name — a name is looked up among `queries/*.rq`, never opened as a path — and their
parameters are bound as typed RDF terms (`kg/saved_queries.py`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qs

from kg.errors import KgError
from kg.negotiation import Answer
from kg.publish.queries_page import Outcome, queries_page
from kg.publish.site_http import HTML, SECURITY_HEADERS, SiteFiles
from kg.saved_queries import bindings, list_saved, with_values

# text → (HTTP status, body, truncated): the endpoint's runner, asked for SPARQL JSON results
Runner = Callable[[str], tuple[int, bytes, bool]]


def render_query_page(site: SiteFiles, query_string: str, run: Runner) -> Answer:
    try:
        params = {
            name: values[0] for name, values in parse_qs(query_string, keep_blank_values=True, errors="strict").items()
        }
    except UnicodeDecodeError:
        return Answer.text(400, "the request is not valid UTF-8")
    saved = list_saved()
    by_name = {query.name: query for query in saved}
    name = params.pop("name", None)
    free = params.pop("sparql", None)
    outcome = None
    if name is not None:
        query = by_name.get(name)
        if query is None:
            outcome = Outcome(name, error=f"no saved query named {name!r} (saved: {', '.join(by_name)})")
        else:
            try:
                text = with_values(query.text, bindings(query, {k: v for k, v in params.items() if v != ""}))
            except KgError as err:
                outcome = Outcome(name, error=str(err))
            else:
                outcome = _outcome(name, run(text))
    elif free is not None and free.strip():
        outcome = _outcome("your query", run(free))
    page = queries_page(saved, live=True, values=params, outcome=outcome, paths=site.paths, free_text=free or "")
    return Answer(200, HTML, page.render(), headers=SECURITY_HEADERS)


def _outcome(name: str, ran: tuple[int, bytes, bool]) -> Outcome:
    status, body, truncated = ran
    if status == 200:
        return Outcome(name, json.loads(body), truncated)
    message = body.decode("utf-8", "replace").strip()
    if status == 406:
        message = "only SELECT and ASK queries are shown here; send CONSTRUCT and DESCRIBE to the sparql endpoint"
    return Outcome(name, error=f"{status}: {message}")
