"""HTML for the Batch tab. Queries come from an uploaded file, quotes from the reports: every cell is
escaped, so neither can add markup, links or images to the page."""

from __future__ import annotations

from html import escape

from app.batch import BatchRow

QUERY_WIDTH = 90  # characters of a query shown in the table (the CSV holds it whole)


def render_batch(rows: list[BatchRow], summary: str) -> str:
    """The rows as a table: the query, its verdict and confidence, the best quote and its citation."""
    body = "".join(_row(row) for row in rows)
    return (f'<div class="vb-batch"><p class="vb-summary">{_text(summary)}. Download the CSV below for every '
            "column (the quote's doc_id and offsets, the explanation).</p>"
            '<table class="vb-eval-table vb-batch-table"><thead><tr><th>#</th><th>Query</th><th>Verdict</th>'
            f"<th>Best supporting quote</th><th>Citation</th></tr></thead><tbody>{body}</tbody></table></div>")


def render_batch_message(message: str, refused: bool = True) -> str:
    """One line: why the list cannot be searched (its own words escaped), or what to do first."""
    lead = "<strong>Cannot use this list:</strong> " if refused else ""
    return f'<div class="vb-batch"><p class="vb-message">{lead}{_text(message)}</p></div>'


def _row(row: BatchRow) -> str:
    cells = row.cells()
    if row.error:
        verdict = f'<span class="vb-label vb-not-found">Not searched</span> {_text(row.error)}'
    elif cells["outcome"]:
        outcome = str(cells["outcome"]).replace(" ", "-")
        verdict = (f'<span class="vb-label vb-{_text(outcome)}">{_text(cells["label"])}</span> '
                   f'<span class="vb-confidence">{float(cells["confidence"]):.2f}</span>')  # type: ignore[arg-type]
        if cells["outcome"] != "answered":  # what was not found
            verdict += f'<div class="vb-missing">{_text(cells["explanation"])}</div>'
    else:
        verdict = _text(cells["explanation"])
    quote = f"“{_text(cells['quote'])}”" if cells["quote"] else ""
    return (f"<tr><td>{row.number}</td><td>{_text(_clip(row.query))}</td><td>{verdict}</td><td>{quote}</td>"
            f"<td><code>{_text(cells['citation'])}</code></td></tr>")


def _text(value: object) -> str:
    return escape(str(value), quote=False)  # text between tags: quotes need no escaping there


def _clip(text: str) -> str:
    return text if len(text) <= QUERY_WIDTH else text[: QUERY_WIDTH - 1] + "…"
