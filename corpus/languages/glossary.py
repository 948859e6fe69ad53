"""Dictionary-based query translation for BM25: a Russian or Kazakh question also asks for the
English words of the things it names (задержали → detain, arrest; сайлауда → election), and an
English or Kazakh question for the Russian ones.

This is the classic cross-language retrieval method that needs no translation model, which
Verbatim cannot download. Without it BM25 matches a question in another language than a passage
by names and numbers only, and the dense side carries the whole question alone. The dictionary,
corpus/languages/glossary.tsv, holds the field's words (the commonest content words of the bundled reports),
so it helps questions about protests, detentions and trials, and does nothing for other words.

Its columns are the languages whose profiles name one (profiles.py: glossary_column); the first,
English, is the one it is written from.

The same dictionary writes a question code-switched, its dictionary words in English, for a model
that reads the question's language poorly (index/search/query.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from corpus.languages.analysis import stems
from corpus.languages.profiles import NO_ENDINGS, LanguageProfile, find_language, registered_languages

GLOSSARY_FILE = Path(__file__).with_name("glossary.tsv")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Entry:
    """What a dictionary word of one language means."""

    tokens: frozenset[str]  # its BM25 stems in the languages the glossary stems (English, Russian)
    gloss: str  # the English word it is written as in a code-switched question
    prefix: bool = False  # a word kept whole (Kazakh): the stem begins any word (ұста*), not only itself with endings


@dataclass(frozen=True)
class Glossary:
    language: str  # the one it is written from, its first column: "en"
    source: dict[str, frozenset[str]]  # English stem → the other languages' stems of the same things
    words: dict[str, dict[str, Entry]]  # language ("ru", "kk") → its dictionary stem → its meaning

    def translate(self, text: str, language: str) -> list[str]:
        """BM25 tokens, in the other languages, of the dictionary words in `text` (in `language`)."""
        words = _WORD.findall(text.lower())
        profile = find_language(language)
        if profile is None or profile.code not in self.words:  # English, or a language without a column
            return sorted({other for stem in stems(words, self.language) for other in self.source.get(stem, ())})
        found: set[str] = set()
        for word in words:
            for entry in self._entries(word, profile):
                found |= entry.tokens
        return sorted(found)

    def code_switch(self, text: str, language: str) -> str:
        """The question with each dictionary word written as its English word, the rest as it is:
        "Алматыда қанша адам ұсталды?" → "Алматыда қанша human detain?". For a model that reads the
        question's language poorly (Kazakh, for multilingual-e5-small), the words it knows well."""
        profile = find_language(language)
        if profile is None or profile.code not in self.words:
            return text

        def english(match: re.Match[str]) -> str:
            entry = next(self._entries(match.group(0).lower(), profile), None)
            return entry.gloss if entry is not None else match.group(0)

        return _WORD.sub(english, text)

    def _entries(self, word: str, profile: LanguageProfile) -> Iterator[Entry]:
        """The word's meanings: in its own language's column, then in those its texts borrow from."""
        for code in (profile.code, *profile.borrows_from):
            language = find_language(code)
            entry = self._entry(word, language) if language is not None and code in self.words else None
            if entry is not None:
                yield entry

    def _entry(self, word: str, profile: LanguageProfile) -> Entry | None:
        table = self.words[profile.code]
        if profile.stemmer is not None:
            if len(word) < 3:  # a Kazakh particle (ма, ме: a question's "?") is no Russian word
                return None
            found = stems([word], profile.code)
            return table.get(found[0]) if found else None
        # A word kept whole (Kazakh): the longest dictionary stem it is made of, if any.
        endings = profile.endings or NO_ENDINGS
        for length in range(len(word), 1, -1):
            stem, rest = word[:length], word[length:]
            for candidate in (stem, endings.unvoiced(stem, rest)):
                entry = table.get(candidate)
                if entry is not None and (entry.prefix or endings.inflects(rest)):
                    return entry
        return None


def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    return _read(path, _glossary_languages())


def _glossary_languages() -> tuple[LanguageProfile, ...]:
    """The registered languages that have a column, in the columns' order."""
    having = sorted((p for p in registered_languages() if p.glossary_column is not None), key=lambda p: p.glossary_column or 0)
    if [p.glossary_column for p in having] != list(range(len(having))):
        raise ValueError(f"the glossary's columns are {[p.glossary_column for p in having]}; expected 0, 1, 2, ... in order")
    return tuple(having)


@lru_cache(maxsize=2)
def _read(path: Path, languages: tuple[LanguageProfile, ...]) -> Glossary:
    names = [p.name for p in languages]
    expected = f"expected {', '.join(names[:-1])} and {names[-1]} columns separated by tabs"
    glossary = Glossary(languages[0].code, {}, {p.code: {} for p in languages[1:]})
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != len(languages) or not columns[0].strip():
            raise ValueError(f"{path}:{number}: {expected}")
        _add(glossary, dict(zip((p.code for p in languages), columns, strict=True)), languages)
    return glossary


def _add(glossary: Glossary, columns: dict[str, str], languages: tuple[LanguageProfile, ...]) -> None:
    """One line: one thing, in each language's words."""
    source, others = languages[0], languages[1:]
    written = {code: column.lower().split() for code, column in columns.items()}
    stemmed = {p.code: frozenset(stems(written[p.code], p.code)) for p in languages if p.stemmer is not None}
    tokens = frozenset().union(*stemmed.values())
    translations = frozenset().union(*(found for code, found in stemmed.items() if code != source.code))
    gloss = columns[source.code].split()[0]
    for stem in stemmed[source.code]:
        glossary.source[stem] = glossary.source.get(stem, frozenset()) | translations
    for profile in others:
        table = glossary.words[profile.code]
        if profile.stemmer is not None:
            for stem in stemmed[profile.code]:
                table[stem] = _merged(table.get(stem), Entry(tokens, gloss))
        else:  # kept whole: the column holds stems; one marked * begins any word
            for word in written[profile.code]:
                stem = word.rstrip("*")
                table[stem] = _merged(table.get(stem), Entry(tokens, gloss, prefix=word.endswith("*")))


def _merged(known: Entry | None, entry: Entry) -> Entry:
    """A word on two lines (қамақ: arrest, custody) means both; it is written as the first."""
    if known is None:
        return entry
    return Entry(known.tokens | entry.tokens, known.gloss, entry.prefix)
