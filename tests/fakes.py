"""Fakes for the fast tier: an encoder that needs no model, and retrievers that return what a test
says. The real-model tests beside this folder exercise the real parts; these test the plumbing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence

import numpy as np

from index.search.query import PreparedQuery

_WORD = re.compile(r"\w+")


class BagOfWordsEncoder:
    """Each word hashed to one of `dimension` axes, counted, L2-normalised: texts that share words
    have a high cosine, as with a real model, and the same text always gets the same vector."""

    name = "fake-bag-of-words"
    runtime = "fake"

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension
        self.queries: list[str] = []  # every question embedded, in order

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimension, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1.0
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def encode_queries(self, queries: Sequence[str]) -> np.ndarray:
        self.queries.extend(queries)
        return np.array([self._vector(q) for q in queries], dtype=np.float32).reshape(len(queries), self.dimension)

    def encode_documents(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        if progress:
            progress(len(texts))
        return np.array([self._vector(t) for t in texts], dtype=np.float32).reshape(len(texts), self.dimension)


class FixedRetriever:
    """A retriever that returns a given ranked list, cut to the depth and the allowed positions."""

    def __init__(self, ranked: list[tuple[int, float]], needs_vector: bool = False) -> None:
        self.ranked = ranked
        self.needs_vector = needs_vector
        self.asked: list[PreparedQuery] = []

    def retrieve(self, query: PreparedQuery, depth: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        self.asked.append(query)
        keep = None if allowed is None else set(allowed.tolist())
        return [(p, s) for p, s in self.ranked if keep is None or p in keep][:depth]

    def score_all(self, query: PreparedQuery, positions: np.ndarray) -> list[tuple[int, float]]:
        return self.retrieve(query, len(positions), positions)
