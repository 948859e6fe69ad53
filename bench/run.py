"""`make bench`: build speed, query latency per mode (in-process and over HTTP), cold start, memory,
and a load test against the running app. Writes build/bench/report.md and report.json.

Usage: python -m bench.run [--out DIR] [--scifact DIR] [--no-scifact] [--no-peers]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.report import markdown  # noqa: E402
from bench.timing import process_memory_mb, run_measured, spread, summary_ms  # noqa: E402
from corpus.paths import BUNDLED_CORPUS, PACKAGE_ROOT, work_dir  # noqa: E402
from index.models.onnx_model import cpu_description  # noqa: E402
from index.store import read_manifest  # noqa: E402

VERBATIM = Path(sys.executable).parent / "verbatim"
QUESTION_SETS = [PACKAGE_ROOT / "eval" / "questions" / f"kazakhstan-{part}.jsonl" for part in ("dev", "heldout")]
ROUNDS = 3
SCALE_SIZES = (10_000, 100_000, 1_000_000)


def questions() -> list[str]:
    return [json.loads(line)["question"] for path in QUESTION_SETS for line in path.read_text().splitlines() if line]


def machine() -> dict:
    versions = {}
    for package in ("verbatim", "onnxruntime", "torch", "sentence-transformers", "faiss-cpu", "bm25s", "gradio", "numpy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = ""
    return {
        "cores": os.cpu_count(),
        "cpu": cpu_description(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def build_bundled(index_dir: Path) -> dict:
    """Build the bundled index ROUNDS times in a subprocess, as a user would."""
    seconds, peaks = [], []
    for _ in range(ROUNDS):
        # From nothing each round (--no-cache): the first build a user sees, not a cached rebuild.
        command = [str(VERBATIM), "index", "--corpus", str(BUNDLED_CORPUS), "--index", str(index_dir), "--force", "--no-cache"]
        took, peak_mb, _, err, code = run_measured(command)
        if code != 0:
            raise RuntimeError(f"verbatim index failed: {' / '.join(err.strip().splitlines()[-3:])}")
        seconds.append(took)
        peaks.append(peak_mb)
    counts = read_manifest(index_dir).counts
    texts = counts.passages + counts.sentences
    return {
        "passages": counts.passages,
        "sentences": counts.sentences,
        "seconds": spread(seconds),
        "texts_per_second": round(texts / min(seconds), 1),
        "peak_rss_mb": max(peaks),
        "note": "wall time of `verbatim index`, model load included",
    }


def in_process_latency(searcher, queries: list[str], modes) -> dict:
    """Each query searched once per round, with no cached question vectors: the embedding is timed."""
    results = {}
    for mode in modes:
        rounds, everything = [], []
        for _ in range(ROUNDS):
            searcher.forget_questions()  # time the question's embedding too, as a new question would
            timings = []
            for query in queries:
                started = time.perf_counter()
                searcher.search(query, mode=mode, k=10)
                timings.append(time.perf_counter() - started)
            rounds.append(summary_ms(timings)["p50_ms"])
            everything += timings
        results[mode] = {**summary_ms(everything), "p50_per_round_ms": rounds}
    return results


def cold_start_ask(index_dir: Path) -> dict:
    seconds = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        subprocess.run(
            [
                str(VERBATIM),
                "ask",
                "How many people were detained in Almaty on election day?",
                "-k",
                "5",
                "--index",
                str(index_dir),
            ],
            check=True,
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
        seconds.append(time.perf_counter() - started)
    return {"seconds": spread(seconds), "note": "launching `verbatim ask` to the printed answer"}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serving(index_dir: Path, queries: list[str]) -> dict:
    from gradio_client import Client

    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(VERBATIM), "serve", "--port", str(port), "--index", str(index_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        client = None
        while client is None:
            if server.poll() is not None or time.perf_counter() - started > 300:
                raise RuntimeError("`verbatim serve` did not come up within 300 s")
            try:
                client = Client(url, verbose=False)
                client.predict(question=queries[0], k=10, api_name="/ask")
            except Exception:  # noqa: BLE001 - not up yet
                client = None
                time.sleep(0.25)
        first_answer = time.perf_counter() - started
        http = {}
        for mode in ("hybrid", "bm25"):
            timings = []
            for query in queries[:60]:
                t0 = time.perf_counter()
                client.predict(question=query, mode=mode, k=10, api_name="/ask")
                timings.append(time.perf_counter() - t0)
            http[mode] = summary_ms(timings)
        before = process_memory_mb(server.pid)
        # One client is the baseline: more clients must raise throughput, not just queue behind one search.
        load = [load_test(url, queries, clients=n, per_client=LOAD_REQUESTS // n) for n in LOAD_CLIENTS]
        after = process_memory_mb(server.pid)
        client.close()
        return {
            "serve_to_first_answer_s": round(first_answer, 2),
            "http_latency": http,
            "load_test": load,
            "memory_before_load": before,
            "memory_after_load": after,
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


LOAD_CLIENTS = (1, 8, 16, 32)
LOAD_REQUESTS = 320  # at each level of concurrency


def load_test(url: str, queries: list[str], *, clients: int, per_client: int, limit_s: float = 600) -> dict:
    """`clients` threads, each with its own connection, asking mixed questions in mixed modes."""
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + limit_s

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        client = Client(url, verbose=False)
        for _ in range(per_client):
            if time.perf_counter() > deadline:
                break
            query, mode = rng.choice(queries), rng.choice(["hybrid", "hybrid", "dense", "bm25"])
            t0 = time.perf_counter()
            try:
                json.loads(client.predict(question=query, mode=mode, k=10, api_name="/ask"))
                with lock:
                    latencies.append(time.perf_counter() - t0)
            except Exception as error:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(repr(error)[:200])
        client.close()  # its heartbeat thread stops with it

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "error_examples": errors[:3],
        "seconds": round(elapsed, 1),
        "throughput_qps": round(len(latencies) / elapsed, 2),
        **summary_ms(latencies),
    }


def scifact(folder: Path, queries_limit: int = 300) -> dict:
    """Build (or reuse) Verbatim's SciFact index, then its latency per mode and its nDCG@10."""
    from eval.beir import load_benchmark, open_benchmark_index
    from eval.runner import evaluate_benchmark
    from index.config import MODES, Config

    started = time.perf_counter()
    built = []
    searcher = open_benchmark_index(folder, Config(), on_start=built.append)
    manifest = searcher.index.manifest
    result = {
        "passages": len(searcher.index.passages),
        "sentences": manifest.counts.sentences,
        "model": manifest.model.name,
        "built_in_this_run": bool(built),
        "build_seconds": manifest.build_seconds or round(time.perf_counter() - started, 1),
        "built_at": manifest.built_at,
    }
    texts = result["passages"] + result["sentences"]
    result["texts_per_second"] = round(texts / result["build_seconds"], 1)
    result["passages_per_second"] = round(result["passages"] / result["build_seconds"], 1)
    benchmark = load_benchmark(folder)
    queries = list(benchmark.queries.values())[:queries_limit]
    searcher.search(queries[0], k=10)
    result["latency"] = in_process_latency(searcher, queries[:100], [m for m in MODES if m != "bm25-plain"])
    evaluation = evaluate_benchmark(searcher, benchmark, ["hybrid", "dense"])
    result["nDCG@10"] = {mode: round(run.metrics["nDCG@10"], 4) for mode, run in evaluation.runs.items()}
    result["directory"] = str(searcher.index.directory)
    result["claims"] = queries[:100]
    return result


def scale(source: Path, claims: list[str], sizes=SCALE_SIZES) -> list[dict]:
    """Each size built, then searched, in its own process (bench/scale.py), then deleted."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="verbatim-scale-") as scratch:
        queries = Path(scratch) / "claims.json"
        queries.write_text(json.dumps(claims))
        for size in sizes:
            print(f"scale: {size:,} passages", flush=True)
            into = Path(scratch) / str(size)
            common = ["--source", str(source), "--into", str(into), "--queries", str(queries)]
            built = subprocess.run(
                [sys.executable, "-m", "bench.scale", "build", "--size", str(size), *common],
                check=True,
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
            )
            searched = subprocess.run(
                [sys.executable, "-m", "bench.scale", "search", *common],
                check=True,
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
            )
            rows.append({**json.loads(built.stdout), **json.loads(searched.stdout)})
            shutil.rmtree(into, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=work_dir() / "bench")
    parser.add_argument("--scifact", type=Path, default=PACKAGE_ROOT.parent / "shared" / "benchmarks" / "scifact")
    parser.add_argument("--no-scifact", action="store_true", help="Skip the SciFact part (and with it scale and peers).")
    parser.add_argument("--no-peers", action="store_true", help="Skip txtai and LangChain.")
    args = parser.parse_args(argv)
    if not args.no_scifact and not args.scifact.is_dir():
        parser.error(f"no BEIR SciFact folder at {args.scifact}; give --scifact DIR (make bench SCIFACT=DIR) or --no-scifact")
    from index.config import MODES, Config
    from index.search import Searcher

    report: dict = {"command": "make bench (python -m bench.run " + " ".join(argv or sys.argv[1:]) + ")", "machine": machine()}
    asked = questions()
    with tempfile.TemporaryDirectory(prefix="verbatim-bench-") as scratch:
        index_dir = Path(scratch) / "index"
        print("build: bundled corpus", flush=True)
        report["build_bundled"] = build_bundled(index_dir)
        print("latency: in-process", flush=True)
        searcher = Searcher.open(Config(index_dir=index_dir))
        searcher.search(asked[0], k=10)  # load the model before timing
        report["latency_bundled"] = in_process_latency(searcher, asked, MODES)
        print("cold start: verbatim ask", flush=True)
        report["cold_start_ask"] = cold_start_ask(index_dir)
        print("serving: HTTP latency and load test", flush=True)
        report["serving"] = serving(index_dir, asked)
    if not args.no_scifact and args.scifact.is_dir():
        print("SciFact: index (cached after the first run), latency and nDCG@10", flush=True)
        report["scifact"] = scifact(args.scifact)
        report["scale"] = scale(Path(report["scifact"]["directory"]), report["scifact"].pop("claims"))
        if not args.no_peers:
            from bench.peers.run import run_peers
            from index.config import BASE_MODEL
            from index.models import resolve_model

            report["peers"] = run_peers(args.scifact, resolve_model(BASE_MODEL).folder)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "report.md").write_text(markdown(report))
    print(f"Wrote {args.out / 'report.md'} and {args.out / 'report.json'}")


if __name__ == "__main__":
    main()
