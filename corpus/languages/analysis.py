"""Words as BM25 reads them: each word in its own script, read by its language's profile
(profiles.py): stemmed by its Snowball stemmer, or kept whole where there is none (Kazakh), its
stopwords removed; words of a language that transliterates (Russian, Kazakh) also spelled in Latin
letters, so that names meet their English spellings (Токаев ~ Tokayev)."""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.languages.profiles import SCRIPTS, LanguageProfile, find_language, reader, script_of
from corpus.languages.transliterate import transliterate

_TOKEN = re.compile(r"\w+")
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f](?=\d{3}\b)")


@lru_cache(maxsize=8)
def _stemmer(algorithm: str):
    import Stemmer

    return Stemmer.Stemmer(algorithm)


def tokenize(text: str, language: str = "en", transliterate_names: bool = False) -> list[str]:
    """Lower-cased word stems without stopwords; '1,000' is one token, as is '9'. `language` is the
    text's ("en", "ru", "kk"): it says how its words in its own script are read; words in another
    script are read by that script's first language (reader)."""
    words = _TOKEN.findall(_THOUSANDS.sub("", text.lower()))
    tokens: list[str] = []
    spellings: set[str] = set()
    for script in SCRIPTS:
        written = [w for w in words if script_of(w) == script]
        if not written:
            continue
        profile = reader(script, language)
        native = _stems(written, profile)
        tokens += native
        if transliterate_names and profile.transliterate:
            spellings |= _latin_spellings(written, native, profile)
    if spellings:
        tokens += sorted(set(_stemmed(sorted(spellings), reader("latin"))))
    return tokens


def _latin_spellings(words: list[str], native: list[str], profile: LanguageProfile) -> set[str]:
    """Each word's Latin spelling, its stem's, and for a language kept whole its case-stripped form's."""
    # Function words are no names: the script's first language's stopwords (Russian's) are not spelled.
    unspelled = reader(profile.script).stopword_set
    kept = [w for w in words if w not in unspelled]
    forms = {transliterate(w) for w in kept} | {transliterate(stem) for stem in native}
    if profile.endings is not None:
        forms |= {transliterate(profile.endings.strip_case(w)) for w in kept}
    forms.discard("")  # ь and ъ alone have no Latin letters
    return forms


def stems(words: list[str], language: str) -> list[str]:
    """BM25 stems of those of `words` that are written in the language's script, read as that language."""
    profile = find_language(language)
    if profile is None:
        raise LookupError(f"no registered language {language!r}")
    return _stems([w for w in words if script_of(w) == profile.script], profile)


def _stems(words: list[str], profile: LanguageProfile) -> list[str]:
    stopwords = profile.stopword_set
    kept = [w for w in words if w not in stopwords and (len(w) > 1 or w.isdigit())]
    return _stemmed(kept, profile)


def _stemmed(words: list[str], profile: LanguageProfile) -> list[str]:
    return _stemmer(profile.stemmer).stemWords(words) if profile.stemmer else words


def tokenize_plain(text: str, language: str = "en", transliterate_names: bool = False) -> list[str]:
    """Lower-cased words, nothing removed or stemmed."""
    return _TOKEN.findall(text.lower())


# Inflected forms of one word, a name across cases and the Latin spellings of its scripts: how a
# question's anchors are matched (index/search/anchors.py) and the BM25 vocabulary searched for them.
PREFIX = 5  # inflected forms of one name share at least this many letters (Тулесову ~ Tulesova)
SLACK = 4  # and differ by at most this many letters at the end (Kyrgyz ~ Kyrgyzstan)


def same_word(form: str, stems: frozenset[str]) -> bool:
    """The same word, or an inflected form of it: a shared beginning of at least PREFIX letters, and
    at most SLACK letters more on either side (Тулесовой ~ Tulesova, Bokayev's ~ Bokayev)."""
    if form in stems:
        return True
    if len(form) < PREFIX:
        return False
    head = form[:PREFIX]
    return any(stem.startswith(head) and _common_prefix(stem, form) >= max(len(stem), len(form)) - SLACK
               for stem in stems)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
