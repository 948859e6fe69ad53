"""Shared by the peer scripts: read a BEIR folder, time the build and each query, print JSON.

Standard library only: the peers' environments do not have Verbatim installed."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def read_beir(folder: Path, limit: int) -> tuple[list[tuple[str, str]], dict[str, str]]:
    corpus = []
    with (folder / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            corpus.append((str(row["_id"]), f"{row.get('title', '')} {row['text']}".strip()))
    tested = set()
    with (folder / "qrels" / "test.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[0] != "query-id":
                tested.add(parts[0])
    queries = {}
    with (folder / "queries.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if str(row["_id"]) in tested:
                queries[str(row["_id"])] = row["text"]
    return corpus, dict(list(queries.items())[:limit])


def run(build, search, argv: list[str], save=None) -> None:
    """`build(corpus)` indexes [(doc id, text)]; `search(query, k)` returns doc ids, best first;
    `save(folder)` writes the index, when VERBATIM_PEER_SAVE names a folder (its size on disk)."""
    folder, limit = Path(argv[1]), int(argv[2]) if len(argv) > 2 else 1000
    corpus, queries = read_beir(folder, limit)
    started = time.perf_counter()
    build(corpus)
    build_seconds = time.perf_counter() - started
    search(next(iter(queries.values())), 10)  # warm-up
    ranked, seconds = {}, []
    for qid, query in queries.items():
        t0 = time.perf_counter()
        ranked[qid] = search(query, 100)
        seconds.append(time.perf_counter() - t0)
    if save is not None and os.environ.get("VERBATIM_PEER_SAVE"):
        save(os.environ["VERBATIM_PEER_SAVE"])
    json.dump({"documents": len(corpus), "build_seconds": build_seconds, "query_seconds": seconds, "ranked": ranked}, sys.stdout)
