"""The Gradio app: a question box, options and filters, ranked passages with citations.

It only talks to people: retrieval is the Searcher's, rendering is render.py's.
"""

from __future__ import annotations

import json
import os

# Set before gradio is imported: no analytics, no telemetry, nothing leaves the machine.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from app.render import render_hits, render_message  # noqa: E402
from corpus.errors import VerbatimError  # noqa: E402
from index.config import MODES  # noqa: E402
from index.search import Filters, Searcher  # noqa: E402

EXAMPLES = [
    "How many people were detained in Nur-Sultan on the day of the presidential election?",
    "Why did the detainees in Almaty go on hunger strike?",
    "What happened to journalists covering the protests?",
    "How many people were arrested after the January 2022 unrest?",
    "Which mothers of large families were taken to pre-trial detention?",
]

CSS = """
.vb-results { font-size: 15px; }
.vb-summary { color: #555; margin-bottom: .5em; }
.vb-hits { padding-left: 1.4em; }
.vb-hit { margin-bottom: 1.2em; }
.vb-head { display: flex; justify-content: space-between; gap: 1em; font-weight: 600; }
.vb-score { font-weight: 400; color: #777; white-space: nowrap; }
.vb-meta { color: #555; font-size: 13px; }
.vb-text { margin: .4em 0; padding-left: .8em; border-left: 3px solid #c9d7f0; }
.vb-cite code { font-size: 12px; white-space: normal; word-break: break-word; }
"""


def build_app(searcher: Searcher) -> gr.Blocks:
    documents = sorted(searcher.index.documents.values(), key=lambda d: d.title)
    doc_choices = [(f"{d.title} ({d.doc_id})", d.doc_id) for d in documents]

    def search_html(question: str, mode: str, k: float, publishers: list[str], doc_ids: list[str]) -> str:
        filters = Filters(publishers=tuple(publishers or ()), doc_ids=tuple(doc_ids or ()))
        if not (question or "").strip():
            return render_message("Type a question about the reports, or pick an example.")
        try:
            hits = searcher.search(question, mode=mode, k=int(k), filters=filters)  # type: ignore[arg-type]
        except VerbatimError as error:
            return render_message(str(error))
        return render_hits(hits, mode=mode, filters=filters)

    def ask(
        question: str,
        mode: str = searcher.config.mode,
        k: int = 10,
        publishers: list[str] | None = None,
        doc_ids: list[str] | None = None,
        since: str = "",
        until: str = "",
    ) -> str:
        """Ranked passages with citations: the JSON text that `verbatim ask --json` prints.

        Text rather than a dict, because gradio_client takes any dict with a "path" key for a
        file to download, and every hit has one.
        """
        filters = Filters(tuple(publishers or ()), tuple(doc_ids or ()), since or "", until or "")
        try:
            hits = searcher.search(question, mode=mode, k=int(k), filters=filters)  # type: ignore[arg-type]
        except VerbatimError as error:
            raise gr.Error(str(error)) from error
        return json.dumps(
            {"question": question, "mode": mode, "hits": [hit.to_dict() for hit in hits]}, ensure_ascii=False
        )

    with gr.Blocks(title="Verbatim", analytics_enabled=False) as app:
        gr.Markdown(
            "# Verbatim\nAsk a question of the reports; every passage comes with a citation "
            "that points at its exact place in the source."
        )
        with gr.Row():
            question = gr.Textbox(
                label="Question", placeholder="e.g. Who was detained in Almaty on 9 June?", scale=5,
                elem_id="vb-question",
            )
            button = gr.Button("Search", variant="primary", scale=1, elem_id="vb-search")
        with gr.Row():
            mode = gr.Radio(list(MODES), value=searcher.config.mode, label="Mode")
            k = gr.Slider(1, 50, value=10, step=1, label="Passages")
        with gr.Row():
            publishers = gr.Dropdown(searcher.publishers(), multiselect=True, label="Publisher")
            doc_ids = gr.Dropdown(doc_choices, multiselect=True, label="Document")
        results = gr.HTML(elem_id="vb-results")
        gr.Examples(EXAMPLES, inputs=question)
        inputs = [question, mode, k, publishers, doc_ids]
        question.submit(search_html, inputs, results, api_name="search_html")
        button.click(search_html, inputs, results, api_visibility="private")
        gr.api(ask, api_name="ask")
    return app


def launch(searcher: Searcher, host: str = "127.0.0.1", port: int = 7860) -> None:
    build_app(searcher).launch(
        server_name=host, server_port=port, share=False, ssr_mode=False, css=CSS, show_error=True
    )
