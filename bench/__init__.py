"""Benchmarks: `make bench` (python -m bench.run) measures speed and memory on this machine."""
