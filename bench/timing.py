"""Small helpers: repeated timings summarised with their spread, and memory of processes."""

from __future__ import annotations

import resource
import statistics
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    """p50, p95, p99, mean and standard deviation in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "stdev_ms": round(statistics.pstdev(ms), 2),
    }


def spread(values: list[float]) -> dict[str, float]:
    return {"runs": len(values), "median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3)}


def children_peak_rss_mb() -> float:
    """Peak resident memory of the largest child process waited for so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)


def process_memory_mb(pid: int) -> dict[str, float]:
    """Current (VmRSS) and peak (VmHWM) resident memory of a running process."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS", float("nan")), "peak_rss_mb": fields.get("VmHWM", float("nan"))}


def memory_breakdown_mb(pid: int | str = "self") -> dict[str, float]:
    """Resident memory of a process, split into anonymous (heap, arrays), file-backed pages
    (memory-mapped files, which the kernel can drop and re-read) and shared memory (a Ray worker's
    object store mapping), plus the peak."""
    wanted = {"VmRSS": "rss_mb", "RssAnon": "anon_mb", "RssFile": "file_mb", "RssShmem": "shared_mb", "VmHWM": "peak_rss_mb"}
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in wanted:
            fields[wanted[key]] = round(int(value.split()[0]) / 1024, 1)
    return fields
