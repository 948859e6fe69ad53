"""How sure a measured rate or difference is (eval/intervals.py): the intervals `verbatim calibrate`
and `verbatim eval` print beside their numbers."""

from __future__ import annotations

import pytest

from eval.intervals import MIN_QUESTIONS, paired_difference, rate_interval


def test_five_false_answers_of_62_are_consistent_with_rates_from_3_to_18_percent():
    low, high = rate_interval(5, 62)
    assert round(low, 3) == 0.035 and round(high, 3) == 0.175  # Wilson's, as a statistics table gives it
    assert low < 5 / 62 < high


def test_a_count_of_none_or_all_still_has_an_interval_inside_zero_to_one():
    assert rate_interval(0, 62)[0] == 0.0 and 0.05 < rate_interval(0, 62)[1] < 0.06
    assert rate_interval(62, 62)[1] == 1.0 and 0.94 < rate_interval(62, 62)[0] < 0.95
    assert rate_interval(0, 0) == (0.0, 1.0)  # nothing counted: nothing known
    with pytest.raises(ValueError, match="between 0 and the total"):
        rate_interval(7, 5)


def test_more_questions_narrow_the_interval():
    few, many = rate_interval(5, 62), rate_interval(50, 620)
    assert many[1] - many[0] < (few[1] - few[0]) / 2


def test_a_configuration_better_on_every_question_differs_clearly():
    baseline = [0.5, 0.2, 1.0, 0.0, 0.33] * 8
    better = [score + 0.1 for score in baseline]
    difference = paired_difference(baseline, better)
    assert difference.questions == 40 and difference.mean == pytest.approx(0.1)
    assert difference.clear and difference.low > 0


def test_a_difference_of_one_question_in_forty_could_be_chance():
    baseline = [1.0] * 40
    other = [1.0] * 39 + [0.0]
    difference = paired_difference(baseline, other)
    assert difference.mean == pytest.approx(-0.025)
    assert difference.low < 0 and difference.high == 0.0 and not difference.clear


def test_the_same_scores_give_the_same_interval_every_time():
    baseline, other = [1.0, 0.5, 0.0, 0.25] * 10, [0.5, 0.5, 1.0, 0.0] * 10
    assert paired_difference(baseline, other) == paired_difference(baseline, other)
    with pytest.raises(ValueError, match="same questions"):
        paired_difference([1.0], [1.0, 0.0])


def test_a_handful_of_questions_never_differs_clearly():
    # One question: the bootstrap's interval is a single point, which says nothing about chance.
    one = paired_difference([1.0], [0.0])
    assert (one.mean, one.low, one.high) == (-1.0, -1.0, -1.0) and not one.enough and not one.clear
    few = paired_difference([1.0] * (MIN_QUESTIONS - 1), [0.0] * (MIN_QUESTIONS - 1))
    assert not few.clear
    assert paired_difference([1.0] * MIN_QUESTIONS, [0.0] * MIN_QUESTIONS).clear


def test_a_large_benchmark_is_resampled_in_batches_to_the_same_interval():
    baseline = [float(i % 7) / 7 for i in range(5000)]
    other = [score + (0.01 if i % 3 else -0.01) for i, score in enumerate(baseline)]
    difference = paired_difference(baseline, other, resamples=2_000)
    assert difference.low < difference.mean < difference.high and difference.questions == 5000
    with pytest.raises(ValueError, match="at least 1"):
        paired_difference(baseline, other, resamples=0)
