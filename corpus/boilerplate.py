"""Recognise site chrome (navigation, share buttons, captions, footers) in web-page text.

Boilerplate stays in the canonical text, so offsets never shift; it is only kept out of passages.
"""

from __future__ import annotations

import re

_CHROME = re.compile(
    r"""^(hot\ topics:?|share\ icon|share\ this\ article:?|share\ on\ \w+|share|print
    |download\ report|read\ more|related\ articles?:?|subscribe.*|follow\ us.*
    |russian\ /\ русский|english\ /\ английский|skip\ to\ (main\ )?content)$""",
    re.IGNORECASE | re.VERBOSE,
)
_CAPTION = re.compile(
    r"\b(photos?|photographs?|images?|pictures?)( credit)?\s*:|\bphotos? (from|by|courtesy)\b",
    re.IGNORECASE,
)
# A heading after which the rest of the page may be the site's footer.
_FOOTER_START = re.compile(
    r"^(contact\ us|communiquez\ avec\ nous|contáctenos|kontakt|контакты|privacy\ policy)$",
    re.IGNORECASE | re.VERBOSE,
)
# A footer is a short run of short lines (addresses, phone numbers, links) that ends the document.
# Anything longer after such a heading is the report going on, and is kept.
FOOTER_MAX_PARAGRAPHS = 50
FOOTER_MAX_PARAGRAPH_CHARS = 300
FOOTER_MAX_CHARS = 2000  # not counting whitespace


def is_footer_start(paragraph: str) -> bool:
    return bool(_FOOTER_START.match(paragraph.strip()))


def footer_start(paragraphs: list[str]) -> int:
    """Index of the paragraph where the document's closing footer begins; len(paragraphs) if it has none.

    The footer is a footer heading ("Contact us") and everything after it, provided that all of it
    is short. The rule holds for every format: reports saved from web pages as .txt carry the
    site's footer too (the bundled ones do).
    """
    start = len(paragraphs)
    chars = 0
    for i in range(len(paragraphs) - 1, -1, -1):
        paragraph = paragraphs[i].strip()
        # Here `chars` and the count are those of the paragraphs after i: what a heading at i would cut.
        if is_footer_start(paragraph):
            start = i
        chars += sum(not c.isspace() for c in paragraph)
        if (len(paragraphs) - i > FOOTER_MAX_PARAGRAPHS or chars > FOOTER_MAX_CHARS
                or len(paragraph) > FOOTER_MAX_PARAGRAPH_CHARS):
            break  # an earlier heading would cut all this too
    return start


def is_chrome(paragraph: str) -> bool:
    """True for navigation, share buttons and photo captions."""
    text = " ".join(paragraph.split())
    return bool(_CHROME.match(text)) or (len(text) <= 250 and bool(_CAPTION.search(text)))


def is_widget(paragraph: str) -> bool:
    """True for a short all-capitals line that is not a heading: a button or a widget label.

    Call it only on paragraphs already known not to be headings ("1. SUMMARY" is one).
    """
    text = " ".join(paragraph.split())
    letters = [c for c in text if c.isalpha()]
    return 0 < len(text) <= 80 and len(letters) >= 4 and all(c.isupper() for c in letters)
