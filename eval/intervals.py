"""How sure a measured number is: a 95 % interval for a rate counted over questions, and for the
difference between two configurations run over the same questions.

With a few dozen questions a rate moves a lot by chance: 5 false answers of 62 is 8 %, but any rate
from about 3.5 % to 17.5 % would give such a count often enough. A researcher comparing two
configurations on their own question set should see whether the difference stands out from that.

- `rate_interval`: the Wilson score interval of a count out of a total, which stays inside 0–100 %
  and behaves at counts of 0 or all (where the plain mean ± 1.96 standard errors does not).
- `paired_difference`: the mean per-question difference of a metric between two configurations, with
  a paired bootstrap percentile interval (the questions resampled with replacement, both
  configurations' scores kept together), seeded so that the same runs print the same interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Z_95 = 1.959964  # the standard normal's 97.5th percentile
RESAMPLES = 10_000
SEED = 0
# Below this many questions no difference is called clear: a percentile bootstrap over a handful of
# questions gives intervals far too narrow (one question: a single point).
MIN_QUESTIONS = 10
_BATCH_VALUES = 2_000_000  # resampled scores held at once (16 MB), whatever the number of questions


def rate_interval(count: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of `count` out of `total` (both rates, 0–1); (0, 1) for no total."""
    if total <= 0:
        return 0.0, 1.0
    if not 0 <= count <= total:
        raise ValueError(f"a count of {count} out of {total}: the count must lie between 0 and the total")
    rate = count / total
    denominator = 1 + z * z / total
    centre = (rate + z * z / (2 * total)) / denominator
    spread = z * math.sqrt(rate * (1 - rate) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - spread), min(1.0, centre + spread)


@dataclass(frozen=True)
class Difference:
    """`other` minus `baseline`, averaged over the questions, with its 95 % interval."""

    mean: float
    low: float
    high: float
    questions: int

    @property
    def enough(self) -> bool:
        return self.questions >= MIN_QUESTIONS

    @property
    def clear(self) -> bool:
        """Whether the interval leaves zero out, over enough questions: a difference chance alone
        would rarely give."""
        return self.enough and (self.low > 0 or self.high < 0)


def paired_difference(baseline: Sequence[float], other: Sequence[float], resamples: int = RESAMPLES,
                      seed: int = SEED) -> Difference:
    """The mean of `other[i] - baseline[i]` over the questions, and its paired bootstrap interval."""
    if len(baseline) != len(other):
        raise ValueError(f"paired scores need the same questions: {len(baseline)} against {len(other)}")
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, not {resamples}")
    differences = np.asarray(other, dtype=np.float64) - np.asarray(baseline, dtype=np.float64)
    if differences.size == 0:
        return Difference(0.0, 0.0, 0.0, 0)
    rng = np.random.default_rng(seed)
    batch = max(1, _BATCH_VALUES // differences.size)  # so that a large benchmark never sits in memory at once
    means = []
    for done in range(0, resamples, batch):
        picks = rng.integers(0, differences.size, size=(min(batch, resamples - done), differences.size))
        means.append(differences[picks].mean(axis=1))
    low, high = np.percentile(np.concatenate(means), [2.5, 97.5])
    return Difference(float(differences.mean()), float(low), float(high), int(differences.size))
