"""The domain objects: a document's canonical text, and passages that index into it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """A source report. `text` is the canonical text that every offset points into."""

    doc_id: str
    title: str
    publisher: str
    date: str  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"; empty when the source does not say
    url: str
    language: str
    path: str  # relative to the repository root when inside it
    sha256: str  # of the source file's bytes
    text: str
    page_starts: tuple[int, ...] = ()  # PDF only: offset in `text` where each page begins
    encoding: str = ""  # the codec the source's bytes were decoded with ("utf-8", "mac-roman" ...); "" for PDF
    # Where a date read from the file was found ("text", "html meta", "pdf metadata" …); "" for the manifest's.
    date_source: str = ""
    ocr_pages: int = 0  # how many of its pages were read by OCR (corpus/ocr.py)
    # The countries it is about, named in its title or first page (corpus/places.py): what the search
    # reads a question's countries against, since a passage rarely names its report's country.
    countries: tuple[str, ...] = ()
    years: tuple[int, ...] = ()  # the years it is about (corpus/years.py), for the same reason

    def page_at(self, offset: int) -> int | None:
        """1-based page number holding `offset`, or None for documents without pages."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset)

    def metadata(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date,
            "url": self.url,
            "language": self.language,
            "path": self.path,
            "sha256": self.sha256,
            "page_starts": list(self.page_starts),
            "encoding": self.encoding,
            **({"date_source": self.date_source} if self.date_source else {}),
            **({"ocr_pages": self.ocr_pages} if self.ocr_pages else {}),
            **({"countries": list(self.countries)} if self.countries else {}),
            **({"years": list(self.years)} if self.years else {}),
        }


@dataclass(frozen=True)
class Passage:
    """A span of a document: `document.text[start:end] == text` always holds."""

    doc_id: str
    start: int
    end: int
    text: str
    section: str  # heading path, e.g. "2. Violent dispersal … › Preventive detentions"
    paragraphs: tuple[int, int]  # first and last paragraph number, 1-based
    page: int | None = None
    language: str = ""  # "en", "ru" or "kk", detected from the passage's own text (corpus/languages/detect.py)

    @property
    def passage_id(self) -> str:
        """Its document's id and its offsets: the same in every build of the same document, whatever
        else the collection holds (no line number or vector id is ever part of it)."""
        return f"{self.doc_id}@{self.start}-{self.end}"

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.passage_id,
            "doc_id": self.doc_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "section": self.section,
            "paragraphs": list(self.paragraphs),
            "page": self.page,
            "language": self.language,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Passage:
        return cls(
            doc_id=data["doc_id"],
            start=data["start"],
            end=data["end"],
            text=data["text"],
            section=data["section"],
            paragraphs=(data["paragraphs"][0], data["paragraphs"][1]),
            page=data.get("page"),
            language=data.get("language", ""),
        )
