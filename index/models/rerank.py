"""An optional second stage: a cross-encoder from a local folder reorders the top hits.

None ships offline here, so it is off unless the user points at one (`--reranker DIR` or
VERBATIM_RERANKER). It reads the question and each passage together, which is slower than
comparing vectors and, with a trained model, usually more accurate.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from index.errors import ModelError
from index.search.hits import Hit


class Reranker:
    def __init__(self, folder: Path) -> None:
        if not Path(folder).is_dir():
            raise ModelError(f"no reranker model at {folder}; give a local sentence-transformers cross-encoder folder")
        from sentence_transformers import CrossEncoder

        try:
            self._model = CrossEncoder(str(folder), device="cpu")
        except (OSError, ValueError) as error:
            raise ModelError(f"cannot load the reranker from {folder}: {error}") from error
        self.folder = Path(folder)

    def rerank(self, question: str, hits: list[Hit], depth: int) -> list[Hit]:
        """The first `depth` hits in the cross-encoder's order, then the rest as they were."""
        head, tail = hits[:depth], hits[depth:]
        if not head:
            return hits
        pairs = [(question, " ".join(hit.passage.text.split())) for hit in head]
        scores = np.asarray(self._model.predict(pairs, show_progress_bar=False), dtype=np.float64).reshape(len(head), -1)[:, -1]
        order = np.argsort(-scores, kind="stable")
        reordered = [replace(head[i], score=float(scores[i]), rerank_score=float(scores[i])) for i in order]
        return [replace(hit, rank=rank) for rank, hit in enumerate(reordered + tail, start=1)]
