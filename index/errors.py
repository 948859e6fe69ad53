"""Errors of the index: each message says how to fix the problem."""

from corpus.errors import VerbatimError


class IndexNotFoundError(VerbatimError):
    """No index at the given place."""


class StaleIndexError(VerbatimError):
    """The index was built from another corpus, model or format than the one asked for."""


class ModelError(VerbatimError):
    """The embedding model cannot be found or loaded."""


class QueryError(VerbatimError):
    """The question or its filters cannot be answered as given."""
