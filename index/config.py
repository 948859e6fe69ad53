"""The one configuration object: CLI options and environment variables map onto its fields."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from corpus.chunking import ChunkingOptions
from corpus.paths import BUNDLED_CORPUS, REPO_ROOT

Mode = Literal["hybrid", "dense", "bm25", "bm25-plain"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "bm25", "bm25-plain")
DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_MODE: Mode = "hybrid"  # the best measured on both SciFact and the Kazakhstan set (see README)


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = BUNDLED_CORPUS
    index_dir: Path = REPO_ROOT / "build" / "index"
    model: str = DEFAULT_MODEL  # a bundled model name or a local sentence-transformers folder
    mode: Mode = DEFAULT_MODE
    k: int = 10
    chunking: ChunkingOptions = field(default_factory=ChunkingOptions)
    rrf_k: int = 60  # reciprocal rank fusion constant, as in Cormack et al. (2009)
    candidates: int = 100  # how deep each retriever's list goes before fusion
    batch_size: int = 32

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
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]
