"""Stage: targets — the quantified commitments in each initiative.

Every number with a counted unit (`kg/quantities.py`) is a candidate; it is not a target when it is an ordinal
(第三期), inside a programme name or a quoted slogan (“316工程”, “三个100%”), a condition (占比未达30%的县), or a
past result (去年新增…). Two quantities in one clause are two targets. Each target gets a comparator from the
words around the number (达到/以上 → at least, 不超过/以内/消除 → at most, else exactly; a bare rate is a floor), a
deadline from its sentence (到2022年 → 2022; 年内/今年/3月底前 → the plan year), the measured noun phrase as its
indicator, and the indicator concept it measures (`kg/indicators.py`).
"""

from __future__ import annotations

import re

from kg.indicators import match_indicator
from kg.quantities import Quantity, find_quantities, rules
from kg.records import (
    Comparator,
    DocumentStructure,
    NormalisedDocument,
    PolicyReferenceRecord,
    Span,
    TargetRecord,
)
from kg.structure import sentence_span

CUE_WINDOW = 10  # characters before a number searched for its comparator and cues
_CLAUSE_END = re.compile(r"[,，;；。:：!?！？\n]")
_QUOTED = re.compile(r"“[^“”\n]{0,30}”")
_CN_COUNT = re.compile(r"[一二两三四五六七八九十]个$")


def extract_targets(
    doc: NormalisedDocument,
    structure: DocumentStructure,
    references: tuple[PolicyReferenceRecord, ...],
    plan_year: int | None,
) -> tuple[TargetRecord, ...]:
    text = doc.text
    blocked = [m.surface for r in references for m in r.mentions]
    blocked += [Span(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    out: list[TargetRecord] = []
    for initiative in structure.initiatives:
        quantities = [
            q
            for q in find_quantities(text, initiative.body.start, initiative.body.end)
            if not any(b.start <= q.span.start < b.end for b in blocked) and not _excluded(text, q, plan_year)
        ]
        for quantity in quantities:
            clause = _clause(text, quantity.span)
            indicator = _indicator(doc, clause, quantity, [q for q in quantities if q is not quantity])
            out.append(
                TargetRecord(
                    initiative=initiative.position,
                    clause=clause,
                    quantity=quantity.span,
                    value=quantity.value,
                    value_max=quantity.value_max,
                    unit=quantity.unit,
                    comparator=_comparator(text, clause, quantity),
                    deadline=_deadline(text, quantity.span, plan_year, blocked),
                    indicator=indicator,
                    measures=match_indicator(indicator or "", clause.quote(text)),
                )
            )
    return tuple(out)


# --- what is not a target ----------------------------------------------------------------------------------


def _excluded(text: str, quantity: Quantity, plan_year: int | None) -> bool:
    words = rules()
    start = quantity.number.start
    before = text[max(0, start - CUE_WINDOW) : start]
    after = text[quantity.span.end : quantity.span.end + 4]
    if before.endswith(tuple(words["excluded_before"])) or re.search(r"[A-Za-z]$", before):
        return True
    if _CN_COUNT.search(before):  # 三个100%: a slogan's name
        return True
    clause = _clause(text, quantity.span).quote(text)
    if any(word in clause for word in words["history_words"]):
        return True
    if plan_year is not None and any(  # 2021年全区…达到68% in a 2022 plan: last year's result
        int(year) < plan_year for year in re.findall(r"(?<![到至从自\d])((?:19|20)\d{2})\s*年", clause)
    ):
        return True
    if after.startswith("的") and any(before.endswith(w) or w in before[-4:] for w in words["condition_before"]):
        return True
    if quantity.unit == "周" and after.startswith("年"):  # 建党100周年: an anniversary
        return True
    if quantity.chinese:
        if before.endswith(tuple(words["word_internal_before"])):  # 每一所, 统一个, 第一次
            return True
        rest = text[quantity.span.end - len(quantity.unit) : quantity.span.end + 4]
        if after.startswith(tuple(words["slogan_after_counted"])) or rest.startswith("位一体") or after[:1] == "“":
            return True
        # Chinese numerals name things as often as they count them (三支队伍, 二期, 三位一体, 九届九次): a count
        # follows a cue (至少, 组建), a verb (建成投用两所), or closes its clause (招录师范生三百名。).
        cued = any(cue in before[-5:] for cue in words["chinese_numeral_cues"])
        closes = _CLAUSE_END.match(text[quantity.span.end : quantity.span.end + 1] or "。") is not None
        if not (cued or closes or (quantity.value != 1 and _after_verb(before))):
            return True
    return False


def _after_verb(before: str) -> bool:
    import jieba.posseg

    words = list(jieba.posseg.cut(before[-6:]))
    return bool(words) and words[-1].flag.startswith("v")


def _clause(text: str, span: Span) -> Span:
    start = span.start
    while start > 0 and not _CLAUSE_END.match(text[start - 1]):
        start -= 1
    end = span.end
    while end < len(text) and not _CLAUSE_END.match(text[end]):
        end += 1
    while start < end and text[start].isspace():
        start += 1
    return Span(start, end)


# --- comparator and deadline -------------------------------------------------------------------------------


def _comparator(text: str, clause: Span, quantity: Quantity) -> Comparator:
    words = rules()
    before = text[max(clause.start, quantity.number.start - CUE_WINDOW) : quantity.number.start]
    after = text[quantity.span.end : min(clause.end, quantity.span.end + 4)]
    if after.startswith(tuple(words["at_most_after"])):
        return Comparator.AT_MOST
    # The cue nearest the number decides; at the same place the longer one (不低于 over 低于).
    cues = [
        (before.rfind(cue) + len(cue), len(cue), kind)
        for kind, key in ((Comparator.AT_MOST, "at_most_before"), (Comparator.AT_LEAST, "at_least_before"))
        for cue in words[key]
        if cue in before
    ]
    nearest = max(cues, default=None)
    if nearest is not None and nearest[2] is Comparator.AT_MOST:
        return Comparator.AT_MOST  # 消除56人以上大班额: 以上 describes what is removed
    if nearest is not None or after.startswith(tuple(words["at_least_after"])):
        return Comparator.AT_LEAST
    clause_text = clause.quote(text)
    if quantity.unit in words["daily_minimum_units"] and any(c in clause_text for c in words["daily_minimum_cues"]):
        return Comparator.AT_LEAST  # 每天锻炼一小时: a daily duration is a minimum
    if quantity.value_max is not None or quantity.unit == "%":
        return Comparator.AT_LEAST  # a range or a bare rate sets a floor
    return Comparator.EXACTLY


def _deadline(text: str, span: Span, plan_year: int | None, blocked: list[Span]) -> int | None:
    words = rules()
    sentence = sentence_span(text, span)
    years: list[tuple[int, int]] = []  # (distance, year)
    for pattern in words["deadline_year_patterns"]:
        for match in re.finditer(pattern, text[sentence.start : sentence.end]):
            at = sentence.start + match.start(1)
            if any(b.start <= at < b.end for b in blocked):
                continue
            year = int(match.group(1))
            if plan_year is None or plan_year - 1 <= year <= plan_year + 20:
                years.append((abs(at - span.start) + (0 if at < span.start else 1000), year))
    if years:
        return min(years)[1]
    sentence_text = sentence.quote(text)
    if plan_year is not None and any(word in sentence_text for word in words["next_year_words"]):
        return plan_year + 1
    if plan_year is not None and (
        any(word in sentence_text for word in words["plan_year_words"])
        or re.search(words["plan_year_month"], sentence_text)
    ):
        return plan_year
    return None


# --- indicator ---------------------------------------------------------------------------------------------


def _indicator(doc: NormalisedDocument, clause: Span, quantity: Quantity, others: list[Quantity]) -> str | None:
    """The measured noun phrase: a rate's noun (学前三年毛入园率), or what is counted (新建、改扩建幼儿园数).

    The phrase is read from the clause around the number, between its neighbours when the clause holds two
    quantities. When what follows the number is a counted noun and its predicate (5所省属高职院校全部动工建设),
    the indicator reads predicate-的-noun-数 (全部动工建设的省属高职院校数), the way such indicators are named.
    """
    words = rules()
    text, printed = doc.text, doc.original
    start = max(
        [q.span.end for q in others if clause.start <= q.span.end <= quantity.number.start], default=clause.start
    )
    if start > clause.start:  # after a neighbour: from the last 、/和 between them (10个工作室、5个工作站)
        separator = max(text.rfind(mark, start, quantity.number.start) for mark in "、和及与")
        start = separator + 1 if separator >= 0 else quantity.number.start
    end = min([q.number.start for q in others if quantity.span.end <= q.number.start <= clause.end], default=clause.end)
    time = re.compile(words["plan_year_month"]).search(text, quantity.span.end, end)
    end = time.start() if time else end
    head = _strip(text, Span(start, quantity.number.start))
    if text.endswith("等", head.start, head.end):  # 七一路小学、黄堡镇逸夫小学等7所学校: instances, not the measure
        head = Span(head.start, head.start)
    tail = _tail(text, Span(quantity.span.end, end))
    suffix = "比例" if quantity.unit == "%" else words["counted_suffix"].get(quantity.unit, "数")
    if quantity.unit == "%":
        for verb in sorted(words["verbs_after_indicator"], key=len, reverse=True):
            cut = text.rfind(verb, head.start, head.end)
            if cut > head.start:
                return _clean(Span(head.start, cut).quote(printed)) or None
        if head.end > head.start:
            return _clean(head.quote(printed)) or None
    noun, predicate = _noun_and_predicate(text, tail)
    if predicate is not None and (quantity.unit == "%" or head.end <= head.start):
        return (
            _clean(predicate.quote(printed))
            + "的"
            + _clean(noun.quote(printed))
            + (suffix if suffix != "人数" else "数")
        )
    phrase = _clean(head.quote(printed) + tail.quote(printed))
    if not phrase:
        return None
    return phrase + ("数" if tail.end > tail.start else suffix)


def _noun_and_predicate(text: str, tail: Span) -> tuple[Span, Span | None]:
    """学校|达到依法治校认定标准: the longest known counted noun opening the tail, and what follows it."""
    phrase = tail.quote(text)
    best = 0
    for noun in rules()["counted_nouns"]:
        at = phrase.find(noun)
        if at >= 0 and at + len(noun) > best and at <= 8:
            best = at + len(noun)
    if best == 0 or best >= len(phrase):
        return tail, None
    rest = best + 1 if phrase[best] == "的" else best
    if rest >= len(phrase):
        return tail, None
    return Span(tail.start, tail.start + best), Span(tail.start + rest, tail.end)


def _strip(text: str, span: Span) -> Span:
    """Drop time words, ordinals, light verbs and cue words at either end of a phrase (确保, 全市, 年内, 至少办好)."""
    words = rules()
    start, end = span.start, span.end
    changed = True
    while changed and start < end:
        changed = False
        for pattern in (
            r"(?:到|至)?\s*(?:19|20)\d{2}\s*年(?:底|末)?(?:前)?\s*,?",
            r"(?:[1-9]|1[0-2])月底?前",
            words["ordinal_prefix"],
        ):
            found = re.match(pattern, text[start:end])
            if found and found.end():
                start += found.end()
                changed = True
        for prefix in words["indicator_strip_prefixes"] + words["light_verbs"]:
            if text.startswith(prefix, start, end):
                start += len(prefix)
                changed = True
    changed = True
    while changed and end > start:
        changed = False
        for suffix in words["light_verbs"] + words["at_least_before"] + words["at_most_before"]:
            if text.endswith(suffix, start, end) and end - len(suffix) >= start:
                end -= len(suffix)
                changed = True
        while end > start and text[end - 1] in " 达到在为至约近共计各":
            if text[end - 1] == "各" and end - 1 > start and text[end - 2] != "、":
                break
            end -= 1
    return Span(start, end)


def _tail(text: str, span: Span) -> Span:
    """What is counted after the unit (学位 in 1万个学位), without 以上, 的 and the like, up to a trailing 工作."""
    start = span.start
    for word in ("及以上", "以上", "以内", "以下", "左右", "的"):
        if text.startswith(word, start, span.end):
            start += len(word)
    end = span.end
    while end > start and text[end - 1] in "的和及与并、":
        end -= 1
    if text.endswith("工作", start, end) and end - 2 > start:
        end -= 2
    return Span(start, end)


def _clean(phrase: str) -> str:
    return re.sub(r"\s+", "", phrase).strip("、,，的")
