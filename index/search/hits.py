"""A search result: the passage, its document, its scores, and a citation anyone can check."""

from __future__ import annotations

from dataclasses import dataclass

from corpus import Document, Passage

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float  # the mode's own score: cosine, BM25, or fused
    passage: Passage
    document: Document
    dense_score: float | None = None  # cosine similarity, when the dense side saw it
    bm25_score: float | None = None
    sentence: tuple[int, int, float] | None = None  # the passage's best-matching sentence: start, end, cosine
    rerank_score: float | None = None  # the cross-encoder's, when a reranker reordered the hits
    position: int | None = None  # the passage's row in the index (its sentences are found by it)
    # Where the question's quoted phrases and OR'ed words are in the passage, as [start, end) in its
    # document: empty for a question without them (index/search/syntax.py, exact.py).
    matches: tuple[tuple[int, int], ...] = ()
    # The passage's quotable sentences (corpus/quotable.py), in order: start, end, paragraph number.
    sentences: tuple[tuple[int, int, int], ...] = ()

    @property
    def quote_span(self) -> tuple[int, int]:
        """The passage as a quote: from its first sentence to its last, without the heading lines,
        captions and bullets it holds before them."""
        if not self.sentences:
            return self.passage.start, self.passage.end
        return self.sentences[0][0], self.sentences[-1][1]

    @property
    def citation(self) -> str:
        """A footnote-style line for the passage as a quote: who, what, when, where, the exact span."""
        return self._citation(*self.quote_span)

    @property
    def best_quote(self) -> tuple[str, str] | None:
        """The best-matching sentence, verbatim, and a citation of exactly its span."""
        if self.sentence is None:
            return None
        start, end, _ = self.sentence
        return self.document.text[start:end], self._citation(start, end)

    def quote_at(self, start: int, end: int) -> tuple[str, str]:
        """The document's text at [start:end], verbatim, and a citation of exactly that span."""
        return self.document.text[start:end], self._citation(start, end)

    def paragraphs_of(self, start: int, end: int) -> tuple[int, int]:
        """The first and last paragraph numbers of a span of the passage (its sentences say which
        paragraph each is in); the passage's own when it has none there."""
        numbers = [number for a, b, number in self.sentences if a < end and b > start]
        return (numbers[0], numbers[-1]) if numbers else self.passage.paragraphs

    def paragraph_label(self, start: int | None = None, end: int | None = None) -> str:
        """"¶ 3", or "¶¶ 3–4" for a span over two paragraphs (the passage's quote by default)."""
        first, last = self.paragraphs_of(*self._span(start, end))
        return f"¶ {first}" if first == last else f"¶¶ {first}–{last}"

    def _span(self, start: int | None, end: int | None) -> tuple[int, int]:
        return self.quote_span if start is None or end is None else (start, end)

    def _citation(self, start: int, end: int) -> str:
        d, p = self.document, self.passage
        parts = [d.publisher, f"“{d.title}”"]
        if d.date:
            parts.append(d.date)
        if p.section:
            parts.append(f"section “{p.section}”")
        parts.append(self.paragraph_label(start, end))
        if p.page is not None:
            parts.append(f"p. {p.page}")
        parts.append(f"{d.path} [{start}:{end}]")
        return ", ".join(part for part in parts if part)

    def plain(self, start: int | None = None, end: int | None = None) -> str:
        """The quote in quotation marks on one line, then its citation: ready to paste as text."""
        start, end = self._span(start, end)
        return f"“{' '.join(self.document.text[start:end].split())}” ({self._citation(start, end)})"

    def reference(self, start: int | None = None, end: int | None = None) -> str:
        """A reference in a common style (a Chicago note): Publisher, “Title,” date, section, para. or
        page, and the address (the file's path when the report has none)."""
        d, p = self.document, self.passage
        first, last = self.paragraphs_of(*self._span(start, end))
        after = [reference_date(d.date)]
        if p.section:
            after.append(f"section “{p.section}”")
        after.append(f"para. {first}" if first == last else f"paras. {first}–{last}")
        if p.page is not None:
            after.append(f"p. {p.page}")
        after.append(d.url or d.path)
        rest = ", ".join(part for part in after if part)
        # Chicago puts the comma inside the title's closing quotation mark, and none after it.
        head = ", ".join(part for part in (d.publisher, f"“{d.title},”" if d.title else "") if part)
        return f"{head} {rest}." if d.title else f"{head}, {rest}." if head else f"{rest}."

    def record(self, start: int | None = None, end: int | None = None) -> dict[str, object]:
        """A citation record of a span of the passage (its quote by default): everything needed to
        find the quote again and check it is still there, and its citation as text and as a
        reference. (The app's records also carry the citation in Markdown, as "markdown": app/payload.py.)"""
        d, p = self.document, self.passage
        start, end = self._span(start, end)
        return {
            "quote": d.text[start:end],
            "doc_id": d.doc_id,
            "title": d.title,
            "publisher": d.publisher,
            "date": d.date,
            "url": d.url,
            "path": d.path,
            "start": start,
            "end": end,
            "page": p.page,
            "language": p.language,
            "section": p.section,
            "paragraphs": list(self.paragraphs_of(start, end)),
            "sha256": d.sha256,
            "encoding": d.encoding,
            "citation": self._citation(start, end),
            "plain": self.plain(start, end),
            "reference": self.reference(start, end),
        }


def reference_date(date: str) -> str:
    """"2022-01" as "January 2022", "2019-06-10" as "June 10, 2019", "2019" as it is; undated, "n.d."."""
    parts = date.split("-")
    if not date:
        return "n.d."
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        month = _MONTHS[int(parts[1]) - 1]
        return f"{month} {int(parts[2])}, {parts[0]}" if len(parts) == 3 and parts[2].isdigit() else f"{month} {parts[0]}"
    return date
