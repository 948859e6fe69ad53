"""The sentence stage: each passage's best-matching sentence, by cosine with the question, used to
rescore dense candidates (hybrid, dense-sentences) and shown with every hit as its answer."""

from __future__ import annotations

import numpy as np

from index.store import LoadedIndex

Ranked = list[tuple[int, float]]
BestSentences = dict[int, tuple[int, float]]  # passage position → (sentence row, cosine)


def rescore_by_sentences(index: LoadedIndex, vector: np.ndarray, dense: Ranked, depth: int,
                         weight: float) -> tuple[Ranked, BestSentences]:
    """The dense candidates scored by (1 - weight) × passage cosine + weight × best-sentence cosine
    (a passage without sentences keeps its own cosine), best first, and their best sentences."""
    candidates = np.array([p for p, _ in dense], dtype=np.int64)
    if len(candidates) == 0:
        return [], {}
    passage_scores = index.dense.scores(vector, candidates)
    sentence_scores, rows = index.sentences.best(vector, candidates)
    combined = np.where(rows >= 0, (1 - weight) * passage_scores + weight * sentence_scores, passage_scores)
    order = np.argsort(-combined, kind="stable")[:depth]
    ranked = [(int(candidates[i]), float(combined[i])) for i in order]
    best = {int(candidates[i]): (int(rows[i]), float(sentence_scores[i])) for i in order}
    return ranked, best


def best_sentences(index: LoadedIndex, vector: np.ndarray, positions: list[int]) -> BestSentences:
    """Each passage's best sentence (row -1 when it has none)."""
    wanted = np.array(positions, dtype=np.int64)
    scores, rows = index.sentences.best(vector, wanted)
    return {int(p): (int(r), float(s)) for p, r, s in zip(wanted, rows, scores, strict=True)}


def sentence_span(index: LoadedIndex, best: tuple[int, float] | None) -> tuple[int, int, float] | None:
    """The (start, end, cosine) of a passage's best sentence in its document, or None."""
    if best is None or best[0] < 0:
        return None
    _, start, end, _ = index.sentences.spans[best[0]]
    return int(start), int(end), float(best[1])


def phrase_sentence(index: LoadedIndex, vector: np.ndarray, position: int, spans: tuple[tuple[int, int], ...],
                    fallback: float) -> tuple[int, int, float] | None:
    """The (start, end, cosine) of the sentence that holds one of the `spans` (a quoted phrase's
    place), the closest to the question where several do: a phrase over two sentences gets both, a
    passage without sentences the phrase itself (its cosine `fallback`). None without spans."""
    rows, cosines = index.sentences.of_passage(vector, position)
    sentences = [(int(index.sentences.spans[row][1]), int(index.sentences.spans[row][2]), float(cosine))
                 for row, cosine in zip(rows.tolist(), cosines.tolist(), strict=True)]
    best: tuple[int, int, float] | None = None
    for start, end in spans:
        over = [s for s in sentences if s[0] < end and start < s[1]]
        found = (min(s[0] for s in over), max(s[1] for s in over), max(s[2] for s in over)) if over else \
            (start, end, fallback)
        if best is None or found[2] > best[2]:
            best = found
    return best
