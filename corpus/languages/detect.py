"""Which registered language a text is in (English, Russian or Kazakh out of the box).

A letter that only one registered language has decides (Kazakh's ә, ғ, қ). A text without
Cyrillic letters is the Latin-script language when only one is registered. Otherwise py3langid
decides, limited to the registered languages: on short Cyrillic text the open classifier confuses
Russian and Kazakh with Ukrainian, Bulgarian or Mongolian, and the collection holds none of those.
Text in another language is labelled with the closest registered one. py3langid ships its model
inside the wheel (no download).
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.languages.profiles import LanguageProfile, registered_languages, script_of

_LETTER = re.compile(r"[^\W\d_]")


def detect_language(text: str) -> str:
    """A registered language's code ("en", "ru", "kk"); "" for text without letters (numbers, punctuation)."""
    if not _LETTER.search(text):
        return ""
    profiles = registered_languages()
    for code, letters in _decisive_letters(profiles):
        if letters.search(text):
            return code
    latin = [p.code for p in profiles if p.script == "latin"]
    if script_of(text) == "latin" and len(latin) == 1:
        return latin[0]  # no model needed
    language, _ = _identifier(tuple(p.code for p in profiles)).classify(text)
    return str(language)


@lru_cache(maxsize=4)
def _decisive_letters(profiles: tuple[LanguageProfile, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each language's letters that no other registered language has, in either case."""
    found = []
    for profile in profiles:
        others = {letter for other in profiles if other is not profile for letter in other.letters}
        own = sorted(set(profile.letters) - others)
        if own:
            found.append((profile.code, re.compile("[" + "".join(re.escape(x + x.upper()) for x in own) + "]")))
    return tuple(found)


@lru_cache(maxsize=4)
def _identifier(codes: tuple[str, ...]):
    from py3langid.langid import _load_identifier  # its bundled model: numpy arrays, no pickle

    identifier = _load_identifier()
    # A registered language py3langid does not know is found by its letters alone.
    identifier.set_languages([code for code in codes if code in identifier.nb_classes])
    return identifier
