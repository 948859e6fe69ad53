"""`verbatim documents`: what an index holds, one document a line (or JSON for machines)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from app.cli_options import FOLDER, load_config
from app.terminal import printable


@click.command()
@click.option("--index", "index_dir", type=FOLDER, help="The index to list. [default: build/index]")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON list of documents for machines.")
def documents(index_dir: Path | None, as_json: bool) -> None:
    """List the indexed documents: id, title, publisher, date, language, pages, passages, encoding, OCR."""
    from index.store import open_index
    from index.store.listing import document_summaries

    summaries = document_summaries(open_index(load_config(index_dir=index_dir), check_corpus=False))
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in summaries], ensure_ascii=False, indent=2))
        return
    for s in summaries:
        date = f"{s.date} ({s.date_source})" if s.date and s.date_source else s.date or "no date"
        facts = [s.publisher or "no publisher", date, s.language or "?", f"{s.passages} passages"]
        facts += [f"{s.pages} pages"] if s.pages else []
        facts += [s.encoding] if s.encoding else []
        facts += ["OCR"] if s.ocr else []
        about = [*s.countries, *map(str, s.years)]
        facts += [f"about {', '.join(about)}"] if about else []
        click.echo(click.style(printable(s.doc_id), bold=True) + printable(f"  {s.title}"))
        click.echo(printable("   " + " · ".join(facts)))
    click.echo(f"{len(summaries)} documents, {sum(s.passages for s in summaries)} passages.")
