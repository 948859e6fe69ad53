"""Sentence boundaries as offsets, so a sentence can be cut out of the canonical text exactly."""

from __future__ import annotations

import re

# A sentence ends at . ! ? or … (plus closing quotes or brackets), before whitespace and
# something that can open a sentence: a capital letter, a digit, an opening quote or a bullet.
_BOUNDARY = re.compile(
    r"""[.!?…]["'”’»)\]]*(?=\s+["'“‘«(\[•\-–]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])"""
)
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # H.E, U.N, e.g: letters each followed by a full stop
# Words after which a full stop does not end the sentence.
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "art", "arts", "para", "paras", "e.g", "i.e",
    "etc", "vs", "cf", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "inc", "ltd", "co", "corp", "gen", "col", "lt", "sgt", "rev", "fig", "vol", "pp", "p", "ed",
    "eds", "approx", "dept", "est", "univ",
})


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences in `text[start:end]`, trimmed of surrounding whitespace."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        if _is_abbreviation(text, cursor, match.start()):
            continue
        spans.append((cursor, match.end()))
        cursor = match.end()
    spans.append((cursor, end))
    return [trimmed for span in spans if (trimmed := trim_span(text, *span))]


def _is_abbreviation(text: str, sentence_start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > sentence_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lstrip("(\"'“‘«")
    # Initials such as "A. B.", dotted ones such as "H.E." (a UN report's "headed by H.E. Mr. …")
    # and abbreviations such as "e.g." do not end sentences.
    if len(word) == 1 and word.isalpha() and word.isupper() or _DOTTED.fullmatch(word):
        return True
    return word.lower() in _ABBREVIATIONS


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without surrounding whitespace, or None when nothing else is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
