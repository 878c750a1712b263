"""Where each IRI lives in the site, and relative links between site files.

A site mirrors the IRI space: the build base (`https://w3id.org/edu-policy-kg/id/` by default) is the folder `id/`,
the vocabularies (`https://w3id.org/edu-policy-kg/vocab/`) the folder `vocab/`, the ontology the page `ontology`.
A resource at site path `id/plan/{doc}` has three files: `id/plan/{doc}.html`, `.ttl` and `.jsonld`. With the
default base, the site root stands for `https://w3id.org/edu-policy-kg/`, so one redirect rule maps every IRI to
its page.

Paths here are POSIX strings relative to the site root, never starting with `/`. Every segment is checked: only
`[A-Za-z0-9._~-]`, no leading dot, so no IRI can name a file outside its folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from kg.errors import KgError
from kg.namespaces import ONTOLOGY_IRI

VOCAB_IRI = "https://w3id.org/edu-policy-kg/vocab/"
RESOURCE_SUFFIXES = (".html", ".ttl", ".jsonld")
_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


@dataclass(frozen=True)
class SitePaths:
    """IRI ↔ site path for one build base."""

    base: str

    @cached_property  # asked for every IRI the site links to
    def spaces(self) -> tuple[tuple[str, str], ...]:
        """(IRI prefix, site folder), longest prefix first."""
        spaces = {self.base: "id/", VOCAB_IRI: "vocab/"}
        return tuple(sorted(spaces.items(), key=lambda item: -len(item[0])))

    def path(self, iri: str) -> str | None:
        """The site path of a resource IRI (no suffix), or None for an IRI the site does not publish."""
        if iri == ONTOLOGY_IRI:
            return "ontology"
        for prefix, folder in self.spaces:
            if iri.startswith(prefix) and len(iri) > len(prefix):
                rest = iri[len(prefix) :]
                if all(_SEGMENT.fullmatch(segment) for segment in rest.split("/")):
                    return folder + rest
                return None
        return None

    def require_path(self, iri: str) -> str:
        path = self.path(iri)
        if path is None:
            raise KgError(
                f"cannot publish <{iri}>: it is not under {self.base} or {VOCAB_IRI}, or a path segment holds "
                "characters other than A-Z a-z 0-9 . _ ~ -"
            )
        return path

    def iri(self, path: str) -> str | None:
        """The IRI a site path (no suffix) stands for, or None."""
        if path == "ontology":
            return ONTOLOGY_IRI
        for prefix, folder in self.spaces:
            if path.startswith(folder) and len(path) > len(folder):
                return prefix + path[len(folder) :]
        return None

    def page(self, iri: str) -> str | None:
        """The HTML file that shows `iri`, with `#fragment` for ontology terms (`ontology.html#WorkPlan`)."""
        stem, hash_, fragment = iri.partition("#")
        if hash_ and stem == ONTOLOGY_IRI:
            return f"ontology.html#{fragment}"
        path = self.path(iri)
        return None if path is None else path + ".html"


def href(from_file: str, to_file: str) -> str:
    """A relative link from one site file to another (`to_file` may carry a `#fragment`).

    The same as `posixpath.relpath(target, dirname(from_file))`, computed on the segments alone: site paths are
    already clean and relative, and `relpath` asks the operating system for the working folder on every call (a
    site makes millions of links)."""
    target, hash_, fragment = to_file.partition("#")
    folder = from_file.split("/")[:-1]
    parts = target.split("/")
    common = 0
    for mine, theirs in zip(folder, parts, strict=False):
        if mine != theirs:
            break
        common += 1
    relative = "/".join([".."] * (len(folder) - common) + parts[common:]) or "."
    return relative + (f"#{fragment}" if hash_ else "")
