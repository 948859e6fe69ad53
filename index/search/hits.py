"""A search result: the passage, its document, its scores, and a citation anyone can check."""

from __future__ import annotations

from dataclasses import dataclass

from corpus import Document, Passage


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

    @property
    def citation(self) -> str:
        """A footnote-style line: who, what, when, where in the document, and the exact span."""
        return self._citation(self.passage.start, self.passage.end)

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

    @property
    def paragraph_label(self) -> str:
        """"¶ 3", or "¶¶ 3–4" for a passage over two paragraphs."""
        first, last = self.passage.paragraphs
        return f"¶ {first}" if first == last else f"¶¶ {first}–{last}"

    def _citation(self, start: int, end: int) -> str:
        d, p = self.document, self.passage
        parts = [d.publisher, f"“{d.title}”"]
        if d.date:
            parts.append(d.date)
        if p.section:
            parts.append(f"section “{p.section}”")
        parts.append(self.paragraph_label)
        if p.page is not None:
            parts.append(f"p. {p.page}")
        parts.append(f"{d.path} [{start}:{end}]")
        return ", ".join(part for part in parts if part)

    def record(self) -> dict[str, object]:
        """A citation record: everything needed to find the quote again and check it is still there.
        (The app's records also carry the citation in Markdown, as "markdown": app/payload.py.)"""
        d, p = self.document, self.passage
        return {
            "quote": p.text,
            "doc_id": d.doc_id,
            "title": d.title,
            "publisher": d.publisher,
            "date": d.date,
            "url": d.url,
            "path": d.path,
            "start": p.start,
            "end": p.end,
            "page": p.page,
            "language": p.language,
            "section": p.section,
            "paragraphs": list(p.paragraphs),
            "sha256": d.sha256,
            "encoding": d.encoding,
            "citation": self.citation,
        }
