"""Batch search: a list of questions or names, each searched as `verbatim ask` searches it, one row
per query with its verdict, its best quote and that quote's citation (the same as a single search's:
app/payload.py's verdict payload), written as CSV through app/export.py.

The list is a .txt file with one query a line, or a .csv file with a header row whose column named
"question" or "query" (in any case) holds them, else its first column. Blank lines are skipped; the
file is read as text in whatever encoding it is in (corpus/encoding.py: a spreadsheet's UTF-16 or
cp1252 export too), and its contents are only ever searched, never run: a cell that a spreadsheet
would read as a formula is written with a leading apostrophe (export.spreadsheet_text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from app import arguments
from app.export import batch_csv
from app.messages import Interface, no_match, worded
from app.payload import verdict_payload
from app.request import SearchRequest
from corpus.encoding import EncodingError, decode_text
from corpus.errors import VerbatimError
from index.search import Filters, Searcher

SUFFIXES = (".csv", ".txt")
QUERY_COLUMNS = ("question", "query")
MAX_BATCH_QUERIES = 200  # the page's cap: 0.11 s a query on the bundled index here (40 held-out questions), so about 20 s
PASSAGES = 10  # the depth the verdict is judged at (VERDICT_DEPTH), as a single search shows it


class BatchError(ValueError):
    """A list of queries that cannot be read; the message says why and what to give instead."""


@dataclass(frozen=True)
class BatchRow:
    """One query's outcome: its verdict and best quote (as the JSON answer of a search holds them),
    or the one-line reason it could not be searched."""

    number: int  # its place in the list, from 1
    query: str
    answer: dict[str, object] | None = None  # verdict_payload's keys, and "passages": how many hits
    error: str = ""

    def cells(self) -> dict[str, object]:
        """The row as batch_csv's columns."""
        answer = self.answer or {}
        quote = answer.get("quote")
        quote = quote if isinstance(quote, dict) else {}
        return {"number": self.number, "query": self.query, "outcome": answer.get("outcome") or "",
                "label": answer.get("label") or "", "confidence": answer.get("confidence", ""),
                "quote": " ".join(str(quote.get("text", "")).split()), "citation": quote.get("citation", ""),
                "doc_id": quote.get("doc_id", ""), "start": quote.get("start", ""), "end": quote.get("end", ""),
                "explanation": answer.get("explanation") or "", "passages": answer.get("passages", ""),
                "error": self.error}


def read_queries(path: Path) -> list[str]:
    """The queries a .csv or .txt file lists, in order; BatchError when it cannot be read as one."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise BatchError(f"{path.name} is not a .csv or .txt file; give a list of queries as one of them")
    try:
        text = decode_text(path.read_bytes()).text
    except EncodingError as error:
        raise BatchError(f"{path.name} is not text ({error}); give a .csv or .txt file") from error
    queries = _csv_queries(text, path.name) if suffix == ".csv" else text.splitlines()
    queries = [" ".join(query.split()) for query in queries]
    queries = [query for query in queries if query]
    if not queries:
        raise BatchError(f"{path.name} lists no query; write one question or name a line")
    return queries


def _csv_queries(text: str, name: str) -> list[str]:
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:  # a field over csv's size limit, a NUL
        raise BatchError(f"{name} is not a CSV file that can be read ({error}); give one query a row") from error
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower().lstrip("\ufeff") for cell in rows[0]]
    column = next((header.index(name) for name in QUERY_COLUMNS if name in header), 0)
    return [row[column] if column < len(row) else "" for row in rows[1:]]


def checked_count(queries: list[str], limit: int = MAX_BATCH_QUERIES) -> None:
    """BatchError when the list is longer than `limit`: the page searches at most that many at once."""
    if len(queries) > limit:
        raise BatchError(f"the list holds {len(queries):,} queries; a batch may have at most {limit:,}: "
                         "split it into smaller lists")


def run_batch(searcher: Searcher, queries: Iterable[str], *, mode: str, filters: Filters | None = None,
              interface: Interface = "cli", progress: Callable[[int], None] | None = None) -> list[BatchRow]:
    """Each query searched and judged as a single search does it; a query that cannot be searched
    (too long, only excluded words, a bad filter) gets its reason, worded for `interface`."""
    rows = []
    for number, query in enumerate(queries, start=1):
        try:
            request = SearchRequest(arguments.question_text(query), mode, PASSAGES, filters or Filters())
            hits, verdict = request.answer(searcher)
        except arguments.ArgumentError as error:
            rows.append(BatchRow(number, query, error=str(error)))
        except VerbatimError as error:
            rows.append(BatchRow(number, query, error=worded(error, interface)))
        else:
            answer = {**verdict_payload(verdict, hits), "passages": len(hits)}
            if not hits:
                answer["explanation"] = no_match(request.question, request.filters.active())
            rows.append(BatchRow(number, query, answer))
        if progress is not None:
            progress(number)
    return rows


def rows_csv(rows: list[BatchRow]) -> str:
    return batch_csv([row.cells() for row in rows])


def tally(rows: list[BatchRow]) -> str:
    """"12 queries: 7 answered, 2 partly answered, 1 not found, 1 with no passage, 1 not searched"."""
    counts: dict[str, int] = {}
    for row in rows:
        outcome = "not searched" if row.error else str((row.answer or {}).get("outcome") or "with no passage")
        counts[outcome] = counts.get(outcome, 0) + 1
    order = ("answered", "partly answered", "not found", "with no passage", "not searched")
    parts = [f"{counts[name]} {name}" for name in order if counts.get(name)]
    return f"{len(rows)} quer{'ies' if len(rows) != 1 else 'y'}: " + ", ".join(parts)
