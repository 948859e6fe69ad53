"""Sentence vectors: each passage's sentences, embedded at build time.

A question is often answered by one sentence, and a passage's single vector blurs it with its
neighbours. The best-matching sentence of a passage rescored the candidates better on both SciFact
and the Kazakhstan set (see README), and it is the sentence the app can point at.

    sentences.faiss   one vector per sentence, in passage order
    sentences.npy     int64 rows (passage position, start, end); offsets index the document text
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from corpus.documents import Document, Passage
from corpus.sentences import sentence_spans
from index.dense import DenseIndex


def passage_sentences(documents: dict[str, Document], passages: list[Passage]) -> np.ndarray:
    """(passage position, start, end) of every sentence, in passage order."""
    rows = [
        (position, start, end)
        for position, passage in enumerate(passages)
        for start, end in sentence_spans(documents[passage.doc_id].text, passage.start, passage.end)
    ]
    return np.array(rows, dtype=np.int64).reshape(-1, 3)


class SentenceIndex:
    def __init__(self, vectors: DenseIndex, spans: np.ndarray) -> None:
        self.vectors = vectors
        self.spans = spans
        owners = spans[:, 0]
        self._owners = owners
        # Sentences are stored in passage order: passage p owns rows first[p]:first[p + 1].
        self._first = np.searchsorted(owners, np.arange(int(owners.max(initial=-1)) + 2))

    def save(self, folder: Path) -> None:
        self.vectors.save(folder / "sentences.faiss")
        np.save(folder / "sentences.npy", self.spans, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> SentenceIndex:
        return cls(DenseIndex.load(folder / "sentences.faiss"), np.load(folder / "sentences.npy", allow_pickle=False))

    def passages_near(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
        """Positions of the passages holding the `k` sentences closest to the query."""
        sentence_allowed = None if allowed is None else np.flatnonzero(np.isin(self._owners, allowed))
        found = self.vectors.search(query, k, sentence_allowed)
        return np.unique(self._owners[[i for i, _ in found]]) if found else np.zeros(0, dtype=np.int64)

    def best(self, query: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each passage position: the best sentence's cosine and its row in `spans` (-1 if none)."""
        positions = np.asarray(positions, dtype=np.int64)
        scores = np.full(len(positions), -1.0, dtype=np.float32)
        rows = np.full(len(positions), -1, dtype=np.int64)
        known = positions + 1 < len(self._first)
        firsts = np.where(known, self._first[np.minimum(positions, len(self._first) - 1)], 0)
        lasts = np.where(known, self._first[np.minimum(positions + 1, len(self._first) - 1)], 0)
        counts = lasts - firsts
        has = counts > 0
        if not has.any():
            return scores, rows
        # All candidates' sentences in one matrix product, then the best per passage.
        sentence_rows = np.concatenate([np.arange(a, b) for a, b in zip(firsts[has], lasts[has], strict=True)])
        cosines = self.vectors.rows(sentence_rows) @ query
        starts = np.concatenate([[0], np.cumsum(counts[has])[:-1]])
        best = np.maximum.reduceat(cosines, starts)
        # The first row of each group that holds the group's maximum.
        maxima = np.flatnonzero(cosines == np.repeat(best, counts[has]))
        winners = maxima[np.searchsorted(maxima, starts)] - starts
        scores[has] = best
        rows[has] = firsts[has] + winners
        return scores, rows
