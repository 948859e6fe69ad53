"""The page: a Search tab (question, options, filters, results, the collection and its export) and an
Evaluate tab, laid out and wired to their handlers."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, cast

import gradio as gr

from app.export import FORMATS
from app.security import MAX_UPLOAD_BYTES
from app.web import collect
from app.web.evaluate import bundled_sets, evaluate_handler
from app.web.guard import guard_blocks
from app.web.search import Searching, ask_api, search_html_api
from app.web.style import URL_STATE_JS
from app.web.summary import examples, summary_html
from corpus.languages import NAMES as LANGUAGE_NAMES
from index.config import MODES
from index.search import Searcher
from index.store.listing import document_summaries

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


def build_app(searcher: Searcher) -> gr.Blocks:
    searching = Searching(searcher)
    with gr.Blocks(title="Verbatim", analytics_enabled=False) as app:
        gr.Markdown(
            "# Verbatim\nAsk a question of the reports; every passage comes with a citation "
            "that points at its exact place in the source."
        )
        with gr.Tab("Search"):
            tab = search_tab(searcher)
        with gr.Tab("Evaluate"):
            upload, plot = evaluate_tab(searcher)
        wire_search(app, tab, searching)
        wire_collection(tab, collect.Collecting(searcher))
    app.queue(max_size=QUEUE_SIZE)
    guard_blocks(app, upload, showing=(plot, tab.download))  # those two show our files
    return app


def search_tab(searcher: Searcher) -> SearchTab:
    documents = sorted(searcher.index.documents.values(), key=lambda d: d.title)
    with gr.Row():
        question = gr.Textbox(
            label="Question (Enter searches)", placeholder="e.g. Who was detained in Almaty on 9 June?",
            scale=5, elem_id="vb-question",
        )
        button = gr.Button("Search", variant="primary", scale=1, elem_id="vb-search")
    with gr.Row():
        mode = gr.Radio(list(MODES), value=searcher.config.mode, label="Mode", elem_id="vb-mode")
        k = gr.Slider(1, 50, value=10, step=1, label="Passages", elem_id="vb-k")
    with gr.Row():
        publishers = gr.Dropdown(searcher.publishers(), multiselect=True, label="Publisher", elem_id="vb-publisher")
        doc_ids = gr.Dropdown([(f"{d.title} ({d.doc_id})", d.doc_id) for d in documents], multiselect=True,
                              label="Document")
        since = gr.Textbox(label="Since (YYYY[-MM[-DD]])", max_lines=1, elem_id="vb-since")
        until = gr.Textbox(label="Until (YYYY[-MM[-DD]])", max_lines=1, elem_id="vb-until")
        languages = gr.Dropdown([(LANGUAGE_NAMES.get(code, code), code) for code in searcher.languages()],
                                multiselect=True, label="Passage language", elem_id="vb-language")
        undated = gr.Checkbox(label="Include undated documents", value=False, elem_id="vb-undated",
                              info="With Since or Until: also the reports that give no date")
    results = gr.HTML(elem_id="vb-results")
    found = gr.State([])
    with gr.Accordion("Your collection: quotes to cite and export", open=True):
        collection_view = collect.collection_panel()
        stored = gr.Textbox(visible="hidden", elem_id="vb-collection-stored")
        with gr.Row():
            export_format = gr.Radio(list(FORMATS), value="Markdown", label="Export format", elem_id="vb-format")
            export_collection = gr.Button("Export the collection", elem_id="vb-export-collection")
            export_results = gr.Button("Export the current results", elem_id="vb-export-results")
        download = gr.File(label="Exported file", elem_id="vb-download")
    summaries = document_summaries(searcher.index)
    shown_examples = gr.Examples(examples(searcher.index, summaries), inputs=question)
    gr.HTML(summary_html(summaries), elem_id="vb-collection-summary")
    return SearchTab(question, button, (question, mode, k, publishers, doc_ids, since, until, languages, undated), results,
                     found, collection_view, stored, export_format, export_collection, export_results, download,
                     shown_examples)


def evaluate_tab(searcher: Searcher) -> tuple[gr.File, gr.Image]:
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
    run.click(evaluate_handler(searcher), [question_set, upload, modes], [table, plot], api_name="evaluate",
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
