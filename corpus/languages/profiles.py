"""What Verbatim knows of a language, in one profile, and the registry of the languages it reads.

Detection, BM25's analysis, Latin spellings and the glossary all read the profiles; none names a
language. The built-in ones (English, Russian, Kazakh) are in builtin.py; adding a language is a
profile there, or `register_language` at run time (a test's language), plus tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

# The scripts a profile may be written in. A word with a Cyrillic letter is Cyrillic; any other
# word (Latin letters, digits, other scripts) is read as Latin, the collection's other script.
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
SCRIPTS = ("latin", "cyrillic")  # in the order a text's words are analysed


def script_of(text: str) -> str:
    return "cyrillic" if CYRILLIC.search(text) else "latin"


@dataclass(frozen=True)
class WordEndings:
    """A language's endings where Verbatim needs them: for a language Snowball cannot stem (Kazakh),
    a declined name's case is stripped before its Latin spelling, and a dictionary stem is
    recognised with the endings it may take."""

    case: re.Pattern[str]  # case endings at a word's end, stripped from any word: Алматыда → Алматы
    inflection: re.Pattern[str]  # every run of endings a dictionary stem may take (fullmatch)
    voicing: tuple[tuple[str, str], ...] = ()  # a stem's last consonant → its form before a vowel: қ → ғ
    vowels: frozenset[str] = frozenset()
    shortest_stem: int = 3  # stripping a case leaves at least this many letters, or the word stays

    def strip_case(self, word: str) -> str:
        stripped = self.case.sub("", word)
        return stripped if len(stripped) >= self.shortest_stem else word

    def inflects(self, ending: str) -> bool:
        return self.inflection.fullmatch(ending) is not None

    def unvoiced(self, stem: str, rest: str) -> str:
        """The dictionary form of a stem whose last consonant voiced before `rest` (құқығ-ы → құқық), or ""."""
        if not rest[:1] or rest[0] not in self.vowels:
            return ""
        plain = {voiced: plain for plain, voiced in self.voicing}
        return stem[:-1] + plain[stem[-1]] if stem and stem[-1] in plain else ""


NO_ENDINGS = WordEndings(case=re.compile(r"(?!)"), inflection=re.compile(""))  # a word is only itself


@dataclass(frozen=True)
class LanguageProfile:
    """One language as detection, BM25 and the glossary read it."""

    code: str  # ISO 639-1, as py3langid and manifests write it: "kk"
    name: str  # as the interface names it: "Kazakh"
    script: str  # one of SCRIPTS: which of a text's words it reads
    stemmer: str | None  # PyStemmer's Snowball algorithm, or None: words are kept whole
    stopwords: frozenset[str] | str = frozenset()  # or the name of bm25s's list, read when first needed (slow import)
    # Letters its alphabet adds to its script's first language's (Russian's, English's); one that
    # no other registered language has decides detection: Kazakh's ә, ғ, қ.
    letters: str = ""
    endings: WordEndings | None = None  # for a language kept whole: its case and word endings
    transliterate: bool = False  # its words also get Latin spellings for BM25 (Токаев ~ tokayev)
    glossary_column: int | None = None  # its column of glossary.tsv; column 0 is the one the glossary is written from
    borrows_from: tuple[str, ...] = ()  # languages its texts borrow words from: the glossary looks there too

    def __post_init__(self) -> None:
        if self.script not in SCRIPTS:
            raise ValueError(f"language {self.code!r}: script {self.script!r} is not one of {', '.join(SCRIPTS)}")
        if self.transliterate and self.script != "cyrillic":
            raise ValueError(f"language {self.code!r}: only Cyrillic has a table of Latin spellings")

    @property
    def stopword_set(self) -> frozenset[str]:
        return self.stopwords if isinstance(self.stopwords, frozenset) else _bm25s_stopwords(self.stopwords)


@lru_cache(maxsize=8)
def _bm25s_stopwords(name: str) -> frozenset[str]:
    import bm25s.stopwords

    return frozenset(getattr(bm25s.stopwords, name))


_REGISTRY: dict[str, LanguageProfile] = {}
_NAMES: dict[str, str] = {}
NAMES = MappingProxyType(_NAMES)  # code → name of every registered language, kept current


def register_language(profile: LanguageProfile) -> None:
    if profile.code in _REGISTRY:
        raise ValueError(f"language {profile.code!r} is already registered")
    _REGISTRY[profile.code] = profile
    _NAMES[profile.code] = profile.name


def unregister_language(code: str) -> None:
    del _REGISTRY[code]
    del _NAMES[code]


def find_language(code: str) -> LanguageProfile | None:
    return _REGISTRY.get(code)


def registered_languages() -> tuple[LanguageProfile, ...]:
    """In the order they were registered: English, Russian, Kazakh, then any added."""
    return tuple(_REGISTRY.values())


def language_codes() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def reader(script: str, language: str = "") -> LanguageProfile:
    """The profile that reads a text's words of `script`: the text's own language when it is written
    in that script, otherwise the script's first language (Cyrillic words in an English text are
    read as Russian, Latin words in a Kazakh text as English)."""
    profile = _REGISTRY.get(language)
    if profile is not None and profile.script == script:
        return profile
    for profile in _REGISTRY.values():
        if profile.script == script:
            return profile
    raise LookupError(f"no registered language is written in {script} script")
