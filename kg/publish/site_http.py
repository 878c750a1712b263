"""Answering HTTP requests from a published site (`kg serve --site`): files, and resource IRIs with content
negotiation. The HTTP server itself is `kg/serve.py`; this module only maps a request path to an answer.

Paths:
- A file of the site (`/id/plan/x.html`, `/style.css`, `/dumps/graph.nq.gz`) is served as it is; `/` is `index.html`.
- A resource IRI's path (`/id/plan/x`) is negotiated from `Accept` (q-values, RFC 9110): `text/html`, `text/turtle`,
  `application/ld+json`, or `application/n-triples` (made from the Turtle). The answer names the file it sent in
  `Content-Location` and lists the others in `Link`; nothing acceptable is 406 with the offered types.
  An extension-less page that is not a resource (`/governments`) offers HTML only.
- The IRI of a span, selector or evidence (folded into a resource's description) is 303 See Other to that resource.
- Everything else is 404, and so is every path that could leave the site: `..` or `.` segments, hidden names,
  backslashes, NUL, encoded slashes or backslashes (`%2f`, `%5c`), double encoding (`%252e`), invalid UTF-8, or a
  symlink pointing outside. The decoded path is resolved and must stay inside the site root (`Path.is_relative_to`).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from rdflib import Graph

from kg.negotiation import Answer, negotiate
from kg.publish.paths import SitePaths
from kg.publish.staging import read_marker
from kg.write import sorted_ntriples

HTML = "text/html; charset=utf-8"
CONTENT_TYPES = {
    ".html": HTML,
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples; charset=utf-8",
    ".svg": "image/svg+xml",
    ".css": "text/css; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".gz": "application/gzip",
    ".json": "application/json",
}
# What a resource IRI can be answered as, in order of preference (the first is the default).
RESOURCE_OFFERS: tuple[tuple[str, str], ...] = (
    ("text/html", ".html"),
    ("text/turtle", ".ttl"),
    ("application/ld+json", ".jsonld"),
    ("application/n-triples", ".nt"),
)
PAGE_OFFERS: tuple[tuple[str, str], ...] = (("text/html", ".html"),)
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'",
    ),
)


class SiteFiles:
    """A published site on disk (it must hold the `.kg-site` marker that `kg publish` writes)."""

    def __init__(self, root: Path) -> None:
        marker = read_marker(root)
        self.root = root.resolve()
        self.paths = SitePaths(marker["base"])

    def answer(self, raw_path: str, accept: str) -> Answer:
        """The answer to a GET (or HEAD) of `raw_path`, the percent-encoded path of the request target."""
        segments = confine(raw_path)
        if segments is None:
            return not_found(raw_path)
        if not segments or segments[-1] == "":  # a folder: its index page
            index = self._inside([*segments[:-1], "index.html"])
            return _file(index) if index is not None and index.is_file() else not_found(raw_path)
        target = self._inside(segments)
        if target is None:
            return not_found(raw_path)
        if target.is_file():
            return _file(target)
        if target.with_name(target.name + ".html").is_file():
            return self._negotiate(target, accept)
        for cut in range(len(segments) - 1, 0, -1):  # a span or evidence IRI: see the resource it is described in
            owner = self._inside(segments[:cut])
            if owner is not None and owner.with_name(owner.name + ".ttl").is_file():
                location = "/" + "/".join(segments[:cut])
                return Answer.text(303, f"described in {location}", ("Location", location))
        return not_found(raw_path)

    def _inside(self, segments: list[str]) -> Path | None:
        candidate = self.root.joinpath(*segments).resolve()
        return candidate if candidate.is_relative_to(self.root) else None

    def _negotiate(self, target: Path, accept: str) -> Answer:
        is_resource = target.with_name(target.name + ".ttl").is_file()
        offers = RESOURCE_OFFERS if is_resource else PAGE_OFFERS
        chosen = negotiate(accept, offers)
        if chosen is None:
            offered = ", ".join(media_type for media_type, _ in offers)
            return Answer.text(406, f"not acceptable: {accept[:200]}; offered: {offered}")
        _, suffix = chosen
        name = target.name + suffix
        headers = [("Content-Location", name)]
        if is_resource:
            links = [f'<{target.name}{s}>; rel="alternate"; type="{m}"' for m, s in offers if s != suffix]
            headers.append(("Link", ", ".join(links)))
        if suffix == ".nt":  # rdflib, not Oxigraph: literals keep their language tags as written
            body = sorted_ntriples(Graph().parse(target.with_name(target.name + ".ttl"), format="turtle"))
            return Answer(200, CONTENT_TYPES[".nt"], body, headers=tuple(headers))
        return Answer(200, CONTENT_TYPES[suffix], file=target.with_name(name), headers=(*headers, *_security(suffix)))


def confine(raw_path: str) -> list[str] | None:
    """The decoded path segments of a request path, or None when the path could name anything outside the site."""
    lowered = raw_path.lower()
    if not raw_path.startswith("/") or "\\" in raw_path or "\x00" in raw_path:
        return None
    if any(code in lowered for code in ("%2f", "%5c", "%00")):
        return None
    try:
        decoded = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "%" in decoded or "\\" in decoded or "\x00" in decoded:
        return None
    segments = decoded.split("/")[1:]
    if segments == [""]:
        return []
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == "" and not last:
            return None
        if segment.startswith(".") or any(ord(ch) < 0x20 for ch in segment):
            return None
    return segments


def not_found(raw_path: str) -> Answer:
    return Answer.text(404, f"not found: {raw_path[:200]}")


def _file(path: Path) -> Answer:
    suffix = path.suffix.lower()
    return Answer(200, CONTENT_TYPES.get(suffix, "application/octet-stream"), file=path, headers=_security(suffix))


def _security(suffix: str) -> tuple[tuple[str, str], ...]:
    return SECURITY_HEADERS if suffix in (".html", ".svg") else SECURITY_HEADERS[:1]
