"""The Add documents tab: report files uploaded, checked, stored in the served index's corpus folder
(its uploads/ subfolder), indexed incrementally with progress, and searchable as soon as the build
ends (the live searcher opens the new index at once: index/search/live.py).

Every name and byte is someone else's. Before anything is stored, each file must be one the page
uploaded, of at most MAX_REPORT_BYTES, of a type the loaders read, with bytes that are of that type
(corpus/intake.py) and that its loader reads: a broken file is refused with its reason and never
enters the corpus, where every later build would skip it again. A file is stored under a safe name,
never over another one. One build of an index runs at a time (its lock, index/store/publish.py):
while another process builds it, files are refused, so the user knows nothing was added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from app.messages import worded
from app.security import MAX_REPORT_BYTES, MAX_REPORTS, MAX_REPORTS_BYTES, REPORT, UploadRefused, uploaded_file
from app.web.guard import guard_files
from app.web.summary import is_bundled
from corpus import FileWarning, SkippedFile
from corpus.chunking import ChunkingOptions
from corpus.errors import LoadError, VerbatimError
from corpus.intake import IntakeError, Stored, content_problem, file_sha256, safe_name, store_file
from corpus.loaders import SUPPORTED_SUFFIXES, load_file
from corpus.paths import display_path
from index.config import Config
from index.search import Searcher
from index.search.live import LiveSearcher
from index.store import build_index, manifest_corpus_dir
from index.store.listing import document_summaries
from index.store.publish import build_in_progress

UPLOADS = "uploads"  # the subfolder of the corpus folder that added files go into


class Refused(Exception):
    """Nothing was added; the message says why, in one line."""


@dataclass
class _Checked:
    source: Path  # the uploaded file
    name: str  # its safe name
    sha256: str


@dataclass
class _Heard:
    """What the build told: its skipped files and warnings, and how far embedding got."""

    skipped: tuple[SkippedFile, ...] = ()
    warnings: tuple[FileWarning, ...] = ()
    total: int = 0
    done: int = 0
    waited_for: list[int | None] = field(default_factory=list)


def add_documents_tab(live: LiveSearcher) -> Any:
    """The tab's controls, wired to /add_documents; that event goes back (the page brings the Search
    tab's filters and summary up to date after it)."""
    gr.Markdown(
        f"Add reports to this collection: {', '.join(SUPPORTED_SUFFIXES)}; up to {MAX_REPORTS} files at a time, "
        f"each at most {MAX_REPORT_BYTES // 1_000_000} MB. They are stored in the collection's folder, under "
        f"`{UPLOADS}/`, and indexed (only their own passages are embedded); they are searchable as soon as that is done."
    )
    if is_bundled(live.current().index):
        gr.Markdown("This app serves the sample collection that ships with Verbatim, which it does not change: "
                    "to add documents, index a folder of your own (`verbatim index --corpus DIR --index DIR2`) "
                    "and serve that index (`verbatim serve --index DIR2`).")
    files = gr.File(label="Report files", file_count="multiple", file_types=list(SUPPORTED_SUFFIXES),
                    type="filepath", elem_id="vb-add-files")
    guard_files(files, _uploaded_report)
    button = gr.Button("Add and index", variant="primary", elem_id="vb-add-documents")
    result = gr.HTML(elem_id="vb-add-result")
    return button.click(Adding(live).add, [files], [result], api_name="add_documents", concurrency_limit=1,
                        concurrency_id="add-documents")


def _uploaded_report(path: str | Path) -> None:
    """Before Gradio copies a file the request names: one the page uploaded, not too large, of a type read."""
    name = Path(str(path)).name
    try:
        uploaded_file(path, REPORT)
        safe_name(name)
    except (UploadRefused, IntakeError) as error:
        raise gr.Error(f"Cannot add {name}: {error}", print_exception=False) from error


@dataclass(frozen=True)
class Adding:
    live: LiveSearcher

    def add(self, files: list[str] | None, progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008
        """Add report files to the collection and index them: what was added, and what was not and why (HTML)."""
        refused: list[tuple[str, str]] = []
        try:
            return self._add(files, refused, progress)
        except Refused as error:
            return render_added([], refused, message=str(error))

    def _add(self, files: object, refused: list[tuple[str, str]], progress: gr.Progress) -> str:
        if not files:
            raise Refused("Choose one or more report files first.")
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise Refused("Send the files as a list of uploaded files.")
        if len(files) > MAX_REPORTS:
            raise Refused(f"{len(files)} files at once; add at most {MAX_REPORTS} at a time.")
        searcher = self.live.current()
        corpus = corpus_folder(searcher)
        if (pid := build_in_progress(searcher.index.directory)) is not None:
            raise Refused(f"The index is being built by another process (pid {pid}); nothing was added. "
                          "Add the files when that build has finished.")
        checked = check_files(files, set(searcher.index.manifest.corpus_files.values()), refused, progress)
        if not checked:
            raise Refused("No file was added.")
        folder = corpus / UPLOADS
        try:
            if folder.is_symlink():
                raise IntakeError(f"{display_path(folder)} is a link; files are only added to a real folder")
            folder.mkdir(exist_ok=True)
            stored = [store_file(folder, item.name, item.source) for item in checked]
        except (IntakeError, OSError) as error:
            raise Refused(f"Cannot store the files in {display_path(folder)}: {_reason(error)}") from error
        heard = _Heard()
        try:
            result = build_index(build_config(searcher, corpus), embedder=searcher.embedder,
                                 **_listeners(heard, progress))
        except VerbatimError as error:
            kept = ", ".join(display_path(s.path) for s in stored)
            raise Refused(f"The files are stored ({kept}) but the index could not be updated: "
                          f"{worded(error, 'page')}; they are indexed by the next build") from error
        progress(1.0, desc="Opening the new index")
        self.live.refresh()
        added = added_documents(self.live.current(), stored)
        if not added and not heard.skipped:  # the new index could not be opened (the server's output says why)
            kept = ", ".join(display_path(s.path) for s in stored)
            raise Refused(f"The files are stored ({kept}) and indexed, but the new index cannot be opened yet, so "
                          "the previous one is still served; see the server's output.")
        return render_added(added, refused + _not_indexed(stored, heard), seconds=result.seconds,
                            embedded=result.embedded)


def corpus_folder(searcher: Searcher) -> Path:
    """The folder of reports the served index was built from; Refused when it has none to add to."""
    manifest = searcher.index.manifest
    if manifest.corpus is None:
        raise Refused("This index was built from a benchmark collection, not a folder of reports: "
                      "documents cannot be added to it.")
    folder = manifest_corpus_dir(manifest)
    if is_bundled(searcher.index):
        raise Refused("This is the sample collection that ships with Verbatim, which the app does not change. "
                      "To add documents, index a folder of your own (verbatim index --corpus DIR --index DIR2) "
                      "and serve that index (verbatim serve --index DIR2).")
    if not folder.is_dir():
        raise Refused(f"The folder this index was built from, {display_path(folder)}, is gone; nothing was added.")
    return folder


def check_files(files: list[str], known: set[str], refused: list[tuple[str, str]],
                progress: gr.Progress) -> list[_Checked]:
    """The files that may be added; each other one goes into `refused` with its reason. `known`:
    the SHA-256 of every file the index was built from (a file already there is not added twice)."""
    checked: list[_Checked] = []
    total = 0
    for number, path in enumerate(files):
        name = Path(path).name
        progress(number / len(files), desc=f"Reading {name}")
        try:
            source = uploaded_file(path, REPORT)
            safe = safe_name(name)
            total += source.stat().st_size
            if total > MAX_REPORTS_BYTES:
                raise IntakeError(f"the files come to more than {MAX_REPORTS_BYTES // 1_000_000} MB together; "
                                  "add the rest in another round")
            if problem := content_problem(source, Path(safe).suffix):
                raise IntakeError(problem)
            digest = file_sha256(source)
            if digest in known or any(c.sha256 == digest for c in checked):
                raise IntakeError("the same file is in the collection already")
            _readable(source, safe)
        except (UploadRefused, IntakeError, OSError) as error:
            refused.append((name, _reason(error)))
            continue
        checked.append(_Checked(source, safe, digest))
    return checked


def _readable(source: Path, name: str) -> None:
    """The file's loader reads it as the build will (a broken PDF, a scan without text …)."""
    try:
        load_file(source)
    except LoadError as error:
        # The loader names the file by the path it read: the upload's, which means nothing to the user.
        raise IntakeError(str(error).replace(f"{source}: ", "", 1)) from error


def _reason(error: Exception) -> str:
    return error.strerror or str(error) if isinstance(error, OSError) else str(error)


def build_config(searcher: Searcher, corpus: Path) -> Config:
    """The served index rebuilt from its folder as it was built: its model, chunking and BM25 settings."""
    manifest = searcher.index.manifest
    chunking = ChunkingOptions(**manifest.chunking) if manifest.chunking else searcher.config.chunking
    return replace(searcher.config, corpus_dir=corpus, index_dir=searcher.index.directory, model=manifest.model.name,
                   chunking=chunking, transliterate=manifest.transliterate)


def _listeners(heard: _Heard, progress: gr.Progress) -> dict[str, Callable]:
    """build_index's callbacks: they keep what it says and move the progress bar."""

    def on_corpus(texts: int, skipped: tuple[SkippedFile, ...], warnings: tuple[FileWarning, ...]) -> None:
        heard.total, heard.skipped, heard.warnings = texts, skipped, warnings
        progress(0.0, desc=f"Embedding: 0 of {texts:,} texts")

    def on_progress(count: int) -> None:
        heard.done += count
        share = heard.done / heard.total if heard.total else 1.0
        progress(min(share, 1.0), desc=f"Embedding: {heard.done:,} of {heard.total:,} texts (most from the cache)")

    def on_wait(pid: int | None) -> None:
        heard.waited_for.append(pid)
        progress(0.0, desc=f"Waiting for another build of this index (pid {pid or '?'}) to finish")

    return {"on_corpus": on_corpus, "progress": on_progress, "on_wait": on_wait}


@dataclass(frozen=True)
class Added:
    name: str  # where it is stored, in the collection's folder ("uploads/report.pdf")
    doc_id: str
    title: str
    passages: int
    new: bool  # False: the same file was stored under that name already


def added_documents(searcher: Searcher, stored: list[Stored]) -> list[Added]:
    """The stored files that the index now holds, as its documents."""
    by_path = {display_path(s.path): s for s in stored}
    return [Added(f"{UPLOADS}/{by_path[d.path].path.name}", d.doc_id, d.title, d.passages, by_path[d.path].new)
            for d in document_summaries(searcher.index) if d.path in by_path]


def _not_indexed(stored: list[Stored], heard: _Heard) -> list[tuple[str, str]]:
    """Stored files that the build skipped or warned about, with what it said."""
    ours = {display_path(s.path): s.path for s in stored}
    said = [(f.path, f"stored, but not indexed: {f.reason}") for f in heard.skipped if f.path in ours]
    said += [(w.path, f"indexed, but {w.message}") for w in heard.warnings if w.path in ours]
    return [(ours[path].name, reason.replace(f"{ours[path]}: ", "")) for path, reason in said]


def render_added(added: list[Added], refused: list[tuple[str, str]], *, message: str = "", seconds: float = 0.0,
                 embedded: int = 0) -> str:
    """What was added and what was not, one line a file; every name and reason escaped."""
    parts = []
    if message:
        parts.append(f'<p class="vb-message">{escape(message)}</p>')
    if added:
        count = f"{len(added)} document{'s' if len(added) != 1 else ''}"
        parts.append(f'<p class="vb-added-lead"><strong>Added {count}</strong> in {seconds:.1f} s '
                     f"({_count(embedded, 'text')} embedded); {'they are' if len(added) != 1 else 'it is'} "
                     "searchable now.</p>")
        parts.append('<ul class="vb-added">' + "".join(
            f"<li>“{escape(a.title)}” (<code>{escape(a.doc_id)}</code>), {_count(a.passages, 'passage')}, "
            f"<code>{escape(a.name)}</code></li>" for a in added) + "</ul>")
    if refused:
        parts.append('<p class="vb-refused-lead"><strong>Not added:</strong></p><ul class="vb-refused">' + "".join(
            f"<li><code>{escape(name)}</code>: {escape(reason)}</li>" for name, reason in refused) + "</ul>")
    return f'<div class="vb-add-result">{"".join(parts)}</div>'


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'s' if number != 1 else ''}"
