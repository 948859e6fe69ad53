"""The Gradio app: a question box, options and filters, ranked passages with citations.

It only talks to people: retrieval is the Searcher's, rendering is render.py's.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

# Set before gradio is imported: no analytics, no telemetry, nothing leaves the machine.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402

from app.render import render_hits, render_message  # noqa: E402
from corpus.errors import VerbatimError  # noqa: E402
from eval.questions import BUNDLED_QUESTION_SETS, load_questions  # noqa: E402
from eval.report import comparison_table, rank_table, recall_plot, worst_questions  # noqa: E402
from eval.runner import evaluate_questions  # noqa: E402
from index.config import MODES  # noqa: E402
from index.search import Filters, Searcher, verdict_fields  # noqa: E402

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
.vb-answer { background: #fff3b0; padding: 0 .1em; }
.vb-best { border: 1px solid #c9d7f0; border-radius: 6px; padding: .6em .9em; margin-bottom: 1em; background: #f6f9ff; }
.vb-best-label { font-weight: 600; font-size: 13px; color: #335; }
.vb-best-quote { margin: .3em 0; font-size: 16px; }
.vb-notfound { border: 1px solid #e3b4b4; border-radius: 6px; padding: .6em .9em; margin-bottom: 1em; background: #fff4f4; }
.vb-unanswered .vb-hit { opacity: .8; }
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
        return render_hits(hits, mode=mode, filters=filters, verdict=searcher.verdict(question, hits))

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
        answer = verdict_fields(searcher.verdict(question, hits))
        return json.dumps(
            {"question": question, "mode": mode, **answer, "hits": [hit.to_dict() for hit in hits]}, ensure_ascii=False
        )

    def evaluate(
        question_set: str, upload: str | None, modes: list[str], progress: gr.Progress = gr.Progress()  # noqa: B008
    ) -> tuple[str, str | None]:
        """Run a question set (bundled, or an uploaded JSONL file) in each mode: Markdown table and plot."""
        path = Path(upload) if upload else BUNDLED_QUESTION_SETS / f"{question_set}.jsonl"
        if not modes:
            return "Pick at least one mode to evaluate.", None
        try:
            questions = load_questions(path, searcher.index.documents)
        except (VerbatimError, OSError, UnicodeDecodeError) as error:
            return f"**Cannot use this question set:** {error}", None
        done = [0]
        total = len(questions) * len(modes)

        def tick(mode: str, count: int) -> None:
            done[0] += count
            progress(done[0] / total, desc=f"{mode}: {done[0]} of {total} questions")

        name = Path(upload).stem if upload else question_set
        evaluation = evaluate_questions(searcher, questions, modes, name=name, progress=tick)
        plot = Path(tempfile.mkdtemp(prefix="verbatim-eval-")) / "recall.png"
        recall_plot(evaluation, plot)
        worst = "\n\n".join(f"```\n{block}\n```" for block in worst_questions(evaluation, evaluation.best_mode()))
        markdown = (
            f"### {name}: {len(questions)} questions\n\n{comparison_table(evaluation, markdown=True)}\n\n"
            f"Best mode by nDCG@10: **{evaluation.best_mode()}**.\n\n"
            f"#### Worst questions in {evaluation.best_mode()}\n\n{worst or 'None.'}\n\n"
            f"#### Rank of the first relevant passage\n\n{rank_table(evaluation, markdown=True)}"
        )
        return markdown, str(plot)

    bundled_sets = sorted(path.stem for path in BUNDLED_QUESTION_SETS.glob("*.jsonl"))
    with gr.Blocks(title="Verbatim", analytics_enabled=False) as app:
        gr.Markdown(
            "# Verbatim\nAsk a question of the reports; every passage comes with a citation "
            "that points at its exact place in the source."
        )
        with gr.Tab("Search"):
            search_tab(searcher, search_html, doc_choices)
        with gr.Tab("Evaluate"):
            gr.Markdown(
                "Measure retrieval on a question set: JSONL lines of "
                '`{"id", "question", "answers": [{"quote", "doc_id"}]}` whose quotes are exact words of the reports.'
            )
            with gr.Row():
                question_set = gr.Dropdown(bundled_sets, value=bundled_sets[0] if bundled_sets else None,
                                           label="Bundled question set")
                upload = gr.File(label="…or upload your own (.jsonl)", file_types=[".jsonl"], type="filepath")
            modes = gr.CheckboxGroup(list(MODES), value=["hybrid", "dense", "bm25"], label="Modes to compare")
            run = gr.Button("Run evaluation", variant="primary", elem_id="vb-evaluate")
            table = gr.Markdown(elem_id="vb-eval-table")
            plot = gr.Image(label="Recall@k", type="filepath", elem_id="vb-eval-plot")
            run.click(evaluate, [question_set, upload, modes], [table, plot], api_name="evaluate")
        gr.api(ask, api_name="ask")
    return app


def search_tab(searcher: Searcher, search_html, doc_choices: list[tuple[str, str]]) -> None:
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


def launch(searcher: Searcher, host: str = "127.0.0.1", port: int = 7860) -> None:
    build_app(searcher).launch(
        server_name=host, server_port=port, share=False, ssr_mode=False, css=CSS, show_error=True
    )
