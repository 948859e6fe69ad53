"""Exact inner-product search over normalised vectors with FAISS (inner product = cosine)."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


class DenseIndex:
    def __init__(self, index: faiss.Index) -> None:
        self._index = index
        self._vectors: np.ndarray | None = None

    @classmethod
    def build(cls, vectors: np.ndarray) -> DenseIndex:
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(index)

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def scores(self, query: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """Exact cosine of the query with the vectors at `positions`."""
        return self.vectors[positions] @ query.astype(np.float32)

    @property
    def vectors(self) -> np.ndarray:
        """The stored vectors as one (size, dimension) array: a view, not a copy (flat indexes)."""
        if self._vectors is None:
            codes = faiss.vector_to_array(self._index.codes)
            self._vectors = codes.view(np.float32).reshape(self.size, self.dimension)
        return self._vectors

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best `k` passages as (position, cosine); `allowed` restricts to those positions."""
        k = min(k, self.size if allowed is None else len(allowed))
        if k <= 0:
            return []
        params = None
        if allowed is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed.astype(np.int64)))
        scores, ids = self._index.search(query.reshape(1, -1).astype(np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        return cls(faiss.read_index(str(path)))
