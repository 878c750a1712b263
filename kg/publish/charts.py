"""SVG pictures drawn at publish time, by hand: no network, no JavaScript, the same bytes for the same graph.

- `citation_network`: governments (left) × policies (right), one curve per government citing a policy, coloured by
  relation (implements / drafts / both); every node links to its page.
- `indicator_chart`: per indicator, one bar per target — government and deadline on the left, the value (and the
  upper end of a range) as a bar, the comparator and number at its end; one panel per unit, bars link to targets.

Every label is escaped by `el`; coordinates are rounded to 0.1 so output is stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kg.publish.markup import Markup, el

FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'
COLOURS = {"implements": "#0b5cad", "drafts": "#c2410c", "both": "#7c3aed"}
COMPARATOR_COLOURS = {"≥": "#0b5cad", "≤": "#c2410c", "=": "#5b6670", "": "#5b6670"}
MAX_POLICIES = 60
MAX_GOVERNMENTS = 60


@dataclass(frozen=True)
class Node:
    key: str  # IRI
    label: str
    href: str | None


@dataclass(frozen=True)
class Edge:
    government: str
    policy: str
    relation: str  # implements | drafts | both
    plans: int


@dataclass(frozen=True)
class Bar:
    label: str  # "清远市 · by 2020"
    value: Decimal
    value_max: Decimal | None
    comparator: str  # ≥ ≤ = or ""
    unit: str
    href: str | None
    title: str


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def svg(width: float, height: float, label: str, *children: object) -> Markup:
    return el(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {_n(width)} {_n(height)}",
            "width": _n(width),
            "height": _n(height),
            "role": "img",
            "aria-label": label,
            "font-family": FONT,
            "font-size": "12",
        },
        el("title", {}, label),
        *children,
    )


def standalone(picture: Markup) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + picture + "\n").encode("utf-8")


def citation_network(governments: list[Node], policies: list[Node], edges: list[Edge]) -> tuple[Markup, int]:
    """The picture, and how many policies were left out (beyond `MAX_POLICIES`, least cited first)."""
    degree: dict[str, int] = {}
    for edge in edges:
        degree[edge.policy] = degree.get(edge.policy, 0) + 1
    ranked = sorted(policies, key=lambda p: (-degree.get(p.key, 0), p.label, p.key))
    shown_policies = [p for p in ranked if degree.get(p.key, 0)][:MAX_POLICIES]
    left_out = len([p for p in ranked if degree.get(p.key, 0)]) - len(shown_policies)
    gov_degree: dict[str, int] = {}
    for edge in edges:
        gov_degree[edge.government] = gov_degree.get(edge.government, 0) + 1
    shown_govs = sorted((g for g in governments if gov_degree.get(g.key)), key=lambda g: (g.label, g.key))[
        :MAX_GOVERNMENTS
    ]
    policy_keys = {p.key for p in shown_policies}
    gov_keys = {g.key for g in shown_govs}

    row = 18.0
    top = 56.0
    width = 980.0
    gov_x, pol_x = 230.0, 560.0
    height = top + max(len(shown_policies) * row, len(shown_govs) * 30.0, 60.0) + 20
    pol_y = {p.key: top + row * i + row / 2 for i, p in enumerate(shown_policies)}
    span = (height - top - 20) / max(len(shown_govs), 1)
    gov_y = {g.key: top + span * i + span / 2 for i, g in enumerate(shown_govs)}

    curves = []
    for edge in sorted(edges, key=lambda e: (e.government, e.policy)):
        if edge.government not in gov_keys or edge.policy not in policy_keys:
            continue
        y1, y2 = gov_y[edge.government], pol_y[edge.policy]
        middle = (gov_x + pol_x) / 2
        curves.append(
            el(
                "path",
                {
                    "d": f"M{_n(gov_x + 6)} {_n(y1)} C{_n(middle)} {_n(y1)} {_n(middle)} {_n(y2)} "
                    f"{_n(pol_x - 6)} {_n(y2)}",
                    "fill": "none",
                    "stroke": COLOURS[edge.relation],
                    "stroke-width": _n(1.2 + 0.6 * min(edge.plans - 1, 4)),
                    "stroke-opacity": "0.55",
                    "class": f"edge {edge.relation}",
                },
            )
        )
    nodes = [
        _dot(gov, (gov_x, gov_y[gov.key]), f"{gov.label}: cites {gov_degree.get(gov.key, 0)} policies", government=True)
        for gov in shown_govs
    ]
    nodes += [
        _dot(policy, (pol_x, pol_y[policy.key]), f"{policy.label}: cited by {degree.get(policy.key, 0)} government(s)")
        for policy in shown_policies
    ]
    legend = [
        el("text", {"x": "10", "y": "20", "font-weight": "600"}, "Governments 政府"),
        el("text", {"x": _n(pol_x), "y": "20", "font-weight": "600"}, "Policies 政策文件 (most cited first)"),
    ]
    for i, (name, colour) in enumerate(COLOURS.items()):
        x = 10 + i * 120
        legend.append(
            el("line", {"x1": _n(x), "y1": "38", "x2": _n(x + 24), "y2": "38", "stroke": colour, "stroke-width": "3"})
        )
        legend.append(el("text", {"x": _n(x + 30), "y": "42"}, name))
    label = f"Citation network: {len(shown_govs)} governments and the {len(shown_policies)} policies they cite most"
    return svg(
        width, height, label, legend, el("g", {"class": "edges"}, curves), el("g", {"class": "nodes"}, nodes)
    ), left_out


def _dot(node: Node, at: tuple[float, float], title: str, government: bool = False) -> Markup:
    """A node of the network linked to its page: a government on the left, its label before it; a policy on the
    right, its label after it."""
    x, y = at
    if government:
        cls, radius, fill = "government", "5", "#1d232a"
        text = {"x": _n(x - 10), "y": _n(y + 4), "text-anchor": "end", "font-size": "13"}
        label = _short(node.label, 16)
    else:
        cls, radius, fill = "policy", "4", "#5b6670"
        text = {"x": _n(x + 10), "y": _n(y + 4)}
        label = _short(node.label, 30)
    circle = el("circle", {"cx": _n(x), "cy": _n(y), "r": radius, "fill": fill})
    return _linked(node.href, circle, el("text", text, label), title=title, cls=cls)


def _linked(target: str | None, *children: object, title: str, cls: str) -> Markup:
    inner = [el("title", {}, title), *children]
    if target is None:
        return el("g", {"class": cls}, inner)
    return el("a", {"href": target, "class": cls}, inner)


def nice_max(value: Decimal) -> Decimal:
    """The smallest 1, 2 or 5 × 10ⁿ not below `value` (100 for percentages up to 100)."""
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1) if value >= 1 else Decimal("0.1")
    while True:
        for step in (1, 2, 5, 10):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def indicator_chart(title: str, bars: list[Bar]) -> Markup:
    """One panel per unit, one bar per target."""
    units = sorted({bar.unit for bar in bars})
    width = 760.0
    label_w = 250.0
    plot_w = width - label_w - 120
    row = 24.0
    y = 28.0
    parts: list[object] = []
    for unit in units:
        group = [bar for bar in bars if bar.unit == unit]
        top_value = max((bar.value_max or bar.value) for bar in group)
        scale_max = Decimal(100) if unit == "%" and top_value <= 100 else nice_max(top_value)
        parts.append(el("text", {"x": "0", "y": _n(y), "font-weight": "600"}, f"unit: {unit or '(none)'}"))
        y += 10
        axis_top = y
        for i in range(5):
            tick = scale_max * i / 4
            x = label_w + plot_w * i / 4
            parts.append(
                el(
                    "line",
                    {
                        "x1": _n(x),
                        "y1": _n(axis_top),
                        "x2": _n(x),
                        "y2": _n(axis_top + row * len(group)),
                        "stroke": "#d9dee3",
                    },
                )
            )
            parts.append(
                el(
                    "text",
                    {"x": _n(x), "y": _n(axis_top + row * len(group) + 14), "text-anchor": "middle", "fill": "#5b6670"},
                    _num(tick),
                )
            )
        for bar in group:
            colour = COMPARATOR_COLOURS.get(bar.comparator, "#5b6670")
            length = float(bar.value / scale_max) * plot_w if scale_max else 0
            pieces: list[object] = [
                el("title", {}, bar.title),
                el("text", {"x": _n(label_w - 8), "y": _n(y + 16), "text-anchor": "end"}, _short(bar.label, 24)),
                el(
                    "rect",
                    {"x": _n(label_w), "y": _n(y + 5), "width": _n(max(length, 1.5)), "height": "14", "fill": colour},
                ),
            ]
            end = length
            if bar.value_max is not None:
                upper = float(bar.value_max / scale_max) * plot_w
                pieces.append(
                    el(
                        "rect",
                        {
                            "x": _n(label_w + length),
                            "y": _n(y + 5),
                            "width": _n(max(upper - length, 1.5)),
                            "height": "14",
                            "fill": colour,
                            "fill-opacity": "0.35",
                        },
                    )
                )
                end = upper
            amount = _num(bar.value) + (f"–{_num(bar.value_max)}" if bar.value_max is not None else "")
            pieces.append(
                el("text", {"x": _n(label_w + end + 6), "y": _n(y + 16)}, f"{bar.comparator} {amount}{unit}".strip())
            )
            parts.append(
                _linked(bar.href, *pieces[1:], title=bar.title, cls="bar")
                if bar.href
                else el("g", {"class": "bar"}, pieces)
            )
            y += row
        y += 40
    return svg(width, y, title, parts)


def _num(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text
