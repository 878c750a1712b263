"""Pages of a plan and what it is made of: the plan, its sections, initiatives, targets, citations, and its source."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDFS

from kg.namespaces import KG, ORG
from kg.publish.blocks import (
    citation_list,
    facts,
    initiative_block,
    marked_text,
    marks_for,
    number,
    relation,
    sentence_with_quote,
    statements,
    target_summary,
)
from kg.publish.highlight import Mark, highlight
from kg.publish.layout import Page
from kg.publish.markup import Markup, el, join
from kg.publish.site import SiteContext, anchor, simplified_line


def plan_title(ctx: SiteContext, plan: URIRef) -> str:
    corpus = ctx.corpus
    title = corpus.text(plan, DCTERMS.title)
    if title is not None:
        return str(title)
    government = corpus.government_of(plan)
    place = corpus.label(government) if government is not None else "unresolved government"
    return f"{place} {corpus.year(plan) or ''} work plan (untitled)".replace("  ", " ")


def plan_counts(ctx: SiteContext, plan: URIRef) -> tuple[int, int, int]:
    """(initiatives, targets, cited policies) of a plan; a reference counts once whether an initiative or the plan
    holds it."""
    corpus = ctx.corpus
    initiatives = corpus.initiatives(plan)
    targets = sum(len(corpus.targets(i)) for i in initiatives)
    return len(initiatives), targets, len(corpus.plan_references(plan))


def crumbs_for(ctx: SiteContext, plan: URIRef | None) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = [("index.html", "Home"), ("plans.html", "Plans")]
    if plan is not None:
        out.append((ctx.descriptions.paths[plan] + ".html", plan_title(ctx, plan)))
    return tuple(out)


def plan_page(ctx: SiteContext, file: str, plan: URIRef) -> Page:
    corpus = ctx.corpus
    government = corpus.government_of(plan)
    evidence = corpus.values(plan, KG.governmentEvidence)
    initiatives = corpus.initiatives(plan)
    _, targets, references = plan_counts(ctx, plan)
    inferred = corpus.value(plan, KG.governmentInferred)
    summary = facts(
        [
            ("Government 政府", ctx.link(file, government) if government is not None else "unresolved"),
            ("Government inferred", "yes — never named in the text" if str(inferred) == "true" else None),
            ("Plan year 年度", str(corpus.year(plan) or "")),
            ("Issued 发布日期", str(corpus.value(plan, DCTERMS.issued) or "")),
            ("Issuing body 发文机关", [ctx.link(file, b) for b in corpus.values(plan, KG.issuingBody)]),
            (
                "Source 原文",
                ctx.link(file, corpus.value(plan, KG.sourceDocument), str(corpus.value(plan, DCTERMS.source) or "")),
            ),
            ("Contents", f"{len(initiatives)} initiatives, {targets} targets, {references} cited policies"),
        ]
    )
    legend = el(
        "p",
        {"class": "legend"},
        "In the text: ",
        el("mark", {"class": "target"}, "quantified targets 量化目标"),
        " and ",
        el("mark", {"class": "cite"}, "cited policies 政策引用"),
        "; each mark links to its resource.",
    )
    body = [summary, legend]
    sections = corpus.sections(plan)
    by_section: dict[URIRef | None, list[URIRef]] = {}
    for initiative in initiatives:
        section = corpus.value(initiative, KG.inSection)
        by_section.setdefault(section if isinstance(section, URIRef) else None, []).append(initiative)
    if None in by_section:
        body.append(el("h2", {}, "Work items 工作举措" if not sections else "Before the first section"))
        body.extend(initiative_block(ctx, file, i) for i in by_section[None])
    for section in sections:
        body.append(
            el(
                "h2",
                {"id": anchor(section, plan)},
                ctx.link(file, section, ctx.literal(corpus.text(section, RDFS.label))),
            )
        )
        body.extend(initiative_block(ctx, file, i) for i in by_section.get(section, []))
    loose = corpus.references(plan)
    if loose:
        body.append(el("h2", {}, "Citations outside the work items"))
        body.append(
            el(
                "ul",
                {"class": "citations"},
                [
                    el(
                        "li",
                        {},
                        relation(ctx, r),
                        " ",
                        ctx.link(file, corpus.value(r, KG.cites)),
                        ": ",
                        sentence_with_quote(ctx, file, r),
                    )
                    for r in loose
                ],
            )
        )
    if evidence:
        rows = [
            el(
                "tr",
                {"id": anchor(e, plan)},
                el("td", {}, str(corpus.value(e, KG.evidenceKind) or "")),
                el("td", {}, ctx.literal(corpus.text(e, RDFS.label))),
                el("td", {}, _span_text(ctx, e)),
            )
            for e in evidence
        ]
        body.append(el("h2", {}, "Government evidence 政府推断依据"))
        body.append(
            el("table", {}, el("tr", {}, el("th", {}, "kind"), el("th", {}, "label"), el("th", {}, "where")), rows)
        )
    body.append(statements(ctx, file, plan))
    return Page(
        file,
        plan_title(ctx, plan),
        join(body),
        kind="Work plan 工作要点",
        iri=str(plan),
        crumbs=crumbs_for(ctx, None),
        subtitle=simplified_line(plan_title(ctx, plan)),
    )


def _span_text(ctx: SiteContext, fact: URIRef) -> str:
    span = ctx.corpus.span(fact)
    return "" if span is None else f"characters {span.start}–{span.end}"


def section_page(ctx: SiteContext, file: str, section: URIRef) -> Page:
    corpus = ctx.corpus
    plan = corpus.value(section, KG.partOf)
    initiatives = [i for i in corpus.subjects(KG.inSection, section)]
    initiatives.sort(key=lambda i: corpus.integer(i, KG.position) or 0)
    body = [
        facts([("Plan", ctx.link(file, plan)), ("Position", str(corpus.integer(section, KG.position) or ""))]),
        marked_text(ctx, file, section),
        el("h2", {}, f"Work items ({len(initiatives)})"),
        [initiative_block(ctx, file, i) for i in initiatives],
        statements(ctx, file, section),
    ]
    return Page(file, corpus.label(section), join(body), "Section 章节", str(section), crumbs_for(ctx, plan))


def initiative_page(ctx: SiteContext, file: str, initiative: URIRef) -> Page:
    corpus = ctx.corpus
    plan = corpus.value(initiative, KG.partOf)
    label = corpus.text(initiative, RDFS.label)
    normalized = corpus.text(initiative, KG.normalizedLabel)
    body = [
        facts(
            [
                ("Plan", ctx.link(file, plan)),
                (
                    "Section",
                    ctx.link(file, corpus.value(initiative, KG.inSection))
                    if corpus.value(initiative, KG.inSection)
                    else None,
                ),
                ("Number", str(corpus.integer(initiative, KG.number) or "")),
                ("Position", str(corpus.integer(initiative, KG.position) or "")),
                (
                    "Normalised label",
                    ctx.literal(normalized, simplified=False)
                    if normalized is not None and str(normalized) != str(label)
                    else None,
                ),
                ("Topics 主题", [ctx.link(file, t) for t in corpus.values(initiative, DCTERMS.subject)]),
            ]
        ),
        el("h2", {}, "Text 原文"),
        marked_text(ctx, file, initiative),
    ]
    targets = corpus.targets(initiative)
    if targets:
        body.append(el("h2", {}, f"Targets 量化目标 ({len(targets)})"))
        body.append(_targets_table(ctx, file, targets))
    references = corpus.references(initiative)
    if references:
        body.append(el("h2", {}, f"Cited policies 政策引用 ({len(references)})"))
        body.append(citation_list(ctx, file, references))
    body.append(statements(ctx, file, initiative))
    title = str(label or corpus.label(initiative))
    return Page(
        file, title, join(body), "Initiative 工作举措", str(initiative), crumbs_for(ctx, plan), simplified_line(title)
    )


def _targets_table(ctx: SiteContext, file: str, targets: list[URIRef]) -> Markup:
    corpus = ctx.corpus
    header = el("tr", {}, [el("th", {}, h) for h in ("target", "indicator (as printed)", "measures", "statement")])
    rows = [
        el(
            "tr",
            {},
            el("td", {}, ctx.link(file, t, target_summary(ctx, t))),
            el("td", {}, ctx.literal(corpus.value(t, KG.indicator))),
            el("td", {}, ctx.link(file, corpus.value(t, KG.measures)) if corpus.value(t, KG.measures) else ""),
            el("td", {}, ctx.literal(corpus.value(t, KG.statement))),
        )
        for t in targets
    ]
    return el("table", {}, header, rows)


def target_page(ctx: SiteContext, file: str, target: URIRef) -> Page:
    corpus = ctx.corpus
    initiative = corpus.initiative_of_target.get(target)
    plan = corpus.plan_of(target)
    government = corpus.government_of(plan) if plan is not None else None
    summary = target_summary(ctx, target)
    unit_iri = corpus.value(target, KG.unitOfMeasure)
    body = [
        facts(
            [
                ("Target", el("mark", {"class": "target"}, summary)),
                ("Indicator (as printed) 指标", ctx.literal(corpus.value(target, KG.indicator))),
                (
                    "Measures 衡量指标",
                    ctx.link(file, corpus.value(target, KG.measures)) if corpus.value(target, KG.measures) else None,
                ),
                (
                    "Comparator",
                    ctx.name(corpus.value(target, KG.comparator)) if corpus.value(target, KG.comparator) else None,
                ),
                ("Value", number(corpus.value(target, KG.value))),
                ("Upper value", number(corpus.value(target, KG.valueMax))),
                ("Unit", str(corpus.value(target, KG.unit) or "")),
                ("Unit of measure", ctx.link(file, unit_iri, str(unit_iri)) if unit_iri is not None else None),
                ("Deadline 期限", str(corpus.value(target, KG.deadline) or "")),
                ("Statement 原句", ctx.literal(corpus.value(target, KG.statement))),
                ("Government", ctx.link(file, government) if government is not None else None),
                ("Plan", ctx.link(file, plan) if plan is not None else None),
                ("Initiative", ctx.link(file, initiative) if initiative is not None else None),
            ]
        ),
    ]
    if initiative is not None:
        body.append(el("h2", {}, "In the text 原文"))
        body.append(marked_text(ctx, file, initiative, here=target))
    body.append(statements(ctx, file, target))
    title = f"{corpus.value(target, KG.indicator) or 'Target'} {summary}"
    return Page(file, title, join(body), "Target 量化目标", str(target), crumbs_for(ctx, plan))


def reference_page(ctx: SiteContext, file: str, reference: URIRef) -> Page:
    corpus = ctx.corpus
    holder = corpus.holder_of_reference.get(reference)
    plan = corpus.plan_of(reference)
    policy = corpus.value(reference, KG.cites)
    government = corpus.government_of(plan) if plan is not None else None
    body = [
        facts(
            [
                (
                    "Cites 引用",
                    ctx.link(file, policy, ctx.literal(corpus.text(policy, RDFS.label)))
                    if policy is not None
                    else None,
                ),
                ("Relation 引用方式", relation(ctx, reference)),
                ("As printed 原文形式", ctx.literal(corpus.value(reference, KG.surfaceForm))),
                ("Sentence 所在句子", sentence_with_quote(ctx, file, reference)),
                ("Tier", str(corpus.value(reference, KG.tier) or "")),
                ("Government", ctx.link(file, government) if government is not None else None),
                ("Plan", ctx.link(file, plan) if plan is not None else None),
                ("In", ctx.link(file, holder) if holder is not None and holder != plan else None),
            ]
        )
    ]
    if holder is not None and corpus.has_type(holder, KG.Initiative):
        body.append(el("h2", {}, "In the text 原文"))
        body.append(marked_text(ctx, file, holder, here=reference))
    body.append(statements(ctx, file, reference))
    title = (
        f"{corpus.value(reference, KG.surfaceForm) or 'Citation'} in {plan_title(ctx, plan) if plan else ''}".strip()
    )
    return Page(file, title, join(body), "Policy reference 政策引用", str(reference), crumbs_for(ctx, plan))


def source_page(ctx: SiteContext, file: str, source: URIRef) -> Page:
    """The document as printed, with every target and citation of its plan marked."""
    corpus = ctx.corpus
    plans = corpus.subjects(KG.sourceDocument, source)
    text = str(corpus.value(source, KG.text) or "")
    marks: list[Mark] = []
    for plan in plans:
        for initiative in corpus.initiatives(plan):
            span = corpus.span(initiative)
            if span is not None:
                marks.extend(marks_for(ctx, file, initiative, text[span.start : span.end], span.start))
        marks.extend(marks_for(ctx, file, plan, "", 0))
    body = [
        facts(
            [
                ("Plan", [ctx.link(file, p) for p in plans]),
                ("File", str(corpus.value(source, DCTERMS.source) or "")),
                ("Format", str(corpus.value(source, DCTERMS.format) or "")),
                (
                    "Encoding",
                    f"{corpus.value(source, KG.encoding) or ''} ({corpus.value(source, KG.encodingMethod) or ''})",
                ),
                ("Script 字形", str(corpus.value(source, KG.script) or "")),
                ("Bytes", str(corpus.value(source, KG.byteSize) or "")),
                ("SHA-256", el("span", {"class": "iri"}, str(corpus.value(source, KG.sha256) or ""))),
                ("Read by", [ctx.link(file, a) for a in corpus.subjects(PROV.used, source)]),
            ]
        ),
        el("h2", {}, "Text as printed 原文"),
        el("div", {"class": "text source-text", "lang": "zh"}, highlight(text, 0, marks)),
        statements(ctx, file, source),
    ]
    title = f"Source of {plan_title(ctx, plans[0])}" if plans else corpus.label(source)
    return Page(
        file, title, join(body), "Source document 源文件", str(source), crumbs_for(ctx, plans[0] if plans else None)
    )


def body_page(ctx: SiteContext, file: str, body_iri: URIRef) -> Page:
    corpus = ctx.corpus
    parent = corpus.value(body_iri, ORG.subOrganizationOf)
    plans = corpus.subjects(KG.issuingBody, body_iri)
    body = [
        facts(
            [
                ("Name", ctx.literal(corpus.text(body_iri, RDFS.label))),
                ("Part of", ctx.link(file, parent) if parent is not None else None),
                ("Issued", [el("div", {}, ctx.link(file, p)) for p in plans]),
            ]
        ),
        statements(ctx, file, body_iri),
    ]
    return Page(
        file,
        corpus.label(body_iri),
        join(body),
        "Issuing body 发文机关",
        str(body_iri),
        (("index.html", "Home"), ("governments.html", "Governments")),
    )
