"""What a quote is made of: a passage's sentences, without the headings and list bullets it holds.

A passage keeps the short lines above its first paragraph as context (a report's title, even twice
when the page repeats it; an HTML page's title line; a caption: corpus/chunking.py), and a list
item keeps its bullet. They stay in the passage, whose offsets never change, but never in a
sentence: sentences never cross a paragraph, a heading-like line (short, no closing punctuation,
no bullet, the next paragraph starting afresh) is no sentence, and a bullet or list number is not
part of its item's first sentence. Quotes are made of these sentences, so a quote starts at a
sentence's first word and `text[start:end]` is still the quote.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.paragraphs import Paragraph
from corpus.sentences import sentence_spans, trim_span

# A list item's marker: a bullet, a dash or asterisks (a footnote's), or "1." "2)" "a)" "(b)", followed by a space.
_MARKER = re.compile(r"(?:[•●▪◦‣∙·\-–—]|\*+|\(?(?:\d{1,3}|[a-z])[.)])\s+")
# A paragraph ending like this ends a sentence (closing quotes or brackets after the mark allowed).
_ENDS_SENTENCE = re.compile(r"""[.!?;,:…]["'”’»)\]]*$""")
# A full stop, question or exclamation mark anywhere but inside a word ("U.S" is, "overnight.⟨ESC⟩" is not).
_HAS_FULL_STOP = re.compile(r"""[.!?…]["'”’»)\]]*(?!\w)""")
HEADING_MAX_CHARS = 150  # a longer paragraph is body text, punctuated or not (as corpus/paragraphs.py)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # the number of the paragraph it is in (corpus/paragraphs.py numbers them all, 1-based)


@dataclass(frozen=True)
class _Piece:
    start: int  # after any list marker
    end: int
    paragraph: int
    marked: bool  # a list item: it began with a bullet or a number


def quotable_sentences(text: str, paragraphs: Sequence[Paragraph], start: int, end: int) -> list[Sentence]:
    """The sentences of `text[start:end]` (a passage) that a quote may be made of, in order: those of
    its paragraphs, not of its heading-like lines, a list item's without its marker. A passage of
    nothing but heading-like lines (a short note) keeps them as its sentences."""
    pieces = _pieces(text, paragraphs, start, end)
    kept = [piece for piece in pieces if not _heading_like(text, piece)] or pieces
    sentences = [Sentence(a, b, piece.paragraph) for piece in kept for a, b in sentence_spans(text, piece.start, piece.end)]
    if sentences:
        return sentences
    first = paragraphs[max(bisect.bisect_right([p.start for p in paragraphs], start) - 1, 0)].number if paragraphs else 1
    return [Sentence(a, b, first) for a, b in sentence_spans(text, start, end)]


def _pieces(text: str, paragraphs: Sequence[Paragraph], start: int, end: int) -> list[_Piece]:
    """The passage's paragraphs (cut to the passage), each without its list marker. A paragraph that
    stops mid-sentence and is followed by one starting in lower case is one piece with it: a line a
    PDF's layout broke, not two paragraphs."""
    starts = [p.start for p in paragraphs]
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    pieces: list[_Piece] = []
    for paragraph in paragraphs[first:]:
        if paragraph.start >= end:
            break
        span = trim_span(text, max(paragraph.start, start), min(paragraph.end, end))
        if span is None:
            continue
        a, b = span
        previous = pieces[-1] if pieces else None
        if previous is not None and _continues(text, previous, a):
            pieces[-1] = _Piece(previous.start, b, previous.paragraph, previous.marked)
            continue
        marker = _MARKER.match(text, a, b)
        pieces.append(_Piece(marker.end() if marker else a, b, paragraph.number, marker is not None))
    return [piece for piece in pieces if piece.start < piece.end]


def _continues(text: str, previous: _Piece, start: int) -> bool:
    return not _ENDS_SENTENCE.search(text, previous.start, previous.end) and text[start].islower()


def _heading_like(text: str, piece: _Piece) -> bool:
    """A title, a caption or a heading the layout did not mark: short, with no closing punctuation nor
    a full stop anywhere, and no list item (a list's points are content, punctuated or not)."""
    body = text[piece.start : piece.end]
    return (not piece.marked and len(body) <= HEADING_MAX_CHARS and not _ENDS_SENTENCE.search(body)
            and not _HAS_FULL_STOP.search(body))


def lead_in(text: str, sentences: Sequence[tuple[int, int, int]], i: int) -> int | None:
    """For a list item's sentence, the sentence that introduces its list ("… were persecuted:"), as
    its index in `sentences` (a passage's, in order: start, end, paragraph); else None. A list item
    reads with its lead-in, as the old sentences that ran over the whole list did; a quote still never
    holds the bullets between them."""
    k = i
    while k > 0 and _is_marker(text[sentences[k - 1][1] : sentences[k][0]]):
        previous = k - 1
        if text[sentences[previous][0] : sentences[previous][1]].rstrip("\"'”’»)]").endswith(":"):
            return previous
        while previous > 0 and sentences[previous - 1][2] == sentences[previous][2]:
            previous -= 1  # back to the first sentence of the item before
        k = previous
    return None


def _is_marker(gap: str) -> bool:
    stripped = gap.strip()
    return bool(stripped) and "\n" in gap and bool(_MARKER.fullmatch(stripped + " "))
