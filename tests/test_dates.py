"""Plan year and published date on small documents."""

from __future__ import annotations

from datetime import date

import pytest

from kg.dates import find_dates
from kg.normalise import normalise
from kg.read import decode_document
from kg.structure import segment


def dates_of(text: str):
    doc = normalise(decode_document(text.encode("utf-8"), name="t.txt", media_type="text/plain"))
    return find_dates(doc, segment(doc))


@pytest.mark.parametrize(
    ("text", "year", "published"),
    [
        (
            "清远市2018年教育工作要点\n\n来源:本网访问量:-发布时间:2018-04-06\n\n正文内容,很长的一段。",
            2018,
            date(2018, 4, 6),
        ),
        (
            "教育工作要點\n\n時間:2022-06-07 04:34:12\n\n2021年全區教育工作思路是:以新思想為指導,推進改革。",
            2021,
            date(2022, 6, 7),
        ),
        ("摘要\n\n2020年,全市教育工作的总体思路是:坚持立德树人,全面发展。", 2020, None),
        (
            "今后,某市教育将要干这些事!\n\n2019/6/12 18:57:19发布101次查看\n到2020年,教育工作短板基本补齐,全面提升。",
            2019,
            date(2019, 6, 12),
        ),
        (
            "某区教育局工作计划\n\n2019年是落实全国教育大会精神的开局之年。\n\n某区教育局\n\n2019年1月22日\n",
            2019,
            date(2019, 1, 22),
        ),
        ("某县2022年度教育工作要点\n\n发布日期:2022年2月8日\n\n正文,内容。", 2022, date(2022, 2, 8)),
        (
            "关于印发《2023年全市教育工作要点》的通知\n\n各区教育局:现将文件印发给你们,请认真贯彻。",
            2023,
            None,
        ),
        ("没有年份的文字,也没有日期。", None, None),
        ("发布时间:2019-02-30\n\n日期不存在,所以不记录。", None, None),
    ],
)
def test_plan_year_and_published(text, year, published):
    found = dates_of(text)
    assert (found.plan_year, found.published) == (year, published)
    if found.plan_year_span:
        assert str(found.plan_year) in text[found.plan_year_span.start : found.plan_year_span.end]


def test_the_latest_year_of_work_is_the_plan_year():
    text = "全区教育工作要点\n\n2020年,全区教育工作取得显著成绩。\n\n2021年全区教育工作的总体要求是:坚持立德树人。\n"
    assert dates_of(text).plan_year == 2021
