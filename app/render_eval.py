"""HTML for the Evaluate tab. Question sets come from anyone: every question, id, quote and file
name is escaped, so a question set can never add markup, links or images to the page (as
Markdown it could: a ``` in a question closed its code block, and ![x](http://…) loaded an image)."""

from __future__ import annotations

from html import escape

from eval.metrics import METRICS
from eval.report import difference_rows, worst_questions
from eval.runner import Evaluation

QUESTION_WIDTH = 70  # characters of a question shown in the rank table


def render_evaluation(evaluation: Evaluation) -> str:
    best = evaluation.best_mode()
    metrics = _table(["mode", *METRICS], [[mode, *(f"{run.metrics[m]:.3f}" for m in METRICS)]
                                          for mode, run in evaluation.runs.items()])
    header, rows = difference_rows(evaluation)
    differences = (f"<p>Against {_text(next(iter(evaluation.runs)))}, question by question (mean difference, 95 % "
                   f"paired bootstrap interval; one that holds zero could be chance):</p>{_table(header, rows)}"
                   if rows else "")
    worst = "".join(f'<pre class="vb-eval-worst">{_text(block)}</pre>' for block in worst_questions(evaluation, best))
    modes = list(evaluation.runs)
    ranks = _table(["id", *modes, "question"], [
        [qid, *(_rank(evaluation.runs[mode].ranks[qid]) for mode in modes), _clip(" ".join(text.split()))]
        for qid, text in evaluation.questions.items()
    ])
    return (
        f'<div class="vb-eval"><h3>{_text(evaluation.name)}: {len(evaluation.questions)} questions</h3>{metrics}'
        f"<p>Best mode by nDCG@10: <strong>{_text(best)}</strong>.</p>{differences}"
        f"<h4>Worst questions in {_text(best)}</h4>{worst or '<p>None.</p>'}"
        f"<h4>Rank of the first relevant passage</h4>{ranks}</div>"
    )


def render_evaluation_message(message: str, refused: bool = True) -> str:
    """One line: why the question set cannot be used (its own words escaped), or what to do first."""
    lead = "<strong>Cannot use this question set:</strong> " if refused else ""
    return f'<div class="vb-eval"><p class="vb-message">{lead}{_text(message)}</p></div>'


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_text(cell)}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{_text(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="vb-eval-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _text(value: object) -> str:
    return escape(str(value), quote=False)  # text between tags: quotes need no escaping there


def _rank(rank: int | None) -> str:
    return "-" if rank is None else str(rank)


def _clip(text: str) -> str:
    return text if len(text) <= QUESTION_WIDTH else text[: QUESTION_WIDTH - 1] + "…"
