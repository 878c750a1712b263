"""`kg publish`: the built graph as a static linked-data site. Runs the page modules in order and writes every
file through a staging folder (see docs/publish.md for the layout).

    report = publish(Path("out"), Path("site"), base_url="https://example.org/kg/")
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from kg import __version__
from kg.errors import UsageError
from kg.namespaces import KG, ORG
from kg.publish import charts, files, indexes, pages_plan, pages_policy, pages_vocab
from kg.publish.corpus import Corpus, load_corpus
from kg.publish.describe import partition
from kg.publish.layout import Page
from kg.publish.markup import safe_url
from kg.publish.ontology_page import load_ontology, ontology_json_ld, ontology_page, ontology_turtle
from kg.publish.paths import SitePaths
from kg.publish.queries_page import queries_page
from kg.publish.rdf_files import json_ld, to_graph, turtle
from kg.publish.site import SiteContext
from kg.publish.staging import StagedSite
from kg.publish.void import Dump, counts, describe
from kg.saved_queries import list_saved
from kg.write import published_context

DEFAULT_LICENSE = "https://www.apache.org/licenses/LICENSE-2.0"

Renderer = Callable[[SiteContext, str, URIRef], Page]
RENDERERS: tuple[tuple[URIRef, Renderer], ...] = (
    (KG.WorkPlan, pages_plan.plan_page),
    (KG.Section, pages_plan.section_page),
    (KG.Initiative, pages_plan.initiative_page),
    (KG.Target, pages_plan.target_page),
    (KG.PolicyReference, pages_plan.reference_page),
    (KG.SourceDocument, pages_plan.source_page),
    (KG.Policy, pages_policy.policy_page),
    (KG.Government, pages_policy.government_page),
    (ORG.Organization, pages_plan.body_page),
    (SKOS.ConceptScheme, pages_vocab.scheme_page),
)


@dataclass(frozen=True)
class PublishReport:
    out_dir: Path
    base_url: str
    resources: int  # IRIs with a page, a .ttl and a .jsonld
    pages: int  # HTML files
    files: int
    bytes: int
    triples: int


def default_base_url(build_base: str) -> str:
    """The folder above the build base: `https://w3id.org/edu-policy-kg/id/` → `https://w3id.org/edu-policy-kg/`."""
    return build_base.rstrip("/").rsplit("/", 1)[0] + "/"


def check_base_url(url: str) -> str:
    if safe_url(url) is None or "?" in url or "#" in url:
        raise UsageError(f"--base must be an http(s) URL without query or fragment, not {url!r}")
    return url if url.endswith("/") else url + "/"


def publish(
    built_dir: Path, out_dir: Path, base_url: str | None = None, license: str | None = DEFAULT_LICENSE
) -> PublishReport:
    """Write the site of the graph built in `built_dir` to `out_dir`, replacing an earlier site there."""
    if license is not None and safe_url(license) is None:
        raise UsageError(f"--license must be an http(s) URL, not {license!r}")
    corpus = load_corpus(built_dir)
    site_paths = SitePaths(corpus.base)
    base_url = check_base_url(base_url) if base_url else default_base_url(corpus.base)
    descriptions = partition(corpus, site_paths)
    ctx = SiteContext(corpus, site_paths, descriptions, base_url, load_ontology(), license)
    marker = {"base": corpus.base, "base_url": base_url, "version": __version__}
    pages: list[str] = []

    with StagedSite(out_dir, marker) as site:

        def page(item: Page) -> None:
            site.write(item.file, item.render())
            pages.append(item.file)

        json_context = published_context()
        for resource in descriptions.resources:
            stem = descriptions.paths[resource]
            graph = to_graph(descriptions.triples(corpus, resource))
            site.write(stem + ".ttl", turtle(graph))
            site.write(stem + ".jsonld", json_ld(graph, json_context))
            if corpus.has_type(resource, SKOS.Concept):
                item, chart = pages_vocab.concept_page(ctx, stem + ".html", resource)
                if chart is not None:
                    site.write(stem + ".svg", chart)
                page(item)
            else:
                page(_renderer(corpus, resource)(ctx, stem + ".html", resource))

        numbers = counts(corpus)
        picture = indexes.citation_picture(ctx, "index.html")  # citations.svg sits beside index.html: same links
        page(indexes.home_page(ctx, numbers, picture))
        site.write("citations.svg", charts.standalone(picture[0]))
        ranking = indexes.policy_ranking(ctx)
        page(indexes.governments_page(ctx))
        page(indexes.plans_page(ctx))
        page(indexes.policies_page(ctx, ranking))
        page(indexes.indicators_page(ctx))
        page(indexes.topics_page(ctx))
        page(ontology_page(ctx))
        site.write("ontology.ttl", ontology_turtle())
        site.write("ontology.jsonld", ontology_json_ld(ctx.ontology))
        page(queries_page(list_saved(), paths=site_paths))

        dumps = [
            Dump(name, site.write_with(name, lambda out, source=built_dir / source: files.gzip_into(source, out)))
            for name, source in files.DUMPS.items()
        ]
        void = describe(corpus, numbers, base_url, dumps, _examples(ctx, ranking), license)
        site.write("void.ttl", turtle(void))
        site.write("void.jsonld", json_ld(void, json_context))
        site.write("style.css", files.stylesheet())
        site.write("context.jsonld", files.json_ld_context())
        for name, data in files.sitemaps(base_url, pages).items():
            site.write(name, data)
        site.write("robots.txt", files.robots(base_url))

    return PublishReport(
        out_dir, base_url, len(descriptions.resources), len(pages), site.files + 1, site.bytes, len(corpus.triples)
    )


def _renderer(corpus: Corpus, resource: URIRef) -> Renderer:
    types = set(corpus.values(resource, RDF.type))
    for cls, renderer in RENDERERS:
        if cls in types:
            return renderer
    return pages_vocab.generic_page


def _examples(ctx: SiteContext, ranking: list[tuple[URIRef, int, int, Counter]]) -> list[URIRef]:
    """A plan, the most cited policy, a government with plans, a target: what a visitor should look at first."""
    corpus = ctx.corpus
    out: list[URIRef] = []
    if corpus.plans:
        out.append(corpus.plans[-1])
    if ranking:
        out.append(ranking[0][0])
    out.extend(sorted(corpus.plans_of_government, key=str)[:1])
    out.extend(corpus.instances(KG.Target)[:1])
    return out
