"""Which reports a question is about: its countries, years and publishers, read against what each
report is about (its countries and years: corpus/places.py, corpus/years.py) and who published it.

A passage rarely names its report's country ("Since 2005, 34 cases of violence against journalists
had been recorded" never says Kyrgyzstan), so on an archive of many countries' reports the passages
that do (introductions, lists of documents, recommendations naming the State) won every question.
The search therefore splits a question in two: what it says about the report becomes a soft
preference among documents, and the rest is what the passages are asked.

- The preference scores each document 1 for being about one of the question's countries, 1 for
  being by a publisher it names, and `year_weight` for being about one of its years, scaled to
  [0, 1] over the documents the filters leave; it lifts a passage by its document's score
  (Config.document_weight), never filters one out.
- Where the question's countries tell the reports apart, their names are set aside from what the
  passages are asked, and every passage of the best-preferred documents becomes a candidate: a
  passage that shares no word with the question but the country's name is then still found. (A
  question naming Kazakhstan, over reports all about Kazakhstan, keeps its words; a year or a
  publisher alone only lifts.)
A question naming none of these (or only ones every report shares) prefers nothing, and neither
does a collection whose documents are mostly one passage each (a BEIR corpus: there a passage
already holds all its document says): the search is then exactly what it was without this stage.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from corpus.places import countries_in, without_countries
from corpus.years import YEAR
from index.store import LoadedIndex

_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{2,}\b")  # "ACCA", "CIVICUS", "OHCHR"
_NAME_WORD = re.compile(r"[A-Z][a-z]\w{2,}")  # "Amnesty", "Open"
# A number after these is a count ("more than 2000 people"), not a year.
_COUNTED = re.compile(r"(?:than|about|over|some|nearly|almost|around|approximately|up\s+to|least|of)\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class DocumentPreference:
    scores: np.ndarray  # per document (its line in documents.jsonl), in [0, 1]
    # Whether the question's countries tell the reports apart: then the passages are asked the
    # question without them, and the best-preferred reports' passages all become candidates.
    distinguishing: bool
    passage_question: str  # what the passages are asked


class DocumentSubjects:
    """Each document's countries, years and publisher, held as inverted lists for one index (built on
    first use, once, whichever thread asks first)."""

    def __init__(self, index: LoadedIndex) -> None:
        self._index = index
        self._columns_built: tuple[dict[str, np.ndarray], dict[int, np.ndarray], dict[str, np.ndarray]] | None = None
        self._building = threading.Lock()
        self._cut_into_passages: bool | None = None

    def prefer(self, question: str, *, year_weight: float, allowed: np.ndarray | None = None) -> DocumentPreference | None:
        """The preference the question's countries, years and publishers give among the documents
        (only those with a passage in `allowed`, when a filter is set), or None when it prefers nothing."""
        if not self._reports():
            return None
        countries = tuple(sorted(countries_in(question)))
        years = question_years(question)
        by_country, by_year, by_publisher = self._columns()
        publishers = tuple(sorted(name for name in by_publisher if names_publisher(question, name)))
        if not countries and not years and not publishers:
            return None
        size = len(self._index.documents)
        country_match, year_match, publisher_match = np.zeros(size), np.zeros(size), np.zeros(size)
        for country in countries:
            country_match[by_country.get(country, [])] = 1.0
        for year in years:
            year_match[by_year.get(year, [])] = 1.0
        for name in publishers:
            publisher_match[by_publisher[name]] = 1.0
        scores = country_match + publisher_match + year_weight * year_match
        within = np.ones(size, dtype=bool)
        if allowed is not None:  # compared among the reports the filters leave
            within = np.zeros(size, dtype=bool)
            within[np.unique(self._index.passages.document_numbers[allowed])] = True
        if not within.any():
            return None
        low, high = float(scores[within].min()), float(scores[within].max())
        if high == low:  # every report alike: nothing to prefer
            return None
        scores = np.clip((scores - low) / (high - low), 0.0, 1.0)
        distinguishing = bool(country_match[within].min() < country_match[within].max())
        asked = (without_countries(question) or question) if distinguishing else question
        return DocumentPreference(scores, distinguishing, asked)

    def _reports(self) -> bool:
        """Whether the collection is one of reports cut into passages, not of passages that are their
        whole document (a BEIR corpus of abstracts): there a passage already reads all its document
        says, and a preference by document would only count the same words twice."""
        if self._cut_into_passages is None:
            numbers = self._index.passages.document_numbers
            self._cut_into_passages = len(numbers) > 0 and float(np.median(np.bincount(numbers))) >= 2
        return self._cut_into_passages

    def _columns(self) -> tuple[dict[str, np.ndarray], dict[int, np.ndarray], dict[str, np.ndarray]]:
        """Country → the documents about it, year → the documents about it, publisher → its documents."""
        if self._columns_built is None:
            with self._building:
                if self._columns_built is None:
                    documents = self._index.documents
                    named = [(p,) if p else () for p in documents.publishers]
                    self._columns_built = (_inverted(documents.countries), _inverted(documents.years), _inverted(named))
        return self._columns_built


def preferred_documents(preference: DocumentPreference, lists: Iterable[list[tuple[int, float]]],
                        document_numbers: np.ndarray, count: int) -> tuple[int, ...]:
    """The `count` best-preferred documents (score above 0), ties broken by the best rank any of
    their passages reached in the retrievers' lists, then by their order in the collection."""
    best_rank: dict[int, int] = {}
    for ranking in lists:
        for rank, (position, _) in enumerate(ranking):
            document = int(document_numbers[position])
            best_rank[document] = min(rank, best_rank.get(document, rank))
    unseen = len(document_numbers) + 1
    candidates = np.flatnonzero(preference.scores > 0).tolist()
    ordered = sorted(candidates, key=lambda d: (-preference.scores[d], best_rank.get(d, unseen), d))
    return tuple(ordered[:count])


def names_publisher(question: str, publisher: str) -> bool:
    """Whether the question names the publisher: its whole name in any case, an acronym of it as
    written ("ACCA", "CIVICUS"), or the first word of its name capitalised inside a sentence
    ("according to Amnesty"; a capital that only starts the question or a sentence does not count)."""
    if publisher.lower() in question.lower():
        return True
    if any(re.search(rf"(?<!\w){re.escape(acronym)}(?!\w)", question) for acronym in _ACRONYM.findall(publisher)):
        return True
    first = _NAME_WORD.match(publisher)
    if first is None:
        return False
    for found in re.finditer(rf"(?<!\w){re.escape(first.group(0))}(?!\w)", question):
        before = question[: found.start()].rstrip()
        if before and before[-1] not in ".!?:;\"“«(":
            return True
    return False


def question_years(question: str) -> tuple[int, ...]:
    """The years a question names, leaving out numbers it counts with ("more than 2000 people")."""
    years = set()
    for match in YEAR.finditer(question):
        if not _COUNTED.search(question[max(0, match.start() - 20) : match.start()]):
            years.add(int(match.group(0)))
    return tuple(sorted(years))


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
