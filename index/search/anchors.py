"""A question's anchors: the names, places, years and numbers it is about, and whether a text holds
them, across case, inflection, script (Алматы ~ Almaty, Оян ~ Oyan), the names of a country
(Qazaqstan ~ Kazakhstan) and the field's glossary.

An answer whose passage and report hold none of the question's anchors answers another question
("How many protesters were killed in Andijan in 2005?" answered with a sentence on Almaty in 2022):
the verdict (verdict.py) reads them before it calls anything an answer, and says which were not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from corpus.languages.analysis import same_word, tokenize
from corpus.languages.glossary import load_glossary
from corpus.places import countries_in, country_mentions
from corpus.years import YEAR

AnchorKind = Literal["name", "place", "year", "number"]

# A capitalised word that starts no sentence; runs of them are one name ("Asya Tulesova").
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w'’-]*")
_NUMBER = re.compile(r"(?<![\w.,-])\d[\d,.\u00a0\u202f]*\d(?![\w])|(?<![\w.,-])\d(?![\w.,])")
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}\b)")
_SENTENCE_END = re.compile(r"[.!?:;\"“«(]\s*$")
# Capitalised words that are no anchor: question words and the like at a sentence's start are left
# out anyway; these are the ones a question writes with a capital anywhere.
_NOT_NAMES = frozenset([
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "i",
    "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
    "декабрь", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря", "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
    "қыркүйек", "қазан", "қараша", "желтоқсан",
])
# Words a question capitalises that name a kind of body or office, not one: alone they are no anchor
# ("the Supreme Court", "the Government"), and in a name they are not what must be found
# ("President Tokayev" is there when Tokayev is).
_TITLE_WORDS = frozenset([
    "government", "court", "supreme", "constitutional", "committee", "commission", "council", "ministry",
    "minister", "deputy", "parliament", "president", "prime", "assembly", "office", "police", "prosecutor",
    "prosecutor's", "general", "constitution", "code", "article", "law", "act", "republic", "national",
    "state", "un", "united", "nations", "human", "rights", "special", "rapporteur", "working", "group",
    "universal", "periodic", "review", "agency", "bureau", "service", "department", "security", "high",
    "commissioner", "ombudsman", "mr", "mrs", "ms", "dr", "правительство", "верховный", "суд",
    "конституционный", "комитет", "комиссия", "совет", "министерство", "министр", "парламент", "президент",
    "прокуратура", "прокурор", "генеральный", "конституция", "кодекс", "статья", "закон", "оон", "республика",
    "үкімет", "жоғарғы", "сот", "кеңес", "министрлік", "бап", "заң", "бұұ",
])


@dataclass(frozen=True)
class Anchor:
    text: str  # as the question writes it: "Andijan", "2005", "Asya Tulesova"
    kind: AnchorKind
    forms: tuple[frozenset[str], ...]  # per word: the stems any of which is that word
    country: str = ""  # a place that is a country: found where a text names the country by any name


def question_anchors(question: str, language: str = "en") -> tuple[Anchor, ...]:
    """The question's anchors, in the order it names them."""
    anchors: list[tuple[int, Anchor]] = []
    taken: list[tuple[int, int]] = []
    for start, end, country in country_mentions(question):
        anchors.append((start, Anchor(question[start:end], "place", (), country)))
        taken.append((start, end))
    for match in YEAR.finditer(question):
        if not _overlaps(match.span(), taken):
            anchors.append((match.start(), Anchor(match.group(0), "year", (frozenset({match.group(0)}),))))
            taken.append(match.span())
    for match in _NUMBER.finditer(question):
        digits = _THOUSANDS.sub("", match.group(0))
        if not _overlaps(match.span(), taken) and digits:
            anchors.append((match.start(), Anchor(match.group(0), "number", (frozenset({digits}),))))
            taken.append(match.span())
    for start, end in _name_runs(question, taken):
        words = [w for w in question[start:end].split() if _bare(w).lower() not in _TITLE_WORDS]
        forms = tuple(_forms(word, language) for word in words)
        if any(forms):
            anchors.append((start, Anchor(question[start:end], "name", tuple(f for f in forms if f))))
    ordered = [anchor for _, anchor in sorted(anchors, key=lambda pair: pair[0])]
    return tuple({anchor.text: anchor for anchor in ordered}.values())  # "10–11 … 10–11" once


def _forms(word: str, language: str) -> frozenset[str]:
    """A name's word as it may be written: its stems and Latin spellings, and where it is one of the
    glossary's words, those of its translations. Russian and Kazakh capitalise only a name's first
    word, often a plain one ("День независимости", "Әкімшілік кодекс"), which an English report
    writes in its own words (Independence Day, the Administrative Code); and an acronym has its own
    letters in each language (ДВК, ҚДТ ~ DCK)."""
    return frozenset(tokenize(word, language, True)) | frozenset(load_glossary().translate(word, language))


def _bare(word: str) -> str:
    return word.strip("'’-").removesuffix("'s").removesuffix("’s")


@dataclass(frozen=True)
class TextWords:
    """What a text holds, as anchors are matched against it: its stems (with Latin spellings of
    Cyrillic words) and the countries it names."""

    stems: frozenset[str]
    countries: frozenset[str]

    @classmethod
    def of(cls, text: str, language: str = "en", countries: tuple[str, ...] = ()) -> TextWords:
        return cls(frozenset(tokenize(text, language, True)) | numbers_in(text),
                   frozenset(countries_in(text)) | frozenset(countries))

    def holds(self, anchor: Anchor) -> bool:
        if anchor.country:
            return anchor.country in self.countries
        found = [any(same_word(form, self.stems) for form in forms) for forms in anchor.forms]
        # A name of several words is there when all are, or its last (a surname, "President Tokayev").
        return bool(found) and (all(found) or found[-1])


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a text writes, as digits ("1,000" and "1 000" are "1000")."""
    return frozenset(_THOUSANDS.sub("", m.group(0)) for m in _NUMBER.finditer(text))


def _name_runs(question: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of runs of capitalised words that start no sentence and are not taken already."""
    runs: list[tuple[int, int]] = []
    for match in _CAPITALISED.finditer(question):
        word = match.group(0)
        if _overlaps(match.span(), taken) or word.lower() in _NOT_NAMES or len(word) < 2:
            continue
        before = question[: match.start()]
        # A sentence's first word is no name ("What"), unless in capitals ("DCK", "OSCE").
        if (not before.strip() or _SENTENCE_END.search(before)) and not word.isupper():
            continue
        if runs and question[runs[-1][1] : match.start()].strip() == "":
            runs[-1] = (runs[-1][0], match.end())
        else:
            runs.append(match.span())
    return runs


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)
