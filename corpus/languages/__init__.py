"""What Verbatim knows about the languages it reads: detection, BM25's words (analysis.py),
Latin spellings of Cyrillic (transliterate.py) and the field's words across languages
(glossary.py)."""

from corpus.languages.detect import LANGUAGES, NAMES, detect_language

__all__ = ["LANGUAGES", "NAMES", "detect_language"]
