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

from bench.timing import summary_ms
from corpus.paths import work_dir

HERE = Path(__file__).resolve().parent
VENVS = work_dir() / "bench" / "venvs"
PEERS = {
    "txtai (hybrid)": ("txtai", ["txtai"], "txtai_hybrid.py"),
    "LangChain + FAISS": (
        "langchain", ["langchain-community", "langchain-huggingface", "sentence-transformers", "faiss-cpu"], "langchain_faiss.py"
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
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         check=True, capture_output=True, text=True).stdout.strip()
    # After the peer's own site-packages on sys.path: whatever pip installs for the peer wins.
    (Path(own) / "_verbatim_shared.pth").write_text(shared + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *packages],
                   check=True, stdin=subprocess.DEVNULL)
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


def run_peers(beir: Path, model_dir: Path, queries: int = 300) -> dict:
    from eval.beir import load_benchmark
    from eval.metrics import compute, ranked_run

    beir, model_dir = beir.resolve(), model_dir.resolve()  # the peer scripts run from their own folder
    benchmark = load_benchmark(beir)
    results = {}
    for label, (name, packages, script) in PEERS.items():
        print(f"peer: {label}", flush=True)
        try:
            started = time.perf_counter()
            python = environment(name, packages)
            install_s = time.perf_counter() - started
            output = subprocess.run([str(python), str(HERE / script), str(beir), str(queries), str(model_dir)],
                                    check=True, capture_output=True, text=True, cwd=HERE, stdin=subprocess.DEVNULL,
                                    env=peer_environment())
        except subprocess.CalledProcessError as error:
            tail = (error.stderr or "").strip().splitlines()[-3:]
            results[label] = {"error": f"{error.cmd[1] if error.cmd else ''} failed: {' / '.join(tail)}"}
            continue
        found = json.loads(output.stdout)
        qrels = {qid: benchmark.qrels[qid] for qid in found["ranked"]}
        metrics = compute(qrels, ranked_run(found["ranked"]))
        results[label] = {"documents": found["documents"], "install_s": round(install_s, 1),
                          "build_s": round(found["build_seconds"], 1),
                          "passages_per_s": round(found["documents"] / found["build_seconds"], 1),
                          "latency": summary_ms(found["query_seconds"]), "nDCG@10": round(metrics["nDCG@10"], 4),
                          "queries": len(found["ranked"])}
    return results
