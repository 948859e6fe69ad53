"""The server: the Gradio app at /, the source viewer at /source, only for this server's own host names."""

from __future__ import annotations

from html import escape

import gradio as gr
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse
from starlette.convertors import Convertor, register_url_convertor

from app.render import render_source
from app.security import MAX_REPORT_BYTES, MAX_UPLOAD_BYTES, HostCheck, allowed_hosts, origins
from app.web.page import build_app
from app.web.style import CSS, THEME
from index.search.live import LiveSearcher


def create_server(live: LiveSearcher, host: str = "127.0.0.1", port: int = 7860,
                  allow_hosts: tuple[str, ...] = (), uploads: bool = False) -> FastAPI:
    """The Gradio app at /, and the source viewer at /source/DOC_ID?start=&end=&s=&e=&at=, over the
    index in place; `uploads`: with the Add documents tab. Only requests that name this server's own
    host names are served; no docs pages (they load scripts from CDNs)."""
    server = FastAPI(title="Verbatim", docs_url=None, redoc_url=None, openapi_url=None)
    add_source_viewer(server, live)
    blocks = build_app(live, uploads=uploads)
    # No file larger than a field takes is even received: a question set's limit, or a report's.
    largest = MAX_REPORT_BYTES if uploads else MAX_UPLOAD_BYTES
    gr.mount_gradio_app(server, blocks, path="/", css=CSS, theme=THEME, ssr_mode=False, show_error=True,
                        footer_links=["api"], max_file_size=largest, app_kwargs={"openapi_url": None})
    # Gradio checks that a file named in a request was uploaded only once it believes it has launched,
    # which mount_gradio_app never tells it: without this, any path on the server was read and served.
    blocks.has_launched = True
    hosts = allowed_hosts(host, allow_hosts)
    # Our own CORS policy (Gradio then adds none): only this server's own origins, never another site's.
    server.add_middleware(CORSMiddleware, allow_origins=origins(hosts, port), allow_methods=["GET", "POST"],
                          allow_headers=["*"])
    server.add_middleware(HostCheck, hosts=hosts)  # outermost: a foreign Host is refused before anything runs
    return server


def add_source_viewer(server: FastAPI, live: LiveSearcher) -> None:
    """/source/DOC_ID?… and /source?doc=DOC_ID&…: a document of the index in place, the span marked,
    scrolled to it."""

    def source(doc_id: str, start: int | None, end: int | None, s: int | None, e: int | None,
               at: int | None) -> HTMLResponse:
        searcher = live.current()
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


class _DocIdConvertor(Convertor[str]):
    """A doc_id in a path, whatever it holds: "/", "?", "#" and spaces arrive quoted, a newline too
    (Starlette's own "path" stops at a newline)."""

    regex = r"[\s\S]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("doc_id", _DocIdConvertor())


def launch(live: LiveSearcher, host: str = "127.0.0.1", port: int = 7860, allow_hosts: tuple[str, ...] = (),
           uploads: bool = False) -> None:
    import uvicorn

    # A bounded graceful shutdown: open event streams would otherwise hold the server up forever.
    uvicorn.run(create_server(live, host, port, allow_hosts, uploads), host=host, port=port, log_level="warning",
                timeout_graceful_shutdown=3)
