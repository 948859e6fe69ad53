"""Verbatim side by side with peers on a BEIR folder: txtai (hybrid) and a plain LangChain + FAISS
pipeline, each installed into its own virtual environment under build/bench/venvs/, each using the
same local all-MiniLM-L6-v2 folder. Their rankings are scored here with the same qrels and metric
code as Verbatim's own.

A peer's environment sees Verbatim's installed packages underneath its own (a .pth file), so torch,
transformers and sentence-transformers are not installed three times: pip adds only what the peer
needs beyond them, into the peer's folder, and Verbatim's environment is never written to."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from bench.timing import run_measured, summary_ms
from corpus.paths import work_dir

HERE = Path(__file__).resolve().parent
VENVS = work_dir() / "bench" / "venvs"
PEERS = {
    "txtai (hybrid)": ("txtai", ["txtai"], "txtai_hybrid.py"),
    "LangChain + FAISS": (
        "langchain",
        ["langchain-community", "langchain-huggingface", "sentence-transformers", "faiss-cpu"],
        "langchain_faiss.py",
    ),
}


def environment(name: str, packages: list[str]) -> Path:
    """The Python of the peer's own virtual environment, created on first use."""
    folder = VENVS / name
    python = folder / "bin" / "python"
    stamp = folder / ".installed"
    shared = sysconfig.get_paths()["purelib"]  # Verbatim's site-packages
    wanted = json.dumps({"shared": shared, "packages": packages})
    if stamp.is_file() and stamp.read_text() == wanted:
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # After the peer's own site-packages on sys.path: whatever pip installs for the peer wins.
    (Path(own) / "_verbatim_shared.pth").write_text(shared + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *packages],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    stamp.write_text(wanted)
    return python


def peer_environment() -> dict[str, str]:
    """The environment a peer runs in: ours, less OMP_WAIT_POLICY when Verbatim set it for itself
    (idle OpenMP threads sleep between its queries). torch, which the peers embed with, then runs
    with its own default, as their users would have it."""
    import os

    from index.store import dense

    environment = dict(os.environ)
    if dense.OMP_WAIT_POLICY_SET_HERE:
        environment.pop("OMP_WAIT_POLICY", None)
    return environment


def run_peer(label: str, beir: Path, model_dir: Path, queries: int, save_to: Path | None = None) -> dict:
    """One peer over a BEIR folder, in its own process: what its script prints (ranked ids, build and
    query seconds), plus the install time, the process's peak resident memory and, with `save_to`,
    the size on disk of the index it saves there. Raises PeerError when the peer fails."""
    name, packages, script = PEERS[label]
    started = time.perf_counter()
    python = environment(name, packages)
    install_s = time.perf_counter() - started
    env = peer_environment()
    if save_to is not None:
        env["VERBATIM_PEER_SAVE"] = str(save_to)
    command = [str(python), str(HERE / script), str(beir), str(queries), str(model_dir)]
    seconds, peak_mb, out, err, code = run_measured(command, cwd=HERE, env=env)
    if code != 0:
        tail = err.strip().splitlines()[-3:]
        raise PeerError(f"{script} failed: {' / '.join(tail)}")
    found = json.loads(out)
    found.update(install_s=round(install_s, 1), peak_rss_mb=peak_mb, process_seconds=round(seconds, 1))
    if save_to is not None:
        found["disk_mb"] = round(folder_bytes(save_to) / 2**20, 1)
    return found


class PeerError(RuntimeError):
    """A peer's script failed."""


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run_peers(beir: Path, model_dir: Path, queries: int = 300) -> dict:
    from eval.beir import load_benchmark
    from eval.metrics import compute, ranked_run

    beir, model_dir = beir.resolve(), model_dir.resolve()  # the peer scripts run from their own folder
    benchmark = load_benchmark(beir)
    results = {}
    for label in PEERS:
        print(f"peer: {label}", flush=True)
        try:
            found = run_peer(label, beir, model_dir, queries)
        except (PeerError, subprocess.CalledProcessError) as error:
            results[label] = {"error": str(error)}
            continue
        qrels = {qid: benchmark.qrels[qid] for qid in found["ranked"]}
        metrics = compute(qrels, ranked_run(found["ranked"]))
        results[label] = {
            "documents": found["documents"],
            "install_s": found["install_s"],
            "build_s": round(found["build_seconds"], 1),
            "passages_per_s": round(found["documents"] / found["build_seconds"], 1),
            "latency": summary_ms(found["query_seconds"]),
            "nDCG@10": round(metrics["nDCG@10"], 4),
            "queries": len(found["ranked"]),
            "peak_rss_mb": found["peak_rss_mb"],
        }
    return results
