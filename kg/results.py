"""Query results as a terminal table (CJK width-aware), CSV, TSV or JSON."""

from __future__ import annotations

import csv
import io
import json

from kg.store import QueryResult
from kg.textwidth import table

FORMATS = ("table", "csv", "tsv", "json")


def render(result: QueryResult, fmt: str) -> str:
    rows = result.as_strings()
    columns = list(result.variables)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if row[c] is None else row[c] for c in columns] for row in rows])
        return buffer.getvalue().rstrip("\n")
    body = [["" if row[c] is None else row[c].replace("\n", " ") for c in columns] for row in rows]
    return table(columns, body) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})"
