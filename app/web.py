"""The Gradio app: a question box, options and filters, ranked passages with citations.

It only talks to people: retrieval is the Searcher's, rendering is render.py's.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path

# Set before gradio is imported: no analytics, no telemetry, nothing leaves the machine.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import gradio as gr  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.middleware.cors import CORSMiddleware  # noqa: E402
from fastapi.responses import HTMLResponse  # noqa: E402
from starlette.convertors import Convertor, register_url_convertor  # noqa: E402

from app import arguments  # noqa: E402
from app.arguments import ArgumentError  # noqa: E402
from app.export import FORMATS, export_text  # noqa: E402
from app.messages import worded  # noqa: E402
from app.payload import answer_payload, hit_payload  # noqa: E402
from app.render import render_hits, render_message, render_source  # noqa: E402
from app.render_eval import render_evaluation, render_evaluation_message  # noqa: E402
from app.request import SearchRequest  # noqa: E402
from app.security import MAX_UPLOAD_BYTES, HostCheck, UploadRefused, allowed_hosts, origins, uploaded_file  # noqa: E402
from corpus.errors import VerbatimError  # noqa: E402
from corpus.languages import NAMES as LANGUAGE_NAMES  # noqa: E402
from eval.questions import BUNDLED_QUESTION_SETS, load_questions  # noqa: E402
from eval.report import recall_plot  # noqa: E402
from eval.runner import evaluate_questions  # noqa: E402
from index.config import MODES  # noqa: E402
from index.search import Searcher  # noqa: E402

# Searches that may run at once (the model, FAISS and BM25 are shared and safe across threads): one
# slow search no longer holds up the rest. One per core: on 2 cores, 4 at once measured a little
# less throughput than 2 (ONNX and FAISS already use every core). An evaluation runs alone.
SEARCH_CONCURRENCY = int(os.environ.get("VERBATIM_SEARCH_CONCURRENCY") or max(2, min(16, os.cpu_count() or 1)))
QUEUE_SIZE = 256  # requests waiting beyond this are turned away ("the queue is full")

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
.vb-eval-table { border-collapse: collapse; margin: .5em 0 1em; font-size: 14px; }
.vb-eval-table th, .vb-eval-table td { border: 1px solid #ddd; padding: .2em .6em; text-align: left; }
.vb-eval-worst { white-space: pre-wrap; word-break: break-word; font-size: 13px; background: #f6f6f6; padding: .5em; }
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
        try:
            request = SearchRequest.from_values(question, mode, k, publishers, doc_ids, since, until, languages,
                                                default_mode=default_mode)
        except ArgumentError as error:
            return render_message(str(error)), []
        if not request.question.strip():
            return render_message("Type a question about the reports, or pick an example."), []
        try:
            hits, verdict = request.answer(searcher)
        except VerbatimError as error:
            return render_message(worded(error, "page")), []
        html = render_hits(hits, mode=request.mode, filters=request.filters, verdict=verdict)
        return html, [hit_payload(hit) for hit in hits]

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
        try:
            request = SearchRequest.from_values(question, mode, k, publishers, doc_ids, since, until, languages,
                                                default_mode=default_mode)
            hits, verdict = request.answer(searcher)
        except ArgumentError as error:
            raise gr.Error(str(error)) from error
        except VerbatimError as error:
            raise gr.Error(worded(error, "api")) from error
        return json.dumps(answer_payload(request, hits, verdict), ensure_ascii=False)

    bundled_sets = sorted(path.stem for path in BUNDLED_QUESTION_SETS.glob("*.jsonl"))

    def evaluate(
        question_set: str, upload: str | None, modes: list[str], progress: gr.Progress = gr.Progress()  # noqa: B008
    ) -> tuple[str, str | None]:
        """Run a question set (bundled, or an uploaded JSONL file) in each mode: results table (HTML) and plot."""
        if not modes:
            return render_evaluation_message("Pick at least one mode to evaluate.", refused=False), None
        unknown = [m for m in modes if m not in MODES] if isinstance(modes, list) else [modes]
        if unknown:
            return render_evaluation_message(f"unknown mode {unknown[0]!r}; use one of {', '.join(MODES)}"), None
        if upload:
            try:
                path = uploaded_file(upload)  # only a small regular file the page uploaded; nothing else is read
            except UploadRefused as error:
                return render_evaluation_message(str(error)), None
            name = Path(upload).stem
        elif question_set in bundled_sets:
            path, name = BUNDLED_QUESTION_SETS / f"{question_set}.jsonl", question_set
        else:
            return render_evaluation_message(f"unknown question set {question_set!r}; pick one of "
                                             f"{', '.join(bundled_sets)} or upload a .jsonl file"), None
        try:
            questions = load_questions(path, searcher.index.documents)
        except (VerbatimError, OSError, UnicodeDecodeError) as error:
            return render_evaluation_message(str(error)), None
        long = next((q for q in questions if len(str(q.text)) > arguments.MAX_QUESTION_CHARS), None)
        if long is not None:
            return render_evaluation_message(f"question {long.qid} is {len(str(long.text)):,} characters long; a question "
                                             f"may have at most {arguments.MAX_QUESTION_CHARS:,}"), None
        done = [0]
        total = len(questions) * len(modes)

        def tick(mode: str, count: int) -> None:
            done[0] += count
            progress(done[0] / total, desc=f"{mode}: {done[0]} of {total} questions")

        evaluation = evaluate_questions(searcher, questions, modes, name=name, progress=tick)
        plot = Path(tempfile.mkdtemp(prefix="verbatim-eval-")) / "recall.png"
        recall_plot(evaluation, plot)
        return render_evaluation(evaluation), str(plot)

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
                upload = gr.File(label=f"…or upload your own (.jsonl, at most {MAX_UPLOAD_BYTES // 1000:,} kB)",
                                 file_types=[".jsonl"], type="filepath", elem_id="vb-upload")
            modes = gr.CheckboxGroup(list(MODES), value=["hybrid", "dense", "bm25"], label="Modes to compare")
            run = gr.Button("Run evaluation", variant="primary", elem_id="vb-evaluate")
            table = gr.HTML(elem_id="vb-eval-table")
            plot = gr.Image(label="Recall@k", type="filepath", elem_id="vb-eval-plot")
            run.click(evaluate, [question_set, upload, modes], [table, plot], api_name="evaluate",
                      concurrency_limit=1, concurrency_id="evaluate")

        inputs = [question, mode, k, publishers, doc_ids, since, until, languages]
        searching = {"concurrency_limit": SEARCH_CONCURRENCY, "concurrency_id": "search"}
        for trigger in (question.submit, button.click):
            trigger(search, inputs, [results, found, picker], js=URL_STATE_JS, api_visibility="private", **searching)
        app.load(from_url, None, [*inputs, results, found, picker], api_visibility="private", **searching)
        add.click(add_to_collection, [picker, found, collection], [collection, collection_view, picker],
                  api_visibility="private")
        clear.click(lambda: ([], render_collection([])), None, [collection, collection_view], api_visibility="private")
        export_collection.click(lambda records, fmt: export(records, fmt, "verbatim-collection"),
                                [collection, export_format], download, api_visibility="private")
        export_results.click(lambda hits, fmt: export([h["record"] for h in hits], fmt, "verbatim-results"),
                             [found, export_format], download, api_visibility="private")
        gr.api(search_html, api_name="search_html", **searching)
        gr.api(ask, api_name="ask", **searching)
    app.queue(max_size=QUEUE_SIZE)
    for block in app.blocks.values():
        if block is upload:
            guard_files(block, _uploaded_question_set)
        elif isinstance(block, gr.components.Component) and block not in (plot, download):  # those two show our files
            guard_files(block, _no_file)
    return app


def guard_files(component: gr.components.Component, check: Callable[[str | Path], None]) -> None:
    """Run `check` on every file a request names for this component before Gradio touches it. Gradio
    copies such a file into its cache before the handler runs (reading it whole to hash it: /dev/zero
    never ends), and fetches a URL given in its place. Set on the instance: a component subclass
    would make Gradio write a .pyi stub next to this module."""
    copy_async, copy = component.async_move_resource_to_block_cache, component.move_resource_to_block_cache

    async def checked_async(url_or_file_path: str | Path | None) -> str | None:
        if url_or_file_path is not None:
            check(url_or_file_path)
        return await copy_async(url_or_file_path)

    def checked(url_or_file_path: str | Path | None) -> str | None:
        if url_or_file_path is not None:
            check(url_or_file_path)
        return copy(url_or_file_path)

    component.async_move_resource_to_block_cache = checked_async  # type: ignore[method-assign]
    component.move_resource_to_block_cache = checked  # type: ignore[method-assign]


def _uploaded_question_set(path: str | Path) -> None:
    """Only a small regular file the page uploaded; never a URL, a device or a file elsewhere."""
    try:
        uploaded_file(path)
    except UploadRefused as error:
        raise gr.Error(f"Cannot use this question set: {error}", print_exception=False) from error


def _no_file(path: str | Path) -> None:
    raise gr.Error("this field takes no file; send its value as text, a number or a list", print_exception=False)


def render_collection(records: list[dict]) -> str:
    if not records:
        return '<p class="vb-summary">Your collection is empty: pick hits above and add them.</p>'
    items = "".join(f"<li><code>{escape(r['citation'])}</code></li>" for r in records)
    return f'<p class="vb-summary">{len(records)} quote{"s" if len(records) != 1 else ""} collected</p><ol>{items}</ol>'


def create_server(searcher: Searcher, host: str = "127.0.0.1", port: int = 7860,
                  allow_hosts: tuple[str, ...] = ()) -> FastAPI:
    """The Gradio app at /, and the source viewer at /source/DOC_ID?start=&end=&s=&e=&at=. Only requests
    that name this server's own host names are served; no docs pages (they load scripts from CDNs)."""
    server = FastAPI(title="Verbatim", docs_url=None, redoc_url=None, openapi_url=None)

    def source(doc_id: str, start: int | None, end: int | None, s: int | None, e: int | None,
               at: int | None) -> HTMLResponse:
        document = searcher.index.documents.get(doc_id)
        if document is None:
            known = ", ".join(sorted(searcher.index.documents)[:20])
            return HTMLResponse(f"<p>Unknown document {escape(doc_id)!r}; known: {escape(known)}</p>", 404)
        sentence = (s, e) if s is not None and e is not None else None
        return HTMLResponse(render_source(document, start, end, sentence, at))

    @server.get("/source", response_class=HTMLResponse)
    def source_by_query(doc: str = "", start: int | None = None, end: int | None = None, s: int | None = None,
                        e: int | None = None, at: int | None = None) -> HTMLResponse:
        return source(doc, start, end, s, e, at)

    @server.get("/source/{doc_id:doc_id}", response_class=HTMLResponse)
    def source_by_path(doc_id: str, start: int | None = None, end: int | None = None, s: int | None = None,
                       e: int | None = None, at: int | None = None) -> HTMLResponse:
        return source(doc_id, start, end, s, e, at)

    blocks = build_app(searcher)
    gr.mount_gradio_app(server, blocks, path="/", css=CSS, ssr_mode=False, show_error=True, footer_links=["api"],
                        max_file_size=MAX_UPLOAD_BYTES, app_kwargs={"openapi_url": None})  # /gradio_api/info stays
    # Gradio checks that a file named in a request was uploaded only once it believes it has launched,
    # which mount_gradio_app never tells it: without this, any path on the server was read and served.
    blocks.has_launched = True
    hosts = allowed_hosts(host, allow_hosts)
    # Our own CORS policy (Gradio then adds none): only this server's own origins, never another site's.
    server.add_middleware(CORSMiddleware, allow_origins=origins(hosts, port), allow_methods=["GET", "POST"],
                          allow_headers=["*"])
    server.add_middleware(HostCheck, hosts=hosts)  # outermost: a foreign Host is refused before anything runs
    return server


class _DocIdConvertor(Convertor[str]):
    """A doc_id in a path, whatever it holds: "/", "?", "#" and spaces arrive quoted, a newline too
    (Starlette's own "path" stops at a newline)."""

    regex = r"[\s\S]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("doc_id", _DocIdConvertor())


def launch(searcher: Searcher, host: str = "127.0.0.1", port: int = 7860, allow_hosts: tuple[str, ...] = ()) -> None:
    import uvicorn

    # A bounded graceful shutdown: open event streams would otherwise hold the server up forever.
    uvicorn.run(create_server(searcher, host, port, allow_hosts), host=host, port=port, log_level="warning",
                timeout_graceful_shutdown=3)
