"""The saved queries (`queries/*.rq`) as a page: each with its question in English and Chinese, its parameters as
a form, and its SPARQL. Published statically as `queries.html`; `kg serve --site` also answers `query?name=…`
with the same page and the results of the query run on the store (values bound as RDF terms, never pasted)."""

from __future__ import annotations

from dataclasses import dataclass

from kg.publish.layout import Page
from kg.publish.markup import Markup, el, join
from kg.publish.paths import SitePaths, href
from kg.saved_queries import SavedQuery

STATIC_FILE = "queries.html"
LIVE_FILE = "query"


@dataclass(frozen=True)
class Outcome:
    """What running a query gave: SPARQL JSON results, or an error line."""

    query_name: str
    results: dict | None = None
    truncated: bool = False
    error: str | None = None


def queries_page(
    saved: list[SavedQuery],
    *,
    live: bool = False,
    values: dict[str, str] | None = None,
    outcome: Outcome | None = None,
    paths: SitePaths | None = None,
    free_text: str = "",
) -> Page:
    file = LIVE_FILE if live else STATIC_FILE
    values = values or {}
    intro = (
        "Run a saved query with its parameters, or write your own; results come from the read-only SPARQL endpoint "
        "next to this page (sparql)."
        if live
        else "The forms run the queries when the site is served by kg serve --site (the page query); on a static "
        "host, copy a query into any SPARQL endpoint holding the dumps."
    )
    body: list[object] = [el("p", {}, intro)]
    if outcome is not None:
        body.append(_outcome(outcome, paths, file))
    body.append(el("nav", {}, join([el("a", {"href": f"#{q.name}"}, q.title or q.name) for q in saved], " · ")))
    for query in saved:
        body.append(_query_section(query, values if outcome is not None and outcome.query_name == query.name else {}))
    body.append(el("h2", {"id": "free"}, "Your own query 自定义查询"))
    body.append(
        el(
            "form",
            {"class": "query", "method": "get", "action": LIVE_FILE},
            el(
                "textarea",
                {"name": "sparql", "aria-label": "SPARQL query"},
                free_text or "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
            ),
            el("p", {}, el("button", {"type": "submit"}, "Run 运行")),
        )
    )
    crumbs = (("index.html", "Home"),)
    return Page(file, "Saved queries 保存的查询", join(body), crumbs=crumbs)


def _query_section(query: SavedQuery, values: dict[str, str]) -> Markup:
    inputs = [el("input", {"type": "hidden", "name": "name", "value": query.name})]
    for param in query.params:
        shown = values.get(param.name, param.default or "")
        inputs.append(
            el(
                "label",
                {},
                f"{param.name} ({param.type}) ",
                el("input", {"type": "text", "name": param.name, "value": shown, "title": param.description}),
            )
        )
    params = None
    if query.params:
        params = el(
            "table",
            {},
            el("tr", {}, [el("th", {}, h) for h in ("parameter", "type", "default", "meaning")]),
            [
                el(
                    "tr",
                    {},
                    el("td", {}, el("code", {}, p.name)),
                    el("td", {}, p.type),
                    el("td", {}, p.default or "—"),
                    el("td", {}, p.description),
                )
                for p in query.params
            ],
        )
    return el(
        "section",
        {"id": query.name, "class": "saved-query"},
        el("h2", {}, query.title or query.name, " ", el("span", {"lang": "zh-Hans"}, query.title_zh)),
        el("p", {}, query.question),
        el("p", {"lang": "zh-Hans"}, query.question_zh),
        params,
        el(
            "form",
            {"class": "query", "method": "get", "action": LIVE_FILE},
            inputs,
            " ",
            el("button", {"type": "submit"}, "Run 运行"),
        ),
        el("details", {}, el("summary", {}, f"SPARQL ({query.name}.rq)"), el("pre", {"class": "query"}, query.text)),
        [el("p", {"class": "muted"}, el("code", {}, example)) for example in query.examples],
    )


def _outcome(outcome: Outcome, paths: SitePaths | None, file: str) -> Markup:
    heading = el("h2", {"id": "results"}, f"Results: {outcome.query_name}")
    if outcome.error is not None:
        return join([heading, el("p", {"class": "error"}, outcome.error)])
    results = outcome.results or {}
    if "boolean" in results:
        return join([heading, el("p", {}, "true" if results["boolean"] else "false")])
    variables = results.get("head", {}).get("vars", [])
    bindings = results.get("results", {}).get("bindings", [])
    rows = [el("tr", {}, [el("td", {}, _cell(row.get(name), paths, file)) for name in variables]) for row in bindings]
    note = f"{len(bindings)} row(s)" + (" — cut at the server's limit" if outcome.truncated else "")
    table = el("table", {"class": "results"}, el("tr", {}, [el("th", {}, v) for v in variables]), rows)
    return join([heading, el("p", {"class": "muted"}, note), table])


def _cell(term: dict | None, paths: SitePaths | None, file: str) -> Markup:
    if term is None:
        return Markup("")
    value = str(term.get("value", ""))
    if term.get("type") == "uri":
        path = paths.path(value) if paths is not None else None
        if path is not None:  # the IRI's own path: kg serve negotiates it, or redirects a span to its fact
            return el("a", {"href": href(file, path)}, value)
        return el("span", {"class": "iri"}, value)
    language = term.get("xml:lang")
    return el("span", {"lang": language} if language else {}, value)
