"""Whether a question asks for a figure ("How many …", "How much …", "Сколько …", "Қанша …") or a
date ("On what date …", "In what year …"), and whether a quote gives one.

A near miss quotes the very sentence the question was written from, less its figure: "How much was
Agziya Utebayeva fined?" answered with "… she was awarded an administrative fine", "How many members
sit on the National Council of Public Trust?" with "On 17 July 2019, Tokayev signed a decree on the
establishment of the National Council of Public Trust". Such a quote is no answer. A figure is a
number that is neither a date (a year, a day of a month) nor one the question itself writes (its
"71-year-old"), nor a span of time from another event ("Ten years later"), or a number word ("two",
"dozens", "несколько", "мыңдаған").
"""

from __future__ import annotations

import re
from typing import Literal

from corpus.years import YEAR
from index.search.anchors import numbers_in

_PREPOSITION = r"^\W*((?:by|to|for|of|in|since) )?"  # "By how much …", "To how many years …", "Since what year …"
# "Сколько", "қанша" anywhere: Kazakh (and often Russian) puts them mid-sentence ("Алматыда қанша адам …?").
ASKS_FIGURE = re.compile(_PREPOSITION + r"(how (many|much)|what (percentage|share|proportion|number))\b|\b(сколько|қанша)\b",
                         re.IGNORECASE)
# A question answered by a number or a date: the quote's choice favours a sentence with digits (verdict.py).
_ASKS_NUMBER = re.compile(_PREPOSITION + r"(how (many|much|long|often)|when|(what|which) year|on what date|сколько|когда|"
                          r"қанша|қашан)\b", re.IGNORECASE)

_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    r"январ[яье]|феврал[яье]|марта?|апрел[яье]|ма[яй]|июн[яье]|июл[яье]|августа?|сентябр[яье]|октябр[яье]|"
    r"ноябр[яье]|декабр[яье]|"
    r"қаңтар\w*|ақпан\w*|наурыз\w*|сәуір\w*|мамыр\w*|маусым\w*|шілде\w*|тамыз\w*|қыркүйек\w*|қазан\w*|"
    r"қараша\w*|желтоқсан\w*"
)
_DAYS = r"\d{1,2}(?:\s*[–-]\s*\d{1,2})?"
_DATE = re.compile(
    rf"\b{_DAYS}(?:st|nd|rd|th|-?го)?\s+(?:of\s+)?(?:{_MONTHS})\b|\b(?:{_MONTHS})\.?\s+{_DAYS}\b"
    r"|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b",
    re.IGNORECASE,
)
# "Ten years later", "три года назад": a time from another event, not a count, unless the question asks
# about time ("… two days after his arrest" or "three days later" can say how long he was held).
_NUMBER_WORD = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
                r"a few|several|\d+")
_SPAN_OF_TIME = re.compile(
    rf"\b(?:{_NUMBER_WORD})\s+(?:years?|months?|weeks?|days?|hours?)\s+(?:later|earlier|ago)\b"
    r"|\b(?:\d+|один|два|две|три|четыре|пять|несколько)\s+(?:год[а]?|лет|месяц\w*|недел\w*|дн\w*|час\w*)\s+"
    r"(?:назад|спустя|позже|ранее)\b",
    re.IGNORECASE,
)
# A question about time itself ("How many days after his arrest …", "How long …") is answered by one.
_SPAN_ASKED = re.compile(r"\b(later|earlier|ago|after|before|long|hours?|days?|weeks?|months?|years?|назад|спустя|"
                         r"позже|ранее|после|час\w*|дн\w*|недел\w*|месяц\w*|лет|год\w*)\b", re.IGNORECASE)
_NUMBER_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"dozens?|hundreds?|thousands?|millions?|once|twice|half|several|"
    r"один|одна|одного|два|две|двое|трое|три|четыре|пять|десят\w*|сотн\w*|сотен|тысяч\w*|миллион\w*|несколько|"
    r"бір|екі|үш|төрт|бес|ондаған|жүздеген|мыңдаған|мың|жүз|бірнеше)\b",
    re.IGNORECASE,
)


# A question that asks on what date or in what year is answered only by a quote with a date or a
# year in it ("On what date did the European Court deliver its judgment in A, B and C v. Ireland …?"
# was answered with what the Court accepted). "When …" is not among them: "after the elections" answers it.
# Russian and Kazakh put the question words anywhere ("Қазақстан қай жылы …", "… указ какого числа?").
_ASKS_DATE = re.compile(_PREPOSITION + r"(on what date|what date|(what|which) year(?![-\w]))|"
                        r"в каком году|какого числа|қай жылы|қай күні", re.IGNORECASE)
_ASKS_YEAR = re.compile(_PREPOSITION + r"((what|which) year(?![-\w]))|в каком году|қай жылы", re.IGNORECASE)
# A month in a date's place: an English one capitalised ("the march was dispersed" is none), "May" too.
_MONTH_NAMES = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|(?i:\b(?:январ[яье]|феврал[яье]|марта?|апрел[яье]|ма[яй]|июн[яье]|июл[яье]|августа?|сентябр[яье]|октябр[яье]|"
    r"ноябр[яье]|декабр[яье]|қаңтар\w*|ақпан\w*|наурыз\w*|сәуір\w*|мамыр\w*|маусым\w*|шілде\w*|тамыз\w*|"
    r"қыркүйек\w*|қазан\w*|қараша\w*|желтоқсан\w*)\b)"
)


def asks_date(question: str) -> bool:
    return bool(_ASKS_DATE.search(question))


def gives_date(text: str, question: str) -> bool:
    """Whether `text` holds the year a question asks for ("In what year …": "since mid-June" is no
    answer), or for any other date a date, a year or a month."""
    if _ASKS_YEAR.search(question):  # a year the question does not write itself
        return bool({m.group() for m in YEAR.finditer(text)} - {m.group() for m in YEAR.finditer(question)})
    return bool(_DATE.search(text) or YEAR.search(text) or _MONTH_NAMES.search(text))


Wanted = Literal["figure", "date", "year"]


def wanted(question: str) -> Wanted | None:
    """What a quote must give to answer the question: a figure, a date, a year, or nothing in particular."""
    if asks_figure(question):
        return "figure"
    if _ASKS_YEAR.search(question):
        return "year"
    return "date" if asks_date(question) else None


def gives(text: str, question: str, what: Wanted) -> bool:
    """Whether `text` gives what the question asks for (`wanted`)."""
    return gives_figure(text, question) if what == "figure" else gives_date(text, question)


def asks_figure(question: str) -> bool:
    return bool(ASKS_FIGURE.search(question))


def asks_number(question: str) -> bool:
    return bool(_ASKS_NUMBER.match(question))


def gives_figure(text: str, question: str) -> bool:
    """Whether `text` holds a figure the question does not write itself (dates left out)."""
    spans = _SPAN_OF_TIME if not _SPAN_ASKED.search(question) else None
    rest = YEAR.sub(" ", _DATE.sub(" ", spans.sub(" ", text) if spans else text))
    return bool(numbers_in(rest) - numbers_in(question)) or bool(_NUMBER_WORDS.search(rest))
