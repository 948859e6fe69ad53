"""Sentence vectors: each passage's sentences, embedded at build time.

A question is often answered by one sentence, and a passage's single vector blurs it with its
neighbours. The best-matching sentence of a passage rescored the candidates better on both SciFact
and the Kazakhstan set (see README), and it is the sentence the app can point at.

Sentences only rescore candidates that the passage vectors and BM25 found; they are never searched
on their own. Searching them as well changed SciFact nDCG@10 by 0.0008 and the Kazakhstan sets not at
all, yet it would need a second vector index ten times the size of the passages'. The vectors stay
on disk as float16 and a query reads only its candidates' rows (one read per passage, its sentences
being contiguous): a million passages' sentences (about 7 GB for SciFact-like abstracts) take no
process memory. Reads, not a memory map: mapped pages of this file count as the process's memory,
and the kernel maps them in large blocks around each row read.

    sentence_vectors.npy   float16, one row per sentence, in passage order
    sentences.npy          int64 rows (passage position, start, end, paragraph number); offsets index
                           the document text

The sentences are those a quote may be made of (corpus/quotable.py): never across a paragraph,
never a heading-like line, never a list item's bullet. They are what the sentence stage scores,
what a hit's best sentence and the verdict's quote are, and where a passage's quote starts and ends.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from corpus.documents import Document, Passage
from corpus.paragraphs import Paragraph, find_paragraphs
from corpus.quotable import quotable_sentences

VECTORS = "sentence_vectors.npy"
SPANS = "sentences.npy"


COLUMNS = 4  # passage position, start, end, paragraph number


def passage_sentences(documents: dict[str, Document], passages: list[Passage]) -> np.ndarray:
    """(passage position, start, end, paragraph) of every quotable sentence, in passage order. Each
    document's paragraphs are found once (its passages come together, in order)."""
    rows: list[tuple[int, int, int, int]] = []
    paragraphs: tuple[str, list[Paragraph]] = ("", [])
    for position, passage in enumerate(passages):
        document = documents[passage.doc_id]
        if paragraphs[0] != document.doc_id or not paragraphs[1]:
            paragraphs = (document.doc_id, find_paragraphs(document.text, document.page_starts))
        rows.extend((position, s.start, s.end, s.paragraph)
                    for s in quotable_sentences(document.text, paragraphs[1], passage.start, passage.end))
    return np.array(rows, dtype=np.int64).reshape(-1, COLUMNS)


class SentenceIndex:
    def __init__(self, vectors: np.ndarray | RowFile, spans: np.ndarray) -> None:
        if len(vectors) != len(spans):
            raise ValueError(f"{len(vectors)} sentence vectors for {len(spans)} sentences")
        if spans.ndim != 2 or spans.shape[1] != COLUMNS:
            raise ValueError(f"sentences.npy holds rows of shape {spans.shape[1:]}, not ({COLUMNS},)")
        self.vectors = vectors
        self.spans = spans
        owners = spans[:, 0]
        # Sentences are stored in passage order: passage p owns rows first[p]:first[p + 1].
        self._first = np.searchsorted(owners, np.arange(int(owners.max(initial=-1)) + 2))

    @classmethod
    def build(cls, vectors: np.ndarray, spans: np.ndarray) -> SentenceIndex:
        return cls(np.asarray(vectors, dtype=np.float16), spans)

    def save(self, folder: Path) -> None:
        np.save(folder / VECTORS, np.asarray(self.vectors, dtype=np.float16), allow_pickle=False)  # a built index
        np.save(folder / SPANS, self.spans, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> SentenceIndex:
        return cls(RowFile(folder / VECTORS), np.load(folder / SPANS, allow_pickle=False))

    def spans_of(self, position: int) -> tuple[tuple[int, int, int], ...]:
        """A passage's sentences: (start, end, paragraph) of each, in order."""
        if not 0 <= position < len(self._first) - 1:
            return ()
        rows = self.spans[int(self._first[position]) : int(self._first[position + 1])]
        return tuple((int(start), int(end), int(paragraph)) for _, start, end, paragraph in rows.tolist())

    def of_passage(self, query: np.ndarray, position: int) -> tuple[np.ndarray, np.ndarray]:
        """Every sentence of one passage: their rows in `spans` and their cosines with the query."""
        if not 0 <= position < len(self._first) - 1:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        first, last = int(self._first[position]), int(self._first[position + 1])
        if last <= first:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        cosines = _rows(self.vectors, np.array([first]), np.array([last])) @ query.astype(np.float32)
        return np.arange(first, last, dtype=np.int64), cosines

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
        cosines = _rows(self.vectors, firsts[has], lasts[has]) @ query.astype(np.float32)
        starts = np.concatenate([[0], np.cumsum(counts[has])[:-1]])
        best = np.maximum.reduceat(cosines, starts)
        # The first row of each group that holds the group's maximum.
        maxima = np.flatnonzero(cosines == np.repeat(best, counts[has]))
        winners = maxima[np.searchsorted(maxima, starts)] - starts
        scores[has] = best
        rows[has] = firsts[has] + winners
        return scores, rows


class RowFile:
    """The rows of a 2-D .npy matrix, read from disk range by range (os.pread: safe across threads)."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            version = np.lib.format.read_magic(handle)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran_order, dtype = read_header(handle)
            self._offset = handle.tell()
        if len(shape) != 2 or fortran_order:
            raise ValueError(f"{path} does not hold a row-major matrix")
        self.shape, self.dtype = shape, dtype
        self._row_bytes = shape[1] * dtype.itemsize
        expected = self._offset + shape[0] * self._row_bytes
        if path.stat().st_size != expected:  # cut: its last rows would read short
            raise ValueError(f"{path.name} is {path.stat().st_size} bytes, its header says {expected}")
        self._fd = os.open(path, os.O_RDONLY)

    def __len__(self) -> int:
        return self.shape[0]

    def __del__(self) -> None:
        if getattr(self, "_fd", None) is not None:
            os.close(self._fd)

    def ranges(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Rows starts[i]:ends[i] for each i, concatenated, as float32."""
        chunks = [
            os.pread(self._fd, int(b - a) * self._row_bytes, self._offset + int(a) * self._row_bytes)
            for a, b in zip(starts, ends, strict=True)
        ]
        return np.frombuffer(b"".join(chunks), dtype=self.dtype).reshape(-1, self.shape[1]).astype(np.float32)


def _rows(vectors: np.ndarray | RowFile, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    if isinstance(vectors, RowFile):
        return vectors.ranges(starts, ends)
    return np.concatenate([vectors[a:b] for a, b in zip(starts, ends, strict=True)]).astype(np.float32)
