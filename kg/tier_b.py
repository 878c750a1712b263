"""Unbracketed named instruments (tier B): 教育信息化2.0行动计划, 乡村教师支持计划, 制定集团化办学实施方案 …

Three sources of candidates, precision first:
1. names from the catalogue and alias table (国培计划, 减负30条, 中央八项规定), wherever they stand;
2. quoted programme names matched by spaCy SpanRuler patterns (`kg/data/policies/quoted_name_patterns.jsonl`):
   “强师工程”, “创优”“提质”工程, “双培养”计划;
3. the object of a governing verb that ends in an instrument head word: 制定|集团化办学实施方案,
   出台|校长职级制实施办法和校长职级制改革实施意见 (two), read over jieba tokens in a spaCy `Doc`.
Candidates that overlap keep the longest. Slogans, campaigns (…行动, …活动), works (…建设工程), systems
(…制度, …机制) and generic phrases (实施方案, 防控措施) are not instruments.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.lines import SENTENCE_ENDS
from kg.policy_names import clean_title, lexicon, load_catalogue
from kg.records import Relation, Span

MAX_NAME_TOKENS = 20
_ALLOWED_PUNCT = set("“”()、·+-—.")
_CONJUNCTIONS = {"和", "及", "与", "以及", "及其"}
_IGNORED_IN_NAMES = set("“”‘’\"' \u3000")
_PERIOD_LABEL = re.compile(r"“十[一二三四五六七八九]五”")
# What may follow a name: the name ends there. A noun instead means the head word was a modifier
# (教育发展“十三五”规划|中期评估, 配套教育设施规划|建设).
_AFTER_NAME = {"的", "和", "及", "与", "以及", "等", "并", "中", "及其"}


@dataclass(frozen=True)
class Candidate:
    surface: Span  # with its quotes when quoted
    name: Span  # the name proper
    relation: Relation
    source: str  # catalogue | quoted | governed


@cache
def nlp() -> Language:
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)  # jieba announces its dictionary load on every process start
    pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    # Known instrument names segment as words, so their boundaries can be checked against the tokens.
    for name in load_catalogue().names:
        jieba.add_word(name)
    ruler = pipeline.add_pipe("span_ruler", config={"spans_key": "quoted_names"})
    patterns = resources.files("kg.data").joinpath("policies", "quoted_name_patterns.jsonl").read_text("utf-8")
    ruler.add_patterns([json.loads(line) for line in patterns.splitlines() if line.strip()])
    return pipeline


# A sentence and the mark that ends it, as separate pieces: what `parse` segments or leaves whole.
_SENTENCES = re.compile(rf"[^{SENTENCE_ENDS}\n]+|[{SENTENCE_ENDS}\n]")
_WHITESPACE = re.compile(r"(\s+)")


def parse(text: str) -> Doc:
    """The text as a spaCy `Doc` with the offsets of the text, segmented by jieba only in the sentences where a
    citation can stand (a 《, a “, an instrument head word or a catalogue name); every other sentence is one
    token. jieba cuts at punctuation anyway, so the tokens of the segmented sentences are those a cut of the
    whole text gives, and no rule here looks past the end of a sentence; most of a plan's sentences hold no
    citation, and segmenting the whole text was most of the time of the whole extraction."""
    import jieba
    from spacy.util import get_words_and_spaces

    pipeline = nlp()
    words: list[str] = []
    for piece in _SENTENCES.findall(text):
        if _may_cite(piece):
            words.extend(word for word in jieba.cut(piece, cut_all=False) if word)
        else:  # one word, but whitespace apart: spaCy's alignment takes a space after a word as its trailing space
            words.extend(part for part in _WHITESPACE.split(piece) if part)
    words, spaces = get_words_and_spaces(words, text)
    doc = Doc(pipeline.vocab, words=words, spaces=spaces)
    doc.user_data["words"] = words  # the token texts, so rules can scan them without a Token object each
    for _, component in pipeline.pipeline:
        doc = component(doc)
    return doc


def _may_cite(sentence: str) -> bool:
    return _trigger().search(sentence.translate(_SQUEEZE)) is not None


_SQUEEZE = {ord(ch): None for ch in _IGNORED_IN_NAMES - {"“"}}  # catalogue names match with quotes dropped


@cache
def _trigger() -> re.Pattern[str]:
    markers = {"《", "“", *lexicon()["name_heads"], *load_catalogue().names}
    return re.compile("|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True)))


@cache
def _verbs() -> dict[str, Relation]:
    words = lexicon()
    verbs = {verb: Relation.IMPLEMENTS for verb in words["implements_verbs"]}
    verbs.update({verb: Relation.DRAFTS for verb in words["drafts_verbs"]})
    return verbs


@cache
def _heads() -> tuple[str, ...]:
    return tuple(sorted(lexicon()["name_heads"], key=len, reverse=True))


def find_candidates(text: str, doc: Doc, blocked: list[Span]) -> list[Candidate]:
    """Tier-B candidates in the normalised text, none overlapping `blocked` (the tier-A titles) or each other."""
    named = _catalogue_names(text, doc) + _quoted_names(doc)
    governed = [g for g in _governed_names(text, doc) if _keeps_governed(text, g, named)]
    found = [c for c in named + governed if not any(_overlaps(c.surface, span) for span in blocked)]
    found.sort(key=lambda c: (-(c.surface.end - c.surface.start), c.surface.start))
    kept: list[Candidate] = []
    for candidate in found:
        if not any(_overlaps(candidate.surface, other.surface) for other in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda c: c.surface.start)


def _keeps_governed(text: str, governed: Candidate, named: list[Candidate]) -> bool:
    """Whether a governed phrase stands when it contains a known or quoted name.

    A quoted name is an explicit boundary: 招生“阳光工程”, 第三轮“316工程” cite the quoted programme. A known
    name at the end of the phrase is its head, and the phrase the more specific title (清远|高校思想政治工作
    质量提升工程, 新时代中小学、幼儿园|教师职业行为十项准则); a known name followed by a head word is a local
    instrument built on it (中小学生减负措施|实施方案). Anything else (中央八项规定|精神和省委实施细则) gives way.
    """
    inside = [c for c in named if governed.surface.start <= c.surface.start < governed.surface.end]
    if not inside:
        return True
    if len(inside) > 1 or inside[0].source == "quoted" or text[inside[0].surface.start] == "“":
        return False
    name = inside[0].name
    rest = text[name.end : governed.surface.end]
    if not rest:
        return True
    return name.start == governed.surface.start and rest.startswith(_heads())


def relation_before(doc: Doc, start: int) -> Relation:
    """The relation set by the nearest governing verb before `start` in the same sentence (default implements)."""
    verb = _governing_verb(doc, start)
    return _verbs()[verb.text] if verb is not None else Relation.IMPLEMENTS


_SENTENCE_END = {*SENTENCE_ENDS, "\n"}


def _governing_verb(doc: Doc, start: int) -> Token | None:
    verbs = _verbs()
    for i in range(_tokens_before(doc, start) - 1, -1, -1):
        token = doc[i]
        if token.text in _SENTENCE_END or (token.text.strip() == "" and "\n" in token.text):
            return None
        if token.text in verbs and not _modifies(token):
            return token
    return None


def _tokens_before(doc: Doc, offset: int) -> int:
    """How many tokens start before `offset` (token offsets are computed once per document)."""
    starts = doc.user_data.get("token_starts")
    if starts is None:
        # read from the array, not by creating a Token object per token (most of the cost on long documents)
        starts = doc.user_data["token_starts"] = doc.to_array("IDX").tolist()
    return bisect.bisect_left(starts, offset)


def _modifies(token: Token) -> bool:
    """A verb used attributively (市政府印发的, 实施意见) does not govern what follows."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is not None and (following.text == "的" or following.text.startswith(_heads()))


# --- sources -----------------------------------------------------------------------------------------------


def _on_token_boundaries(doc: Doc, span: Span) -> bool:
    """教育法 inside 教育|法律 is no citation of the law: a name must end between two words. (Its start is
    not checked: jieba glues a verb's complement to a rare name, as in 组织|好国培|计划.)"""
    return doc.char_span(span.start, span.end, alignment_mode="expand").end_char == span.end


def _catalogue_names(text: str, doc: Doc) -> list[Candidate]:
    """Catalogue names and aliases wherever they stand, quote marks and spaces inside them ignored
    (体艺“2+1”项目 is 体艺2+1项目)."""
    kept = [i for i, ch in enumerate(text) if ch not in _IGNORED_IN_NAMES]
    squeezed = "".join(text[i] for i in kept)
    out: list[Candidate] = []
    taken: list[Span] = []
    for name in load_catalogue().names:
        start = squeezed.find(name)
        while start >= 0:
            span = Span(kept[start], kept[start + len(name) - 1] + 1)
            if _on_token_boundaries(doc, span) and not any(_overlaps(span, other) for other in taken):
                taken.append(span)
                surface = _with_quotes(text, span)
                out.append(Candidate(surface, span, relation_before(doc, surface.start), "catalogue"))
            start = squeezed.find(name, start + 1)
    return out


def _quoted_names(doc: Doc) -> list[Candidate]:
    out: list[Candidate] = []
    for match in doc.spans["quoted_names"]:
        surface = Span(match.start_char, match.end_char)
        name = clean_title(match.text)
        if len(name) < 2 or _is_excluded(name) or _PERIOD_LABEL.match(match.text):
            continue
        out.append(Candidate(surface, surface, relation_before(doc, surface.start), "quoted"))
    return out


def _governed_names(text: str, doc: Doc) -> list[Candidate]:
    out: list[Candidate] = []
    heads = _heads()
    words = doc.user_data.get("words") or [token.text for token in doc]
    for i in (i for i, word in enumerate(words) if word.endswith(heads)):
        token = doc[i]
        if not _name_ends_here(token):
            continue
        verb, first = _name_start(doc, token)
        if verb is None or first is None:
            continue
        relation = _verbs()[verb.text]
        for part in _split_coordination(doc, first, token.i):
            name = _trim(text, part)
            if name is not None and _is_name(name.quote(text)):
                out.append(Candidate(name, name, relation, "governed"))
    return out


def _name_ends_here(head: Token) -> bool:
    if head.i + 1 >= len(head.doc):
        return True
    following = head.nbor(1)
    return following.is_punct or following.is_space or following.text in _AFTER_NAME or following.text in _verbs()


def _name_start(doc: Doc, head: Token) -> tuple[Token | None, int | None]:
    """Walk left from the head word to the governing verb; the name is what lies between.

    A drafting verb governs over an implementing one nearer the name, since titles themselves open with
    推进/落实/加强 (出台|进一步推进高中阶段学校考试招生制度改革实施办法)."""
    verbs = _verbs()
    nearest: Token | None = None
    i = head.i - 1
    while i >= 0 and head.i - i <= MAX_NAME_TOKENS:
        token = doc[i]
        if (token.is_punct and token.text not in _ALLOWED_PUNCT) or token.is_space:
            break
        if token.text in verbs and not _modifies(token):
            if verbs[token.text] is Relation.DRAFTS:
                return token, i + 1
            nearest = nearest or token
        i -= 1
    if nearest is None or nearest.i + 1 > head.i:
        return None, None
    return nearest, nearest.i + 1


def _split_coordination(doc: Doc, first: int, last: int) -> list[Span]:
    """A和B where both end in a head word are two instruments; otherwise the phrase is one name."""
    heads = _heads()
    for i in range(first + 1, last):
        if doc[i].text in _CONJUNCTIONS and doc[i - 1].text.endswith(heads):
            left = Span(doc[first].idx, doc[i].idx)
            right = Span(doc[i + 1].idx, doc[last].idx + len(doc[last].text))
            return [left, *_split_coordination(doc, i + 1, last)] if right.end > right.start else [left]
    return [Span(doc[first].idx, doc[last].idx + len(doc[last].text))]


def _trim(text: str, span: Span) -> Span | None:
    """Drop what precedes the name proper: an issuer clause (省教育厅等九部门下发的), 我市, 新一轮 …"""
    start = span.start
    changed = True
    while changed:
        changed = False
        for pattern in _strip_patterns():
            found = pattern.match(text, start, span.end)
            if found and found.end() > start:
                start = found.end()
                changed = True
        for prefix in lexicon()["strip_prefixes"]:
            if text.startswith(prefix, start) and start + len(prefix) < span.end:
                start += len(prefix)
                changed = True
    return Span(start, span.end) if start < span.end else None


@cache
def _strip_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in lexicon()["strip_patterns"])


@cache
def _excluded_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in lexicon()["excluded_patterns"])


def _is_excluded(name: str) -> bool:
    return name.endswith(tuple(lexicon()["excluded_endings"])) or any(p.search(name) for p in _excluded_patterns())


def _is_name(phrase: str) -> bool:
    """Specific enough to name an instrument: not generic, not a system or a campaign, long enough."""
    words = lexicon()
    name = clean_title(phrase)
    if _is_excluded(name) or name in words["generic_names"] or _only_generic(name):
        return False
    short_head = name.endswith(tuple(words["short_heads"]))
    if len(name) < (words["name_min_chars"] if short_head else words["other_min_chars"]):
        return False
    # 选课走班、分层教学、生涯规划: an enumeration whose last item is a bare noun is not a title.
    tail = name.rsplit("、", 1)[-1]
    return short_head or "、" not in name or len(tail) >= words["enumeration_tail_min_chars"]


def _only_generic(name: str) -> bool:
    """具体实施方案, 相关工作方案: generic modifiers in front of a bare head word name nothing."""
    rest = name
    changed = True
    while changed:
        changed = False
        for word in lexicon()["generic_modifiers"]:
            if rest.startswith(word) and len(rest) > len(word):
                rest = rest[len(word) :]
                changed = True
    return rest in lexicon()["name_heads"] or rest in lexicon()["generic_names"]


def _with_quotes(text: str, span: Span) -> Span:
    if span.start > 0 and span.end < len(text) and text[span.start - 1] == "“" and text[span.end] == "”":
        return Span(span.start - 1, span.end + 1)
    return span


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
