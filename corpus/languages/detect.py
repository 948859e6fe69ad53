"""Which language a text is in: English, Russian or Kazakh, the collection's three.

py3langid ships its model inside the wheel (no download). It is limited to the three languages
Verbatim searches across: on short Cyrillic text the open classifier confuses Russian and Kazakh
with Ukrainian, Bulgarian or Mongolian, and the collection holds none of those. Text in another
language is labelled with the closest of the three.
"""

from __future__ import annotations

import re
from functools import lru_cache

LANGUAGES = ("en", "ru", "kk")
NAMES = {"en": "English", "ru": "Russian", "kk": "Kazakh"}
_LETTER = re.compile(r"[^\W\d_]")
# Letters of the Kazakh Cyrillic alphabet that Russian does not have: one is decisive.
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import _load_identifier  # its bundled model: numpy arrays, no pickle

    return _load_identifier(langs=list(LANGUAGES))


def detect_language(text: str) -> str:
    """"en", "ru" or "kk"; "" for text without letters (numbers, punctuation)."""
    if not _LETTER.search(text):
        return ""
    if _KAZAKH_LETTERS.search(text):
        return "kk"
    if not _CYRILLIC.search(text):
        return "en"  # of the three, only English is written in Latin letters: no model needed
    language, _ = _identifier().classify(text)
    return str(language)
