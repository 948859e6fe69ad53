"""Searching a loaded index: a question prepared once, retrievers, fusion, the sentence stage,
filters, the verdict, and hits that carry their citation."""

from index.search.hits import Hit
from index.search.searcher import Filters, Searcher, Verdict, question_language, verdict_fields

__all__ = ["Filters", "Hit", "Searcher", "Verdict", "question_language", "verdict_fields"]
