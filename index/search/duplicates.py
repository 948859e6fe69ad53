"""Near-duplicate hits: the same text in two reports, or overlapping spans of one, shown once."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.search.hits import Hit

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FoldedHit:
    hit: Hit
    also_in: tuple[Hit, ...] = ()  # lower-ranked hits that repeat it


def fold_near_duplicates(hits: list[Hit], containment: float = 0.8) -> list[FoldedHit]:
    """Keep the best-ranked of each group of near-duplicates; the others ride along as `also_in`.

    Two hits are near-duplicates when their spans overlap in one document, or when at least
    `containment` of the shorter one's word trigrams occur in the other (quoted, reposted text).
    """
    kept: list[tuple[Hit, set[tuple[str, ...]], list[Hit]]] = []
    for hit in hits:
        grams = _trigrams(hit.passage.text)
        for first, first_grams, repeats in kept:
            if _overlap(first, hit) or _contained(first_grams, grams, containment):
                repeats.append(hit)
                break
        else:
            kept.append((hit, grams, []))
    return [FoldedHit(hit, tuple(repeats)) for hit, _, repeats in kept]


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def _contained(a: set, b: set, containment: float) -> bool:
    smaller = min(len(a), len(b))
    return smaller > 0 and len(a & b) >= containment * smaller


def _overlap(a: Hit, b: Hit) -> bool:
    return a.passage.doc_id == b.passage.doc_id and a.passage.start < b.passage.end and b.passage.start < a.passage.end

