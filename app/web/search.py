"""The search tab's handlers and the /search_html and /ask APIs, over the searcher of the index in
place (index/search/live.py), taken once per request: each turns what it was sent into a
SearchRequest once, at its door."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr

from app.arguments import ArgumentError
from app.messages import language_hint, no_match, worded
from app.payload import answer_payload, hit_payload
from app.render import render_hits, render_message
from app.request import SearchRequest
from app.web.summary import landing
from corpus.errors import VerbatimError
from index.config import MODES
from index.search.filters import undated_left_out
from index.search.live import LiveSearcher

# The search syntax (index/search/syntax.py), as the help under the question box says it.
SEARCH_SYNTAX_HELP = ('"exact phrase" finds only passages that hold it word for word · -word leaves out the passages '
                      "with that word · a OR b finds passages with either")


@dataclass(frozen=True)
class Searching:
    live: LiveSearcher

    @property
    def default_mode(self) -> str:
        return self.live.current().config.mode  # the served settings: the same across swaps

    def results(self, *values: object) -> tuple[str, list[dict]]:
        """The results HTML and the hits as dicts (for the collection), for the page's inputs
        (question, mode, k, publishers, doc_ids, since, until, languages, undated)."""
        try:
            request = SearchRequest.from_values(*values, default_mode=self.default_mode)
        except ArgumentError as error:
            return render_message(str(error)), []
        if not request.question.strip():
            return render_message("Type a question about the reports, or pick an example."), []
        searcher = self.live.current()  # one index for the whole request, whatever is swapped in meanwhile
        try:
            hits, verdict = request.answer(searcher)
            left_out = undated_left_out(request.filters, searcher.index)
        except VerbatimError as error:
            return render_message(worded(error, "page")), []
        unread = searcher.unread_language(request.question)
        hint = language_hint(unread, searcher.index.model_name, "page") if unread else ""
        html = render_hits(hits, mode=request.mode, filters=request.filters, verdict=verdict, undated_left_out=left_out,
                           hint=hint, match_band=searcher.match_band(request.question),
                           empty=no_match(request.question, request.filters.active()))
        return html, [hit_payload(hit) for hit in hits]

    def landing(self):
        """The filters' choices, the examples and the summary of the index in place (on a page load,
        and after documents were added)."""
        shown = landing(self.live.current())
        return (gr.update(choices=shown.publishers), gr.update(choices=shown.documents),
                gr.update(choices=shown.languages), gr.update(samples=[[q] for q in shown.examples]),
                shown.summary)

    def search(self, question, mode, k, publishers, doc_ids, since, until, languages, undated=False):
        """The page's search: the results (each hit with its copy and collect buttons) and the hits."""
        return self.results(question, mode, k, publishers, doc_ids, since, until, languages, undated)

    def refine(self, question, mode, k, publishers, doc_ids, since, until, languages, undated=False):
        """A filter or the mode changed: the search again, when there is a question to search."""
        if not isinstance(question, str) or not question.strip():
            return gr.update(), gr.update()
        return self.search(question, mode, k, publishers, doc_ids, since, until, languages, undated)

    def from_url(self, request: gr.Request):
        """Fill the controls from the page address and run that search, so a shared link reproduces it."""
        params = request.query_params if request else {}
        question = params.get("q", "")
        if not question:
            return [gr.update()] * 11
        mode = params.get("mode", self.default_mode)
        mode = mode if mode in MODES else self.default_mode
        try:
            k = min(max(int(params.get("k", 10)), 1), 50)
        except ValueError:
            k = 10
        publishers = params.getlist("publisher") if hasattr(params, "getlist") else []
        doc_ids = params.getlist("doc") if hasattr(params, "getlist") else []
        since, until = params.get("since", ""), params.get("until", "")
        languages = params.getlist("lang") if hasattr(params, "getlist") else []
        undated = params.get("undated", "") in ("1", "true", "yes")
        html, found = self.search(question, mode, k, publishers, doc_ids, since, until, languages, undated)
        return question, mode, k, publishers, doc_ids, since, until, languages, undated, html, found


def search_html_api(searching: Searching) -> Callable[..., str]:
    """/search_html, whose parameters and defaults Gradio reads from the signature."""
    default_mode = searching.default_mode

    def search_html(
        question: str, mode: str = default_mode, k: int = 10, publishers: list[str] | None = None,
        doc_ids: list[str] | None = None, since: str = "", until: str = "", languages: list[str] | None = None,
        undated: bool = False,
    ) -> str:
        """The results as the page shows them (escaped HTML)."""
        return searching.results(question, mode, k, publishers, doc_ids, since, until, languages or (), undated)[0]

    return search_html


def ask_api(searching: Searching) -> Callable[..., str]:
    """/ask, whose parameters and defaults Gradio reads from the signature."""
    default_mode = searching.default_mode

    def ask(
        question: str,
        mode: str = default_mode,
        k: int = 10,
        publishers: list[str] | None = None,
        doc_ids: list[str] | None = None,
        since: str = "",
        until: str = "",
        languages: list[str] | None = None,
        undated: bool = False,
    ) -> str:
        """Ranked passages with citations: the JSON text that `verbatim ask --json` prints.

        Text rather than a dict, because gradio_client takes any dict with a "path" key for a
        file to download, and every hit has one.
        """
        try:
            request = SearchRequest.from_values(question, mode, k, publishers, doc_ids, since, until, languages, undated,
                                                default_mode=default_mode)
            searcher = searching.live.current()
            hits, verdict = request.answer(searcher)
            left_out = undated_left_out(request.filters, searcher.index)
        except ArgumentError as error:
            raise gr.Error(str(error)) from error
        except VerbatimError as error:
            raise gr.Error(worded(error, "api")) from error
        return json.dumps({**answer_payload(request, hits, verdict), "undated_left_out": left_out}, ensure_ascii=False)

    return ask
