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

    def _citation(self, start: int, end: int) -> str:
        d, p = self.document, self.passage
        parts = [d.publisher, f"“{d.title}”"]
        if d.date:
            parts.append(d.date)
        if p.section:
            parts.append(f"section “{p.section}”")
        parts.append(self._paragraph_label())
        if p.page is not None:
            parts.append(f"p. {p.page}")
        parts.append(f"{d.path} [{start}:{end}]")
        return ", ".join(part for part in parts if part)

    def _paragraph_label(self) -> str:
        first, last = self.passage.paragraphs
        return f"¶ {first}" if first == last else f"¶¶ {first}–{last}"

    @property
    def citation_markdown(self) -> str:
        """The quote as a Markdown block quote, attributed, linked to the source when it has a URL."""
        d, p = self.document, self.passage
        quote = " ".join(p.text.split())
        source = f"[{d.title}]({d.url})" if d.url else f"“{d.title}”"
        where = [d.publisher, source, d.date, self._paragraph_label()]
        if p.page is not None:
            where.append(f"p. {p.page}")
        where.append(f"`{d.path} [{p.start}:{p.end}]`")
        return f"> {quote}\n>\n> — {', '.join(part for part in where if part)}"

    def record(self) -> dict[str, object]:
        """A citation record: everything needed to find the quote again and check it is still there."""
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
            "citation": self.citation,
            "markdown": self.citation_markdown,
        }

    def to_dict(self) -> dict[str, object]:
        record = self.record()
        located = ("doc_id", "title", "publisher", "date", "url", "path", "start", "end")
        return {
            "rank": self.rank,
            "score": round(self.score, 6),
            **{key: record[key] for key in located},
            "text": self.passage.text,
            **{key: record[key] for key in ("section", "paragraphs", "page", "language", "citation")},
            "citation_markdown": record["markdown"],
            "record": record,
            "scores": {
                "dense": None if self.dense_score is None else round(self.dense_score, 6),
                "bm25": None if self.bm25_score is None else round(self.bm25_score, 6),
                "rerank": None if self.rerank_score is None else round(self.rerank_score, 6),
            },
            "sentence": None if self.sentence is None else {
                "start": self.sentence[0],
                "end": self.sentence[1],
                "text": self.document.text[self.sentence[0] : self.sentence[1]],
                "score": round(self.sentence[2], 6),
            },
        }
