"""Pages of the indicator and topic vocabularies, and the fallback page for any other resource."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.namespaces import KG
from kg.publish import charts
from kg.publish.blocks import COMPARATORS, facts, statements, target_summary
from kg.publish.corpus import pick
from kg.publish.layout import Page
from kg.publish.markup import Markup, el, join
from kg.publish.pages_plan import plan_title
from kg.publish.site import SiteContext


def bilingual(ctx: SiteContext, subject: URIRef, predicate: URIRef) -> tuple[Literal | None, Literal | None]:
    values = [v for v in ctx.corpus.values(subject, predicate) if isinstance(v, Literal)]
    zh = pick([v for v in values if (v.language or "").lower().startswith("zh")], ("zh",))
    en = pick([v for v in values if (v.language or "").lower().startswith("en")], ("en",))
    return zh, en


def targets_measuring(ctx: SiteContext, concept: URIRef) -> list[URIRef]:
    corpus = ctx.corpus

    def order(target: URIRef) -> tuple:
        plan = corpus.plan_of(target)
        government = corpus.government_of(plan) if plan is not None else None
        deadline = str(corpus.value(target, KG.deadline) or "")
        return (
            str(corpus.value(target, KG.unit) or ""),
            deadline,
            corpus.label(government) if government else "",
            str(target),
        )

    return sorted(corpus.subjects(KG.measures, concept), key=order)


def chart_bars(ctx: SiteContext, file: str, targets: list[URIRef]) -> list[charts.Bar]:
    corpus = ctx.corpus
    bars = []
    for target in targets:
        try:
            value = Decimal(str(corpus.value(target, KG.value)))
        except InvalidOperation:
            continue
        high_node = corpus.value(target, KG.valueMax)
        high = Decimal(str(high_node)) if high_node is not None else None
        plan = corpus.plan_of(target)
        government = corpus.government_of(plan) if plan is not None else None
        deadline = corpus.value(target, KG.deadline)
        when = f"by {deadline}" if deadline is not None else f"plan {corpus.year(plan) if plan else '?'}"
        place = corpus.label(government) if government is not None else "unresolved"
        bars.append(
            charts.Bar(
                label=f"{place} · {when}",
                value=value,
                value_max=high,
                comparator=COMPARATORS.get(corpus.value(target, KG.comparator), ""),  # type: ignore[arg-type]
                unit=str(corpus.value(target, KG.unit) or ""),
                href=ctx.href(file, target),
                title=f"{place}: {corpus.value(target, KG.statement) or ''} ({target_summary(ctx, target)})",
            )
        )
    return bars


def concept_page(ctx: SiteContext, file: str, concept: URIRef) -> tuple[Page, bytes | None]:
    """The page, and the chart as a standalone SVG file (None when no target measures the concept)."""
    corpus = ctx.corpus
    zh, en = bilingual(ctx, concept, SKOS.prefLabel)
    zh_def, en_def = bilingual(ctx, concept, SKOS.definition)
    scheme = corpus.value(concept, SKOS.inScheme)
    body: list[object] = [
        facts(
            [
                ("Label 名称", ctx.literal(zh)),
                ("English", el("span", {"lang": "en"}, str(en)) if en is not None else None),
                ("Also called 又称", join([ctx.literal(v) for v in corpus.values(concept, SKOS.altLabel)], "; ")),
                ("Definition 定义", ctx.literal(zh_def)),
                ("Definition", el("span", {"lang": "en"}, str(en_def)) if en_def is not None else None),
                ("Usual unit 常用单位", str(corpus.value(concept, KG.unitHint) or "")),
                ("Broader 上位", join([ctx.link(file, b) for b in corpus.values(concept, SKOS.broader)], "; ")),
                ("Narrower 下位", join([ctx.link(file, n) for n in _narrower(ctx, concept)], "; ")),
                ("Scheme 词表", ctx.link(file, scheme) if scheme is not None else None),
            ]
        )
    ]
    chart_file = None
    targets = targets_measuring(ctx, concept)
    if targets:
        bars = chart_bars(ctx, file, targets)
        picture = charts.indicator_chart(f"Targets on {zh or en or ''}: values by government and deadline", bars)
        chart_file = charts.standalone(picture)
        svg_name = file.rsplit("/", 1)[-1].removesuffix(".html") + ".svg"
        body.append(el("h2", {}, f"Targets 量化目标 ({len(targets)})"))
        body.append(
            el(
                "figure",
                {},
                picture,
                el(
                    "figcaption",
                    {},
                    "Target values by government and deadline; bars link to the targets. ",
                    el("a", {"href": svg_name}, "SVG"),
                ),
            )
        )
        body.append(_target_table(ctx, file, targets))
    initiatives = corpus.subjects(DCTERMS.subject, concept)
    if initiatives:
        body.append(el("h2", {}, f"Initiatives 工作举措 ({len(initiatives)})"))
        body.append(_initiatives_by_plan(ctx, file, initiatives))
    body.append(statements(ctx, file, concept))
    kind = "Indicator 指标" if "/indicators" in str(scheme) else "Topic 主题"
    crumbs = (
        ("index.html", "Home"),
        ("indicators.html" if kind.startswith("Indicator") else "topics.html", kind.split()[0] + "s"),
    )
    subtitle = el("p", {"class": "en", "lang": "en"}, str(en)) if en is not None else None
    return Page(
        file, str(zh or en or corpus.label(concept)), join(body), kind, str(concept), crumbs, subtitle
    ), chart_file


def _narrower(ctx: SiteContext, concept: URIRef) -> list[URIRef]:
    corpus = ctx.corpus
    found = set(corpus.values(concept, SKOS.narrower)) | set(corpus.subjects(SKOS.broader, concept))
    return sorted((n for n in found if isinstance(n, URIRef)), key=lambda n: corpus.label(n))


def _target_table(ctx: SiteContext, file: str, targets: list[URIRef]) -> Markup:
    corpus = ctx.corpus
    header = el("tr", {}, [el("th", {}, h) for h in ("government", "plan year", "target", "statement")])
    rows = []
    for target in targets:
        plan = corpus.plan_of(target)
        government = corpus.government_of(plan) if plan is not None else None
        rows.append(
            el(
                "tr",
                {},
                el("td", {}, ctx.link(file, government) if government is not None else "unresolved"),
                el("td", {}, ctx.link(file, plan, str(corpus.year(plan) or "?")) if plan is not None else ""),
                el("td", {}, el("mark", {"class": "target"}, ctx.link(file, target, target_summary(ctx, target)))),
                el("td", {}, ctx.literal(corpus.value(target, KG.statement))),
            )
        )
    return el("table", {"class": "targets"}, header, rows)


def _initiatives_by_plan(ctx: SiteContext, file: str, initiatives: list[URIRef]) -> Markup:
    corpus = ctx.corpus
    by_plan: dict[URIRef, list[URIRef]] = {}
    for initiative in initiatives:
        plan = corpus.plan_of(initiative)
        if plan is not None:
            by_plan.setdefault(plan, []).append(initiative)
    items = []
    for plan in sorted(by_plan, key=lambda p: (corpus.year(p) or 0, plan_title(ctx, p))):
        listed = sorted(by_plan[plan], key=lambda i: corpus.integer(i, KG.position) or 0)
        items.append(
            el(
                "li",
                {},
                ctx.link(file, plan, plan_title(ctx, plan)),
                el(
                    "ul", {}, [el("li", {}, ctx.link(file, i, ctx.literal(corpus.text(i, RDFS.label)))) for i in listed]
                ),
            )
        )
    return el("ul", {}, items)


def scheme_page(ctx: SiteContext, file: str, scheme: URIRef) -> Page:
    corpus = ctx.corpus
    zh, en = bilingual(ctx, scheme, DCTERMS.title)
    zh_def, en_def = bilingual(ctx, scheme, SKOS.definition)
    tops = sorted(
        (c for c in corpus.values(scheme, SKOS.hasTopConcept) if isinstance(c, URIRef)), key=lambda c: corpus.label(c)
    )

    def tree(concept: URIRef, seen: frozenset[URIRef]) -> Markup:
        children = [n for n in _narrower(ctx, concept) if n not in seen]
        zh_c, en_c = bilingual(ctx, concept, SKOS.prefLabel)
        used = len(corpus.subjects(KG.measures, concept)) + len(corpus.subjects(DCTERMS.subject, concept))
        return el(
            "li",
            {},
            ctx.link(file, concept, ctx.literal(zh_c)),
            " ",
            el("span", {"class": "en", "lang": "en"}, str(en_c or "")),
            el("span", {"class": "muted"}, f" ({used})") if used else None,
            el("ul", {}, [tree(c, seen | {c}) for c in children]) if children else None,
        )

    body = [
        facts([("Definition 定义", ctx.literal(zh_def)), ("Definition", str(en_def or ""))]),
        el("h2", {}, "Concepts 概念"),
        el("ul", {"class": "tree"}, [tree(t, frozenset({t})) for t in tops]),
        statements(ctx, file, scheme),
    ]
    subtitle = el("p", {"class": "en", "lang": "en"}, str(en)) if en is not None else None
    return Page(
        file,
        str(zh or en or corpus.label(scheme)),
        join(body),
        "Concept scheme 词表",
        str(scheme),
        (("index.html", "Home"),),
        subtitle,
    )


def generic_page(ctx: SiteContext, file: str, resource: URIRef) -> Page:
    """Any other resource (the build activity): its label, the resources pointing at it, and its statements."""
    corpus = ctx.corpus
    referrers = corpus.triples.referrers(resource).values()
    pointing = sorted({s for group in referrers for s in group if isinstance(s, URIRef)}, key=str)
    owners = sorted({ctx.descriptions.owner.get(s, s) for s in pointing}, key=str)
    body = [
        facts(
            [
                ("Label", ctx.literal(corpus.text(resource, RDFS.label, ("en", "zh")))),
                (
                    "Type",
                    join(
                        [ctx.term(file, t) for t in corpus.values(resource, RDF.type)],
                        ", ",
                    ),
                ),
                ("Referred to by", join([ctx.link(file, o) for o in owners], "; ")),
            ]
        ),
        statements(ctx, file, resource),
    ]
    return Page(
        file, corpus.label(resource, ("en", "zh")), join(body), "Resource", str(resource), (("index.html", "Home"),)
    )
