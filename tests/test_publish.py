"""`kg publish` (kg/publish/): the static site of the seed build — every resource with a page, Turtle and JSON-LD;
the site's Turtle crawled back gives the built graph; relative links that all resolve; readable pages; VoID, dumps,
sitemap and pictures; the same bytes on every run; written atomically; a hostile document rendered as text."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import ROOT
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS

from kg.errors import KgError, UsageError
from kg.namespaces import DCAT, KG, OA, ONTOLOGY_IRI, VOID
from kg.publish.paths import SitePaths, href
from kg.publish.publisher import publish
from kg.publish.staging import MARKER

BASE = "https://w3id.org/edu-policy-kg/id/"
METADATA_TTL = {"void.ttl", "ontology.ttl"}
METADATA_JSONLD = {"void.jsonld", "ontology.jsonld", "context.jsonld"}
HOSTILE = ROOT / "tests" / "data" / "hostile"
LIVE_ONLY = {"sparql", "query"}  # answered by kg serve, not files


@pytest.fixture(scope="module")
def built(seed_build) -> Path:
    return seed_build[0]


@pytest.fixture(scope="module")
def graph(built: Path) -> Graph:
    g = Graph()
    g.parse(built / "graph.ttl", format="turtle")
    return g


@pytest.fixture(scope="module")
def site(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("publish") / "site"
    publish(built, out)
    return out


def files_of(site: Path, suffix: str) -> list[Path]:
    return sorted(p for p in site.rglob(f"*{suffix}") if p.is_file())


def relative(site: Path, path: Path) -> str:
    return path.relative_to(site).as_posix()


class Links(HTMLParser):
    """Every href/src of a page, every id, and the text of every <mark>."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def parse_page(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text("utf-8"))
    return parser


# ---- every resource, three files -----------------------------------------------------------------------------------


def test_every_resource_has_a_page_turtle_and_json_ld(site, graph):
    paths = SitePaths(BASE)
    folded = {OA.SpecificResource, OA.TextPositionSelector, OA.TextQuoteSelector, KG.TextSpan, KG.GovernmentEvidence}
    published = {s for s in set(graph.subjects()) if not folded & set(graph.objects(s, RDF.type))}
    assert len(published) > 600
    for subject in published:
        stem = paths.path(str(subject))
        assert stem is not None, subject
        for suffix in (".html", ".ttl", ".jsonld"):
            assert (site / (stem + suffix)).is_file(), f"{stem}{suffix}"
    kinds = Counter(stem.split("/")[1] for stem in (paths.path(str(s)) for s in published) if stem)
    assert kinds == {
        "plan": 5 + 32 + 150 + 64 + 139,
        "policy": 128,
        "government": 11,
        "source": 5,
        "body": 2,
        "build": 1,
        "indicators": 111,
        "topics": 21,
    }


def test_crawling_every_turtle_file_gives_the_built_graph(site, graph):
    """The resource descriptions partition the graph: their union is isomorphic to out/graph.ttl, and no triple is
    written twice. With the two metadata files (ontology, VoID) the crawl is the graph plus exactly those."""
    crawled = Graph()
    sizes = 0
    everything = Graph()
    for path in files_of(site, ".ttl"):
        part = Graph()
        part.parse(path, format="turtle")
        everything += part
        if path.name in METADATA_TTL and path.parent == site:
            continue
        sizes += len(part)
        crawled += part
    assert len(crawled) == len(graph) == sizes
    assert isomorphic(crawled, graph)
    expected = Graph()
    expected += graph
    for name in METADATA_TTL:
        expected.parse(site / name, format="turtle")
    assert isomorphic(everything, expected)


def test_json_ld_files_round_trip_too(site, graph):
    crawled = Graph()
    for path in files_of(site, ".jsonld"):
        if path.parent == site and path.name in METADATA_JSONLD:
            continue
        crawled.parse(path, format="json-ld")
    assert isomorphic(crawled, graph)


def test_a_description_holds_the_resource_and_its_spans(site):
    initiative = Graph().parse(site / "id/plan/003_68d8026e029efe2e/initiative/3.ttl", format="turtle")
    subjects = {str(s) for s in initiative.subjects()}
    me = BASE + "plan/003_68d8026e029efe2e/initiative/3"
    assert subjects == {me, me + "/span", me + "/span/position", me + "/span/quote"}
    plan = Graph().parse(site / "id/plan/003_68d8026e029efe2e.ttl", format="turtle")
    assert any("/evidence/" in str(s) for s in plan.subjects())  # evidence folds into its plan
    assert not any("/initiative/" in str(s) for s in plan.subjects())  # initiatives have their own files


def test_publishing_twice_gives_identical_bytes(built, site, tmp_path):
    """Another process, another hash seed (set iteration order), the same bytes."""
    again = tmp_path / "again"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    command = [sys.executable, "-m", "kg.cli", "publish", "--from", str(built), "--out", str(again)]
    assert subprocess.run(command, env=env, capture_output=True, cwd=ROOT).returncode == 0

    def digest(root: Path) -> dict[str, str]:
        return {relative(root, p): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}

    assert digest(again) == digest(site)


# ---- links ---------------------------------------------------------------------------------------------------------


def test_every_link_is_relative_and_resolves(site):
    pages = files_of(site, ".html")
    assert len(pages) > 600
    ids = {relative(site, page): parse_page(page) for page in pages}
    checked = 0
    for page, parsed in ids.items():
        for link in parsed.links:
            if re.match(r"https?://", link):
                assert not link.startswith(
                    ("https://w3id.org/edu-policy-kg/id/", "https://w3id.org/edu-policy-kg/vocab/")
                ), (page, link)
                continue
            assert not link.startswith("/"), (page, link)  # relative, so the site works from any folder
            target, _, fragment = link.partition("#")
            resolved = (Path(page).parent / unquote(target)).as_posix() if target else page
            resolved = str(Path(resolved)).replace("\\", "/")
            parts: list[str] = []
            for part in resolved.split("/"):
                if part == "..":
                    parts.pop()
                elif part not in ("", "."):
                    parts.append(part)
            resolved = "/".join(parts)
            if resolved in LIVE_ONLY:
                continue
            assert (site / resolved).is_file(), (page, link)
            if fragment and resolved.endswith(".html"):
                assert fragment in ids[resolved].ids, (page, link)
            checked += 1
    assert checked > 10_000


def test_relative_hrefs():
    assert href("id/plan/x/initiative/3.html", "id/policy/k.html") == "../../../policy/k.html"
    assert href("index.html", "id/plan/x.html#section-1") == "id/plan/x.html#section-1"
    assert href("id/plan/x.html", "id/plan/x.html") == "x.html"


def test_relative_hrefs_agree_with_relpath():
    """href computes on segments what posixpath.relpath computes with the working folder: the same answer."""
    import itertools
    import posixpath

    files = ["index.html", "id/plan.html", "id/plan/x.html", "id/plan/x/initiative/3.html", "vocab/topics/a.html"]
    folders = ["id", "id/plan", "vocab"]
    for source, target in itertools.product(files, files + folders):
        assert href(source, target) == posixpath.relpath(target, posixpath.dirname(source) or "."), (source, target)


# ---- the pages -----------------------------------------------------------------------------------------------------

PLAN = "id/plan/003_68d8026e029efe2e"


def marks(html: str, kind: str) -> list[tuple[str, str]]:
    """(href, text) of every `<mark class="… kind …"><a href>text</a></mark>`."""
    found = []
    for classes, target, text in re.findall(r'<mark class="([^"]*)"><a href="([^"]*)"[^>]*>(.*?)</a></mark>', html):
        if kind in classes.split():
            found.append((target, text))
    return found


def test_plan_page_marks_targets_and_citations_and_links_each_to_its_resource(site, graph):
    html = (site / f"{PLAN}.html").read_text("utf-8")
    plan = URIRef(BASE + PLAN.removeprefix("id/"))
    targets = {t for i in graph.subjects(KG.partOf, plan) for t in graph.objects(i, KG.hasTarget)}
    references = {r for i in graph.subjects(KG.partOf, plan) for r in graph.objects(i, KG.hasPolicyReference)}
    target_marks = marks(html, "target")
    cite_marks = marks(html, "cite")

    def iri(link: str) -> str:  # links from id/plan/{doc}.html are relative to id/plan/
        return BASE + "plan/" + link.removesuffix(".html")

    assert {iri(h) for h, _ in target_marks} == {str(t) for t in targets}
    assert {iri(h) for h, _ in cite_marks} == {str(r) for r in references}
    quotes = {
        str(exact)
        for t in targets
        for span in graph.objects(t, KG.hasSpan)
        for selector in graph.objects(span, OA.hasSelector)
        for exact in graph.objects(selector, OA.exact)
    }
    assert quotes <= {text for _, text in target_marks}  # each mark shows exactly its span's characters
    for link, _ in target_marks + cite_marks:
        assert (site / "id/plan" / link).is_file()


def test_policy_page_lists_every_citing_government_with_relation_year_and_quote(site, graph):
    policies = Counter(o for o in graph.objects(None, KG.cites))
    policy, citations = policies.most_common(1)[0]
    html = (site / ("id/" + str(policy).removeprefix(BASE) + ".html")).read_text("utf-8")
    table = html.split('<table class="cited-by">', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tr>")[2:]
    assert len(rows) == citations
    for reference in graph.subjects(KG.cites, policy):
        plan = next(p for p in graph.subjects(RDF.type, KG.WorkPlan) if str(reference).startswith(str(p) + "/"))
        government = graph.value(plan, KG.issuedBy)
        row = next(r for r in rows if str(reference).removeprefix(BASE) + ".html" in r)
        assert str(graph.value(government, RDFS.label)) in row
        assert str(graph.value(plan, KG.planYear)) in row
        assert ("drafts" if graph.value(reference, KG.relation) == KG.Drafts else "implements") in row
        assert '<mark class="cite">' in row  # the quote, marked in its sentence


def test_government_page_shows_plans_and_commitments_over_the_years(site, graph):
    html = (site / "id/government/430100.html").read_text("utf-8")
    assert "长沙市教育局2019年工作计划" in html
    assert "Commitments over the years" in html
    assert html.count('<mark class="target">') == 19  # every target of 长沙's 2019 plan
    assert "湖南省" in html  # the province above it


def test_index_pages(site, graph):
    governments = (site / "governments.html").read_text("utf-8")
    for province in ("广东省", "湖南省", "陕西省", "河北省", "辽宁省"):
        assert province in governments
    plans = (site / "plans.html").read_text("utf-8")
    years = re.findall(r'<h2 id="y(\d{4})">', plans)
    assert years == sorted(years, reverse=True) and set(years) == {"2018", "2019", "2020", "2021"}
    policies = (site / "policies.html").read_text("utf-8")
    counts = [
        int(n)
        for n in re.findall(
            r'<td class="num">(\d+)</td><td class="num">\d+</td><td class="num">\d+</td><td class="num">\d+</td></tr>',
            policies,
        )
    ]
    assert len(counts) == 128 and counts == sorted(counts, reverse=True)
    indicators = (site / "indicators.html").read_text("utf-8")
    assert "学前三年毛入园率" in indicators and "Gross enrolment rate" in indicators
    topics = (site / "topics.html").read_text("utf-8")
    assert "学前教育" in topics and "Pre-school education" in topics
    home = (site / "index.html").read_text("utf-8")
    assert "<svg" in home and "Citation network" in home


def test_traditional_text_has_its_simplified_form_alongside(tmp_path):
    from kg.build import BuildOptions, build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "tests/cases/refs/anxi_2022_trad/doc.txt", corpus / "anxi_2022_trad.txt")
    build([corpus], BuildOptions(out_dir=tmp_path / "out", run_validation=False, write_store=False))
    publish(tmp_path / "out", tmp_path / "site")
    html = (tmp_path / "site/id/plan/anxi_2022_trad.html").read_text("utf-8")
    assert "【轉載】安溪縣2022年教育工作要點" in html  # as printed
    assert '<p class="simp" lang="zh-Hans">【转载】安溪县2022年教育工作要点</p>' in html  # and simplified
    assert '<div class="text simp" lang="zh-Hans">' in html  # every initiative's text too


def test_ontology_page_documents_every_term_in_both_languages(site):
    ontology = Graph().parse(site / "ontology.ttl", format="turtle")
    page = parse_page(site / "ontology.html")
    html = (site / "ontology.html").read_text("utf-8")
    terms = {s for s in ontology.subjects(RDFS.label, None) if isinstance(s, URIRef) and str(s).startswith(str(KG))}
    assert len(terms) > 60
    for term in terms:
        name = str(term).rsplit("#", 1)[1]
        assert name in page.ids, name
        for label in ontology.objects(term, RDFS.label):
            assert str(label) in html
    assert isomorphic(Graph().parse(site / "ontology.jsonld", format="json-ld"), ontology)


def test_void_and_dcat_describe_the_dataset(site, graph):
    void = Graph().parse(site / "void.ttl", format="turtle")
    dataset = URIRef("https://w3id.org/edu-policy-kg/void.ttl#dataset")
    assert (dataset, RDF.type, VOID.Dataset) in void and (dataset, RDF.type, DCAT.Dataset) in void
    assert int(void.value(dataset, VOID.triples)) == len(graph)
    assert int(void.value(dataset, VOID.distinctSubjects)) == len(set(graph.subjects()))
    assert str(void.value(dataset, VOID.uriSpace)) == BASE
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef("https://w3id.org/edu-policy-kg/sparql")
    assert void.value(dataset, DCTERMS.license) == URIRef("https://www.apache.org/licenses/LICENSE-2.0")
    dumps = set(void.objects(dataset, VOID.dataDump))
    assert dumps == {
        URIRef("https://w3id.org/edu-policy-kg/dumps/graph.nq.gz"),
        URIRef("https://w3id.org/edu-policy-kg/dumps/graph.ttl.gz"),
    }
    for example in void.objects(dataset, VOID.exampleResource):
        assert (site / ("id/" + str(example).removeprefix(BASE) + ".html")).is_file()
    for part in void.objects(dataset, VOID.classPartition):
        cls = void.value(part, VOID["class"])
        assert int(void.value(part, VOID.entities)) == len(set(graph.subjects(RDF.type, cls)))
    sizes = {
        str(void.value(d, DCAT.downloadURL)): int(void.value(d, DCAT.byteSize))
        for d in void.objects(dataset, DCAT.distribution)
        if void.value(d, DCAT.downloadURL)
    }
    for url, size in sizes.items():
        assert (site / url.removeprefix("https://w3id.org/edu-policy-kg/")).stat().st_size == size
    assert isomorphic(Graph().parse(site / "void.jsonld", format="json-ld"), void)
    assert not any(isinstance(node, type(None)) for node in void.all_nodes())


def test_the_default_licence_is_the_one_the_project_declares():
    """`kg publish` without --license states the project's own licence (pyproject.toml), as a URL."""
    import tomllib

    from kg.publish.publisher import DEFAULT_LICENSE

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["license"]["text"]
    assert {"Apache-2.0": "https://www.apache.org/licenses/LICENSE-2.0"}[declared] == DEFAULT_LICENSE


def test_license_option_sets_the_licence_of_the_dataset_each_dump_and_the_home_page(hostile_built, tmp_path):
    licence = "https://creativecommons.org/licenses/by/4.0/"
    from kg.cli import main

    assert main(["publish", "--from", str(hostile_built), "--out", str(tmp_path / "site"), "--license", licence]) == 0
    void = Graph().parse(tmp_path / "site" / "void.ttl", format="turtle")
    (dataset,) = void.subjects(RDF.type, VOID.Dataset)
    assert set(void.objects(dataset, DCTERMS.license)) == {URIRef(licence)}
    dumps = [d for d in void.objects(dataset, DCAT.distribution) if void.value(d, DCAT.downloadURL) is not None]
    assert len(dumps) == 2 and all(set(void.objects(d, DCTERMS.license)) == {URIRef(licence)} for d in dumps)
    assert f'Licence: <a href="{licence}">{licence}</a>' in (tmp_path / "site" / "index.html").read_text("utf-8")


def test_dumps_are_the_build_gzipped_without_a_timestamp(site, built):
    for name in ("graph.nq", "graph.ttl"):
        data = (site / "dumps" / f"{name}.gz").read_bytes()
        assert data[4:8] == b"\0\0\0\0"  # gzip MTIME
        assert gzip.decompress(data) == (built / name).read_bytes()


def test_sitemap_lists_every_page_with_absolute_urls(site, hostile_built, tmp_path):
    urls = [
        loc.text
        for loc in ET.parse(site / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    pages = sorted(relative(site, p) for p in files_of(site, ".html"))
    assert urls == ["https://w3id.org/edu-policy-kg/" + p for p in pages]
    assert "Sitemap: https://w3id.org/edu-policy-kg/sitemap.xml" in (site / "robots.txt").read_text("utf-8")
    elsewhere = tmp_path / "elsewhere"
    report = publish(hostile_built, elsewhere, base_url="https://example.org/kg")
    publish(hostile_built, tmp_path / "default")
    assert report.base_url == "https://example.org/kg/"
    first = next(ET.parse(elsewhere / "sitemap.xml").getroot().iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"))
    assert first.text.startswith("https://example.org/kg/")
    # --base moves the public URLs only: the graph's IRIs, and so every resource file, stay the same
    for path in files_of(elsewhere, ".ttl"):
        if path.name != "void.ttl":
            assert path.read_bytes() == (tmp_path / "default" / relative(elsewhere, path)).read_bytes()


def test_svg_pictures_are_well_formed_and_link_to_pages(site, graph):
    network = ET.parse(site / "citations.svg").getroot()
    links = [a.get("href") for a in network.iter("{http://www.w3.org/2000/svg}a")]
    assert any("government/" in link for link in links) and any("policy/" in link for link in links)
    for link in links:
        assert (site / link).is_file()
    assert len(list(network.iter("{http://www.w3.org/2000/svg}path"))) > 50  # curves, one per government × policy
    measured = {o for o in graph.objects(None, KG.measures)}
    for concept in measured:
        chart = site / ("vocab/" + str(concept).removeprefix("https://w3id.org/edu-policy-kg/vocab/") + ".svg")
        root = ET.parse(chart).getroot()
        bars = [a for a in root.iter("{http://www.w3.org/2000/svg}a") if a.get("class") == "bar"]
        assert len(bars) == len(set(graph.subjects(KG.measures, concept))), concept
        for bar in bars:
            assert (chart.parent / bar.get("href")).resolve().is_file()


# ---- safety ----------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-document build (tests/data/hostile/): small enough to publish many times."""
    from kg.build import BuildOptions, build

    out = tmp_path_factory.mktemp("hostile") / "out"
    build([HOSTILE], BuildOptions(out_dir=out, write_store=False))
    return out


@pytest.fixture(scope="module")
def hostile_site(hostile_built: Path) -> Path:
    publish(hostile_built, hostile_built.parent / "site")
    return hostile_built.parent / "site"


def test_a_hostile_document_renders_as_text_everywhere(hostile_site):
    """The document holds <script> and "><img onerror> in its title, a section, an initiative, a target and two
    policy titles: every page shows them as text, and no page carries a script, an image or an event handler."""
    html_files = files_of(hostile_site, ".html") + files_of(hostile_site, ".svg")
    assert len(html_files) > 50
    texts = 0
    for path in html_files:
        page = path.read_text("utf-8")
        parsed = parse_page(path)
        assert not parsed.tags["script"] and not parsed.tags["img"], path
        assert not re.search(r"<[^>]*\son\w+=", page), path
        texts += "&lt;script&gt;" in page
    assert texts > 10
    plan = (hostile_site / "id/plan/hostile_2021.html").read_text("utf-8")
    assert "清远市2021年教育工作要点&lt;script&gt;document.title=&quot;pwned-title&quot;&lt;/script&gt;" in plan
    assert "&quot;&gt;&lt;img src=x onerror=&quot;document.title=&#x27;pwned-img&#x27;&quot;&gt;" in plan
    policy = Graph().parse(hostile_site / "id/plan/hostile_2021.ttl", format="turtle")
    assert any("<script>" in str(o) for o in policy.objects(None, DCTERMS.title))  # the data keeps the text as printed


def test_only_empty_folders_or_earlier_sites_are_replaced(built, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete")
    with pytest.raises(UsageError, match="not empty and not a site written by kg publish"):
        publish(built, precious)
    assert (precious / "thesis.txt").read_text() == "do not delete"
    with pytest.raises(UsageError, match="no built graph here"):
        publish(tmp_path / "nothing", tmp_path / "site")
    with pytest.raises(UsageError, match="--base must be an http"):
        publish(built, tmp_path / "site", base_url="javascript:alert(1)")


def test_a_failed_publish_leaves_the_previous_site(hostile_built, tmp_path, monkeypatch):
    built = hostile_built
    site = tmp_path / "site"
    publish(built, site)
    before = {relative(site, p) for p in site.rglob("*")}
    (site / "index.html").write_text("previous")

    def broken(ctx):
        raise KgError("disk full")

    monkeypatch.setattr("kg.publish.indexes.topics_page", broken)
    with pytest.raises(KgError, match="disk full"):
        publish(built, site)
    assert (site / "index.html").read_text() == "previous"
    assert {relative(site, p) for p in site.rglob("*")} == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging folder left behind
    assert json.loads((site / MARKER).read_text())["base"] == BASE


def test_cli_publish(hostile_built, tmp_path, capsys):
    built = hostile_built
    from kg.cli import main

    assert (
        main(["publish", "--from", str(built), "--out", str(tmp_path / "site"), "--base", "https://example.org/"]) == 0
    )
    out = capsys.readouterr().out
    assert re.match(
        r"published \d+ resources \(\d+ triples\) as \d+ pages and \d+ files, [\d.]+ MB, into .* in [\d.]+ s", out
    )
    assert main(["publish", "--from", str(tmp_path / "missing"), "--out", str(tmp_path / "other")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("kg publish: error: ") and error.count("\n") == 1
    assert main(["publish", "--from", str(built), "--out", str(tmp_path / "x"), "--license", "ftp://nope"]) == 2


# ---- building blocks -------------------------------------------------------------------------------------------------


def test_site_paths_map_iris_both_ways_and_refuse_unsafe_segments():
    paths = SitePaths(BASE)
    assert paths.path(BASE + "plan/x/initiative/3") == "id/plan/x/initiative/3"
    assert paths.iri("id/plan/x/initiative/3") == BASE + "plan/x/initiative/3"
    assert paths.path("https://w3id.org/edu-policy-kg/vocab/topics/higher-education") == "vocab/topics/higher-education"
    assert paths.page(ONTOLOGY_IRI + "#WorkPlan") == "ontology.html#WorkPlan"
    for unsafe in ("plan/../../etc", "plan/.hidden", "plan/a b", "plan/%2e%2e", "plan/x?y", "plan//x", ""):
        assert paths.path(BASE + unsafe) is None, unsafe
    assert paths.path("http://example.org/elsewhere") is None


def test_markup_escapes_text_and_attributes():
    from kg.publish.markup import el, safe_url

    hostile = '"><img src=x onerror=alert(1)><script>x</script>'
    out = el("a", {"href": "p.html", "title": hostile}, hostile)
    assert "<img" not in out and "<script" not in out
    assert out.startswith('<a href="p.html" title="&quot;&gt;&lt;img')
    assert safe_url("javascript:alert(1)") is None and safe_url("https://example.org/x") == "https://example.org/x"
    assert safe_url('https://example.org/"onmouseover=x') is None


def test_highlight_cuts_overlapping_marks_and_escapes_text():
    from kg.publish.highlight import Mark, highlight

    text = "到2020年<b>达到95%"
    out = highlight(text, 100, [Mark(100, 117, "target", "t.html", "target"), Mark(107, 110, "cite", "r.html", "x")])
    assert "&lt;" in out and "&gt;" in out and "<b>" not in out
    assert out.count("<mark") == 3  # before, inside and after the nested citation
    assert '<mark class="target cite"><a href="r.html"' in out  # the overlap links to the shorter span
    assert highlight("abc", 0, []) == "abc"
    assert highlight("abc", 10, [Mark(0, 5, "target", "t.html")]) == "abc"  # marks outside are ignored


def test_literals_keep_their_language_tags(site, graph):
    page = Graph().parse(site / f"{PLAN}.ttl", format="turtle")
    titles = list(page.objects(None, DCTERMS.title))
    assert titles and all(isinstance(t, Literal) and t.language and t.language.lower() == "zh-hans" for t in titles)


def test_docs_describe_every_top_level_file_of_the_site(site):
    docs = (ROOT / "docs" / "publish.md").read_text("utf-8")
    for entry in sorted(site.iterdir()):
        assert entry.name in docs, f"docs/publish.md does not mention {entry.name}"
    assert "docs/publish.md" in (ROOT / "README.md").read_text("utf-8")


MINIMAL = """@prefix kg: <https://w3id.org/edu-policy-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/data/graph/doc> {
  <http://example.org/data/plan/doc> a kg:WorkPlan ; dcterms:title "某縣2020年教育工作要點"@zh-Hant ;
      kg:planYear "2020"^^xsd:gYear ; kg:sourceDocument <http://example.org/data/source/doc> .
  <http://example.org/data/source/doc> a kg:SourceDocument ; kg:text "某縣2020年教育工作要點" .
}
<http://example.org/data/graph/build> { <http://example.org/data/build/k> a kg:BuildActivity . }
"""


def test_a_minimal_graph_under_another_base_keeps_its_literals_exactly(tmp_path):
    """No initiative, no government, a base of its own, a mixed-case language tag: published all the same, and
    the files hold the literals exactly as built (rdflib's isomorphism compares language tags case-sensitively)."""
    built = tmp_path / "out"
    built.mkdir()
    quads = Dataset()
    quads.parse(data=MINIMAL, format="trig")
    dataset = Graph()
    for s, p, o, _ in quads.quads((None, None, None, None)):
        dataset.add((s, p, o))
    (built / "graph.trig").write_text(MINIMAL, "utf-8")
    (built / "graph.ttl").write_text(dataset.serialize(format="turtle"), "utf-8")
    (built / "graph.nt").write_text(dataset.serialize(format="nt"), "utf-8")
    (built / "graph.nq").write_text(quads.serialize(format="nquads"), "utf-8")
    publish(built, tmp_path / "site")
    site = tmp_path / "site"
    assert sorted(relative(site, p) for p in files_of(site, ".ttl")) == [
        "id/build/k.ttl",
        "id/plan/doc.ttl",
        "id/source/doc.ttl",
        "ontology.ttl",
        "void.ttl",
    ]
    assert "@zh-Hant" in (site / "id/plan/doc.ttl").read_text("utf-8")
    crawled = Graph()
    for path in files_of(site / "id", ".ttl"):
        crawled.parse(path, format="turtle")
    assert isomorphic(crawled, dataset)
    plan = (site / "id/plan/doc.html").read_text("utf-8")
    assert "某縣2020年教育工作要點" in plan and "某县2020年教育工作要点" in plan  # simplified alongside
    assert json.loads((site / MARKER).read_text())["base"] == "http://example.org/data/"
    void = Graph().parse(site / "void.ttl", format="turtle")
    assert [str(o) for o in void.objects(None, VOID.uriSpace)] == ["http://example.org/data/"]
