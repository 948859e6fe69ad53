"""Small helpers: repeated timings summarised with their spread, and memory of processes."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# A forked child starts with its parent's resident pages counted in its peak (and a vfork-ed one
# with the parent's whole peak), so a child measured from a process that holds a model would show
# that model's memory. A bare interpreter in between launches the command and reports its peak.
LAUNCHER = """import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


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
    return {
        "runs": len(values),
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def run_measured(
    command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, str, str, int]:
    """Run a command to its end: wall seconds, its own peak resident memory in MB (Linux reports
    KiB), stdout, stderr and exit code."""
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        peak_file = Path(scratch) / "peak"
        started = time.perf_counter()
        code = subprocess.run(
            [sys.executable, "-S", "-c", LAUNCHER, str(peak_file), *command],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        ).returncode
        seconds = time.perf_counter() - started
        peak_kib = int(peak_file.read_text()) if peak_file.exists() else 0
        out.seek(0)
        err.seek(0)
        return (
            seconds,
            round(peak_kib / 1024, 1),
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            code,
        )


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
