"""Calibrating "not found": the answer-confidence threshold that best separates questions the
collection answers from questions it does not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from eval.questions import Question
from index.errors import QueryError
from index.search import Searcher


@dataclass(frozen=True)
class Calibration:
    answerable: dict[str, float]  # question id → answer confidence
    unanswerable: dict[str, float]
    threshold: float  # the one with the lowest false-answer rate + wrongly-refused rate

    def false_answers(self, threshold: float) -> int:
        return sum(score >= threshold for score in self.unanswerable.values())

    def wrongly_refused(self, threshold: float) -> int:
        return sum(score < threshold for score in self.answerable.values())

    def summary(self, threshold: float) -> dict[str, float | int]:
        return {
            "threshold": threshold,
            "false_answers": self.false_answers(threshold),
            "unanswerable": len(self.unanswerable),
            "false_answer_rate": round(self.false_answers(threshold) / max(1, len(self.unanswerable)), 4),
            "wrongly_refused": self.wrongly_refused(threshold),
            "answerable": len(self.answerable),
            "wrongly_refused_rate": round(self.wrongly_refused(threshold) / max(1, len(self.answerable)), 4),
        }

    def describe(self) -> dict[str, float]:
        return {
            "answerable_min": min(self.answerable.values()),
            "answerable_median": median(self.answerable.values()),
            "unanswerable_median": median(self.unanswerable.values()),
            "unanswerable_max": max(self.unanswerable.values()),
        }


def confidences(searcher: Searcher, questions: Sequence[Question], mode: str) -> dict[str, float]:
    searcher.prepare_queries([q.text for q in questions])
    scores = {}
    for question in questions:
        _, verdict = searcher.answer(question.text, mode=mode, k=10)
        if verdict is None:
            raise QueryError(f"mode {mode} gives no answer confidence; calibrate a mode that uses the model")
        scores[question.qid] = verdict.confidence
    return scores


def choose_threshold(answerable: dict[str, float], unanswerable: dict[str, float]) -> float:
    """Lowest false-answer rate + wrongly-refused rate; halfway between two neighbouring scores."""
    scores = sorted(set(answerable.values()) | set(unanswerable.values()))
    candidates = [(low + high) / 2 for low, high in zip(scores, scores[1:], strict=False)] or scores

    def cost(threshold: float) -> float:
        false_answers = sum(s >= threshold for s in unanswerable.values()) / max(1, len(unanswerable))
        refused = sum(s < threshold for s in answerable.values()) / max(1, len(answerable))
        return false_answers + refused

    return round(min(candidates, key=cost), 4)


def calibrate(
    searcher: Searcher, answerable: Sequence[Question], unanswerable: Sequence[Question], mode: str = "hybrid"
) -> Calibration:
    answered = confidences(searcher, answerable, mode)
    unanswered = confidences(searcher, unanswerable, mode)
    return Calibration(answered, unanswered, choose_threshold(answered, unanswered))
