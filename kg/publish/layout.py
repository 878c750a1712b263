"""The frame of every page: head, navigation, breadcrumbs, footer, and links to the RDF alternates."""

from __future__ import annotations

from dataclasses import dataclass

from kg import __version__
from kg.publish.markup import Markup, el, join
from kg.publish.paths import href

NAV = (
    ("index.html", "Home", "首页"),
    ("governments.html", "Governments", "政府"),
    ("plans.html", "Plans", "工作要点"),
    ("policies.html", "Policies", "政策文件"),
    ("indicators.html", "Indicators", "指标"),
    ("topics.html", "Topics", "主题"),
    ("ontology.html", "Ontology", "本体"),
    ("queries.html", "Queries", "查询"),
)


@dataclass(frozen=True)
class Page:
    """One HTML file: where it lives, its title, and its body."""

    file: str  # site path, e.g. "id/plan/x.html"
    title: str
    body: Markup
    kind: str = ""  # shown above the title ("Work plan")
    iri: str | None = None  # the resource shown, if any: gives the IRI line and the .ttl / .jsonld alternates
    crumbs: tuple[tuple[str, str], ...] = ()  # (site file, text), from the top
    subtitle: Markup | None = None

    def render(self) -> bytes:
        return render(self).encode("utf-8")


def render(page: Page) -> str:
    up = lambda target: href(page.file, target)  # noqa: E731
    alternates = []
    if page.iri is not None:
        stem = page.file.rsplit("/", 1)[-1].removesuffix(".html")
        alternates = [
            el("link", {"rel": "alternate", "type": "text/turtle", "href": f"{stem}.ttl"}),
            el("link", {"rel": "alternate", "type": "application/ld+json", "href": f"{stem}.jsonld"}),
        ]
    head = el(
        "head",
        {},
        el("meta", {"charset": "utf-8"}),
        el("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
        el("title", {}, f"{page.title} · edu-policy-kg"),
        el("link", {"rel": "stylesheet", "href": up("style.css")}),
        alternates,
    )
    nav = el(
        "nav",
        {"aria-label": "site"},
        el("a", {"class": "brand", "href": up("index.html")}, "edu-policy-kg 教育政策知识图谱"),
        [
            el("a", {"href": up(target)}, english, " ", el("span", {"lang": "zh-Hans"}, chinese))
            for target, english, chinese in NAV[1:]
        ],
    )
    crumbs = None
    if page.crumbs:
        crumbs = el(
            "nav",
            {"class": "crumbs", "aria-label": "breadcrumbs"},
            join([el("a", {"href": up(target)}, text) for target, text in page.crumbs], " › "),
        )
    header = el("header", {"class": "site"}, el("div", {"class": "inner"}, nav, crumbs))
    top = [
        el("p", {"class": "kind"}, page.kind) if page.kind else None,
        el("h1", {"lang": "zh" if _mostly_chinese(page.title) else None}, page.title),
        page.subtitle,
    ]
    if page.iri is not None:
        stem = page.file.rsplit("/", 1)[-1].removesuffix(".html")
        top.append(
            el(
                "p",
                {"class": "iri"},
                el("span", {"title": "IRI"}, page.iri),
                " · ",
                el("a", {"href": f"{stem}.ttl", "type": "text/turtle"}, "Turtle"),
                " · ",
                el("a", {"href": f"{stem}.jsonld", "type": "application/ld+json"}, "JSON-LD"),
            )
        )
    footer = el(
        "footer",
        {},
        el(
            "div",
            {"class": "inner"},
            f"edu-policy-kg {__version__} · ",
            el("a", {"href": up("void.ttl")}, "dataset description (VoID, DCAT)"),
            " · ",
            el("a", {"href": up("dumps/graph.nq.gz")}, "N-Quads dump"),
            " · ",
            el("a", {"href": up("dumps/graph.ttl.gz")}, "Turtle dump"),
        ),
    )
    body = el("body", {}, header, el("main", {}, top, page.body), footer)
    return "<!DOCTYPE html>\n" + el("html", {"lang": "en"}, head, body) + "\n"


def _mostly_chinese(text: str) -> bool:
    cjk = sum("\u3400" <= ch <= "\u9fff" for ch in text)
    return cjk * 2 > len(text.replace(" ", ""))
