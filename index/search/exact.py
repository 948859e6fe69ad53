"""Exact words and phrases (syntax.py) found in the passages' canonical text, at their exact offsets.

A term matches a passage's text case-insensitively, any run of whitespace (line breaks included)
matching any other, a hyphen at a line end ("non-\\ndiscrimination") matching a hyphen, and soft
hyphens ignored; it starts and ends at word boundaries, so "1,000" is no match inside "21,000", nor
"000" inside "1,000", nor "Sultan" at the start of a line that goes on a word broken at the line end.

Which passages to read is narrowed by the BM25 index: a passage whose text holds the term holds every
BM25 word of the term's inner words as its language reads them, so only the passages whose postings
hold them all are read (and, when the term has no such word, "as if", every passage is). Words the
retrievers read differently from the text are left out of the narrowing: those in or after a
hyphenated piece (a line-end break the reading joins, "health-\\ncare" into "healthcare"), and
numbers whose pieces whitespace could join ("1 000", which "1\\u00a0000" reads as 1000).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import numpy as np

from corpus.languages.analysis import tokenize
from index.search.query import STEMMING
from index.search.syntax import ParsedQuery, Term
from index.store import LoadedIndex

Span = tuple[int, int]
_CACHED_TERMS = 32  # terms whose passages are kept: a search and its verdict ask for the same ones

_SOFT = "(?:\u00ad[ \t]*(?:\r?\n[ \t]*)?)?"  # a soft hyphen between two letters, maybe at a line end
_LINE_END_HYPHEN = r"-[ \t]*(?:\r?\n[ \t]*)?"
_THOUSANDS_BEFORE = re.compile(r"\d[,\u00a0\u202f]$")
_THOUSANDS_AFTER = re.compile(r"[,\u00a0\u202f]\d{3}(?!\w)")
_BROKEN_BEFORE = re.compile(r"[^\W\d_]-[ \t]*\r?\n[ \t]*$")
_BROKEN_AFTER = re.compile(r"-[ \t]*\r?\n[ \t]*[^\W\d_]")
_WORD = re.compile(r"\w")


@lru_cache(maxsize=256)
def term_pattern(text: str) -> re.Pattern[str]:
    """The term's text as a pattern over canonical text (its ends are checked by `_whole`)."""
    pieces = []
    for piece in text.split():
        characters = [_LINE_END_HYPHEN if c == "-" else re.escape(c) for c in piece]
        pieces.append(_SOFT.join(characters))
    return re.compile(r"\s+".join(pieces), re.IGNORECASE)


def find(term: Term, text: str) -> list[Span]:
    """Where the term is in `text`: each occurrence's [start, end)."""
    return [m.span() for m in term_pattern(term.text).finditer(text) if _whole(text, m.start(), m.end())]


def holds(term: Term, text: str) -> bool:
    return any(_whole(text, m.start(), m.end()) for m in term_pattern(term.text).finditer(text))


def _whole(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] starts and ends at word boundaries (as BM25's words do)."""
    first, last = text[start], text[end - 1]
    if _WORD.match(first):
        before = text[max(0, start - 64) : start]
        if before and (_WORD.match(before[-1]) or before[-1] == "\u00ad"):
            return False
        if first.isdigit() and _THOUSANDS_BEFORE.search(before):
            return False
        if not first.isdigit() and _BROKEN_BEFORE.search(before):
            return False
    if _WORD.match(last):
        after = text[end : end + 64]
        if after and (_WORD.match(after[0]) or after[0] == "\u00ad"):
            return False
        if last.isdigit() and _THOUSANDS_AFTER.match(after):
            return False
        if not last.isdigit() and _BROKEN_AFTER.match(after):
            return False
    return True


def narrowing_text(text: str) -> str:
    """The term's words that every passage holding it holds as BM25 words too (see the module's doc)."""
    pieces = text.split()
    kept = []
    for i, piece in enumerate(pieces):
        before, after = pieces[i - 1] if i > 0 else "", pieces[i + 1] if i + 1 < len(pieces) else ""
        if "-" in piece or before.endswith("-"):
            continue
        if (piece[0].isdigit() and before[-1:].isdigit()) or (piece[-1].isdigit() and after[:1].isdigit()):
            continue
        kept.append(piece)
    return " ".join(kept)


class ExactText:
    """The passages of one index that hold a term, and where in a passage its terms are."""

    def __init__(self, index: LoadedIndex) -> None:
        self._index = index
        self._languages: dict[str, np.ndarray] | None = None
        self._grouping = threading.Lock()
        self.passages_holding = lru_cache(maxsize=_CACHED_TERMS)(self._passages_holding)

    def allowed(self, query: ParsedQuery, allowed: np.ndarray | None) -> np.ndarray:
        """The positions among `allowed` (None: all) that hold a term of every required group and no
        excluded term, in order."""
        keep = np.arange(len(self._index.passages), dtype=np.int64) if allowed is None else np.asarray(allowed, np.int64)
        for group in query.required:
            held = np.unique(np.concatenate([self.passages_holding(term) for term in group]))
            keep = np.intersect1d(keep, held, assume_unique=True)
        for term in query.excluded:
            keep = np.setdiff1d(keep, self.passages_holding(term), assume_unique=True)
        return keep

    def spans(self, query: ParsedQuery, text: str, offset: int = 0) -> tuple[Span, ...]:
        """Where the query's required terms are in a passage's text, as offsets in its document
        (`offset`: the passage's start), in order, overlapping ones merged."""
        found = sorted((start + offset, end + offset) for term in query.phrases for start, end in find(term, text))
        merged: list[Span] = []
        for start, end in found:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return tuple(merged)

    def _passages_holding(self, term: Term) -> np.ndarray:
        """Every passage whose canonical text holds the term (read only where BM25 says it may)."""
        candidates = self._candidates(term)
        passages = self._index.passages
        held = [int(p) for p in candidates if holds(term, passages[int(p)].text)]
        result = np.array(held, dtype=np.int64)
        result.flags.writeable = False  # cached and shared
        return result

    def _candidates(self, term: Term) -> np.ndarray:
        text = narrowing_text(term.text)
        lexical = self._index.lexical
        parts = []
        for language, positions in self._by_language().items():
            with STEMMING:
                tokens = sorted(set(tokenize(text, language)))
            parts.append(positions if not tokens else np.intersect1d(positions, lexical.passages_with_all(tokens),
                                                                      assume_unique=True))
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def _by_language(self) -> dict[str, np.ndarray]:
        """Each passage language's positions: BM25 read each passage's words as its language does."""
        if self._languages is None:
            with self._grouping:
                if self._languages is None:
                    languages = self._index.passages.languages
                    self._languages = {str(x): np.flatnonzero(languages == x) for x in sorted(set(languages.tolist()))}
        return self._languages
