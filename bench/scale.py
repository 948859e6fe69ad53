"""Hybrid search at 10k, 100k and 1M passages, through the real Searcher and the real index files.

Embedding a million passages is out of reach on 2 cores, so a collection of N passages is grown from
SciFact's real index: passage i > 5,183 is a copy of a randomly picked real passage, with its vector
perturbed (Gaussian noise, re-normalised), its sentences' vectors and spans copied, its words
copied for BM25, and its line in passages.jsonl and its document's in documents.jsonl copied under
an id of its own: every copy is a distinct document and passage, as in a real collection of that
size, so the serving memory is the whole of it. The questions are 100 real SciFact claims.

Two phases, each in its own process so that memory is measured cleanly:
    python -m bench.scale build  --source BEIR_INDEX --size N --into DIR --queries FILE
    python -m bench.scale search --into DIR --queries FILE
The build writes the grown collection through the store's builder (bench/grown.py: its
`GrownCollection` is the store's Components), so DIR is an index like any other, manifest included; the
search phase opens it as `verbatim` does (`open_index`: the manifest's settings, the files' hashes).
Each prints JSON.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.timing import summary_ms

ROUNDS = 3


def build(source: Path, size: int, into: Path, queries: list[str]) -> dict:
    from bench.grown import GrownCollection
    from bench.timing import memory_breakdown_mb
    from index.models import Embedder
    from index.store import read_manifest, write_components
    from index.store.dense import DenseIndex

    recall = {}

    def measure(dense: DenseIndex, data: np.ndarray) -> None:
        claims = Embedder(read_manifest(source).model.name).encode_queries(queries)
        recall.update(
            approximate_recall(dense if dense.kind["type"] == "ivf" else DenseIndex.build(data, exact_up_to=0), data, claims)
        )

    collection = GrownCollection(source, size, on_dense=measure)
    write_components(into, collection, about=collection.manifest_about())
    return {
        "passages": size,
        "sentences": collection.plan().sentences,
        "faiss": collection.kind,
        **collection.timings,
        "dense_recall": recall,
        "disk_mb": {p.name: round(_size(p) / 2**20, 1) for p in sorted(into.iterdir())},
        "build_peak_rss_mb": memory_breakdown_mb()["peak_rss_mb"],
    }


def approximate_recall(index, data: np.ndarray, claims: np.ndarray, nprobes=(32, 64, 128), k: int = 10) -> dict:
    """Recall@10 of the IVF index against exact search of the same vectors, by nprobe, with latencies."""
    import faiss

    exact = faiss.IndexFlatIP(data.shape[1])
    exact.add(data)
    truth, flat_times = [], []
    for claim in claims:
        t0 = time.perf_counter()
        truth.append({int(i) for i in exact.search(claim.reshape(1, -1), k)[1][0]})
        flat_times.append(time.perf_counter() - t0)
    chosen = index.kind["nprobe"]
    by_nprobe = []
    for nprobe in sorted({*nprobes, chosen}):
        index.set_nprobe(nprobe)
        times, recalls = [], []
        for claim, expected in zip(claims, truth, strict=True):
            t0 = time.perf_counter()
            found = {i for i, _ in index.search(claim, k)}
            times.append(time.perf_counter() - t0)
            recalls.append(len(found & expected) / k)
        by_nprobe.append({"nprobe": nprobe, **summary_ms(times), "recall_at_10": round(float(np.mean(recalls)), 4)})
    index.set_nprobe(chosen)
    return {
        "flat": summary_ms(flat_times),
        "ivf": {"codec": index.kind["codec"], "nlist": index.kind["nlist"], "chosen_nprobe": chosen, "by_nprobe": by_nprobe},
    }


def search(into: Path, queries: list[str]) -> dict:
    from bench.timing import memory_breakdown_mb
    from index.config import Config
    from index.search import Searcher
    from index.store import open_index

    before = memory_breakdown_mb()
    started = time.perf_counter()
    config = Config(index_dir=into)
    searcher = Searcher(open_index(config, check_corpus=False), config)  # as `verbatim` opens it: its manifest's settings
    load_s = time.perf_counter() - started
    searcher.search(queries[0], k=10)  # load the model before timing
    latency = {}
    for mode in ("hybrid", "dense", "bm25"):
        timings = []
        for _ in range(ROUNDS):
            searcher.forget_questions()  # the question's embedding is timed too
            for query in queries:
                t0 = time.perf_counter()
                searcher.search(query, mode=mode, k=10)
                timings.append(time.perf_counter() - t0)
        latency[mode] = summary_ms(timings)
    after = memory_breakdown_mb()
    return {
        "load_s": round(load_s, 1),
        "latency": latency,
        "memory_before_index_mb": before,
        "memory_serving_mb": after,
        "documents_and_passages_mb": tables_mb(into),
    }


def tables_mb(into: Path) -> float:
    """What the documents' and passages' tables weigh once open: measured in a fresh process of its
    own (`open_index` opens them with the rest, and a second pair here would reuse memory the first
    freed)."""
    run = subprocess.run(
        [sys.executable, "-m", "bench.scale", "tables", "--into", str(into)],
        check=True,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    return json.loads(run.stdout)["documents_and_passages_mb"]


def _tables(into: Path) -> dict:
    from bench.timing import memory_breakdown_mb
    from index.store.tables import open_tables

    before = memory_breakdown_mb()
    tables = open_tables(into)
    with_tables = memory_breakdown_mb()
    del tables
    return {"documents_and_passages_mb": round(with_tables["rss_mb"] - before["rss_mb"], 1)}


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*")) if path.is_dir() else path.stat().st_size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=("build", "search", "tables"))
    parser.add_argument("--source", type=Path, help="The real index to grow (build; the others read only --into).")
    parser.add_argument("--into", type=Path, required=True)
    parser.add_argument("--size", type=int)
    parser.add_argument("--queries", type=Path)
    args = parser.parse_args(argv)
    if args.phase == "build":
        if args.source is None or args.size is None:
            parser.error("build needs --source and --size")
        result = build(args.source, args.size, args.into, json.loads(args.queries.read_text()))
    elif args.phase == "search":
        result = search(args.into, json.loads(args.queries.read_text()))
    else:
        result = _tables(args.into)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
