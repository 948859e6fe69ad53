"""Finding a quote in canonical text whatever its whitespace: line breaks and non-breaking spaces
in a source never stop a quote copied from it from matching."""

from __future__ import annotations

import re

from corpus.errors import VerbatimError


def quote_pattern(quote: str) -> re.Pattern[str]:
    """Matches the quote with any run of whitespace (line breaks, non-breaking spaces) for any other."""
    words = quote.split()
    if not words:
        raise VerbatimError("a quote is empty")
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def find_quote(quote: str, text: str) -> list[tuple[int, int]]:
    """Every place the quote occurs in the text, as [start, end) offsets."""
    return [(m.start(), m.end()) for m in quote_pattern(quote).finditer(text)]
