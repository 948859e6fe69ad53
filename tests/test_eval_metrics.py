"""Metrics glue: offsets → qrels and runs, scored by ir-measures; checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from eval.metrics import compute, first_relevant_rank, judge, ranked_run
from eval.questions import Answer, AnswerSpan, Question

# Two answers: A in document "a" at [10, 20), B in document "b" at [0, 10).
TWO_ANSWERS = Question(
    "q1", "?", (Answer("quote A", (AnswerSpan("a", 10, 20),)), Answer("quote B", (AnswerSpan("b", 0, 10),)))
)
RETRIEVED = [
    ("a", 100, 200),  # 1: nothing
    ("a", 5, 25),  # 2: finds A (overlap 10 ≥ half of 10)
    ("a", 12, 30),  # 3: A again: counts for nothing more
    ("b", 0, 10),  # 4: finds B
]


def test_each_answer_is_found_once_and_other_passages_count_as_misses():
    qrels, run = judge(TWO_ANSWERS, RETRIEVED)
    assert qrels == {"answer-0": 1, "answer-1": 1}
    assert list(run) == ["other-1", "answer-0", "other-3", "answer-1"]
    assert first_relevant_rank(TWO_ANSWERS, RETRIEVED) == 2


def test_metrics_match_a_hand_computation():
    qrels, run = judge(TWO_ANSWERS, RETRIEVED)
    metrics = compute({"q1": qrels}, {"q1": run})
    # DCG = 1/log2(3) + 1/log2(5); ideal DCG = 1 + 1/log2(3)
    assert metrics["nDCG@10"] == pytest.approx((0.630930 + 0.430677) / 1.630930, abs=1e-5)
    assert metrics["MRR@10"] == pytest.approx(0.5)
    assert metrics["R@1"] == 0.0
    assert metrics["R@5"] == 1.0


def test_a_question_with_nothing_retrieved_scores_zero_and_still_counts():
    qrels, run = judge(TWO_ANSWERS, RETRIEVED)
    unanswered = Question("q2", "?", (Answer("quote C", (AnswerSpan("c", 0, 5),)),))
    qrels2, run2 = judge(unanswered, [])
    metrics = compute({"q1": qrels, "q2": qrels2}, {"q1": run, "q2": run2})
    assert metrics["MRR@10"] == pytest.approx(0.25)
    assert metrics["R@5"] == pytest.approx(0.5)
    assert first_relevant_rank(unanswered, []) is None


def test_any_occurrence_of_a_quote_finds_its_answer():
    twice = Question("q3", "?", (Answer("quote", (AnswerSpan("a", 0, 10), AnswerSpan("b", 50, 60))),))
    qrels, run = judge(twice, [("x", 0, 10), ("b", 40, 70)])
    assert compute({"q3": qrels}, {"q3": run})["MRR@10"] == pytest.approx(0.5)


def test_ranked_runs_keep_their_order_whatever_the_ids():
    # trec_eval breaks score ties by document id; ranked_run gives falling scores so "z" stays first.
    run = ranked_run({"q": ["z", "a", "m"]})
    assert compute({"q": {"a": 1}}, run)["MRR@10"] == pytest.approx(0.5)
    assert compute({"q": {"m": 1}}, run)["MRR@10"] == pytest.approx(1 / 3)


def test_per_question_values_average_to_the_reported_metrics():
    from eval.metrics import compute, per_question

    qrels = {"q1": {"a": 1}, "q2": {"a": 1}, "q3": {"a": 1}}
    run = {"q1": {"a": 3.0, "x": 2.0}, "q2": {"x": 3.0, "a": 2.0}}  # q3: nothing retrieved
    values = per_question(qrels, run)
    assert [values[q]["MRR@10"] for q in ("q1", "q2", "q3")] == [1.0, 0.5, 0.0]
    means = compute(qrels, run)
    for metric in means:
        assert sum(values[q][metric] for q in qrels) / 3 == pytest.approx(means[metric])
