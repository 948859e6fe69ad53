"""What Verbatim knows about the languages it reads: one profile per language (profiles.py; the
built-in ones in builtin.py), read by detection, BM25's words (analysis.py), Latin spellings of
Cyrillic (transliterate.py) and the field's words across languages (glossary.py)."""

from corpus.languages.builtin import BUILT_IN
from corpus.languages.detect import detect_language
from corpus.languages.profiles import (
    NAMES,
    LanguageProfile,
    find_language,
    language_codes,
    register_language,
    registered_languages,
    unregister_language,
)

for _profile in BUILT_IN:
    register_language(_profile)

__all__ = [
    "NAMES",
    "LanguageProfile",
    "detect_language",
    "find_language",
    "language_codes",
    "register_language",
    "registered_languages",
    "unregister_language",
]
