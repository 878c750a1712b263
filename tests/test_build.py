"""The builder end to end, through the real stages, validator and serialisers."""

from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GOLD, ROOT, SEEDS
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.build import BuildOptions, build
from kg.cli import main
from kg.namespaces import DCTERMS, KG, RDF
from kg.write import OUTPUT_FILES, write_atomically

GOLDEN = ROOT / "tests" / "golden"

SPANS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX kg: <https://w3id.org/edu-policy-kg/ontology#>
SELECT ?span ?start ?end ?exact ?text WHERE {
  ?fact kg:hasSpan ?span .
  ?span oa:hasSource ?source ; oa:hasSelector ?pos, ?quote .
  ?pos oa:start ?start ; oa:end ?end .
  ?quote oa:exact ?exact .
  ?source kg:text ?text .
}"""


def load(out: Path) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(out / "graph.trig", format="trig")
    return dataset


def test_seed_build_conforms_and_writes_every_file(seed_build):
    out, report = seed_build
    assert report.conforms, report.validation.summary_lines()
    assert not report.errors
    assert len(report.documents) == 5
    for name in (*OUTPUT_FILES, "validation.ttl"):
        assert (out / name).stat().st_size > 0, name
    gold = {doc["doc"]: doc for doc in json.loads(GOLD.read_text("utf-8"))}
    for doc in report.documents:
        assert doc.initiatives == len(gold[doc.source]["initiatives"]), doc.source


def test_every_span_quote_equals_the_source_slice(seed_build):
    out, _ = seed_build
    rows = list(load(out).query(SPANS))
    assert len(rows) > 150
    for row in rows:
        start, end = int(row.start), int(row.end)
        assert 0 <= start <= end <= len(str(row.text))
        assert str(row.text)[start:end] == str(row.exact), row.span


def test_serialisations_carry_the_same_graph(seed_build):
    out, _ = seed_build
    dataset = load(out)
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    for name, fmt in (("graph.ttl", "turtle"), ("graph.nt", "nt"), ("graph.jsonld", "json-ld")):
        other = Dataset(default_union=True)
        other.parse(out / name, format=fmt)
        flat = Graph()
        for s, p, o, _ in other.quads((None, None, None, None)):
            flat.add((s, p, o))
        assert isomorphic(flat, union), name
    quads = Dataset()
    quads.parse(out / "graph.nq", format="nquads")
    assert {g.identifier for g in quads.graphs() if len(g)} == {g.identifier for g in dataset.graphs() if len(g)}


def _cli_build(out: Path, seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(SEEDS), "--out", str(out), "--quiet"],
        check=True,
        env=env,
        capture_output=True,
        cwd=ROOT,
    )


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    _cli_build(first, "1")
    _cli_build(second, "4242")
    # the graph files, not the database and cache folders (their binary layout is the store's business)
    names = sorted(p.name for p in first.iterdir() if p.is_file())
    assert names == sorted(p.name for p in second.iterdir() if p.is_file())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.parametrize("doc", [*sorted(p.stem for p in SEEDS.glob("*.txt")), "governments", "policies"])
def test_golden_graph_per_seed(seed_build, doc):
    out, _ = seed_build
    dataset = load(out)
    built = next(g for g in dataset.graphs() if str(g.identifier).endswith(f"/graph/{doc}"))
    expected = Graph().parse(GOLDEN / f"{doc}.ttl", format="turtle")
    assert isomorphic(built, expected), f"{doc}: regenerate with tests/regenerate_golden.py if the change is intended"


def test_bad_inputs_are_reported_and_the_rest_builds(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = (SEEDS / "000_ca6428d64397fc28.txt").read_text("utf-8")
    traditional = (SEEDS / "001_d5df2cb18e06d54f.txt").read_text("utf-8")
    (corpus / "good.txt").write_text(good, "utf-8")
    (corpus / "bom.txt").write_bytes(codecs.BOM_UTF8 + good.encode("utf-8"))
    (corpus / "gbk.txt").write_bytes(good.encode("gb18030"))
    (corpus / "big5.txt").write_bytes(traditional.encode("big5", errors="ignore"))
    (corpus / "page.html").write_text(
        "<html><body><script>alert('x')</script><h1>某市2020年教育工作要点</h1>"
        "<p>一、加强党建</p><p>1.深化理论学习。内容。</p><p>2.加强组织建设。内容。</p></body></html>",
        "utf-8",
    )
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\x03PNG")
    (corpus / "notes.pdf").write_bytes(b"%PDF-1.4")
    with (corpus / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    out = tmp_path / "out"
    code = main(["build", str(corpus), str(tmp_path / "missing.txt"), "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("kg build: error:")]
    assert code == 0, captured.err
    expected = {
        "empty.txt": "empty file",
        "binary.txt": "binary content",
        "notes.pdf": "unsupported file type",
        "huge.txt": "--max-bytes",
        "missing.txt": "no such file or folder",
    }
    assert len(errors) == len(expected)
    for name, reason in expected.items():
        assert any(name in line and reason in line for line in errors), (name, errors)
    dataset = load(out)
    built = {str(o) for o in dataset.objects(None, DCTERMS.source)}
    assert built == {"good.txt", "bom.txt", "gbk.txt", "big5.txt", "page.html"}
    encodings = {str(o) for o in dataset.objects(None, KG.encoding)}
    assert encodings == {"utf-8", "utf-8-sig", "gb18030", "big5"}
    assert "alert" not in (out / "graph.nt").read_text("utf-8")
    assert re.search(r"^time: [0-9.]+ s \(.*\bextract [0-9.]+.*\)$", captured.out, re.MULTILINE), captured.out
    assert main(["build", str(corpus), "--out", str(tmp_path / "strict"), "--quiet", "--strict"]) == 2


def test_the_build_times_its_phases(seed_build):
    _, report = seed_build
    phases = report.timings.seconds
    assert list(phases)[:2] == ["read", "extract"]
    assert {"shared graphs", "write files", "validate corpus", "store", "move into place"} <= set(phases)
    assert report.timings.wall >= sum(phases.values()) > 0  # the wall time includes what no phase timed


def test_nothing_buildable_is_an_error(tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["build", str(tmp_path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "no document could be built" in capsys.readouterr().err


def test_a_failed_write_leaves_earlier_outputs_intact(tmp_path):
    out = tmp_path / "out"
    build([SEEDS / "000_ca6428d64397fc28.txt"], BuildOptions(out_dir=out))
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def broken(path: Path) -> None:
        path.write_bytes(b"partial")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_atomically(out, {"graph.ttl": lambda p: p.write_bytes(b"new"), "graph.nt": broken})
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_validate_eval_and_stats_commands(seed_build, capsys):
    out, _ = seed_build
    assert main(["validate", "--out", str(out)]) == 0
    assert "conforms" in capsys.readouterr().out
    assert main(["eval", str(GOLD), "--out", str(out), "--json"]) == 0
    measures = json.loads(capsys.readouterr().out)["measures"]
    assert measures["government"]["correct"] == 5
    assert measures["plan_year"]["correct"] == 5
    assert measures["initiatives"]["f1"] >= 0.95
    assert main(["stats", "--out", str(out)]) == 0
    assert "kg:Initiative" in capsys.readouterr().out


def test_stats_read_back_equal_the_build_summary(seed_build):
    """`kg stats` reads graph.nq with the collector the build used: the same numbers, document by document."""
    from kg.stats import read_back

    out, report = seed_build
    built = read_back(out / "graph.nq")
    assert (built.triples, built.classes, built.documents) == (report.triples, report.classes, report.documents)
    assert [d.initiatives for d in built.documents] == [38, 28, 27, 34, 23]


def test_validate_reports_a_broken_graph(tmp_path, capsys):
    out = tmp_path / "out"
    build([SEEDS / "000_ca6428d64397fc28.txt"], BuildOptions(out_dir=out))
    trig = (out / "graph.trig").read_text("utf-8")
    (out / "graph.trig").write_text(trig.replace('"441800"', '"44180X"'), "utf-8")
    assert main(["validate", "--out", str(out)]) == 1
    assert "DOES NOT CONFORM" in capsys.readouterr().out
    assert "44180X" in (out / "validation.ttl").read_text("utf-8")


def test_commands_without_a_build_say_what_to_do(tmp_path, capsys):
    assert main(["stats", "--out", str(tmp_path)]) == 2
    assert "run `kg build" in capsys.readouterr().err


def test_every_initiative_has_a_topic(seed_build):
    out, _ = seed_build
    dataset = load(out)
    initiatives = set(dataset.subjects(RDF.type, KG.Initiative))
    assert len(initiatives) == 150
    assert all((initiative, DCTERMS.subject, None) in dataset for initiative in initiatives)


def test_incremental_rebuild_extracts_only_the_changed_document(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "out"
    first = build([corpus], BuildOptions(out_dir=out))
    assert (first.extracted, first.reused) == (5, 0)
    corpus_reports = {path: path.stat().st_mtime_ns for path in (out / "cache").glob("corpus-*.nt")}
    assert len(corpus_reports) == 1
    changed = corpus / "003_68d8026e029efe2e.txt"
    changed.write_text(
        changed.read_text("utf-8").replace("创建20所儿童友好型试点学校", "创建22所儿童友好型试点学校"), "utf-8"
    )
    again = build([corpus], BuildOptions(out_dir=out))
    assert (again.extracted, again.reused) == (1, 4)
    # the changed target is no input of the corpus shapes: their report is reused, not made again
    assert {path: path.stat().st_mtime_ns for path in (out / "cache").glob("corpus-*.nt")} == corpus_reports
    clean = tmp_path / "clean"
    build([corpus], BuildOptions(out_dir=clean, use_cache=False))
    for name in OUTPUT_FILES:
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name
    assert len(list((out / "cache").glob("*.pickle"))) == 5  # the stale entry is gone
    assert len(list((out / "cache").glob("*.pieces"))) == 5
    assert len(list((out / "cache").glob("*.report"))) == 5
    assert (out / "validation.ttl").read_bytes() == (clean / "validation.ttl").read_bytes()
    assert store_quads(out) == store_quads(clean)  # the store was updated in place, not reloaded

    # a new citation adds a policy: the corpus shapes run again, and only the new report is kept
    changed.write_text(changed.read_text("utf-8") + "\n研究制定《长沙市校外培训机构管理办法》。\n", "utf-8")
    build([corpus], BuildOptions(out_dir=out))
    after = list((out / "cache").glob("corpus-*.nt"))
    assert len(after) == 1 and after[0] not in corpus_reports


def test_the_build_validates_as_one_validation_of_the_whole_graph(seed_build):
    """Each document validated in its worker plus the corpus shapes (kg/validate_scopes.py) report exactly what
    pySHACL reports on the whole built graph (`kg validate`)."""
    from kg.graphset import parse_nquads
    from kg.validate import report_turtle, validate

    out, _ = seed_build
    whole = validate(parse_nquads((out / "graph.nq").read_bytes()))
    assert whole.warnings > 0  # a seed prints no title: the comparison covers a non-empty report
    assert (out / "validation.ttl").read_bytes() == report_turtle(whole)


def test_documents_cached_without_a_report_are_validated_once(tmp_path):
    """A build with validation off caches no reports; the next build validates the cached documents without
    extracting them again, and the one after takes the reports from the cache."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("00[12]_*.txt")):
        shutil.copy(seed, corpus)
    out = tmp_path / "out"
    build([corpus], BuildOptions(out_dir=out, run_validation=False))
    assert not list((out / "cache").glob("*.report"))
    validated = build([corpus], BuildOptions(out_dir=out))
    assert (validated.extracted, validated.reused) == (0, 2)
    reports = {path: path.stat().st_mtime_ns for path in (out / "cache").glob("*.report")}
    assert len(reports) == 2
    first = (out / "validation.ttl").read_bytes()
    again = build([corpus], BuildOptions(out_dir=out))
    assert {path: path.stat().st_mtime_ns for path in (out / "cache").glob("*.report")} == reports
    assert (out / "validation.ttl").read_bytes() == first
    assert again.validation.warnings == validated.validation.warnings == 1  # 002 prints no title


def store_quads(out: Path) -> list[str]:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(out / "store"))
    try:
        return sorted(str(quad) for quad in store)
    finally:
        del store


def test_the_store_is_updated_graph_by_graph(tmp_path):
    """A rebuild replaces only the graphs that changed in the existing store, drops those of removed documents,
    and a lost manifest means a fresh load; every time the store equals a clean build's."""
    from kg.store import STORE_MANIFEST

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    out = tmp_path / "out"
    options = BuildOptions(out_dir=out, run_validation=False)
    build([corpus], options)
    manifest = out / "cache" / STORE_MANIFEST
    before = json.loads(manifest.read_text("utf-8"))
    store_inode = (out / "store").stat().st_ino

    (corpus / "004_91f08b645f3ddd8f.txt").unlink()
    changed = corpus / "000_ca6428d64397fc28.txt"
    changed.write_text(changed.read_text("utf-8") + "\n贯彻落实《国家中长期教育改革和发展规划纲要》。\n", "utf-8")
    build([corpus], options)
    after = json.loads(manifest.read_text("utf-8"))
    assert (out / "store").stat().st_ino == store_inode  # the same store, updated
    differs = {graph for graph in before.keys() | after.keys() if before.get(graph) != after.get(graph)}
    assert {graph.rsplit("/", 1)[-1] for graph in differs} == {
        "000_ca6428d64397fc28",  # changed
        "004_91f08b645f3ddd8f",  # removed
        "build",  # lists the inputs
        "policies",  # a new citation
        "governments",  # 锦州市 went with 004
    }
    clean = tmp_path / "clean"
    build([corpus], BuildOptions(out_dir=clean, run_validation=False))
    assert store_quads(out) == store_quads(clean)

    manifest.unlink()  # what the store holds is unknown: it is loaded afresh
    build([corpus], options)
    assert (out / "store").stat().st_ino != store_inode
    assert store_quads(out) == store_quads(clean)

    # another base IRI changes every graph: loaded afresh too, not replaced graph by graph
    store_inode = (out / "store").stat().st_ino
    other = "https://example.org/kg/"
    build([corpus], BuildOptions(out_dir=out, run_validation=False, base=other))
    assert (out / "store").stat().st_ino != store_inode
    build([corpus], BuildOptions(out_dir=clean, run_validation=False, base=other))
    assert store_quads(out) == store_quads(clean)


def test_the_build_loads_the_embedded_store(seed_build):
    from kg.store import open_built_store

    out, report = seed_build
    store = open_built_store(out)
    assert len(store) >= report.triples


def test_worker_processes_give_the_same_outputs_as_one(tmp_path):
    """Extraction forks workers once there are enough documents; the files must not notice."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        for copy in range(4):  # 20 documents: two workers of at least 8
            (corpus / f"{seed.stem}-{copy}.txt").write_bytes(seed.read_bytes())
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out-{jobs}"
        report = build([corpus], BuildOptions(out_dir=out, jobs=jobs, run_validation=False, use_cache=False))
        assert report.extracted == 20 and not report.errors
        outputs[jobs] = {name: (out / name).read_bytes() for name in OUTPUT_FILES}
    assert outputs[1] == outputs[2]


def test_the_build_summary_stays_short_on_a_large_corpus(capsys):
    from kg.build import BuildReport
    from kg.cli import SUMMARY_DOCUMENTS, _print_build_summary
    from kg.stats import DocumentStats

    documents = [DocumentStats(f"d{n:03d}", f"d{n:03d}.txt", 10, 1, 0, 0, None, None, 2020) for n in range(45)]
    report = BuildReport(documents=documents, triples=450, classes={"kg:WorkPlan": 45})
    _print_build_summary(report, BuildOptions(out_dir=Path("big")))
    out = capsys.readouterr().out
    assert out.count(".txt") == SUMMARY_DOCUMENTS
    assert f"… and {45 - SUMMARY_DOCUMENTS} more documents (`kg stats --out big` lists every one)" in out


def test_the_in_memory_mapping_gives_the_built_files(seed_build):
    """The build maps each document's graph in a worker and concatenates cached pieces; `to_graphs` maps all of
    it in one process (tests, the scorer). Both must give the same bytes."""
    from kg.build import extract_all, to_graphs
    from kg.write import serialise

    out, _ = seed_build
    records, errors = extract_all(sorted(SEEDS.glob("*.txt")), BuildOptions())
    assert not errors
    files = serialise(to_graphs(records).finalised())
    for name in OUTPUT_FILES:
        assert files[name] == (out / name).read_bytes(), name
