"""The page: a Search tab (question, options, filters, results, the collection and its export), an
Evaluate tab and, unless the server turns it off, an Add documents tab, laid out and wired to their
handlers. Every handler asks the index in place (index/search/live.py); each page load shows its
filters and summary."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, cast

import gradio as gr

from app.export import FORMATS
from app.security import MAX_UPLOAD_BYTES
from app.web import batch, collect, modes
from app.web.evaluate import bundled_sets, evaluate_handler
from app.web.guard import guard_blocks
from app.web.search import SEARCH_SYNTAX_HELP, Searching, ask_api, search_html_api
from app.web.style import URL_STATE_JS
from app.web.summary import landing
from app.web.upload import add_documents_tab
from index.config import MODES
from index.search import Searcher
from index.search.live import LiveSearcher

# Searches that may run at once (the model, FAISS and BM25 are shared and safe across threads): one
# slow search no longer holds up the rest. One per core: on 2 cores, 4 at once measured a little
# less throughput than 2 (ONNX and FAISS already use every core). An evaluation runs alone.
SEARCH_CONCURRENCY = int(os.environ.get("VERBATIM_SEARCH_CONCURRENCY") or max(2, min(16, os.cpu_count() or 1)))
QUEUE_SIZE = 256  # requests waiting beyond this are turned away ("the queue is full")


@dataclass(frozen=True)
class SearchTab:
    """The Search tab's components that its events read or write."""

    question: gr.Textbox
    button: gr.Button
    inputs: tuple[gr.components.Component, ...]  # question, mode, k, publishers, doc_ids, since, until, languages, undated
    results: gr.HTML
    found: gr.State  # the hits, as dicts
    collection_view: gr.HTML  # the collection, kept in the browser (app/web/collection.js)
    stored: gr.Textbox  # hidden: what the browser holds, sent along with an export
    export_format: gr.Radio
    export_collection: gr.Button
    export_results: gr.Button
    download: gr.File
    examples: Any  # gr.Examples: questions taken from this index; a click searches
    exact: gr.Checkbox  # "Exact words only": sets the mode to bm25
    advanced: gr.Accordion  # the six modes, explained
    summary: gr.HTML  # the collection, as a short table

    @property
    def landing(self) -> list[Any]:
        """What each page load brings up to date with the index in place (Searching.landing)."""
        return [self.inputs[3], self.inputs[4], self.inputs[7], self.examples.dataset, self.summary]


def build_app(live: LiveSearcher, *, uploads: bool = False) -> gr.Blocks:
    """The page over the index in place; `uploads`: with the Add documents tab."""
    searcher = live.current()
    searching = Searching(live)
    with gr.Blocks(title="Verbatim", analytics_enabled=False) as app:
        gr.Markdown(
            "# Verbatim\nAsk a question of the reports; every passage comes with a citation "
            "that points at its exact place in the source."
        )
        with gr.Tab("Search"):
            tab = search_tab(searcher)
        with gr.Tab("Evaluate"):
            upload, plot = evaluate_tab(live)
        with gr.Tab("Batch"):
            batch_tab = batch.batch_tab(live)
        if uploads:
            with gr.Tab("Add documents"):
                add_documents_tab(live).then(searching.landing, None, tab.landing, api_visibility="private")
        wire_search(app, tab, searching)
        app.load(searching.landing, None, tab.landing, api_visibility="private")
        wire_collection(tab, collect.Collecting(live))
    app.queue(max_size=QUEUE_SIZE)
    guard_blocks(app, upload, showing=(plot, tab.download, batch_tab.download),  # those show our files
                 uploads=batch_tab.uploads)
    return app


def search_tab(searcher: Searcher) -> SearchTab:
    shown = landing(searcher)
    with gr.Row():
        question = gr.Textbox(
            label="Question (Enter searches)", placeholder="e.g. Who was detained in Almaty on 9 June?",
            scale=5, elem_id="vb-question", info=SEARCH_SYNTAX_HELP,
        )
        button = gr.Button("Search", variant="primary", scale=1, elem_id="vb-search")
    with gr.Row():
        exact = gr.Checkbox(label="Exact words only", value=searcher.config.mode == modes.EXACT_MODE, elem_id="vb-exact",
                            info="The question's words, in any form, rather than its meaning")
        k = gr.Slider(1, 50, value=10, step=1, label="Passages", elem_id="vb-k")
    with gr.Row():
        publishers = gr.Dropdown(shown.publishers, multiselect=True, label="Publisher", elem_id="vb-publisher")
        doc_ids = gr.Dropdown(shown.documents, multiselect=True, label="Document")
        since = gr.Textbox(label="Since (YYYY[-MM[-DD]])", max_lines=1, elem_id="vb-since")
        until = gr.Textbox(label="Until (YYYY[-MM[-DD]])", max_lines=1, elem_id="vb-until")
        languages = gr.Dropdown(shown.languages, multiselect=True, label="Passage language", elem_id="vb-language")
        undated = gr.Checkbox(label="Include undated documents", value=False, elem_id="vb-undated",
                              info="With Since or Until: also the reports that give no date")
    with gr.Accordion("Advanced: how to search", open=False, elem_id="vb-advanced") as advanced:
        mode = gr.Radio(list(MODES), value=searcher.config.mode, label="Mode", elem_id="vb-mode")
        gr.Markdown(modes.help_markdown(), elem_id="vb-mode-help")
    results = collect.results_panel()
    found = gr.State([])
    with gr.Accordion("Your collection: quotes to cite and export", open=False, elem_id="vb-collect-panel"):
        collection_view = collect.collection_panel()
        stored = gr.Textbox(visible="hidden", elem_id="vb-collection-stored")
        with gr.Row():
            export_format = gr.Radio(list(FORMATS), value="Markdown", label="Export format", elem_id="vb-format")
            export_collection = gr.Button("Export the collection", elem_id="vb-export-collection")
            export_results = gr.Button("Export the current results", elem_id="vb-export-results")
        download = gr.File(label="Exported file", elem_id="vb-download")
    shown_examples = gr.Examples(shown.examples, inputs=question)
    summary = gr.HTML(shown.summary, elem_id="vb-collection-summary")
    return SearchTab(question, button, (question, mode, k, publishers, doc_ids, since, until, languages, undated), results,
                     found, collection_view, stored, export_format, export_collection, export_results, download,
                     shown_examples, exact, advanced, summary)


def evaluate_tab(live: LiveSearcher) -> tuple[gr.File, gr.Image]:
    """The tab's controls, wired to /evaluate; the upload and the plot (file components) go back."""
    gr.Markdown(
        "Measure retrieval on a question set: JSONL lines of "
        '`{"id", "question", "answers": [{"quote", "doc_id"}]}` whose quotes are exact words of the reports.'
    )
    names = bundled_sets()
    with gr.Row():
        question_set = gr.Dropdown(names, value=names[0] if names else None, label="Bundled question set")
        upload = gr.File(label=f"…or upload your own (.jsonl, at most {MAX_UPLOAD_BYTES // 1000:,} kB)",
                         file_types=[".jsonl"], type="filepath", elem_id="vb-upload")
    modes = gr.CheckboxGroup(list(MODES), value=["hybrid", "dense", "bm25"], label="Modes to compare")
    run = gr.Button("Run evaluation", variant="primary", elem_id="vb-evaluate")
    table = gr.HTML(elem_id="vb-eval-table")
    plot = gr.Image(label="Recall@k", type="filepath", elem_id="vb-eval-plot")
    run.click(evaluate_handler(live), [question_set, upload, modes], [table, plot], api_name="evaluate",
              concurrency_limit=1, concurrency_id="evaluate")
    return upload, plot


def wire_search(app: gr.Blocks, tab: SearchTab, searching: Searching) -> None:
    """The Search tab's events, and the /search_html and /ask APIs (the searches share their concurrency)."""
    inputs, shown = list(tab.inputs), [tab.results, tab.found]
    searches: dict[str, Any] = {"concurrency_limit": SEARCH_CONCURRENCY, "concurrency_id": "search"}
    for trigger in (tab.question.submit, tab.button.click):
        trigger(searching.search, inputs, shown, js=URL_STATE_JS, api_visibility="private", **searches)
    # A filter or the mode changed by the user searches again (the results never show other filters'):
    # the dropdowns, the mode and the checkbox as they change, the dates on Enter (on leaving the box
    # too, a search would race the one the next click starts).
    mode, _, publishers, doc_ids, since, until, languages, undated = cast(tuple[Any, ...], tab.inputs[1:])
    for trigger in (mode.input, publishers.input, doc_ids.input, languages.input, undated.input,
                    since.submit, until.submit):
        trigger(searching.refine, inputs, shown, js=URL_STATE_JS, api_visibility="private", **searches)
    app.load(searching.from_url, None, [*inputs, *shown], api_visibility="private", **searches)
    # "Exact words only" sets the mode and searches again; the mode, however set, shows in both.
    tab.exact.input(modes.exact_to_mode(searching.default_mode), tab.exact, mode, api_visibility="private",
                    queue=False).then(searching.refine, inputs, shown, js=URL_STATE_JS, api_visibility="private",
                                      **searches)
    mode.change(modes.mode_to_shown(searching.default_mode), mode, [tab.exact, tab.advanced], api_visibility="private",
                queue=False)
    # Clicking an example fills the question box (Gradio's own handler), then searches it at once.
    tab.examples.load_input_event.then(searching.search, inputs, shown, js=URL_STATE_JS, api_visibility="private",
                                       **searches)
    gr.api(search_html_api(searching), api_name="search_html", **searches)
    gr.api(ask_api(searching), api_name="ask", **searches)


def wire_collection(tab: SearchTab, collecting: collect.Collecting) -> None:
    """Exports: the collection the browser holds (read by the button's script), or the current results."""
    tab.export_collection.click(collecting.export_collection, [tab.stored, tab.export_format], tab.download,
                                js=collect.READ_STORED_JS, api_visibility="private")
    tab.export_results.click(collect.export_results, [tab.found, tab.export_format], tab.download,
                             api_visibility="private")
