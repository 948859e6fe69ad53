"""The languages Verbatim reads out of the box: English, Russian and Kazakh, the collection's three.

Kazakh has no Snowball stemmer, so its words are kept whole, and what Verbatim knows of its
endings is written here: the case endings stripped from a declined name, and the endings a
dictionary stem may take in the glossary, built from the same lists.
"""

from __future__ import annotations

import re

from corpus.languages.profiles import LanguageProfile, WordEndings

# The commonest Kazakh case endings, stripped from any word: Алматыда → Алматы, Тоқаевтың → Тоқаев.
# Not a stemmer; it only lets a declined name meet its English spelling.
KAZAKH_CASE_ENDINGS = (
    "ындағы", "індегі", "ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі", "ның", "нің", "дың", "дің", "тың", "тің",
    "нан", "нен", "дан", "ден", "тан", "тен", "мен", "бен", "пен", "ға", "ге", "қа", "ке", "на", "не", "да", "де", "та", "те",
    "ны", "ні", "ды", "ді", "ты", "ті",
)
# Case endings too short, or only found after a possessive, to strip from an unknown word (Астана is
# not Астан + а): only a dictionary stem takes them.
KAZAKH_CASE_AFTER_STEM = ("ымен", "імен", "нда", "нде", "н", "а", "е")
# What a Kazakh noun takes after an unmarked stem, in order: plural, possessive, case, then "of".
KAZAKH_PLURAL = ("лар", "лер", "дар", "дер", "тар", "тер")
KAZAKH_POSSESSIVE = (
    "ымыз", "іміз", "ыңыз", "іңіз", "мыз", "міз", "ңыз", "ңіз", "ым", "ім", "ың", "ің", "сы", "сі", "ы", "і", "м", "ң",
)
KAZAKH_OF = ("ғы", "гі", "қы", "кі")  # күнгі: of the day


def _one_of(endings: tuple[str, ...]) -> str:
    return "(" + "|".join(endings) + ")"


KAZAKH_ENDINGS = WordEndings(
    case=re.compile(_one_of(KAZAKH_CASE_ENDINGS) + "$"),
    inflection=re.compile("".join(
        _one_of(group) + "?"
        for group in (KAZAKH_PLURAL, KAZAKH_POSSESSIVE, KAZAKH_CASE_ENDINGS + KAZAKH_CASE_AFTER_STEM, KAZAKH_OF)
    )),
    # Before an ending that starts with a vowel, a final қ, к or п voices: құқық → құқығы, мектеп → мектебі.
    voicing=(("қ", "ғ"), ("к", "г"), ("п", "б")),
    vowels=frozenset("аәеиоөуұүыіэюя"),
)

ENGLISH = LanguageProfile(
    code="en", name="English", script="latin", stemmer="english", stopwords="STOPWORDS_EN", glossary_column=0,
)
RUSSIAN = LanguageProfile(
    code="ru", name="Russian", script="cyrillic", stemmer="russian", stopwords="STOPWORDS_RUSSIAN",
    transliterate=True, glossary_column=1,
)
KAZAKH = LanguageProfile(
    code="kk", name="Kazakh", script="cyrillic", stemmer=None, letters="әғқңөұүһі", endings=KAZAKH_ENDINGS,
    transliterate=True, glossary_column=2,
    borrows_from=("ru",),  # a Kazakh question often borrows Russian words: митинг, полиция
)
BUILT_IN = (ENGLISH, RUSSIAN, KAZAKH)
