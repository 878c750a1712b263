"""The site's plain files: gzipped dumps, the sitemap, robots.txt, the stylesheet and the JSON-LD context."""

from __future__ import annotations

import gzip
import shutil
from importlib import resources
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


# site file → the build's file it gzips: the N-Quads (one named graph per document) and the Turtle (the union)
DUMPS = {"dumps/graph.nq.gz": "graph.nq", "dumps/graph.ttl.gz": "graph.ttl"}
CHUNK = 1 << 20


def gzip_into(source: Path, target: BinaryIO) -> None:
    """gzip with no file name and mtime 0 (the same bytes in, the same bytes out), streamed a chunk at a time: the
    build's N-Quads grow with the corpus (hundreds of MB at a few thousand documents) and are never held whole."""
    with (
        source.open("rb") as data,
        gzip.GzipFile(filename="", mode="wb", fileobj=target, compresslevel=9, mtime=0) as out,
    ):
        shutil.copyfileobj(data, out, CHUNK)


def sitemaps(base_url: str, pages: list[str]) -> dict[str, bytes]:
    """`sitemap.xml` listing every page; over 50,000 pages, a sitemap index over `sitemap-{n}.xml`."""
    pages = sorted(pages)
    chunks = [pages[i : i + SITEMAP_LIMIT] for i in range(0, len(pages), SITEMAP_LIMIT)] or [[]]

    def urlset(chunk: list[str]) -> bytes:
        lines = [f"  <url><loc>{escape(base_url + page)}</loc></url>" for page in chunk]
        return _xml(f'<urlset xmlns="{SITEMAP_NS}">', lines, "</urlset>")

    if len(chunks) == 1:
        return {"sitemap.xml": urlset(chunks[0])}
    files = {f"sitemap-{n}.xml": urlset(chunk) for n, chunk in enumerate(chunks, 1)}
    lines = [f"  <sitemap><loc>{escape(base_url + name)}</loc></sitemap>" for name in files]
    files["sitemap.xml"] = _xml(f'<sitemapindex xmlns="{SITEMAP_NS}">', lines, "</sitemapindex>")
    return files


def _xml(opening: str, lines: list[str], closing: str) -> bytes:
    return "\n".join(['<?xml version="1.0" encoding="UTF-8"?>', opening, *lines, closing, ""]).encode("utf-8")


def robots(base_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n".encode()


def stylesheet() -> bytes:
    return resources.files("kg.publish").joinpath("static/style.css").read_bytes()


def json_ld_context() -> bytes:
    return resources.files("kg").joinpath("context.jsonld").read_bytes()
