"""`verbatim`: build the index, ask questions, show sources, serve the app.

Heavy libraries (torch, FAISS, Gradio) are imported inside the commands that need them,
so `verbatim --help` answers at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from app.cli_batch import batch
from app.cli_documents import documents
from app.cli_eval import calibrate, evaluate
from app.cli_options import FOLDER, GLOSSARY, Invocation, filter_options, load_config
from app.terminal import printable
from corpus.errors import VerbatimError
from index.config import DEFAULT_MODE, MODES


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Verbatim: search human-rights reports and get passages you can cite word for word.

    \b
    Examples:
      verbatim index
      verbatim ask "How many people were detained in Almaty on election day?"
      verbatim ask "hunger strike" --mode bm25 --publisher ACCA --json
      verbatim ask '"as many as 1,000 people"'
      verbatim batch names.txt --out found.csv
      verbatim show amnesty-2019-06-election-detentions --start 0 --end 200
      verbatim serve --port 7860
    """


@cli.command()
@click.option("--corpus", "corpus_dir", type=FOLDER, help="Folder of reports. [default: corpus/reports; env VERBATIM_CORPUS]")
@click.option("--index", "index_dir", type=FOLDER, help="Where to write the index. [default: build/index; env VERBATIM_INDEX]")
@click.option("--model", help="all-MiniLM-L6-v2-int8 (default: English, int8 ONNX), multilingual (multilingual-e5-small: "
              "English, Russian, Kazakh), all-MiniLM-L6-v2 (torch) or a local sentence-transformers folder. [env VERBATIM_MODEL]")
@click.option("--transliterate/--no-transliterate", default=None,
              help="BM25 also matches Cyrillic words in Latin letters (Токаев ~ Tokayev); recorded in the index. "
                   "[default: on; env VERBATIM_TRANSLITERATE]")
@click.option("--if-stale", is_flag=True, hidden=True)  # what every build does now; kept for scripts that say it
@click.option("--force", is_flag=True, help="Build even when the index is up to date (vectors still come from the cache).")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Embed every text again and keep nothing in the embedding cache. [cache: build/cache; env VERBATIM_CACHE]")
@click.option("--cluster", metavar="ADDRESS",
              help="Read, chunk and embed on the Ray cluster at ADDRESS ('auto': the local one, started if need be); "
                   "needs the extra 'cluster' (docs/cluster.md).")
@click.option("--workers", type=click.IntRange(1), default=2, show_default=True,
              help="With --cluster: how many model copies embed side by side.")
def index(corpus_dir: Path | None, index_dir: Path | None, model: str | None, transliterate: bool | None,
          if_stale: bool, force: bool, no_cache: bool, cluster: str | None, workers: int) -> None:
    """Build or update the index of a folder of reports (.txt, .md, .html, .pdf, .docx …).

    Only what changed is embedded: every vector made before (by any build, even one that was
    killed) comes from the embedding cache, and an index that is up to date is left as it is."""
    from app.progress import EmbeddingProgress
    from index.store import build_index, stale_reason

    config = load_config(corpus_dir=corpus_dir, index_dir=index_dir, model=model, transliterate=transliterate,
                         embedding_cache=False if no_cache else None)
    reason = stale_reason(config, corpus_dir=config.corpus_dir)
    if reason is None and not force:
        click.echo(f"The index at {config.index_dir} is up to date.")
        return
    click.echo(f"Building the index at {config.index_dir}: {reason or 'asked to (--force)'}.")

    progress = EmbeddingProgress(sys.stderr)

    def on_corpus(texts: int, skipped, warnings) -> None:
        for item in skipped:
            click.echo(f"warning: skipped {item.reason}", err=True)
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
        progress.start(texts)

    def on_wait(pid: int | None) -> None:
        click.echo(f"waiting for another build of {config.index_dir} (pid {pid or '?'}) to finish; Ctrl-C stops waiting",
                   err=True)

    try:
        if cluster:
            from index.cluster.build import build_on_cluster

            result, _ = build_on_cluster(config, cluster, workers=workers, on_corpus=on_corpus, progress=progress.update,
                                         on_wait=on_wait)
        else:
            result = build_index(config, on_corpus=on_corpus, progress=progress.update, on_wait=on_wait)
    finally:
        progress.close()
    cached = f"; {result.reused:,} of {result.embedded + result.reused:,} texts came from the embedding cache" \
        if result.reused else ""
    click.echo(
        f"Indexed {result.passages} passages from {result.documents} documents "
        f"in {result.seconds:.1f} s into {result.directory}{cached}."
    )
    if result.report:
        from index.store.report import report_markdown

        click.echo("\n" + report_markdown(result.report).rstrip())


@cli.command()
@click.argument("question")
@click.option("-k", "k", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many passages.")
@click.option("--mode", type=click.Choice(MODES), default=DEFAULT_MODE, show_default=True,
              help="dense: meaning; bm25: word stems; bm25-plain: exact words; hybrid: meaning and words, fused.")
@filter_options
@click.option("--index", "index_dir", type=FOLDER, help="The index to ask. [default: build/index]")
@click.option("--reranker", type=FOLDER, help="A local cross-encoder folder that reorders the top hits. [env VERBATIM_RERANKER]")
@GLOSSARY
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for machines.")
def ask(question: str, k: int, mode: str, publisher: tuple[str, ...], doc_ids: tuple[str, ...],
        since: str, until: str, undated: bool, languages: tuple[str, ...], index_dir: Path | None, reranker: Path | None,
        glossary: bool | None, as_json: bool) -> None:
    """Ask a question; get ranked passages with citations.

    \b
    Search syntax, as in web search engines:
      "as many as 1,000 people"   only passages holding the phrase word for word
      hunger strike -Almaty       leave out passages with the word Almaty
      "Tulesova" OR "Тулесова"    passages holding either
    """
    if not question.strip():
        raise click.UsageError("the question is empty; type a question, e.g. verbatim ask \"Who was detained?\"")
    from app import arguments
    from app.cli_text import print_answer
    from app.payload import answer_payload
    from app.request import SearchRequest
    from index.search import Searcher

    searcher = Searcher.open(load_config(index_dir=index_dir, reranker=reranker, glossary=glossary))
    from index.search.filters import undated_left_out

    request = SearchRequest(question, mode, k, arguments.filters(publisher, doc_ids, since, until, languages, undated))
    hits, verdict = request.answer(searcher)
    left_out = undated_left_out(request.filters, searcher.index)
    if as_json:
        click.echo(json.dumps({**answer_payload(request, hits, verdict), "undated_left_out": left_out},
                              ensure_ascii=False, indent=2))
        return
    if left_out:
        click.echo(f"{left_out} document{'s' if left_out != 1 else ''} without a date left out by the date filter; "
                   "add --include-undated to search them too.\n", err=True)
    if unread := searcher.unread_language(question):
        from app.messages import language_hint

        click.echo(language_hint(unread, searcher.index.model_name, "cli") + "\n", err=True)
    print_answer(hits, verdict, request.filters, question)


@cli.command()
@click.argument("doc_id")
@click.option("--start", type=click.IntRange(min=0), help="First character of the span.")
@click.option("--end", type=click.IntRange(min=0), help="End of the span (exclusive).")
@click.option("--index", "index_dir", type=FOLDER, help="The index holding the document. [default: build/index]")
def show(doc_id: str, start: int | None, end: int | None, index_dir: Path | None) -> None:
    """Print a document's canonical text, or the span [START:END) of it."""
    from index.store import open_index

    index = open_index(load_config(index_dir=index_dir), check_corpus=False)
    document = index.documents.get(doc_id)
    if document is None:
        raise click.UsageError(f"unknown document {doc_id!r}; known: {', '.join(sorted(index.documents))}")
    text = document.text
    start = 0 if start is None else start
    end = len(text) if end is None else end
    if not start <= end <= len(text):
        raise click.UsageError(f"the span {start}:{end} is outside the document (0:{len(text)}); check --start and --end")
    # A terminal gets the text with control characters made visible; a pipe gets it byte for byte
    # (color=True: click would otherwise strip what looks like ANSI codes from the report's text).
    if sys.stdout.isatty():
        click.echo(printable(text[start:end]))
    else:
        click.echo(text[start:end], color=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; keep 127.0.0.1 unless you mean to share.")
@click.option("--port", type=click.IntRange(1, 65535), default=7860, show_default=True)
@click.option("--index", "index_dir", type=FOLDER, help="The index to serve. [default: build/index]")
@click.option("--reranker", type=FOLDER, help="A local cross-encoder folder that reorders the top hits. [env VERBATIM_RERANKER]")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests addressed to this host name (repeatable; '*' for any). Only 127.0.0.1, "
                   "localhost, [::1] and --host are answered otherwise. [env VERBATIM_ALLOWED_HOSTS, comma-separated]")
@click.option("--uploads/--no-uploads", default=None,
              help="The Add documents tab: anyone who reaches the app may add reports to the index's corpus folder. "
                   "[default: on when bound to this machine only (127.0.0.1, localhost, ::1), off otherwise]")
@click.option("--cluster", metavar="ADDRESS",
              help="Serve the index split into shards, each a Ray actor of the cluster at ADDRESS ('auto': the local one); "
                   "the answers are the unsharded index's (docs/cluster.md).")
@click.option("--shards", type=click.IntRange(1), default=2, show_default=True,
              help="With --cluster: how many shards (split into INDEX.shards-N beside the index, again when it is rebuilt).")
def serve(host: str, port: int, index_dir: Path | None, reranker: Path | None, allow_hosts: tuple[str, ...],
          uploads: bool | None, cluster: str | None, shards: int) -> None:
    """Serve the Gradio app (nothing leaves this machine).

    A new index built in the folder it serves (by `verbatim index`, or the app's Add documents tab)
    is picked up between requests, without a restart."""
    from app.messages import worded
    from app.security import allowed_hosts, is_loopback
    from app.web import launch
    from index.search import Searcher
    from index.search.live import LOOK_EVERY, LiveSearcher

    config = load_config(index_dir=index_dir, reranker=reranker)
    searcher: Searcher
    if cluster:
        from index.cluster.serve import sharded_searcher

        searcher = sharded_searcher(config, cluster, shards, echo=click.echo)
        uploads = False  # an upload rebuilds the local index; the shards are split from it by a restart
    else:
        searcher = Searcher.open(config)
    searcher.embedder  # load the model now, not on the first question  # noqa: B018
    directory = searcher.index.directory

    def on_error(error: Exception) -> None:
        said = worded(error, "cli") if isinstance(error, VerbatimError) else f"{type(error).__name__}: {error}"
        click.echo(f"warning: a new index at {directory} cannot be opened, so the previous one is still served: "
                   f"{said}", err=True)

    def on_swap(new: Searcher) -> None:
        counts = new.index.manifest.counts
        click.echo(f"Serving the new index at {directory}: {counts.documents} documents, {counts.passages} passages.")

    # Sharded, the index served is the shards split at start: a rebuild is served after a restart.
    live = LiveSearcher(searcher, on_error=on_error, on_swap=on_swap, interval=float("inf") if cluster else LOOK_EVERY)
    if uploads is None:
        uploads = is_loopback(host)
        if not uploads:
            click.echo("Adding documents from the app is off, since others can reach it; --uploads turns it on.")
    click.echo(f"Verbatim is serving on http://{host}:{port}")
    if host in ("0.0.0.0", "::") and not allow_hosts:
        names = ", ".join(sorted(allowed_hosts(host)))
        click.echo(f"Requests must name one of {names}; add --allow-host NAME for the names others reach this machine by.")
    launch(live, host=host, port=port, allow_hosts=allow_hosts, uploads=uploads)


@cli.command()
@click.argument("records", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per record.")
def verify(records: tuple[Path, ...], as_json: bool) -> None:
    """Check citation records: is each quote still at its offsets, and is its source unchanged?

    RECORDS are JSON files: one record, a list of them, JSONL, or what `verbatim ask --json` prints.
    Exits 1 when any record is stale.

    \b
    Example:
      verbatim ask "Who was detained in Almaty?" --json > found.json
      verbatim verify found.json
    """
    from corpus.verify import read_records, verify_record

    results = [verify_record(record) for path in records for record in read_records(path)]
    for result in results:
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
            continue
        label = click.style("ok   ", fg="green") if result.ok else click.style("STALE", fg="red", bold=True)
        where = f"{result.record.get('doc_id') or result.record['path']} [{result.record['start']}:{result.record['end']}]"
        click.echo(f"{label} {printable(where)}: {printable(result.message)}")
    stale = sum(not result.ok for result in results)
    if not as_json:
        click.echo(f"{len(results) - stale} of {len(results)} records verified" + (f"; {stale} stale" if stale else "."))
    if stale:
        sys.exit(1)


cli.add_command(calibrate)
cli.add_command(evaluate)
cli.add_command(documents)
cli.add_command(batch)


def main(argv: list[str] | None = None) -> None:
    """Entry point: library errors become one line on stderr and a non-zero exit, never a traceback."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        code = cli.main(args=argv, prog_name="verbatim", standalone_mode=False, obj=Invocation(tuple(argv)))
    except click.exceptions.Abort:
        click.echo("verbatim: interrupted", err=True)
        sys.exit(130)
    except click.UsageError as error:
        hint = f" (see `{error.ctx.command_path} --help`)" if error.ctx else ""
        click.echo(f"verbatim: error: {error.format_message()}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as error:
        click.echo(f"verbatim: error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except VerbatimError as error:
        from app.messages import worded

        click.echo(f"verbatim: error: {worded(error, 'cli')}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("verbatim: interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
