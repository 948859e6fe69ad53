"""Errors of the index: each message says how to fix the problem."""

from corpus.errors import VerbatimError


class IndexNotFoundError(VerbatimError):
    """No index at the given place."""


class StaleIndexError(VerbatimError):
    """The index was built from another corpus, model or format than the one asked for; `reason`
    says why, as a clause ("it was written in index format 6, …")."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class DamagedIndexError(StaleIndexError):
    """An index file is missing, cut or changed since its build, or its manifest lacks a field."""

    def __init__(self, directory: object, detail: str) -> None:
        super().__init__(f"the index at {directory} is damaged ({detail}); rebuild it")
        self.detail = detail


class IndexWriteError(VerbatimError):
    """The index cannot be written where it was asked for (full or read-only disk, no permission)."""


class ModelError(VerbatimError):
    """The embedding model cannot be found or loaded."""


class QueryError(VerbatimError):
    """The question or its filters cannot be answered as given.

    The message is neutral (it names no command-line flag or form field); `field` says which part of
    the request is wrong ("question", "mode", "k", "publishers", "doc_ids", "since", "until",
    "languages", "rerank"), so that each interface can word it its own way (`--since` in the CLI,
    "Since" on the page)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
