"""The measures `kg eval` reports, and their plain-text and JSON renderings.

`kg/evaluate.py` fills a `Scores`; this module only holds and prints the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass
class Accuracy:
    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return _ratio(self.correct, self.total)

    def add(self, ok: bool) -> None:
        self.correct += int(ok)
        self.total += 1

    def as_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


@dataclass
class PRF:
    """Precision counts predictions, recall counts gold items; the two matched counts differ only per tier."""

    predicted: int = 0
    predicted_matched: int = 0
    gold: int = 0
    gold_matched: int = 0

    @property
    def tp(self) -> int:
        return self.predicted_matched

    @property
    def fp(self) -> int:
        return self.predicted - self.predicted_matched

    @property
    def fn(self) -> int:
        return self.gold - self.gold_matched

    @property
    def precision(self) -> float | None:
        return _ratio(self.predicted_matched, self.predicted)

    @property
    def recall(self) -> float | None:
        return _ratio(self.gold_matched, self.gold)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None
        p, r = p or 0.0, r or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.predicted += other.predicted
        self.predicted_matched += other.predicted_matched
        self.gold += other.gold
        self.gold_matched += other.gold_matched

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"precision": self.precision, "recall": self.recall, "f1": self.f1}
        out |= {"tp": self.tp, "fp": self.fp, "fn": self.fn}
        if self.gold_matched != self.predicted_matched:
            out["tp_gold"] = self.gold_matched
        return out


@dataclass
class DocScore:
    doc: str
    predicted: bool  # False: the document has no prediction
    government: bool
    plan_year: bool
    initiatives: PRF
    references: PRF
    targets: PRF


@dataclass
class Scores:
    documents: list[DocScore] = field(default_factory=list)
    extra_docs: list[str] = field(default_factory=list)  # predicted, not in the gold (ignored)
    government: Accuracy = field(default_factory=Accuracy)
    plan_year: Accuracy = field(default_factory=Accuracy)
    initiative_count: Accuracy = field(default_factory=Accuracy)
    initiatives: PRF = field(default_factory=PRF)
    initiative_section: Accuracy = field(default_factory=Accuracy)
    initiative_number: Accuracy = field(default_factory=Accuracy)
    references: PRF = field(default_factory=PRF)
    references_tier_a: PRF = field(default_factory=PRF)
    references_tier_b: PRF = field(default_factory=PRF)
    reference_tier: Accuracy = field(default_factory=Accuracy)
    reference_relation: Accuracy = field(default_factory=Accuracy)
    reference_scope: Accuracy = field(default_factory=Accuracy)
    targets: PRF = field(default_factory=PRF)
    target_comparator: Accuracy = field(default_factory=Accuracy)
    target_deadline: Accuracy = field(default_factory=Accuracy)
    target_indicator: Accuracy = field(default_factory=Accuracy)

    @property
    def missing_docs(self) -> list[str]:
        return [d.doc for d in self.documents if not d.predicted]

    def measures(self) -> list[tuple[str, Accuracy | PRF]]:
        """Every measure with its report name, in report order."""
        return [
            ("government", self.government),
            ("plan_year", self.plan_year),
            ("initiatives.count", self.initiative_count),
            ("initiatives", self.initiatives),
            ("initiatives.section", self.initiative_section),
            ("initiatives.number", self.initiative_number),
            ("references", self.references),
            ("references.tier_A", self.references_tier_a),
            ("references.tier_B", self.references_tier_b),
            ("references.tier", self.reference_tier),
            ("references.relation", self.reference_relation),
            ("references.scope", self.reference_scope),
            ("targets", self.targets),
            ("targets.comparator", self.target_comparator),
            ("targets.deadline", self.target_deadline),
            ("targets.indicator", self.target_indicator),
        ]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: document counts, every measure, and the per-document breakdown."""
        return {
            "documents": {
                "gold": len(self.documents),
                "missing": self.missing_docs,
                "not_in_gold": list(self.extra_docs),
            },
            "measures": {name: m.as_dict() for name, m in self.measures()},
            "per_document": [
                {
                    "doc": d.doc,
                    "predicted": d.predicted,
                    "government": d.government,
                    "plan_year": d.plan_year,
                    "initiatives": d.initiatives.as_dict(),
                    "references": d.references.as_dict(),
                    "targets": d.targets.as_dict(),
                }
                for d in self.documents
            ],
        }


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_scores(scores: Scores) -> str:
    """A plain-text table, one line per measure: accuracy with correct/total, or P R F1 with TP/FP/FN."""
    lines = [
        f"documents: {len(scores.documents)} gold, {len(scores.missing_docs)} without prediction, "
        f"{len(scores.extra_docs)} predicted but not in the gold (ignored)"
    ]
    for name, m in scores.measures():
        if isinstance(m, Accuracy):
            lines.append(f"{name:<22} acc {_num(m.value)}  {m.correct}/{m.total}")
        else:
            tp = f"{m.tp}" if m.gold_matched == m.predicted_matched else f"{m.tp} (gold {m.gold_matched})"
            lines.append(
                f"{name:<22} P {_num(m.precision)}  R {_num(m.recall)}  F1 {_num(m.f1)}  TP {tp}  FP {m.fp}  FN {m.fn}"
            )
    return "\n".join(lines)


def per_document_lines(scores: Scores) -> list[str]:
    """One short line per gold document: government and year right or wrong, P/R of each item kind."""
    width = max((len(d.doc) for d in scores.documents), default=0)
    lines = []
    for d in scores.documents:
        if not d.predicted:
            lines.append(f"{d.doc:<{width}}  not in the predictions")
            continue
        parts = [
            f"gov {'ok' if d.government else 'WRONG'}",
            f"year {'ok' if d.plan_year else 'WRONG'}",
            *(
                f"{name} P {_num(m.precision)} R {_num(m.recall)}"
                for name, m in (
                    ("initiatives", d.initiatives),
                    ("refs", d.references),
                    ("targets", d.targets),
                )
            ),
        ]
        lines.append(f"{d.doc:<{width}}  " + "  ".join(parts))
    return lines
