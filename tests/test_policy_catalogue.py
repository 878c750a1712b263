"""Integrity of the national policy catalogue (kg/data/policies/catalogue.csv) and its aliases (aliases.csv)."""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

import opencc
import pytest

POLICIES = Path(__file__).resolve().parents[1] / "kg" / "data" / "policies"
CATALOGUE = POLICIES / "catalogue.csv"
ALIASES = POLICIES / "aliases.csv"

CATALOGUE_HEADER = ["canonical", "issuer", "year", "kind", "scope", "parent"]
ALIASES_HEADER = ["alias", "canonical"]
KINDS = {
    "law",
    "regulation",
    "plan",
    "programme",
    "standard",
    "guideline",
    "opinion",
    "measures",
    "scheme",
    "curriculum",
}
SCOPES = {"national"}
MIN_ROWS = 90

# The same year-range suffix kg.policy_names strips when it derives a short form from a canonical.
_YEAR_RANGE = re.compile(r"\((?:\d{4}\s*[-–—―~～至]\s*)?\d{4}年?(?:版)?\)$|\(\d{4}年版\)$")


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


@cache
def catalogue() -> tuple[list[str], list[dict[str, str]]]:
    return _read(CATALOGUE)


@cache
def aliases() -> tuple[list[str], list[dict[str, str]]]:
    return _read(ALIASES)


@cache
def converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def key(title: str) -> str:
    """Comparison key: punctuation, symbols and spaces removed (as kg.policy_names.title_key, minus normalisation)."""
    text = unicodedata.normalize("NFKC", title)
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch)[0] in "PSZ"))


def canonicals() -> list[str]:
    return [row["canonical"] for row in catalogue()[1]]


def test_headers_are_exact() -> None:
    assert catalogue()[0] == CATALOGUE_HEADER
    assert aliases()[0] == ALIASES_HEADER


def test_rows_are_complete() -> None:
    for path, (header, rows) in ((CATALOGUE, catalogue()), (ALIASES, aliases())):
        for row in rows:
            assert None not in row, f"{path.name}: extra fields in {row}"
            assert all(row[name] is not None for name in header), f"{path.name}: missing fields in {row}"
            assert all(value == value.strip() for value in row.values()), f"{path.name}: stray spaces in {row}"
    for row in catalogue()[1]:
        assert row["canonical"] and row["issuer"] and row["kind"] and row["scope"], row
    for row in aliases()[1]:
        assert row["alias"] and row["canonical"], row


def test_catalogue_size() -> None:
    assert len(catalogue()[1]) >= MIN_ROWS


def test_canonicals_unique() -> None:
    names = canonicals()
    assert len(names) == len(set(names))
    keys = [key(name) for name in names]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"canonicals identical after punctuation stripping: {duplicates}"


def test_every_alias_maps_to_an_existing_canonical() -> None:
    known = set(canonicals())
    missing = [row for row in aliases()[1] if row["canonical"] not in known]
    assert not missing


def test_no_alias_maps_to_two_canonicals() -> None:
    targets: dict[str, set[str]] = {}
    for row in aliases()[1]:
        targets.setdefault(key(row["alias"]), set()).add(row["canonical"])
    ambiguous = {alias: sorted(found) for alias, found in targets.items() if len(found) > 1}
    assert not ambiguous


def test_alias_never_names_another_canonical() -> None:
    by_key = {key(name): name for name in canonicals()}
    clashes = [
        row for row in aliases()[1] if key(row["alias"]) in by_key and by_key[key(row["alias"])] != row["canonical"]
    ]
    assert not clashes


def test_short_forms_do_not_clash() -> None:
    """A canonical without its year range (which the loader adds as a short form) names no other instrument."""
    by_key = {key(name): name for name in canonicals()}
    alias_targets = {key(row["alias"]): row["canonical"] for row in aliases()[1]}
    for name in canonicals():
        short = key(_YEAR_RANGE.sub("", name))
        assert by_key.get(short, name) == name, name
        assert alias_targets.get(short, name) == name, name


def test_every_parent_exists() -> None:
    known = set(canonicals())
    for row in catalogue()[1]:
        if row["parent"]:
            assert row["parent"] in known, row
            assert row["parent"] != row["canonical"], row


def test_text_is_simplified() -> None:
    convert = converter().convert
    for path in (CATALOGUE, ALIASES):
        text = path.read_text(encoding="utf-8")
        assert convert(text) == text, path.name


@pytest.mark.parametrize("path", [CATALOGUE, ALIASES], ids=lambda p: p.name)
def test_no_book_title_marks_or_full_width_brackets(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for mark in "《》〈〉（）":
        assert mark not in text, f"{path.name} contains {mark}"


def test_years_are_plausible() -> None:
    for row in catalogue()[1]:
        assert re.fullmatch(r"\d{4}", row["year"]), row
        assert 1949 <= int(row["year"]) <= 2026, row


def test_kinds_and_scopes() -> None:
    for row in catalogue()[1]:
        assert row["kind"] in KINDS, row
        assert row["scope"] in SCOPES, row


def test_no_generic_aliases() -> None:
    generic = {"实施方案", "十项准则", "方案", "意见", "规划", "计划", "条例", "办法", "标准", "纲要", "指南", "工程"}
    assert not [row for row in aliases()[1] if row["alias"] in generic]


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("民促法", "中华人民共和国民办教育促进法"),
        ("民办教育促进法", "中华人民共和国民办教育促进法"),
        ("新民促法", "中华人民共和国民办教育促进法"),
        ("教育现代化2035", "中国教育现代化2035"),
        ("减负30条", "中小学生减负措施"),
        ("减负三十条", "中小学生减负措施"),
        ("中小学生减负措施", "中小学生减负措施"),
        ("国培", "国培计划"),
        ("学前教育第三期行动计划", "第三期学前教育行动计划"),
        ("学前教育三期行动计划", "第三期学前教育行动计划"),
        ("营养改善计划", "农村义务教育学生营养改善计划"),
        ("农村小学生营养改善计划", "农村义务教育学生营养改善计划"),
        ("全面改薄", "全面改善贫困地区义务教育薄弱学校基本办学条件"),
        ("体艺2+1项目", "体育艺术2+1项目"),
        ("体艺“2+1”项目", "体育艺术2+1项目"),
        ("学校体育艺术2+1项目", "体育艺术2+1项目"),
        ("教师职业行为准则", "新时代教师职业行为十项准则"),
        ("教师职业行为十项准则", "新时代教师职业行为十项准则"),
        ("新时代教师职业行为“十项准则”", "新时代教师职业行为十项准则"),
        ("党章", "中国共产党章程"),
        ("新党章", "中国共产党章程"),
        ("八项规定", "中央八项规定"),
        ("国家通用语言文字法", "中华人民共和国国家通用语言文字法"),
        ("通用语言文字法", "中华人民共和国国家通用语言文字法"),
    ],
)
def test_required_aliases(alias: str, canonical: str) -> None:
    assert {"alias": alias, "canonical": canonical} in aliases()[1]


@pytest.mark.parametrize(
    "canonical",
    [
        # Forms the gold file uses as canonical: kept exactly, so gold and catalogue agree.
        "乡村教师支持计划",
        "加快推进教育现代化实施方案",
        "教师教育振兴行动计划",
        "国培计划",
        "中央八项规定",
        "第三期学前教育行动计划",
        "中小学教师信息技术应用能力提升工程",
        "普通高中课程方案和语文等学科课程标准(2017年版)",
        "3-6岁儿童学习与发展指南",
        "党委(党组)落实全面从严治党主体责任规定",
    ],
)
def test_gold_canonical_forms_present(canonical: str) -> None:
    assert canonical in canonicals()


def test_gold_canonicals_are_not_aliased_away() -> None:
    """Titles the gold keeps as printed (local or non-catalogue forms) must not be rewritten by an alias."""
    kept = ["干部人事档案管理条例", "教育“十三五”规划", "第四期学前教育行动计划", "第三期特殊教育提升计划"]
    alias_keys = {key(row["alias"]) for row in aliases()[1]}
    assert not [title for title in kept if key(title) in alias_keys]
