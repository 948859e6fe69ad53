"""Dictionary-based query translation for BM25: a Russian or Kazakh question also asks for the
English words of the things it names (задержали → detain, arrest; сайлауда → election), and an
English or Kazakh question for the Russian ones.

This is the classic cross-language retrieval method that needs no translation model, which
Verbatim cannot download. Without it BM25 matches a question in another language than a passage
by names and numbers only, and the dense side carries the whole question alone. The dictionary,
corpus/languages/glossary.tsv, holds the field's words (the commonest content words of the bundled reports),
so it helps questions about protests, detentions and trials, and does nothing for other words.

The same dictionary writes a question code-switched, its dictionary words in English, for a model
that reads the question's language poorly (index/search/query.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).with_name("glossary.tsv")
_WORD = re.compile(r"\w+")
# Endings a Kazakh noun takes after an unmarked stem: plural, possessive, case, then "of".
_KAZAKH_ENDINGS = re.compile(
    r"(лар|лер|дар|дер|тар|тер)?"
    r"(ымыз|іміз|ыңыз|іңіз|мыз|міз|ңыз|ңіз|ым|ім|ың|ің|сы|сі|ы|і|м|ң)?"
    r"(ындағы|індегі|ндағы|ндегі|дағы|дегі|тағы|тегі|ның|нің|дың|дің|тың|тің|нан|нен|дан|ден|тан|тен|"
    r"ымен|імен|мен|бен|пен|ға|ге|қа|ке|на|не|ны|ні|ды|ді|ты|ті|да|де|та|те|нда|нде|н|а|е)?"
    r"(ғы|гі|қы|кі)?"  # "of": күнгі, of the day
)
# Before an ending that starts with a vowel, a final қ, к or п voices: құқық → құқығы, мектеп → мектебі.
_VOICED = {"қ": "ғ", "к": "г", "п": "б"}
_VOWELS = set("аәеиоөуұүыіэюя")


@dataclass(frozen=True)
class Entry:
    """What a Russian or Kazakh dictionary word means."""

    english: frozenset[str]  # English BM25 stems
    russian: frozenset[str]  # Russian BM25 stems
    gloss: str  # the English word it is written as in a code-switched question
    prefix: bool = False  # Kazakh: the stem begins any word (ұста*), not only itself with endings


@dataclass(frozen=True)
class Glossary:
    english: dict[str, frozenset[str]]  # English stem → the Russian stems of the same things
    russian: dict[str, Entry]  # Russian stem → its meaning
    kazakh: dict[str, Entry]  # Kazakh stem → its meaning

    def translate(self, text: str, language: str) -> list[str]:
        """BM25 tokens, in the other languages, of the dictionary words in `text` (in `language`)."""
        from corpus.languages.analysis import english_stems

        words = _WORD.findall(text.lower())
        if language not in ("ru", "kk"):
            return sorted({russian for stem in english_stems(words) for russian in self.english.get(stem, ())})
        found: set[str] = set()
        for word in words:
            # A Kazakh question often borrows Russian words (митинг, полиция): they are looked up too.
            for entry in (self._kazakh_word(word) if language == "kk" else None, self._russian_word(word)):
                if entry is not None:
                    found |= entry.english | entry.russian
        return sorted(found)

    def code_switch(self, text: str, language: str) -> str:
        """The question with each dictionary word written as its English word, the rest as it is:
        "Алматыда қанша адам ұсталды?" → "Алматыда қанша human detain?". For a model that reads the
        question's language poorly (Kazakh, for multilingual-e5-small), the words it knows well."""
        if language not in ("ru", "kk"):
            return text

        def english(match: re.Match[str]) -> str:
            word = match.group(0).lower()
            entry = (self._kazakh_word(word) if language == "kk" else None) or self._russian_word(word)
            return entry.gloss if entry is not None else match.group(0)

        return _WORD.sub(english, text)

    def _russian_word(self, word: str) -> Entry | None:
        from corpus.languages.analysis import russian_stems

        if len(word) < 3:  # a Kazakh particle (ма, ме: a question's "?") is no Russian word
            return None
        stems = russian_stems([word])
        return self.russian.get(stems[0]) if stems else None

    def _kazakh_word(self, word: str) -> Entry | None:
        """The meaning of the longest dictionary stem the word is made of, if any."""
        for length in range(len(word), 1, -1):
            rest = word[length:]
            for stem in (word[:length], _unvoiced(word[:length]) if rest[:1] in _VOWELS else ""):
                entry = self.kazakh.get(stem)
                if entry is not None and (entry.prefix or _KAZAKH_ENDINGS.fullmatch(rest)):
                    return entry
        return None


def _unvoiced(stem: str) -> str:
    back = {voiced: plain for plain, voiced in _VOICED.items()}
    return stem[:-1] + back[stem[-1]] if stem and stem[-1] in back else ""


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    from corpus.languages.analysis import english_stems, russian_stems

    english: dict[str, set[str]] = {}
    russian: dict[str, Entry] = {}
    kazakh: dict[str, Entry] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 3 or not columns[0].strip():
            raise ValueError(f"{path}:{number}: expected English, Russian and Kazakh columns separated by tabs")
        en = frozenset(english_stems(columns[0].lower().split()))
        ru = frozenset(russian_stems(columns[1].lower().split()))
        gloss = columns[0].split()[0]
        for stem in en:
            english.setdefault(stem, set()).update(ru)
        for stem in ru:
            russian[stem] = _merged(russian.get(stem), Entry(en, ru, gloss))
        for word in columns[2].lower().split():
            stem = word.rstrip("*")
            kazakh[stem] = _merged(kazakh.get(stem), Entry(en, ru, gloss, prefix=word.endswith("*")))
    return Glossary({stem: frozenset(found) for stem, found in english.items()}, russian, kazakh)


def _merged(known: Entry | None, entry: Entry) -> Entry:
    """A word on two lines (қамақ: arrest, custody) means both; it is written as the first."""
    if known is None:
        return entry
    return Entry(known.english | entry.english, known.russian | entry.russian, known.gloss, entry.prefix)
