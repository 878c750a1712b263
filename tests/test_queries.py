"""Every saved query answers its known questions on the seeds (manifest: tests/queries/<query>/<case>.json).

A case names the parameters, the columns compared and the expected rows. The seeds are built once and loaded
into the embedded Oxigraph store, the real engine the `kg query` command uses.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

from kg.errors import UsageError
from kg.saved_queries import QUERIES_DIR, bindings, list_saved, load, with_values
from kg.store import EmbeddedStore, load_built_in_memory, open_built_store

CASES = sorted((ROOT / "tests" / "queries").glob("*/*.json"))


@pytest.fixture(scope="module")
def store(seed_build) -> EmbeddedStore:
    out, _ = seed_build
    embedded = EmbeddedStore()
    embedded.load_trig((out / "graph.trig").read_bytes())
    return embedded


def run(store: EmbeddedStore, name: str, params: dict[str, str]) -> list[dict[str, str | None]]:
    query = load(name)
    return store.query(query.text, bindings(query, params)).as_strings()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_saved_query_answers(store, case: Path):
    spec = json.loads(case.read_text("utf-8"))
    rows = run(store, case.parent.name, spec["params"])
    got = [[row[column] for column in spec["columns"]] for row in rows]
    expected = spec["rows"]
    if spec.get("contains"):
        for row in expected:
            assert row in got, (row, got)
    else:
        assert got == expected


def test_every_saved_query_has_a_header_and_a_case():
    tested = {case.parent.name for case in CASES}
    for query in list_saved():
        assert query.title and query.title_zh and query.question and query.question_zh, query.name
        assert query.examples, query.name
        assert query.name in tested, f"{query.name} has no expected result under tests/queries/"


@pytest.mark.parametrize(
    "hostile",
    [
        "} ; DROP ALL ; {",
        '" } UNION { ?s ?p ?o } #',
        "'); DELETE WHERE { ?s ?p ?o }",
        '\\" \n }',
        '中国教育现代化2035"@zh',
    ],
)
def test_parameter_values_are_only_ever_literals(store, hostile):
    assert run(store, "governments_citing_policy", {"policy": hostile}) == []
    # and where the value is bound inside a subquery (`# VALUES (parameters)`)
    assert run(store, "initiatives_by_topic", {"topic": hostile}) == []
    assert run(store, "targets_by_indicator", {"indicator": hostile}) == []
    assert len(store) > 1000  # nothing was dropped or deleted


def test_bad_parameters_are_usage_errors():
    query = load("governments_citing_policy")
    with pytest.raises(UsageError, match="unknown parameter 'polcy'"):
        bindings(query, {"polcy": "x"})
    with pytest.raises(UsageError, match="must be a boolean"):
        bindings(query, {"include_derived": "perhaps"})
    with pytest.raises(UsageError, match="no saved query named 'nope'"):
        load("nope")


def test_values_block_opens_the_where_clause():
    text = 'PREFIX x: <http://x/>\n# a { comment\nSELECT ("{" AS ?c) ?a WHERE { ?a ?b "{" }'
    query = load("governments_citing_policy")
    bound = with_values(text, bindings(query, {}))
    assert bound.index("VALUES") > bound.index("WHERE {")
    assert QUERIES_DIR.is_dir()


def test_a_marker_line_in_the_header_comments_is_no_marker():
    text = "# VALUES (parameters)\nPREFIX x: <http://x/>\nSELECT ?a WHERE { ?a ?b ?c }"
    bound = with_values(text, bindings(load("governments_citing_policy"), {}))
    assert bound.startswith("# VALUES (parameters)\nPREFIX")
    assert bound.index("VALUES (?policy") > bound.index("WHERE {")


def test_policies_cited_by_no_plan_are_never_listed(store):
    """A policy only named as what another derives from states 0 citing plans; asking for at least 0 plans still
    lists only cited policies, each with its plans, implementing and drafting references as the graph holds them."""
    rows = run(store, "most_cited_policies", {"min_plans": "0"})
    cited = store.query(
        "PREFIX kg: <https://w3id.org/edu-policy-kg/ontology#> SELECT ?iri (COUNT(DISTINCT ?plan) AS ?plans)"
        " (COUNT(DISTINCT ?implementing) AS ?implements) (COUNT(DISTINCT ?drafting) AS ?drafts)"
        " WHERE { ?reference kg:cites ?iri ; kg:inPlan ?plan ."
        " OPTIONAL { ?reference kg:relation kg:Implements BIND(?reference AS ?implementing) }"
        " OPTIONAL { ?reference kg:relation kg:Drafts BIND(?reference AS ?drafting) } } GROUP BY ?iri"
    ).as_strings()
    expected = {row["iri"]: (row["plans"], row["implements"], row["drafts"]) for row in cited}
    assert {row["iri"]: (row["plans"], row["implements"], row["drafts"]) for row in rows} == expected
    assert any(row["drafts"] != "0" for row in rows) and all(row["plans"] != "0" for row in rows)


def test_values_block_takes_the_place_of_its_marker_line():
    text = "SELECT ?a WHERE {\n  { SELECT ?a WHERE {\n      # VALUES (parameters)\n      ?a ?b ?c } }\n}"
    bound = with_values(text, bindings(load("governments_citing_policy"), {}))
    assert "# VALUES (parameters)" not in bound
    inner = bound.index("{ SELECT ?a WHERE {")
    assert bound.index("VALUES (?policy ?include_derived)") > inner
    assert bound.count("VALUES") == 1
    assert bound.endswith("?a ?b ?c } }\n}")


def test_the_graph_loaded_in_memory_answers_like_the_built_store(seed_build):
    """`kg serve --in-memory` loads graph.nq instead of opening out/store: the same quads, the same answers."""
    out, _ = seed_build
    disk, memory = open_built_store(out), load_built_in_memory(out)
    assert len(memory) == len(disk) > 1000
    for query in list_saved():
        bound = bindings(query, {})
        assert memory.query(query.text, bound).rows == disk.query(query.text, bound).rows, query.name


def test_loading_in_memory_without_a_build_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match=r"graph\.nq: no built graph here"):
        load_built_in_memory(tmp_path)
