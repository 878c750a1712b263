"""The home page and the index pages: governments by province, plans by year, policies by citations, indicators
and topics."""

from __future__ import annotations

from collections import Counter

from rdflib import URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.namespaces import KG
from kg.publish import charts
from kg.publish.layout import Page
from kg.publish.markup import Markup, el, join, safe_url
from kg.publish.pages_plan import plan_counts, plan_title
from kg.publish.pages_policy import citing_rows
from kg.publish.pages_vocab import bilingual
from kg.publish.paths import VOCAB_IRI
from kg.publish.site import SiteContext

HOME = (("index.html", "Home"),)
INDICATORS = URIRef(VOCAB_IRI + "indicators")
TOPICS = URIRef(VOCAB_IRI + "topics")


def _table(headers: list[str], rows: list[list[object]], numeric: tuple[str, ...] = ()) -> Markup:
    """A table with a header row; the columns named in `numeric` are right-aligned (class `num`)."""
    classes = ["num" if name in numeric else None for name in headers]
    head = el("tr", {}, [el("th", {"class": cls}, name) for name, cls in zip(headers, classes, strict=True)])
    body = [
        el("tr", {}, [el("td", {"class": cls}, cell) for cell, cls in zip(row, classes, strict=True)]) for row in rows
    ]
    return el("table", {}, head, body)


# ---- governments ---------------------------------------------------------------------------------------------------


def governments_page(ctx: SiteContext) -> Page:
    file = "governments.html"
    corpus = ctx.corpus
    governments = corpus.instances(KG.Government)
    by_province: dict[URIRef, list[URIRef]] = {}
    for government in governments:
        by_province.setdefault(corpus.province_of(government), []).append(government)
    body: list[object] = [
        el(
            "p",
            {},
            f"{len(governments)} governments, grouped by province; "
            f"{len(corpus.plans_of_government)} issued a plan in the dataset.",
        )
    ]
    for province in sorted(by_province, key=lambda p: str(corpus.value(p, KG.adcode) or p)):
        members = sorted(
            by_province[province], key=lambda g: [str(corpus.value(c, KG.adcode) or c) for c in corpus.chain(g)]
        )
        rows = []
        for government in members:
            plans = corpus.plans_of_government.get(government, [])
            depth = len(corpus.chain(government)) - 1
            level = corpus.value(government, KG.adminLevel)
            rows.append(
                [
                    el("span", {"class": f"depth-{min(depth, 3)}"}, ctx.link(file, government)),
                    ctx.name(level) if level is not None else "",
                    str(corpus.value(government, KG.adcode) or ""),
                    len(plans),
                    join([ctx.link(file, p, str(corpus.year(p) or "?")) for p in plans], ", "),
                ]
            )
        body.append(el("h2", {"id": str(corpus.value(province, KG.adcode) or "")}, ctx.link(file, province)))
        body.append(_table(["government", "level", "code", "plans", "years"], rows, numeric=("plans",)))
    return Page(file, "Governments by province 按省份浏览政府", join(body), crumbs=HOME)


# ---- plans ---------------------------------------------------------------------------------------------------------


def plans_page(ctx: SiteContext) -> Page:
    file = "plans.html"
    corpus = ctx.corpus
    by_year: dict[int, list[URIRef]] = {}
    for plan in corpus.plans:
        by_year.setdefault(corpus.year(plan) or 0, []).append(plan)
    body: list[object] = [el("p", {}, f"{len(corpus.plans)} work plans, newest year first.")]
    for year in sorted(by_year, reverse=True):
        rows = []
        for plan in sorted(by_year[year], key=lambda p: (corpus.label(corpus.government_of(p) or p), str(p))):
            government = corpus.government_of(plan)
            rows.append(
                [
                    ctx.link(file, plan, plan_title(ctx, plan)),
                    ctx.link(file, government)
                    if government is not None
                    else el("span", {"class": "muted"}, "unresolved"),
                    *plan_counts(ctx, plan),
                ]
            )
        body.append(el("h2", {"id": f"y{year}"}, str(year) if year else "Year unknown"))
        body.append(
            _table(
                ["plan", "government", "initiatives", "targets", "cited policies"],
                rows,
                numeric=("initiatives", "targets", "cited policies"),
            )
        )
    return Page(file, "Plans by year 按年度浏览工作要点", join(body), crumbs=HOME)


# ---- policies ------------------------------------------------------------------------------------------------------


def policy_ranking(ctx: SiteContext) -> list[tuple[URIRef, int, int, Counter]]:
    """(policy, citing governments, citing plans, relations) for every policy, most cited first."""
    out = []
    for policy in ctx.corpus.instances(KG.Policy):
        rows = citing_rows(ctx, policy)
        governments = {row[3] for row in rows if row[3] is not None}
        relations = Counter(str(ctx.corpus.value(row[4], KG.relation)).rsplit("#", 1)[-1] for row in rows)
        out.append((policy, len(governments), len(rows), relations))
    return sorted(out, key=lambda item: (-item[1], -item[2], ctx.corpus.label(item[0]), str(item[0])))


def policies_page(ctx: SiteContext, ranking: list[tuple[URIRef, int, int, Counter]]) -> Page:
    """`ranking`: `policy_ranking(ctx)`, which the VoID examples read too."""
    file = "policies.html"
    corpus = ctx.corpus
    rows = []
    for policy, governments, plans, relations in ranking:
        scope = corpus.value(policy, KG.scope)
        rows.append(
            [
                ctx.link(file, policy),
                ctx.name(scope) if scope is not None else "",
                governments,
                plans,
                relations.get("Implements", 0),
                relations.get("Drafts", 0),
            ]
        )
    body = [
        el("p", {}, f"{len(ranking)} policies, most cited first (by governments, then plans)."),
        _table(
            ["policy", "scope", "governments", "plans", "implements", "drafts"],
            rows,
            numeric=("governments", "plans", "implements", "drafts"),
        ),
    ]
    return Page(file, "Policies by citations 按引用次数浏览政策", join(body), crumbs=HOME)


# ---- indicators and topics -----------------------------------------------------------------------------------------


def _scheme_usage(ctx: SiteContext, scheme: URIRef, predicate: URIRef) -> tuple[list[URIRef], Counter]:
    """The top concepts of `scheme`, and for every concept how many facts point at it with `predicate`."""
    tops = [c for c in ctx.corpus.values(scheme, SKOS.hasTopConcept) if isinstance(c, URIRef)]
    return sorted(tops, key=str), Counter(o for _, o in ctx.corpus.triples.pairs(predicate))


def indicators_page(ctx: SiteContext) -> Page:
    file = "indicators.html"
    corpus = ctx.corpus
    tops, used = _scheme_usage(ctx, INDICATORS, KG.measures)
    body: list[object] = [
        el(
            "p",
            {},
            f"{sum(used.values())} targets measure {len(used)} of the indicators of the ",
            ctx.link(file, INDICATORS),
            " scheme; an indicator's page compares its targets across governments and deadlines.",
        )
    ]
    for top in sorted(tops, key=lambda c: -sum(used.get(n, 0) for n in corpus.subjects(SKOS.broader, c))):
        zh, en = bilingual(ctx, top, SKOS.prefLabel)
        members = sorted(
            set(corpus.subjects(SKOS.broader, top)) | {top}, key=lambda c: (-used.get(c, 0), corpus.label(c))
        )
        rows = []
        for concept in members:
            czh, cen = bilingual(ctx, concept, SKOS.prefLabel)
            governments = {
                corpus.government_of(corpus.plan_of(t))
                for t in corpus.subjects(KG.measures, concept)
                if corpus.plan_of(t)
            }
            rows.append(
                [
                    ctx.link(file, concept, ctx.literal(czh)),
                    el("span", {"lang": "en"}, str(cen or "")),
                    str(corpus.value(concept, KG.unitHint) or ""),
                    used.get(concept, 0),
                    len(governments - {None}),
                ]
            )
        body.append(
            el(
                "h2",
                {},
                ctx.link(file, top, ctx.literal(zh)),
                " ",
                el("span", {"class": "en", "lang": "en"}, str(en or "")),
            )
        )
        body.append(
            _table(["indicator", "English", "unit", "targets", "governments"], rows, numeric=("targets", "governments"))
        )
    return Page(file, "Indicators 指标", join(body), crumbs=HOME)


def topics_page(ctx: SiteContext) -> Page:
    file = "topics.html"
    corpus = ctx.corpus
    topics, tagged = _scheme_usage(ctx, TOPICS, DCTERMS.subject)
    rows = []
    for topic in sorted(topics, key=lambda t: (-tagged.get(t, 0), str(t))):
        zh, en = bilingual(ctx, topic, SKOS.prefLabel)
        plans = {corpus.plan_of(i) for i in corpus.subjects(DCTERMS.subject, topic)} - {None}
        rows.append(
            [
                ctx.link(file, topic, ctx.literal(zh)),
                el("span", {"lang": "en"}, str(en or "")),
                tagged.get(topic, 0),
                len(plans),
            ]
        )
    body = [
        el("p", {}, "Initiatives are tagged with the sectors and themes of the ", ctx.link(file, TOPICS), " scheme."),
        _table(["topic", "English", "initiatives", "plans"], rows, numeric=("initiatives", "plans")),
    ]
    return Page(file, "Topics 主题", join(body), crumbs=HOME)


# ---- home ----------------------------------------------------------------------------------------------------------


def citation_picture(ctx: SiteContext, file: str) -> tuple[Markup, int]:
    corpus = ctx.corpus
    edges: dict[tuple[str, str], set[str]] = {}
    plans: Counter = Counter()
    for policy, references in corpus.references_of_policy.items():
        for reference in references:
            plan = corpus.plan_of(reference)
            government = corpus.government_of(plan) if plan is not None else None
            if government is None:
                continue
            kind = "drafts" if corpus.value(reference, KG.relation) == KG.Drafts else "implements"
            edges.setdefault((str(government), str(policy)), set()).add(kind)
            plans[(str(government), str(policy))] += 1
    governments = [charts.Node(str(g), corpus.label(g), ctx.href(file, g)) for g in corpus.plans_of_government]
    policies = [charts.Node(str(p), corpus.label(p), ctx.href(file, p)) for p in corpus.instances(KG.Policy)]
    edge_list = [
        charts.Edge(g, p, "both" if len(kinds) == 2 else next(iter(kinds)), plans[(g, p)])
        for (g, p), kinds in sorted(edges.items())
    ]
    return charts.citation_network(governments, policies, edge_list)


def home_page(ctx: SiteContext, counts: dict[str, int], picture: tuple[Markup, int]) -> Page:
    """`picture`: `citation_picture(ctx, "index.html")`, which is also written as citations.svg beside it."""
    file = "index.html"
    picture, left_out = picture
    shown = [
        ("plans", "plans.html", "work plans 工作要点"),
        ("governments", "governments.html", "governments 政府"),
        ("initiatives", "plans.html", "initiatives 工作举措"),
        ("targets", "indicators.html", "quantified targets 量化目标"),
        ("policies", "policies.html", "cited policies 政策文件"),
        ("triples", "void.ttl", "triples"),
    ]
    body = [
        el(
            "p",
            {},
            "Chinese local-government education work plans (教育工作要点), read into a linked-data graph: who plans "
            "what, which policies they implement or commit to draft, and which numbers they promise — every fact "
            "with the characters it was read from.",
        ),
        el(
            "ul",
            {"class": "counts"},
            [
                el("li", {}, el("a", {"href": target}, el("strong", {}, f"{counts.get(key, 0):,}"), text))
                for key, target, text in shown
            ],
        ),
        el("h2", {}, "Citation network 引用网络"),
        el(
            "figure",
            {},
            picture,
            el(
                "figcaption",
                {},
                "Each curve: a government citing a policy in at least one of its plans; thicker for more plans. ",
                f"{left_out} less cited policies are not drawn; see " if left_out else "",
                el("a", {"href": "policies.html"}, "all policies") if left_out else None,
                ". " if left_out else "",
                el("a", {"href": "citations.svg"}, "SVG"),
            ),
        ),
        el("h2", {}, "Browse 浏览"),
        el(
            "ul",
            {},
            el("li", {}, el("a", {"href": "governments.html"}, "Governments by province"), " 按省份浏览政府"),
            el("li", {}, el("a", {"href": "plans.html"}, "Plans by year"), " 按年度浏览工作要点"),
            el("li", {}, el("a", {"href": "policies.html"}, "Policies by citations"), " 按引用次数浏览政策"),
            el("li", {}, el("a", {"href": "indicators.html"}, "Indicators"), " 指标 — with charts of targets"),
            el("li", {}, el("a", {"href": "topics.html"}, "Topics"), " 主题"),
            el("li", {}, el("a", {"href": "ontology.html"}, "Ontology"), " 本体 — classes and properties"),
            el("li", {}, el("a", {"href": "queries.html"}, "Saved queries"), " 查询"),
        ),
        el("h2", {}, "Data 数据"),
        el(
            "ul",
            {},
            el(
                "li",
                {},
                "Every resource page has Turtle and JSON-LD beside it (same name, ",
                el("code", {}, ".ttl"),
                ", ",
                el("code", {}, ".jsonld"),
                ").",
            ),
            el(
                "li",
                {},
                "Dumps: ",
                el("a", {"href": "dumps/graph.nq.gz"}, "N-Quads (one graph per document)"),
                ", ",
                el("a", {"href": "dumps/graph.ttl.gz"}, "Turtle (the union)"),
                ".",
            ),
            el(
                "li",
                {},
                "Dataset description: ",
                el("a", {"href": "void.ttl"}, "VoID and DCAT"),
                " (",
                el("a", {"href": "void.jsonld"}, "JSON-LD"),
                ").",
            ),
            el(
                "li",
                {},
                "SPARQL: ",
                el("code", {}, "kg serve --site"),
                " answers queries at ",
                el("a", {"href": "sparql"}, "sparql"),
                " and runs the saved queries at ",
                el("a", {"href": "query"}, "query"),
                ".",
            ),
            el("li", {}, "Licence: ", _licence(ctx), "."),
        ),
    ]
    return Page(file, "Education work plans — knowledge graph 教育工作要点知识图谱", join(body))


def _licence(ctx: SiteContext) -> Markup:
    if not ctx.license:
        return el("span", {}, "not stated")
    return el("a", {"href": safe_url(ctx.license)}, ctx.license)
