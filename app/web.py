"""The Gradio app: a question box, options and filters, ranked passages with citations.

It only talks to people: retrieval is the Searcher's, rendering is render.py's.
"""

from __future__ import annotations

import json
import os
import tempfile
from html import escape
from pathlib import Path

# Set before gradio is imported: no analytics, no telemetry, nothing leaves the machine.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.responses import HTMLResponse  # noqa: E402

from app.export import FORMATS, export_text  # noqa: E402
from app.render import render_hits, render_message, render_source  # noqa: E402
from corpus.errors import VerbatimError  # noqa: E402
from corpus.language import NAMES as LANGUAGE_NAMES  # noqa: E402
from eval.questions import BUNDLED_QUESTION_SETS, load_questions  # noqa: E402
from eval.report import comparison_table, rank_table, recall_plot, worst_questions  # noqa: E402
from eval.runner import evaluate_questions  # noqa: E402
from index.config import MODES  # noqa: E402
from index.duplicates import hits_payload  # noqa: E402
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
.vb-source, .vb-also { font-size: 13px; }
@media (max-width: 640px) { .vb-head { flex-direction: column; gap: 0; } .vb-hits { padding-left: 1.1em; } }
"""

# Keeps the page address in step with the search, so that it can be shared or reloaded.
URL_STATE_JS = """
(question, mode, k, publishers, docs, since, until, languages) => {
  const params = new URLSearchParams();
  if (question) params.set("q", question);
  params.set("mode", mode);
  params.set("k", k);
  (publishers || []).forEach((p) => params.append("publisher", p));
  (docs || []).forEach((d) => params.append("doc", d));
  if (since) params.set("since", since);
  if (until) params.set("until", until);
  (languages || []).forEach((l) => params.append("lang", l));
  window.history.replaceState(null, "", "?" + params.toString());
  return [question, mode, k, publishers, docs, since, until, languages];
}
"""


def build_app(searcher: Searcher) -> gr.Blocks:
    documents = sorted(searcher.index.documents.values(), key=lambda d: d.title)
    doc_choices = [(f"{d.title} ({d.doc_id})", d.doc_id) for d in documents]
    default_mode = searcher.config.mode

    def run_search(question, mode, k, publishers, doc_ids, since, until, languages=()) -> tuple[str, list[dict]]:
        """The results HTML and the hits as dicts (for the collection)."""
        if not (question or "").strip():
            return render_message("Type a question about the reports, or pick an example."), []
        filters = Filters(tuple(publishers or ()), tuple(doc_ids or ()), (since or "").strip(), (until or "").strip(),
                          tuple(languages or ()))
        try:
            hits, verdict = searcher.answer(question, mode=mode, k=int(k), filters=filters)  # type: ignore[arg-type]
        except VerbatimError as error:
            return render_message(str(error)), []
        html = render_hits(hits, mode=mode, filters=filters, verdict=verdict)
        return html, [hit.to_dict() for hit in hits]

    def search(question, mode, k, publishers, doc_ids, since, until, languages):
        html, found = run_search(question, mode, k, publishers, doc_ids, since, until, languages)
        choices = [(f"{h['rank']}. {h['title']} [{h['start']}:{h['end']}]", str(n)) for n, h in enumerate(found)]
        return html, found, gr.update(choices=choices, value=[])

    def search_html(
        question: str, mode: str = default_mode, k: int = 10, publishers: list[str] | None = None,
        doc_ids: list[str] | None = None, since: str = "", until: str = "", languages: list[str] | None = None,
    ) -> str:
        """The results as the page shows them (escaped HTML)."""
        return run_search(question, mode, k, publishers, doc_ids, since, until, languages or ())[0]

    def from_url(request: gr.Request):
        """Fill the controls from the page address and run that search, so a shared link reproduces it."""
        params = request.query_params if request else {}
        question = params.get("q", "")
        if not question:
            return [gr.update()] * 11
        mode = params.get("mode", default_mode)
        mode = mode if mode in MODES else default_mode
        try:
            k = min(max(int(params.get("k", 10)), 1), 50)
        except ValueError:
            k = 10
        publishers = params.getlist("publisher") if hasattr(params, "getlist") else []
        doc_ids = params.getlist("doc") if hasattr(params, "getlist") else []
        since, until = params.get("since", ""), params.get("until", "")
        languages = params.getlist("lang") if hasattr(params, "getlist") else []
        html, found, picker = search(question, mode, k, publishers, doc_ids, since, until, languages)
        return question, mode, k, publishers, doc_ids, since, until, languages, html, found, picker

    def add_to_collection(picked: list[str], found: list[dict], collection: list[dict]):
        have = {(r["doc_id"], r["start"], r["end"]) for r in collection}
        added = [found[int(n)]["record"] for n in picked or [] if int(n) < len(found)]
        collection = collection + [r for r in added if (r["doc_id"], r["start"], r["end"]) not in have]
        return collection, render_collection(collection), gr.update(value=[])

    def export(records: list[dict], format_name: str, name: str) -> str | None:
        if not records:
            gr.Warning("Nothing to export yet.")
            return None
        path = Path(tempfile.mkdtemp(prefix="verbatim-export-")) / f"{name}.{FORMATS[format_name]}"
        path.write_text(export_text(records, format_name), encoding="utf-8")
        return str(path)

    def ask(
        question: str,
        mode: str = default_mode,
        k: int = 10,
        publishers: list[str] | None = None,
        doc_ids: list[str] | None = None,
        since: str = "",
        until: str = "",
        languages: list[str] | None = None,
    ) -> str:
        """Ranked passages with citations: the JSON text that `verbatim ask --json` prints.

        Text rather than a dict, because gradio_client takes any dict with a "path" key for a
        file to download, and every hit has one.
        """
        filters = Filters(tuple(publishers or ()), tuple(doc_ids or ()), since or "", until or "", tuple(languages or ()))
        try:
            hits, verdict = searcher.answer(question, mode=mode, k=int(k), filters=filters)  # type: ignore[arg-type]
        except VerbatimError as error:
            raise gr.Error(str(error)) from error
        answer = verdict_fields(verdict)
        return json.dumps(
            {"question": question, "mode": mode, **answer, "hits": hits_payload(hits)}, ensure_ascii=False
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
            with gr.Row():
                question = gr.Textbox(
                    label="Question (Enter searches)", placeholder="e.g. Who was detained in Almaty on 9 June?",
                    scale=5, elem_id="vb-question",
                )
                button = gr.Button("Search", variant="primary", scale=1, elem_id="vb-search")
            with gr.Row():
                mode = gr.Radio(list(MODES), value=default_mode, label="Mode", elem_id="vb-mode")
                k = gr.Slider(1, 50, value=10, step=1, label="Passages", elem_id="vb-k")
            with gr.Row():
                publishers = gr.Dropdown(searcher.publishers(), multiselect=True, label="Publisher")
                doc_ids = gr.Dropdown(doc_choices, multiselect=True, label="Document")
                since = gr.Textbox(label="Since (YYYY[-MM[-DD]])", max_lines=1, elem_id="vb-since")
                until = gr.Textbox(label="Until (YYYY[-MM[-DD]])", max_lines=1, elem_id="vb-until")
                languages = gr.Dropdown([(LANGUAGE_NAMES.get(code, code), code) for code in searcher.languages()],
                                        multiselect=True, label="Passage language", elem_id="vb-language")
            results = gr.HTML(elem_id="vb-results")
            found = gr.State([])
            with gr.Accordion("Collect quotes and export", open=True):
                picker = gr.CheckboxGroup([], label="Pick hits to add to your collection", elem_id="vb-picker")
                with gr.Row():
                    add = gr.Button("Add to collection", elem_id="vb-add")
                    clear = gr.Button("Empty the collection", elem_id="vb-clear")
                collection = gr.State([])
                collection_view = gr.HTML(render_collection([]), elem_id="vb-collection")
                with gr.Row():
                    export_format = gr.Radio(list(FORMATS), value="Markdown", label="Export format",
                                             elem_id="vb-format")
                    export_collection = gr.Button("Export the collection", elem_id="vb-export-collection")
                    export_results = gr.Button("Export the current results", elem_id="vb-export-results")
                download = gr.File(label="Exported file", elem_id="vb-download")
            gr.Examples(EXAMPLES, inputs=question)
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

        inputs = [question, mode, k, publishers, doc_ids, since, until, languages]
        for trigger in (question.submit, button.click):
            trigger(search, inputs, [results, found, picker], js=URL_STATE_JS, api_visibility="private")
        app.load(from_url, None, [*inputs, results, found, picker], api_visibility="private")
        add.click(add_to_collection, [picker, found, collection], [collection, collection_view, picker],
                  api_visibility="private")
        clear.click(lambda: ([], render_collection([])), None, [collection, collection_view], api_visibility="private")
        export_collection.click(lambda records, fmt: export(records, fmt, "verbatim-collection"),
                                [collection, export_format], download, api_visibility="private")
        export_results.click(lambda hits, fmt: export([h["record"] for h in hits], fmt, "verbatim-results"),
                             [found, export_format], download, api_visibility="private")
        gr.api(search_html, api_name="search_html")
        gr.api(ask, api_name="ask")
    return app


def render_collection(records: list[dict]) -> str:
    if not records:
        return '<p class="vb-summary">Your collection is empty: pick hits above and add them.</p>'
    items = "".join(f"<li><code>{escape(r['citation'])}</code></li>" for r in records)
    return f'<p class="vb-summary">{len(records)} quote{"s" if len(records) != 1 else ""} collected</p><ol>{items}</ol>'


def create_server(searcher: Searcher) -> FastAPI:
    """The Gradio app at /, and the source viewer at /source/DOC_ID?start=&end=&s=&e=."""
    server = FastAPI(title="Verbatim")

    @server.get("/source/{doc_id}", response_class=HTMLResponse)
    def source(doc_id: str, start: int | None = None, end: int | None = None, s: int | None = None,
               e: int | None = None) -> HTMLResponse:
        document = searcher.index.documents.get(doc_id)
        if document is None:
            known = ", ".join(sorted(searcher.index.documents))
            return HTMLResponse(f"<p>Unknown document {escape(doc_id)}; known: {escape(known)}</p>", 404)
        sentence = (s, e) if s is not None and e is not None else None
        return HTMLResponse(render_source(document, start, end, sentence))

    return gr.mount_gradio_app(
        server, build_app(searcher), path="/", css=CSS, ssr_mode=False, show_error=True, footer_links=["api"]
    )


def launch(searcher: Searcher, host: str = "127.0.0.1", port: int = 7860) -> None:
    import uvicorn

    # A bounded graceful shutdown: open event streams would otherwise hold the server up forever.
    uvicorn.run(create_server(searcher), host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
