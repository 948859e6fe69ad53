"""What an index holds, document by document: its metadata from documents.jsonl and its number of
passages from the loaded passage table's document column (`verbatim documents`, the app's summary).
No document text is kept: each line's text is dropped as it is read."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from index.store.load import LoadedIndex


@dataclass(frozen=True)
class DocumentSummary:
    doc_id: str
    title: str
    publisher: str
    date: str
    date_source: str  # where a date read from the file was found; "" for the manifest's or none
    language: str
    pages: int  # 0 for a document without pages
    passages: int
    encoding: str  # "" for PDF and the formats read by their own libraries
    ocr: bool  # whether any of its text came from OCR
    path: str
    countries: tuple[str, ...] = ()  # what it is about, as the search reads it (index/search/subjects.py)
    years: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def document_summaries(index: LoadedIndex) -> list[DocumentSummary]:
    """Every indexed document, in the order of documents.jsonl."""
    counts = np.bincount(index.passages.document_numbers, minlength=len(index.documents))
    summaries = []
    for number, row in enumerate(index.documents.rows()):  # this index's own file, not whatever is at its path now
        summaries.append(DocumentSummary(
            doc_id=row["doc_id"], title=row.get("title", ""), publisher=row.get("publisher", ""),
            date=row.get("date", ""), date_source=row.get("date_source", ""), language=row.get("language", ""),
            pages=len(row.get("page_starts") or ()), passages=int(counts[number]),
            encoding=row.get("encoding", ""), ocr=bool(row.get("ocr_pages") or row.get("ocr")),
            path=row.get("path", ""), countries=tuple(row.get("countries", ())), years=tuple(row.get("years", ())),
        ))
    return summaries
