"""`verbatim batch`: search each question or name of a list; one CSV row per query (app/batch.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli_options import FOLDER, GLOSSARY, filter_options, load_config
from index.config import DEFAULT_MODE, MODES


@click.command()
@click.argument("queries", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the CSV to this file. [default: print it]")
@click.option("--mode", type=click.Choice(MODES), default=DEFAULT_MODE, show_default=True,
              help="dense: meaning; bm25: word stems; bm25-plain: exact words; hybrid: meaning and words, fused.")
@filter_options
@click.option("--index", "index_dir", type=FOLDER, help="The index to ask. [default: build/index]")
@GLOSSARY
def batch(queries: Path, out: Path | None, mode: str, publisher: tuple[str, ...], doc_ids: tuple[str, ...], since: str,
          until: str, undated: bool, languages: tuple[str, ...], index_dir: Path | None, glossary: bool | None) -> None:
    """Search each question or name FILE lists, as `ask` does; print one CSV row per query: its
    verdict (outcome, label, confidence), its best supporting quote and the quote's citation.

    \b
    FILE is a .txt file with one query a line, or a .csv file with a header row whose column
    "question" or "query" (else the first column) holds them. Queries take ask's search syntax
    ("exact phrase", -word, a OR b).

    \b
    Example:
      verbatim batch names.txt --out found.csv
    """
    from app import arguments
    from app.batch import BatchError, read_queries, rows_csv, run_batch, tally
    from index.search import Searcher
    from index.search.filters import select

    try:
        listed = read_queries(queries)
    except BatchError as error:
        raise click.ClickException(str(error)) from error
    filters = arguments.filters(publisher, doc_ids, since, until, languages, undated)
    searcher = Searcher.open(load_config(index_dir=index_dir, glossary=glossary))
    select(filters, searcher.index)  # a bad filter is one error up front, not one per row
    shown = sys.stderr.isatty()

    def progress(done: int) -> None:
        click.echo(f"\rsearched {done} of {len(listed)}", err=True, nl=done == len(listed))

    try:  # opened before the searches: a path that cannot be written fails at once
        handle = None if out is None else out.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise click.ClickException(f"cannot write {out} ({error.strerror}); give --out a file in a folder you can "
                                   "write") from error
    rows = run_batch(searcher, listed, mode=mode, filters=filters, progress=progress if shown else None)
    if handle is None:
        click.echo(rows_csv(rows), nl=False)
    else:
        with handle:
            handle.write(rows_csv(rows))
    click.echo(tally(rows) + (f"; written to {out}" if out else ""), err=True)
