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
from functools import cache, lru_cache

from kg.indicators import label_in, match_indicator
from kg.normalise import normalise_text
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
_CLAUSE_END = re.compile(r"[,，;；。:：!?！？\r\n]")
_QUOTED = re.compile(r"“[^“”\n]{0,30}”")
_CN_COUNT = re.compile(r"[一二两三四五六七八九十]个$")
_SPACES = re.compile(r"\s+")
_LEADING_TIME = (
    re.compile(r"(?:到|至)?\s*(?:19|20)\d{2}\s*年(?:底|末)?(?:前)?\s*,?"),
    re.compile(r"(?:[1-9]|1[0-2])月底?前"),
)


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
        found = [
            (q, _clause(text, q.span))
            for q in find_quantities(text, initiative.body.start, initiative.body.end)
            if not any(b.start <= q.span.start < b.end for b in blocked)
        ]
        kept = [(q, clause) for q, clause in found if not _excluded(text, q, clause, plan_year)]
        quantities = [q for q, _ in kept]
        for quantity, clause in kept:
            if clause.start < initiative.title.start <= quantity.span.start:
                clause = Span(initiative.title.start, clause.end)  # not the item's number (1. 新增学位1万个)
            indicator = _without_hedges(_indicator(doc, clause, quantity, [q for q in quantities if q is not quantity]))
            comparator = _comparator(text, clause, quantity)
            deadline = _deadline(text, quantity.span, plan_year, blocked)
            # 中小学每月、幼儿园每季度至少组织一次演练: one number, two commitments
            for each in _distributed(indicator):
                out.append(
                    TargetRecord(
                        initiative=initiative.position,
                        clause=clause,
                        quantity=quantity.span,
                        value=quantity.value,
                        value_max=quantity.value_max,
                        unit=quantity.unit,
                        comparator=comparator,
                        deadline=deadline,
                        indicator=each,
                        measures=match_indicator(each or "", clause.quote(text)),
                    )
                )
    return tuple(out)


_FREQUENCY = r"每(?:天|日|周|月|季度|学期|学年|年)"
_DISTRIBUTED = re.compile(rf"^(.+?{_FREQUENCY})、(.+?{_FREQUENCY})(.+)$")


def _distributed(indicator: str | None) -> list[str | None]:
    match = _DISTRIBUTED.match(indicator or "")
    if match is None:
        return [indicator]
    return [match.group(1) + match.group(3), match.group(2) + match.group(3)]


@cache
def _deadline_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in rules()["deadline_year_patterns"])


@cache
def _plan_year_month() -> re.Pattern[str]:
    return re.compile(rules()["plan_year_month"])


@cache
def _strip_words() -> tuple[tuple[re.Pattern[str], ...], tuple[str, ...], tuple[str, ...]]:
    """`_strip`'s leading patterns, leading words, and trailing words longest first (不超过 before 超过)."""
    words = rules()
    leading = (*_LEADING_TIME, re.compile(words["ordinal_prefix"]))
    prefixes = tuple(words["indicator_strip_prefixes"] + words["light_verbs"])
    cues = words["light_verbs"] + words["at_least_before"] + words["at_most_before"]
    return leading, prefixes, tuple(sorted(cues, key=len, reverse=True))


# --- what is not a target ----------------------------------------------------------------------------------


def _excluded(text: str, quantity: Quantity, clause_span: Span, plan_year: int | None) -> bool:
    words = rules()
    start = quantity.number.start
    before = text[max(0, start - CUE_WINDOW) : start]
    after = text[quantity.span.end : quantity.span.end + 4]
    if before.endswith(tuple(words["excluded_before"])) or re.search(r"[A-Za-z]$", before):
        return True
    if _CN_COUNT.search(before):  # 三个100%: a slogan's name
        return True
    clause = clause_span.quote(text)
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
        if (
            after.startswith(tuple(words["slogan_after_counted"]))
            or rest.startswith(tuple(words["slogan_from_unit"]))
            or after[:1] == "“"
        ):
            return True
        # Chinese numerals name things as often as they count them (三支队伍, 二期, 三位一体, 九届九次): a count
        # follows a cue (至少, 组建), a verb (建成投用两所), or closes its clause (招录师范生三百名。).
        cued = any(cue in before[-5:] for cue in words["chinese_numeral_cues"])
        closes = _CLAUSE_END.match(text[quantity.span.end : quantity.span.end + 1] or "。") is not None
        if not (cued or closes or (quantity.value != 1 and _pos_flags(before[-6:])[-1:] == ("v",))):
            return True
    return False


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
    for pattern in _deadline_patterns():
        for match in pattern.finditer(text[sentence.start : sentence.end]):
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
        any(word in sentence_text for word in words["plan_year_words"]) or _plan_year_month().search(sentence_text)
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
    named = label_in(clause.quote(text)) if quantity.unit == "%" else None
    if named is not None:  # the clause names a known rate verbatim: that is the phrase, as printed
        return printed[clause.start + named[0] : clause.start + named[1]]
    start = max(
        [q.span.end for q in others if clause.start <= q.span.end <= quantity.number.start], default=clause.start
    )
    if start > clause.start:  # after a neighbour: from the last 、/和 between them (10个工作室、5个工作站)
        separator = max(text.rfind(mark, start, quantity.number.start) for mark in "、和及与")
        start = separator + 1 if separator >= 0 else start
    end = min([q.number.start for q in others if quantity.span.end <= q.number.start <= clause.end], default=clause.end)
    time = _plan_year_month().search(text, quantity.span.end, end)
    end = time.start() if time else end
    head = _strip(text, Span(start, quantity.number.start))
    tail = _tail(text, Span(quantity.span.end, end))
    suffix = "比例" if quantity.unit == "%" else words["counted_suffix"].get(quantity.unit, "数")
    if quantity.unit == "%":
        # 学前三年毛入园率|达到95%: the rate's noun ends where its verb begins. A one-character verb (在, 为)
        # counts only right before the number, since it also occurs inside names (公办幼儿园在园幼儿占比).
        cuts = [
            text.rfind(verb, head.start, head.end)
            for verb in words["verbs_after_indicator"]
            if len(verb) > 1 or text.endswith(verb, head.start, head.end)
        ]
        cut = max(cuts, default=-1)
        if cut > head.start:
            return _clean(Span(head.start, cut).quote(printed)) or None
        if head.end > head.start:
            return _clean(head.quote(printed)) or None
    counted = _clean(tail.quote(text)).strip('“”"')
    if counted in words["measured_by_phrase"]:  # 消除56人以上“大班额”: the limit is on class size
        return words["measured_by_phrase"][counted]
    noun, predicate = _noun_and_predicate(text, tail)
    if predicate is not None and predicate.end - predicate.start > 2:
        # 5所省属高职院校|全部动工建设 → 全部动工建设的省属高职院校数. A head that lists instances
        # (广东交通职业技术学院、…3所院校; 七一路小学等7所学校) names which, not what is measured.
        listed = "、" in head.quote(text) or text.endswith(("等", "的"), head.start, head.end)
        # 遴选|10所学校, 支持|三所中职学校: a head that is only a verb adds nothing to what is counted
        modifier = "" if listed or _pos_flags(head.quote(text))[-1:] == ("v",) else _clean(head.quote(printed))
        action = _clean(predicate.quote(printed))
        for adverb in words["manner_adverbs"]:
            action = action.replace(adverb, "")
        return action + "的" + modifier + _clean(noun.quote(printed)) + (suffix if suffix != "人数" else "数")
    phrase = _clean(head.quote(printed) + tail.quote(printed))
    if not phrase:
        return None
    if phrase.endswith(tuple(words["measure_nouns"])):  # 小学班额 (不超过45人): the phrase names the measure
        return phrase
    if quantity.unit == "次":
        return phrase + "次数"
    return phrase + ("数" if tail.end > tail.start else suffix)


def _without_hedges(indicator: str | None) -> str | None:
    """每个县(市)区至少组建教育集团数 → 每个县(市)区组建教育集团数: a hedge says how firmly, not what is measured.

    Matched on the normalised form (same length as printed), removed from the printed one.
    """
    if not indicator:
        return indicator
    normalised = normalise_text(indicator)
    keep = [True] * len(indicator)
    for hedge in rules()["hedge_adverbs"]:
        for found in re.finditer(re.escape(hedge), normalised):
            keep[found.start() : found.end()] = [False] * len(hedge)
    return "".join(ch for ch, kept in zip(indicator, keep, strict=True) if kept) or None


def _noun_and_predicate(text: str, tail: Span) -> tuple[Span, Span | None]:
    """学校|达到依法治校认定标准: the longest known counted noun opening the tail, and what follows it."""
    phrase = tail.quote(text)
    best = 0
    for noun in rules()["counted_nouns"]:
        at = phrase.find(noun)
        inside_brackets = phrase.count("(", 0, at) > phrase.count(")", 0, at)
        if at >= 0 and at + len(noun) > best and not inside_brackets:
            best = at + len(noun)
    if best == 0 or best >= len(phrase):
        return tail, None
    rest = best + 1 if phrase[best] == "的" else best
    predicate = phrase[rest:]
    # (园长) after 名校长, 学习中心 after 社区: the rest of a compound noun, not what the counted things do
    if not predicate or predicate.startswith("(") or predicate.startswith(tuple(rules()["noun_heads"])):
        return tail, None
    if "v" not in _pos_flags(predicate):
        return tail, None
    return Span(tail.start, tail.start + best), Span(tail.start + rest, tail.end)


@lru_cache(maxsize=1 << 14)  # asked up to three times per quantity, often of the same words
def _pos_flags(phrase: str) -> tuple[str, ...]:
    """The coarse part of speech of each jieba word in `phrase` (v for verbs and verbal nouns, n, a …)."""
    import jieba.posseg

    return tuple(word.flag[:1] for word in jieba.posseg.cut(phrase))


def _strip(text: str, span: Span) -> Span:
    """Drop time words, ordinals, light verbs and cue words at either end of a phrase (确保, 全市, 年内, 至少办好)."""
    leading, prefixes, suffixes = _strip_words()
    start, end = span.start, span.end
    changed = True
    while changed and start < end:
        changed = False
        for pattern in leading:
            found = pattern.match(text[start:end])
            if found and found.end():
                start += found.end()
                changed = True
        for prefix in prefixes:
            if text.startswith(prefix, start, end):
                start += len(prefix)
                changed = True
    changed = True
    while changed and end > start:
        changed = False
        for suffix in suffixes:
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
    return _SPACES.sub("", phrase).strip("、,，的")
