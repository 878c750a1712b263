"""Read a gold file (GUIDELINES.md format) into the records `kg eval` scores; check it on the way.

The records are those of `kg/evaluate_read.py`, so a gold document and a predicted one compare field by field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg.evaluate_read import GoldDoc, GoldFormatError, InitiativeItem, ReferenceItem, TargetItem

_TIERS = ("A", "B")
_RELATIONS = ("implements", "drafts")
_SCOPES = ("national", "provincial", "municipal", "district")
_COMPARATORS = (">=", "<=", "=")
_HINT = "see GUIDELINES.md for the gold format"


def load_gold(path: str | Path) -> dict[str, GoldDoc]:
    """Read a gold file (a JSON list, one object per document) into records keyed by "doc", in file order.

    Raises GoldFormatError naming the file, the entry and the field when the file is unreadable or malformed.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise GoldFormatError(f"{path}: cannot read gold file: {err.strerror or err}") from err
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise GoldFormatError(f"{path}: not UTF-8 (byte offset {err.start}); save the gold file as UTF-8") from err
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as err:
        raise GoldFormatError(f"{path}:{err.lineno}:{err.colno}: not valid JSON: {err.msg}") from err
    if not isinstance(data, list):
        raise GoldFormatError(f"{path}: expected a JSON list of documents, got {_kind(data)}; {_HINT}")
    gold: dict[str, GoldDoc] = {}
    for i, entry in enumerate(data):
        where = f"{path}: entry {i + 1}"
        if isinstance(entry, dict) and isinstance(entry.get("doc"), str):
            where = f"{path}: entry {i + 1} ({entry['doc']})"
        try:
            doc = _gold_doc(entry)
        except _FieldError as err:
            raise GoldFormatError(f"{where}: {err}; {_HINT}") from None
        if doc.doc in gold:
            raise GoldFormatError(f"{where}: document {doc.doc!r} appears twice; merge the two entries")
        gold[doc.doc] = doc
    return gold


class _FieldError(Exception):
    pass


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _field(obj: Mapping[str, Any], key: str, types: tuple[type, ...], where: str, *, required: bool = True) -> Any:
    if key not in obj:
        if required:
            raise _FieldError(f"{where}{key} is missing")
        return None
    value = obj[key]
    if value is None and type(None) in types:
        return None
    # bool is an int subclass: never accept it as a number
    if isinstance(value, bool) or not isinstance(value, types):
        raise _FieldError(f"{where}{key} must be {' or '.join(_kind_name(t) for t in types)}, got {_kind(value)}")
    return value


def _kind_name(t: type) -> str:
    return {str: "a string", int: "an integer", dict: "an object", list: "a list", Decimal: "a number"}.get(t, "null")


def _choice(obj: Mapping[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = _field(obj, key, (str,), where)
    if value not in allowed:
        raise _FieldError(f"{where}{key} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _objects(entry: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
    items = _field(entry, key, (list,), "")
    out = []
    for j, item in enumerate(items):
        if not isinstance(item, dict):
            raise _FieldError(f"{key}[{j}] must be an object, got {_kind(item)}")
        out.append((f"{key}[{j}].", item))
    return out


def _gold_doc(entry: object) -> GoldDoc:
    if not isinstance(entry, dict):
        raise _FieldError(f"must be an object, got {_kind(entry)}")
    doc = _field(entry, "doc", (str,), "")
    gov = _field(entry, "government", (dict,), "")
    adcode = _field(gov, "adcode", (str, type(None)), "government.")
    if adcode is not None and not re.fullmatch(r"\d{6}", adcode):
        raise _FieldError(f"government.adcode must be six digits or null, got {adcode!r}")
    initiatives = tuple(
        InitiativeItem(
            title=_field(item, "title", (str,), w),
            number=_field(item, "number", (int, type(None)), w),
            section=_field(item, "section", (str, type(None)), w),
        )
        for w, item in _objects(entry, "initiatives")
    )
    references = tuple(
        ReferenceItem(
            canonical=_field(item, "canonical", (str,), w),
            tier=_choice(item, "tier", _TIERS, w),
            relation=_choice(item, "relation", _RELATIONS, w),
            scope=_choice(item, "scope", _SCOPES, w),
            surface=_field(item, "surface", (str, type(None)), w, required=False),
            initiative=_field(item, "initiative", (int, str, type(None)), w, required=False),
        )
        for w, item in _objects(entry, "policy_references")
    )
    targets = tuple(
        TargetItem(
            value=Decimal(_field(item, "value", (int, Decimal), w)),
            unit=_field(item, "unit", (str,), w),
            comparator=_choice(item, "comparator", _COMPARATORS, w),
            deadline=_field(item, "deadline", (int, type(None)), w),
            indicator=_field(item, "indicator", (str, type(None)), w),
            text=_field(item, "text", (str, type(None)), w, required=False),
            initiative=_field(item, "initiative", (int, str, type(None)), w, required=False),
        )
        for w, item in _objects(entry, "targets")
    )
    return GoldDoc(
        doc=doc,
        government_adcode=adcode,
        government_name=_field(gov, "name", (str, type(None)), "government."),
        plan_year=_field(entry, "plan_year", (int, type(None)), ""),
        published=_field(entry, "published", (str, type(None)), ""),
        initiatives=initiatives,
        references=references,
        targets=targets,
        title=_field(entry, "title", (str, type(None)), "", required=False),
    )
