"""Policy references on small hand-written clauses: tiers, canonical titles, relation, scope, exclusions."""

from __future__ import annotations

import pytest
from conftest import ROOT, SEEDS

from kg.government import resolve_government
from kg.normalise import normalise
from kg.policy_names import clean_title, load_catalogue, title_key
from kg.read import decode_document
from kg.references import extract_references
from kg.structure import segment

PREAMBLE = "长沙市教育局2019年工作计划\n\n一、加强规划\n\n"


def refs(body: str, preamble: str = PREAMBLE):
    text = preamble + body
    doc = normalise(decode_document(text.encode("utf-8"), name="t.txt", media_type="text/plain"))
    structure = segment(doc)
    found = extract_references(doc, structure, resolve_government(doc, structure))
    return {r.canonical: r for r in found}, text


@pytest.mark.parametrize(
    ("clause", "canonical", "tier"),
    [
        ("1.全面落实《教育現代化2035》。内容。", "中国教育现代化2035", "A"),
        ("1.结合新《民促法》的实施,加强管理。内容。", "中华人民共和国民办教育促进法", "A"),
        ("1.贯彻《国家通用语言文字法》。内容。", "中华人民共和国国家通用语言文字法", "A"),
        ("1.落实《中国教育现代化 2035》精神。内容。", "中国教育现代化2035", "A"),
        ("1.落实《关于〈中小学德育工作指南〉的实施意见》。内容。", "关于〈中小学德育工作指南〉的实施意见", "A"),
        ("1.深入实施“乡村教师支持计划”。内容。", "乡村教师支持计划", "B"),
        ("1.狠抓教育部“减负30条”的贯彻落实。内容。", "中小学生减负措施", "B"),
        ("1.深入实施教育信息化2.0行动计划。内容。", "教育信息化2.0行动计划", "B"),
        ("1.大力推进学前教育第三期行动计划。内容。", "第三期学前教育行动计划", "B"),
        ("1.组织好国培计划项目申报。内容。", "国培计划", "B"),
        ("1.制定集团化办学实施方案,开展试点。内容。", "集团化办学实施方案", "B"),
        ("1.研究制定普通高中选课走班教学管理指导意见。内容。", "普通高中选课走班教学管理指导意见", "B"),
        ("1.实施“创优”“提质”工程,推动资源倍增。内容。", "创优提质工程", "B"),
    ],
)
def test_reference_found_with_canonical_title(clause, canonical, tier):
    found, _ = refs(clause)
    assert canonical in found, sorted(found)
    assert found[canonical].tier.value == tier


def test_adjacent_titles_are_two_references():
    found, _ = refs("1.全面落实《深化新时代教育评价改革总体方案》《新时代爱国主义教育实施纲要》等。内容。")
    assert {"深化新时代教育评价改革总体方案", "新时代爱国主义教育实施纲要"} <= set(found)


def test_coordinated_names_are_split():
    found, _ = refs("1.出台校长职级制实施办法和校长职级制改革实施意见,开展试点。内容。")
    assert {"校长职级制实施办法", "校长职级制改革实施意见"} <= set(found)


@pytest.mark.parametrize(
    "clause",
    [
        "1.深入学习贯彻党的十九大精神,开展“不忘初心、牢记使命”主题教育。内容。",
        "1.大力开展“大学习、深调研、真落实”活动。内容。",
        "1.全面实施教育系统党的建设和思想政治工作攻坚行动。内容。",
        "1.实施城镇义务教育学校扩容增位工程,着力破解大班额。内容。",
        "1.完善控辍保学督导机制和考核问责机制。内容。",
        "1.落实京津冀协同发展战略要求。内容。",
        "1.落实民办教育新法新政,推动分类发展。内容。",
        "1.落实好学生资助政策。内容。",
        "1.研制推进方案,制订防控措施。内容。",
        "1.指导学校制定具体实施方案。内容。",
        "1.学习《人民日报》评论文章。内容。",
        "1.贯彻落实教育“十三五”规划中期评估要求,做好教育发展“十三五”规划中期总结评估。内容。",
    ],
)
def test_non_instruments_are_not_references(clause):
    found, _ = refs(clause)
    assert not {name for name in found if "十三五" not in name}, sorted(found)
    assert len(found) <= 1  # 教育“十三五”规划 once at most, never its 中期评估 as a second plan


def test_cover_notice_title_is_not_a_reference():
    text = "关于印发《2023年全市教育工作要点》的通知\n\n各区教育局:现将《2023年全市教育工作要点》印发给你们。\n\n一、加强党建\n\n1.深化理论学习。内容。\n2.加强组织建设。内容。\n"
    found, _ = refs("", preamble=text)
    assert found == {}


@pytest.mark.parametrize(
    ("clause", "canonical", "relation"),
    [
        ("1.全面落实《深化新时代教育评价改革总体方案》。内容。", "深化新时代教育评价改革总体方案", "implements"),
        ("1.认真贯彻《新时代爱国主义教育实施纲要》。内容。", "新时代爱国主义教育实施纲要", "implements"),
        ("1.严格执行《中小学教育惩戒规则(试行)》。内容。", "中小学教育惩戒规则(试行)", "implements"),
        ("1.按照《中小学德育工作指南》要求。内容。", "中小学德育工作指南", "implements"),
        (
            "1.对标《湖南省“互联网+教育”行动计划(2019—2022年)》,完善体系。内容。",
            "湖南省互联网+教育行动计划(2019—2022年)",
            "implements",
        ),
        ("1.研制出台《长沙教育现代化2035》。内容。", "长沙教育现代化2035", "drafts"),
        (
            "1.推动出台《清远市教育设施规划建设管理规定实施意见》。内容。",
            "清远市教育设施规划建设管理规定实施意见",
            "drafts",
        ),
        (
            "1.推进《长沙市中小学幼儿园规划建设管理条例》的修订工作。内容。",
            "长沙市中小学幼儿园规划建设管理条例",
            "drafts",
        ),
        ("1.编制教育“十四五”规划。内容。", "教育十四五规划", "drafts"),
        ("1.修订民办教育奖补办法,加大奖补。内容。", "民办教育奖补办法", "drafts"),
        (
            "1.出台进一步推进高中阶段学校考试招生制度改革实施办法。内容。",
            "进一步推进高中阶段学校考试招生制度改革实施办法",
            "drafts",
        ),
        (
            "1.落实市委、市政府印发的《关于学前教育深化改革规范发展的实施意见》。内容。",
            "关于学前教育深化改革规范发展的实施意见",
            "implements",
        ),
        (
            "1.启动实施中小学校语言文字工作全面达标建设计划。内容。",
            "中小学校语言文字工作全面达标建设计划",
            "implements",
        ),
    ],
)
def test_relation_from_the_governing_verb(clause, canonical, relation):
    found, _ = refs(clause)
    assert canonical in found, sorted(found)
    assert found[canonical].relation.value == relation


@pytest.mark.parametrize(
    ("clause", "canonical", "scope"),
    [
        ("1.全面落实《教育現代化2035》。内容。", "中国教育现代化2035", "national"),
        (
            "1.对标《湖南省“互联网+教育”行动计划(2019—2022年)》。内容。",
            "湖南省互联网+教育行动计划(2019—2022年)",
            "provincial",
        ),
        ("1.推动出台《长沙市中小学幼儿园规划建设管理条例》。内容。", "长沙市中小学幼儿园规划建设管理条例", "municipal"),
        ("1.出台《区中小学常规课课堂教学评价标准》。内容。", "区中小学常规课课堂教学评价标准", "district"),
        (
            "1.落实市委、市政府印发的《关于学前教育深化改革规范发展的实施意见》。内容。",
            "关于学前教育深化改革规范发展的实施意见",
            "municipal",
        ),
        ("1.认真落实省教育厅等九部门下发的中小学生减负措施实施方案。内容。", "中小学生减负措施实施方案", "provincial"),
        (
            "1.制定《关于鼓励社会力量兴办教育促进民办教育健康发展的实施意见》。内容。",
            "关于鼓励社会力量兴办教育促进民办教育健康发展的实施意见",
            "municipal",
        ),
        ("1.实施“暖心工程”,关爱教师。内容。", "暖心工程", "municipal"),
    ],
)
def test_scope_from_the_issuer(clause, canonical, scope):
    found, _ = refs(clause)
    assert canonical in found, sorted(found)
    assert found[canonical].scope.value == scope


def test_local_derivative_links_to_the_national_instrument():
    found, _ = refs("1.研制出台《长沙教育现代化2035》《加快推进长沙教育现代化实施方案(2019—2022年)》。内容。")
    assert found["长沙教育现代化2035"].derived_from == "中国教育现代化2035"
    assert found["加快推进长沙教育现代化实施方案(2019—2022年)"].derived_from == "加快推进教育现代化实施方案"


def test_one_reference_per_instrument_per_document_with_every_mention():
    found, text = refs("1.深入实施“乡村教师支持计划”。内容。\n2.继续实施乡村教师支持计划,补齐短板。内容。")
    reference = found["乡村教师支持计划"]
    assert len(reference.mentions) == 2
    assert reference.surface.quote(text) == "“乡村教师支持计划”"


def test_national_instruments_share_identity_local_ones_do_not():
    qingyuan, _ = refs("1.贯彻落实教育“十三五”规划。内容。", "清远市2018年教育工作要点\n\n一、改革\n\n")
    changsha, _ = refs("1.贯彻落实教育“十三五”规划。内容。", "长沙市2018年教育工作要点\n\n一、改革\n\n")
    assert qingyuan["教育十三五规划"].key != changsha["教育十三五规划"].key
    a, _ = refs("1.落实《民促法》。内容。", "清远市2018年教育工作要点\n\n一、改革\n\n")
    b, _ = refs("1.落实《民办教育促进法》。内容。", "长沙市2018年教育工作要点\n\n一、改革\n\n")
    assert a["中华人民共和国民办教育促进法"].key == b["中华人民共和国民办教育促进法"].key


@pytest.mark.parametrize(
    ("printed", "clean"),
    [
        ("《教育現代化 2035》", "教育现代化2035"),
        ("“双培养”计划", "双培养计划"),
        ("《锦州市教育发展中长期规划(2019-2025)》", "锦州市教育发展中长期规划(2019—2025)"),
        ("《中小學教育懲戒規則（試行）》", "中小学教育惩戒规则(试行)"),
    ],
)
def test_clean_title(printed, clean):
    assert clean_title(printed) == clean


def test_catalogue_expands_short_forms():
    catalogue = load_catalogue()
    assert catalogue.lookup("民促法").canonical == "中华人民共和国民办教育促进法"
    assert catalogue.lookup("教育現代化2035").canonical == "中国教育现代化2035"
    assert catalogue.lookup("减负三十条").canonical == catalogue.lookup("减负30条").canonical
    assert catalogue.lookup("长沙教育现代化2035") is None
    assert title_key("《教育“十三五”规划》") == "教育十三五规划"


def test_nested_title_is_cited_too():
    found, _ = refs("1.研究制定《关于落实〈中小学德育工作指南〉的实施意见》。内容。")
    assert found["关于落实〈中小学德育工作指南〉的实施意见"].relation.value == "drafts"
    assert found["中小学德育工作指南"].relation.value == "implements"
    assert found["中小学德育工作指南"].tier.value == "A"


def test_an_unclosed_bracket_does_not_swallow_later_titles():
    found, _ = refs("1.学习《讲话\n2.推动出台《长沙市中小学幼儿园规划建设管理条例》。内容。\n")
    assert found["长沙市中小学幼儿园规划建设管理条例"].tier.value == "A"


@pytest.mark.parametrize("seed", [*sorted(p.name for p in SEEDS.glob("*.txt")), "cases"])
def test_segmenting_only_citing_sentences_finds_what_segmenting_everything_does(seed, monkeypatch):
    """`parse` leaves sentences without a 《, “, head word or catalogue name unsegmented; on every seed and every
    hand-written case, the references must be those of a Doc over the whole text."""
    import kg.references
    from kg.tier_b import nlp

    paths = sorted((ROOT / "tests" / "cases").rglob("*.txt")) if seed == "cases" else [SEEDS / seed]
    for path in paths:
        doc = normalise(decode_document(path.read_bytes(), name=path.name, media_type="text/plain"))
        structure = segment(doc)
        government = resolve_government(doc, structure)
        fast = extract_references(doc, structure, government)
        with monkeypatch.context() as patched:
            patched.setattr(kg.references, "parse", lambda text: nlp()(text))  # the whole text segmented
            whole = extract_references(doc, structure, government)
        assert fast == whole, path.name


@pytest.mark.parametrize(
    "text", ["。\u30000", "。 0", " a 。 b  c\n d ", "", "  ", "教育  。  实施方案 ", "落实《纲要》 。 "]
)
def test_the_partial_segmentation_keeps_every_character_in_place(text):
    """Whitespace next to an unsegmented sentence must not shift the tokens (found by the Hypothesis build test)."""
    from kg.tier_b import parse

    doc = parse(text)
    assert doc.text == text
    assert "".join(token.text_with_ws for token in doc) == text
