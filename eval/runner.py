"""Run a question set or a BEIR benchmark through each retrieval mode and score the runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from eval.beir import Benchmark
from eval.intervals import Difference, paired_difference
from eval.metrics import compute, first_relevant_rank, judge, per_question, ranked_run, recall_curve
from eval.questions import Question
from index.config import MODES
from index.errors import QueryError
from index.search import Searcher
from index.search.hits import Hit

DEPTH = 100  # hits retrieved per question: enough for Recall@100
COMPARED = ("MRR@10", "nDCG@10")  # the metrics whose differences between modes get an interval


@dataclass(frozen=True)
class ModeRun:
    mode: str
    metrics: dict[str, float]
    recall: dict[int, float]  # Recall@k for the curve in the report
    ranks: dict[str, int | None]  # question id → rank of the first relevant hit, None if not retrieved
    hits: dict[str, list[Hit]]
    scores: dict[str, dict[str, float]]  # question id → its value of each metric


@dataclass(frozen=True)
class Evaluation:
    name: str
    questions: dict[str, str]  # id → question text
    answers: dict[str, list[str]]  # id → the answer quotes (or relevant document ids)
    runs: dict[str, ModeRun]

    def best_mode(self) -> str:
        return max(self.runs, key=lambda mode: (self.runs[mode].metrics["nDCG@10"], self.runs[mode].metrics["MRR@10"]))

    @cached_property
    def differences(self) -> dict[str, dict[str, Difference]]:
        """Each other mode against the first, per compared metric, over the same questions
        (eval/intervals.py); computed once."""
        modes = list(self.runs)
        if len(modes) < 2 or not self.questions:
            return {}
        baseline = self.runs[modes[0]]
        for mode in modes[1:]:
            if set(self.runs[mode].scores) != set(baseline.scores):
                raise ValueError(f"modes {modes[0]} and {mode} were not scored on the same questions")
        questions = list(baseline.scores)
        return {
            mode: {metric: paired_difference([baseline.scores[q][metric] for q in questions],
                                             [self.runs[mode].scores[q][metric] for q in questions])
                   for metric in COMPARED}
            for mode in modes[1:]
        }


Progress = Callable[[str, int], None]  # (mode, questions done since the last call)


def evaluate_questions(
    searcher: Searcher, questions: Sequence[Question], modes: Sequence[str], *, name: str, progress: Progress | None = None
) -> Evaluation:
    runs = {}
    for mode in modes:
        hits = _retrieve(searcher, {q.qid: q.text for q in questions}, mode, progress)
        qrels, run, ranks = {}, {}, {}
        for question in questions:
            spans = [(h.passage.doc_id, h.passage.start, h.passage.end) for h in hits[question.qid]]
            qrels[question.qid], run[question.qid] = judge(question, spans)
            ranks[question.qid] = first_relevant_rank(question, spans)
        runs[mode] = ModeRun(mode, compute(qrels, run), recall_curve(qrels, run), ranks, hits, per_question(qrels, run))
    return Evaluation(
        name, {q.qid: q.text for q in questions}, {q.qid: [a.quote for a in q.answers] for q in questions}, runs
    )


def evaluate_benchmark(
    searcher: Searcher, benchmark: Benchmark, modes: Sequence[str], *, progress: Progress | None = None
) -> Evaluation:
    runs = {}
    for mode in modes:
        hits = _retrieve(searcher, benchmark.queries, mode, progress)
        ranked = {qid: _unique_documents(found) for qid, found in hits.items()}
        run = ranked_run(ranked)
        ranks = {
            qid: next((r for r, doc in enumerate(ranked[qid], 1) if doc in benchmark.qrels[qid]), None)
            for qid in benchmark.queries
        }
        runs[mode] = ModeRun(mode, compute(benchmark.qrels, run), recall_curve(benchmark.qrels, run), ranks, hits,
                             per_question(benchmark.qrels, run))
    return Evaluation(
        benchmark.name, benchmark.queries, {qid: sorted(docs) for qid, docs in benchmark.qrels.items()}, runs
    )


def parse_mode(name: str) -> tuple[str, bool]:
    """"hybrid" → ("hybrid", False); "hybrid+rerank" → ("hybrid", True)."""
    mode, _, stage = name.partition("+")
    if mode not in MODES or stage not in ("", "rerank"):
        raise QueryError(f"unknown mode {name!r}; use one of {', '.join(MODES)}, each optionally with +rerank",
                         field="mode")
    return mode, stage == "rerank"


def _retrieve(searcher: Searcher, queries: dict[str, str], name: str, progress: Progress | None) -> dict[str, list[Hit]]:
    mode, rerank = parse_mode(name)
    # Every mode reads the question's vector (best sentences, verdict): one batched encoding, not one per query.
    searcher.questions.embed_many(list(queries.values()))
    hits = {}
    for qid, text in queries.items():
        hits[qid] = searcher.search(text, mode=mode, k=DEPTH, rerank=rerank)
        if progress:
            progress(name, 1)
    return hits


def _unique_documents(hits: list[Hit]) -> list[str]:
    """Documents in the order of their best passage (BEIR judges documents, not passages)."""
    return list(dict.fromkeys(hit.passage.doc_id for hit in hits))
