"""Dictionary-based query translation for BM25: a Russian or Kazakh question also asks for the
English words of the things it names (задержали → detain, arrest; сайлауда → election), and an
English or Kazakh question for the Russian ones.

This is the classic cross-language retrieval method that needs no translation model, which
Verbatim cannot download. Without it BM25 matches a question in another language than a passage
by names and numbers only, and the dense side carries the whole question alone. The dictionary,
index/glossary.tsv, holds the field's words (the commonest content words of the bundled reports),
so it helps questions about protests, detentions and trials, and does nothing for other words.
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
class Glossary:
    english: dict[str, frozenset[str]]  # English stem → the Russian stems of the same things
    russian: dict[str, frozenset[str]]  # Russian stem → English stems
    kazakh: dict[str, tuple[frozenset[str], frozenset[str], bool]]  # stem → English, Russian stems; prefix?

    def translate(self, text: str, language: str) -> list[str]:
        """BM25 tokens, in the other languages, of the dictionary words in `text` (in `language`)."""
        from index.lexical import english_stems, russian_stems

        words = _WORD.findall(text.lower())
        found: set[str] = set()
        if language == "ru":
            for stem in russian_stems(words):
                found |= self.russian.get(stem, frozenset())
        elif language == "kk":
            for word in words:
                english, russian = self._kazakh_word(word)
                found |= english | russian
            # A Kazakh question often borrows Russian words (митинг, полиция): look them up too.
            for stem in russian_stems(words):
                found |= self.russian.get(stem, frozenset())
        else:
            for stem in english_stems(words):
                found |= self.english.get(stem, frozenset())
        return sorted(found)

    def _kazakh_word(self, word: str) -> tuple[frozenset[str], frozenset[str]]:
        """The meaning of the longest dictionary stem the word is made of, if any."""
        for length in range(len(word), 1, -1):
            rest = word[length:]
            for stem in (word[:length], _unvoiced(word[:length]) if rest[:1] in _VOWELS else ""):
                entry = self.kazakh.get(stem)
                if entry is not None and (entry[2] or _KAZAKH_ENDINGS.fullmatch(rest)):
                    return entry[0], entry[1]
        return frozenset(), frozenset()


def _unvoiced(stem: str) -> str:
    back = {voiced: plain for plain, voiced in _VOICED.items()}
    return stem[:-1] + back[stem[-1]] if stem and stem[-1] in back else ""


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    from index.lexical import english_stems, russian_stems

    english: dict[str, set[str]] = {}
    russian: dict[str, set[str]] = {}
    kazakh: dict[str, tuple[frozenset[str], frozenset[str], bool]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 3:
            raise ValueError(f"{path}:{number}: expected English, Russian and Kazakh columns separated by tabs")
        en = frozenset(english_stems(columns[0].lower().split()))
        ru = frozenset(russian_stems(columns[1].lower().split()))
        for stem in en:
            english.setdefault(stem, set()).update(ru)
        for stem in ru:
            russian.setdefault(stem, set()).update(en)
        for stem in columns[2].lower().split():
            prefix = stem.endswith("*")
            kazakh[stem.rstrip("*")] = (en, ru, prefix)
    return Glossary({k: frozenset(v) for k, v in english.items()}, {k: frozenset(v) for k, v in russian.items()}, kazakh)
