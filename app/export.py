"""Exporting hits as citation records: CSV, JSON (which `verbatim verify` reads back) and Markdown."""

from __future__ import annotations

import csv
import io
import json

from app.markdown import markdown_text

FORMATS = {"CSV": "csv", "JSON": "json", "Markdown": "md"}
# A spreadsheet reads a cell that begins with one of these as a formula (=HYPERLINK(…) runs when
# opened): such a cell gets a leading apostrophe, which shows as nothing and makes it text (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("quote", "doc_id", "title", "publisher", "date", "url", "path", "start", "end", "page", "section",
               "paragraphs", "sha256", "citation", "reference")
DEFAULT_TITLE = "Quotes collected with Verbatim"
# A batch search's rows (app/batch.py): each query, its verdict, and its best quote with the citation
# of exactly that quote's span, as a single search gives them.
BATCH_COLUMNS = ("number", "query", "outcome", "label", "confidence", "quote", "citation", "doc_id", "start", "end",
                 "explanation", "passages", "error")


def export_text(records: list[dict], format_name: str, title: str = "") -> str:
    """The records (as in a hit's "record") in one of FORMATS; Markdown under `title` (a collection's
    name) as its heading. JSON is a list of records, which `verbatim verify` reads."""
    if format_name == "JSON":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if format_name == "CSV":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for record in records:
            row = dict(record)
            row["paragraphs"] = "–".join(str(n) for n in record.get("paragraphs", []))
            writer.writerow({key: spreadsheet_text(value) for key, value in row.items()})
        return buffer.getvalue()
    if format_name == "Markdown":
        heading = markdown_text(title) or DEFAULT_TITLE
        return f"# {heading}\n\n" + "\n\n".join(r["markdown"] for r in records) + "\n"
    raise ValueError(f"unknown export format {format_name!r}; use one of {', '.join(FORMATS)}")


def batch_csv(rows: list[dict]) -> str:
    """A batch search's rows as CSV, every cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=BATCH_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: spreadsheet_text(value) for key, value in row.items()})
    return buffer.getvalue()


def spreadsheet_text(value: object) -> object:
    """A CSV cell that a spreadsheet shows as the text it is, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
