"""Publishing the built graph as a static linked-data site (`kg publish`) and serving it (`kg serve --site`).

One module per job; `kg/publish/publisher.py` runs them in order:

| module | job |
| --- | --- |
| `paths.py` | resource IRI ↔ site file (`id/plan/{doc}` → `id/plan/{doc}.html`, `.ttl`, `.jsonld`), relative links |
| `triples.py` | the union graph's triples, indexed by subject and by object (no rdflib `Graph`) |
| `corpus.py` | the built graph read once, with the lookups the pages need |
| `describe.py` | which IRIs get files, and the triples each `.ttl` / `.jsonld` holds |
| `rdf_files.py` | Turtle and JSON-LD of one description, deterministic |
| `markup.py` | HTML built from escaped text only (`Markup`, `el`) |
| `layout.py` | the page frame: head, navigation, footer, alternates |
| `highlight.py` | original text with spans marked and linked |
| `pages_*.py` | one module per resource kind |
| `indexes.py` | index pages and the home page |
| `ontology_page.py`, `void.py` | the ontology page; the VoID and DCAT description |
| `charts.py` | SVG: the citation network, a chart per indicator |
| `queries_page.py`, `query_run.py` | the saved queries, listed statically and run live by `kg serve` |
| `files.py`, `staging.py` | dumps, sitemap, robots.txt; writing the site atomically |
| `site_http.py` | serving a published site: path confinement and content negotiation |

See docs/publish.md for the layout of a published site.
"""
