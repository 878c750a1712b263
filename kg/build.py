"""The orchestrator: runs the stages in order. It holds no extraction logic of its own.

read → normalise → structure → government → dates → references → targets → topics → link → map to RDF →
write (Oxigraph's serialisers) → validate (pySHACL: each document in its worker, then the corpus; see
kg/validate_scopes.py)
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.cache import CachedDocument, ExtractionCache
from kg.dates import find_dates
from kg.errors import InputError, KgError
from kg.gc_pause import collector_paused
from kg.government import resolve_government
from kg.graphset import GraphSet
from kg.iris import Iris
from kg.linking import link_policies
from kg.namespaces import DEFAULT_BASE
from kg.normalise import normalise
from kg.pieces import pack_pieces
from kg.rdf_mapping import add_build, add_citation_counts, add_vocabularies, build_key, map_own_graph, map_shared
from kg.read import DEFAULT_MAX_BYTES, TEXT_SUFFIXES, read_document
from kg.records import DocumentRecord, SourceDocument
from kg.references import extract_references
from kg.stats import DocumentStats, GraphSummary, StatsCollector
from kg.store import STORE_MANIFEST, StoreSync, load_store, read_manifest
from kg.structure import segment
from kg.targets import extract_targets
from kg.timings import PhaseTimer
from kg.topics import assign_topics
from kg.validate import ValidationResult, merge_results, write_report
from kg.validate_scopes import (
    corpus_inputs_digest,
    corpus_view,
    document_context,
    report_ntriples,
    validate_corpus,
    validate_document,
)
from kg.write import OUTPUT_FILES, DatasetWriter, graph_pieces, write_atomically

# Below this many documents per worker, forking costs more than it saves.
PARALLEL_MIN_DOCUMENTS = 8
# Update the store in place when at most this share of the documents was re-extracted; else load it afresh.
IN_PLACE_SHARE = 0.25

ProgressHook = Callable[[int, int, str, "DocumentRecord | InputError"], None]


@dataclass(frozen=True)
class BuildOptions:
    out_dir: Path = Path("out")
    base: str = DEFAULT_BASE
    max_bytes: int = DEFAULT_MAX_BYTES
    run_validation: bool = True
    use_cache: bool = True
    write_store: bool = True
    jobs: int | None = None  # extraction processes; None: one per CPU when there are enough documents


@dataclass
class BuildReport:
    documents: list[DocumentStats] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    validation: ValidationResult | None = None
    triples: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    extracted: int = 0  # documents extracted in this run
    reused: int = 0  # documents taken from the extraction cache
    timings: PhaseTimer = field(default_factory=PhaseTimer)  # wall time per phase

    @property
    def conforms(self) -> bool:
        return self.validation is None or self.validation.conforms


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[InputError]]:
    """Input files, folders expanded recursively (hidden entries skipped), in a stable order."""
    found: list[Path] = []
    errors: list[InputError] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.parts))
            )
        elif path.exists():
            found.append(path)
        else:
            errors.append(InputError(str(path), "no such file or folder"))
    return found, errors


def extract(source: SourceDocument) -> DocumentRecord:
    """Every extraction stage for one decoded document."""
    normalised = normalise(source)
    structure = segment(normalised)
    government = resolve_government(normalised, structure)
    dates = find_dates(normalised, structure)
    references = extract_references(normalised, structure, government)
    return DocumentRecord(
        source=source,
        normalised=normalised,
        structure=structure,
        dates=dates,
        government=government,
        references=references,
        targets=extract_targets(normalised, structure, references, dates.plan_year),
        topics=assign_topics(normalised, structure),
    )


def extract_all(
    files: list[Path], options: BuildOptions, progress: ProgressHook | None = None
) -> tuple[list[DocumentRecord], list[InputError]]:
    """Read and extract every file (no cache, nothing mapped): the records, and the files that could not be read."""
    return _run_all(files, options, extract, progress, None)


_T = TypeVar("_T", DocumentRecord, CachedDocument)
_In = TypeVar("_In", SourceDocument, CachedDocument)


def _run_all(
    files: list[Path],
    options: BuildOptions,
    work: Callable[[SourceDocument], _T],
    progress: ProgressHook | None,
    cache: ExtractionCache | None,
    timer: PhaseTimer | None = None,
) -> tuple[list[_T], list[InputError]]:
    """Read every file, then run `work` on what the cache does not hold, in worker processes when there is
    enough. Results in input order."""
    timer = timer or PhaseTimer()
    outcomes: list[SourceDocument | _T | InputError] = []
    seen: dict[str, Path] = {}
    with timer.phase("read"), collector_paused():  # the cached records are unpickled
        for path in files:
            try:
                source = _read(path, options, seen)
                cached = cache.get(source) if cache else None
                outcomes.append(cached or source)
            except InputError as err:
                outcomes.append(err)
    pending = [outcome for outcome in outcomes if isinstance(outcome, SourceDocument)]
    done = iter(_run_many(work, pending, options.jobs))
    results: list[_T] = []
    errors: list[InputError] = []
    with timer.phase("extract"):
        for n, (path, outcome) in enumerate(zip(files, outcomes, strict=True), start=1):
            if isinstance(outcome, SourceDocument):
                outcome = next(done)
            (errors if isinstance(outcome, InputError) else results).append(outcome)
            if progress:
                record = outcome.record if isinstance(outcome, CachedDocument) else outcome
                progress(n, len(files), str(path), record)
    return results, errors


@contextmanager
def _alive_now_frozen() -> Iterator[None]:
    """Everything alive now (the records, the loaded models) lives until the outputs are written, so the collector
    need not walk it again meanwhile: half the time of mapping the shared graphs at 2,000 documents went there.
    Left alone when a caller has frozen objects of its own, which unfreezing would thaw."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass(frozen=True)
class _ExtractAndSerialise:
    """A worker's whole job for one document: extract, map its own graph, serialise it for every output file,
    and keep all of it in the cache. Only what the shared graphs need comes back (the record and a summary);
    the parent concatenates the pieces from disk."""

    cache_folder: Path
    base: str
    run_validation: bool

    def __call__(self, source: SourceDocument) -> CachedDocument:
        record = extract(source)
        iris = Iris(self.base)
        triples = map_own_graph(iris, record, iris.build(build_key()))
        summary = GraphSummary.of(str(iris.plan(source.doc_id)), triples)
        pieces = pack_pieces(graph_pieces(str(iris.graph(source.doc_id)), triples))
        view = ox.serialize(corpus_view(triples), format=ox.RdfFormat.N_TRIPLES)
        report = _document_report(iris, record, triples) if self.run_validation else None
        return ExtractionCache(self.cache_folder, self.base).put(record, summary, pieces, view, report)


@dataclass(frozen=True)
class _ValidateCached:
    """A worker's job for a document taken from the cache without a report for the current shapes (it was built
    with validation off, or the shapes changed): map its graph again and validate it."""

    cache_folder: Path
    base: str

    def __call__(self, document: CachedDocument) -> CachedDocument:
        iris = Iris(self.base)
        triples = map_own_graph(iris, document.record, iris.build(build_key()))
        report = _document_report(iris, document.record, triples)
        path = ExtractionCache(self.cache_folder, self.base).put_report(document.record.source, report)
        return replace(document, report=path)


def _document_report(iris: Iris, record: DocumentRecord, triples: list[ox.Triple]) -> bytes:
    return report_ntriples(validate_document(triples, document_context(iris, record)))


def _validated(documents: list[CachedDocument], folder: Path, options: BuildOptions) -> list[CachedDocument]:
    """Every document with its report: the cached ones that have none are validated now, in worker processes."""
    unvalidated = [document for document in documents if document.report is None]
    if not unvalidated:
        return documents
    done = iter(_run_many(_ValidateCached(folder, options.base), unvalidated, options.jobs))
    return [next(done) if document.report is None else document for document in documents]


def _read(path: Path, options: BuildOptions, seen: dict[str, Path]) -> SourceDocument:
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise InputError(
            str(path),
            f"unsupported file type '{path.suffix or '(none)'}' (expected .txt, .html or .htm)",
        )
    source = read_document(path, max_bytes=options.max_bytes)
    if source.doc_id in seen:
        raise InputError(str(path), f"same document key '{source.doc_id}' as {seen[source.doc_id]}; rename one")
    seen[source.doc_id] = path
    return source


def _run_many(work: Callable[[_In], _T], sources: list[_In], jobs: int | None) -> Iterator[_T]:
    """`work` on each item, results in input order. Worker processes are forked once the models are loaded here,
    so each starts warm; a handful of documents is not worth the fork."""
    workers = min(jobs or os.cpu_count() or 1, len(sources) // PARALLEL_MIN_DOCUMENTS)
    if workers < 2 or multiprocessing.get_start_method(allow_none=True) not in (None, "fork"):
        yield from map(work, sources)
        return
    first, rest = sources[0], sources[1:]
    yield work(first)  # loads jieba, spaCy, the gazetteer and the catalogue before forking
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(work, rest, chunksize=4)


def mapped_graphs(records: list[DocumentRecord], base: str) -> Iterator[tuple[str, list[ox.Triple]]]:
    """(graph IRI, finalised triples) in file order: each document's own graph, then the shared graphs. The same
    mapping as the build's (which maps the own graphs in its workers), in one process."""
    iris = Iris(base)
    build = iris.build(build_key())
    for record in sorted(records, key=lambda r: str(iris.graph(r.source.doc_id))):
        yield str(iris.graph(record.source.doc_id)), map_own_graph(iris, record, build)
    yield from shared_graphs(records, iris).finalised()


def shared_graphs(records: list[DocumentRecord], iris: Iris) -> GraphSet:
    """The graphs every document adds to (build, vocabularies, governments, policies): the only part of the
    dataset that depends on the whole corpus, since linking gives each policy one label everywhere."""
    shared = GraphSet()
    build = add_build(shared, iris, [record.source for record in records])
    add_vocabularies(shared, iris)
    linked = link_policies(records)
    for record in linked:
        map_shared(shared, iris, record, build)
    add_citation_counts(shared, iris, linked)
    return shared


def to_graphs(records: list[DocumentRecord], base: str = DEFAULT_BASE) -> GraphSet:
    """Every graph of the build in memory (tests, small corpora); the build writes cached pieces instead."""
    graphs = GraphSet()
    for name, triples in mapped_graphs(records, base):
        graphs.graph(name).extend(triples)
    return graphs


def write_dataset(
    writer: DatasetWriter,
    documents: list[CachedDocument],
    shared: list[tuple[str, list[ox.Triple]]],
    base: str,
    stats: StatsCollector,
) -> None:
    """Every document's cached pieces in graph IRI order, then the (finalised) shared graphs."""
    iris = Iris(base)
    for document in sorted(documents, key=lambda d: str(iris.graph(d.record.source.doc_id))):
        writer.write_packed(str(iris.graph(document.record.source.doc_id)), document.pieces)
        stats.add_document(document.record.source.doc_id, document.summary)
    for name, triples in shared:
        writer.write_graph(name, triples)
        stats.add_graph(name, triples)


def to_dataset(records: list[DocumentRecord], base: str = DEFAULT_BASE) -> Dataset:
    """The graphs as an rdflib Dataset (the scorer and the tests read it)."""
    return to_graphs(records, base).to_rdflib()


def build(paths: Iterable[Path], options: BuildOptions, progress: ProgressHook | None = None) -> BuildReport:
    """Build, validate and write the graph. Per-file input errors are reported, not raised."""
    timer = PhaseTimer()
    files, missing = discover(paths)
    with ExitStack() as scope:
        if options.use_cache:
            folder = options.out_dir / "cache"
        else:  # the pieces still go through files, just not kept
            options.out_dir.mkdir(parents=True, exist_ok=True)
            folder = Path(scope.enter_context(tempfile.TemporaryDirectory(prefix=".pieces-", dir=options.out_dir)))
        cache = ExtractionCache(folder, options.base)
        work = _ExtractAndSerialise(folder, options.base, options.run_validation)
        documents, errors = _run_all(files, options, work, progress, cache, timer)
        if options.run_validation:
            with timer.phase("validate documents"):
                documents = _validated(documents, folder, options)
        report = BuildReport(errors=missing + errors, timings=timer)
        cache.prune()
        report.extracted, report.reused = cache.misses, cache.hits
        if not documents:
            raise KgError(
                "no document could be built"
                + (f" ({len(report.errors)} input errors)" if report.errors else " (no input files)")
            )
        with _alive_now_frozen():
            _write_outputs(documents, options, report, cache)
    timer.stop()
    return report


def _validation(
    documents: list[CachedDocument], shared: list[tuple[str, list[ox.Triple]]], cache: ExtractionCache
) -> ValidationResult:
    """The documents' cached reports and the corpus shapes' report, as one (`kg/validate_scopes.py`). The corpus
    shapes' report is reused while what they read is unchanged (a changed document that cites the same policies)."""
    shared_triples = [t for _, triples in shared for t in triples]
    views = sorted(document.corpus_view for document in documents)
    inputs = corpus_inputs_digest(shared_triples, views)
    corpus_report = cache.corpus_report(inputs)
    if corpus_report is None:
        corpus_report = report_ntriples(validate_corpus(shared_triples, views))
        cache.put_corpus_report(inputs, corpus_report)
    reports = [document.report.read_bytes() if document.report else b"" for document in documents]
    return merge_results(Graph().parse(data=data, format="nt") for data in (*reports, corpus_report) if data)


def _write_outputs(
    documents: list[CachedDocument], options: BuildOptions, report: BuildReport, cache: ExtractionCache
) -> None:
    stats = StatsCollector(options.base)
    # An earlier build's store is updated in place, graph by graph, once the files are in place; without one (or
    # without the manifest of what it holds) a fresh store is loaded beside the files and moved with them.
    # Replacing graphs one by one pays while few changed; past that (or with another base IRI, which changes
    # every graph) a fresh bulk load is faster and holds no changed graph in memory.
    store, manifest = options.out_dir / "store", options.out_dir / "cache" / STORE_MANIFEST
    previous = read_manifest(store, manifest) if options.write_store else None
    in_place = previous is not None and report.extracted <= len(documents) * IN_PLACE_SHARE
    sync = StoreSync(store, manifest, previous if in_place else None) if options.write_store else None

    timer = report.timings

    def write_graphs(folder: Path) -> None:
        observe = sync.see if sync else None
        with timer.phase("shared graphs"):
            shared = shared_graphs([document.record for document in documents], Iris(options.base)).finalised()
        with timer.phase("write files"):
            writer, files = DatasetWriter.open(folder, observe)
            with files:
                write_dataset(writer, documents, shared, options.base, stats)
                writer.finish()
        if options.run_validation:
            with timer.phase("validate corpus"):
                report.validation = _validation(documents, shared, cache)
        if options.write_store and not in_place:
            with timer.phase("store"):
                load_store(folder / "store", folder / "graph.nq")

    writers: dict[str | tuple[str, ...], Callable[[Path], None]] = {OUTPUT_FILES: write_graphs}
    if options.write_store and not in_place:
        writers[("store",)] = lambda folder: None  # written beside the graph files, moved with them
    if options.run_validation:
        writers["validation.ttl"] = lambda path: write_report(report.validation, path)
    write_atomically(options.out_dir, writers, timer)
    if sync is not None:
        with timer.phase("store"):
            sync.finish()
    report.files = [options.out_dir / name for name in OUTPUT_FILES]
    report.files += [options.out_dir / "store"] if options.write_store else []
    report.files += [options.out_dir / "validation.ttl"] if options.run_validation else []
    result = stats.result([document.record.source.doc_id for document in documents])
    report.triples, report.classes, report.documents = result.triples, result.classes, result.documents
