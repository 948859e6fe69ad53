"""Words as BM25 reads them: each word in its own script, stemmed by its language's Snowball
stemmer, stopwords removed; Cyrillic words also spelled in Latin letters so that names meet their
English spellings (Токаев ~ Tokayev). Language facts (stemmer, stopwords, endings) come from the
language profiles."""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.languages.transliterate import CYRILLIC, transliterate

_TOKEN = re.compile(r"\w+")
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f](?=\d{3}\b)")


@lru_cache(maxsize=4)
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(language)


@lru_cache(maxsize=4)
def _stopwords(language: str) -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_RUSSIAN

    return frozenset({"english": STOPWORDS_EN, "russian": STOPWORDS_RUSSIAN}.get(language, ()))


def tokenize(text: str, language: str = "en", transliterate_names: bool = False) -> list[str]:
    """Lower-cased word stems without stopwords; '1,000' is one token, as is '9'. `language` is
    the text's ("en", "ru", "kk"): it says how its Cyrillic words are stemmed."""
    words = _TOKEN.findall(_THOUSANDS.sub("", text.lower()))
    latin = [w for w in words if not CYRILLIC.search(w)]
    tokens = _stems(latin, "english")
    cyrillic = [w for w in words if CYRILLIC.search(w)]
    if cyrillic:
        native = _stems(cyrillic, "russian" if language != "kk" else "kazakh")
        tokens += native
        if transliterate_names:
            kept = [w for w in cyrillic if w not in _stopwords("russian")]
            forms = {transliterate(w) for w in kept} | {transliterate(stem) for stem in native}
            if language == "kk":
                forms |= {transliterate(strip_kazakh_case(w)) for w in kept}
            forms.discard("")  # ь and ъ alone have no Latin letters
            tokens += sorted(set(_stemmer("english").stemWords(sorted(forms))))
    return tokens


# The commonest Kazakh case endings, longest first: Алматыда → Алматы, Тоқаевтың → Тоқаев. Not a
# stemmer (Snowball has none for Kazakh); it only lets a declined name meet its English spelling.
_KAZAKH_CASE = re.compile(
    r"(ындағы|індегі|ндағы|ндегі|дағы|дегі|тағы|тегі|ның|нің|дың|дің|тың|тің|нан|нен|дан|ден|тан|тен|мен|бен|пен|"
    r"ға|ге|қа|ке|на|не|да|де|та|те|ны|ні|ды|ді|ты|ті)$"
)


def strip_kazakh_case(word: str) -> str:
    stripped = _KAZAKH_CASE.sub("", word)
    return stripped if len(stripped) >= 3 else word


def english_stems(words: list[str]) -> list[str]:
    return _stems([w for w in words if not CYRILLIC.search(w)], "english")


def russian_stems(words: list[str]) -> list[str]:
    return _stems([w for w in words if CYRILLIC.search(w)], "russian")


def _stems(words: list[str], language: str) -> list[str]:
    stopwords = _stopwords(language)
    kept = [w for w in words if w not in stopwords and (len(w) > 1 or w.isdigit())]
    return kept if language == "kazakh" else _stemmer(language).stemWords(kept)


def tokenize_plain(text: str, language: str = "en", transliterate_names: bool = False) -> list[str]:
    """Lower-cased words, nothing removed or stemmed."""
    return _TOKEN.findall(text.lower())
