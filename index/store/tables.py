"""An index's documents and passages, read from its JSON Lines files line by line, when asked for.

Texts are most of what a collection weighs: a million SciFact-like passages with their documents
held 4 GB of Python objects in memory, more than the vectors, BM25 and the model together. So only
what every query needs stays in memory: where each line begins and ends, each passage's document
and language, and each document's id, publisher and date (the filters). A hit's passage and document
are read from disk with os.pread (safe across threads), and the most recent documents are kept,
since the hits of one question often share a report. Opening scans each file once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from corpus.documents import Document, Passage

_RECENT_DOCUMENTS = 64


class _Lines:
    """Byte ranges of a JSON Lines file's non-blank lines, and reads of one line by number."""

    def __init__(self, path: Path, on_row: Callable[[dict], None]) -> None:  # called with every row, in order
        starts, ends = [], []
        position = 0
        with path.open("rb") as handle:
            for line in handle:
                if line.strip():
                    starts.append(position)
                    ends.append(position + len(line))
                    on_row(json.loads(line))
                position += len(line)
        self.path = path
        self._starts = np.array(starts, dtype=np.int64)
        self._ends = np.array(ends, dtype=np.int64)
        self._fd = os.open(path, os.O_RDONLY)  # kept: a rebuild renames a new file in, this one stays readable

    def __len__(self) -> int:
        return len(self._starts)

    def row(self, number: int) -> dict:
        start = int(self._starts[number])
        return json.loads(os.pread(self._fd, int(self._ends[number]) - start, start))

    def __del__(self) -> None:
        if getattr(self, "_fd", None) is not None:
            os.close(self._fd)


def _interned() -> Callable[[str], str]:
    """Returns one shared str object per distinct value: a million dates are a few hundred strings."""
    seen: dict[str, str] = {}
    return lambda value: seen.setdefault(value, value)


class DocumentTable(Mapping[str, Document]):
    """documents.jsonl as a read-only mapping from document id to Document."""

    def __init__(self, path: Path) -> None:
        self.ids: list[str] = []
        self.publishers: list[str] = []
        self.dates: list[str] = []
        self.countries: list[tuple[str, ...]] = []  # what each is about (corpus/places.py, years.py)
        self.years: list[tuple[int, ...]] = []
        intern = _interned()
        interned: dict[tuple, tuple] = {}

        def keep(row: dict) -> None:
            self.ids.append(row["doc_id"])
            self.publishers.append(intern(row.get("publisher", "")))
            self.dates.append(intern(row.get("date", "")))
            countries, years = tuple(row.get("countries", ())), tuple(row.get("years", ()))
            self.countries.append(interned.setdefault(countries, countries))
            self.years.append(interned.setdefault(years, years))

        self._lines = _Lines(path, keep)
        self._numbers = {doc_id: number for number, doc_id in enumerate(self.ids)}
        self.document = lru_cache(maxsize=_RECENT_DOCUMENTS)(self._read)

    def number(self, doc_id: str) -> int:
        """The document's line number; KeyError for an unknown id."""
        return self._numbers[doc_id]

    def _read(self, number: int) -> Document:
        row = self._lines.row(number)
        row["page_starts"] = tuple(row.get("page_starts", ()))
        row["countries"] = tuple(row.get("countries", ()))
        row["years"] = tuple(row.get("years", ()))
        return Document(**row)

    def __getitem__(self, doc_id: str) -> Document:
        return self.document(self._numbers[doc_id])

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._numbers

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def rows(self) -> Iterator[dict]:
        """Every line as its JSON object, in order, read from the file this table opened: a rebuild
        that renamed another documents.jsonl into place since changes nothing of what it reads."""
        for number in range(len(self)):
            yield self._lines.row(number)


class PassageTable(Sequence[Passage]):
    """passages.jsonl as a read-only sequence of Passages, in the order of the vectors, with three
    columns in memory: `document_numbers` (each passage's line in documents.jsonl), `languages` and
    `sections` (each passage's heading path, one string object per distinct path)."""

    def __init__(self, path: Path, documents: DocumentTable) -> None:
        numbers: list[int] = []
        languages: list[str] = []
        sections: list[str] = []
        intern = _interned()

        def keep(row: dict) -> None:
            numbers.append(documents.number(row["doc_id"]))
            languages.append(intern(row.get("language", "")))
            sections.append(intern(row.get("section", "")))

        self._lines = _Lines(path, keep)
        self._documents = documents
        self.document_numbers = np.array(numbers, dtype=np.int64)
        self.languages = np.array(languages, dtype=object)
        self.sections = np.array(sections, dtype=object)
        # Positions grouped by document: a document's passages are `_by_document[_firsts[d]:_firsts[d + 1]]`.
        self._by_document = np.argsort(self.document_numbers, kind="stable")
        self._firsts = np.searchsorted(self.document_numbers[self._by_document], np.arange(len(documents) + 1))

    def positions_of(self, document_numbers: Sequence[int]) -> np.ndarray:
        """The positions of the passages of these documents (by their line in documents.jsonl), in order."""
        parts = [self._by_document[self._firsts[d] : self._firsts[d + 1]] for d in document_numbers]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def position_of(self, passage_id: str) -> int:
        """Where the passage with this id (Passage.passage_id) is; KeyError when the index has none."""
        doc_id, _, span = passage_id.rpartition("@")
        start, _, end = span.partition("-")
        if doc_id in self._documents and start.isdigit() and end.isdigit():
            for position in self.positions_of([self._documents.number(doc_id)]):
                passage = self[int(position)]
                if (passage.start, passage.end) == (int(start), int(end)):
                    return int(position)
        raise KeyError(passage_id)

    def __getitem__(self, position: int) -> Passage:  # type: ignore[override]  # one passage, not slices
        if not -len(self) <= position < len(self):
            raise IndexError(f"passage {position} of {len(self)}")
        return Passage.from_dict(self._lines.row(position % len(self)))

    def __iter__(self) -> Iterator[Passage]:
        for position in range(len(self)):
            yield Passage.from_dict(self._lines.row(position))

    def __len__(self) -> int:
        return len(self._lines)


def open_tables(directory: Path) -> tuple[DocumentTable, PassageTable]:
    documents = DocumentTable(directory / "documents.jsonl")
    return documents, PassageTable(directory / "passages.jsonl", documents)
