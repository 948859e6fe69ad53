"""Calibrating "not found": the answer-confidence threshold that best separates questions the
collection answers from questions it does not, for all questions at once or for each question
language (a multilingual model's confidences differ by language)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from statistics import median

from corpus.languages import detect_language
from eval.intervals import rate_interval
from eval.questions import Question, is_relevant
from index.errors import QueryError
from index.search import Searcher
from index.search.verdict import supporting_quote

Thresholds = float | Mapping[str, float]  # one for all questions, or one per question language
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Calibration:
    answerable: dict[str, float]  # question id → answer confidence
    unanswerable: dict[str, float]
    threshold: float  # the one with the lowest false-answer rate + wrongly-refused rate
    languages: dict[str, str] = field(default_factory=dict)  # question id → the question's language
    quotes: dict[str, QuoteCheck] = field(default_factory=dict)  # answered answerable question id → its quote
    # unanswerable question id → its "kind:" tag ("" for none), where the set tags kinds at all
    kinds: dict[str, str] = field(default_factory=dict)

    def quote_summary(self) -> dict[str, object]:
        """How many answered answerable questions' best supporting quote holds an expected answer
        (answered: as the configured threshold judged them, the answers a user is shown)."""
        holds = sum(check.holds for check in self.quotes.values())
        return {
            "holds": holds,
            "contains": sum(check.contains for check in self.quotes.values()),
            "answered": len(self.quotes),
            "holds_rate": round(holds / max(1, len(self.quotes)), 4),
            "holds_interval": _rounded(rate_interval(holds, len(self.quotes))),
        }

    def false_answers(self, threshold: Thresholds) -> int:
        return sum(score >= self._at(threshold, qid) for qid, score in self.unanswerable.items())

    def wrongly_refused(self, threshold: Thresholds) -> int:
        return sum(score < self._at(threshold, qid) for qid, score in self.answerable.items())

    def summary(self, threshold: Thresholds) -> dict[str, object]:
        """The two error counts at `threshold`, their rates and the rates' 95 % intervals (Wilson)."""
        false, refused = self.false_answers(threshold), self.wrongly_refused(threshold)
        return {
            "threshold": threshold if isinstance(threshold, float) else dict(threshold),
            "false_answers": false,
            "unanswerable": len(self.unanswerable),
            "false_answer_rate": round(false / max(1, len(self.unanswerable)), 4),
            "false_answer_interval": _rounded(rate_interval(false, len(self.unanswerable))),
            "wrongly_refused": refused,
            "answerable": len(self.answerable),
            "wrongly_refused_rate": round(refused / max(1, len(self.answerable)), 4),
            "wrongly_refused_interval": _rounded(rate_interval(refused, len(self.answerable))),
        }

    def false_answers_by_kind(self, threshold: Thresholds) -> dict[str, dict[str, int]]:
        """False answers per kind of unanswerable question ("kind:neighbour", "kind:yes-no" …): which
        near misses the verdict takes for answers."""
        counts: dict[str, dict[str, int]] = {}
        for qid, kind in sorted(self.kinds.items(), key=lambda item: item[1] or "~"):
            row = counts.setdefault(kind or "no kind", {"false_answers": 0, "unanswerable": 0})
            row["unanswerable"] += 1
            row["false_answers"] += self.unanswerable[qid] >= self._at(threshold, qid)
        return counts

    def describe(self) -> dict[str, float]:
        return {
            "answerable_min": min(self.answerable.values()),
            "answerable_median": median(self.answerable.values()),
            "unanswerable_median": median(self.unanswerable.values()),
            "unanswerable_max": max(self.unanswerable.values()),
        }

    def by_language(self) -> dict[str, float]:
        """The best threshold for each question language that has both kinds of question."""
        parts = {language: self._subset(partial(_in_language, self.languages, language))
                 for language in sorted(set(self.languages.values()))}
        return {language: part.threshold for language, part in parts.items() if part.answerable and part.unanswerable}

    def cross_fitted(self, per_language: bool) -> dict[str, object]:
        """Thresholds fitted on the odd-numbered questions and scored on the even-numbered ones, and
        the other way round: how the choice would do on questions it was not fitted to."""
        false_answers = wrongly_refused = 0
        for parity in (0, 1):
            fitted = self._subset(partial(_of_parity, parity, True))
            held_out = self._subset(partial(_of_parity, parity, False))
            threshold: Thresholds = fitted.by_language() if per_language else fitted.threshold
            false_answers += held_out.false_answers(threshold)
            wrongly_refused += held_out.wrongly_refused(threshold)
        return {
            "false_answer_rate": round(false_answers / max(1, len(self.unanswerable)), 4),
            "wrongly_refused_rate": round(wrongly_refused / max(1, len(self.answerable)), 4),
        }

    def _subset(self, keep: Callable[[str], bool]) -> Calibration:
        """The questions `keep` picks, with their own best threshold (this one's when a kind is missing)."""
        answerable = {q: s for q, s in self.answerable.items() if keep(q)}
        unanswerable = {q: s for q, s in self.unanswerable.items() if keep(q)}
        threshold = choose_threshold(answerable, unanswerable) if answerable and unanswerable else self.threshold
        return Calibration(answerable, unanswerable, threshold, self.languages)

    def _at(self, threshold: Thresholds, qid: str) -> float:
        if isinstance(threshold, float | int):
            return float(threshold)
        return threshold.get(self.languages.get(qid, ""), self.threshold)


@dataclass(frozen=True)
class QuoteCheck:
    """An answered question's best supporting quote (the verdict's span of a report's text) read
    against the question's expected answer quotes. It holds an answer when the two are in the same
    report and overlap by at least half of the shorter of the two (eval.questions.is_relevant): a quote
    that contains an expected answer holds it, and so does a sentence lying within a longer one."""

    doc_id: str
    start: int
    end: int
    holds: bool
    contains: bool  # holds an expected answer whole

    @classmethod
    def of(cls, doc_id: str, start: int, end: int, question: Question) -> QuoteCheck:
        spans = [span for answer in question.answers for span in answer.spans]
        return cls(doc_id, start, end, any(is_relevant(doc_id, start, end, span) for span in spans),
                   any(span.doc_id == doc_id and start <= span.start and span.end <= end for span in spans))


def _rounded(interval: tuple[float, float]) -> list[float]:
    return [round(interval[0], 4), round(interval[1], 4)]


def question_number(qid: str) -> int:
    """The number in a question's id ("kz88-ru" → 88), 0 without one."""
    found = _NUMBER.search(qid)
    return int(found.group()) if found else 0


def confidences(searcher: Searcher, questions: Sequence[Question], mode: str,
                quotes: dict[str, QuoteCheck] | None = None) -> dict[str, float]:
    """Each question's answer confidence; with `quotes`, also each answered question's quote, checked."""
    searcher.questions.embed_many([q.text for q in questions])
    scores = {}
    for question in questions:
        hits, verdict = searcher.answer(question.text, mode=mode, k=10)
        if verdict is None:
            raise QueryError(f"mode {mode} gives no answer confidence; calibrate a mode that uses the model", field="mode")
        scores[question.qid] = verdict.judged_confidence  # 0 where the anchors refuse the answer
        quoted = supporting_quote(verdict, hits) if quotes is not None and verdict.answered else None
        if quotes is not None and quoted is not None and verdict.quote is not None:
            quotes[question.qid] = QuoteCheck.of(quoted[0].document.doc_id, verdict.quote.start, verdict.quote.end, question)
    return scores


def choose_threshold(answerable: dict[str, float], unanswerable: dict[str, float]) -> float:
    """Lowest false-answer rate + wrongly-refused rate; halfway between two neighbouring scores."""
    scores = sorted(set(answerable.values()) | set(unanswerable.values()))
    candidates = [(low + high) / 2 for low, high in zip(scores, scores[1:], strict=False)] or scores

    def cost(threshold: float) -> float:
        false_answers = sum(s >= threshold for s in unanswerable.values()) / max(1, len(unanswerable))
        refused = sum(s < threshold for s in answerable.values()) / max(1, len(answerable))
        return false_answers + refused

    return round(float(min(candidates, key=cost)), 4)


def calibrate(
    searcher: Searcher, answerable: Sequence[Question], unanswerable: Sequence[Question], mode: str = "hybrid"
) -> Calibration:
    quotes: dict[str, QuoteCheck] = {}
    answered = confidences(searcher, answerable, mode, quotes)
    unanswered = confidences(searcher, unanswerable, mode)
    languages = {q.qid: detect_language(q.text) or "en" for q in [*answerable, *unanswerable]}
    kinds = {q.qid: _kind(q) for q in unanswerable} if any(map(_kind, unanswerable)) else {}
    return Calibration(answered, unanswered, choose_threshold(answered, unanswered), languages, quotes, kinds)


def _kind(question: Question) -> str:
    """The question's "kind:" tag, without the prefix ("" when it has none)."""
    return next((tag.removeprefix("kind:") for tag in question.tags if tag.startswith("kind:")), "")


def _in_language(languages: dict[str, str], language: str, qid: str) -> bool:
    return languages.get(qid) == language


def _of_parity(parity: int, same: bool, qid: str) -> bool:
    return (question_number(qid) % 2 == parity) == same
