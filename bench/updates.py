"""Updating an index as an archive grows, side by side with its full build (README, "Speed"):
the UN reports corpus built from nothing, then rebuilt with nothing changed, with one report added,
one changed and one removed, and a build killed at about 80 % of its embedding and run again; the
same three updates on SciFact (50 abstracts added to 5,133, one changed, one removed).

Every run is `verbatim index` in its own process, wall time, model load included, each series with
an embedding cache of its own that starts empty. Usage: python -m bench.updates [--upr DIR] [--scifact DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus.paths import PACKAGE_ROOT, work_dir
from index.store import read_manifest

VERBATIM = Path(sys.executable).parent / "verbatim"
RECORD_BYTES = 32 + 384 * 4 + 4  # a cache record of a 384-dimensional model (index/store/embedding_cache.py)
CHANGED_TEXT = "\nIn a later statement the delegation said that 42 more people had been detained for holding blank sheets.\n"


def _run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started, done.stdout


def _step(name: str, seconds: float, index: Path, full: float | None) -> dict:
    embedding = read_manifest(index).embedding
    row = {
        "step": name,
        "seconds": round(seconds, 1),
        "embedded": embedding.get("embedded"),
        "reused": embedding.get("reused"),
        "texts": embedding.get("texts"),
    }
    if full:
        row["share_of_full"] = round(seconds / full, 4)
    print(f"  {name}: {seconds:.1f} s", flush=True)
    return row


def _cache_records(cache: Path) -> int:
    return sum(p.stat().st_size // RECORD_BYTES for p in cache.glob("embeddings/*/vectors-*.bin"))


def corpus_updates(source: Path, scratch: Path, sample: int | None = None) -> dict:
    """The UN reports: full build, nothing changed, one added, one changed, one removed, a kill at 80 % and its resume."""
    reports = sorted(p for p in source.iterdir() if p.is_file() and p.suffix == ".txt")[:sample]
    added, changed, removed = reports[len(reports) // 2], reports[len(reports) // 3], reports[2 * len(reports) // 3]
    corpus, index, cache = scratch / "corpus", scratch / "index", scratch / "cache"
    corpus.mkdir(parents=True)
    for report in reports:
        if report != added:
            shutil.copy(report, corpus / report.name)
    env = {**os.environ, "VERBATIM_CACHE": str(cache)}
    command = [str(VERBATIM), "index", "--corpus", str(corpus), "--index", str(index)]
    steps = []
    print(f"updates: {source.name}, full build of {len(reports) - 1} reports", flush=True)
    full, _ = _run(command, env)
    steps.append(_step("full build", full, index, None))
    seconds, out = _run(command, env)
    assert "is up to date" in out, out
    steps.append({"step": "nothing changed", "seconds": round(seconds, 2), "share_of_full": round(seconds / full, 4)})
    print(f"  nothing changed: {seconds:.2f} s", flush=True)
    shutil.copy(added, corpus / added.name)
    steps.append(_step(f"one report added ({added.name})", _run(command, env)[0], index, full))
    with (corpus / changed.name).open("ab") as handle:
        handle.write(CHANGED_TEXT.replace("\n", "\r").encode("mac_roman"))  # the corpus's own line ends and code page
    steps.append(_step(f"one report changed ({changed.name})", _run(command, env)[0], index, full))
    (corpus / removed.name).unlink()
    steps.append(_step(f"one report removed ({removed.name})", _run(command, env)[0], index, full))

    # A build from nothing (a cache of its own) killed at about 80 % of the texts it embeds, then run again.
    distinct = steps[0]["embedded"]  # how many texts a build from nothing embeds, near enough
    killed_cache, killed_index = scratch / "cache-killed", scratch / "index-killed"
    env_killed = {**os.environ, "VERBATIM_CACHE": str(killed_cache)}
    kill_command = [str(VERBATIM), "index", "--corpus", str(corpus), "--index", str(killed_index)]
    started = time.perf_counter()
    process = subprocess.Popen(
        kill_command,
        env=env_killed,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    while _cache_records(killed_cache) < 0.8 * distinct and process.poll() is None:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    killed_after = time.perf_counter() - started
    kept = _cache_records(killed_cache)
    print(f"  killed after {killed_after:.1f} s with {kept:,} of about {distinct:,} texts embedded", flush=True)
    resumed = _step("resumed after a kill at ~80 % of embedding", _run(kill_command, env_killed)[0], killed_index, full)
    resumed["killed_after_seconds"], resumed["embedded_before_kill"] = round(killed_after, 1), kept
    steps.append(resumed)
    return {
        "corpus": str(source),
        "reports": len(reports),
        "steps": steps,
        "passages": read_manifest(index).counts.passages,
        "sentences": read_manifest(index).counts.sentences,
    }


def _beir_variant(folder: Path, lines: list[str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "corpus.jsonl").write_text("".join(lines), encoding="utf-8")
    return folder


def beir_updates(source: Path, scratch: Path, added: int = 50, sample: int | None = None) -> dict:
    """SciFact: the first 5,133 abstracts built, then 50 added, then one changed, then one removed."""
    from eval.beir import open_benchmark_index
    from index.config import Config

    text = (source / "corpus.jsonl").read_text(encoding="utf-8")
    lines = [line + "\n" for line in text.splitlines() if line.strip()][:sample]
    config = Config(index_dir=scratch / "beir-index" / "index", cache_dir=scratch / "beir-cache")
    steps = []

    def timed(name: str, corpus_lines: list[str], full: float | None) -> float:
        folder = _beir_variant(scratch / f"scifact-{len(steps)}", corpus_lines)
        started = time.perf_counter()
        searcher = open_benchmark_index(folder, config)
        seconds = time.perf_counter() - started
        steps.append(_step(name, seconds, searcher.index.directory, full))
        return seconds

    print(f"updates: SciFact, full build of {len(lines) - added:,} abstracts", flush=True)
    base = lines[:-added]
    full = timed(f"full build ({len(base):,} abstracts)", base, None)
    grown = lines
    timed(f"{added} abstracts added", grown, full)
    row = json.loads(grown[10])
    row["text"] += " A later erratum corrected the reported effect size."
    changed = [*grown[:10], json.dumps(row) + "\n", *grown[11:]]
    timed("one abstract changed", changed, full)
    timed("one abstract removed", changed[:20] + changed[21:], full)
    return {
        "corpus": str(source),
        "steps": steps,
        "note": "in-process (the model loaded once, as a `verbatim eval --beir` run does); each update is a new index folder",
    }


def markdown(report: dict) -> str:
    lines = [f"# Updates side by side with a full build\n\n`{report['command']}`\n"]
    for key, title in (("upr", "UN reports"), ("scifact", "SciFact")):
        if key not in report:
            continue
        lines += [
            f"## {title}\n",
            "| step | seconds | share of the full build | texts embedded | from the cache |",
            "|---|---|---|---|---|",
        ]
        for step in report[key]["steps"]:
            share = f"{step['share_of_full']:.1%}" if "share_of_full" in step else ""
            counts = f"{step.get('embedded', '')} | {step.get('reused', '')}"
            lines.append(f"| {step['step']} | {step['seconds']} | {share} | {counts} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upr", type=Path, default=PACKAGE_ROOT.parent / "shared" / "corpora" / "upr-wg-reports")
    parser.add_argument("--scifact", type=Path, default=PACKAGE_ROOT.parent / "shared" / "benchmarks" / "scifact")
    parser.add_argument("--out", type=Path, default=work_dir() / "bench" / "updates.json")
    parser.add_argument("--sample", type=int, help="Only the first N reports and abstracts (a quick check of the script).")
    args = parser.parse_args(argv)
    report = {"command": "python -m bench.updates " + " ".join(argv or sys.argv[1:])}
    with tempfile.TemporaryDirectory(prefix="verbatim-updates-") as scratch:
        if args.upr.is_dir():
            report["upr"] = corpus_updates(args.upr, Path(scratch) / "upr", args.sample)
        if args.scifact.is_dir():
            report["scifact"] = beir_updates(args.scifact, Path(scratch) / "scifact", sample=args.sample and args.sample * 20)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(markdown(report))
    print(f"Wrote {args.out} and {args.out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
