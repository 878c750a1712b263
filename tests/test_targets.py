"""Targets on a table of short clauses written for the tests (tests/data/target_clauses.json): every pattern of
the guidelines and every exclusion, each case read as a sentence of a 2022 plan through the real stages."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import ROOT

from kg.build import extract
from kg.evaluate import indicators_agree
from kg.read import decode_document

TABLE = json.loads((ROOT / "tests" / "data" / "target_clauses.json").read_text("utf-8"))
PLAN = "某市{year}年教育工作要点\n\n一、重点工作\n\n1.推进重点工作。{text}\n2.加强保障。内容。\n"


def targets_of(text: str):
    document = PLAN.format(year=TABLE["plan_year"], text=text)
    record = extract(decode_document(document.encode("utf-8"), name="t.txt", media_type="text/plain"))
    return [t for t in record.targets if t.initiative == 1]


def outcome(case: dict) -> dict[str, bool]:
    found = targets_of(case["text"])
    expected = case["targets"]
    pairs = list(zip(found, expected, strict=False))
    same_values = len(found) == len(expected) and all(
        Decimal(str(e["value"])) == t.value and e["unit"] == t.unit for t, e in pairs
    )
    return {
        "values": same_values,
        "comparator": same_values and all(e["comparator"] == t.comparator.value for t, e in pairs),
        "deadline": same_values and all(e["deadline"] == t.deadline for t, e in pairs),
        "indicator": same_values and all(indicators_agree(e["indicator"], t.indicator) for t, e in pairs),
    }


@pytest.fixture(scope="module")
def outcomes() -> dict[str, dict[str, bool]]:
    return {case["id"]: outcome(case) for case in TABLE["cases"]}


def test_the_table_covers_the_guidelines():
    cases = TABLE["cases"]
    assert len(cases) >= 60
    assert sum(1 for c in cases if not c["targets"]) >= 20  # exclusions
    assert sum(1 for c in cases if len(c["targets"]) >= 2) >= 5  # two quantities in one clause


@pytest.mark.parametrize("case", [c for c in TABLE["cases"] if not c["targets"]], ids=lambda c: c["id"])
def test_exclusions_give_no_target(case):
    assert targets_of(case["text"]) == []


@pytest.mark.parametrize(
    ("aspect", "floor"), [("values", 0.95), ("comparator", 0.95), ("deadline", 0.95), ("indicator", 0.6)]
)
def test_accuracy_over_the_table(outcomes, aspect, floor):
    positive = {k: v for k, v in outcomes.items() if next(c for c in TABLE["cases"] if c["id"] == k)["targets"]}
    share = sum(v[aspect] for v in positive.values()) / len(positive)
    failed = sorted(k for k, v in positive.items() if not v[aspect])
    assert share >= floor, (share, failed)


def test_the_item_number_is_not_part_of_the_clause():
    document = PLAN.format(year=2022, text="内容。").replace("1.推进重点工作。内容。", "1.新增学位1万个。内容。")
    record = extract(decode_document(document.encode("utf-8"), name="t.txt", media_type="text/plain"))
    (target,) = [t for t in record.targets if t.initiative == 1]
    assert target.clause.quote(record.source.text) == "新增学位1万个"
    assert target.indicator == "新增学位数"
