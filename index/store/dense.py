"""Inner-product search over normalised vectors with FAISS (inner product = cosine).

Exact (flat) up to EXACT_UP_TO vectors. Above it an inverted-file index whose vectors are stored as
8-bit scalars (IVF-SQ8): a quarter of the memory (384 MB at a million passages instead of 1.5 GB),
with nprobe chosen so that recall@10 against exact search stays at or above 0.98, as `make bench`
measures on SciFact vectors grown to 100k and 1M (README): nprobe 128 below a million vectors, 64
from a million on.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

# FAISS (OpenMP) and onnxruntime share two cores per query: idle OpenMP threads that spin would take
# them from the next question's embedding (dense search at 10k passages: 9 ms → 6 ms, measured).
# OpenMP reads the setting when FAISS loads it, so it is set here, before the one import of FAISS.
OMP_WAIT_POLICY_SET_HERE = "OMP_WAIT_POLICY" not in os.environ  # not the user's: child programs need not inherit it
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import faiss  # noqa: E402
import numpy as np  # noqa: E402

EXACT_UP_TO = 100_000  # flat search measured p50 20 ms at 100k vectors and 141 ms at 1M on 2 cores
IVF_CODEC = "SQ8"


def ivf_parameters(size: int) -> tuple[int, int]:
    """(nlist, nprobe) for an IVF index of `size` vectors."""
    return int(4 * np.sqrt(size)), (64 if size >= 1_000_000 else 128)


class DenseIndex:
    def __init__(self, index: faiss.Index) -> None:
        self._index = index
        self._vectors: np.ndarray | None = None
        self._ivf = faiss.try_extract_index_ivf(index)
        self._direct_map = False
        self._direct_map_lock = threading.Lock()
        if self._ivf is not None:
            self._ivf.nprobe = ivf_parameters(int(index.ntotal))[1]

    @classmethod
    def build(cls, vectors: np.ndarray, exact_up_to: int = EXACT_UP_TO) -> DenseIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        size, dimension = vectors.shape
        if size <= exact_up_to:
            index = faiss.IndexFlatIP(dimension)
        else:
            nlist, _ = ivf_parameters(size)
            index = faiss.index_factory(dimension, f"IVF{nlist},{IVF_CODEC}", faiss.METRIC_INNER_PRODUCT)
            sample = np.random.default_rng(0).choice(size, min(size, 40 * nlist), replace=False)
            index.train(vectors[np.sort(sample)])
        index.add(vectors)
        return cls(index)

    @property
    def kind(self) -> dict[str, object]:
        """What the manifest records: the FAISS index type and its search parameters."""
        if self._ivf is None:
            return {"type": "flat"}
        return {"type": "ivf", "codec": IVF_CODEC, "nlist": int(self._ivf.nlist), "nprobe": int(self._ivf.nprobe)}

    def set_nprobe(self, nprobe: int) -> None:
        """How many inverted lists an IVF index visits (the benchmark varies it); no-op when flat."""
        if self._ivf is not None:
            self._ivf.nprobe = nprobe

    @property
    def size(self) -> int:
        return int(self._index.ntotal)

    @property
    def dimension(self) -> int:
        return int(self._index.d)

    def scores(self, query: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """Cosine of the query with the stored vectors at `positions` (exact for a flat index; from the
        8-bit codes for IVF-SQ8, within about 0.002)."""
        return self.rows(positions) @ query.astype(np.float32)

    def rows(self, positions: np.ndarray) -> np.ndarray:
        """The stored vectors at `positions`, as a (len(positions), dimension) array."""
        positions = np.asarray(positions, dtype=np.int64)
        if self._ivf is None:
            if self._vectors is None:  # a view of the flat index's storage, not a copy
                codes = faiss.vector_to_array(self._index.codes)
                self._vectors = codes.view(np.float32).reshape(self.size, self.dimension)
            return self._vectors[positions]
        if len(positions) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if not self._direct_map:
            # FAISS marks the map as there before it fills it: a second thread must not read it meanwhile.
            with self._direct_map_lock:
                if not self._direct_map:
                    self._ivf.make_direct_map()
                    self._direct_map = True
        return self._index.reconstruct_batch(positions)

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best `k` passages as (position, cosine); `allowed` restricts to those positions.

        An IVF index looks only in the `nprobe` nearest lists, so with a narrow filter it may
        return fewer than `k`.
        """
        k = min(k, self.size if allowed is None else len(allowed))
        if k <= 0:
            return []
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(allowed.astype(np.int64))
            params = (
                faiss.SearchParameters(sel=selector) if self._ivf is None
                else faiss.SearchParametersIVF(sel=selector, nprobe=self._ivf.nprobe)
            )
        scores, ids = self._index.search(query.reshape(1, -1).astype(np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def save(self, path: Path) -> None:
        # The same bytes as faiss.write_index, written by Python, so that a full disk is an OSError
        # (ENOSPC) rather than a RuntimeError with faiss's C++ location in it.
        with path.open("wb") as handle:
            handle.write(faiss.serialize_index(self._index))

    @classmethod
    def load(cls, path: Path) -> DenseIndex:
        return cls(faiss.read_index(str(path)))
