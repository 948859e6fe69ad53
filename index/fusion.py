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
