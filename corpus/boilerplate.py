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
# A heading after which the rest of the page is the site's footer.
_FOOTER_START = re.compile(
    r"^(contact\ us|communiquez\ avec\ nous|contáctenos|kontakt|контакты|privacy\ policy)$",
    re.IGNORECASE | re.VERBOSE,
)


def is_footer_start(paragraph: str) -> bool:
    return bool(_FOOTER_START.match(paragraph.strip()))


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
