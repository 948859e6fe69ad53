"""BM25 over the same passages, with bm25s.

Two analyzers: "english" (stopwords out, Snowball stems; the default, and better measured) and
"plain" (lower-cased words only, k1=1.2, b=0.75: Elasticsearch's defaults, as in the BEIR paper's
BM25 baseline, which it reproduces).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

_TOKEN = re.compile(r"\w+")
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f](?=\d{3}\b)")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def tokenize(text: str) -> list[str]:
    """Lower-cased word stems without stopwords; '1,000' is one token, as is '9'."""
    words = _TOKEN.findall(_THOUSANDS.sub("", text.lower()))
    stopwords = _stopwords()
    kept = [w for w in words if w not in stopwords and (len(w) > 1 or w.isdigit())]
    return _stemmer().stemWords(kept)


def tokenize_plain(text: str) -> list[str]:
    """Lower-cased words, nothing removed or stemmed."""
    return _TOKEN.findall(text.lower())


ANALYZERS = {"english": (tokenize, {}), "plain": (tokenize_plain, {"k1": 1.2, "b": 0.75})}


class LexicalIndex:
    def __init__(self, retriever, analyzer: str = "english") -> None:  # a bm25s.BM25
        self._retriever = retriever
        self._tokenize = ANALYZERS[analyzer][0]

    @classmethod
    def build(cls, texts: list[str], analyzer: str = "english") -> LexicalIndex:
        import bm25s

        tokenize_text, parameters = ANALYZERS[analyzer]
        retriever = bm25s.BM25(**parameters)
        # An empty passage would leave bm25s with a document of no tokens: give it a placeholder.
        retriever.index([tokenize_text(t) or ["\u2205"] for t in texts], show_progress=False)
        return cls(retriever, analyzer)

    def search(
        self, query: str, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best `k` passages as (position, BM25 score); passages sharing no term are left out."""
        tokens = self._tokenize(query)
        if not tokens:
            return []
        scores = self._retriever.get_scores(tokens)
        if allowed is not None:
            mask = np.zeros(len(scores), dtype=bool)
            mask[allowed] = True
            scores = np.where(mask, scores, 0.0)
        k = min(k, int(np.count_nonzero(scores > 0)))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top]

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        return cls(bm25s.BM25.load(str(folder), show_progress=False, allow_pickle=False))
