"""Find the paragraphs a text really has, as offsets, and tell body text from headings and chrome.

Blank lines separate blocks. Inside a block, a hard-wrapped text (a PDF extraction, say) is read
as the paragraphs it has: a line ends its paragraph when the next line's first word would have
fitted on it, so the line break cannot be a wrap. In a block that is not wrapped, each line is a
paragraph of its own. A line of page furniture or of a table of contents (corpus/layout.py) is a
boilerplate paragraph of its own, wherever it falls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from corpus.boilerplate import footer_start, is_chrome, is_widget
from corpus.layout import layout_noise
from corpus.sentences import trim_span

Kind = Literal["body", "heading", "boilerplate"]

_BULLET = re.compile(r"^\s*([•●▪◦‣∙·*\-–—]|\d+[.)]|[a-z][.)])\s+\S")
_NUMBERED_HEADING = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+\S")
_MARKDOWN_HEADING = re.compile(r"^\s*(#{1,6})\s+\S")
# A line ending like this closes a sentence (closing quotes after the mark are allowed).
_ENDS_SENTENCE = re.compile(r"""[.!?;,:…]["'”’»)\]]*$""")
_HEADING_MAX_CHARS = 150
_WRAP_MAX_WIDTH = 130  # lines longer than this are whole paragraphs, not a wrapped column


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    number: int  # 1-based, counting every paragraph of the document
    kind: Kind
    level: int = 0  # headings only: 1 is the top level


def find_paragraphs(text: str, page_starts: tuple[int, ...] = ()) -> list[Paragraph]:
    """The paragraphs of `text`; `page_starts` (a PDF's) help find running headers and footers."""
    noise = {line.start for line in layout_noise(text, page_starts)}
    spans: list[tuple[int, int, bool]] = []  # start, end, may be a title
    noise_spans: set[int] = set()  # starts of the paragraphs that are noise lines
    for block in _blocks(text, noise):
        if block[0][0] in noise:
            if span := trim_span(text, *block[0]):
                spans.append((*span, False))
                noise_spans.add(span[0])
            continue
        block_spans = _split_block(text, block)
        for i, (start, end) in enumerate(block_spans):
            # A title stands alone in its block, or heads an indented list ("• Title" over
            # "    • point"), as an article's key points do on a news page.
            titled = len(block_spans) == 1 or (
                i == 0 and _indent(text, block_spans[1][0]) > _indent(text, start)
            )
            spans.append((start, end, titled))

    paragraphs: list[Paragraph] = []
    footer = footer_start([text[start:end] for start, end, _ in spans])
    for number, (start, end, alone) in enumerate(spans, start=1):
        body = text[start:end]
        kind: Kind = "body"
        level = 0
        if start in noise_spans or number > footer or is_chrome(body):
            kind = "boilerplate"
        elif (level := _heading_level(body, alone)) > 0:
            kind = "heading"
        elif is_widget(body):
            kind = "boilerplate"
        paragraphs.append(Paragraph(start, end, number, kind, level))
    return paragraphs


def heading_title(text: str) -> str:
    """A heading without its markup: bullets and '#' go, numbering stays."""
    title = " ".join(text.split())
    title = re.sub(r"^#{1,6}\s+", "", title)
    return re.sub(r"^[•●▪◦‣∙·*\-–—]\s+", "", title)


def _indent(text: str, offset: int) -> int:
    line_start = text.rfind("\n", 0, offset) + 1
    return offset - line_start


def _heading_level(text: str, may_be_title: bool) -> int:
    stripped = text.strip()
    if (match := _MARKDOWN_HEADING.match(stripped)) and "\n" not in stripped:
        return len(match.group(1))
    if not may_be_title or len(stripped) > _HEADING_MAX_CHARS or "\n" in stripped:
        return 0
    if _ENDS_SENTENCE.search(stripped) and not stripped.endswith(":"):
        return 0
    if stripped.endswith(":") and not _BULLET.match(stripped):
        return 0  # "Hot topics:" or a sentence introducing a list
    # "2. Violent dispersal …" is a chapter, "2.1 …" one level down; "2019 …" is no heading.
    if (match := _NUMBERED_HEADING.match(stripped)) and len(match.group(1).split(".")[0]) <= 2:
        return match.group(1).count(".") + 1
    if _BULLET.match(stripped):
        return 2  # a bullet standing alone as a title: an article or a subsection
    return 0


def _blocks(text: str, noise: set[int]) -> list[list[tuple[int, int]]]:
    """Runs of non-blank lines, each line as (start, end) without its newline. A line starting at
    an offset in `noise` is a block of its own."""
    blocks: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if line.strip() and start not in noise:
            current.append((start, end))
            continue
        if current:
            blocks.append(current)
            current = []
        if line.strip():
            blocks.append([(start, end)])
    if current:
        blocks.append(current)
    return blocks


def _split_block(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    lengths = [len(text[s:e].rstrip()) for s, e in lines]
    width = max(lengths)
    wrapped = (
        len(lines) >= 3
        and width <= _WRAP_MAX_WIDTH
        and sum(n >= 0.75 * width for n in lengths[:-1]) >= 0.5 * (len(lines) - 1)
    )
    paragraphs: list[tuple[int, int]] = []
    first = lines[0]
    for i, (start, end) in enumerate(lines):
        last_line = i == len(lines) - 1
        if not last_line:
            next_text = text[lines[i + 1][0] : lines[i + 1][1]]
            next_word = next_text.split()[0]
            # Wrap widths vary (PDF lines are set in points, not characters), so a line
            # breaks its paragraph when it is clearly short, or when it ends a sentence
            # and the next word would have fitted on it.
            breaks = (
                not wrapped
                or bool(_BULLET.match(next_text))
                or bool(_MARKDOWN_HEADING.match(next_text))
                or lengths[i] < 0.6 * width
                or (
                    bool(_ENDS_SENTENCE.search(text[start:end].rstrip()))
                    and lengths[i] + 1 + len(next_word) <= width
                )
            )
        if last_line or breaks:
            span = trim_span(text, first[0], end)
            if span:  # never empty: blocks hold only non-blank lines
                paragraphs.append(span)
            if not last_line:
                first = lines[i + 1]
    return paragraphs

