"""Documents written for the tests (tests/cases/refs/<case>/): new places, formats and phrasings, each with its
expected annotation in the gold format. The extractor never saw them while its rules were written; this suite
scores it on them with the same scorer as `kg eval`, through the real pipeline."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from kg.build import BuildOptions, extract_all, to_dataset
from kg.evaluate import load_gold, read_predictions, score

CASES = sorted(p for p in (ROOT / "tests" / "cases" / "refs").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    gold_file = tmp_path_factory.mktemp("gold") / "cases.gold.json"
    documents, gold = [], []
    for case in CASES:
        document = next(p for p in case.iterdir() if p.name.startswith("doc."))
        expected = json.loads((case / "expected.json").read_text("utf-8"))
        renamed = tmp_path_factory.mktemp(case.name) / f"{case.name}{document.suffix}"
        renamed.write_bytes(document.read_bytes())
        expected["doc"] = renamed.name
        documents.append(renamed)
        gold.append(expected)
    gold_file.write_text(json.dumps(gold, ensure_ascii=False), "utf-8")
    records, errors = extract_all(documents, BuildOptions())
    assert not errors, errors
    return score(load_gold(gold_file), read_predictions(to_dataset(records))).as_dict()["measures"]


def test_there_are_enough_cases():
    assert len(CASES) >= 5


@pytest.mark.parametrize(
    ("measure", "field", "floor"),
    [
        ("government", "accuracy", 0.9),
        ("plan_year", "accuracy", 0.9),
        ("initiatives", "f1", 0.95),
        ("references.tier_A", "f1", 0.95),
        ("references.tier_B", "f1", 0.8),
        ("references.relation", "accuracy", 0.9),
        ("references.scope", "accuracy", 0.85),
        ("targets", "f1", 0.85),
        ("targets.comparator", "accuracy", 0.9),
        ("targets.deadline", "accuracy", 0.9),
    ],
)
def test_scores_on_unseen_documents(scores, measure, field, floor):
    assert scores[measure][field] >= floor, scores[measure]
