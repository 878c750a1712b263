"""Policy titles: canonical form, identity key, the catalogue of national instruments and its aliases.

A title is compared by its key — simplified, half-width, without punctuation or spaces — so 《教育現代化 2035》,
教育现代化2035 and “教育现代化2035” are one instrument. Known short forms expand through the alias table
(民促法 → 中华人民共和国民办教育促进法). A local instrument (长沙教育现代化2035) keeps its own title and is linked to
the national one it localises.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from kg.normalise import normalise_text

_QUOTES = re.compile(r"[“”‘’\"'「」『』《》]")  # a nested 〈〉 is part of the official title and stays
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"(?<=\d)\s*[-–—―~～至]\s*(?=\d)")
_YEAR_RANGE = re.compile(r"\((?:\d{4}\s*[-–—―~～至]\s*)?\d{4}年?(?:版)?\)$|\(\d{4}年版\)$")
_PRC = "中华人民共和国"


@lru_cache(maxsize=1 << 16)  # titles repeat across a corpus, and the OpenCC conversion is the cost
def title_key(text: str) -> str:
    """The comparison key: normalised, punctuation, symbols and spaces removed."""
    simplified = normalise_text(text)
    return "".join(ch for ch in simplified if not (ch.isspace() or unicodedata.category(ch)[0] in "PSZ"))


def clean_title(printed: str) -> str:
    """A canonical title from a printed one: simplified, half-width, no brackets, quotes or stray spaces."""
    text = normalise_text(printed)
    text = _SPACES.sub("", text)
    text = _QUOTES.sub("", text)
    text = _DASHES.sub("—", text)
    return text.strip(" ,、;:")  # stray clause punctuation at either end (the set, not a word)


def without_year_range(title: str) -> str:
    return _YEAR_RANGE.sub("", title)


@dataclass(frozen=True)
class CatalogueEntry:
    canonical: str
    issuer: str
    year: int | None
    kind: str
    scope: str
    parent: str | None


@dataclass(frozen=True)
class Catalogue:
    entries: dict[str, CatalogueEntry]  # by title key of the canonical
    aliases: dict[str, str]  # title key of an alias or canonical -> canonical
    names: tuple[str, ...]  # every alias and canonical as written, longest first (for unbracketed matching)
    keys_by_canonical: dict[str, tuple[str, ...]]  # canonical -> every alias key leading to it

    def aliases_for(self, canonical: str) -> list[str]:
        """Every alias key that leads to `canonical` (for search labels)."""
        return list(self.keys_by_canonical.get(canonical, ()))

    def lookup(self, title: str) -> CatalogueEntry | None:
        """The catalogue entry a printed title names, trying the forms local plans use."""
        for candidate in _variants(clean_title(title)):
            canonical = self.aliases.get(title_key(candidate))
            if canonical:
                return self.entries[title_key(canonical)]
        return None


def _variants(title: str) -> list[str]:
    out = [title, without_year_range(title)]
    for form in list(out):
        if form.startswith(_PRC):
            out.append(form[len(_PRC) :])
        elif form.endswith("法"):
            out.append(_PRC + form)
    return out


@cache
def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("kg.data").joinpath("policies", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def load_catalogue() -> Catalogue:
    entries: dict[str, CatalogueEntry] = {}
    aliases: dict[str, str] = {}
    for row in _rows("catalogue.csv"):
        entry = CatalogueEntry(
            canonical=row["canonical"],
            issuer=row["issuer"],
            year=int(row["year"]) if row.get("year") else None,
            kind=row["kind"],
            scope=row["scope"],
            parent=row.get("parent") or None,
        )
        entries[title_key(entry.canonical)] = entry
        aliases[title_key(entry.canonical)] = entry.canonical
        short = without_year_range(entry.canonical)
        aliases.setdefault(title_key(short), entry.canonical)
    for row in _rows("aliases.csv"):
        aliases[title_key(row["alias"])] = row["canonical"]
    printed = {row["canonical"] for row in _rows("catalogue.csv")} | {row["alias"] for row in _rows("aliases.csv")}
    names = tuple(sorted(printed, key=lambda name: (-len(name), name)))
    by_canonical: dict[str, list[str]] = {}
    for key, canonical in aliases.items():
        by_canonical.setdefault(canonical, []).append(key)
    keys = {canonical: tuple(sorted(found)) for canonical, found in by_canonical.items()}
    return Catalogue(entries=entries, aliases=aliases, names=names, keys_by_canonical=keys)


@cache
def lexicon() -> dict:
    return json.loads(resources.files("kg.data").joinpath("policies", "lexicon.json").read_text("utf-8"))
