"""Fusing ranked lists: pure functions over (position, score) lists."""

from __future__ import annotations


def reciprocal_rank_fusion(
    rankings: list[list[tuple[int, float]]], k: int = 60
) -> list[tuple[int, float]]:
    """Score each item by the sum of 1 / (k + rank) over the lists it appears in (rank from 1)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (item, _score) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    # Ties keep the order of first appearance, which favours the first list.
    return sorted(fused.items(), key=lambda pair: -pair[1])


def min_max_fusion(
    rankings: list[list[tuple[int, float]]], weights: list[float]
) -> list[tuple[int, float]]:
    """Weighted sum of scores, each list's scaled to [0, 1] over that list; absent from a list counts 0.

    Unlike rank fusion it keeps how far apart the scores are: a passage far ahead in one list
    stays ahead. Measured better than RRF on SciFact and the Kazakhstan dev set (see README).
    """
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if not ranking:
            continue
        scores = [score for _, score in ranking]
        low, high = min(scores), max(scores)
        span = high - low
        for item, score in ranking:
            scaled = (score - low) / span if span > 0 else 1.0
            fused[item] = fused.get(item, 0.0) + weight * scaled
    return sorted(fused.items(), key=lambda pair: -pair[1])
