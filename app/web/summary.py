"""The Search tab's landing: a short table of the collection (from the index's own tables), the
examples to try (the bundled reports' own questions for the bundled index, else questions made from
the titles of the index's documents) and the filters' choices. The page is built with the index
served at the start; each page load shows those of the index in place then (index/search/live.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape

from corpus.languages import NAMES
from corpus.paths import BUNDLED_CORPUS
from index.search import Searcher
from index.store import LoadedIndex, manifest_corpus_dir
from index.store.listing import DocumentSummary, document_summaries

SHOWN = 12  # documents in the landing table; the rest are counted
MAX_EXAMPLES = 5

BUNDLED_EXAMPLES = [
    "How many people were detained in Nur-Sultan on the day of the presidential election?",
    "Why did the detainees in Almaty go on hunger strike?",
    "What happened to journalists covering the protests?",
    "How many people were arrested after the January 2022 unrest?",
    "Which mothers of large families were taken to pre-trial detention?",
]


def is_bundled(index: LoadedIndex) -> bool:
    if index.manifest.corpus is None:
        return False  # a BEIR index
    try:
        return manifest_corpus_dir(index.manifest).resolve() == BUNDLED_CORPUS.resolve()
    except OSError:
        return False


def examples(index: LoadedIndex, summaries: list[DocumentSummary] | None = None) -> list[str]:
    """Questions to try on this index."""
    if is_bundled(index):
        return list(BUNDLED_EXAMPLES)
    summaries = document_summaries(index) if summaries is None else summaries
    titled = sorted((s for s in summaries if s.title.strip() and s.passages), key=lambda s: -s.passages)
    seen: list[str] = []
    for summary in titled:
        title = " ".join(summary.title.split())[:120]
        question = f"What does “{title}” report?"
        if question not in seen:
            seen.append(question)
        if len(seen) == MAX_EXAMPLES:
            break
    return seen


def summary_html(summaries: list[DocumentSummary]) -> str:
    """The collection as a short table: title, publisher, date ("no date" for an undated report),
    language, passages; every value escaped."""
    rows = "".join(
        f"<tr><td>{escape(s.title)}</td><td>{escape(s.publisher)}</td>"
        f'<td class="vb-date">{escape(s.date) if s.date else "<span class=vb-no-date>no date</span>"}</td>'
        f"<td>{escape(NAMES.get(s.language, s.language))}</td><td>{s.passages}</td></tr>"
        for s in summaries[:SHOWN]
    )
    total = sum(s.passages for s in summaries)
    more = f" (the first {SHOWN} shown)" if len(summaries) > SHOWN else ""
    return (
        f'<div class="vb-collection-summary"><p>This collection: {len(summaries)} documents, {total} passages{more}.</p>'
        "<table><thead><tr><th>Title</th><th>Publisher</th><th>Date</th><th>Language</th><th>Passages</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></div>"
    )


@dataclass(frozen=True)
class Landing:
    """What the Search tab shows of one index besides its results."""

    publishers: list[str]
    documents: list[tuple[str, str]]  # (label, doc_id), by title
    languages: list[tuple[str, str]]  # (name, code)
    examples: list[str]
    summary: str  # HTML


@lru_cache(maxsize=1)  # one page load after another asks the same searcher: read its documents once
def landing(searcher: Searcher) -> Landing:
    summaries = document_summaries(searcher.index)
    by_title = sorted(summaries, key=lambda s: s.title)
    return Landing(
        publishers=searcher.publishers(),
        documents=[(f"{s.title} ({s.doc_id})", s.doc_id) for s in by_title],
        languages=[(NAMES.get(code, code), code) for code in searcher.languages()],
        examples=examples(searcher.index, summaries),
        summary=summary_html(summaries),
    )
