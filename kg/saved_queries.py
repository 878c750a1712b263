"""Saved SPARQL queries (`queries/*.rq`): their headers, typed parameters and safe binding.

Every query file opens with a comment header:

    # title: Governments citing a policy
    # title-zh: 引用某项政策的政府
    # question: Which governments cite a policy …?
    # question-zh: 哪些政府……？
    # param: policy title 中国教育现代化2035 — the policy's title or any alias
    # example: kg query governments_citing_policy --param policy=教育现代化2035

A parameter line is `NAME TYPE DEFAULT — description`, DEFAULT `-` for none. Values become RDF terms of their
type, serialised by rdflib (which escapes them), and are joined to the query as a `VALUES` block at the top of
its WHERE clause — the standard binding that every SPARQL 1.1 server understands — so a value holding quotes,
braces or `} ; DROP ALL ; {` is only ever a literal. Write queries so parameters are used in the top-level group
(a FILTER inside a UNION branch does not see them), or mark the one group that uses them with a line
`# VALUES (parameters)`: the block then takes that line's place. That lets a query resolve its parameter in a
subquery of its own (a topic label to its concept, say), which query planners such as Oxigraph's evaluate first,
so the rest of the query only looks at what matches instead of the whole graph. Type `title` binds the title's
search key (simplified, no punctuation), which matches the `skos:hiddenLabel` keys every policy carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import UsageError
from kg.policy_names import title_key

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
PARAM_TYPES = ("string", "title", "integer", "decimal", "boolean", "year", "iri")
_HEADER = re.compile(r"^#\s*([a-z-]+):\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s+(\w+)\s+(\S+)\s*(?:—|--)\s*(.+)$")
_VALUES_LINE = re.compile(r"^[ \t]*(# VALUES \(parameters\))[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    title: str
    title_zh: str
    question: str
    question_zh: str
    params: tuple[Param, ...]
    examples: tuple[str, ...]
    text: str

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise UsageError(f"query {self.name}: unknown parameter '{name}' (known: {known})")


def list_saved(directory: Path = QUERIES_DIR) -> list[SavedQuery]:
    return [parse(path) for path in sorted(directory.glob("*.rq"))]


def load(name_or_path: str, directory: Path = QUERIES_DIR) -> SavedQuery:
    """A saved query by name (`governments_citing_policy`) or a path to any `.rq` file."""
    path = Path(name_or_path)
    if path.suffix == ".rq" or path.exists():
        if not path.is_file():
            raise UsageError(f"{path}: no such query file")
        return parse(path)
    candidate = directory / f"{name_or_path}.rq"
    if not candidate.is_file():
        known = ", ".join(q.name for q in list_saved(directory))
        raise UsageError(f"no saved query named '{name_or_path}' (saved: {known})")
    return parse(candidate)


def parse(path: Path) -> SavedQuery:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot read: {err}") from err
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if match:
            fields.setdefault(match.group(1), []).append(match.group(2).strip())
    params = tuple(_param(path, line) for line in fields.get("param", []))
    return SavedQuery(
        name=path.stem,
        path=path,
        title=_one(fields, "title"),
        title_zh=_one(fields, "title-zh"),
        question=_one(fields, "question"),
        question_zh=_one(fields, "question-zh"),
        params=params,
        examples=tuple(fields.get("example", [])),
        text=text,
    )


def _one(fields: dict[str, list[str]], key: str) -> str:
    return fields.get(key, [""])[0]


def _param(path: Path, line: str) -> Param:
    match = _PARAM.match(line)
    if not match or match.group(2) not in PARAM_TYPES:
        raise UsageError(f"{path}: bad parameter line '{line}' (expected: NAME TYPE DEFAULT — description)")
    name, kind, default, description = match.groups()
    return Param(name, kind, None if default == "-" else default, description)


def bindings(query: SavedQuery, values: dict[str, str]) -> dict[Variable, Node]:
    """Typed RDF terms for every parameter: the given value, else the default. Unknown names are an error."""
    for name in values:
        query.param(name)
    out: dict[Variable, Node] = {}
    for param in query.params:
        raw = values.get(param.name, param.default)
        if raw is None:
            raise UsageError(
                f"query {query.name}: parameter '{param.name}' has no default; give --param {param.name}=…"
            )
        out[Variable(param.name)] = to_term(query.name, param, raw)
    return out


def to_term(query_name: str, param: Param, raw: str) -> Node:
    try:
        match param.type:
            case "string":
                return Literal(raw)
            case "title":
                return Literal(title_key(raw))
            case "integer":
                return Literal(int(raw), datatype=XSD.integer)
            case "decimal":
                return Literal(Decimal(raw), datatype=XSD.decimal)
            case "boolean":
                if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                    raise ValueError(raw)
                return Literal(raw.lower() in ("true", "1", "yes"))
            case "year":
                if not re.fullmatch(r"\d{4}", raw):
                    raise ValueError(raw)
                return Literal(raw, datatype=XSD.gYear)
            case "iri":
                if not re.fullmatch(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+", raw):
                    raise ValueError(raw)
                return URIRef(raw)
    except (ValueError, InvalidOperation):
        pass
    raise UsageError(f"query {query_name}: parameter '{param.name}' must be a {param.type}, got {raw!r}")


def with_values(text: str, bound: dict[Variable, Node]) -> str:
    """The query with a VALUES block for `bound` in place of its `# VALUES (parameters)` line, or else opening
    its top-level group."""
    if not bound:
        return text
    names = " ".join(f"?{name}" for name in bound)
    terms = " ".join(term.n3() for term in bound.values())
    block = f"VALUES ({names}) {{ ({terms}) }}"
    brace = _top_level_brace(text)
    marked = _VALUES_LINE.search(text, brace)  # a marker line in the header comments is no marker
    if marked:
        return f"{text[: marked.start(1)]}{block}{text[marked.end(1) :]}"
    return f"{text[: brace + 1]}\n  {block}\n{text[brace + 1 :]}"


def _top_level_brace(text: str) -> int:
    """Offset of the `{` opening the WHERE clause, skipping comments, IRIs and strings."""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif ch == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", text[i:]):
            i = text.index(">", i)
        elif ch in "\"'":
            quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else ch
            end = text.find(quote, i + len(quote))
            while end > 0 and text[end - 1] == "\\":
                end = text.find(quote, end + 1)
            if end < 0:
                break
            i = end + len(quote) - 1
        elif ch == "{":
            return i
        i += 1
    raise UsageError("the query has no WHERE clause to bind parameters to")
