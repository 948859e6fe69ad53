"""Russian and Kazakh Cyrillic in Latin letters, the way English-language reports spell names:
Токаев → tokayev, Алматы → almaty, Нұр-Сұлтан → nur-sultan, Жанаозен → zhanaozen.

A small table rather than a library: the lexical side needs one spelling per word, and the one
English reports on Kazakhstan use (BGN/PCGN-like: х → kh, ж → zh, е → ye after a vowel) is what
makes a Cyrillic name match its English form. Which languages' words get these spellings is
their profile's `transliterate` (profiles.py).
"""

from __future__ import annotations

import re

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # Kazakh letters that Russian does not have
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}
_VOWELS = set("аеёиоуыэюяәөұүі")
_ADJECTIVE_END = re.compile(r"(ий|ый)$")  # Медеуский → medeusky, as English spells it


def transliterate(word: str) -> str:
    """The Latin spelling of a lower-case Cyrillic word; other characters pass through."""
    word = _ADJECTIVE_END.sub("y", word)
    out = []
    for i, letter in enumerate(word):
        if letter == "е" and (i == 0 or word[i - 1] in _VOWELS or word[i - 1] in "ъь"):
            out.append("ye")  # Ерімбетов → yerimbetov, Токаев → tokayev
        else:
            out.append(_LETTERS.get(letter, letter))
    return "".join(out)
