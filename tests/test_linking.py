"""Linking across the corpus: every reference to one policy key gets one canonical label, whatever the order of
the documents, and a record that already has the corpus labels is passed on as it is."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT

from kg.build import extract
from kg.linking import link_policies
from kg.read import read_document
from kg.records import DocumentRecord


@pytest.fixture(scope="module")
def record() -> DocumentRecord:
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]
    return extract(read_document(Path(seed)))


def other_spelling(record: DocumentRecord, label: str) -> DocumentRecord:
    """A second plan citing the record's first policy under another canonical spelling of the same key."""
    first = record.references[0]
    return replace(
        record,
        source=replace(record.source, doc_id=record.source.doc_id + "-other"),
        references=(replace(first, canonical=label),),
    )


@pytest.mark.parametrize("order", ["record first", "other first"])
def test_one_label_per_policy_the_first_in_code_point_order(record: DocumentRecord, order: str) -> None:
    first = record.references[0]
    earlier = " " + first.canonical  # a space sorts before every printable character a title starts with
    other = other_spelling(record, earlier)
    records = [record, other] if order == "record first" else [other, record]
    for linked in link_policies(records):
        for reference in linked.references:
            if reference.key == first.key:
                assert reference.canonical == earlier
            else:  # the other policies keep their own labels
                assert reference.canonical == next(r for r in record.references if r.key == reference.key).canonical


def test_a_record_with_the_corpus_labels_is_passed_on_unchanged(record: DocumentRecord) -> None:
    later = other_spelling(record, record.references[0].canonical + "（修订）")
    linked = link_policies([record, later])
    assert linked[0] is record
    assert linked[1] is not later
    assert linked[1].references[0].canonical == record.references[0].canonical
