"""`kg eval` library: matching helpers, gold loading, reading a hand-built graph, and score() end to end."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, Namespace, URIRef

from kg import namespaces as ns  # XSD via the module: pytest's collector trips its warn-on-unknown-term
from kg.evaluate import (
    EvaluationError,
    GoldDoc,
    GoldFormatError,
    InitiativeItem,
    PredictedDoc,
    ReferenceItem,
    TargetItem,
    format_scores,
    indicators_agree,
    load_gold,
    match_multiset,
    normalise_unit,
    per_document_lines,
    read_predictions,
    score,
    strip_punctuation,
)
from kg.evaluate_read import DocFacts
from kg.namespaces import DCTERMS, DEFAULT_BASE, KG, RDF, RDFS

SEEDS_GOLD = Path(__file__).parent / "gold" / "seeds.gold.json"
ID = Namespace(DEFAULT_BASE)

# ---------------------------------------------------------------------------------------------------------
# Matching helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一、突出引领，全面加强党的统一领导", "一突出引领全面加强党的统一领导"),
        ("一、突出引领,全面加强党的统一领导", "一突出引领全面加强党的统一领导"),
        ("扎实开展“不忘初心、牢记使命”主题教育。", "扎实开展不忘初心牢记使命主题教育"),
        ('扎实开展"不忘初心、牢记使命"主题教育.', "扎实开展不忘初心牢记使命主题教育"),
        ("《民促法》", "民促法"),
        ("加快推进教育现代化实施方案(2018—2022年)", "加快推进教育现代化实施方案20182022年"),
        ("加快推进教育现代化实施方案（２０１８－２０２２年）", "加快推进教育现代化实施方案20182022年"),
        ("教育信息化2.0行动计划", "教育信息化20行动计划"),
        ("达到95%以上；不超过１０％", "达到95以上不超过10"),
        ("减负 30\u3000条\u200b", "减负30条"),
        ("≤＜+＋~～·…", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_strip_punctuation(text: str | None, expected: str) -> None:
    assert strip_punctuation(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("《教育現代化2035》", "教育现代化2035", True),
        ("《黨委(黨組)落實全面從嚴治黨主體責任規定》", "党委（党组）落实全面从严治党主体责任规定", True),
        ("中國教育現代化2035", "教育现代化2035", False),
        ("長沙教育現代化2035", "中国教育现代化2035", False),
    ],
)
def test_strip_punctuation_simplified(a: str, b: str, same: bool) -> None:
    assert (strip_punctuation(a, simplify=True) == strip_punctuation(b, simplify=True)) is same


def test_strip_punctuation_keeps_script_unless_asked() -> None:
    assert strip_punctuation("加強黨的政治建設") == "加強黨的政治建設"
    assert strip_punctuation("加強黨的政治建設", simplify=True) == "加强党的政治建设"


@pytest.mark.parametrize(
    ("unit", "expected"), [("%", "%"), ("％", "%"), (" 个 ", "个"), ("個", "个"), ("平方米", "平方米"), (None, "")]
)
def test_normalise_unit(unit: str | None, expected: str) -> None:
    assert normalise_unit(unit) == expected


@pytest.mark.parametrize(
    ("gold", "predicted", "agree"),
    [
        ("学前三年毛入园率", "学前三年毛入园率", True),
        ("学前三年毛入园率", "学前三年毛入園率", True),  # t2s
        ("学前三年毛入园率", "毛入园率", True),  # predicted inside gold
        ("新增学位数", "年内新增学位数（个）", True),  # gold inside predicted, punctuation dropped
        ("学前三年毛入园率", "义务教育巩固率", False),
        ("异地高端研修教师数", "异地高端研修的教师数", True),  # the particle 的 is not what is measured
        ("的", "", True),  # nothing left on either side
        ("建成的学校数", "建成的院校数", False),
        ("学前三年毛入园率", "", False),  # empty never contains-matches
        ("学前三年毛入园率", None, False),
        (None, None, True),
    ],
)
def test_indicators_agree(gold: str | None, predicted: str | None, agree: bool) -> None:
    assert indicators_agree(gold, predicted) is agree


def _same(x: str) -> str:
    return x


@pytest.mark.parametrize(
    ("gold", "predicted", "pairs"),
    [
        (["x"], ["x", "x"], [(0, 0)]),  # one gold item never matches two predictions
        (["x", "x"], ["x"], [(0, 0)]),
        (["a", "a", "b"], ["b", "a", "c", "b"], [(0, 1), (2, 0)]),
        ([], ["a"], []),
        (["a"], [], []),
    ],
)
def test_match_multiset(gold: list[str], predicted: list[str], pairs: list[tuple[int, int]]) -> None:
    assert match_multiset(gold, predicted, _same, _same) == pairs


def test_match_multiset_pairs_equal_keys_by_agreement() -> None:
    gold = [("k", 1), ("k", 2)]
    predicted = [("k", 2), ("k", 1)]

    def key(item: tuple[str, int]) -> str:
        return item[0]

    def agree(g: tuple[str, int], p: tuple[str, int]) -> int:
        return int(g[1] == p[1])

    assert match_multiset(gold, predicted, key, key) == [(0, 0), (1, 1)]
    assert match_multiset(gold, predicted, key, key, agree) == [(0, 1), (1, 0)]


def _targets_only(gold: list[TargetItem], predicted: list[TargetItem]):
    return score(
        {"t.txt": GoldDoc(doc="t.txt", targets=tuple(gold))},
        {"t.txt": PredictedDoc(doc="t.txt", targets=tuple(predicted))},
    )


@pytest.mark.parametrize(
    ("value", "unit", "matched"),
    [
        (Decimal("10000"), "个", True),
        (Decimal("1") * 10000, "个", True),  # 1万 scaled
        (Decimal("1.0") * Decimal("1E4"), "个", True),
        (Decimal("1E+4"), "個", True),
        (Decimal("10000.00"), " 个", True),
        (Decimal("1000"), "个", False),
        (Decimal("10000"), "所", False),
        (None, "个", False),
    ],
)
def test_targets_match_on_value_and_unit(value: Decimal | None, unit: str, matched: bool) -> None:
    gold = TargetItem(value=Decimal(10000), unit="个", comparator="=")
    scores = _targets_only([gold], [TargetItem(value=value, unit=unit, comparator="=")])
    assert scores.targets.tp == int(matched)


def test_percent_target_matches_full_width_percent() -> None:
    gold = TargetItem(value=Decimal("95.0"), unit="%")
    assert _targets_only([gold], [TargetItem(value=Decimal(95), unit="％")]).targets.tp == 1


# ---------------------------------------------------------------------------------------------------------
# Gold files


def test_load_gold_seeds() -> None:
    gold = load_gold(SEEDS_GOLD)
    assert next(iter(gold)) == "000_ca6428d64397fc28.txt"
    first = gold["000_ca6428d64397fc28.txt"]
    assert (first.government_adcode, first.government_name, first.plan_year) == ("441800", "清远市", 2018)
    assert first.initiatives[0] == InitiativeItem(
        title="以学习贯彻党的十九大精神和新党章为重点,扎实开展“不忘初心、牢记使命”主题教育",
        number=1,
        section="一、突出引领,全面加强党的统一领导",
    )
    assert all(isinstance(t.value, Decimal) for doc in gold.values() for t in doc.targets)


def _write(tmp_path: Path, data: object | str) -> Path:
    path = tmp_path / "g.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _entry(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "doc": "a.txt",
        "government": {"name": "清远市", "adcode": "441800"},
        "plan_year": 2018,
        "published": None,
        "initiatives": [{"section": None, "number": 1, "title": "甲"}],
        "policy_references": [
            {"canonical": "乙", "tier": "A", "scope": "national", "relation": "implements", "initiative": "甲"}
        ],
        "targets": [
            {"indicator": "丙", "comparator": ">=", "value": 95.5, "unit": "%", "deadline": None, "initiative": 1}
        ],
    }
    entry.update(changes)
    return entry


def test_load_gold_minimal_entry(tmp_path: Path) -> None:
    gold = load_gold(_write(tmp_path, [_entry()]))
    assert gold["a.txt"].targets[0].value == Decimal("95.5")
    assert gold["a.txt"].references[0].initiative == "甲"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{", "g.json:1:3: not valid JSON: "),
        ({"doc": "a.txt"}, "g.json: expected a JSON list of documents, got an object"),
        (["a.txt"], "g.json: entry 1: must be an object, got a string"),
        ([{"government": {}}], "g.json: entry 1: doc is missing"),
        ([_entry(plan_year="2018")], "g.json: entry 1 (a.txt): plan_year must be an integer or null, got a string"),
        ([_entry(plan_year=True)], "plan_year must be an integer or null, got a boolean"),
        ([_entry(government={"name": "x", "adcode": "4418"})], "government.adcode must be six digits or null"),
        ([_entry(initiatives=[{"number": 1, "section": None}])], "entry 1 (a.txt): initiatives[0].title is missing"),
        ([_entry(initiatives=["甲"])], "initiatives[0] must be an object, got a string"),
        (
            [_entry(policy_references=[{"canonical": "乙", "tier": "C", "scope": "national", "relation": "drafts"}])],
            "policy_references[0].tier must be one of A, B, got 'C'",
        ),
        (
            [_entry(targets=[{"indicator": "丙", "comparator": "≥", "value": 1, "unit": "%", "deadline": None}])],
            "targets[0].comparator must be one of >=, <=, =, got '≥'",
        ),
        (
            [_entry(targets=[{"indicator": "丙", "comparator": "=", "value": "1万", "unit": "个", "deadline": None}])],
            "targets[0].value must be an integer or a number, got a string",
        ),
        ([_entry(), _entry()], "g.json: entry 2 (a.txt): document 'a.txt' appears twice"),
    ],
)
def test_load_gold_errors(tmp_path: Path, content: object, message: str) -> None:
    with pytest.raises(GoldFormatError) as err:
        load_gold(_write(tmp_path, content))
    assert message in str(err.value)
    assert str(err.value).startswith(str(tmp_path / "g.json"))


def test_load_gold_unreadable(tmp_path: Path) -> None:
    with pytest.raises(GoldFormatError, match=r"missing\.json: cannot read gold file: No such file"):
        load_gold(tmp_path / "missing.json")
    bad = tmp_path / "gbk.json"
    bad.write_bytes(b"[]" + "清远".encode("gbk"))
    with pytest.raises(GoldFormatError, match=r"gbk\.json: not UTF-8 \(byte offset 2\)"):
        load_gold(bad)


# ---------------------------------------------------------------------------------------------------------
# A hand-built graph, following docs/rdf-model.md


def _gov(graph, adcode: str, name: str) -> URIRef:
    gov = ID[f"government/{adcode}"]
    graph.add((gov, RDF.type, KG.Government))
    graph.add((gov, RDFS.label, Literal(name, lang="zh-Hans")))
    graph.add((gov, KG.adcode, Literal(adcode)))
    return gov


def _plan(ds: Dataset, doc: str, year: str, gov: tuple[str, str]):
    graph = ds.graph(ID[f"graph/{doc}"])
    plan = ID[f"plan/{doc}"]
    graph.add((plan, RDF.type, KG.WorkPlan))
    graph.add((plan, DCTERMS.source, Literal(f"{doc}.txt")))
    graph.add((plan, KG.planYear, Literal(year, datatype=ns.XSD.gYear)))
    graph.add((plan, KG.issuedBy, _gov(graph, *gov)))
    return graph, plan


def _section(graph, plan: URIRef, n: int, label: str) -> URIRef:
    section = URIRef(f"{plan}/section/{n}")
    graph.add((section, RDF.type, KG.Section))
    graph.add((section, RDFS.label, Literal(label)))
    graph.add((section, KG.position, Literal(n)))
    graph.add((section, KG.partOf, plan))
    return section


def _initiative(graph, plan: URIRef, position: int, label: str, number: int, section: URIRef) -> URIRef:
    ini = URIRef(f"{plan}/initiative/{position}")
    graph.add((ini, RDF.type, KG.Initiative))
    graph.add((ini, KG.partOf, plan))
    graph.add((ini, RDFS.label, Literal(label)))
    graph.add((ini, KG.number, Literal(number)))
    graph.add((ini, KG.position, Literal(position)))
    graph.add((ini, KG.inSection, section))
    return ini


def _reference(graph, plan, ini, key, canonical, surface, tier, relation, scope) -> None:
    ref, policy = URIRef(f"{plan}/reference/{key}"), ID[f"policy/{key}"]
    graph.add((ini, KG.hasPolicyReference, ref))
    graph.add((ref, RDF.type, KG.PolicyReference))
    graph.add((ref, KG.cites, policy))
    graph.add((ref, KG.relation, relation))
    graph.add((ref, KG.surfaceForm, Literal(surface)))
    graph.add((ref, KG.tier, Literal(tier)))
    graph.add((policy, RDF.type, KG.Policy))
    graph.add((policy, RDFS.label, Literal(canonical, lang="zh-Hans")))
    graph.add((policy, KG.scope, scope))


def _target(graph, ini, k, statement, indicator, comparator, value, unit, deadline=None) -> None:
    target = URIRef(f"{ini}/target/{k}")
    graph.add((ini, KG.hasTarget, target))
    graph.add((target, RDF.type, KG.Target))
    graph.add((target, KG.statement, Literal(statement)))
    graph.add((target, KG.indicator, Literal(indicator, lang="zh-Hans")))
    graph.add((target, KG.comparator, comparator))
    graph.add((target, KG.value, Literal(value, datatype=ns.XSD.decimal)))
    graph.add((target, KG.unit, Literal(unit)))
    if deadline:
        graph.add((target, KG.deadline, Literal(deadline, datatype=ns.XSD.gYear)))


def build_dataset(default_union: bool = True) -> Dataset:
    ds = Dataset(default_union=default_union)

    graph, plan = _plan(ds, "a", "2018", ("441800", "清远市"))
    graph.add((plan, DCTERMS.issued, Literal("2018-04-06", datatype=ns.XSD.date)))
    sec = _section(graph, plan, 1, "一、突出引领，全面加强党的统一领导")
    ini1 = _initiative(graph, plan, 1, "全面加强教育系统 党的建设", 1, sec)
    _initiative(graph, plan, 2, "切实加强党风建设", 2, sec)  # gold: 切实加强党风廉政建设
    _reference(
        graph, plan, ini1, "k1", "中國教育現代化2035", "《教育現代化2035》", "A", KG.Implements, KG.NationalScope
    )
    _target(graph, ini1, 1, "年内新增1万个学位", "学位数", KG.Exactly, "10000", "个", "2018")

    graph, plan = _plan(ds, "b", "2022", ("610202", "王益区"))
    sec1 = _section(graph, plan, 1, "一、堅持黨建領航，提升黨的建設質量")
    sec2 = _section(graph, plan, 2, "二、深化教育改革，不斷激發辦學活力")
    ini1 = _initiative(graph, plan, 1, "加強黨的政治建設", 3, sec1)
    ini2 = _initiative(graph, plan, 2, "提升基層黨建水平", 2, sec2)
    _reference(
        graph, plan, ini2, "k2", "教育信息化2.0行动计划", "教育信息化2.0行动计划", "B", KG.Drafts, KG.MunicipalScope
    )
    _target(graph, ini1, 1, "毛入園率達到95%", "毛入園率", KG.AtLeast, "95", "％")
    _target(graph, ini2, 1, "新建2所", "新建学校数", KG.Exactly, "2", "所")
    return ds


def build_gold() -> dict[str, GoldDoc]:
    sec_a = "一、突出引领,全面加强党的统一领导"
    sec_b = "一、堅持黨建領航,提升黨的建設質量"
    a = GoldDoc(
        doc="a.txt",
        government_adcode="441800",
        government_name="清远市",
        plan_year=2018,
        initiatives=(
            InitiativeItem("全面加强教育系统党的建设", 1, sec_a),
            InitiativeItem("切实加强党风廉政建设", 2, sec_a),
        ),
        references=(
            ReferenceItem("中国教育现代化2035", "A", "implements", "national"),
            ReferenceItem("学前教育第三期行动计划", "B", "implements", "national"),
        ),
        targets=(TargetItem(Decimal(10000), "个", "=", 2018, "新增学位数"),),
    )
    b = GoldDoc(
        doc="b.txt",
        government_adcode="610204",
        government_name="耀州区",
        plan_year=2021,
        initiatives=(
            InitiativeItem("加強黨的政治建設", 1, sec_b),
            InitiativeItem("提升基層黨建水平", 2, sec_b),
            InitiativeItem("強化黨風行風建設", 3, sec_b),
        ),
        references=(ReferenceItem("教育信息化2.0行动计划", "A", "implements", "national"),),
        targets=(TargetItem(Decimal("95.0"), "%", ">=", 2022, "学前三年毛入园率"),),
    )
    return {"a.txt": a, "b.txt": b}


@pytest.mark.parametrize("default_union", [True, False])
def test_read_predictions(default_union: bool) -> None:
    predicted = read_predictions(build_dataset(default_union))
    assert sorted(predicted) == ["a.txt", "b.txt"]
    a = predicted["a.txt"]
    assert a == PredictedDoc(
        doc="a.txt",
        government_adcode="441800",
        government_name="清远市",
        plan_year=2018,
        published="2018-04-06",
        initiatives=(
            InitiativeItem("全面加强教育系统 党的建设", 1, "一、突出引领，全面加强党的统一领导"),
            InitiativeItem("切实加强党风建设", 2, "一、突出引领，全面加强党的统一领导"),
        ),
        references=(
            ReferenceItem("中國教育現代化2035", "A", "implements", "national", "《教育現代化2035》", initiative=1),
        ),
        targets=(TargetItem(Decimal(10000), "个", "=", 2018, "学位数", "年内新增1万个学位", initiative=1),),
        plan=str(ID["plan/a"]),
    )
    b = predicted["b.txt"]
    assert (b.plan_year, b.published, b.government_adcode) == (2022, None, "610202")
    assert [t.value for t in b.targets] == [Decimal(95), Decimal(2)]
    assert [(t.comparator, t.deadline, t.initiative) for t in b.targets] == [(">=", None, 3), ("=", None, 2)]
    assert b.references[0].scope == "municipal" and b.references[0].relation == "drafts"


def test_read_predictions_empty_parts() -> None:
    ds = Dataset(default_union=True)
    _plan(ds, "c", "2020", ("130200", "唐山市"))
    assert read_predictions(ds)["c.txt"] == PredictedDoc(
        doc="c.txt", government_adcode="130200", government_name="唐山市", plan_year=2020, plan=str(ID["plan/c"])
    )


def test_read_predictions_rejects_shared_source() -> None:
    ds = build_dataset()
    ds.graph(ID["graph/a"]).add((ID["plan/b"], DCTERMS.source, Literal("a.txt")))
    ds.graph(ID["graph/b"]).remove((ID["plan/b"], DCTERMS.source, Literal("b.txt")))
    with pytest.raises(EvaluationError, match=r"both have dcterms:source 'a\.txt'"):
        read_predictions(ds)


def _prf(m) -> tuple:
    return (m.precision, m.recall, m.f1, m.tp, m.fp, m.fn)


def _acc(m) -> tuple[int, int]:
    return (m.correct, m.total)


def test_score_end_to_end() -> None:
    scores = score(build_gold(), read_predictions(build_dataset()))
    assert (scores.missing_docs, scores.extra_docs) == ([], [])
    assert _acc(scores.government) == (1, 2)  # b: 610202 predicted, 610204 gold
    assert _acc(scores.plan_year) == (1, 2)  # b: 2022 vs 2021
    assert _acc(scores.initiative_count) == (1, 2)  # b: 2 vs 3
    # a: 1 of 2 titles right; b: 2 predicted, both right, of 3
    assert _prf(scores.initiatives) == (3 / 4, 3 / 5, pytest.approx(2 / 3), 3, 1, 2)
    assert _acc(scores.initiative_section) == (2, 3)  # b: 提升基層黨建水平 under the wrong section
    assert _acc(scores.initiative_number) == (2, 3)  # b: 加強黨的政治建設 numbered 3
    assert _prf(scores.references) == (1.0, 2 / 3, pytest.approx(0.8), 2, 0, 1)
    # tier A: the one predicted tier-A ref matched; both gold tier-A refs found (b's under tier B)
    assert _prf(scores.references_tier_a) == (1.0, 1.0, 1.0, 1, 0, 0)
    # tier B: b's predicted tier-B ref matched (its gold is tier A); a's gold tier-B ref missed
    m = scores.references_tier_b
    assert (m.precision, m.recall, m.f1, m.predicted_matched, m.gold_matched, m.fp, m.fn) == (1.0, 0.0, 0.0, 1, 0, 0, 1)
    assert _acc(scores.reference_tier) == (1, 2)
    assert _acc(scores.reference_relation) == (1, 2)
    assert _acc(scores.reference_scope) == (1, 2)
    # a: 10000 个 matched; b: 95 ％ matched, 2 所 extra
    assert _prf(scores.targets) == (2 / 3, 1.0, pytest.approx(0.8), 2, 1, 0)
    assert _acc(scores.target_comparator) == (2, 2)
    assert _acc(scores.target_deadline) == (1, 2)  # b: none predicted, 2022 in gold
    assert _acc(scores.target_indicator) == (2, 2)  # 学位数 ⊂ 新增学位数; 毛入園率 → 毛入园率 ⊂ 学前三年毛入园率

    a, b = scores.documents
    assert (a.doc, a.predicted, a.government, a.plan_year) == ("a.txt", True, True, True)
    assert (_prf(a.initiatives)[:2], _prf(b.initiatives)[:2]) == ((0.5, 0.5), (1.0, 2 / 3))
    assert (b.government, b.plan_year) == (False, False)

    assert per_document_lines(scores) == [
        "a.txt  gov ok  year ok  initiatives P 0.500 R 0.500  refs P 1.000 R 0.500  targets P 1.000 R 1.000",
        "b.txt  gov WRONG  year WRONG  initiatives P 1.000 R 0.667  refs P 1.000 R 1.000  targets P 0.500 R 1.000",
    ]
    table = format_scores(scores).splitlines()
    assert table[0] == "documents: 2 gold, 0 without prediction, 0 predicted but not in the gold (ignored)"
    assert "government             acc 0.500  1/2" in table
    assert "initiatives            P 0.750  R 0.600  F1 0.667  TP 3  FP 1  FN 2" in table
    assert "references.tier_B      P 1.000  R 0.000  F1 0.000  TP 1 (gold 0)  FP 0  FN 1" in table
    assert len(table) == 1 + len(scores.measures())

    data = json.loads(json.dumps(scores.as_dict()))
    assert data["measures"]["targets"] == {"precision": 2 / 3, "recall": 1.0, "f1": 0.8, "tp": 2, "fp": 1, "fn": 0}
    assert data["measures"]["references.tier_B"]["tp_gold"] == 0
    assert data["per_document"][1]["government"] is False


def test_score_missing_and_extra_documents() -> None:
    gold = build_gold()
    gold["d.txt"] = GoldDoc(doc="d.txt", initiatives=(InitiativeItem("甲"),))  # null government and year
    predicted = read_predictions(build_dataset())
    predicted["seeds/b.txt"] = dataclasses.replace(predicted.pop("b.txt"), doc="seeds/b.txt")  # path-like source
    predicted["c.txt"] = PredictedDoc(doc="c.txt", initiatives=(InitiativeItem("甲"),))
    scores = score(gold, predicted)
    assert (scores.missing_docs, scores.extra_docs) == (["d.txt"], ["c.txt"])
    assert _acc(scores.government) == (1, 3)  # d is all-missed although empty would equal its nulls
    assert _acc(scores.plan_year) == (1, 3)
    assert _prf(scores.initiatives)[3:] == (3, 1, 3)
    assert per_document_lines(scores)[2] == "d.txt  not in the predictions"


def test_score_government_without_adcode() -> None:
    gold = {"x": GoldDoc(doc="x", government_name="王益區")}
    for predicted, ok in [
        (PredictedDoc(doc="x", government_name="王益区"), True),
        (PredictedDoc(doc="x", government_name="耀州区"), False),
        (PredictedDoc(doc="x", government_adcode="610202", government_name="王益区"), False),
    ]:
        assert score(gold, {"x": predicted}).government.correct == int(ok)


def test_score_of_nothing_is_undefined_not_zero() -> None:
    scores = score({"x": GoldDoc(doc="x")}, {"x": PredictedDoc(doc="x")})
    assert (scores.targets.precision, scores.targets.recall, scores.targets.f1) == (None, None, None)
    assert scores.target_comparator.value is None
    assert "targets                P n/a  R n/a  F1 n/a  TP 0  FP 0  FN 0" in format_scores(scores)


# ---------------------------------------------------------------------------------------------------------
# The real gold against itself


def test_seeds_gold_scores_perfectly_against_itself() -> None:
    gold = load_gold(SEEDS_GOLD)
    predicted = {
        key: PredictedDoc(**{f.name: getattr(doc, f.name) for f in dataclasses.fields(DocFacts)})
        for key, doc in gold.items()
    }
    scores = score(gold, predicted)
    assert (scores.missing_docs, scores.extra_docs) == ([], [])
    for name, measure in scores.measures():
        values = [measure.value] if hasattr(measure, "value") else [measure.precision, measure.recall, measure.f1]
        assert values == [1.0] * len(values), name
    assert scores.initiatives.tp == sum(len(doc.initiatives) for doc in gold.values())
    assert scores.references_tier_a.tp + scores.references_tier_b.tp == scores.references.tp
    assert all(line.count("1.000") == 6 for line in per_document_lines(scores))


# ---------------------------------------------------------------------------------------------------------
# The extractor on the seeds: the goals of the issues, as `kg eval` scores them


@pytest.mark.parametrize(
    ("measure", "field", "floor"),
    [
        ("government", "accuracy", 1.0),
        ("plan_year", "accuracy", 1.0),
        ("initiatives", "f1", 0.95),
        ("references.tier_A", "f1", 0.95),
        ("references.tier_B", "f1", 0.9),
        ("targets", "f1", 0.9),
        ("targets.comparator", "accuracy", 0.95),
        ("targets.deadline", "accuracy", 0.95),
        ("targets.indicator", "accuracy", 0.85),
    ],
)
def test_seed_build_meets_the_goals(seed_build, measure: str, field: str, floor: float) -> None:
    out, _ = seed_build
    dataset = Dataset()
    dataset.parse(out / "graph.trig", format="trig")
    measures = score(load_gold(SEEDS_GOLD), read_predictions(dataset)).as_dict()["measures"]
    assert measures[measure][field] >= floor, measures[measure]


def test_seeds_without_line_breaks_keep_precise_work_items(tmp_path) -> None:
    """A page copied as one paragraph loses every line break; the items read from inline markers must still be
    the gold's (precision), and most of the numbered plans' items must be found."""
    from kg.build import BuildOptions, build

    corpus = tmp_path / "run-on"
    corpus.mkdir()
    for path in sorted((Path(__file__).parent.parent / "seeds").glob("*.txt")):
        (corpus / path.name).write_text(path.read_text("utf-8").replace("\n", ""), "utf-8")
    build([corpus], BuildOptions(out_dir=tmp_path / "out", run_validation=False, write_store=False))
    dataset = Dataset()
    dataset.parse(tmp_path / "out" / "graph.trig", format="trig")
    measures = score(load_gold(SEEDS_GOLD), read_predictions(dataset)).as_dict()["measures"]
    assert measures["initiatives"]["precision"] == 1.0
    assert measures["initiatives"]["recall"] >= 0.5
    assert measures["targets"]["precision"] == 1.0
