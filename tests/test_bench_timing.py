"""The benchmark's summaries: percentiles and spreads of repeated timings."""

from __future__ import annotations

import os

from bench.timing import percentile, process_memory_mb, spread, summary_ms


def test_percentiles_pick_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]  # 1 … 100
    assert percentile(values, 50) == 51.0 and percentile(values, 95) == 95.0 and percentile(values, 99) == 99.0


def test_summaries_are_in_milliseconds_with_their_spread():
    summary = summary_ms([0.010, 0.020, 0.030])
    assert summary == {"n": 3, "p50_ms": 20.0, "p95_ms": 30.0, "p99_ms": 30.0, "mean_ms": 20.0, "stdev_ms": 8.16}
    assert spread([3.0, 1.0, 2.0]) == {"runs": 3, "median": 2.0, "min": 1.0, "max": 3.0}


def test_memory_of_a_running_process_is_read_from_proc():
    memory = process_memory_mb(os.getpid())
    assert 0 < memory["rss_mb"] <= memory["peak_rss_mb"]


def test_scaled_collections_keep_the_real_vectors_and_add_unit_length_copies():
    import numpy as np

    from bench.scale import grown, scale_run

    rng = np.random.default_rng(5)
    real = rng.normal(size=(50, 8)).astype(np.float32)
    real /= np.linalg.norm(real, axis=1, keepdims=True)
    data = grown(real, 400)
    assert data.shape == (400, 8) and np.array_equal(data[:50], real)
    assert np.allclose(np.linalg.norm(data, axis=1), 1.0, atol=1e-5)
    row = scale_run(real, real[:5], 400, nprobes=(80,))
    assert row["ivf"]["by_nprobe"][0]["recall_at_10_vs_exact"] == 1.0  # probing every list is exact
