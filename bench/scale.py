"""Search at 10k, 100k and 1M passages. Embedding a million passages is out of reach on 2 cores,
so the vectors are SciFact's real passage embeddings plus perturbed copies of them (each copy a
real vector with Gaussian noise, re-normalised), and the questions are real SciFact claims.
Exact (flat) search is the reference for the recall of the approximate (IVF) index."""

from __future__ import annotations

import time

import faiss
import numpy as np

from bench.timing import summary_ms


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


def scale_run(vectors: np.ndarray, queries: np.ndarray, size: int, nprobes=(8, 16, 32, 64), k: int = 10) -> dict:
    data = grown(vectors, size)
    flat = faiss.IndexFlatIP(data.shape[1])
    started = time.perf_counter()
    flat.add(data)
    flat_build = time.perf_counter() - started
    nlist = int(4 * np.sqrt(size))
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(data.shape[1]), data.shape[1], nlist, faiss.METRIC_INNER_PRODUCT)
    started = time.perf_counter()
    ivf.train(data[np.random.default_rng(1).choice(size, min(size, 40 * nlist), replace=False)])
    ivf.add(data)
    ivf_build = time.perf_counter() - started
    flat_times, exact = [], []
    for query in queries:
        t0 = time.perf_counter()
        exact.append(flat.search(query.reshape(1, -1), k)[1][0])
        flat_times.append(time.perf_counter() - t0)
    probes = []
    for nprobe in nprobes:
        ivf.nprobe = nprobe
        times, recalls = [], []
        for query, truth in zip(queries, exact, strict=True):
            t0 = time.perf_counter()
            found = ivf.search(query.reshape(1, -1), k)[1][0]
            times.append(time.perf_counter() - t0)
            recalls.append(len(set(truth) & set(found)) / k)
        probes.append({"nprobe": nprobe, **summary_ms(times), "recall_at_10_vs_exact": round(float(np.mean(recalls)), 4)})
    return {
        "passages": size,
        "vector_mb": round(data.nbytes / 2**20, 1),
        "flat": {"build_s": round(flat_build, 2), **summary_ms(flat_times)},
        "ivf": {"nlist": nlist, "build_s": round(ivf_build, 2), "by_nprobe": probes},
    }
