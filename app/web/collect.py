"""The collection of quotes a person picks from the results, and exporting it (or the results)."""

from __future__ import annotations

import tempfile
from html import escape
from pathlib import Path

import gradio as gr

from app.export import FORMATS, export_text


def add_to_collection(picked: list[str], found: list[dict], collection: list[dict]):
    """The picked hits' records added (once each), the collection shown, and the picker cleared."""
    have = {(r["doc_id"], r["start"], r["end"]) for r in collection}
    added = [found[int(n)]["record"] for n in picked or [] if int(n) < len(found)]
    collection = collection + [r for r in added if (r["doc_id"], r["start"], r["end"]) not in have]
    return collection, render_collection(collection), gr.update(value=[])


def empty_collection() -> tuple[list[dict], str]:
    return [], render_collection([])


def export(records: list[dict], format_name: str, name: str) -> str | None:
    """The records in a file of the format, for the page to offer as a download."""
    if not records:
        gr.Warning("Nothing to export yet.")
        return None
    path = Path(tempfile.mkdtemp(prefix="verbatim-export-")) / f"{name}.{FORMATS[format_name]}"
    path.write_text(export_text(records, format_name), encoding="utf-8")
    return str(path)


def export_collection(records: list[dict], format_name: str) -> str | None:
    return export(records, format_name, "verbatim-collection")


def export_results(hits: list[dict], format_name: str) -> str | None:
    return export([h["record"] for h in hits], format_name, "verbatim-results")


def render_collection(records: list[dict]) -> str:
    if not records:
        return '<p class="vb-summary">Your collection is empty: pick hits above and add them.</p>'
    items = "".join(f"<li><code>{escape(r['citation'])}</code></li>" for r in records)
    return f'<p class="vb-summary">{len(records)} quote{"s" if len(records) != 1 else ""} collected</p><ol>{items}</ol>'
