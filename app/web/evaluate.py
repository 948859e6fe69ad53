"""The evaluation tab's handler: a bundled or uploaded question set, run in each mode, scored."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from app import arguments
from app.render_eval import render_evaluation, render_evaluation_message
from app.security import UploadRefused, uploaded_file
from corpus.errors import VerbatimError
from eval.questions import BUNDLED_QUESTION_SETS, Question, load_questions
from eval.report import recall_plot
from eval.runner import evaluate_questions
from index.config import MODES
from index.search import Searcher
from index.search.live import LiveSearcher


def bundled_sets() -> list[str]:
    return sorted(path.stem for path in BUNDLED_QUESTION_SETS.glob("*.jsonl"))


class Refused(Exception):
    """What the tab shows instead of an evaluation; `refused`: in the "Cannot use" style."""

    def __init__(self, message: str, refused: bool = True) -> None:
        super().__init__(message)
        self.refused = refused


def evaluate_handler(live: LiveSearcher) -> Callable[..., tuple[str, str | None]]:
    """/evaluate, whose parameters Gradio reads from the signature (`progress` it fills in itself);
    each run asks the index in place when it starts, to its end."""
    names = bundled_sets()

    def evaluate(
        question_set: str, upload: str | None, modes: list[str], progress: gr.Progress = gr.Progress()  # noqa: B008
    ) -> tuple[str, str | None]:
        """Run a question set (bundled, or an uploaded JSONL file) in each mode: results table (HTML) and plot."""
        searcher = live.current()
        try:
            _check_modes(modes)
            questions, name = _questions(searcher, question_set, upload, names)
        except Refused as error:
            return render_evaluation_message(str(error), refused=error.refused), None
        done = [0]
        total = len(questions) * len(modes)

        def tick(mode: str, count: int) -> None:
            done[0] += count
            progress(done[0] / total, desc=f"{mode}: {done[0]} of {total} questions")

        evaluation = evaluate_questions(searcher, questions, modes, name=name, progress=tick)
        plot = Path(tempfile.mkdtemp(prefix="verbatim-eval-")) / "recall.png"
        recall_plot(evaluation, plot)
        return render_evaluation(evaluation), str(plot)

    return evaluate


def _check_modes(modes: object) -> None:
    if not modes:
        raise Refused("Pick at least one mode to evaluate.", refused=False)
    unknown = [m for m in modes if m not in MODES] if isinstance(modes, list) else [modes]
    if unknown:
        raise Refused(f"unknown mode {unknown[0]!r}; use one of {', '.join(MODES)}")


def _questions(searcher: Searcher, question_set: str, upload: str | None, names: list[str]) -> tuple[list[Question], str]:
    """The questions to run and the set's name; Refused says why a set cannot be used."""
    if upload:
        try:
            path = uploaded_file(upload)  # only a small regular file the page uploaded; nothing else is read
        except UploadRefused as error:
            raise Refused(str(error)) from error
        name = Path(upload).stem
    elif question_set in names:
        path, name = BUNDLED_QUESTION_SETS / f"{question_set}.jsonl", question_set
    else:
        raise Refused(f"unknown question set {question_set!r}; pick one of {', '.join(names)} or upload a .jsonl file")
    try:
        questions = load_questions(path, searcher.index.documents)
    except (VerbatimError, OSError, UnicodeDecodeError) as error:
        raise Refused(str(error)) from error
    long = next((q for q in questions if len(str(q.text)) > arguments.MAX_QUESTION_CHARS), None)
    if long is not None:
        raise Refused(f"question {long.qid} is {len(str(long.text)):,} characters long; a question "
                      f"may have at most {arguments.MAX_QUESTION_CHARS:,}")
    return questions, name
