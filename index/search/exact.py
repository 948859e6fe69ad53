"""Exact words and phrases (syntax.py) found in the passages' canonical text, at their exact offsets.

A term matches a passage's text case-insensitively, any run of whitespace (line breaks included)
matching any other, a hyphen at a line end ("non-\\ndiscrimination") matching a hyphen, and soft
hyphens ignored; it starts and ends at word boundaries, so "1,000" is no match inside "21,000", nor
"000" inside "1,000", nor "Sultan" at the start of a line that goes on a word broken at the line end.

Which passages to read is narrowed by the BM25 index: a passage whose text holds the term holds every
BM25 word of the term's inner words as its language reads them, so only the passages whose postings
hold them all are read (and, when the term has no such word, "as if", every passage is). A word
with a hyphen between letters is looked for both ways, as BM25 may have read it either way: "health
care", and "healthcare" for a line-end break the reading joined ("health-\\ncare"). Left out of the
narrowing: a word broken where the term has whitespace ("recom- mendations"), and numbers whose
pieces whitespace could join ("1 000", which "1\\u00a0000" reads as 1000).
"""

from __future__ import annotations

import math
import re
import threading
from functools import lru_cache
from itertools import product

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
_JOINABLE = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")  # a hyphen a line-end break may have joined away
MAX_JOINS = 2  # hyphens between letters in one word the narrowing reads both ways (4 readings)
MAX_READINGS = 16  # readings of a term's words, at most (each is one lookup in the BM25 postings)


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


def narrowing_texts(text: str) -> list[str]:
    """The readings of the term's words that a passage holding it holds as BM25 words: it holds all the
    words of at least one of them (see the module's doc). A word with a hyphen between letters has
    two readings per hyphen, the hyphen kept ("health care" to BM25) and the word joined
    ("healthcare", as a line-end break may be read); a word with more than MAX_JOINS such hyphens,
    or one that would take the term past MAX_READINGS readings, is left out."""
    pieces = text.split()
    kept: list[list[str]] = []  # per piece, its readings
    for i, piece in enumerate(pieces):
        before, after = pieces[i - 1] if i > 0 else "", pieces[i + 1] if i + 1 < len(pieces) else ""
        if piece.startswith("-") or piece.endswith("-") or before.endswith("-"):
            continue  # the halves of a word broken where the term has whitespace
        if (piece[0].isdigit() and before[-1:].isdigit()) or (piece[-1].isdigit() and after[:1].isdigit()):
            continue
        joins = [m.start() for m in _JOINABLE.finditer(piece)]
        if len(joins) > MAX_JOINS or math.prod(len(readings) for readings in kept) << len(joins) > MAX_READINGS:
            continue
        kept.append([_joined(piece, chosen) for chosen in product((False, True), repeat=len(joins))] if joins else [piece])
    return [" ".join(words) for words in product(*kept)]


def _joined(piece: str, chosen: tuple[bool, ...]) -> str:
    """The piece with the hyphens between letters that `chosen` picks (in order) taken out."""
    hyphens = iter(chosen)
    return _JOINABLE.sub(lambda m: "" if next(hyphens) else "-", piece)


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
        """The passages that may hold the term: in each passage language, those holding every BM25 word
        of one of its readings (all of that language's passages when a reading has none)."""
        readings = narrowing_texts(term.text)
        lexical = self._index.lexical
        parts = []
        for language, positions in self._by_language().items():
            with STEMMING:
                words = [sorted(set(tokenize(text, language))) for text in readings]
            if not all(words):
                parts.append(positions)
                continue
            held = np.unique(np.concatenate([lexical.passages_with_all(tokens) for tokens in words]))
            parts.append(np.intersect1d(positions, held, assume_unique=True))
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def _by_language(self) -> dict[str, np.ndarray]:
        """Each passage language's positions: BM25 read each passage's words as its language does."""
        if self._languages is None:
            with self._grouping:
                if self._languages is None:
                    languages = self._index.passages.languages
                    self._languages = {str(x): np.flatnonzero(languages == x) for x in sorted(set(languages.tolist()))}
        return self._languages
