"""A search result: the passage, its document, its scores, and a citation anyone can check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from corpus import Document, Passage

# Markdown (CommonMark, GFM) markup characters, escaped with a backslash wherever they are; the HTML
# ones become entities, so that no renderer ever sees a tag in a report's or manifest's text.
_MARKUP = re.compile(r"([\\`*_\[\]{}|~$@])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)")  # GFM links bare http://… and www.…
_LINE_START = re.compile(r"^(\d+)([.)])|^([#+=-])")  # a heading, list item, rule or setext underline


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
        """The quote as a Markdown block quote, attributed, linked to the source when it has an http(s)
        URL. Report and manifest text is escaped: rendered, it reads as written and is never markup,
        a link or an image."""
        d, p = self.document, self.passage
        title = markdown_text(d.title)
        url = safe_url(d.url)
        source = f"[{title}]({url})" if url else f"“{title}”"
        where = [markdown_text(d.publisher), source, markdown_text(d.date), self._paragraph_label()]
        if p.page is not None:
            where.append(f"p. {p.page}")
        where.append(code_span(f"{d.path} [{p.start}:{p.end}]"))
        return f"> {markdown_text(p.text)}\n>\n> — {', '.join(part for part in where if part)}"

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
            "encoding": d.encoding,
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


def markdown_text(text: str) -> str:
    """Text for a Markdown line that renders exactly as written: one line, markup characters escaped."""
    text = "".join(_HTML.get(c, c) for c in " ".join(text.split()))
    text = _AUTOLINK.sub(lambda m: "\\" + (m[1] or m[2]), _MARKUP.sub(r"\\\1", text))
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def safe_url(url: str) -> str:
    """The URL if it is http(s) with a host, percent-quoted so it cannot end a Markdown link early; else ""."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(ord(c) < 32 for c in url):
        return ""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


def code_span(text: str) -> str:
    """`text` as a Markdown code span whose fence no backtick run inside it can close."""
    text = " ".join(text.split())
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
