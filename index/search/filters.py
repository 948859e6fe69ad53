"""Filters by publisher, document, date and passage language, compiled once per search into the
positions of the passages they let through. Read from the tables' columns: no document is read."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from index.errors import QueryError
from index.store import LoadedIndex

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


@dataclass(frozen=True)
class Filters:
    publishers: tuple[str, ...] = ()  # case-insensitive; "amnesty" matches "Amnesty International"
    doc_ids: tuple[str, ...] = ()
    since: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD; documents without a date are left out unless `undated`
    until: str = ""
    languages: tuple[str, ...] = ()  # passage languages: "en", "ru", "kk"
    undated: bool = False  # a date filter also lets through the documents that give no date

    def active(self) -> bool:
        return bool(self.publishers or self.doc_ids or self.since or self.until or self.languages)

    @property
    def dated(self) -> bool:
        return bool(self.since or self.until)


def select(filters: Filters, index: LoadedIndex) -> np.ndarray | None:
    """Positions of the passages the filters let through, or None when no filter is set."""
    if not filters.active():
        return None
    documents = index.documents
    keep = np.ones(len(documents), dtype=bool)
    if filters.doc_ids:
        keep &= _by_document(filters.doc_ids, index)
    if filters.publishers:
        keep &= _by_publisher(filters.publishers, index)
    if filters.dated:
        keep &= _by_date(filters.since, filters.until, index) | (_undated(index) if filters.undated else False)
    allowed = keep[index.passages.document_numbers]
    if filters.languages:
        allowed &= _by_language(filters.languages, index)
    return np.flatnonzero(allowed)


def undated_left_out(filters: Filters, index: LoadedIndex) -> int:
    """How many documents the date filter leaves out only for giving no date (those the other
    document filters keep): what a page or the CLI says, so that a report never vanishes unsaid."""
    if not filters.dated or filters.undated:
        return 0
    keep = _undated(index)
    if filters.doc_ids:
        keep &= _by_document(filters.doc_ids, index)
    if filters.publishers:
        keep &= _by_publisher(filters.publishers, index)
    return int(keep.sum())


def _undated(index: LoadedIndex) -> np.ndarray:
    return np.array([not d for d in index.documents.dates], dtype=bool)


def publishers(index: LoadedIndex) -> list[str]:
    return sorted(set(index.documents.publishers) - {""})


def passage_languages(index: LoadedIndex) -> list[str]:
    return sorted(set(index.passages.languages) - {""})


def _by_document(doc_ids: tuple[str, ...], index: LoadedIndex) -> np.ndarray:
    documents = index.documents
    unknown = [d for d in doc_ids if d not in documents]
    if unknown:
        raise QueryError(f"unknown document {unknown[0]!r}; known: {', '.join(sorted(documents))}", field="doc_ids")
    keep = np.zeros(len(documents), dtype=bool)
    keep[[documents.number(d) for d in doc_ids]] = True
    return keep


def _by_publisher(wanted: tuple[str, ...], index: LoadedIndex) -> np.ndarray:
    folded = {p: p.casefold() for p in set(index.documents.publishers)}
    names = [p.casefold() for p in wanted]
    for name in names:
        if not any(name in known for known in folded.values()):
            raise QueryError(f"unknown publisher {name!r}; known: {'; '.join(publishers(index))}", field="publishers")
    chosen = {p for p, known in folded.items() if any(name in known for name in names)}
    return np.array([p in chosen for p in index.documents.publishers], dtype=bool)


def _by_date(since: str, until: str, index: LoadedIndex) -> np.ndarray:
    low = date_bounds(since, "since")[0] if since else "0000-00-00"
    high = date_bounds(until, "until")[1] if until else "9999-99-99"
    if low > high:
        raise QueryError(f"the date range is empty: since {since} is after until {until}", field="since")
    dates = {d for d in set(index.documents.dates) if d and date_bounds(d)[1] >= low and date_bounds(d)[0] <= high}
    return np.array([d in dates for d in index.documents.dates], dtype=bool)


def _by_language(languages: tuple[str, ...], index: LoadedIndex) -> np.ndarray:
    present = passage_languages(index)
    unknown = [x for x in languages if x not in present]
    if unknown:
        raise QueryError(f"no passage in language {unknown[0]!r}; this index has {', '.join(present)}", field="languages")
    return np.isin(index.passages.languages, list(languages))


def date_bounds(value: str, field: str = "date") -> tuple[str, str]:
    """The first and last day a partial date covers, as comparable strings."""
    if not _DATE.match(value):
        raise QueryError(f"{value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD", field=field)
    parts = value.split("-")
    low = "-".join(parts + ["01"] * (3 - len(parts)))
    high = "-".join(parts + ["12", "31"][len(parts) - 1 :]) if len(parts) < 3 else value
    return low, high
