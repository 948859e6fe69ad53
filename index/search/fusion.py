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
        for item, scaled in _scaled(ranking).items():
            fused[item] = fused.get(item, 0.0) + weight * scaled
    return sorted(fused.items(), key=lambda pair: -pair[1])


def language_aware_fusion(
    dense: list[tuple[int, float]],
    lexical: list[tuple[int, float]],
    dense_weight: float,
    other_language: set[int],
    cross_lingual_bm25: float,
) -> list[tuple[int, float]]:
    """Min-max fusion in which BM25 judges only passages in the question's language in full.

    BM25 can match a passage in another language by names and numbers only, and then never as well
    as a passage in the question's own language: fused blindly, it pushes same-language passages
    above better answers in other languages. So for a passage in `other_language` the lexical share
    is filled by its own dense score, save `cross_lingual_bm25` of it left to BM25. With no passage
    in another language this is exactly `min_max_fusion([dense, lexical], [w, 1 - w])`.
    """
    d, b = _scaled(dense), _scaled(lexical)
    fused: dict[int, float] = {}
    for item in d.keys() | b.keys():
        dense_part, lexical_part = d.get(item, 0.0), b.get(item, 0.0)
        if item in other_language:
            lexical_part = cross_lingual_bm25 * lexical_part + (1 - cross_lingual_bm25) * dense_part
        fused[item] = dense_weight * dense_part + (1 - dense_weight) * lexical_part
    # Ties broken by the dense list's order, then the lexical list's, as min_max_fusion does.
    first: dict[int, int] = {}
    for n, (item, _) in enumerate([*dense, *lexical]):
        first.setdefault(item, n)
    return sorted(fused.items(), key=lambda pair: (-pair[1], first[pair[0]]))


def _scaled(ranking: list[tuple[int, float]]) -> dict[int, float]:
    if not ranking:
        return {}
    scores = [score for _, score in ranking]
    low, high = min(scores), max(scores)
    span = high - low
    return {item: (score - low) / span if span > 0 else 1.0 for item, score in ranking}
