"""A real archive side by side: the UN reports corpus (262 reports as they were found: Mac Roman, CR
line ends) built by Verbatim, with the default model and with the multilingual one, and by txtai and
LangChain + FAISS, in one run. For each: build time, peak memory, index size on disk, query p50/p95
and retrieval quality on the 129 UN-report questions (eval/upr/), scored by the same code.

Every Verbatim build is `verbatim index --no-cache` in its own process (from nothing, model load
included); every search phase is a process of its own too (`python -m bench.archive search`), so
each peak memory is that process's own (os.wait4). The peers cannot read these files (no decoder
for Mac Roman, no chunker): they are given Verbatim's own passages, one text each, without the
report's title, as a LangChain user who split the decoded files would have them; their rankings
of those passages are judged like Verbatim's (eval/metrics.judge: a passage over the answer quote).

    python -m bench.archive [--upr DIR] [--questions FILE] [--out DIR] [--no-peers] [--no-multilingual]

Writes build/bench/archive.md and archive.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from bench.peers.run import PEERS, PeerError, folder_bytes, run_peer
from bench.timing import run_measured, summary_ms
from corpus.paths import PACKAGE_ROOT, work_dir

VERBATIM = Path(sys.executable).parent / "verbatim"
QUESTIONS = PACKAGE_ROOT / "eval" / "upr" / "upr-reports.jsonl"
MODELS_DEFAULT = "all-MiniLM-L6-v2-int8"
MODELS = {
    "Verbatim (default, all-MiniLM-L6-v2 int8)": "all-MiniLM-L6-v2-int8",
    "Verbatim (multilingual-e5-small int8)": "multilingual",
}
SEARCH_MODES = ("hybrid", "dense", "bm25")
ROUNDS = 3


def build_verbatim(corpus: Path, index: Path, model: str) -> dict:
    """`verbatim index` from nothing in its own process: seconds, peak memory, disk, counts."""
    from index.store import read_manifest

    command = [str(VERBATIM), "index", "--corpus", str(corpus), "--index", str(index), "--model", model, "--no-cache"]
    seconds, peak_mb, _, err, code = run_measured(command)
    if code != 0:
        raise RuntimeError(f"verbatim index failed: {' / '.join(err.strip().splitlines()[-3:])}")
    manifest = read_manifest(index)
    return {
        "build_s": round(seconds, 1),
        "build_peak_rss_mb": peak_mb,
        "disk_mb": round(folder_bytes(index) / 2**20, 1),
        "documents": manifest.counts.documents,
        "passages": manifest.counts.passages,
        "sentences": manifest.counts.sentences,
        "embedded": manifest.embedding.get("embedded"),
        "model": manifest.model.name,
    }


def search_phase(index: Path, questions_file: Path = QUESTIONS) -> dict:
    """In this process: open the index as `verbatim` does, time each question per mode (its
    embedding included), and score the hybrid ranking on all questions and on the held-out half."""
    from eval.metrics import compute, judge
    from eval.questions import load_questions
    from index.config import Config
    from index.search import Searcher

    searcher = Searcher.open(Config(index_dir=index))
    questions = load_questions(questions_file, searcher.index.documents)
    searcher.search(questions[0].text, k=10)  # load the model before timing
    latency = {}
    for mode in SEARCH_MODES:
        timings = []
        for _ in range(ROUNDS):
            searcher.forget_questions()
            for question in questions:
                started = time.perf_counter()
                searcher.search(question.text, mode=mode, k=10)
                timings.append(time.perf_counter() - started)
        latency[mode] = summary_ms(timings)
    ranked = {
        q.qid: [(h.passage.doc_id, h.passage.start, h.passage.end) for h in searcher.search(q.text, mode="hybrid", k=100)]
        for q in questions
    }
    return {"latency": latency, "quality": score(questions, ranked, compute, judge)}


def score(questions, ranked: dict[str, list[tuple[str, int, int]]], compute, judge) -> dict:
    """MRR@10, R@5 and nDCG@10 over all questions and over the held-out half, by eval/metrics."""
    result = {}
    for name, chosen in (("all", questions), ("heldout", [q for q in questions if q.split == "heldout"])):
        qrels, run = {}, {}
        for question in chosen:
            qrels[question.qid], run[question.qid] = judge(question, ranked.get(question.qid, []))
        metrics = compute(qrels, run)
        result[name] = {"questions": len(chosen), **{m: round(metrics[m], 4) for m in ("MRR@10", "R@5", "nDCG@10")}}
    return result


def export_passages(index: Path, into: Path, questions_file: Path) -> list[tuple[str, int, int]]:
    """The index's passages as a BEIR folder for the peers (corpus, the questions, a qrels file that
    names them); returns each passage's span, by its position (the id the peers see)."""
    from eval.questions import load_questions
    from index.config import Config
    from index.store.load import open_index

    loaded = open_index(Config(index_dir=index), check_corpus=False)
    spans = []
    (into / "qrels").mkdir(parents=True, exist_ok=True)
    with (into / "corpus.jsonl").open("w", encoding="utf-8") as corpus:
        for number, passage in enumerate(loaded.passages):
            corpus.write(json.dumps({"_id": str(number), "title": "", "text": passage.text}, ensure_ascii=False) + "\n")
            spans.append((passage.doc_id, passage.start, passage.end))
    questions = load_questions(questions_file, loaded.documents)
    with (into / "queries.jsonl").open("w", encoding="utf-8") as queries:
        for question in questions:
            queries.write(json.dumps({"_id": question.qid, "text": question.text}, ensure_ascii=False) + "\n")
    (into / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n" + "".join(f"{q.qid}\t-\t1\n" for q in questions))
    return spans


def peers_on(index: Path, scratch: Path, model_dir: Path, questions_file: Path) -> dict:
    from eval.metrics import compute, judge
    from eval.questions import load_questions
    from index.config import Config
    from index.store.load import open_index

    beir = scratch / "upr-beir"
    spans = export_passages(index, beir, questions_file)
    questions = load_questions(questions_file, open_index(Config(index_dir=index), check_corpus=False).documents)
    results = {}
    for label in PEERS:
        print(f"archive: {label}", flush=True)
        saved = scratch / f"peer-{PEERS[label][0]}"
        try:
            found = run_peer(label, beir, model_dir, len(questions), save_to=saved)
        except (PeerError, OSError) as error:
            results[label] = {"error": str(error)}
            continue
        ranked = {qid: [spans[int(i)] for i in ids] for qid, ids in found["ranked"].items()}
        results[label] = {
            "passages": found["documents"],
            "build_s": round(found["build_seconds"], 1),
            "peak_rss_mb": found["peak_rss_mb"],
            "disk_mb": found["disk_mb"],
            "install_s": found["install_s"],
            "latency": {"search": summary_ms(found["query_seconds"])},
            "quality": score(questions, ranked, compute, judge),
        }
    return results


def run(upr: Path, scratch: Path, questions_file: Path, *, peers: bool, multilingual: bool) -> dict:
    from index.config import BASE_MODEL
    from index.models import Embedder, resolve_model

    results: dict = {}
    for label, model in MODELS.items():
        if model == "multilingual" and not multilingual:
            continue
        Embedder(model)  # the ONNX graph exported before timing (once per machine, cached in build/models)
        index = scratch / f"index-{model}"
        print(f"archive: {label}: build", flush=True)
        row = build_verbatim(upr, index, model)
        print(f"  {row['build_s']} s, peak {row['build_peak_rss_mb']} MB, {row['disk_mb']} MB on disk", flush=True)
        seconds, peak_mb, out, err, code = run_measured(
            [sys.executable, "-m", "bench.archive", "search", "--index", str(index), "--questions", str(questions_file)]
        )
        if code != 0:
            raise RuntimeError(f"search phase failed: {' / '.join(err.strip().splitlines()[-3:])}")
        row.update(json.loads(out), search_peak_rss_mb=peak_mb)
        results[label] = row
        if peers and model == MODELS_DEFAULT:
            results.update(peers_on(index, scratch, resolve_model(BASE_MODEL).folder, questions_file))
    return results


def markdown(report: dict) -> str:
    lines = [
        f"# The UN reports corpus side by side ({report['machine']['date']})",
        "",
        f"`{report['command']}`; {report['machine']['cores']} cores, {report['machine']['cpu']}; "
        f"{report['corpus']} ({report['files']} files).",
        "",
        "| system | passages | build s | build peak MB | disk MB | query p50 / p95 ms "
        "| MRR@10 all / held-out | R@5 all / held-out | nDCG@10 all / held-out |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, row in report["systems"].items():
        if "error" in row:
            lines.append(f"| {label} | failed: {row['error']} | | | | | | | |")
            continue
        latency = row["latency"].get("hybrid") or row["latency"]["search"]
        quality = row["quality"]
        peak = row.get("build_peak_rss_mb", row.get("peak_rss_mb"))
        lines.append(
            f"| {label} | {row.get('passages', ''):,} | {row['build_s']} | {peak} "
            f"| {row['disk_mb']} | {latency['p50_ms']} / {latency['p95_ms']} "
            f"| {quality['all']['MRR@10']} / {quality['heldout']['MRR@10']} "
            f"| {quality['all']['R@5']} / {quality['heldout']['R@5']} "
            f"| {quality['all']['nDCG@10']} / {quality['heldout']['nDCG@10']} |"
        )
    lines += [
        "",
        "Verbatim's build peak is the `verbatim index` process's; its searches ran in a process of their own "
        "(peak below), and its build time is that process's whole wall time (start, model load, reading and decoding "
        "the files, chunking, embedding, writing). A peer's build time is its own build call on passages already "
        "read (its model loaded before); its peak is its one process, building and searching. The peers search plain "
        "(txtai hybrid, LangChain dense); Verbatim's row shows its hybrid mode.",
        "",
    ]
    for label, row in report["systems"].items():
        if "search_peak_rss_mb" in row:
            modes = ", ".join(f"{m} {v['p50_ms']} / {v['p95_ms']} ms" for m, v in row["latency"].items())
            lines.append(
                f"- {label}: {row['sentences']:,} sentences, {row['embedded']:,} texts embedded; "
                f"search process peak {row['search_peak_rss_mb']} MB; p50 / p95 by mode: {modes}."
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["search"]:
        parser = argparse.ArgumentParser(prog="bench.archive search")
        parser.add_argument("--index", type=Path, required=True)
        parser.add_argument("--questions", type=Path, default=QUESTIONS)
        args = parser.parse_args(argv[1:])
        json.dump(search_phase(args.index, args.questions), sys.stdout)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upr", type=Path, default=PACKAGE_ROOT.parent / "shared" / "corpora" / "upr-wg-reports")
    parser.add_argument("--out", type=Path, default=work_dir() / "bench")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="A question set over those reports.")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--no-multilingual", action="store_true")
    args = parser.parse_args(argv)
    if not args.upr.is_dir():
        parser.error(f"no UN reports at {args.upr}; give --upr DIR (make bench UPR=DIR)")
    from bench.run import machine

    report = {
        "command": "python -m bench.archive " + " ".join(argv),
        "machine": machine(),
        "corpus": str(args.upr),
        "files": sum(1 for p in args.upr.iterdir() if p.is_file()),
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="verbatim-archive-") as scratch:
        report["systems"] = run(
            args.upr, Path(scratch), args.questions, peers=not args.no_peers, multilingual=not args.no_multilingual
        )
    report["seconds"] = round(time.perf_counter() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "archive.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "archive.md").write_text(markdown(report), encoding="utf-8")
    print(f"Wrote {args.out / 'archive.md'} and {args.out / 'archive.json'}")


if __name__ == "__main__":
    main()
