"""One shard, served: what a Ray actor holds and answers (coordinator.py makes it an actor).

Every answer speaks in the unsharded index's positions (a shard's local row r is position
`first + r`) and gives the shard's numbers unchanged: FAISS's cosines, bm25s's precomputed scores,
the stored float16 sentence rows. Putting them together is the coordinator's business.
"""

from __future__ import annotations

import json
import os
import resource
import socket
from pathlib import Path

import numpy as np

from index.cluster.shards import SHARD
from index.store.dense import DenseIndex
from index.store.lexical import LexicalIndex
from index.store.sentences import VECTORS, RowFile


class ShardServer:
    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        spec = json.loads((self.folder / SHARD).read_text(encoding="utf-8"))
        self.name = spec["name"]
        self.first, self.last = spec["positions"]
        self.first_sentence, self.last_sentence = spec["sentences"]
        self.ivf = spec["dense"] == "ivf"
        self.dense = DenseIndex.load(self.folder / "dense.faiss")
        self.lexical = {"bm25": LexicalIndex.load(self.folder / "bm25"),
                        "bm25-plain": LexicalIndex.load(self.folder / "bm25-plain")}
        # Read from disk row range by row range, as one machine does (index/store/sentences.py): at a
        # million passages they are gigabytes, and a query reads only its candidates' rows.
        self.sentences = RowFile(self.folder / VECTORS)
        if self.ivf:
            import faiss

            ivf = faiss.extract_index_ivf(self.dense._index)
            ivf.set_direct_map_type(faiss.DirectMap.Hashtable)  # global ids: rows are found by id
            if spec.get("nprobe"):  # the unsharded index's (shards.py); a split of layout 1 has none
                self.dense.set_nprobe(int(spec["nprobe"]))

    # --- dense ---------------------------------------------------------------------------------
    def dense_search(self, query: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """This shard's best `k` (global positions, cosines), among `allowed` (global positions in this shard) if given."""
        if self.ivf:
            found = self.dense.search(query, k, allowed)
            positions = [p for p, _ in found]
        else:
            local = None if allowed is None else np.asarray(allowed, dtype=np.int64) - self.first
            found = self.dense.search(query, k, local)
            positions = [p + self.first for p, _ in found]
        return np.array(positions, dtype=np.int64), np.array([s for _, s in found], dtype=np.float32)

    def dense_rows(self, positions: np.ndarray) -> np.ndarray:
        """The stored float32 vectors at these global positions."""
        positions = np.asarray(positions, dtype=np.int64)
        if self.ivf:
            return self.dense._index.reconstruct_batch(positions) if len(positions) else \
                np.zeros((0, self.dense.dimension), dtype=np.float32)
        return self.dense.rows(positions - self.first)

    # --- BM25 ----------------------------------------------------------------------------------
    def bm25_scores(self, kind: str, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Every passage of this shard that these (known) tokens score above 0: (global positions, scores)."""
        scores = self.lexical[kind]._retriever.get_scores(tokens)
        held = np.flatnonzero(scores)
        return held + self.first, scores[held]

    def bm25_dtype(self, kind: str) -> str:
        return str(np.dtype(self.lexical[kind]._retriever.dtype))

    def passages_with_all(self, kind: str, tokens: list[str]) -> np.ndarray:
        return self.lexical[kind].passages_with_all(tokens) + self.first

    def holds_any_form_in(self, kind: str, forms: list[str], positions: np.ndarray) -> bool:
        local = np.asarray(positions, dtype=np.int64) - self.first
        retriever = self.lexical[kind]._retriever
        return any(bool(np.any(retriever.get_scores([form])[local] > 0)) for form in forms)

    # --- sentences -----------------------------------------------------------------------------
    def sentence_ranges(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Global sentence rows starts[i]:ends[i], concatenated, as stored (float16)."""
        starts = np.asarray(starts, dtype=np.int64) - self.first_sentence
        ends = np.asarray(ends, dtype=np.int64) - self.first_sentence
        if len(starts) == 0:
            return np.zeros((0, self.sentences.shape[1]), dtype=np.float16)
        return self.sentences.ranges(starts, ends).astype(np.float16)  # float16 → float32 → float16: exact

    # --- facts ---------------------------------------------------------------------------------
    def facts(self) -> dict:
        """Where it runs and what it holds (the benchmark's memory per shard)."""
        node = ""
        try:
            import ray

            node = ray.get_runtime_context().get_node_id()
        except Exception:  # outside Ray (a test of the class itself)
            pass
        return {"name": self.name, "node": node, "host": socket.gethostname(), "pid": os.getpid(),
                "passages": self.last - self.first, "sentences": self.last_sentence - self.first_sentence,
                "max_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                "rss_bytes": _rss_bytes()}

    def ping(self) -> str:
        return self.name


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0
