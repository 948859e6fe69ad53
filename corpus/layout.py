"""Page furniture and tables of contents: lines that stay in the canonical text but out of passages.

A PDF's text, or a text extracted from one, carries what a reader's eye skips: running headers and
footers repeated on every page ("A/HRC/28/10", "GE.14-07677 (E)", a page number alone on a line), a
UN document's masthead ("Distr.: General 26 March 2014", "*1407677*"), and a table of contents whose
dot leaders end in paragraph and page numbers ("Conclusions and/or recommendations ....... 124–127 14").
As passages they are noise that wins on a country's name. They are found here as whole lines, and
corpus/paragraphs.py makes each such line a boilerplate paragraph of its own: the canonical text keeps
them, so no offset moves; passages never cross them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

NoiseKind = Literal["page", "toc"]  # page furniture (headers, footers, masthead), or a table of contents


@dataclass(frozen=True)
class NoiseLine:
    start: int  # offset of the line's first character
    end: int  # offset just past its last character, newline excluded
    kind: NoiseKind


# A UN masthead line: one is enough, nothing else looks like these.
_MASTHEAD = re.compile(
    r"""^(GE\.\s?\d{2}-\d*(\s*\(\w\))?[\s\d]*          # job number: GE.14-07677 (E) 250414 280414
    |\*\d{5,9}\*                                        # its bar code: *1407677*
    |Distr\.?\s*:?\s*(General|Limited|Restricted)\b.*   # Distr.: General 26 March 2014
    |Original\s*:\s*[A-Za-z]+(\s*/\s*[A-Za-z]+)*        # Original: English/French
    |(United\ Nations\s+)?(?-i:[A-Z]{1,6}(/[A-Za-z0-9.\-]+){2,})(\s*\(\w\))?  # A/HRC/28/10, E/CN.4/2005/7
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A page marker: "12", "Page 3 of 10", "- 4 -", "стр. 5". Bare numbers count only in increasing order.
_PAGE_MARKER = re.compile(r"^((page|p\.|стр\.?|страница|бет)\s*)?\d{1,3}(\s*(of|/|из)\s*\d{1,3})?$|^[-–—]\s*\d{1,3}\s*[-–—]$",
                          re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_MARKER_MIN_REPEATS = 3  # a symbol or page marker repeated this often through a text is furniture
_MARKER_MIN_GAP = 200  # characters between two page numbers: a page of text, not a column of figures
_MARKER_MAX_CHARS = 60

# A dot leader (five dots or more, spaced or not, or a run of "…") and then only page or paragraph numbers.
_LEADER = re.compile(r"(\.\s?){5,}|(…\s?){2,}|(·\s?){5,}")
_REFERENCES = re.compile(r"^([\divxlc]+(\s*[–—-]\s*[\divxlc]+)?[\s,]*)*$", re.IGNORECASE)
_TOC_HEADER = re.compile(r"^((table\ of\ )?contents|paragraphs?|pages?|paragraphs?\s+pages?|содержание|мазмұны)$",
                         re.IGNORECASE | re.VERBOSE)
_TOC_REACH = 3  # non-blank lines: a leader line this close to another is part of the same table
_TOC_ENTRY_MAX_CHARS = 150  # a line wrapped above a leader line, as a long entry is
_ENDS_SENTENCE = re.compile(r"[.;:!?]$")

_EDGE_LINES = 3  # first and last non-blank lines of a page, where running headers and footers sit
_EDGE_MIN_PAGES = 3
_EDGE_MIN_SHARE = 0.1  # of the pages: a chapter's running title recurs on its pages only
_EDGE_MAX_CHARS = 120


def layout_noise(text: str, page_starts: tuple[int, ...] = ()) -> tuple[NoiseLine, ...]:
    """Lines of `text` that are page furniture or a table of contents, in text order.

    `page_starts` are a PDF's page offsets; without them, form feeds mark the pages, if any."""
    lines = _lines(text)
    kinds: dict[int, NoiseKind] = {}
    for index in _toc_lines(lines):
        kinds[index] = "toc"
    for index in (*_masthead_lines(lines), *_marker_lines(lines), *_edge_lines(text, lines, page_starts)):
        kinds.setdefault(index, "page")
    return tuple(NoiseLine(lines[i][0], lines[i][1], kinds[i]) for i in sorted(kinds))


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Non-blank lines as (start, end, stripped text); short ones with their spacing folded."""
    lines = []
    position = 0
    for line in text.split("\n"):
        if stripped := line.strip():
            if len(stripped) <= _EDGE_MAX_CHARS:
                stripped = " ".join(stripped.split())
            lines.append((position, position + len(line), stripped))
        position += len(line) + 1
    return lines


def _key(line: str) -> str:
    """A line as it recurs from page to page: case, spacing and the numbers in it do not count."""
    return re.sub(r"\d+", "0", line.casefold())


def _masthead_lines(lines: list[tuple[int, int, str]]) -> list[int]:
    return [i for i, (_, _, line) in enumerate(lines) if len(line) <= 120 and _MASTHEAD.match(line)]


def _marker_lines(lines: list[tuple[int, int, str]]) -> list[int]:
    """Short symbol or page-marker lines repeated through the text (running headers in any text)."""
    candidates: dict[str, list[int]] = {}
    for i, (_, _, line) in enumerate(lines):
        if len(line) <= _MARKER_MAX_CHARS and (_PAGE_MARKER.match(line) or _MASTHEAD.match(line)):
            candidates.setdefault(_key(line), []).append(i)
    found: list[int] = []
    for indexes in candidates.values():
        if all(_BARE_NUMBER.match(lines[i][2]) for i in indexes):
            indexes = _page_numbers(lines, indexes)
        if len(indexes) >= _MARKER_MIN_REPEATS:
            found.extend(indexes)
    return found


def _page_numbers(lines: list[tuple[int, int, str]], indexes: list[int]) -> list[int]:
    """The longest run of bare numbers that goes up from page to page, a page of text apart."""
    best: list[int] = []
    run: list[int] = []
    for i in indexes:
        if run and (int(lines[i][2]) > int(lines[run[-1]][2])
                    and lines[i][0] - lines[run[-1]][1] >= _MARKER_MIN_GAP):
            run.append(i)
        else:
            run = [i]
        if len(run) > len(best):
            best = list(run)
    return best


def _edge_lines(text: str, lines: list[tuple[int, int, str]], page_starts: tuple[int, ...]) -> list[int]:
    """Lines among the first or last few of a page that recur at the edges of many pages."""
    starts = list(page_starts) or ([0] + [m.end() for m in re.finditer("\f", text)] if "\f" in text else [])
    if len(starts) < _EDGE_MIN_PAGES:
        return []
    bounds = [*starts, len(text) + 1]
    pages: list[list[int]] = [[] for _ in starts]
    page = 0
    for i, (start, _, _) in enumerate(lines):
        while start >= bounds[page + 1]:
            page += 1
        pages[page].append(i)
    edges = [set(p[:_EDGE_LINES] + p[-_EDGE_LINES:]) for p in pages]
    counts = Counter(key for edge in edges for key in {_key(lines[i][2]) for i in edge})
    needed = max(_EDGE_MIN_PAGES, math.ceil(_EDGE_MIN_SHARE * len(starts)))
    return [i for edge in edges for i in edge
            if len(lines[i][2]) <= _EDGE_MAX_CHARS and counts[_key(lines[i][2])] >= needed]


def _toc_lines(lines: list[tuple[int, int, str]]) -> list[int]:
    """A table of contents: lines of dot leaders, of page and paragraph numbers alone (a column
    extracted apart) and headings ("Contents", "Paragraphs Page"), a few lines apart at most, with
    two leader lines at least; the lines between them, and those an entry's title wraps over."""
    marked = [i for i, (_, _, line) in enumerate(lines)
              if _is_entry(line) or _is_references(line) or _TOC_HEADER.match(line)]
    clusters: list[list[int]] = []
    for i in marked:
        if clusters and i - clusters[-1][-1] <= _TOC_REACH:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    found: set[int] = set()
    for cluster in clusters:
        if sum(_is_entry(lines[i][2]) for i in cluster) >= 2:
            found.update(range(cluster[0], cluster[-1] + 1))
    for i in sorted(i for i in found if _is_entry(lines[i][2])):
        j = i - 1  # lines wrapped above an entry's leader, in the same block (no blank line between)
        while (j >= 0 and j not in found and j >= i - 2 and _same_block(lines, j, j + 1)
               and len(lines[j][2]) <= _TOC_ENTRY_MAX_CHARS and not _ENDS_SENTENCE.search(lines[j][2])):
            found.add(j)
            j -= 1
    return sorted(found)


def _is_references(line: str) -> bool:
    return len(line) <= _MARKER_MAX_CHARS and any(c.isdigit() for c in line) and bool(_REFERENCES.match(line))


def _is_entry(line: str) -> bool:
    if ".." not in line and ". ." not in line and "…" not in line and "·" not in line:
        return False  # most lines: spares the search for a leader
    leaders = list(_LEADER.finditer(line))
    return bool(leaders) and bool(_REFERENCES.match(line[leaders[-1].end():].strip()))


def _same_block(lines: list[tuple[int, int, str]], first: int, second: int) -> bool:
    """True when line `second` follows line `first` with no blank line between."""
    return lines[second][0] == lines[first][1] + 1
