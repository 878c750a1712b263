"""The pages of a policy and of a government: who cites what, when, how, and in which words."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, ORG, RDFS, SKOS

from kg.namespaces import KG
from kg.publish.blocks import facts, relation, sentence_with_quote, statements, target_summary
from kg.publish.layout import Page
from kg.publish.markup import Markup, el, join
from kg.publish.pages_plan import plan_counts, plan_title
from kg.publish.site import SiteContext, simplified_line


def citing_rows(ctx: SiteContext, policy: URIRef) -> list[tuple[int, str, URIRef, URIRef | None, URIRef]]:
    """(year, government label, plan, government, reference) for every reference citing `policy`, in that order."""
    corpus = ctx.corpus
    rows = []
    for reference in corpus.references_of_policy.get(policy, []):
        plan = corpus.plan_of(reference)
        if plan is None:
            continue
        government = corpus.government_of(plan)
        label = corpus.label(government) if government is not None else ""
        rows.append((corpus.year(plan) or 0, label, plan, government, reference))
    return sorted(rows, key=lambda row: (row[0], row[1], str(row[2])))


def policy_page(ctx: SiteContext, file: str, policy: URIRef) -> Page:
    corpus = ctx.corpus
    label = corpus.text(policy, RDFS.label)
    rows = citing_rows(ctx, policy)
    governments = {row[3] for row in rows if row[3] is not None}
    editions = corpus.subjects(KG.derivedFrom, policy)
    scope = corpus.value(policy, KG.scope)
    body: list[object] = [
        facts(
            [
                ("Title 标题", ctx.literal(label)),
                ("Printed as 原文写法", join([ctx.literal(v) for v in corpus.values(policy, SKOS.altLabel)], "; ")),
                ("Scope 层级", ctx.name(scope) if scope is not None else None),
                ("Issued by 发布政府", [ctx.link(file, p) for p in corpus.values(policy, DCTERMS.publisher)]),
                ("Derived from 派生自", [ctx.link(file, p) for p in corpus.values(policy, KG.derivedFrom)]),
                ("Local editions 地方版本", join([ctx.link(file, p) for p in editions], "; ")),
                ("Cited", f"by {len(governments)} government(s) in {len(rows)} plan(s)"),
            ]
        ),
        el("h2", {}, f"Cited by 引用情况 ({len(rows)})"),
    ]
    header = el("tr", {}, [el("th", {}, h) for h in ("government", "year", "plan", "relation", "quote")])
    table_rows = [
        el(
            "tr",
            {},
            el(
                "td",
                {},
                ctx.link(file, government) if government is not None else el("span", {"class": "muted"}, "unresolved"),
            ),
            el("td", {}, str(year or "")),
            el("td", {}, ctx.link(file, plan, plan_title(ctx, plan))),
            el("td", {}, relation(ctx, reference)),
            el("td", {}, sentence_with_quote(ctx, file, reference)),
        )
        for year, _, plan, government, reference in rows
    ]
    body.append(el("table", {"class": "cited-by"}, header, table_rows))
    body.append(statements(ctx, file, policy))
    title = str(label or corpus.label(policy))
    crumbs = (("index.html", "Home"), ("policies.html", "Policies"))
    return Page(file, title, join(body), "Policy 政策文件", str(policy), crumbs, simplified_line(title))


def government_page(ctx: SiteContext, file: str, government: URIRef) -> Page:
    corpus = ctx.corpus
    chain = corpus.chain(government)
    plans = sorted(corpus.plans_of_government.get(government, []), key=lambda p: (corpus.year(p) or 0, str(p)))
    within = corpus.subjects(KG.withinDivision, government)
    bodies = corpus.subjects(ORG.subOrganizationOf, government)
    level = corpus.value(government, KG.adminLevel)
    body: list[object] = [
        facts(
            [
                ("Full name 全称", ctx.literal(corpus.text(government, KG.fullName))),
                ("Division code 行政区划代码", str(corpus.value(government, KG.adcode) or "")),
                ("Level 层级", ctx.name(level) if level is not None else None),
                ("Within 上级", join([ctx.link(file, g) for g in chain[:-1]], " › ")),
                ("Divisions here 下辖", join([ctx.link(file, g) for g in within], "; ")),
                ("Departments 部门", join([ctx.link(file, b) for b in bodies], "; ")),
                (
                    "Policies issued 发布的政策",
                    join([ctx.link(file, p) for p in corpus.subjects(DCTERMS.publisher, government)], "; "),
                ),
            ]
        ),
        el("h2", {}, f"Plans 工作要点 ({len(plans)})"),
    ]
    if plans:
        header = el(
            "tr",
            {},
            [
                el("th", {"class": c}, h)
                for h, c in (
                    ("year", None),
                    ("plan", None),
                    ("initiatives", "num"),
                    ("targets", "num"),
                    ("cited policies", "num"),
                )
            ],
        )
        rows = []
        for plan in plans:
            initiatives, targets, references = plan_counts(ctx, plan)
            rows.append(
                el(
                    "tr",
                    {},
                    el("td", {}, str(corpus.year(plan) or "")),
                    el("td", {}, ctx.link(file, plan, plan_title(ctx, plan))),
                    el("td", {"class": "num"}, initiatives),
                    el("td", {"class": "num"}, targets),
                    el("td", {"class": "num"}, references),
                )
            )
        body.append(el("table", {"class": "plans"}, header, rows))
        body.append(_commitments(ctx, file, plans))
        body.append(_cited(ctx, file, plans))
    else:
        body.append(el("p", {"class": "muted"}, "No plan of this government is in the dataset."))
    body.append(statements(ctx, file, government))
    title = corpus.label(government)
    return Page(
        file,
        title,
        join(body),
        "Government 地方政府",
        str(government),
        (("index.html", "Home"), ("governments.html", "Governments")),
    )


def _commitments(ctx: SiteContext, file: str, plans: list[URIRef]) -> Markup:
    """Targets of the government's plans, year by year."""
    corpus = ctx.corpus
    parts: list[object] = [el("h2", {}, "Commitments over the years 历年量化目标")]
    any_target = False
    for plan in plans:
        targets = [t for i in corpus.initiatives(plan) for t in corpus.targets(i)]
        if not targets:
            continue
        any_target = True
        parts.append(el("h3", {}, f"{corpus.year(plan) or ''} ", ctx.link(file, plan, plan_title(ctx, plan))))
        header = el("tr", {}, [el("th", {}, h) for h in ("indicator", "target", "statement")])
        rows = [
            el(
                "tr",
                {},
                el(
                    "td",
                    {},
                    ctx.link(file, corpus.value(t, KG.measures))
                    if corpus.value(t, KG.measures)
                    else ctx.literal(corpus.value(t, KG.indicator)),
                ),
                el("td", {}, el("mark", {"class": "target"}, ctx.link(file, t, target_summary(ctx, t)))),
                el("td", {}, ctx.literal(corpus.value(t, KG.statement))),
            )
            for t in targets
        ]
        parts.append(el("table", {"class": "commitments"}, header, rows))
    if not any_target:
        parts.append(el("p", {"class": "muted"}, "No quantified target in these plans."))
    return join(parts)


def _cited(ctx: SiteContext, file: str, plans: list[URIRef]) -> Markup:
    corpus = ctx.corpus
    cited: dict[URIRef, list[tuple[int, URIRef]]] = {}
    for plan in plans:
        holders = [plan, *corpus.initiatives(plan)]
        for reference in {r for h in holders for r in corpus.references(h)}:
            policy = corpus.value(reference, KG.cites)
            if isinstance(policy, URIRef):
                cited.setdefault(policy, []).append((corpus.year(plan) or 0, reference))
    if not cited:
        return join([])
    header = el("tr", {}, [el("th", {}, h) for h in ("policy", "cited in", "relation")])
    rows = []
    for policy in sorted(cited, key=lambda p: (-len(cited[p]), corpus.label(p), str(p))):
        uses = sorted(cited[policy], key=lambda u: (u[0], str(u[1])))
        rows.append(
            el(
                "tr",
                {},
                el("td", {}, ctx.link(file, policy)),
                el("td", {}, join([ctx.link(file, ref, str(year)) for year, ref in uses], ", ")),
                el("td", {}, join([relation(ctx, ref) for _, ref in uses], ", ")),
            )
        )
    return join([el("h2", {}, f"Policies cited 引用的政策 ({len(cited)})"), el("table", {}, header, rows)])
