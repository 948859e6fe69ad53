"""The collection of quotes a person picks from the results, and exporting it (or the results).

The collection lives in the browser (localStorage, app/web/collection.js): it outlives a reload and a
restart of the server, and holds each quote's citation record. Exporting sends it here, where
app/collection.py checks it and makes every record afresh from the index; the file is named after
the collection."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from app.collection import CollectionError, file_stem, read_collection
from app.export import FORMATS, export_text
from index.search.live import LiveSearcher

SCRIPT = (Path(__file__).parent / "collection.js").read_text(encoding="utf-8")
STORAGE_KEY = "verbatim.collection"  # as in collection.js
# The export button's script: what the browser holds, sent as the hidden field's value.
READ_STORED_JS = f"""(stored, format) => {{
  let held = "";
  try {{ held = window.localStorage.getItem("{STORAGE_KEY}") || ""; }} catch (error) {{ held = ""; }}
  return [held, format];
}}"""

CSS = """
#vb-collection .vb-coll-head { display: flex; flex-wrap: wrap; align-items: center; gap: .4em 1em; }
#vb-collection .vb-coll-name { font-weight: 600; font-size: 14px; }
#vb-collection .vb-coll-name input { font-weight: 400; margin-left: .4em; padding: .2em .4em; border: 1px solid #bbb;
  border-radius: 4px; min-width: 14em; max-width: 100%; }
#vb-collection .vb-coll-items { padding-left: 1.4em; }
#vb-collection .vb-coll-item { margin: .6em 0; }
#vb-collection .vb-coll-quote { margin: .2em 0; padding-left: .7em; border-left: 3px solid #c9d7f0; overflow-wrap: anywhere; }
#vb-collection .vb-coll-cite { margin-top: .1em; font-size: 12px; color: #555; overflow-wrap: anywhere; }
#vb-collection .vb-coll-warning { color: #7a1f1f; font-size: 14px; }
#vb-collection .vb-coll-note { color: #1d5b2a; font-size: 14px; }
.vb-actions, .vb-coll-actions { display: flex; flex-wrap: wrap; align-items: center; gap: .3em .8em; margin: .3em 0;
  font-size: 13px; }
.vb-actions-group { display: inline-flex; flex-wrap: wrap; align-items: center; gap: .3em; }
.vb-actions-label { color: #555; }
#vb-results .vb-actions button, #vb-collection button {
  font-size: 12px; font-weight: 400; line-height: 1.4; margin: 0; padding: .1em .55em; border: 1px solid #b9c6de;
  border-radius: 4px; background: #f6f9ff; color: #223; cursor: pointer; }
#vb-results .vb-actions button:hover, #vb-collection button:hover { background: #e6eefc; }
#vb-collection button:disabled { opacity: .4; cursor: default; }
#vb-action-status { position: fixed; right: 1em; bottom: 1em; z-index: 1000; max-width: min(30em, 90vw); padding: .5em .9em;
  border-radius: 6px; background: #223; color: #fff; font-size: 14px; opacity: 0; transition: opacity .2s; pointer-events: none; }
#vb-action-status.vb-shown { opacity: .95; }
.vb-copy-area { position: fixed; top: 0; left: 0; opacity: 0; pointer-events: none; }
"""


def collection_panel() -> gr.HTML:
    """The collection, drawn by collection.js when its closed panel is first opened; without the
    script, a line saying it needs one."""
    return gr.HTML('<div class="vb-coll"><p class="vb-summary">Your collection is kept in this browser and needs '
                   "JavaScript.</p></div>", js_on_load=SCRIPT, elem_id="vb-collection")


def results_panel() -> gr.HTML:
    """Where the results go; it also loads collection.js and its style at once, since the closed
    collection panel is not in the page until it is opened, and the results' collect and copy
    buttons need the script before that."""
    return gr.HTML(elem_id="vb-results", js_on_load=SCRIPT, head=f"<style>{CSS}</style>")


@dataclass(frozen=True)
class Collecting:
    live: LiveSearcher  # the index in place: records are made from the one serving when the export is asked

    def export_collection(self, stored: str, format_name: str) -> str | None:
        """The collection the browser holds, each quote's record made from the index, in a file named
        after the collection."""
        try:
            collected = read_collection(stored, self.live.current().index)
        except CollectionError as error:
            gr.Warning(f"Cannot export this collection: {error}.")
            return None
        if collected.left_out:
            gr.Warning(left_out_message(collected.left_out))
        return export(collected.records, format_name, file_stem(collected.name), collected.name)


def left_out_message(count: int) -> str:
    many = count != 1
    return (f"{count} quote{'s' if many else ''} of the collection {'are' if many else 'is'} no longer in this index "
            f"where {'they were' if many else 'it was'} collected (a report changed, or the quote came from another "
            f"index), so {'they were' if many else 'it was'} left out of the export; the collection still holds "
            f"{'them' if many else 'it'}.")


def export(records: list[dict], format_name: str, name: str, title: str = "") -> str | None:
    """The records in a file of the format, for the page to offer as a download."""
    if not records:
        gr.Warning("Nothing to export yet.")
        return None
    path = Path(tempfile.mkdtemp(prefix="verbatim-export-")) / f"{name}.{FORMATS[format_name]}"
    path.write_text(export_text(records, format_name, title), encoding="utf-8")
    return str(path)


def export_results(hits: list[dict], format_name: str) -> str | None:
    return export([h["record"] for h in hits], format_name, "verbatim-results", "Search results from Verbatim")
