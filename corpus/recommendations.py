"""Recommendation items of a UN review: what other States ask of the State under review, each item
ending with the States that made it, in parentheses ("Ratify the United Nations Convention against
Corruption (Netherlands);", "… (Iran (Islamic Republic of), Mali);"). A question about what the State
did or said is answered by the State's own words; such items only repeat the question's topic."""

from __future__ import annotations

import re

from corpus.places import countries_in, without_countries

# The closing parentheses, one level of nesting allowed: "(Iran (Islamic Republic of));".
_RECOMMENDED_BY = re.compile(r"\(((?:[^()]|\([^()]*\)){2,300})\)\s*[;.,]?\s*$")
_JOINED = re.compile(r"[\s,;/.]+|\band\b", re.IGNORECASE)
_ACRONYM = re.compile(r"[A-Z]{2,6}")  # "(DRC)", "(PRC)": a name's short form, not who recommended it


def is_recommendation(sentence: str) -> bool:
    """Whether the sentence ends with the States that recommended it, and nothing else, in parentheses."""
    tail = sentence.rstrip().rstrip(";.,").rstrip()
    if not tail.endswith(")"):
        return False
    found = _RECOMMENDED_BY.search(sentence.rstrip()[-400:])  # an item's States fit in 300 characters
    if found is None:
        return False
    inside = found.group(1).strip()
    return (not _ACRONYM.fullmatch(inside) and bool(countries_in(inside))
            and not _JOINED.sub("", without_countries(inside)))
