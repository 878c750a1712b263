"""Benchmark (`make bench`): a synthetic corpus scaled from the seeds, and the figures the project tracks.

Not a test: it prints numbers. The corpus recombines the seeds' paragraphs under other cities' names and other
years (deterministically, from a fixed random seed) and is written to a temporary folder.

    .venv/bin/python bench/run.py [--docs 2000] [--validate]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402

from kg.build import BuildOptions, build  # noqa: E402
from kg.pieces import PIECE_FILES  # noqa: E402
from kg.saved_queries import bindings, list_saved  # noqa: E402
from kg.store import EmbeddedStore, load_built_in_memory, open_built_store  # noqa: E402

CITIES = ["清远市", "唐山市", "长沙市", "锦州市", "成都市", "杭州市", "佛山市", "宜昌市", "桂林市", "洛阳市",
          "绵阳市", "赣州市", "泉州市", "潍坊市", "襄阳市", "岳阳市", "湛江市", "保定市", "包头市", "遵义市"]  # fmt: skip


def synthetic_corpus(folder: Path, count: int) -> list[Path]:
    rng = random.Random(2024)
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    blocks = [block for text in seeds for block in re.split(r"\n\s*\n", text) if len(block.strip()) > 30]
    paths = []
    for n in range(count):
        city = rng.choice(CITIES)
        year = rng.randint(2016, 2024)
        body = rng.sample(blocks, k=min(len(blocks), rng.randint(25, 45)))
        text = f"{city}{year}年教育工作要点\n\n发布时间:{year}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n\n"
        text += f"{year}年全市教育工作的总体要求是:坚持立德树人,办好人民满意的教育。\n\n" + "\n\n".join(body)
        for old in ("清远", "唐山", "长沙", "锦州"):
            text = text.replace(old, city[:-1])
        path = folder / f"doc{n:05d}.txt"
        path.write_text(text, "utf-8")
        paths.append(path)
    return paths


def report_queries(where: str, store: EmbeddedStore, runs: int) -> None:
    print(f"saved queries, {where}, {runs} runs each:")
    for query in list_saved():
        bound = bindings(query, {})
        latencies = []
        for _ in range(runs):
            seconds, result = timed(lambda q=query, b=bound: store.query(q.text, b))
            latencies.append(seconds * 1000)
        latencies.sort()
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        print(f"  {query.name}: p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, {len(result.rows)} rows")


def in_memory_figures(out: Path, runs: int) -> None:
    """Load speed, and the saved queries on the in-memory store `kg serve --in-memory` uses (dropped afterwards)."""
    load_s, store = timed(lambda: load_built_in_memory(out))
    print(f"store load: {len(store)} quads in {load_s:.2f} s, {len(store) / load_s:,.0f} triples/s")
    report_queries("in-memory store", store, runs)


def output_floor(out: Path) -> None:
    """What any rebuild whose outputs equal a clean build's must at least do on this machine: write the union
    files whole again. Timed as one kernel copy of each (shutil.copyfile uses copy_file_range or sendfile), and
    moving the copies over the originals."""
    files = [out / name for name in PIECE_FILES]
    size = sum(path.stat().st_size for path in files)
    copy_s, _ = timed(lambda: [shutil.copyfile(path, path.with_name(f".copy-{path.name}")) for path in files])
    move_s, _ = timed(lambda: [os.replace(path.with_name(f".copy-{path.name}"), path) for path in files])
    print(
        f"floor of a rebuild: the union files are {size / 1e9:.2f} GB; copying them takes {copy_s:.2f} s, moving"
        f" the copies into place {move_s:.2f} s"
    )


def cpu_seconds() -> float:
    """User and system time of this process and its finished children (the extraction workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--validate", action="store_true", help="include SHACL validation in the build")
    parser.add_argument("--jobs", type=int, default=None, help="extraction processes (default: one per CPU)")
    parser.add_argument("--runs", type=int, default=20, help="runs per saved query")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        paths = synthetic_corpus(corpus, args.docs)
        texts = [p.read_text("utf-8") for p in paths]
        megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        print(f"corpus: {args.docs} documents, {megabytes:.2f} MB of source text")

        jieba.lcut("预热")
        cut_s, _ = timed(lambda: [jieba.lcut(t) for t in texts])
        out = Path(tmp) / "out"
        cpu_before = cpu_seconds()
        build_s, report = timed(
            lambda: build([corpus], BuildOptions(out_dir=out, run_validation=args.validate, jobs=args.jobs))
        )
        cpu_s = cpu_seconds() - cpu_before
        print(
            f"build: {build_s:.1f} s, {megabytes / build_s:.3f} MB/s wall ({args.jobs or 'one per CPU'} extraction"
            f" processes; validation {'on' if args.validate else 'off'}); {cpu_s:.1f} CPU s,"
            f" {megabytes / cpu_s:.3f} MB per CPU second"
        )
        print(f"  phases: {report.timings.summary()}")
        print(
            f"jieba raw cut: {cut_s:.1f} s, {megabytes / cut_s:.3f} MB/s; build / cut throughput ratio"
            f" {cut_s / build_s:.2f} wall, {cut_s / cpu_s:.2f} per CPU second"
        )

        in_memory_figures(out, args.runs)
        report_queries("on-disk store out/store (what `kg query` uses)", open_built_store(out), max(3, args.runs // 4))

        changed = paths[0]
        changed.write_text(changed.read_text("utf-8") + "\n补充一项工作。\n", "utf-8")
        rebuild_s, again = timed(
            lambda: build([corpus], BuildOptions(out_dir=out, run_validation=args.validate, jobs=args.jobs))
        )
        print(
            f"incremental rebuild after one change: {rebuild_s:.2f} s (extracted {again.extracted}, reused"
            f" {again.reused}; files rewritten, out/store updated in place)"
        )
        print(f"  phases: {again.timings.summary()}")
        output_floor(out)
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory: {own:.0f} MB (largest extraction worker {workers:.0f} MB)")
        del report


if __name__ == "__main__":
    main()
