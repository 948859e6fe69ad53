"""Whether the hits hold a good answer: a confidence against the calibrated threshold.

Each model's profile says how its confidence is judged:
- "cosine-and-words": the mean of two plain signals, the best sentence's cosine among the hits
  (meaning) and the share of the question's content words found in the first hit, its passage or
  its report's title (the names, places and numbers a question is about);
- "lift", for a multilingual model, where neither works (a Russian question shares no words with an
  English answer, and E5's cosines bunch high whatever the question): the best sentence's cosine
  minus the question's median cosine with the collection's passages (a sample of up to
  LIFT_SAMPLE), times LIFT_SCALE.
The threshold is the model's, or its threshold for the question's language where it was
calibrated per language.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from corpus.languages.analysis import tokenize
from index.models.profiles import LIFT_SAMPLE, LIFT_SCALE, ModelProfile
from index.search.hits import Hit
from index.search.query import STEMMING, PreparedQuery
from index.store import LoadedIndex

VERDICT_DEPTH = 10  # hits a verdict reads, whatever `k` the user asked for: the calibrated depth


@dataclass(frozen=True)
class Verdict:
    confidence: float
    threshold: float

    @property
    def answered(self) -> bool:
        return self.confidence >= self.threshold


class Judge:
    """The verdict for one index: its model's confidence method, and the collection's typical
    passage for the lift (read on first use)."""

    def __init__(self, index: LoadedIndex, profile: ModelProfile) -> None:
        self._index = index
        self._profile = profile
        self._sample: np.ndarray | None = None
        self._sampling = threading.Lock()

    def __call__(self, query: PreparedQuery, hits: list[Hit], threshold: float) -> Verdict | None:
        scores = [hit.sentence[2] for hit in hits[:VERDICT_DEPTH] if hit.sentence is not None]
        if not scores:
            return None
        if self._profile.confidence == "lift":
            typical = float(np.median(self._lift_sample() @ query.vector))
            return Verdict(round(min(1.0, max(0.0, LIFT_SCALE * (max(scores) - typical))), 4), threshold)
        with STEMMING:
            words = set(tokenize(query.text))
            # The hit as a reader sees it: its passage under its report's title, so that the country a
            # question names counts when the report is about it (a passage rarely names its own).
            seen = set(tokenize(hits[0].passage.text)) | set(tokenize(hits[0].document.title))
            found = len(words & seen) / len(words) if words else 0.0
        return Verdict(round(0.5 * max(scores) + 0.5 * found, 4), threshold)

    def _lift_sample(self) -> np.ndarray:
        """Passage vectors spread evenly over the collection: what a typical passage is like."""
        if self._sample is None:
            with self._sampling:
                if self._sample is None:
                    size = self._index.dense.size
                    positions = np.unique(np.linspace(0, size - 1, min(size, LIFT_SAMPLE)).astype(np.int64))
                    self._sample = np.ascontiguousarray(self._index.dense.rows(positions), dtype=np.float32)
        return self._sample
