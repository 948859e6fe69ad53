"""The FAISS index type follows the collection's size: exact while small, IVF above the threshold."""

from __future__ import annotations

import numpy as np

from index.store.dense import DenseIndex, ivf_parameters


def unit_vectors(count: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, 16)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_small_collections_are_searched_exactly():
    index = DenseIndex.build(unit_vectors(50, 0))
    assert index.kind == {"type": "flat"}


def test_above_the_threshold_an_ivf_index_finds_what_exact_search_finds(tmp_path):
    vectors, queries = unit_vectors(3000, 1), unit_vectors(20, 2)
    exact = DenseIndex.build(vectors)
    approximate = DenseIndex.build(vectors, exact_up_to=1000)
    nlist, nprobe = ivf_parameters(3000)
    assert approximate.kind == {"type": "ivf", "codec": "SQ8", "nlist": nlist, "nprobe": nprobe}
    recall = np.mean([
        len({i for i, _ in exact.search(q, 10)} & {i for i, _ in approximate.search(q, 10)}) / 10 for q in queries
    ])
    assert recall >= 0.9
    positions = np.array([5, 2999, 17])
    assert np.allclose(approximate.scores(queries[0], positions), vectors[positions] @ queries[0], atol=0.01)
    allowed = np.arange(100, 200)
    assert all(100 <= i < 200 for i, _ in approximate.search(queries[0], 10, allowed))
    approximate.save(tmp_path / "dense.faiss")
    loaded = DenseIndex.load(tmp_path / "dense.faiss")
    assert loaded.kind == approximate.kind
    assert loaded.search(queries[1], 10) == approximate.search(queries[1], 10)
