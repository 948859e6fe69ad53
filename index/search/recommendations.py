"""Lists of other States' recommendations come after the State's own words, unless the question asks
about recommendations.

A UN review's recommendation items ("Ratify the United Nations Convention against Corruption
(Netherlands);", corpus/recommendations.py) repeat the topics of the review in the fewest words, so
they rank high for any question on those topics; but "Has Vanuatu ratified the UN Convention
against Corruption?" is answered by what Vanuatu said, not by the Netherlands' request. Among the
first REORDER_DEPTH passages, those whose sentences are for at least LIST_SHARE recommendation items
move below the others, each group in its order. A question about recommendations ("Which States
recommended …", "What was Kazakhstan urged to …") keeps the order as it is, and so does a collection
without such lists (the bundled reports, SciFact): nothing there moves.
"""

from __future__ import annotations

import re

from corpus.recommendations import is_recommendation
from index.store import LoadedIndex

REORDER_DEPTH = 20
LIST_SHARE = 0.3  # chosen on the UN reports' tuning half among 0.2, 0.3, 0.5 (README, "A real archive")
_ASKS_RECOMMENDATIONS = re.compile(
    r"recommend|\burg(e|ed|es|ing)\b|\bcall(s|ed|ing)?\s+(up)?on\b|\bencourag|\bask(s|ed)?\b.*\bto\b|"
    r"\bwhich\s+(states?|countr(y|ies)|delegations?)\b|рекоменд|призва|предлож|ұсыныс", re.IGNORECASE)


def asks_about_recommendations(question: str) -> bool:
    return bool(_ASKS_RECOMMENDATIONS.search(question))


def recommendation_share(index: LoadedIndex, position: int) -> float:
    """The share of the passage's sentences that are recommendation items."""
    spans = index.sentences.spans_of(position)
    if not spans:
        return 0.0
    text = index.documents[index.passages[position].doc_id].text
    return sum(is_recommendation(text[start:end]) for start, end, _ in spans) / len(spans)


def after_recommendation_lists(ranked: list[tuple[int, float]], index: LoadedIndex,
                               question: str) -> list[tuple[int, float]]:
    """The ranked passages, recommendation lists among the first REORDER_DEPTH moved below the rest."""
    if asks_about_recommendations(question):
        return ranked
    head, tail = ranked[:REORDER_DEPTH], ranked[REORDER_DEPTH:]
    lists = [recommendation_share(index, position) >= LIST_SHARE for position, _ in head]
    if not any(lists):
        return ranked
    return ([item for item, listed in zip(head, lists, strict=True) if not listed]
            + [item for item, listed in zip(head, lists, strict=True) if listed] + tail)
