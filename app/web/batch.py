"""The Batch tab: upload a list of questions or names, get one row per query with its verdict, its
best quote and the quote's citation, and the rows as a CSV file (app/batch.py does the searching)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from app.batch import MAX_BATCH_QUERIES, BatchError, checked_count, read_queries, rows_csv, run_batch, tally
from app.render_batch import render_batch, render_batch_message
from app.security import MAX_UPLOAD_BYTES, QUERY_LIST, UploadRefused, uploaded_file
from index.search.live import LiveSearcher

KIND, NOUN = ".csv or .txt", "a list of queries"
HELP = (
    "Search a list of questions or names at once: a `.txt` file with one a line, or a `.csv` file with a header "
    "row whose column `question` or `query` (else its first column) holds them. Each is searched as on the Search "
    "tab (the same syntax: `\"exact phrase\"`, `-word`, `a OR b`; in a CSV file written by hand a phrase's quotes "
    "are doubled, `\"\"\"exact phrase\"\"\"`, as a spreadsheet writes them), and gets its verdict, its best supporting "
    f"quote and that quote's citation. At most {MAX_BATCH_QUERIES} queries and {MAX_UPLOAD_BYTES // 1000:,} kB a list."
)


@dataclass(frozen=True)
class BatchTab:
    upload: gr.File
    download: gr.File

    @property
    def uploads(self) -> tuple[tuple[gr.components.Component, Callable[[str | Path], None]], ...]:
        """The upload and its check, for guard.guard_blocks."""
        return ((self.upload, _uploaded_list),)


def batch_tab(live: LiveSearcher) -> BatchTab:
    """The tab's controls, wired to /batch (one batch at a time)."""
    gr.Markdown(HELP)
    upload = gr.File(label=f"List of queries ({KIND}, at most {MAX_BATCH_QUERIES} queries)", file_types=[".csv", ".txt"],
                     type="filepath", elem_id="vb-batch-upload")
    run = gr.Button("Search each query", variant="primary", elem_id="vb-batch-run")
    table = gr.HTML(elem_id="vb-batch-table")
    download = gr.File(label="Results as CSV", elem_id="vb-batch-download")
    run.click(batch_handler(live), [upload], [table, download], api_name="batch", concurrency_limit=1,
              concurrency_id="batch")
    return BatchTab(upload, download)


def batch_handler(live: LiveSearcher) -> Callable[..., tuple[str, str | None]]:
    """/batch, whose parameters Gradio reads from the signature (`progress` it fills in itself)."""

    def batch(upload: str | None, progress: gr.Progress = gr.Progress()) -> tuple[str, str | None]:  # noqa: B008
        """Search each query of an uploaded .csv or .txt list: the rows (HTML) and the CSV file."""
        if not upload:
            return render_batch_message(f"Upload a {KIND} file of queries first.", refused=False), None
        try:
            queries = read_queries(uploaded_file(upload, QUERY_LIST))
            checked_count(queries)
        except (UploadRefused, BatchError) as error:
            return render_batch_message(str(error)), None

        def tick(done: int) -> None:
            progress(done / len(queries), desc=f"{done} of {len(queries)} queries")

        searcher = live.current()  # one index for the whole list
        rows = run_batch(searcher, queries, mode=searcher.config.mode, interface="page", progress=tick)
        stem = re.sub(r"[^\w.-]+", "-", Path(upload).stem)[:80].strip(".-") or "queries"
        path = Path(tempfile.mkdtemp(prefix="verbatim-batch-")) / f"{stem}-verbatim.csv"
        path.write_text(rows_csv(rows), encoding="utf-8", newline="")
        return render_batch(rows, tally(rows)), str(path)

    return batch


def _uploaded_list(path: str | Path) -> None:
    """Only a small regular file the page uploaded; never a URL, a device or a file elsewhere."""
    try:
        uploaded_file(path, QUERY_LIST)
    except UploadRefused as error:
        raise gr.Error(f"Cannot use this list: {error}", print_exception=False) from error
