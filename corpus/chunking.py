"""Cut a document into passages: whole paragraphs where they fit, sentences where they do not.

Every passage is one contiguous span of the canonical text, so `text[start:end]` is the passage,
word for word. Spans never cross a heading or boilerplate, which keeps chrome out of passages.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from corpus.documents import Document, Passage
from corpus.languages import detect_language
from corpus.notices import FileWarning
from corpus.paragraphs import Paragraph, find_paragraphs, heading_title
from corpus.sentences import sentence_spans

if TYPE_CHECKING:
    from corpus.collection import Corpus

_SENTENCE_END = (".", "!", "?", ";", "…", '"', "”", "’", "»", ")")


@dataclass(frozen=True)
class ChunkingOptions:
    # all-MiniLM-L6-v2 reads at most 256 word pieces; about 1,000 characters of English
    # stay under that even with many names (measured on the bundled reports).
    max_chars: int = 1000
    min_chars: int = 250  # a shorter passage is merged with its neighbour when both fit
    fragment_chars: int = 80  # shorter paragraphs, and title-like lines, are context only


@dataclass
class _Unit:
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


# A build warns about a document when more than this share of its text, and more than this many
# characters (whitespace not counted), is in no passage: a search can never find that text.
LEFT_OUT_SHARE = 0.10
LEFT_OUT_CHARS = 500


@dataclass(frozen=True)
class _Chunked:
    passages: list[Passage]
    paragraphs: list[Paragraph]
    whole: bool  # a short note, kept whole: one passage per run of paragraphs


Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]  # (function, items) → results, in order


def in_turn(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
    return [function(item) for item in items]


def chunk_document(document: Document, options: ChunkingOptions | None = None) -> list[Passage]:
    return _chunk(document, options or ChunkingOptions()).passages


def chunk_corpus(corpus: Corpus, options: ChunkingOptions | None = None, *,
                 mapper: Mapper | None = None) -> tuple[list[Passage], tuple[FileWarning, ...]]:
    """Every document's passages, and what the user should hear about them: the corpus's own
    warnings, then short notes kept whole, documents a search cannot find at all, and documents much
    of whose text is left out of passages. `mapper` (function, items) → results, in order, may cut
    the documents side by side (a Ray cluster: index/cluster/build.py); by default one after another."""
    options = options or ChunkingOptions()
    passages: list[Passage] = []
    warnings = list(corpus.warnings)
    chunks = (mapper or in_turn)(partial(_chunk, options=options), list(corpus.documents))
    for document, chunked in zip(corpus.documents, chunks, strict=True):
        passages.extend(chunked.passages)
        if warning := _coverage_warning(document, chunked):
            warnings.append(warning)
    return passages, tuple(warnings)


def left_out_chars(document: Document, passages: list[Passage], paragraphs: list[Paragraph]) -> int:
    """Characters of the document (whitespace not counted) in no passage. Headings are not counted:
    they live on as the section of the passages below them."""
    in_headings = sum(_visible(document.text[p.start : p.end]) for p in paragraphs if p.kind == "heading")
    return _visible(document.text) - sum(_visible(p.text) for p in passages) - in_headings


def _coverage_warning(document: Document, chunked: _Chunked) -> FileWarning | None:
    if not chunked.passages:
        return FileWarning(document.path, "none of its text is in a passage (it is all headings or boilerplate), "
                                          "so a search can never find it")
    if chunked.whole:
        length, count = len(document.text.strip()), len(chunked.passages)
        kept = "as one passage" if count == 1 else f"as {count} short passages, one per section"
        return FileWarning(document.path, f"is short ({length} characters); it is indexed whole, {kept}")
    left_out = left_out_chars(document, chunked.passages, chunked.paragraphs)
    share = left_out / max(_visible(document.text), 1)
    if left_out > LEFT_OUT_CHARS and share > LEFT_OUT_SHARE:
        return FileWarning(document.path, f"{round(share * 100)} % of its text ({left_out:,} characters) is left "
                                          "out of passages as boilerplate or stray fragments; a search cannot find it")
    return None


def _visible(text: str) -> int:
    return sum(map(len, text.split()))


def _chunk(document: Document, options: ChunkingOptions) -> _Chunked:
    text = document.text
    paragraphs = find_paragraphs(text, document.page_starts)
    starts = [p.start for p in paragraphs]

    def number_at(offset: int) -> int:
        """Number of the paragraph holding `offset`."""
        return paragraphs[max(bisect.bisect_right(starts, offset) - 1, 0)].number

    def passage(unit: _Unit, section: str) -> Passage:
        return Passage(
            doc_id=document.doc_id,
            start=unit.start,
            end=unit.end,
            text=text[unit.start : unit.end],
            section=section,
            paragraphs=(number_at(unit.start), number_at(unit.end - 1)),
            page=document.page_at(unit.start),
            language=detect_language(text[unit.start : unit.end]) or document.language,
        )

    runs = _runs(document, paragraphs)
    passages = [passage(unit, section) for section, run in runs for unit in _units(text, run, options)]
    if passages or not runs:
        return _Chunked(passages, paragraphs, whole=False)
    # Every run is only short lines, too little for a passage: a short note. Rather than leave it
    # out of the index, each run (usually the only one) is kept whole.
    whole = [
        passage(unit, section)
        for section, run in runs
        for unit in _split(text, _Unit(run[0].start, run[-1].end), options.max_chars)
    ]
    return _Chunked(whole, paragraphs, whole=True)


def _runs(document: Document, paragraphs: list[Paragraph]) -> list[tuple[str, list[Paragraph]]]:
    """Runs of adjacent body paragraphs on one page, each with the heading path it falls under."""
    text = document.text
    headings: dict[int, str] = {}
    runs: list[tuple[str, list[Paragraph]]] = []
    current: list[Paragraph] = []
    section = ""
    for paragraph in paragraphs:
        if paragraph.kind == "body":
            # A new page starts a new run, so that a passage's page number holds for all of it.
            if current and document.page_at(paragraph.start) != document.page_at(current[-1].start):
                runs.append((section, current))
                current = []
            current.append(paragraph)
            continue
        if current:
            runs.append((section, current))
            current = []
        if paragraph.kind == "heading":
            headings = {lvl: t for lvl, t in headings.items() if lvl < paragraph.level}
            headings[paragraph.level] = heading_title(text[paragraph.start : paragraph.end])
            section = " › ".join(headings[lvl] for lvl in sorted(headings))
    if current:
        runs.append((section, current))
    return runs


def _units(text: str, run: list[Paragraph], options: ChunkingOptions) -> list[_Unit]:
    # 1. Fragments (captions, names, questions, titles) become context for the next paragraph.
    units: list[_Unit] = []
    pending: _Unit | None = None
    for paragraph in run:
        span = _Unit(paragraph.start, paragraph.end)
        if _is_fragment(text[span.start : span.end], options):
            pending = _Unit(pending.start, span.end) if pending else span
            continue
        units.append(_Unit(pending.start, span.end) if pending else span)
        pending = None
    if pending:
        if units:
            units[-1].end = pending.end
        elif len(pending) >= options.min_chars:
            units.append(pending)
    # 2. Long paragraphs are split at sentence boundaries.
    pieces = [piece for unit in units for piece in _split(text, unit, options.max_chars)]
    # 3. Short neighbours are merged while the result still fits.
    merged: list[_Unit] = []
    for piece in pieces:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and (len(previous) < options.min_chars or len(piece) < options.min_chars)
            and piece.end - previous.start <= options.max_chars
        ):
            previous.end = piece.end
        else:
            merged.append(_Unit(piece.start, piece.end))
    return merged


def _is_fragment(paragraph: str, options: ChunkingOptions) -> bool:
    stripped = paragraph.strip()
    if len(stripped) < options.fragment_chars:
        return True
    return len(stripped) <= 150 and not stripped.endswith(_SENTENCE_END)


def _split(text: str, unit: _Unit, max_chars: int) -> list[_Unit]:
    if len(unit) <= max_chars:
        return [unit]
    # Aim for pieces of equal size, so a paragraph does not end in a stub of one sentence.
    target = len(unit) / math.ceil(len(unit) / max_chars)
    pieces: list[_Unit] = []
    for start, end in sentence_spans(text, unit.start, unit.end):
        for s, e in _split_words(text, start, end, max_chars):
            if pieces and len(pieces[-1]) < target and e - pieces[-1].start <= max_chars:
                pieces[-1].end = e
            else:
                pieces.append(_Unit(s, e))
    return pieces


def _split_words(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """A sentence longer than a passage is cut at the last space that keeps it within bounds."""
    spans = []
    while end - start > max_chars:
        cut = text.rfind(" ", start + 1, start + max_chars)
        if cut <= start:
            cut = start + max_chars
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    spans.append((start, end))
    return spans
