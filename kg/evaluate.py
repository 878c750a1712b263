"""Score a built graph against a gold file, as GUIDELINES.md "Scoring" defines it.

    gold = load_gold("seeds.gold.json")             # kg/evaluate_gold.py
    predicted = read_predictions(dataset)          # kg/evaluate_read.py
    scores = score(gold, predicted)
    print(format_scores(scores)); json.dumps(scores.as_dict())

Decisions the guidelines leave open, made here:

- Matching keys. Titles are compared after `strip_punctuation`: NFKC (folds full-width letters, digits and
  signs to half-width), then every character of Unicode category P* or S*, whitespace, and format characters
  (zero-width spaces) dropped. Initiative titles and section labels are compared with that alone, as the
  guidelines say (both sides keep the printed script); policy canonical titles, government names and target
  indicators are also converted traditional → simplified (OpenCC t2s) first. Target units are compared after
  NFKC, t2s and whitespace removal only (stripping symbols would erase "%").
- Multisets. Per document, gold and predicted items are grouped by matching key and paired one to one, so one
  gold item matches at most one prediction and vice versa. Within a group of equal keys the pairs are chosen
  greedily by how many scored attributes agree (ties in text order), so that attribute accuracy is not lowered
  by an arbitrary pairing. Counts are summed over documents before P/R/F1 (micro-average).
- Tiers. Policy references are matched once per document regardless of tier. "Tier A and tier B scored apart"
  is then read as: for tier T, precision = matched predictions claiming T / predictions claiming T, and recall
  = matched gold references of gold tier T / gold references of tier T. A reference found under the wrong tier
  thus counts as found for both; the `references.tier` accuracy over matched pairs reports the tier errors.
- Target values compare numerically (Decimal("1E+4") equals 10000). Indicators agree when equal after
  `strip_punctuation`, t2s and dropping the attributive particle 的, or when one non-empty normalised indicator
  contains the other (the guidelines leave indicator equality open; a predicted 毛入园率 for a gold 学前三年毛入园率
  counts). 的 is dropped because the gold writes the same construction both ways (动工建设的省属高职院校数 but
  异地高端研修教师数): like punctuation, it does not change what is measured.
- Government: correct when the adcodes are equal; where the gold adcode is null, the prediction must have no
  adcode and the same name (compared after t2s and punctuation stripping). Plan year: equal (null = null).
  `initiatives.count` reports the documents whose initiative count equals the gold count.
- Undefined ratios (0/0) are None ("n/a"). F1 is None only when both precision and recall are undefined; an
  undefined side counts as 0 otherwise (nothing predicted against a non-empty gold is F1 0).
- Documents in the gold but not in the predictions are all missed: government, plan year and initiative count
  wrong (even where an empty prediction would equal a null gold), every gold item a false negative.
  Predicted documents not in the gold are ignored and listed in `Scores.extra_docs`. A gold key matches a
  prediction with the same key, else one whose key ends with "/" + the gold key (a dcterms:source given as a
  path or URL), when exactly one does.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Hashable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import TypeVar

from opencc import OpenCC

from kg.evaluate_gold import load_gold
from kg.evaluate_read import (
    DocFacts,
    EvaluationError,
    GoldDoc,
    GoldFormatError,
    InitiativeItem,
    PredictedDoc,
    ReferenceItem,
    TargetItem,
    read_predictions,
)
from kg.evaluate_report import PRF, Accuracy, DocScore, Scores, format_scores, per_document_lines

__all__ = [
    "PRF",
    "Accuracy",
    "DocScore",
    "EvaluationError",
    "GoldDoc",
    "GoldFormatError",
    "InitiativeItem",
    "PredictedDoc",
    "ReferenceItem",
    "Scores",
    "TargetItem",
    "format_scores",
    "indicators_agree",
    "load_gold",
    "match_multiset",
    "normalise_unit",
    "per_document_lines",
    "read_predictions",
    "score",
    "strip_punctuation",
]

# ---------------------------------------------------------------------------------------------------------
# Normalisation and matching helpers


@cache
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def strip_punctuation(text: str | None, *, simplify: bool = False) -> str:
    """`text` without punctuation, symbols, whitespace or format characters, full-width folded to half-width.

    With `simplify`, traditional characters are converted to simplified (OpenCC t2s) first.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    if simplify:
        text = _t2s().convert(text)
    return "".join(ch for ch in text if not (ch.isspace() or _is_punctuation(ch)))


def _is_punctuation(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "PS" or category == "Cf"


def normalise_unit(unit: str | None) -> str:
    """A unit for matching: NFKC, simplified, no whitespace ("％" → "%", "個" → "个")."""
    if not unit:
        return ""
    return "".join(_t2s().convert(unicodedata.normalize("NFKC", unit)).split())


def indicators_agree(gold: str | None, predicted: str | None) -> bool:
    """Equal after t2s, punctuation stripping and dropping 的, or one (non-empty) contains the other."""
    g = strip_punctuation(gold, simplify=True).replace("的", "")
    p = strip_punctuation(predicted, simplify=True).replace("的", "")
    if g == p:
        return True
    return bool(g and p) and (g in p or p in g)


G = TypeVar("G")
P = TypeVar("P")


def match_multiset(
    gold: Sequence[G],
    predicted: Sequence[P],
    gold_key: Callable[[G], Hashable],
    predicted_key: Callable[[P], Hashable],
    agreement: Callable[[G, P], int] | None = None,
) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) with equal keys, each item in at most one pair, sorted.

    Within a group of equal keys, pairs with the highest `agreement` are taken first, ties in text order.
    """
    predicted_groups: dict[Hashable, list[int]] = {}
    for j, item in enumerate(predicted):
        predicted_groups.setdefault(predicted_key(item), []).append(j)
    gold_groups: dict[Hashable, list[int]] = {}
    for i, item in enumerate(gold):
        gold_groups.setdefault(gold_key(item), []).append(i)
    pairs: list[tuple[int, int]] = []
    for key, gold_ids in gold_groups.items():
        pred_ids = predicted_groups.get(key, [])
        agree = agreement or (lambda g, p: 0)
        candidates = sorted((-agree(gold[i], predicted[j]), i, j) for i in gold_ids for j in pred_ids)
        used_gold: set[int] = set()
        used_pred: set[int] = set()
        for _, i, j in candidates:
            if i not in used_gold and j not in used_pred:
                used_gold.add(i)
                used_pred.add(j)
                pairs.append((i, j))
    return sorted(pairs)


def _title_key(item: InitiativeItem) -> str:
    return strip_punctuation(item.title)


def _section_key(item: InitiativeItem) -> str | None:
    return None if item.section is None else strip_punctuation(item.section)


def _canonical_key(item: ReferenceItem) -> str:
    return strip_punctuation(item.canonical, simplify=True)


def _target_key(item: TargetItem) -> tuple[Decimal | None, str]:
    """(value, unit); a Decimal hashes by value, so 1E+4, 10000 and 10000.0 make one key."""
    return (item.value, normalise_unit(item.unit))


# ---------------------------------------------------------------------------------------------------------
# Scoring


def score(gold: Mapping[str, GoldDoc], predicted: Mapping[str, PredictedDoc]) -> Scores:
    """Score predictions against the gold per GUIDELINES.md "Scoring" (decisions: module docstring)."""
    aligned, extra = _align(gold, predicted)
    scores = Scores(extra_docs=extra)
    for key, g in gold.items():
        scores.documents.append(_score_doc(g, aligned.get(key), scores))
    return scores


def _align(
    gold: Mapping[str, GoldDoc], predicted: Mapping[str, PredictedDoc]
) -> tuple[dict[str, PredictedDoc], list[str]]:
    """Gold key → its prediction (same key, else the one key ending in "/" + gold key); unused keys."""
    aligned = {key: predicted[key] for key in gold if key in predicted}
    used = set(aligned)
    for key in gold:
        if key not in aligned:
            suffixed = [k for k in predicted if k not in used and k.endswith("/" + key)]
            if len(suffixed) == 1:
                aligned[key] = predicted[suffixed[0]]
                used.add(suffixed[0])
    return aligned, [k for k in predicted if k not in used]


def _score_doc(g: GoldDoc, predicted: PredictedDoc | None, scores: Scores) -> DocScore:
    p = predicted if predicted is not None else DocFacts(doc=g.doc)
    if predicted is None:  # all missed, even where an empty prediction would equal the gold
        gov_ok = year_ok = count_ok = False
    else:
        gov_ok = _same_government(g, p)
        year_ok = p.plan_year == g.plan_year
        count_ok = len(p.initiatives) == len(g.initiatives)
    scores.government.add(gov_ok)
    scores.plan_year.add(year_ok)
    scores.initiative_count.add(count_ok)
    return DocScore(
        doc=g.doc,
        predicted=predicted is not None,
        government=gov_ok,
        plan_year=year_ok,
        initiatives=_score_initiatives(g.initiatives, p.initiatives, scores),
        references=_score_references(g.references, p.references, scores),
        targets=_score_targets(g.targets, p.targets, scores),
    )


def _same_government(g: DocFacts, p: DocFacts) -> bool:
    if g.government_adcode is not None:
        return p.government_adcode == g.government_adcode
    gold_name = strip_punctuation(g.government_name, simplify=True)
    return p.government_adcode is None and strip_punctuation(p.government_name, simplify=True) == gold_name


def _prf(gold: Sequence[object], predicted: Sequence[object], pairs: list[tuple[int, int]]) -> PRF:
    matched = len(pairs)
    return PRF(predicted=len(predicted), predicted_matched=matched, gold=len(gold), gold_matched=matched)


def _score_initiatives(gold: Sequence[InitiativeItem], predicted: Sequence[InitiativeItem], scores: Scores) -> PRF:
    def agree(g: InitiativeItem, p: InitiativeItem) -> int:
        return int(_section_key(g) == _section_key(p)) + int(g.number == p.number)

    pairs = match_multiset(gold, predicted, _title_key, _title_key, agree)
    for i, j in pairs:
        scores.initiative_section.add(_section_key(gold[i]) == _section_key(predicted[j]))
        scores.initiative_number.add(gold[i].number == predicted[j].number)
    doc = _prf(gold, predicted, pairs)
    scores.initiatives.add(doc)
    return doc


def _score_references(gold: Sequence[ReferenceItem], predicted: Sequence[ReferenceItem], scores: Scores) -> PRF:
    def agree(g: ReferenceItem, p: ReferenceItem) -> int:
        return int(g.tier == p.tier) + int(g.relation == p.relation) + int(g.scope == p.scope)

    pairs = match_multiset(gold, predicted, _canonical_key, _canonical_key, agree)
    for i, j in pairs:
        scores.reference_tier.add(gold[i].tier == predicted[j].tier)
        scores.reference_relation.add(gold[i].relation == predicted[j].relation)
        scores.reference_scope.add(gold[i].scope == predicted[j].scope)
    matched_gold = {i for i, _ in pairs}
    matched_pred = {j for _, j in pairs}
    for tier, total in (("A", scores.references_tier_a), ("B", scores.references_tier_b)):
        total.add(
            PRF(
                predicted=sum(1 for r in predicted if r.tier == tier),
                predicted_matched=sum(1 for j in matched_pred if predicted[j].tier == tier),
                gold=sum(1 for r in gold if r.tier == tier),
                gold_matched=sum(1 for i in matched_gold if gold[i].tier == tier),
            )
        )
    doc = _prf(gold, predicted, pairs)
    scores.references.add(doc)
    return doc


def _score_targets(gold: Sequence[TargetItem], predicted: Sequence[TargetItem], scores: Scores) -> PRF:
    def agree(g: TargetItem, p: TargetItem) -> int:
        return (
            int(g.comparator == p.comparator)
            + int(g.deadline == p.deadline)
            + int(indicators_agree(g.indicator, p.indicator))
        )

    pairs = match_multiset(gold, predicted, _target_key, _target_key, agree)
    for i, j in pairs:
        scores.target_comparator.add(gold[i].comparator == predicted[j].comparator)
        scores.target_deadline.add(gold[i].deadline == predicted[j].deadline)
        scores.target_indicator.add(indicators_agree(gold[i].indicator, predicted[j].indicator))
    doc = _prf(gold, predicted, pairs)
    scores.targets.add(doc)
    return doc
