"""The Gradio app: a question box, options and filters, ranked passages with citations; an
evaluation tab; the source viewer. It only talks to people: retrieval is the Searcher's, rendering
is app/render.py's.

page.py lays out the page and wires it; search.py, collect.py and evaluate.py hold its handlers
and APIs; guard.py keeps files out of requests; server.py serves it all."""

import os

# Set before gradio is imported: no analytics, no telemetry, nothing leaves the machine.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from app.web.page import build_app  # noqa: E402
from app.web.server import create_server, launch  # noqa: E402

__all__ = ["build_app", "create_server", "launch"]
