"""Which reports a question is about: its countries and years read against what each report is about
(its countries and years, corpus/places.py and corpus/years.py).

A passage rarely names its report's country ("Since 2005, 34 cases of violence against journalists
had been recorded" never says Kyrgyzstan), so on an archive of many countries' reports the passages
that do (introductions, lists of documents, recommendations naming the State) won every question.
The search therefore splits a question in two: what it says about the report (its countries, its
years) becomes a soft preference among documents, and the rest is what the passages are asked.

- The preference scores each document 1 for being about one of the question's countries plus
  `year_weight` for being about one of its years, scaled to [0, 1]; it lifts a passage by its
  document's score (Config.document_weight), never filters one out.
- Where the question's countries tell the reports apart, their names are set aside from what the
  passages are asked, and every passage of the preferred documents becomes a candidate: a passage
  that shares no word with the question but the country's name is then still found. (A question
  naming Kazakhstan, over reports all about Kazakhstan, keeps its words, and a year alone only lifts.)
A question naming no country and no year (or only ones every report shares) prefers nothing, and
neither does a collection whose documents are mostly one passage each (a BEIR corpus: there a
passage already holds all its document says): the search is then exactly what it was without this
stage.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass

import numpy as np

from corpus.languages.profiles import find_language
from corpus.places import countries_in, without_countries
from corpus.years import years_in
from index.store import LoadedIndex

_WORD = re.compile(r"\w+")
_CAPITALISED = re.compile(r"\b[A-Z]\w{2,}")  # a publisher is named with its capital: "Amnesty", not "amnesty"


@dataclass(frozen=True)
class DocumentPreference:
    scores: np.ndarray  # per document (its line in documents.jsonl), in [0, 1]
    preferred: tuple[int, ...]  # the best-scored documents, every passage of which is a candidate (or none)
    passage_question: str  # what the passages are asked: the question, its distinguishing countries set aside
    countries: tuple[str, ...]  # the question's countries (canonical names)
    years: tuple[int, ...]


class DocumentSubjects:
    """Each document's countries and year, held as arrays for one index (built on first use)."""

    def __init__(self, index: LoadedIndex) -> None:
        self._index = index
        self._columns_built: tuple[dict[str, np.ndarray], dict[int, np.ndarray], dict[str, np.ndarray]] | None = None
        self._building = threading.Lock()
        self._cut_into_passages: bool | None = None

    def prefer(self, question: str, *, year_weight: float, documents: int) -> DocumentPreference | None:
        """The preference the question's countries and years give, or None when it prefers nothing."""
        if not self._reports():
            return None
        countries = tuple(sorted(countries_in(question)))
        years = years_in(question)
        by_country, by_year, by_publisher_word = self._columns()
        publisher_words = {w for w in _CAPITALISED.findall(question) if w.lower() in by_publisher_word}
        if not countries and not years and not publisher_words:
            return None
        size = len(self._index.documents)
        country_match, year_match, publisher_match = np.zeros(size), np.zeros(size), np.zeros(size)
        for country in countries:
            country_match[by_country.get(country, [])] = 1.0
        for year in years:
            year_match[by_year.get(year, [])] = 1.0
        for word in publisher_words:
            publisher_match[by_publisher_word[word.lower()]] = 1.0
        scores = country_match + publisher_match + year_weight * year_match
        low, high = float(scores.min()), float(scores.max())
        if high == low:  # every report alike: nothing to prefer
            return None
        scores = (scores - low) / (high - low)
        if country_match.min() == country_match.max():  # the countries tell no report apart: the year alone lifts
            return DocumentPreference(scores, (), question, countries, years)
        best = np.argsort(-scores, kind="stable")[:documents]
        preferred = tuple(int(d) for d in best if scores[d] > 0)
        return DocumentPreference(scores, preferred, without_countries(question) or question, countries, years)

    def _reports(self) -> bool:
        """Whether the collection is one of reports cut into passages, not of passages that are their
        whole document (a BEIR corpus of abstracts): there a passage already reads all its document
        says, and a preference by document would only count the same words twice."""
        if self._cut_into_passages is None:
            numbers = self._index.passages.document_numbers
            self._cut_into_passages = len(numbers) > 0 and float(np.median(np.bincount(numbers))) >= 2
        return self._cut_into_passages

    def _columns(self) -> tuple[dict[str, np.ndarray], dict[int, np.ndarray], dict[str, np.ndarray]]:
        """Country → the documents about it, year → the documents about it, and a word that names
        few of the collection's publishers ("Amnesty", "CIVICUS"; not "International") → their documents."""
        if self._columns_built is None:
            with self._building:
                if self._columns_built is None:
                    documents = self._index.documents
                    self._columns_built = (_inverted(documents.countries), _inverted(documents.years),
                                           _inverted(_publisher_words(documents.publishers)))
        return self._columns_built


def _publisher_words(publishers: list[str]) -> list[tuple[str, ...]]:
    """Each document's publisher as the words that tell it from the collection's other publishers:
    at least three letters, no stopword, not in every publisher's name."""
    names = sorted(set(publishers) - {""})
    english = find_language("en")
    stopwords = english.stopword_set if english else frozenset()
    words = {name: {w.lower() for w in _WORD.findall(name) if len(w) >= 3 and w.lower() not in stopwords} for name in names}
    count = Counter(w for found in words.values() for w in found)
    telling = {name: tuple(sorted(w for w in found if count[w] < len(names))) for name, found in words.items()}
    return [telling.get(publisher, ()) for publisher in publishers]


def _inverted(column: list[tuple]) -> dict:
    numbers: dict = {}
    for number, values in enumerate(column):
        for value in values:
            numbers.setdefault(value, []).append(number)
    return {value: np.array(found, dtype=np.int64) for value, found in numbers.items()}


def lift_by_document(ranked: list[tuple[int, float]], document_numbers: np.ndarray, preference: DocumentPreference,
                     weight: float) -> list[tuple[int, float]]:
    """The ranked passages rescored as (1 - weight) × their score scaled to [0, 1] over the list plus
    weight × their document's preference, best first (ties keep the list's order)."""
    if not ranked:
        return ranked
    scores = np.array([score for _, score in ranked])
    low, high = scores.min(), scores.max()
    scaled = (scores - low) / (high - low) if high > low else np.ones_like(scores)
    positions = np.array([p for p, _ in ranked], dtype=np.int64)
    lifted = (1 - weight) * scaled + weight * preference.scores[document_numbers[positions]]
    order = np.argsort(-lifted, kind="stable")
    return [(int(positions[i]), float(lifted[i])) for i in order]
