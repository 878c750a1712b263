"""The SKOS vocabularies (kg/vocab/*.ttl) and the topic keyword rules (kg/data/topic_rules.json)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import opencc
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

ROOT = Path(__file__).resolve().parent.parent
VOCAB = ROOT / "kg" / "vocab"
INDICATORS_TTL = VOCAB / "indicators.ttl"
TOPICS_TTL = VOCAB / "topics.ttl"
TOPIC_RULES = ROOT / "kg" / "data" / "topic_rules.json"
GOLD = ROOT / "tests" / "gold" / "seeds.gold.json"

KG = Namespace("https://w3id.org/edu-policy-kg/ontology#")
INDICATOR_SCHEME = URIRef("https://w3id.org/edu-policy-kg/vocab/indicators")
TOPIC_SCHEME = URIRef("https://w3id.org/edu-policy-kg/vocab/topics")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
HAN = re.compile(r"[\u3400-\u9fff]")

# Indicators that local plans state most often; each must be a zh-Hans prefLabel or altLabel.
REQUIRED_INDICATOR_LABELS = [
    "学前三年毛入园率",
    "学前教育毛入园率",
    "毛入园率",
    "普惠性幼儿园覆盖率",
    "公办园在园幼儿占比",
    "普惠性幼儿园在园幼儿占比",
    "义务教育巩固率",
    "高中阶段毛入学率",
    "高中阶段教育毛入学率",
    "高中阶段教育入学率",
    "大班额比例",
    "超大班额",
    "班额",
    "小学班额",
    "初中班额",
    "新增学位数",
    "新建改扩建学校数",
    "新建改扩建幼儿园数",
    "新建改扩建普通高中数",
    "新建公办幼儿园数",
    "义务教育标准化学校数",
    "智慧校园试点学校数",
    "学生体质健康达标率",
    "每天体育锻炼时长",
    "近视率",
    "教师培训人数",
    "教师培训人次",
    "骨干教师培训数",
    "名师工作室数",
    "名校长工作室数",
    "教师交流比例",
    "公费师范生数",
    "职业培训人次",
    "社区教育培训人次",
    "社区学习中心覆盖率",
    "学校网络接入带宽",
    "多媒体教室覆盖率",
    "专职保安配备率",
    "封闭管理达标率",
    "一键报警联网率",
    "应急疏散演练次数",
    "学校绿化覆盖率",
    "劳动实践基地普及率",
    "厕所改造面积",
    "校舍改造面积",
    "教育经费投入",
    "生均公用经费",
    "资助学生人次",
    "特殊教育入学率",
    "残疾儿童少年入学率",
    "随迁子女入学比例",
    "课后服务覆盖率",
    "网上办事比例",
    "依法治校达标学校比例",
    "党员活动室建设比例",
    "高考本科上线率",
]

REQUIRED_TOPIC_LABELS = [
    "学前教育",
    "义务教育",
    "普通高中",
    "职业教育",
    "高等教育",
    "特殊教育",
    "民办教育",
    "终身与社区教育",
    "教师队伍",
    "党建与思想政治",
    "德育与体美劳",
    "安全与卫生",
    "教育信息化",
    "督导与评价",
    "经费与资助",
    "开放与合作",
    "教育改革与治理",
    "考试招生",
    "语言文字",
    "校园建设与学位供给",
]

UNITS = {"%", "所", "个", "人", "人次", "名", "位", "平方米", "元", "小时", "次", "节", "兆", "个百分点"}

_t2s = opencc.OpenCC("t2s")


@pytest.fixture(scope="module")
def indicators() -> Graph:
    return Graph().parse(INDICATORS_TTL, format="turtle")


@pytest.fixture(scope="module")
def topics() -> Graph:
    return Graph().parse(TOPICS_TTL, format="turtle")


@pytest.fixture(scope="module")
def rules() -> dict:
    return json.loads(TOPIC_RULES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def concepts(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)}


def top_concepts(g: Graph, scheme: URIRef) -> set[URIRef]:
    return set(g.objects(scheme, SKOS.hasTopConcept)) | set(g.subjects(SKOS.topConceptOf, scheme))


def slug(concept: URIRef, scheme: URIRef) -> str:
    return str(concept).removeprefix(str(scheme) + "/")


def zh_labels(g: Graph, concept: URIRef) -> list[str]:
    return [
        str(o)
        for p in (SKOS.prefLabel, SKOS.altLabel)
        for o in g.objects(concept, p)
        if isinstance(o, Literal) and o.language == "zh-Hans"
    ]


def topic_slugs(topics: Graph) -> set[str]:
    return {slug(c, TOPIC_SCHEME) for c in concepts(topics)}


def tag(text: str, rules: dict) -> set[str]:
    return {topic for topic, keywords in rules["topics"].items() if any(k in text for k in keywords)}


# --- both schemes ---------------------------------------------------------------------------------

SCHEMES = [("indicators", INDICATOR_SCHEME), ("topics", TOPIC_SCHEME)]


@pytest.mark.parametrize(("name", "scheme"), SCHEMES)
def test_scheme_is_declared_with_top_concepts(request, name, scheme):
    g = request.getfixturevalue(name)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    tops = top_concepts(g, scheme)
    assert tops
    for top in tops:
        assert (scheme, SKOS.hasTopConcept, top) in g
        assert (top, SKOS.topConceptOf, scheme) in g


@pytest.mark.parametrize(("name", "scheme"), SCHEMES)
def test_concept_iris_are_ascii_slugs_under_the_scheme(request, name, scheme):
    g = request.getfixturevalue(name)
    for c in concepts(g):
        assert str(c).startswith(str(scheme) + "/"), c
        assert SLUG.fullmatch(slug(c, scheme)), c


@pytest.mark.parametrize(("name", "scheme"), SCHEMES)
def test_every_concept_is_in_its_scheme(request, name, scheme):
    g = request.getfixturevalue(name)
    for c in concepts(g):
        assert set(g.objects(c, SKOS.inScheme)) == {scheme}, c


@pytest.mark.parametrize(("name", "scheme"), SCHEMES)
def test_every_concept_has_one_pref_label_and_definition_per_language(request, name, scheme):
    g = request.getfixturevalue(name)
    for c in concepts(g):
        for prop in (SKOS.prefLabel, SKOS.definition):
            langs = Counter(o.language for o in g.objects(c, prop) if isinstance(o, Literal))
            assert langs["zh-Hans"] == 1, (c, prop)
            assert langs["en"] == 1, (c, prop)
            assert set(langs) == {"zh-Hans", "en"}, (c, prop, langs)
        for o in g.objects(c, SKOS.prefLabel):
            assert str(o).strip() == str(o) and str(o), (c, o)
        for o in g.objects(c, SKOS.altLabel):
            assert o.language == "zh-Hans", (c, o)


@pytest.mark.parametrize(("name", "scheme"), SCHEMES)
def test_zh_labels_are_unique_within_the_scheme(request, name, scheme):
    g = request.getfixturevalue(name)
    owners: dict[str, set[URIRef]] = {}
    for c in concepts(g):
        labels = zh_labels(g, c)
        assert len(labels) == len(set(labels)), (c, [x for x, n in Counter(labels).items() if n > 1])
        for label in labels:
            owners.setdefault(label, set()).add(c)
    shared = {label: sorted(cs) for label, cs in owners.items() if len(cs) > 1}
    assert not shared


@pytest.mark.parametrize(("name", "scheme"), SCHEMES)
def test_chinese_text_is_simplified(request, name, scheme):
    g = request.getfixturevalue(name)
    for _, _, o in g:
        if isinstance(o, Literal) and HAN.search(str(o)):
            assert o.language in (None, "zh-Hans"), o
            assert _t2s.convert(str(o)) == str(o), o


@pytest.mark.parametrize(("name", "scheme"), SCHEMES)
def test_hierarchy_links_stay_inside_the_scheme_and_are_symmetric(request, name, scheme):
    g = request.getfixturevalue(name)
    cs = concepts(g)
    for narrower, broader in g.subject_objects(SKOS.broader):
        assert narrower in cs and broader in cs, (narrower, broader)
        assert (broader, SKOS.narrower, narrower) in g, (narrower, broader)
    for broader, narrower in g.subject_objects(SKOS.narrower):
        assert (narrower, SKOS.broader, broader) in g, (broader, narrower)


# --- indicators -----------------------------------------------------------------------------------


def test_at_least_fifty_indicators(indicators):
    measured = concepts(indicators) - top_concepts(indicators, INDICATOR_SCHEME)
    assert len(measured) >= 50


def test_indicators_are_grouped_under_a_handful_of_top_concepts(indicators):
    tops = top_concepts(indicators, INDICATOR_SCHEME)
    assert 5 <= len(tops) <= 15
    for c in concepts(indicators) - tops:
        seen, node = set(), c
        while node not in tops:
            assert node not in seen, f"broader cycle at {c}"
            seen.add(node)
            parents = list(indicators.objects(node, SKOS.broader))
            assert len(parents) == 1, (node, parents)
            node = parents[0]


def test_every_indicator_has_a_unit_hint(indicators):
    tops = top_concepts(indicators, INDICATOR_SCHEME)
    for c in concepts(indicators) - tops:
        hints = list(indicators.objects(c, KG.unitHint))
        assert len(hints) == 1, c
        hint = hints[0]
        assert isinstance(hint, Literal) and hint.language is None and hint.datatype is None, (c, hint)
        assert str(hint) in UNITS, (c, hint)
    for top in tops:
        assert (top, KG.unitHint, None) not in indicators, top


def test_required_indicators_are_labelled(indicators):
    labels = {label for c in concepts(indicators) for label in zh_labels(indicators, c)}
    missing = [label for label in REQUIRED_INDICATOR_LABELS if label not in labels]
    assert not missing


def test_class_size_has_primary_and_junior_narrower(indicators):
    def concept_of(label: str) -> URIRef:
        (c,) = indicators.subjects(SKOS.prefLabel, Literal(label, lang="zh-Hans"))
        return c

    class_size = concept_of("班额")
    for narrower in ("小学班额", "初中班额"):
        assert (concept_of(narrower), SKOS.broader, class_size) in indicators


def test_gold_indicators_named_in_the_vocabulary_agree_on_unit(indicators, gold):
    by_label = {label: c for c in concepts(indicators) for label in zh_labels(indicators, c)}
    matched = 0
    for doc in gold:
        for target in doc["targets"]:
            concept = by_label.get(_t2s.convert(target["indicator"]))
            if concept is None:
                continue
            matched += 1
            assert str(indicators.value(concept, KG.unitHint)) == target["unit"], target
    assert matched >= 30


# --- topics ---------------------------------------------------------------------------------------


def test_sixteen_to_twenty_topics(topics):
    assert 16 <= len(concepts(topics)) <= 20


def test_topics_is_a_flat_scheme(topics):
    assert concepts(topics) == top_concepts(topics, TOPIC_SCHEME)
    assert not list(topics.subject_objects(SKOS.broader))


def test_required_topics_are_pref_labels(topics):
    labels = {str(o) for o in topics.objects(None, SKOS.prefLabel) if o.language == "zh-Hans"}
    assert set(REQUIRED_TOPIC_LABELS) <= labels


# --- topic rules ----------------------------------------------------------------------------------


def test_topic_rules_cover_exactly_the_topic_slugs(topics, rules):
    assert rules["scheme"] == str(TOPIC_SCHEME)
    assert set(rules["topics"]) == topic_slugs(topics)


def test_topic_rule_keywords_are_nonempty_simplified_and_distinct(rules):
    seen: dict[str, str] = {}
    for topic, keywords in rules["topics"].items():
        assert keywords, topic
        assert len(keywords) == len(set(keywords)), topic
        for keyword in keywords:
            assert isinstance(keyword, str) and keyword.strip() == keyword and keyword, (topic, keyword)
            assert _t2s.convert(keyword) == keyword, (topic, keyword)
            assert keyword not in seen, f"{keyword} is a keyword of both {seen[keyword]} and {topic}"
            seen[keyword] = topic


def test_no_topic_keyword_contains_another_of_the_same_topic(rules):
    # the longer keyword could never match alone, and a keyword-summing score would count it twice
    for topic, keywords in rules["topics"].items():
        redundant = [(k, j) for k in keywords for j in keywords if j != k and j in k]
        assert not redundant, (topic, redundant)


def test_topic_rule_keywords_avoid_words_every_plan_uses(rules):
    generic = {"教育", "发展", "工作", "学校", "学生", "质量", "提升", "加强", "推进", "建设", "管理", "培训", "服务"}
    for topic, keywords in rules["topics"].items():
        assert not generic & set(keywords), (topic, generic & set(keywords))


def test_title_and_section_weigh_more_than_body(rules):
    weights = rules["weights"]
    assert weights["title"] > weights["text"]
    assert weights["section"] > weights["text"]
    assert weights["note"]


def test_every_gold_initiative_gets_a_topic(rules, gold):
    untagged = []
    for doc in gold:
        for initiative in doc["initiatives"]:
            text = _t2s.convert(initiative["title"] + " " + (initiative.get("section") or ""))
            if not tag(text, rules):
                untagged.append((doc["doc"], initiative["title"]))
    assert not untagged
