"""Numbers with their units in normalised text: 95%, 46所, 1万个, 2.5万平方米, 50万人次, 1-2所, 一小时, 百分之九十.

Chinese numerals and 万/亿 scaling go through cn2an; full-width digits are already half-width in the normalised
text. A quantity is a number followed by a counted unit (`kg/data/targets.json`); a bare number (2035, 2.0, 十四五,
the 24 of 第24届) is none.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

import cn2an

from kg.records import Span

_ARABIC = r"\d+(?:\.\d+)?(?:万|亿)?"
_CHINESE = r"[零〇一二两三四五六七八九十百千万亿]+"
_RANGE = r"\s*(?:-|—|–|~|～|至|到)\s*"


@dataclass(frozen=True)
class Quantity:
    span: Span  # the number (both ends of a range) and its unit
    number: Span  # the number part alone
    value: Decimal
    value_max: Decimal | None  # upper end of a range
    unit: str
    chinese: bool  # written in Chinese numerals


@cache
def rules() -> dict:
    return json.loads(resources.files("kg.data").joinpath("targets.json").read_text("utf-8"))


@cache
def _pattern() -> re.Pattern[str]:
    units = sorted(rules()["units"], key=len, reverse=True)
    unit = "(?P<unit>" + "|".join(re.escape(u) for u in units) + ")"
    number = f"(?P<num>{_ARABIC}|{_CHINESE})"
    upper = f"(?:{_RANGE}(?P<num2>{_ARABIC}|{_CHINESE}))?"
    percent = f"百分之(?P<pct>{_ARABIC}|{_CHINESE})"
    # The unit may be a noun's measure word (1万个学位) or the noun itself (8000人).
    return re.compile(f"{percent}|(?<![\\d.]){number}{upper}\\s*{unit}")


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    out: list[Quantity] = []
    for match in _pattern().finditer(text, start, len(text) if end is None else end):
        if match.group("pct"):
            value = to_number(match.group("pct"))
            if value is not None:
                # 百分之九十 is as explicit as 90%: not a Chinese numeral that might be part of a name
                out.append(Quantity(_span(match, 0), _span(match, 0), value, None, "%", False))
            continue
        value = to_number(match.group("num"))
        if value is None:
            continue
        upper = to_number(match.group("num2")) if match.group("num2") else None
        unit = rules()["unit_aliases"].get(match.group("unit"), match.group("unit"))
        number = Span(match.start("num"), match.end("num2") if match.group("num2") else match.end("num"))
        out.append(Quantity(_span(match, 0), number, value, upper, unit, not _arabic(match.group("num"))))
    return out


def to_number(token: str | None) -> Decimal | None:
    """1万 → 10000, 2.5万 → 25000, 三十 → 30, 两 → 2, 千 → 1000; None when it is not a number."""
    if not token:
        return None
    try:
        if _arabic(token):
            scale = {"万": 10_000, "亿": 100_000_000}.get(token[-1], 1)
            digits = token[:-1] if scale > 1 else token
            return _plain(Decimal(digits) * scale)
        if token in {"千", "百", "万", "亿"}:
            token = "一" + token
        return _plain(Decimal(str(cn2an.cn2an(token.replace("两", "二").replace("〇", "零"), "smart"))))
    except (ValueError, InvalidOperation, KeyError):
        return None


def _plain(value: Decimal) -> Decimal:
    """10000 rather than 1.0E+4, 2.5 rather than 2.50."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral() else normal


def _arabic(token: str) -> bool:
    return token[:1].isdigit()


def _span(match: re.Match[str], group: int | str) -> Span:
    return Span(match.start(group), match.end(group))
