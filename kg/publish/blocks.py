"""Pieces several pages share: fact lists, target summaries, an initiative with its marks, the statements table."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS
from rdflib.term import Node

from kg.namespaces import KG
from kg.publish.highlight import Mark, highlight, occurrences
from kg.publish.markup import Markup, el, join
from kg.publish.site import SiteContext, anchor, simplified_form

COMPARATORS = {KG.AtLeast: "≥", KG.AtMost: "≤", KG.Exactly: "="}
RELATIONS = {KG.Implements: ("implements", "贯彻落实"), KG.Drafts: ("drafts", "制定")}
LONG_LITERAL = 400


def facts(rows: list[tuple[str, object]]) -> Markup:
    """A definition list of the rows whose value is not empty."""
    items = [(name, value) for name, value in rows if value not in (None, "", [], ())]
    return el("dl", {"class": "facts"}, [[el("dt", {}, name), el("dd", {}, value)] for name, value in items])


def number(value: Node | None) -> str:
    if value is None:
        return ""
    try:
        decimal = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    text = format(decimal.normalize(), "f")
    return text


def target_summary(ctx: SiteContext, target: Node) -> str:
    """`≥ 95%, by 2022` — comparator, value or range, unit, deadline."""
    corpus = ctx.corpus
    comparator = COMPARATORS.get(corpus.value(target, KG.comparator), "")  # type: ignore[arg-type]
    value = number(corpus.value(target, KG.value))
    high = corpus.value(target, KG.valueMax)
    amount = f"{value}–{number(high)}" if high is not None else value
    unit = str(corpus.value(target, KG.unit) or "")
    deadline = corpus.value(target, KG.deadline)
    text = " ".join(part for part in (comparator, amount + unit) if part)
    return f"{text}, by {deadline}" if deadline is not None else text


def relation(ctx: SiteContext, reference: Node) -> Markup:
    kind = ctx.corpus.value(reference, KG.relation)
    english, chinese = RELATIONS.get(kind, (str(kind or "cites"), ""))  # type: ignore[arg-type]
    return el("span", {"class": f"relation-{english}"}, english, " ", el("span", {"lang": "zh-Hans"}, chinese))


def marks_for(
    ctx: SiteContext, file: str, holder: URIRef, text: str, origin: int, here: Node | None = None
) -> list[Mark]:
    """Marks for the targets of an initiative (their spans) and for the citations of its plan: the span of each, and
    every further place its printed form stands in the text — a later mention of a title is marked too, linked to
    the plan's one reference to that policy."""
    corpus = ctx.corpus
    marks = []
    for target in corpus.targets(holder):
        span = corpus.span(target)
        if span is not None:
            title = f"target: {corpus.value(target, KG.indicator) or ''} {target_summary(ctx, target)}".strip()
            marks.append(Mark(span.start, span.end, "target", ctx.href(file, target), title))
            if target == here:
                marks.append(Mark(span.start, span.end, "here", None))
    plan = corpus.plan_of(holder)
    for reference in corpus.plan_references(plan) if plan is not None else corpus.references(holder):
        policy = corpus.value(reference, KG.cites)
        title = f"cites {corpus.label(policy) if policy is not None else ''}"
        places = set(occurrences(text, str(corpus.value(reference, KG.surfaceForm) or ""), origin))
        span = corpus.span(reference)
        if span is not None:
            places.add((span.start, span.end))
        for start, end in sorted(places):
            marks.append(Mark(start, end, "cite", ctx.href(file, reference), title))
            if reference == here:
                marks.append(Mark(start, end, "here", None))
    return marks


def marked_text(ctx: SiteContext, file: str, holder: URIRef, here: Node | None = None) -> Markup:
    """The holder's span text as printed, marked; its simplified form below when that differs."""
    span = ctx.corpus.span(holder)
    if span is None:
        return Markup("")
    marks = marks_for(ctx, file, holder, span.exact, span.start, here)
    printed = el("div", {"class": "text", "lang": "zh"}, highlight(span.exact, span.start, marks))
    simple = simplified_form(span.exact)
    if simple is None:
        return printed
    return join([printed, el("div", {"class": "text simp", "lang": "zh-Hans"}, highlight(simple, span.start, marks))])


def sentence_with_quote(ctx: SiteContext, file: str, reference: URIRef) -> Markup:
    """The sentence a citation stands in, its printed form marked and linked to the reference."""
    corpus = ctx.corpus
    sentence = str(corpus.value(reference, KG.sentence) or corpus.value(reference, KG.surfaceForm) or "")
    surface = str(corpus.value(reference, KG.surfaceForm) or "")
    marks = [Mark(s, e, "cite", ctx.href(file, reference), "the quote") for s, e in occurrences(sentence, surface, 0)]
    return el("span", {"lang": "zh", "class": "quote"}, highlight(sentence, 0, marks))


def target_list(ctx: SiteContext, file: str, targets: list[URIRef]) -> Markup | None:
    """Each target as a marked summary linked to its page, the indicator as printed, and its concept."""

    def item(target: URIRef) -> list[object]:
        concept = ctx.corpus.value(target, KG.measures)
        return [
            el("mark", {"class": "target"}, ctx.link(file, target, target_summary(ctx, target))),
            " ",
            ctx.literal(ctx.corpus.value(target, KG.indicator)),
            [" → ", ctx.link(file, concept)] if concept is not None else None,
        ]

    return _bullets("targets", [item(target) for target in targets])


def citation_list(ctx: SiteContext, file: str, references: list[URIRef]) -> Markup | None:
    """Each citation: its relation, the policy cited, and the words the plan cites it with."""
    corpus = ctx.corpus

    def item(reference: URIRef) -> list[object]:
        policy = corpus.value(reference, KG.cites)
        surface = ctx.link(file, reference, ctx.literal(corpus.value(reference, KG.surfaceForm)))
        return [
            relation(ctx, reference),
            " ",
            ctx.link(file, policy, ctx.literal(corpus.text(policy, RDFS.label)), **{"class": "policy"}),
            " ",
            el("span", {"class": "muted"}, "as ", surface),
        ]

    return _bullets("citations", [item(reference) for reference in references])


def _bullets(cls: str, items: list[list[object]]) -> Markup | None:
    """A list of class `cls`, one <li> per item's pieces; None (nothing shown) when there are no items."""
    return el("ul", {"class": cls}, [el("li", {}, *pieces) for pieces in items]) if items else None


def initiative_block(ctx: SiteContext, file: str, initiative: URIRef, heading: str = "h3") -> Markup:
    corpus = ctx.corpus
    number_ = corpus.integer(initiative, KG.number)
    label = corpus.text(initiative, RDFS.label)
    topics = [t for t in corpus.values(initiative, DCTERMS.subject) if isinstance(t, URIRef)]
    return el(
        "section",
        {"class": "initiative", "id": anchor(initiative, corpus.plan_of(initiative) or initiative)},
        el(heading, {}, ctx.link(file, initiative, join([f"{number_}. " if number_ else "", ctx.literal(label)]))),
        marked_text(ctx, file, initiative),
        target_list(ctx, file, corpus.targets(initiative)),
        citation_list(ctx, file, corpus.references(initiative)),
        el("p", {"class": "tags"}, [ctx.link(file, t) for t in topics]) if topics else None,
    )


def statements(ctx: SiteContext, file: str, resource: URIRef) -> Markup:
    """Every triple of the resource's description, in a closed <details>: the page shows all it publishes."""
    rows = []
    count = 0
    for subject in ctx.descriptions.members[resource]:
        subject_id = None if subject == resource else anchor(subject, resource)
        triples = [(p, o) for p, objects in sorted(ctx.corpus.objects_of(subject).items()) for o in objects]
        for i, (predicate, obj) in enumerate(triples):
            count += 1
            rows.append(
                el(
                    "tr",
                    {"id": subject_id if i == 0 else None},
                    el("td", {"class": "iri"}, "" if subject == resource else f"…{str(subject)[len(str(resource)) :]}")
                    if i == 0
                    else el("td", {}),
                    el("td", {}, ctx.term(file, predicate)),
                    el("td", {}, _object(ctx, file, obj)),
                )
            )
    table = el(
        "table", {}, el("tr", {}, el("th", {}, "subject"), el("th", {}, "property"), el("th", {}, "value")), rows
    )
    return el("details", {"class": "statements"}, el("summary", {}, f"All statements ({count})"), table)


def _object(ctx: SiteContext, file: str, obj: Node) -> Markup:
    if isinstance(obj, Literal):
        text = str(obj)
        suffix = ""
        if len(text) > LONG_LITERAL:
            suffix = f" … ({len(text)} characters)"
            text = text[:LONG_LITERAL]
        if obj.language:
            note: object = f" @{obj.language}"
        elif obj.datatype:
            note = [" (", ctx.term(file, obj.datatype), ")"]
        else:
            note = ""
        shown = el("span", {"lang": obj.language} if obj.language else {}, text)
        return join([shown, suffix, el("span", {"class": "muted"}, note)])
    return ctx.link(file, obj, str(obj) if ctx.page_of(obj) is None else None)
