"""What every page renderer gets: the corpus, the path scheme, the descriptions, and helpers that turn IRIs and
literals into escaped, relative HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from kg.namespaces import compact_iri
from kg.normalise import to_simplified
from kg.publish.corpus import Corpus, local_name, pick
from kg.publish.describe import Descriptions
from kg.publish.markup import Markup, el, join, safe_url
from kg.publish.paths import SitePaths, href

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class SiteContext:
    corpus: Corpus
    paths: SitePaths
    descriptions: Descriptions
    base_url: str
    ontology: Graph
    license: str | None = None
    _term_labels: dict[tuple[Node, str], str | None] = field(default_factory=dict, repr=False)

    # ---- links -------------------------------------------------------------------------------------------------

    def page_of(self, iri: Node) -> str | None:
        """The site file showing `iri`: its own page, the page it is folded into, or an ontology anchor."""
        if not isinstance(iri, URIRef):
            return None
        owner = self.descriptions.owner.get(iri)
        if owner is not None:
            page = self.descriptions.paths[owner] + ".html"
            return page if owner == iri else f"{page}#{anchor(iri, owner)}"
        return self.paths.page(str(iri))

    def href(self, from_file: str, iri: Node) -> str | None:
        page = self.page_of(iri)
        if page is not None:
            return href(from_file, page)
        return safe_url(str(iri)) if isinstance(iri, URIRef) else None

    def link(self, from_file: str, iri: Node, text: object = None, **attrs: str | None) -> Markup:
        """A link to `iri`'s page (relative), an external http(s) link, or plain text when there is neither."""
        shown = text if text is not None else self.name(iri)
        target = self.href(from_file, iri)
        if target is None:
            return el("span", attrs, shown)
        return el("a", {"href": target, **attrs}, shown)

    def name(self, iri: Node) -> Markup:
        """The label of an IRI as HTML (original characters, language marked), or a compact IRI."""
        if isinstance(iri, Literal):
            return self.literal(iri)
        if not self.corpus.objects_of(iri):
            term = self.term_label(iri, "en")
            if term is not None:
                return el("span", {}, term)
            return el("span", {}, compact(iri))
        label = self.corpus.label(iri)
        return el("span", {"lang": "zh"} if _CJK.search(label) else {}, label)

    def term_label(self, iri: Node, language: str) -> str | None:
        """An ontology term's label in `language` (`en` or `zh`), or None; remembered (every statements row asks)."""
        key = (iri, language)
        if key not in self._term_labels:
            found = pick((v for v in self.ontology.objects(iri, RDFS.label) if isinstance(v, Literal)), (language,))
            self._term_labels[key] = None if found is None else str(found)
        return self._term_labels[key]

    def term(self, from_file: str, iri: Node) -> Markup:
        """A property or class: compact name linked to the ontology page, its English label as the tooltip."""
        return self.link(from_file, iri, compact(iri), title=self.term_label(iri, "en"))

    # ---- literals ----------------------------------------------------------------------------------------------

    def literal(self, value: Node | str | None, *, simplified: bool = True) -> Markup:
        """Text as printed, with its simplified form alongside where the two differ."""
        if value is None:
            return Markup("")
        text = str(value)
        language = value.language if isinstance(value, Literal) else None
        attrs = {"lang": language or ("zh" if _CJK.search(text) else None)}
        shown = el("span", attrs, text)
        if simplified:
            simple = simplified_form(text)
            if simple is not None:
                return join([shown, " ", el("span", {"class": "simp", "lang": "zh-Hans"}, simple)])
        return shown


@lru_cache(maxsize=1 << 14)  # a text shows on a few pages (plan, initiative, policy): recent ones are enough
def simplified_form(text: str) -> str | None:
    """The simplified form of `text` when it differs from the printed one, else None."""
    if not _CJK.search(text):
        return None
    simple = to_simplified(text)
    return simple if simple != text else None


def simplified_line(text: str) -> Markup | None:
    """A line under a title giving its simplified form, when that differs from the printed one."""
    simple = simplified_form(text)
    return None if simple is None else el("p", {"class": "simp", "lang": "zh-Hans"}, simple)


def anchor(iri: Node, owner: Node) -> str:
    """The fragment a folded IRI gets on its owner's page (`span`, `evidence-3-span`)."""
    rest = str(iri)[len(str(owner)) :].strip("/")
    return rest.replace("/", "-") or local_name(str(iri))


def compact(iri: Node) -> str:
    return compact_iri(str(iri))
