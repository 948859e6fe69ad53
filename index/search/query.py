"""A question prepared once for every stage of a search: its text, its language and its vector.

The vector is the model's embedding of the question; a question in a language the index's model
reads poorly (Kazakh, for multilingual-e5-small) is also embedded code-switched, its dictionary
words in English (corpus/languages/glossary.py), and that vector added at the profile's
`code_switch_weight`: the words the model knows well pull the question towards the passages that
answer it (README, "Across languages"). Vectors are cached, bounded in bytes (querycache.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from corpus.languages import detect_language
from corpus.languages.glossary import load_glossary
from index.models.profiles import ModelProfile
from index.search.querycache import QUERY_CACHE_BYTES, VectorCache

# PyStemmer's stemmers keep state while they stem and must not be called from two threads at once
# (its own docs); index/store/lexical.py shares one per language. Held around every call that stems.
STEMMING = threading.Lock()
_LANGUAGE_CACHED_UP_TO = 2_000  # characters: the cache holds 1,024 questions, so at most a few MB


@dataclass(frozen=True)
class PreparedQuery:
    text: str  # the question, stripped
    language: str  # "en", "ru" or "kk"
    vector: np.ndarray  # L2-normalised, as the index's model (and code-switching) made it


class QuestionEncoder:
    """Question vectors for one index's model, computed once per question and cached."""

    def __init__(self, embedder: Callable[[], object], profile: ModelProfile, *, glossary: bool,
                 cache_bytes: int = QUERY_CACHE_BYTES) -> None:
        self._embedder = embedder  # called on first use: the model loads only when a vector is needed
        self._profile = profile
        self._glossary = glossary
        self.cache = VectorCache(cache_bytes)

    def prepare(self, question: str) -> PreparedQuery:
        text = question.strip()
        return PreparedQuery(text, question_language(text), self.vector(text))

    def vector(self, question: str) -> np.ndarray:
        vector = self.cache.get(question)
        if vector is None:
            vector = self._embed([question])[0]
            self.cache.put(question, vector)
        return vector

    def embed_many(self, questions: Sequence[str]) -> None:
        """Embed the questions not yet cached, in one batch (an evaluation runs hundreds)."""
        todo = list(dict.fromkeys(q.strip() for q in questions if q.strip() and q.strip() not in self.cache))
        if todo:
            for question, vector in zip(todo, self._embed(todo), strict=True):
                self.cache.put(question, vector)

    def _embed(self, questions: list[str]) -> np.ndarray:
        embedder = self._embedder()
        vectors = embedder.encode_queries(questions)  # type: ignore[attr-defined]
        switched = self._code_switched(questions) if self._glossary else {}
        if switched:
            extra = embedder.encode_queries(list(switched.values()))  # type: ignore[attr-defined]
            for row, vector in zip(switched, extra, strict=True):
                blended = vectors[row] + self._profile.code_switch_weight * vector
                vectors[row] = blended / np.linalg.norm(blended)
        return vectors

    def _code_switched(self, questions: list[str]) -> dict[int, str]:
        """Row → the question with its glossary words in English, for questions in a language the
        model reads poorly and that hold such words."""
        switched = {}
        for row, question in enumerate(questions):
            language = question_language(question)
            if language not in self._profile.languages:
                with STEMMING:
                    text = load_glossary().code_switch(question, language)
                if text != question:
                    switched[row] = text
        return switched


def question_language(question: str) -> str:
    """"en", "ru" or "kk": asked once per question, though search, embedding and verdict all need it."""
    if len(question) > _LANGUAGE_CACHED_UP_TO:
        return detect_language(question) or "en"
    return _cached_language(question)


@lru_cache(maxsize=1024)
def _cached_language(question: str) -> str:
    return detect_language(question) or "en"
