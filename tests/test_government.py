"""The issuing government: the gazetteer, then resolution on small hand-written plans and on the seeds.

Documents are built here directly (OpenCC t2s, which is length-preserving on these texts) so that these tests
depend on nothing but the records, the gazetteer and the resolver.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.gazetteer import chain, division, find_names, load_gazetteer
from kg.government import resolve_government
from kg.government_evidence import dominant_suffix, load_patterns, self_references
from kg.records import AdminLevel, DocumentStructure, NormalisedDocument, Script, SourceDocument, Span

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds.gold.json"
_T2S = opencc.OpenCC("t2s.json")


def make_document(text: str, doc_id: str = "t") -> tuple[NormalisedDocument, DocumentStructure]:
    """A document and a minimal structure: the first non-empty line as title, the body from offset 0."""
    raw = text.encode("utf-8")
    source = SourceDocument(
        doc_id, f"{doc_id}.txt", None, hashlib.sha256(raw).hexdigest(), len(raw), "text/plain", "utf-8",
        "strict-utf-8", text,
    )  # fmt: skip
    normalised = _T2S.convert(text)
    assert len(normalised) == len(text), "t2s changed the length; the test text needs another wording"
    script = Script.SIMPLIFIED if normalised == text else Script.TRADITIONAL
    title = None
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            start = offset + len(line) - len(line.lstrip())
            title = Span(start, start + len(line.strip()))
            break
        offset += len(line)
    return NormalisedDocument(source, normalised, script), DocumentStructure(title, (), (), (), 0)


def resolve(text: str):
    return resolve_government(*make_document(text))


# --- gazetteer -----------------------------------------------------------------------------------------------


def test_gazetteer_joins_almost_every_county() -> None:
    gazetteer = load_gazetteer()
    stats = gazetteer.stats
    assert stats.counties > 2800
    assert len(stats.failed) <= 30, stats.failed  # merged or renamed since pyunit's year (闸北区, 崇安区 …)
    assert stats.exact + stats.fuzzy + len(stats.failed) == stats.counties
    assert stats.towns > 38000


@pytest.mark.parametrize(
    ("adcode", "names", "level"),
    [
        ("610202", ["王益区", "铜川市", "陕西省"], AdminLevel.DISTRICT),
        ("441800", ["清远市", "广东省"], AdminLevel.CITY),
        ("110101", ["东城区", "北京市"], AdminLevel.DISTRICT),  # a municipality's district: parent is the city
        ("110000", ["北京市"], AdminLevel.PROVINCE),
        ("429004", ["仙桃市", "湖北省"], AdminLevel.COUNTY),  # 省直辖 county-level city
        ("222400", ["延边朝鲜族自治州", "吉林省"], AdminLevel.CITY),
        ("130225", ["乐亭县", "唐山市", "河北省"], AdminLevel.COUNTY),
    ],
)
def test_chain(adcode: str, names: list[str], level: AdminLevel) -> None:
    assert [d.name for d in chain(adcode)] == names
    assert division(adcode).level is level
    assert division(adcode).full_name == "".join(reversed(names))


def test_unknown_adcode_names_the_source() -> None:
    with pytest.raises(KeyError, match="999999"):
        division("999999")


@pytest.mark.parametrize(
    ("text", "key", "adcode"),
    [
        ("广东教育", "广东", "440000"),
        ("清远教育", "清远", "441800"),
        ("延边州教育", "延边州", "222400"),
        ("延边教育", "延边", "222400"),
        ("内蒙古教育", "内蒙古", "150000"),
        ("锦州市委", "锦州市", "210700"),
        ("长阳县教育", "长阳县", "420528"),  # 长阳土家族自治县 as usually written
    ],
)
def test_division_keys(text: str, key: str, adcode: str) -> None:
    hits = [h for h in find_names(text) if h.divisions]
    assert [h.key for h in hits] == [key]
    assert adcode in hits[0].divisions


@pytest.mark.parametrize("text", ["王益教育", "朝阳产业", "城区学校", "照金北梁", "延安精神"])
def test_no_division_for_common_words_and_county_short_forms(text: str) -> None:
    assert not [h for h in find_names(text) if h.divisions]


@pytest.mark.parametrize(
    ("text", "key", "kind"),
    [
        ("黄堡镇逸夫小学", "黄堡镇", "town"),
        ("王家河中心幼儿园", "王家河", "town"),
        ("红旗街小学", "红旗街", "street"),
        ("七一路小学", "七一路", "street"),
    ],
)
def test_town_keys(text: str, key: str, kind: str) -> None:
    (hit,) = find_names(text)
    assert (hit.key, hit.place_kind) == (key, kind)
    assert "610202" in hit.places


def test_longest_name_wins() -> None:
    assert [h.key for h in find_names("北京市朝阳区")] == ["北京市", "朝阳区"]


# --- self-reference -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        ("全市教育工作。我市学校。市委、市政府。全省教育大会。", "市"),
        ("全区教育工作。区委、区政府。全市教育大会。", "区"),
        ("全县教育工作。我县学校。县委、县政府。", "县"),
        ("建设安全区。社区委员会。健全市场。全区域。", None),  # look-alikes only
        ("全市教育。全区教育。", None),  # no level dominates
    ],
)
def test_dominant_self_reference(text: str, suffix: str | None) -> None:
    pats = load_patterns(load_gazetteer())
    assert dominant_suffix(self_references(text, 0, None, pats)) == suffix


# --- resolution on hand-written plans ------------------------------------------------------------------------

BODY = "全面贯彻党的教育方针,落实立德树人根本任务。"


@pytest.mark.parametrize(
    ("case", "text", "adcode", "inferred"),
    [
        ("city named in title", f"清远市2018年教育工作要点\n\n全市教育工作:{BODY}我市教育。", "441800", False),
        (
            "district named only in body",
            f"2020年教育工作要点\n\n全区教育工作:{BODY}王益区各中小学要……王益区教育系统。区委、区政府部署。",
            "610202",
            False,
        ),
        (
            "same-name district, Beijing by its city",
            f"朝阳区教育委员会2020年工作要点\n\n贯彻北京市教育大会精神,全区{BODY}全区学校。",
            "110105",
            False,
        ),
        (
            "same-name district, Changchun by its province",
            f"朝阳区教育局2020年工作计划\n\n落实吉林省教育大会精神,全区{BODY}全区学校。",
            "220104",
            False,
        ),
        (
            "inferred from two towns",
            f"教育工作要点\n\n全区教育工作:{BODY}建成黄堡镇中心小学综合楼,完成七一路小学改造。全区学校。",
            "610202",
            True,
        ),
        (
            "towns in a city plan give the city",
            f"教育工作要点\n\n全市教育工作:{BODY}建成黄堡镇中心小学,完成七一路小学改造。我市学校。",
            "610200",
            True,
        ),
        (
            "towns outvote a partner named in the body",
            f"教育工作要点\n\n全区{BODY}与碑林区结对帮扶,碑林区名校。黄堡镇中心小学,七一路小学,王家河幼儿园。全区学校。",
            "610202",
            True,
        ),
        (
            "province abbreviation alone gives the province",
            f"教育工作要点\n\n深入学习来陕考察重要讲话精神,全区{BODY}全区学校。",
            "610000",
            True,
        ),
        (
            "a city named in passing, without self-reference, stays unresolved",
            f"教育工作要点\n\n{BODY}北京市海淀区某校来访,北京市专家讲座。",
            None,
            False,
        ),
        (
            "a county-level city speaks of itself as 全市",
            f"教育工作要点\n\n全市{BODY}英德市各镇学校,英德市教师。我市学校。",
            "441881",
            False,
        ),
        (
            "a plan that speaks of its counties is not a county-level city's",
            f"教育工作要点\n\n全市{BODY}英德市学校,英德市教师。督促各县(市、区)落实,各县(市、区)学校。我市学校。",
            None,
            False,
        ),
        ("no evidence stays unresolved", f"教育工作要点\n\n全区教育工作:{BODY}区委、区政府。", None, False),
        (
            "two towns that share no province stay unresolved",
            f"教育工作要点\n\n全区{BODY}黄堡镇中心小学,双营子学校。全区学校。",
            None,
            False,
        ),
        (
            "traditional characters via the normalised text",
            f"錦州市教育局2019年工作計劃\n\n全市教育工作:{BODY}我市學校。",
            "210700",
            False,
        ),
    ],
)
def test_resolution(case: str, text: str, adcode: str | None, inferred: bool) -> None:
    result = resolve(text)
    assert (result.division.adcode if result.division else None) == adcode, case
    assert result.inferred is inferred
    if adcode is None:
        assert result.chain == () and result.surface is None
    else:
        assert result.chain[0].adcode == adcode
        assert (result.surface is None) is inferred
    for evidence in result.evidence:
        assert evidence.span.end <= len(text)


def test_single_ambiguous_town_is_at_most_a_city() -> None:
    result = resolve(f"教育工作要点\n\n全区{BODY}红旗街小学综合楼。全区学校。")
    assert result.division is None or result.division.level in (AdminLevel.CITY, AdminLevel.PROVINCE)


def test_province_abbreviation_is_never_more_than_a_province() -> None:
    result = resolve(f"教育工作要点\n\n来陕考察,来陕调研,在陕办学。全区{BODY}全区学校。")
    assert result.division is not None and result.division.level is AdminLevel.PROVINCE
    assert [e.key for e in result.evidence] == ["来陕", "在陕"]  # each distinct piece once


def test_surface_and_body_point_at_the_printed_text() -> None:
    text = f"錦州市教育局2019年工作計劃\n\n全市{BODY}"
    result = resolve(text)
    assert result.surface is not None and result.surface.quote(text) == "錦州市"
    assert result.body == "錦州市教育局" and result.body_span == Span(0, 6)


def test_body_without_a_place_name() -> None:
    text = f"教育科技體育局教育工作要點\n\n全區{BODY}"
    result = resolve(text)
    assert result.body == "教育科技體育局" and result.body_span == Span(0, 7)


def test_source_line_names_the_body() -> None:
    text = f"2019年工作计划\n发布时间:2019-01-22\n来源:长沙市教育局\n\n我市{BODY}全市学校。"
    result = resolve(text)
    assert result.division is not None and result.division.adcode == "430100"
    assert result.body == "长沙市教育局"


def test_town_name_inside_an_ordinary_word_is_not_evidence() -> None:
    result = resolve(f"教育工作要点\n\n全区{BODY}推动振兴乡村教育,振兴乡村学校。全区学校。")
    assert result.division is None
    assert not [e for e in result.evidence if e.kind in ("town", "street")]


@pytest.mark.parametrize("text", ["", "\n\n", "市", "全区", "陕", "来陕考察", "黄堡镇" * 50, "区委区政府" * 20])
def test_odd_text(text: str) -> None:
    result = resolve(text)
    assert result.division is None or result.chain[0] == result.division


# Characters that make up names, self-references and departments, so that random text hits the rules.
_ALPHABET = "全我本市区县省旗州委政府教育局体科技陕来考察黄堡镇王家河红旗街七一路清远锦州北京朝阳乡村振兴,。\n "


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_never_crashes_and_spans_stay_inside(text: str) -> None:
    result = resolve(text)
    for evidence in result.evidence:
        assert 0 <= evidence.span.start < evidence.span.end <= len(text)
    if result.division is not None:
        assert result.chain[0] == result.division and result.chain[-1].parent is None
    if result.body_span is not None:
        assert result.body_span.quote(text) == result.body


# --- seeds ---------------------------------------------------------------------------------------------------


def _gold() -> dict[str, dict]:
    return {entry["doc"]: entry["government"] for entry in json.loads(GOLD.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("name", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_matches_gold(name: str) -> None:
    gold = _gold()[name]
    text = (SEEDS / name).read_text(encoding="utf-8")
    result = resolve_government(*make_document(text, name.removesuffix(".txt")))
    assert result.division is not None and result.division.adcode == gold["adcode"]
    assert result.division.level.value == gold["level"]
    assert result.division.full_name == gold["full_name"]
    assert result.inferred is gold["inferred"]
    if gold["body"] is not None and result.body is not None:
        assert _T2S.convert(result.body) == gold["body"]


def test_seed_001_is_inferred_from_its_towns() -> None:
    text = (SEEDS / "001_d5df2cb18e06d54f.txt").read_text(encoding="utf-8")
    result = resolve(text)
    assert result.division is not None and result.division.name == "王益区"
    assert result.inferred and result.surface is None
    printed = {(e.kind, e.span.quote(text)) for e in result.evidence}
    assert {("town", "黃堡鎮"), ("street", "七一路"), ("street", "紅旗街"), ("town", "王家河")} <= printed
    assert ("province-abbreviation", "來陜") in printed
    assert ("self-reference", "全區") in printed
    assert result.body == "教育科技體育局"
