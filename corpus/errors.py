"""Exceptions raised by the library; only `app/` turns them into messages for people."""


class VerbatimError(Exception):
    """Base class: every message names the problem and, where there is one, the fix."""


class CorpusError(VerbatimError):
    """The corpus folder or its manifest cannot be used as it is."""


class LoadError(VerbatimError):
    """One file cannot be read; the rest of the corpus is still indexed."""
