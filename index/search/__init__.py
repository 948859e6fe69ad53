"""Searching a loaded index: a question prepared once, retrievers, fusion, the sentence stage,
filters, the verdict, and hits that carry their citation."""

from index.search.filters import Filters
from index.search.hits import Hit
from index.search.modes import MODE_SPECS, ModeSpec, mode_spec
from index.search.query import PreparedQuery, question_language
from index.search.searcher import Searcher
from index.search.verdict import Verdict

__all__ = ["MODE_SPECS", "Filters", "Hit", "ModeSpec", "PreparedQuery", "Searcher", "Verdict", "mode_spec", "question_language"]
