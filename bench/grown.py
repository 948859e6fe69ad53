"""A real index grown to N passages without a model, for the benchmark at scale (bench/scale.py):
passage i beyond the real ones is a copy of a randomly picked real passage, with its vector
perturbed (Gaussian noise, re-normalised), its sentences' vectors and spans copied, its words
copied for BM25, and its row in passages.jsonl and its document's in documents.jsonl copied under
an id of its own. `GrownCollection` is the store's Components (index/store/components.py): the store
writes it, manifest included, as it writes any index."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import bm25s
import numpy as np

from index.store.dense import DenseIndex


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


class GrownCollection:
    """The store's `Components` (index/store/components.py) of a real index grown to `size` passages
    (see the module's docstring): the store writes its parts, tables and manifest as any build's, and
    `verbatim` loads it as any index. `on_dense` is shown the dense index and its vectors once built
    (the benchmark measures recall with them), before the vectors are let go."""

    def __init__(self, source: Path, size: int, on_dense: Callable[[DenseIndex, np.ndarray], None] | None = None) -> None:
        from index.store import read_jsonl, read_manifest
        from index.store.sentences import SPANS

        self.source, self.size, self._on_dense = source, size, on_dense
        self.manifest = read_manifest(source)
        self.real = read_jsonl(source / "passages.jsonl")
        self.picks = picks_for(len(self.real), size)
        self.timings: dict[str, float] = {}
        self.kind: dict[str, object] = {}
        self._spans = np.load(source / SPANS)
        first = np.searchsorted(self._spans[:, 0], np.arange(len(self.real) + 1))
        self._sentence_counts = first[1:] - first[:-1]
        # The source's sentence rows that the passages copy, in passage order.
        self._rows = np.concatenate([np.arange(first[p], first[p + 1]) for p in self.picks])

    def manifest_about(self) -> dict:
        """The source's own record (its BEIR corpus or corpus folder, chunking), and how it was grown."""
        source = self.manifest
        return {
            "beir": source.beir,
            "corpus": source.corpus,
            "chunking": source.chunking,
            "extra": {"grown": {"from": str(self.source), "passages": self.size, "noise": 0.05, "seed": 0}},
        }

    def plan(self):
        from index.store import Plan
        from index.store.components import needed_bytes

        model = self.manifest.model
        documents = len(_document_lines(self.source)) + max(0, self.size - len(self.real))
        characters = 2 * int(np.array([len(row["text"]) for row in self.real])[self.picks].sum())  # passage and document
        names, counts = np.unique(np.array([row.get("language", "") for row in self.real])[self.picks], return_counts=True)
        sentences = len(self._rows)
        return Plan(
            documents=documents,
            passages=self.size,
            sentences=sentences,
            texts=0,
            needed_bytes=needed_bytes(self.size, sentences, model.dimension, characters),
            languages={str(name): int(count) for name, count in zip(names, counts, strict=True)},
            model=model,
            transliterate=self.manifest.transliterate,
        )

    def make(self, progress=None):
        from index.store import Parts
        from index.store.components import SentenceRows, Tables

        dense = self._dense()
        lexical = self._lexical()
        sentences = SentenceRows(self._copied_spans(), self.manifest.model.dimension, self._sentence_vectors)
        tables = Tables(self._document_rows(), self._passage_rows())
        return Parts(
            dense, _Timed(sentences, self.timings, "sentences_copy_s"), lexical, _Timed(tables, self.timings, "texts_copy_s")
        )

    def _dense(self) -> DenseIndex:
        real_dense = DenseIndex.load(self.source / "dense.faiss")
        data = grown(real_dense.rows(np.arange(real_dense.size)), self.size)
        started = time.perf_counter()
        dense = DenseIndex.build(data)
        self.timings["dense_build_s"] = round(time.perf_counter() - started, 1)
        self.kind = dense.kind
        if self._on_dense:
            self._on_dense(dense, data)
        return dense

    def _lexical(self):
        from bm25s.tokenization import Tokenized

        from index.store.lexical import ANALYZERS, LexicalIndex

        started = time.perf_counter()
        # Each real passage is analysed once, as the store's BM25 analyses it (its language, the
        # manifest's transliteration), and bm25s is handed word ids; a copy shares its original's
        # list. Scores are the same as bm25s's from the copies' words (tested).
        tokenize, transliterate = ANALYZERS["english"][0], self.manifest.transliterate
        vocabulary: dict[str, int] = {}
        ids = [
            [
                vocabulary.setdefault(word, len(vocabulary))
                for word in tokenize(" ".join(row["text"].split()), row.get("language", "en"), transliterate) or ["\u2205"]
            ]
            for row in self.real
        ]
        retriever = CopiesBM25(ids, self.picks)
        retriever.index(Tokenized(ids=[ids[p] for p in self.picks], vocab=vocabulary), show_progress=False)
        self.timings["bm25_build_s"] = round(time.perf_counter() - started, 1)
        return LexicalIndex(retriever, transliterate_names=transliterate)

    def _copied_spans(self) -> np.ndarray:
        """Each passage's sentences: its original's spans (offsets into the copy's own document), owned by it."""
        owners = np.repeat(np.arange(self.size), self._sentence_counts[self.picks])
        return np.column_stack([owners, self._spans[self._rows, 1:]])

    def _sentence_vectors(self):
        """The originals' sentence vectors, a million rows at a time (a million passages' are about 7 GB)."""
        from index.store.sentences import VECTORS

        real, rows = np.load(self.source / VECTORS, mmap_mode="r"), self._rows
        for begin in range(0, len(rows), 1_000_000):
            yield real[rows[begin : begin + 1_000_000]]

    def _document_rows(self):
        """The real documents, then for each copy i a copy of its passage's document under the id "ORIGINAL~i"."""
        documents = {}
        for line in _document_lines(self.source):
            row = json.loads(line)
            documents[row["doc_id"]] = row
            yield row
        for position in range(len(self.real), self.size):
            original = self.real[self.picks[position]]["doc_id"]
            yield _renamed(documents[original], f"{original}~{position}")

    def _passage_rows(self):
        """The real passages (as many as fit), then for each copy i a copy of passage picks[i] in document "ORIGINAL~i"."""
        yield from self.real[: min(self.size, len(self.real))]
        for position in range(len(self.real), self.size):
            original = self.real[self.picks[position]]
            yield _renamed(original, f"{original['doc_id']}~{position}")


class _Timed:
    """A part whose saving is timed, under `key` in `timings`."""

    def __init__(self, part, timings: dict[str, float], key: str) -> None:
        self._part, self._timings, self._key = part, timings, key

    def save(self, path: Path) -> None:
        started = time.perf_counter()
        self._part.save(path)
        self._timings[self._key] = round(time.perf_counter() - started, 1)


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
        matrix = sp.csc_matrix(
            (all_weights[source], (np.repeat(np.arange(n_docs), spans), all_words[source])),
            shape=(n_docs, n_vocab),
            dtype=self.dtype,
        )
        self.nonoccurrence_array = None
        return {"data": matrix.data, "indices": matrix.indices, "indptr": matrix.indptr.astype(np.int64), "num_docs": n_docs}


def _document_lines(source: Path) -> list[bytes]:
    return [line for line in (source / "documents.jsonl").read_bytes().splitlines() if line.strip()]


def _renamed(row: dict, new_id: str) -> dict:
    """The row under another "doc_id", which stays its first key (as the store writes it)."""
    return {"doc_id": new_id, **{key: value for key, value in row.items() if key != "doc_id"}}
