"""The `kg` command: parses arguments, calls the library, and turns domain errors into one line and an exit code.

Exit codes: 0 ok, 1 the data does not conform (SHACL violations), 2 usage or input error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kg import __version__
from kg.errors import InputError, KgError, UsageError
from kg.namespaces import DEFAULT_BASE
from kg.read import DEFAULT_MAX_BYTES
from kg.textwidth import table

Handler = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args)
    except KgError as err:
        print(f"kg {args.command}: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `kg query … | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build, validate, score and inspect the edu-policy-kg knowledge graph of Chinese "
        "local-government education work plans.",
    )
    parser.add_argument("--version", action="version", version=f"edu-policy-kg {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the graph from documents (.txt, .html) into an output folder")
    build.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders to read")
    build.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    build.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI for resources (default: {DEFAULT_BASE})")
    build.add_argument(
        "--max-bytes",
        type=_positive_int,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse input files larger than this (default: {DEFAULT_MAX_BYTES})",
    )
    build.add_argument("--no-validate", action="store_true", help="skip SHACL validation")
    build.add_argument("--strict", action="store_true", help="exit 2 when any input file could not be read")
    build.add_argument("--quiet", action="store_true", help="no progress output")
    build.set_defaults(handler=_build)

    validate = commands.add_parser("validate", help="validate a built graph against the SHACL shapes")
    validate.add_argument("--out", type=Path, default=Path("out"), help="folder holding graph.trig (default: out)")
    validate.set_defaults(handler=_validate)

    evaluate = commands.add_parser("eval", help="score a built graph against a gold annotation file")
    evaluate.add_argument("gold", type=Path, metavar="GOLD.json", help="gold file in the GUIDELINES.md format")
    evaluate.add_argument("--out", type=Path, default=Path("out"), help="folder holding graph.trig (default: out)")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.add_argument("--per-document", action="store_true", help="also print a line per document")
    evaluate.set_defaults(handler=_eval)

    query = commands.add_parser("query", help="run a saved query (by name) or a .rq file, locally or on a server")
    query.add_argument("query", metavar="NAME|FILE.rq", help="a saved query in queries/ (kg query --list) or a file")
    query.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a query parameter")
    query.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table", help="output format")
    query.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 query endpoint (default: the embedded store)")
    query.add_argument("--user", help="user name for the endpoint")
    query.add_argument("--password", help="password for the endpoint")
    query.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the endpoint (default 30)")
    query.add_argument("--out", type=Path, default=Path("out"), help="folder holding the built store (default: out)")
    query.set_defaults(handler=_query)

    listing = commands.add_parser(
        "queries",
        help="list the saved queries with their questions and parameters",
        description="List the saved SPARQL queries in queries/: name, title and question in English and Chinese, "
        "and each parameter with its default. Run one with `kg query NAME --param NAME=VALUE`.",
    )
    listing.set_defaults(handler=_queries)

    load = commands.add_parser("load", help="push the built graph into a SPARQL 1.1 server (Graph Store Protocol)")
    load.add_argument("--endpoint", required=True, metavar="URL", help="the server's SPARQL query endpoint")
    load.add_argument("--graph-store", metavar="URL", help="its Graph Store endpoint (default: …/store)")
    load.add_argument("--user", help="user name")
    load.add_argument("--password", help="password")
    load.add_argument("--prune", action="store_true", help="delete this project's graphs no longer in the build")
    load.add_argument("--timeout", type=float, default=60.0, help="seconds to wait per request (default 60)")
    load.add_argument("--out", type=Path, default=Path("out"), help="folder holding graph.nq (default: out)")
    load.add_argument("--base", default=DEFAULT_BASE, help=f"base IRI of the build (default: {DEFAULT_BASE})")
    load.set_defaults(handler=_load)

    publish = commands.add_parser(
        "publish",
        help="write a static linked-data site: pages, Turtle and JSON-LD for every resource",
        description="Write the built graph as a static linked-data site: an HTML page, Turtle and JSON-LD for every "
        "resource IRI, index pages, the ontology, VoID/DCAT, dumps and a sitemap. Links are relative, so the "
        "folder works from any static host; see docs/publish.md.",
    )
    publish.add_argument(
        "--out", type=Path, default=Path("site"), metavar="DIR", help="site folder to write (default: site)"
    )
    publish.add_argument(
        "--base",
        metavar="URL",
        help="public URL of the site, for the sitemap and VoID (default: the folder above the build's base IRI)",
    )
    publish.add_argument(
        "--license",
        metavar="URL",
        help="licence of the data, stated in VoID/DCAT and on the home page "
        "(default: the project's, Apache-2.0, https://www.apache.org/licenses/LICENSE-2.0)",
    )
    publish.add_argument(
        "--from", dest="built", type=Path, default=Path("out"), metavar="DIR", help="built graph (default: out)"
    )
    publish.set_defaults(handler=_publish)

    serve = commands.add_parser(
        "serve", help="serve the SPARQL endpoint, and the published site with content negotiation"
    )
    serve.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    serve.add_argument(
        "--site",
        type=Path,
        metavar="DIR",
        help="a folder written by kg publish, served beside /sparql (default: site, if there)",
    )
    serve.add_argument("--timeout", type=float, default=10.0, help="query timeout in seconds (default 10)")
    serve.add_argument("--max-results", type=int, default=10_000, help="result rows at most (default 10000)")
    serve.add_argument("--out", type=Path, default=Path("out"), help="folder holding the built store (default: out)")
    serve.add_argument(
        "--in-memory",
        action="store_true",
        help="load the built graph into memory first: queries 2-5x faster, for a load at start (about 3 s and"
        " 0.5 GB per million quads)",
    )
    serve.set_defaults(handler=_serve)

    stats = commands.add_parser("stats", help="counts per class and per document of a built graph")
    stats.add_argument("--out", type=Path, default=Path("out"), help="folder holding graph.nq (default: out)")
    stats.set_defaults(handler=_stats)
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {value}")
    return number


# --- build -------------------------------------------------------------------------------------------------


def _build(args: argparse.Namespace) -> int:
    from kg.build import BuildOptions, build

    options = BuildOptions(
        out_dir=args.out, base=args.base, max_bytes=args.max_bytes, run_validation=not args.no_validate
    )
    with _Progress(enabled=not args.quiet) as progress:
        report = build(args.paths, options, progress)
    for error in report.errors:
        print(f"kg build: error: {error}", file=sys.stderr)
    _print_build_summary(report, options)
    if not report.conforms:
        return 1
    return 2 if args.strict and report.errors else 0


class _Progress:
    """A progress bar on a terminal, plain log lines otherwise (CI logs, pipes)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def __call__(self, n: int, total: int, path: str, outcome: object) -> None:
        if not self.enabled:
            return
        if sys.stderr.isatty():
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=total, unit="doc", desc="building", file=sys.stderr)
            self.bar.update(1)
            return
        if isinstance(outcome, InputError):
            print(f"[{n}/{total}] {path}: skipped", file=sys.stderr)
        else:
            print(f"[{n}/{total}] {path}: {len(outcome.structure.initiatives)} initiatives", file=sys.stderr)


# The build summary lists this many documents; a large corpus would fill the terminal.
SUMMARY_DOCUMENTS = 20


def _print_build_summary(report, options) -> None:
    docs = report.documents
    print(
        f"edu-policy-kg {__version__}: built {len(docs)} document(s) into {options.out_dir}/ ({report.triples} triples;"
        f" extracted {report.extracted}, reused {report.reused} from cache)"
    )
    shown = docs[:SUMMARY_DOCUMENTS]
    print(_documents_table(shown))
    if len(docs) > len(shown):
        print(f"… and {len(docs) - len(shown)} more documents (`kg stats --out {options.out_dir}` lists every one)")
    print("classes: " + ", ".join(f"{name} {count}" for name, count in report.classes.items()))
    if report.errors:
        print(f"skipped: {len(report.errors)} file(s) with input errors (listed above)")
    if report.validation is None:
        print("validation: skipped (--no-validate)")
    else:
        _print_validation(report.validation, options.out_dir)
    print(f"time: {report.timings.summary()}")


def _print_validation(result, out_dir: Path) -> None:
    verdict = "conforms" if result.conforms else "DOES NOT CONFORM"
    counts = f"{result.violations} violations, {result.warnings} warnings"
    print(f"validation: {verdict} ({counts}) -> {out_dir}/validation.ttl")
    for line in result.summary_lines():
        print(f"  {line}")


# --- validate, eval, stats ---------------------------------------------------------------------------------


def _load_built(out_dir: Path):
    from rdflib import Dataset

    from kg.write import built_file

    path = built_file(out_dir, "graph.trig")
    dataset = Dataset()
    try:
        dataset.parse(path, format="trig")
    except Exception as err:  # rdflib raises many parser-specific types
        raise InputError(str(path), f"cannot parse: {err}") from err
    return dataset


def _validate(args: argparse.Namespace) -> int:
    from kg.validate import validate, write_report

    result = validate(_load_built(args.out))
    write_report(result, args.out / "validation.ttl")
    _print_validation(result, args.out)
    return 0 if result.conforms else 1


def _eval(args: argparse.Namespace) -> int:
    from kg.evaluate import format_scores, load_gold, per_document_lines, read_predictions, score

    gold = load_gold(args.gold)
    scores = score(gold, read_predictions(_load_built(args.out)))
    if args.json:
        print(json.dumps(scores.as_dict(), ensure_ascii=False, indent=2, sort_keys=True))
        return 0
    if args.per_document:
        print("\n".join(per_document_lines(scores)))
        print()
    print(format_scores(scores))
    return 0


def _params(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--param takes NAME=VALUE, got {pair!r}")
        values[name.strip()] = value
    return values


def _query(args: argparse.Namespace) -> int:
    from kg.results import render
    from kg.saved_queries import bindings, load

    saved = load(args.query)
    bound = bindings(saved, _params(args.param))
    if args.endpoint:
        from kg.remote import Endpoint, remote_query

        endpoint = Endpoint(args.endpoint, user=args.user, password=args.password, timeout=args.timeout)
        result = remote_query(endpoint, saved.text, bound)
    else:
        from kg.store import open_built_store

        result = open_built_store(args.out).query(saved.text, bound)
    print(render(result, args.format))
    return 0


def _queries(args: argparse.Namespace) -> int:
    from kg.saved_queries import list_saved

    for saved in list_saved():
        params = ", ".join(f"{p.name}={p.default if p.default is not None else '…'}" for p in saved.params)
        print(f"{saved.name}: {saved.title} / {saved.title_zh}")
        print(f"    {saved.question}")
        print(f"    {saved.question_zh}")
        if params:
            print(f"    parameters: {params}")
    return 0


def _load(args: argparse.Namespace) -> int:
    from kg.load import load, local_graphs
    from kg.remote import Endpoint
    from kg.write import built_file

    endpoint = Endpoint(
        args.endpoint, store_url=args.graph_store, user=args.user, password=args.password, timeout=args.timeout
    )
    report = load(endpoint, local_graphs(built_file(args.out, "graph.nq"), args.base), base=args.base, prune=args.prune)
    for graph, reason in report.failed:
        print(f"kg load: error: {graph.rsplit('/', 1)[-1]} (graph <{graph}>) was not loaded: {reason}", file=sys.stderr)
    print(
        f"loaded {len(report.uploaded)} graph(s), {len(report.unchanged)} unchanged, "
        f"{len(report.pruned)} pruned, {len(report.failed)} failed -> {endpoint.graph_store}"
    )
    return 2 if report.failed else 0


def _publish(args: argparse.Namespace) -> int:
    import time

    from kg.publish.publisher import DEFAULT_LICENSE, publish

    started = time.monotonic()
    report = publish(args.built, args.out, base_url=args.base, license=args.license or DEFAULT_LICENSE)
    print(
        f"published {report.resources} resources ({report.triples} triples) as {report.pages} pages and "
        f"{report.files} files, {report.bytes / 1e6:.1f} MB, into {args.out}/ in {time.monotonic() - started:.1f} s"
        f" (public URL {report.base_url})"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from kg.serve import make_server
    from kg.store import load_built_in_memory, open_built_store

    site = args.site
    if site is None and (Path("site") / ".kg-site").is_file():
        site = Path("site")
    store = load_built_in_memory(args.out) if args.in_memory else open_built_store(args.out)
    server = make_server(
        store.oxigraph, args.host, args.port, timeout_s=args.timeout, max_results=args.max_results, site=site
    )
    where = f"{args.out}/graph.nq loaded in memory" if args.in_memory else f"{args.out}/store"
    print(f"serving {where} read-only at {server.url} (Ctrl-C stops)", file=sys.stderr)
    if site is not None:
        print(
            f"serving the site {site}/ at {server.root_url}, saved queries at {server.root_url}query", file=sys.stderr
        )
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def _stats(args: argparse.Namespace) -> int:
    from kg.stats import read_back
    from kg.write import built_file

    path = built_file(args.out, "graph.nq")
    try:
        built = read_back(path)
    except SyntaxError as err:
        raise InputError(str(path), f"cannot parse: {err}") from err
    print(f"{len(built.documents)} document(s), {built.triples} triples")
    print(table(["class", "instances"], [[k, str(v)] for k, v in built.classes.items()], right={1}))
    print()
    print(_documents_table(built.documents, with_triples=True))
    return 0


def _documents_table(docs, *, with_triples: bool = False) -> str:
    """A line per document: what the build found in it."""
    headers = ["document", "government", "adcode", "year", "initiatives", "targets", "refs"]
    rows = [
        [
            d.source,
            d.government or "(unresolved)",
            d.adcode or "-",
            str(d.plan_year or "-"),
            str(d.initiatives),
            str(d.targets),
            str(d.references),
        ]
        + ([str(d.triples)] if with_triples else [])
        for d in docs
    ]
    if with_triples:
        headers.append("triples")
    return table(headers, rows, right=set(range(4, len(headers))))


if __name__ == "__main__":
    sys.exit(main())
