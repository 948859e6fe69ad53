"""Metrics: our offset judgements become qrels and runs; ir-measures (pytrec_eval) computes the numbers.

For a question set the unit of relevance is the answer, not the passage: a question with two
answer quotes has two relevant items, each found by the first retrieved passage that overlaps
any place its quote occurs. Later passages over an answer already found count as not relevant,
so every question weighs the same however many passages its quotes span.
"""

from __future__ import annotations

from collections.abc import Set

import ir_measures
from ir_measures import RR, Measure, R, nDCG

from eval.questions import Question, is_relevant

METRICS: dict[str, Measure] = {
    "nDCG@10": nDCG @ 10,
    "MRR@10": RR @ 10,
    "R@1": R @ 1,
    "R@5": R @ 5,
    "R@10": R @ 10,
    "R@100": R @ 100,
}
RECALL_CURVE = (1, 2, 3, 5, 10, 20, 30, 50, 100)

Span = tuple[str, int, int]  # doc_id, start, end of a retrieved passage
Qrels = dict[str, dict[str, int]]
Run = dict[str, dict[str, float]]


def answer_found(question: Question, span: Span, skip: Set[int] = frozenset()) -> int | None:
    """The index of the first answer (not in `skip`) that this retrieved span finds."""
    doc_id, start, end = span
    for number, answer in enumerate(question.answers):
        if number not in skip and any(is_relevant(doc_id, start, end, where) for where in answer.spans):
            return number
    return None


def judge(question: Question, retrieved: list[Span]) -> tuple[dict[str, int], dict[str, float]]:
    """The qrels and the run of one question, keyed by answer for the passages that find one."""
    qrels = {f"answer-{n}": 1 for n in range(len(question.answers))}
    run: dict[str, float] = {}
    found: set[int] = set()
    for rank, span in enumerate(retrieved, start=1):
        answer = answer_found(question, span, found)
        if answer is None:
            key = f"other-{rank}"
        else:
            found.add(answer)
            key = f"answer-{answer}"
        # Strictly falling scores: trec_eval breaks ties by document id, which would reorder them.
        run[key] = float(len(retrieved) - rank + 1)
    return qrels, run


def first_relevant_rank(question: Question, retrieved: list[Span]) -> int | None:
    return next((rank for rank, span in enumerate(retrieved, 1) if answer_found(question, span) is not None), None)


def ranked_run(ranked: dict[str, list[str]]) -> Run:
    """A run from ranked id lists, with strictly falling scores so that ties cannot reorder it."""
    return {qid: {doc: float(len(ids) - rank) for rank, doc in enumerate(ids)} for qid, ids in ranked.items()}


def compute(qrels: Qrels, run: Run, metrics: dict[str, Measure] = METRICS) -> dict[str, float]:
    """Mean of each metric over every judged query; a query with nothing retrieved scores zero."""
    complete = {qid: run.get(qid) or {"\u2205": 0.0} for qid in qrels}
    values = ir_measures.calc_aggregate(list(metrics.values()), qrels, complete)
    return {name: float(values[measure]) for name, measure in metrics.items()}


def per_question(qrels: Qrels, run: Run, metrics: dict[str, Measure] = METRICS) -> dict[str, dict[str, float]]:
    """Each judged query's value of each metric (what `compute` averages): for paired comparisons."""
    complete = {qid: run.get(qid) or {"\u2205": 0.0} for qid in qrels}
    names = {measure: name for name, measure in metrics.items()}
    values: dict[str, dict[str, float]] = {qid: dict.fromkeys(metrics, 0.0) for qid in qrels}
    for metric in ir_measures.iter_calc(list(metrics.values()), qrels, complete):
        values[metric.query_id][names[metric.measure]] = float(metric.value)
    return values


def recall_curve(qrels: Qrels, run: Run) -> dict[int, float]:
    values = compute(qrels, run, {str(k): R @ k for k in RECALL_CURVE})
    return {int(k): v for k, v in values.items()}
