"""Document structure on small hand-written documents: one case per layout and per kind of noise."""

from __future__ import annotations

import pytest

from kg.lines import Kind, classify
from kg.normalise import normalise, normalise_text
from kg.read import decode_document
from kg.structure import clean_label, segment


def structure_of(text: str):
    doc = normalise(decode_document(text.encode("utf-8"), name="t.txt", media_type="text/plain"))
    s = segment(doc)
    titles = [(i.number, clean_label(i.title.quote(text))) for i in s.initiatives]
    sections = {
        i.position: clean_label(s.sections[i.section - 1].heading.quote(text)) if i.section else None
        for i in s.initiatives
    }
    return s, titles, sections


@pytest.mark.parametrize(
    ("line", "kind", "number"),
    [
        ("一、突出引领,全面加强党的统一领导", Kind.SECTION, 1),
        ("十二、夯实基础", Kind.SECTION, 12),
        ("第三部分 保障措施", Kind.SECTION, 3),
        ("1.以学习贯彻党的十九大精神为重点。", Kind.ITEM_ARABIC, 1),
        ("14、大力推进对外交流工作。", Kind.ITEM_ARABIC, 14),
        ("（三）加强教师队伍建设", Kind.ITEM_PAREN_CN, 3),
        ("(2)完善督导机制。", Kind.ITEM_PAREN_AR, 2),
        ("①建设一批智慧校园。", Kind.ITEM_CIRCLED, 1),
        ("1.5万名教师参加培训。", Kind.PROSE, None),
        ("2018年全市教育工作的总体要求是:全面贯彻党的十九大精神", Kind.PROSE, None),
        ("扫一扫在手机打开当前页", Kind.CHROME, None),
        ("首页 > 政府信息公开 > 规划信息", Kind.CHROME, None),
        ("发布时间 : 2019-01-22", Kind.CHROME, None),
        ("2019年1月22日", Kind.DATE, None),
        ("着力构建新时代", Kind.HEADING, None),
        ("实施中小学教师资格定期注册制度,落实教师减负清单。", Kind.PROSE, None),
    ],
)
def test_line_kinds(line, kind, number):
    found, found_number, _ = classify(normalise_text(line))
    assert (found, found_number) == (kind, number)


def test_numbered_items_under_sections_with_continuation():
    text = (
        "某市2020年教育工作要点\n\n发布时间:2020-03-01\n\n2020年全市教育工作的总体要求是:坚持立德树人。\n\n"
        "一、加强党的建设\n\n1.深化政治理论学习。把学习贯彻纳入重要内容。\n\n2.加强基层党组织建设。强化主体责任。\n\n"
        "探索建立党建工作考核制度。完善考核办法。\n\n二、推进教育改革\n\n3.加强督导、评估工作研究制定实施意见。完善制度。\n\n"
        "扫一扫在手机打开当前页\n分享:"
    )
    s, titles, sections = structure_of(text)
    assert titles == [
        (1, "深化政治理论学习"),
        (2, "加强基层党组织建设"),
        (3, "加强督导、评估工作研究制定实施意见"),
    ]
    assert sections == {1: "一、加强党的建设", 2: "一、加强党的建设", 3: "二、推进教育改革"}
    assert clean_label(s.title.quote(text)) == "某市2020年教育工作要点"
    assert "探索建立党建工作考核制度" in s.initiatives[1].body.quote(text)
    assert "扫一扫" not in s.initiatives[-1].body.quote(text)


def test_paren_numbered_items_when_there_is_no_arabic_numbering():
    text = "区教育局工作计划\n一、质量提升\n（一）加强教研工作。提高质量。\n（二）深化课堂改革。推进减负。\n二、保障\n（三）强化经费保障。落实投入。\n"
    _, titles, sections = structure_of(text)
    assert titles == [(1, "加强教研工作"), (2, "深化课堂改革"), (3, "强化经费保障")]
    assert sections[3] == "二、保障"


def test_arabic_items_win_over_paren_subsections():
    text = "工作要点\n一、总体\n（一）党建\n1.加强理论学习。内容。\n2.加强组织建设。内容。\n（二）改革\n3.推进评价改革。内容。\n"
    _, titles, sections = structure_of(text)
    assert [t for _, t in titles] == ["加强理论学习", "加强组织建设", "推进评价改革"]
    assert set(sections.values()) == {"一、总体"}


def test_lead_sentence_paragraphs_under_numbered_headings_that_run_on():
    text = (
        "长沙市教育局2019年工作计划\n\n2019年是落实全国教育大会精神的开局之年。机遇前所未有。\n\n"
        "一、聚焦顶层设计,全面加强事业规划部署。“凡事预则立,不预则废”。要切实抓好大事。\n\n"
        "学习贯彻全教会精神。把学习贯彻作为首要政治任务。\n\n筹备开好全市教育大会。尽快制订会议筹备方案。\n\n"
        "二、聚焦事业核心,全面加强系统党的建设。着力提高质量。\n\n强化党对教育事业的全面领导。认真履行职责。\n\n"
        "长沙市教育局\n\n2019年1月22日\n"
    )
    _, titles, sections = structure_of(text)
    assert titles == [
        (None, "学习贯彻全教会精神"),
        (None, "筹备开好全市教育大会"),
        (None, "强化党对教育事业的全面领导"),
    ]
    assert sections[3] == "二、聚焦事业核心,全面加强系统党的建设"


def test_unnumbered_headings_split_over_two_lines():
    text = (
        "今后,某市教育将要干这些事!\n\n目标\n到2020年,教育工作短板基本补齐,教育综合实力明显提升。\n\n"
        "着力构建新时代\n全面育人工作体系\n深入学习宣传党的创新理论。始终坚持统领。\n坚决落实立德树人根本任务。着力完善体系。\n\n"
        "切实推动各类教育\n高质量发展\n普惠发展学前教育。落实行动计划。\n"
    )
    _, titles, sections = structure_of(text)
    assert [t for _, t in titles] == [
        "深入学习宣传党的创新理论",
        "坚决落实立德树人根本任务",
        "普惠发展学前教育",
    ]
    assert sections[1] == "着力构建新时代全面育人工作体系"
    assert sections[3] == "切实推动各类教育高质量发展"


def test_heading_lines_followed_by_prose():
    text = "某县2022年教育工作要点\n\n加强党的建设\n全面落实从严治党责任,推进党建工作。\n\n提升教学质量\n深化课堂教学改革,推进减负增效。\n"
    _, titles, _ = structure_of(text)
    assert [t for _, t in titles] == ["加强党的建设", "提升教学质量"]


def test_inline_enumeration_gives_one_initiative_per_item():
    text = "某区2023年教育工作安排\n\n今年重点抓好以下工作:一是加强党的建设;二是推进集团化办学,扩大优质资源;三是强化安全管理。\n"
    _, titles, _ = structure_of(text)
    assert titles == [(1, "加强党的建设"), (2, "推进集团化办学,扩大优质资源"), (3, "强化安全管理")]


def test_repeated_abstract_and_site_chrome_are_boilerplate():
    summary = "2020年,全市教育工作的总体思路是:坚持立德树人,落实根本任务"
    text = (
        f"摘要\n\n{summary}。{summary[:20]}...\n\n{summary}。\n\n{summary},践行高质量发展理念。\n\n"
        "一、加强党的领导\n\n1.深化理论学习。内容。\n\n2.加强组织建设。内容。\n\n中国教育信息订阅号二维码\n"
    )
    s, titles, _ = structure_of(text)
    assert s.title is None
    dropped = [span.quote(text) for span in s.boilerplate]
    assert "摘要" in dropped and f"{summary}。" in dropped
    assert len(titles) == 2


def test_traditional_text_keeps_printed_titles():
    text = "教育工作要點\n一、堅持黨建領航\n1.加強黨的政治建設。始終堅持。\n2.提升基層黨建水平。持續推動。\n"
    _, titles, sections = structure_of(text)
    assert titles == [(1, "加強黨的政治建設"), (2, "提升基層黨建水平")]
    assert sections[1] == "一、堅持黨建領航"


def test_no_structure_gives_no_initiatives():
    _, titles, _ = structure_of("这是一段没有结构的文字,只说明了一般情况。\n")
    assert titles == []


@pytest.mark.parametrize(
    ("line", "kind", "number"),
    [
        ("1)认真落实各项任务。", Kind.ITEM_ARABIC, 1),
        ("⑴完善督导机制。", Kind.ITEM_PAREN_AR, 1),
        ("⒈推进集团化办学。", Kind.ITEM_ARABIC, 1),
    ],
)
def test_more_item_markers(line, kind, number):
    found, found_number, _ = classify(normalise_text(line))
    assert (found, found_number) == (kind, number)


def test_lead_sentences_without_any_section():
    text = "2021年全区教育工作要点\n\n学习贯彻全教会精神。把学习作为首要任务。\n\n加强师德师风建设。落实准则。\n"
    _, titles, _ = structure_of(text)
    assert [t for _, t in titles] == ["学习贯彻全教会精神", "加强师德师风建设"]


def test_attachments_are_not_work_items():
    text = (
        "某区教育工作要点\n一、加强\n（一）加强学习。内容。\n（二）推进建设。内容。\n附件：\n1.学校名单\n2.任务分工表\n"
    )
    _, titles, _ = structure_of(text)
    assert [t for _, t in titles] == ["加强学习", "推进建设"]


def test_crlf_documents_read_like_lf_ones():
    lf = "某市2020年教育工作要点\n\n一、加强党的建设\n\n1.深化政治理论学习。内容。\n\n2.加强基层党组织建设。内容。\n"
    assert structure_of(lf.replace("\n", "\r\n"))[1] == structure_of(lf)[1]


RUN_ON = (
    "某市2021年教育工作要点一、加强党的领导,落实立德树人1.深化理论学习。组织全系统干部开展专题学习,"
    "推动学习贯彻走深走实,确保各项部署落到实处。2.加强基层党建。推进党组织标准化建设,提升组织力和政治功能,"
    "做好发展党员工作。二、推进教育公平,扩大优质资源1.扩大学前教育资源。新建幼儿园10所,学前三年毛入园率达到95%以上。"
    "  2.推进义务教育均衡发展。统筹城乡学校布局,改善薄弱学校办学条件,缩小校际差距。"
)


def test_a_run_on_document_is_read_by_its_inline_markers():
    """Line breaks lost (a page copied as one paragraph): sections and items are cut at their printed markers,
    the first section after the title and the first item right after a section heading included."""
    s, titles, sections = structure_of(RUN_ON)
    assert titles == [(1, "深化理论学习"), (2, "加强基层党建"), (1, "扩大学前教育资源"), (2, "推进义务教育均衡发展")]
    assert sections[1] == "一、加强党的领导,落实立德树人" and sections[3] == "二、推进教育公平,扩大优质资源"
    assert s.title is not None and s.title.quote(RUN_ON) == "某市2021年教育工作要点"


def test_a_run_on_document_numbering_its_items_on_across_sections():
    """Many plans number their items straight on (一、 1. 2. 二、 3. 4.): the first item of a later section is cut
    off its heading too."""
    text = RUN_ON.replace("二、推进教育公平,扩大优质资源1.", "二、推进教育公平,扩大优质资源3.").replace(
        "  2.推进义务", "  4.推进义务"
    )
    _, titles, _ = structure_of(text)
    assert titles == [(1, "深化理论学习"), (2, "加强基层党建"), (3, "扩大学前教育资源"), (4, "推进义务教育均衡发展")]


def test_run_on_reading_is_only_a_fallback():
    """A document that has work items keeps its line-by-line reading, inline (1)(2) sub-items included."""
    long_item = "1.加强管理。" + "（1）完善制度,规范各项工作流程;" * 12 + "（2）强化督查。\n"
    _, titles, _ = structure_of("某区教育工作要点\n一、加强管理\n" + long_item + "2.提升质量。内容。\n")
    assert titles == [(1, "加强管理"), (2, "提升质量")]


def test_every_seed_without_line_breaks_still_gives_work_items():
    """The seeds with every line break removed: the numbered plans keep most of their items (the lead-sentence
    plans 003 and 004 have no markers to cut at)."""
    from conftest import SEEDS

    found = {}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text("utf-8").replace("\n", "")
        found[path.stem[:3]] = len(structure_of(text)[0].initiatives)
    assert found["000"] >= 30 and found["001"] >= 20 and found["002"] >= 25
