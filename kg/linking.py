"""Stage: link policy references across the corpus, so one instrument has one canonical label everywhere.

Documents are extracted one by one; two of them may spell the same instrument's canonical title a little
differently (a dash, a bracket). The identity key already treats them as one; here every reference to a key takes
the same label — the first in code-point order, so the choice does not depend on the order documents are read.
"""

from __future__ import annotations

from dataclasses import replace

from kg.records import DocumentRecord


def link_policies(records: list[DocumentRecord]) -> list[DocumentRecord]:
    labels: dict[str, str] = {}
    for record in records:
        for reference in record.references:
            current = labels.get(reference.key)
            labels[reference.key] = reference.canonical if current is None else min(current, reference.canonical)
    return [
        replace(record, references=tuple(replace(r, canonical=labels[r.key]) for r in record.references))
        for record in records
    ]
