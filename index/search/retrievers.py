"""The retrievers, behind one small interface: a prepared query in, the best `depth` passages out,
as (position, score), only among `allowed` positions when a filter is set."""

from __future__ import annotations

import threading
from typing import Protocol

import numpy as np

from index.search.query import STEMMING, PreparedQuery
from index.store import LoadedIndex, search_text
from index.store.lexical import LexicalIndex

Ranked = list[tuple[int, float]]


class Retriever(Protocol):
    needs_vector: bool  # whether it reads the question's vector (so needs the model)

    def retrieve(self, query: PreparedQuery, depth: int, allowed: np.ndarray | None) -> Ranked: ...

    def score_all(self, query: PreparedQuery, positions: np.ndarray) -> Ranked:
        """Every passage at `positions` that matches at all, with its score (a preferred report's passages)."""
        ...


class DenseRetriever:
    """Passage vectors by inner product (cosine: vectors are normalised), FAISS."""

    needs_vector = True

    def __init__(self, index: LoadedIndex) -> None:
        self._dense = index.dense

    def retrieve(self, query: PreparedQuery, depth: int, allowed: np.ndarray | None) -> Ranked:
        return self._dense.search(query.vector, depth, allowed)

    def score_all(self, query: PreparedQuery, positions: np.ndarray) -> Ranked:
        return list(zip(positions.tolist(), self._dense.scores(query.vector, positions).tolist(), strict=True))


class BM25Retriever:
    """BM25 over the stemmed, script-aware words the index was built with; with `glossary`, a
    question also asks for the field's words in the other languages."""

    needs_vector = False

    def __init__(self, index: LoadedIndex, *, glossary: bool) -> None:
        self._lexical = index.lexical
        self._glossary = glossary

    def retrieve(self, query: PreparedQuery, depth: int, allowed: np.ndarray | None) -> Ranked:
        with STEMMING:
            return self._lexical.search(query.text, depth, allowed, query.language, self._glossary)

    def score_all(self, query: PreparedQuery, positions: np.ndarray) -> Ranked:
        return self.retrieve(query, len(positions), positions)


class PlainBM25Retriever:
    """BM25 over exact lower-cased words (Elasticsearch's defaults, the BEIR baseline), built in
    memory on first use: seconds for 10,000 passages."""

    needs_vector = False

    def __init__(self, index: LoadedIndex) -> None:
        self._index = index
        self._lexical: LexicalIndex | None = None
        self._building = threading.Lock()

    def retrieve(self, query: PreparedQuery, depth: int, allowed: np.ndarray | None) -> Ranked:
        return self._built().search(query.text, depth, allowed)

    def score_all(self, query: PreparedQuery, positions: np.ndarray) -> Ranked:
        return self.retrieve(query, len(positions), positions)

    def _built(self) -> LexicalIndex:
        if self._lexical is None:
            with self._building:
                if self._lexical is None:
                    texts = [search_text(p) for p in self._index.passages]
                    self._lexical = LexicalIndex.build(texts, analyzer="plain")
        return self._lexical
