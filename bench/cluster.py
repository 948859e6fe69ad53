"""`make bench-cluster`: Verbatim on a local three-node Ray cluster (ray.cluster_utils.Cluster, one
machine), against one process. Writes build/bench/cluster.md and cluster.json.

- build: the bundled corpus built locally and on the cluster, each with an empty embedding cache of
  its own, seconds per passage and per embedded text. All nodes share this machine's cores, so the
  cluster cannot be faster here: the difference is Ray's overhead (start, task and actor calls,
  moving texts and vectors through the object store), reported as it is;
- queries: the bundled question sets, unsharded in-process and over 2 and 3 shards (one actor each),
  per mode, p50 / p95; the sharded answers are checked equal to the unsharded ones as they are timed;
- memory: each shard actor's resident memory and its files' bytes, per passage;
- a million passages, measured: SciFact grown to 1M passages (bench/grown.py, as `make bench`'s
  scale part does; its index built first, or reused from build/beir), split into one shard (a shard
  of a million, its actor's memory measured) and into two; 100 claims per mode, sharded answers
  compared with the unsharded ones, p50 / p95, the split's time and files.

Usage: python -m bench.cluster [--out DIR] [--rounds N] [--scifact DIR | --no-million]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.timing import summary_ms  # noqa: E402
from corpus.paths import BUNDLED_CORPUS, PACKAGE_ROOT, work_dir  # noqa: E402
from index.config import Config  # noqa: E402

QUESTION_SETS = [PACKAGE_ROOT / "eval" / "questions" / f"kazakhstan-{part}.jsonl" for part in ("dev", "heldout")]
MODES = ("hybrid", "dense", "bm25")
NODE_STORE = 100 * 2**20


def questions() -> list[str]:
    return [json.loads(line)["question"] for path in QUESTION_SETS for line in path.read_text().splitlines() if line]


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=work_dir() / "bench")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--scifact", type=Path, default=PACKAGE_ROOT.parent / "shared" / "benchmarks" / "scifact")
    parser.add_argument("--million", type=int, default=1_000_000, help="passages of the grown index (default 1M)")
    parser.add_argument("--no-million", action="store_true", help="skip the million-passage part (about 25 minutes)")
    args = parser.parse_args()
    if not args.no_million and not (args.scifact / "corpus.jsonl").is_file():
        parser.error(f"no BEIR SciFact at {args.scifact}: give --scifact DIR (make bench-cluster SCIFACT=DIR) or --no-million")
    from ray.cluster_utils import Cluster

    from index.cluster import split_index
    from index.cluster.build import build_on_cluster
    from index.cluster.coordinator import connect, open_sharded
    from index.search import Searcher
    from index.store import build_index

    scratch = Path(tempfile.mkdtemp(prefix="verbatim-bench-cluster-"))
    report: dict = {"machine": {"cpus": os.cpu_count()}, "corpus": "bundled (5 reports)"}
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "object_store_memory": NODE_STORE})
    try:
        for _ in range(2):
            cluster.add_node(num_cpus=1, object_store_memory=NODE_STORE)
        cluster.wait_for_nodes()
        started = time.perf_counter()
        connect(cluster.address)
        connect_seconds = time.perf_counter() - started

        # Build: local, then on the cluster, each from an empty cache.
        local_config = Config(corpus_dir=BUNDLED_CORPUS, index_dir=scratch / "local", cache_dir=scratch / "cache-local")
        started = time.perf_counter()
        local = build_index(local_config)
        local_seconds = time.perf_counter() - started
        cluster_config = Config(corpus_dir=BUNDLED_CORPUS, index_dir=scratch / "cluster", cache_dir=scratch / "cache-cluster")
        started = time.perf_counter()
        built, encoder = build_on_cluster(cluster_config, cluster.address, workers=2, num_cpus=0.5)
        cluster_seconds = time.perf_counter() - started
        texts = local.embedded + local.reused
        report["build"] = {
            "passages": local.passages,
            "texts": texts,
            "connect_seconds": round(connect_seconds, 2),
            "local_seconds": round(local_seconds, 2),
            "cluster_seconds": round(cluster_seconds, 2),
            "local_ms_per_passage": round(1000 * local_seconds / local.passages, 1),
            "cluster_ms_per_passage": round(1000 * cluster_seconds / built.passages, 1),
            "local_ms_per_text": round(1000 * local_seconds / texts, 2),
            "cluster_ms_per_text": round(1000 * cluster_seconds / texts, 2),
            "overhead_ms_per_passage": round(1000 * (cluster_seconds - local_seconds) / local.passages, 1),
            "workers": 2,
            "embedding_tasks": encoder.batches,
        }
        del encoder

        # Queries: unsharded, then 2 and 3 shards.
        asked = questions()
        unsharded = Searcher.open(local_config)
        for question in asked:  # the model loaded and every question's vector made: the stages are timed, not the model
            unsharded.search(question)
        expected = {mode: [[h.position for h in unsharded.search(q, mode=mode)] for q in asked] for mode in MODES}
        latency: dict = {"unsharded": {}}
        for mode in MODES:
            latency["unsharded"][mode] = summary_ms(timed(unsharded, asked, mode, args.rounds))
        memory: dict = {}
        for count in (2, 3):
            layout = split_index(local_config.index_dir, scratch / f"shards-{count}", count)
            sharded = open_sharded(layout.directory, local_config, address=cluster.address)
            sharded.questions.cache = unsharded.questions.cache
            sharded._embedder = unsharded._embedder
            for mode in MODES:
                got = [[h.position for h in sharded.search(q, mode=mode)] for q in asked]
                assert got == expected[mode], f"{count} shards answer otherwise than the unsharded index ({mode})"
            latency[f"{count} shards"] = {mode: summary_ms(timed(sharded, asked, mode, args.rounds)) for mode in MODES}
            facts = sharded.shards.facts()
            memory[f"{count} shards"] = [
                {
                    "name": f["name"],
                    "node": f["node"][:8],
                    "passages": f["passages"],
                    "sentences": f["sentences"],
                    "rss_mb": round(f["rss_bytes"] / 1e6, 1),
                    "files_mb": round(folder_bytes(layout.directory / f["name"]) / 1e6, 2),
                    "file_bytes_per_passage": round(folder_bytes(layout.directory / f["name"]) / f["passages"]),
                }
                for f in facts
            ]
            del sharded
        report["queries"] = {"questions": len(asked), "rounds": args.rounds, "latency": latency}
        report["memory"] = memory
        report["million"] = million_estimate(memory["3 shards"], local_config.index_dir)
        del unsharded
        if not args.no_million:
            report["grown"] = grown_million(args.scifact, scratch, cluster.address, args.million)
    finally:
        import ray

        ray.shutdown()
        cluster.shutdown()
        shutil.rmtree(scratch, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "cluster.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "cluster.md").write_text(markdown(report))
    print(markdown(report))


def timed(searcher, asked: list[str], mode: str, rounds: int) -> list[float]:
    seconds = []
    for _ in range(rounds):
        for question in asked:
            started = time.perf_counter()
            searcher.search(question, mode=mode)
            seconds.append(time.perf_counter() - started)
    return seconds


def grown_million(scifact: Path, scratch: Path, address: str, size: int) -> dict:
    """SciFact grown to `size` passages, unsharded, as one shard and as two: see the module's docstring."""
    import ray

    from bench.timing import memory_breakdown_mb
    from eval.beir import load_benchmark, open_benchmark_index
    from index.cluster import split_index
    from index.cluster.coordinator import open_sharded
    from index.search import Searcher
    from index.store import open_index

    print(f"million: SciFact's index (built once, then reused), grown to {size:,} passages", flush=True)
    source = open_benchmark_index(scifact, Config()).index.directory
    claims = list(load_benchmark(scifact).queries.values())[:100]
    (scratch / "claims.json").write_text(json.dumps(claims))
    into = scratch / "grown"
    started = time.perf_counter()
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.scale",
            "build",
            "--size",
            str(size),
            "--source",
            str(source),
            "--into",
            str(into),
            "--queries",
            str(scratch / "claims.json"),
        ],
        check=True,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    grown = json.loads(built.stdout)
    result: dict = {
        "passages": size,
        "sentences": grown["sentences"],
        "faiss": grown["faiss"],
        "grow_seconds": round(time.perf_counter() - started, 1),
        "index_mb": round(folder_bytes(into) / 1e6),
        "queries": len(claims),
        "layouts": {},
    }
    config = Config(index_dir=into)
    unsharded = Searcher(open_index(config, check_corpus=False), config)
    for claim in claims:  # every claim's vector made once: the stages are timed, not the model
        unsharded.search(claim)
    expected = {mode: [top(unsharded, c, mode) for c in claims] for mode in MODES}
    result["unsharded"] = {mode: summary_ms(timed(unsharded, claims, mode, 1)) for mode in MODES}
    for count in (1, 2):
        name = f"{count} shard{'s' if count > 1 else ''}"
        print(f"million: {name}", flush=True)
        started = time.perf_counter()
        layout = split_index(into, scratch / f"grown-shards-{count}", count)
        split_seconds = time.perf_counter() - started
        started = time.perf_counter()
        sharded = open_sharded(layout.directory, config, address=address)
        open_seconds = time.perf_counter() - started
        sharded.questions.cache = unsharded.questions.cache
        sharded._embedder = unsharded._embedder
        same = {
            mode: sum(top(sharded, c, mode) == want for c, want in zip(claims, expected[mode], strict=True)) for mode in MODES
        }
        latency = {mode: summary_ms(timed(sharded, claims, mode, 1)) for mode in MODES}
        shards = []
        for fact in sharded.shards.facts():
            memory = memory_breakdown_mb(fact["pid"])  # the actor's process, on this machine
            files = folder_bytes(layout.directory / fact["name"])
            shards.append(
                {
                    "name": fact["name"],
                    "node": fact["node"][:8],
                    "passages": fact["passages"],
                    "sentences": fact["sentences"],
                    **memory,
                    "files_mb": round(files / 1e6),
                    "file_bytes_per_passage": round(files / fact["passages"]),
                }
            )
        result["layouts"][name] = {
            "split_seconds": round(split_seconds, 1),
            "open_seconds": round(open_seconds, 1),
            "identical_top10": same,
            "latency": latency,
            "shards": shards,
            "coordinator": memory_breakdown_mb(),
        }
        for handle in sharded.shards.handles:
            ray.kill(handle, no_restart=True)
        del sharded
        shutil.rmtree(layout.directory, ignore_errors=True)
    return result


def top(searcher, question: str, mode: str) -> list[tuple[int, float]]:
    return [(h.position, h.score) for h in searcher.search(question, mode=mode, k=10)]


def million_estimate(shards: list[dict], index_dir: Path) -> dict:
    """A shard of 1M passages, from what one passage weighs here: its BM25 rows and vocabulary as
    measured per passage; its vectors as IVF-SQ8 (384 bytes + an 8-byte id a passage, as the
    unsharded index stores them above 100k passages); its sentence vectors on disk, not in memory."""
    bm25 = folder_bytes(index_dir / "bm25")
    passages = sum(s["passages"] for s in shards)
    sentences = sum(s["sentences"] for s in shards)
    bm25_per_passage = bm25 / passages
    baseline_mb = min(s["rss_mb"] for s in shards)  # an actor with Python, numpy, FAISS, bm25s loaded
    memory_mb = baseline_mb + 1e6 * (392 + 2 * bm25_per_passage) / 1e6  # BM25 twice: bm25 and bm25-plain
    return {
        "bm25_bytes_per_passage": round(bm25_per_passage),
        "sentences_per_passage": round(sentences / passages, 2),
        "actor_baseline_mb": baseline_mb,
        "memory_mb_per_million_passages": round(memory_mb),
        "disk_gb_per_million_passages": round((392 + 2 * bm25_per_passage + (768 + 24) * sentences / passages) / 1e3, 1),
    }


def markdown(report: dict) -> str:
    b, q = report["build"], report["queries"]
    lines = [
        "# Verbatim on a local Ray cluster (3 nodes on one machine)",
        "",
        f"{report['machine']['cpus']} cores shared by every node; corpus: {report['corpus']}.",
        "",
        "## Build",
        "",
        "| | seconds | ms per passage | ms per embedded text |",
        "|---|---|---|---|",
        f"| local | {b['local_seconds']} | {b['local_ms_per_passage']} | {b['local_ms_per_text']} |",
        f"| cluster, {b['workers']} workers | {b['cluster_seconds']} | {b['cluster_ms_per_passage']} | "
        f"{b['cluster_ms_per_text']} |",
        "",
        f"{b['passages']} passages, {b['texts']} texts embedded (passages and sentences), {b['embedding_tasks']} "
        f"embedding tasks. Ray's overhead here: {b['overhead_ms_per_passage']} ms per passage (joining the cluster "
        f"took {b['connect_seconds']} s more, not counted). On one machine the workers share its cores, so no "
        "speed-up is possible; on N machines the embedding (nearly all of a build) divides by N.",
        "",
        f"## Query latency ({q['questions']} questions × {q['rounds']} rounds, ms)",
        "",
        "| | " + " | ".join(f"{m} p50 | {m} p95" for m in MODES) + " |",
        "|---|" + "---|" * (2 * len(MODES)),
    ]
    for name, modes in q["latency"].items():
        lines.append(f"| {name} | " + " | ".join(f"{modes[m]['p50_ms']} | {modes[m]['p95_ms']}" for m in MODES) + " |")
    lines += [
        "",
        "Every sharded answer was checked equal to the unsharded one while timed.",
        "",
        "## Memory per shard",
        "",
        "| shards | shard | node | passages | resident MB | files MB | file bytes per passage |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, shards in report["memory"].items():
        for s in shards:
            lines.append(
                f"| {name} | {s['name']} | {s['node']} | {s['passages']} | {s['rss_mb']} | {s['files_mb']} | "
                f"{s['file_bytes_per_passage']} |"
            )
    m = report["million"]
    lines += [
        "",
        f"A shard of 1M passages (extrapolated): about {m['memory_mb_per_million_passages']:,} MB resident "
        f"(actor baseline {m['actor_baseline_mb']} MB, IVF-SQ8 vectors 392 MB, BM25 {m['bm25_bytes_per_passage']} "
        f"bytes a passage, twice), {m['disk_gb_per_million_passages']} GB on disk (sentence vectors read from disk, "
        f"{m['sentences_per_passage']} sentences a passage).",
        "",
    ]
    if "grown" in report:
        lines += grown_markdown(report["grown"])
    return "\n".join(lines)


def grown_markdown(g: dict) -> list[str]:
    faiss = g["faiss"]
    kind = f"IVF{faiss['nlist']},{faiss['codec']} nprobe {faiss['nprobe']}" if faiss.get("type") == "ivf" else "flat"
    lines = [
        f"## {g['passages']:,} passages, measured (SciFact grown; {g['queries']} claims per mode)",
        "",
        f"{g['passages']:,} passages, {g['sentences']:,} sentences, FAISS {kind}; grown and written in "
        f"{g['grow_seconds']} s, {g['index_mb']:,} MB on disk.",
        "",
        "| | split s | " + " | ".join(f"{m} p50 / p95 ms" for m in MODES) + " | identical top 10 |",
        "|---|---|" + "---|" * len(MODES) + "---|",
        "| unsharded, in-process | | "
        + " | ".join(f"{g['unsharded'][m]['p50_ms']} / {g['unsharded'][m]['p95_ms']}" for m in MODES)
        + " | |",
    ]
    for name, layout in g["layouts"].items():
        same = ", ".join(f"{m} {layout['identical_top10'][m]}/{g['queries']}" for m in MODES)
        lines.append(
            f"| {name} | {layout['split_seconds']} | "
            + " | ".join(f"{layout['latency'][m]['p50_ms']} / {layout['latency'][m]['p95_ms']}" for m in MODES)
            + f" | {same} |"
        )
    lines += [
        "",
        "| layout | shard | passages | resident MB (anon + file + shared) | peak MB | files MB | file bytes per passage |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, layout in g["layouts"].items():
        for s in layout["shards"]:
            memory = f"{s['rss_mb']} ({s['anon_mb']} + {s['file_mb']} + {s['shared_mb']})"
            lines.append(
                f"| {name} | {s['name']} | {s['passages']:,} | {memory} | "
                f"{s['peak_rss_mb']} | {s['files_mb']:,} | {s['file_bytes_per_passage']:,} |"
            )
    for name, layout in g["layouts"].items():
        c = layout["coordinator"]
        lines.append(
            f"\nCoordinator with {name} (this benchmark's process, the unsharded searcher also open): "
            f"{c['rss_mb']} MB resident ({c['anon_mb']} + {c['file_mb']} + {c['shared_mb']}), "
            f"peak {c['peak_rss_mb']} MB."
        )
    return lines + [""]


if __name__ == "__main__":
    main()
