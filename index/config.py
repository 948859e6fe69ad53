"""The one configuration object: CLI options and environment variables map onto its fields."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from corpus.chunking import ChunkingOptions
from corpus.paths import BUNDLED_CORPUS, REPO_ROOT

Mode = Literal["hybrid", "hybrid-rrf", "dense-sentences", "dense", "bm25", "bm25-plain"]
# hybrid: dense-sentences and bm25, min-max fused; hybrid-rrf: dense and bm25, rank-fused;
# dense-sentences: passage vectors rescored with each passage's best sentence; dense: passage vectors;
# bm25: stemmed words; bm25-plain: exact words, as Elasticsearch (the BEIR baseline).
MODES: tuple[Mode, ...] = ("hybrid", "hybrid-rrf", "dense-sentences", "dense", "bm25", "bm25-plain")
BASE_MODEL = "all-MiniLM-L6-v2"  # the bundled sentence-transformers model, run by torch
INT8_MODEL = "all-MiniLM-L6-v2-int8"  # the same, as an int8 ONNX graph run by onnxruntime
DEFAULT_MODEL = INT8_MODEL  # SciFact hybrid nDCG@10 0.738 against 0.741 with torch, at half the build time (README)
DEFAULT_MODE: Mode = "hybrid"  # the best measured on both SciFact and the Kazakhstan set (see README)


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = BUNDLED_CORPUS
    index_dir: Path = REPO_ROOT / "build" / "index"
    model: str = DEFAULT_MODEL  # a model name (see index/embedder.py) or a local sentence-transformers folder
    mode: Mode = DEFAULT_MODE
    k: int = 10
    chunking: ChunkingOptions = field(default_factory=ChunkingOptions)
    rrf_k: int = 60  # reciprocal rank fusion constant, as in Cormack et al. (2009)
    dense_weight: float = 0.5  # hybrid: share of the dense side in the min-max fusion; BM25 has the rest
    sentence_weight: float = 0.5  # dense-sentences: share of the best sentence's cosine; the passage's has the rest
    candidates: int = 100  # how deep each retriever's list goes before fusion
    batch_size: int = 8  # int8 ONNX here: 198 sentences/s at 8, 152 at 32 (passages: 24 either way)
    # Below this answer confidence the collection is said to hold no good answer. Calibrated with
    # `verbatim calibrate` on the Kazakhstan questions and 24 it does not answer (see README).
    answer_threshold: float = 0.544
    reranker: Path | None = None  # a local cross-encoder folder; None: no second stage
    rerank_depth: int = 30  # how many of the top hits the reranker reorders

    @classmethod
    def from_env(cls, **overrides: object) -> Config:
        """Defaults, then VERBATIM_* environment variables, then explicit overrides (not None)."""
        values: dict[str, object] = {}
        if corpus := os.environ.get("VERBATIM_CORPUS"):
            values["corpus_dir"] = Path(corpus)
        if index := os.environ.get("VERBATIM_INDEX"):
            values["index_dir"] = Path(index)
        if model := os.environ.get("VERBATIM_MODEL"):
            values["model"] = model
        if reranker := os.environ.get("VERBATIM_RERANKER"):
            values["reranker"] = Path(reranker)
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]
