"""The site's plain files: gzipped dumps, the sitemap, robots.txt, the stylesheet and the JSON-LD context."""

from __future__ import annotations

import gzip
import io
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

SITEMAP_LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def gzipped(data: bytes) -> bytes:
    """gzip with no file name and mtime 0: the same bytes in, the same bytes out."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(data)
    return buffer.getvalue()


def dumps(built_dir: Path) -> dict[str, bytes]:
    """The build's N-Quads (one named graph per document) and Turtle (the union), gzipped."""
    return {
        "dumps/graph.nq.gz": gzipped((built_dir / "graph.nq").read_bytes()),
        "dumps/graph.ttl.gz": gzipped((built_dir / "graph.ttl").read_bytes()),
    }


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
