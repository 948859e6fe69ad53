"""Hybrid search at 10k, 100k and 1M passages, through the real Searcher and the real index files.

Embedding a million passages is out of reach on 2 cores, so a collection of N passages is grown from
SciFact's real index: passage i > 5,183 is a copy of a randomly picked real passage, with its vector
perturbed (Gaussian noise, re-normalised), its sentences' vectors and spans copied, its words
copied for BM25, and its line in passages.jsonl and its document's in documents.jsonl copied under
an id of its own: every copy is a distinct document and passage, as in a real collection of that
size, so the serving memory is the whole of it. The questions are 100 real SciFact claims.

Two phases, each in its own process so that memory is measured cleanly:
    python -m bench.scale build  --source BEIR_INDEX --size N --into DIR --queries FILE
    python -m bench.scale search --source BEIR_INDEX --into DIR --queries FILE
The search phase loads the files with the same loaders `verbatim` uses and prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import bm25s
import numpy as np

from bench.timing import summary_ms

ROUNDS = 3


def grown(vectors: np.ndarray, size: int, noise: float = 0.05, seed: int = 0) -> np.ndarray:
    """`size` unit vectors: the real ones first, then noisy copies of randomly chosen real ones."""
    rng = np.random.default_rng(seed)
    extra = size - len(vectors)
    if extra <= 0:
        return vectors[:size].copy()
    picks = rng.integers(0, len(vectors), extra)
    copies = vectors[picks] + rng.normal(0, noise, (extra, vectors.shape[1])).astype(np.float32)
    copies /= np.linalg.norm(copies, axis=1, keepdims=True)
    return np.vstack([vectors, copies]).astype(np.float32)


def picks_for(real: int, size: int, seed: int = 0) -> np.ndarray:
    """The real passage each of the `size` passages copies: the real ones first, then random picks.
    Drawn with the same generator as `grown`, so passage i's vector is a noisy copy of picks[i]'s."""
    rng = np.random.default_rng(seed)
    extra = max(0, size - real)
    return np.concatenate([np.arange(min(size, real)), rng.integers(0, real, extra)]).astype(np.int64)


def build(source: Path, size: int, into: Path, queries: list[str]) -> dict:
    from bm25s.tokenization import Tokenized

    from bench.timing import memory_breakdown_mb
    from corpus.languages.analysis import tokenize
    from index.models import Embedder
    from index.store import read_jsonl, read_manifest
    from index.store.dense import DenseIndex
    from index.store.lexical import LexicalIndex
    from index.store.sentences import SPANS, VECTORS

    into.mkdir(parents=True, exist_ok=True)
    real_dense = DenseIndex.load(source / "dense.faiss")
    real_vectors = real_dense.rows(np.arange(real_dense.size))
    picks = picks_for(len(real_vectors), size)
    timings = {}

    data = grown(real_vectors, size)
    started = time.perf_counter()
    dense = DenseIndex.build(data)
    timings["dense_build_s"] = round(time.perf_counter() - started, 1)
    dense.save(into / "dense.faiss")
    recall = approximate_recall(dense if dense.kind["type"] == "ivf" else DenseIndex.build(data, exact_up_to=0), data,
                                Embedder(read_manifest(source)["model"]["name"]).encode_queries(queries))
    kind = dense.kind
    del dense, data

    started = time.perf_counter()
    # Each real passage is tokenized once, and bm25s is handed word ids; a copy shares its
    # original's list. Scores are the same as bm25s's from the copies' words (tested).
    vocabulary: dict[str, int] = {}
    ids = [[vocabulary.setdefault(word, len(vocabulary)) for word in tokenize(" ".join(row["text"].split())) or ["\u2205"]]
           for row in read_jsonl(source / "passages.jsonl")]
    retriever = CopiesBM25(ids, picks)
    retriever.index(Tokenized(ids=[ids[p] for p in picks], vocab=vocabulary), show_progress=False)
    LexicalIndex(retriever).save(into / "bm25")
    timings["bm25_build_s"] = round(time.perf_counter() - started, 1)
    del retriever, ids

    started = time.perf_counter()
    spans = np.load(source / SPANS)
    real_vectors_16 = np.load(source / VECTORS, mmap_mode="r")
    first = np.searchsorted(spans[:, 0], np.arange(len(real_vectors) + 1))
    counts = first[1:] - first[:-1]
    rows = np.concatenate([np.arange(first[p], first[p + 1]) for p in picks])
    owners = np.repeat(np.arange(size), counts[picks])
    np.save(into / SPANS, np.column_stack([owners, spans[rows, 1], spans[rows, 2]]), allow_pickle=False)
    vectors = np.lib.format.open_memmap(into / VECTORS, mode="w+", dtype=np.float16, shape=(len(rows), real_vectors_16.shape[1]))
    for begin in range(0, len(rows), 1_000_000):
        vectors[begin : begin + 1_000_000] = real_vectors_16[rows[begin : begin + 1_000_000]]
    vectors.flush()
    timings["sentences_copy_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    write_copies(source, picks, into)
    timings["texts_copy_s"] = round(time.perf_counter() - started, 1)
    return {"passages": size, "sentences": len(rows), "faiss": kind, **timings, "dense_recall": recall,
            "disk_mb": {p.name: round(_size(p) / 2**20, 1) for p in sorted(into.iterdir())},
            "build_peak_rss_mb": memory_breakdown_mb()["peak_rss_mb"]}


class CopiesBM25(bm25s.BM25):
    """bm25s's Lucene BM25 over a corpus whose documents are copies of a few thousand real ones.

    bm25s scores every document's words in a Python loop (two minutes at a million); here each
    real document's row is scored once, with the whole corpus's document frequencies and mean
    length, and repeated for its copies: the same matrix. `build_index_from_ids` is the method
    bm25s documents for building its index another way."""

    def __init__(self, real_ids: list[list[int]], picks: np.ndarray) -> None:
        super().__init__()
        self._real_ids, self._picks = real_ids, picks

    def build_index_from_ids(self, unique_token_ids, corpus_token_ids, show_progress=True, leave_progress=False):
        import scipy.sparse as sp

        picks, n_docs, n_vocab = self._picks, len(corpus_token_ids), len(unique_token_ids)
        if self.method != "lucene" or n_docs != len(picks):
            raise ValueError("CopiesBM25 scores the Lucene variant of the corpus it was made for")
        copies = np.bincount(picks, minlength=len(self._real_ids))
        lengths = np.array([len(ids) for ids in self._real_ids])
        avg_doc_len = lengths[picks].mean()
        rows = [np.unique(np.asarray(ids, dtype=np.int64), return_counts=True) for ids in self._real_ids]
        doc_frequencies = np.zeros(n_vocab, dtype=np.int64)
        for (words, _), count in zip(rows, copies, strict=True):
            doc_frequencies[words] += count
        seen = doc_frequencies > 0
        idf = np.zeros(n_vocab, dtype=self.dtype)
        idf[seen] = np.log(1 + (n_docs - doc_frequencies[seen] + 0.5) / (doc_frequencies[seen] + 0.5))
        weights = [
            (idf[words] * (counts / (self.k1 * ((1 - self.b) + self.b * length / avg_doc_len) + counts))).astype(self.dtype)
            for (words, counts), length in zip(rows, lengths, strict=True)
        ]
        width = np.array([len(words) for words, _ in rows])
        offsets = np.concatenate([[0], np.cumsum(width)])
        all_words = np.concatenate([words for words, _ in rows])
        all_weights = np.concatenate(weights)
        # Entry j of copy d is entry j of its real document's row.
        spans = width[picks]
        source = np.repeat(offsets[picks] - np.concatenate([[0], np.cumsum(spans)[:-1]]), spans) + np.arange(spans.sum())
        matrix = sp.csc_matrix((all_weights[source], (np.repeat(np.arange(n_docs), spans), all_words[source])),
                               shape=(n_docs, n_vocab), dtype=self.dtype)
        self.nonoccurrence_array = None
        return {"data": matrix.data, "indices": matrix.indices, "indptr": matrix.indptr.astype(np.int64), "num_docs": n_docs}


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
    return {"flat": summary_ms(flat_times), "ivf": {"codec": index.kind["codec"], "nlist": index.kind["nlist"],
                                                   "chosen_nprobe": chosen, "by_nprobe": by_nprobe}}


def search(source: Path, into: Path, queries: list[str]) -> dict:
    from bench.timing import memory_breakdown_mb
    from index.config import Config
    from index.search import Searcher
    from index.store import LoadedIndex, read_manifest
    from index.store.dense import DenseIndex
    from index.store.lexical import LexicalIndex
    from index.store.sentences import SentenceIndex
    from index.store.tables import open_tables

    manifest = read_manifest(source)
    before = memory_breakdown_mb()
    started = time.perf_counter()
    documents, passages = open_tables(into)
    with_texts = memory_breakdown_mb()
    index = LoadedIndex(into, manifest, documents, passages, DenseIndex.load(into / "dense.faiss"),
                        LexicalIndex.load(into / "bm25"), SentenceIndex.load(into))
    searcher = Searcher(index, Config(index_dir=into))
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
    return {"load_s": round(load_s, 1), "latency": latency, "memory_before_index_mb": before, "memory_serving_mb": after,
            "documents_and_passages_mb": round(with_texts["rss_mb"] - before["rss_mb"], 1)}


def write_copies(source: Path, picks: np.ndarray, into: Path) -> None:
    """documents.jsonl and passages.jsonl of the grown collection: the real ones, then for each
    copy i a copy of passage picks[i] in a copy of its document, both under the id "ORIGINAL~i"."""
    real = [line for line in (source / "passages.jsonl").read_bytes().splitlines(keepends=True) if line.strip()]
    real_ids = [json.loads(line)["doc_id"] for line in real]
    document_lines = (source / "documents.jsonl").read_bytes()
    documents = {json.loads(line)["doc_id"]: line for line in document_lines.splitlines(keepends=True) if line.strip()}
    with (into / "documents.jsonl").open("wb") as document_file, (into / "passages.jsonl").open("wb") as passage_file:
        document_file.write(document_lines)
        passage_file.writelines(real[: min(len(picks), len(real))])
        for position in range(len(real), len(picks)):
            doc_id = real_ids[picks[position]]
            copy_id = f"{doc_id}~{position}"
            passage_file.write(_renamed(real[picks[position]], doc_id, copy_id))
            document_file.write(_renamed(documents[doc_id], doc_id, copy_id))


def _renamed(line: bytes, doc_id: str, new_id: str) -> bytes:
    """The JSON line with its leading "doc_id" changed, without parsing the rest (the text)."""
    prefix = b'{"doc_id": ' + json.dumps(doc_id, ensure_ascii=False).encode()
    if not line.startswith(prefix):
        raise ValueError(f"expected a line that begins with {prefix!r}")
    return b'{"doc_id": ' + json.dumps(new_id, ensure_ascii=False).encode() + line[len(prefix):]


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*")) if path.is_dir() else path.stat().st_size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=("build", "search"))
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--into", type=Path, required=True)
    parser.add_argument("--size", type=int)
    parser.add_argument("--queries", type=Path)
    args = parser.parse_args(argv)
    if args.phase == "build":
        result = build(args.source, args.size, args.into, json.loads(args.queries.read_text()))
    else:
        result = search(args.source, args.into, json.loads(args.queries.read_text()))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
