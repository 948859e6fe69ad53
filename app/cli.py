"""`verbatim`: build the index, ask questions, show sources, serve the app.

Heavy libraries (torch, FAISS, Gradio) are imported inside the commands that need them,
so `verbatim --help` answers at once.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import click

from app.terminal import printable
from corpus.errors import VerbatimError
from index.config import DEFAULT_MODE, MODES

_PATH = click.Path(path_type=Path, file_okay=False)


def _config(**overrides: object):
    from index.config import Config

    return Config.from_env(**overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Verbatim: search human-rights reports and get passages you can cite word for word.

    \b
    Examples:
      verbatim index
      verbatim ask "How many people were detained in Almaty on election day?"
      verbatim ask "hunger strike" --mode bm25 --publisher ACCA --json
      verbatim show amnesty-2019-06-election-detentions --start 0 --end 200
      verbatim serve --port 7860
    """


@cli.command()
@click.option("--corpus", "corpus_dir", type=_PATH, help="Folder of reports. [default: corpus/reports; env VERBATIM_CORPUS]")
@click.option("--index", "index_dir", type=_PATH, help="Where to write the index. [default: build/index; env VERBATIM_INDEX]")
@click.option("--model", help="all-MiniLM-L6-v2-int8 (default: English, int8 ONNX), multilingual (multilingual-e5-small: "
              "English, Russian, Kazakh), all-MiniLM-L6-v2 (torch) or a local sentence-transformers folder. [env VERBATIM_MODEL]")
@click.option("--transliterate/--no-transliterate", default=None,
              help="BM25 also matches Cyrillic words in Latin letters (Токаев ~ Tokayev); recorded in the index. "
                   "[default: on; env VERBATIM_TRANSLITERATE]")
@click.option("--if-stale", is_flag=True, help="Build only if the index is missing or out of date.")
def index(corpus_dir: Path | None, index_dir: Path | None, model: str | None, transliterate: bool | None,
          if_stale: bool) -> None:
    """Build the index of a folder of reports (.txt, .md, .html, .pdf)."""
    from app.progress import EmbeddingProgress
    from index.errors import DamagedIndexError, IndexNotFoundError
    from index.store import build_index, read_manifest, stale_reason

    config = _config(corpus_dir=corpus_dir, index_dir=index_dir, model=model, transliterate=transliterate)
    if if_stale:
        try:
            reason = stale_reason(read_manifest(config.index_dir), config, corpus_dir=config.corpus_dir)
        except IndexNotFoundError:
            reason = "there is none yet"
        except DamagedIndexError as error:  # a manifest that cannot be read; stale_reason finds other damage
            reason = f"it is damaged ({error.detail})"
        if reason is None:
            click.echo(f"The index at {config.index_dir} is up to date.")
            return
        click.echo(f"Building the index at {config.index_dir}: {reason}.")

    progress = EmbeddingProgress(sys.stderr)

    def on_corpus(texts: int, skipped, warnings) -> None:
        for item in skipped:
            click.echo(f"warning: skipped {item.reason}", err=True)
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
        progress.start(texts)

    try:
        result = build_index(config, on_corpus=on_corpus, progress=progress.update, on_wait=lambda pid: click.echo(
            f"waiting for another build of {config.index_dir} (pid {pid or '?'}) to finish; Ctrl-C stops waiting", err=True))
    finally:
        progress.close()
    click.echo(
        f"Indexed {result.passages} passages from {result.documents} documents "
        f"in {result.seconds:.1f} s into {result.directory}."
    )


@cli.command()
@click.argument("question")
@click.option("-k", "k", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many passages.")
@click.option("--mode", type=click.Choice(MODES), default=DEFAULT_MODE, show_default=True,
              help="dense: meaning; bm25: word stems; bm25-plain: exact words; hybrid: meaning and words, fused.")
@click.option("--publisher", multiple=True, help="Only this publisher (part of the name is enough). Repeatable.")
@click.option("--doc", "doc_ids", multiple=True, help="Only this document id. Repeatable.")
@click.option("--since", default="", help="Only documents dated on or after YYYY[-MM[-DD]].")
@click.option("--until", default="", help="Only documents dated on or before YYYY[-MM[-DD]].")
@click.option("--language", "languages", multiple=True, type=click.Choice(["en", "ru", "kk"]),
              help="Only passages in this language. Repeatable.")
@click.option("--index", "index_dir", type=_PATH, help="The index to ask. [default: build/index]")
@click.option("--reranker", type=_PATH, help="A local cross-encoder folder that reorders the top hits. [env VERBATIM_RERANKER]")
@click.option("--glossary/--no-glossary", default=None,
              help="BM25 also looks for the field's words in the other languages (задержали → detained). "
                   "[default: on; env VERBATIM_GLOSSARY]")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for machines.")
def ask(question: str, k: int, mode: str, publisher: tuple[str, ...], doc_ids: tuple[str, ...],
        since: str, until: str, languages: tuple[str, ...], index_dir: Path | None, reranker: Path | None,
        glossary: bool | None, as_json: bool) -> None:
    """Ask a question; get ranked passages with citations."""
    if not question.strip():
        raise click.UsageError("the question is empty; type a question, e.g. verbatim ask \"Who was detained?\"")
    from app import arguments
    from app.payload import answer_payload
    from app.request import SearchRequest
    from index.search import Searcher
    from index.search.duplicates import fold_near_duplicates

    searcher = Searcher.open(_config(index_dir=index_dir, reranker=reranker, glossary=glossary))
    request = SearchRequest(question, mode, k, arguments.filters(publisher, doc_ids, since, until, languages))
    filters = request.filters
    hits, verdict = request.answer(searcher)
    if as_json:
        click.echo(json.dumps(answer_payload(request, hits, verdict), ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("No passage matches" + (" these filters." if filters.active() else " this question."))
        return
    if verdict is not None and not verdict.answered:
        click.echo(click.style(
            f"No good answer in this collection (confidence {verdict.confidence:.2f}, below {verdict.threshold:.2f}). "
            "The closest passages follow; read them as leads, not answers.\n", fg="red", bold=True))
    elif verdict is not None and hits[0].best_quote is not None:
        quote, citation = hits[0].best_quote
        click.echo(click.style("Best supporting quote: ", bold=True) + f"“{printable(' '.join(quote.split()))}”")
        click.echo(click.style(f"   {printable(citation)}", dim=True) + "\n")
    for folded in fold_near_duplicates(hits):
        hit = folded.hit
        d = hit.document
        heading = printable(f"{hit.rank}. {d.title}")
        click.echo(click.style(heading, bold=True) + f"  (score {hit.score:.4f})")
        meta = " · ".join(x for x in (d.publisher, d.date, hit.passage.section, hit.passage.language) if x)
        click.echo(f"   {printable(meta)}")
        body = printable(" ".join(hit.passage.text.split()))
        click.echo(textwrap.fill(body, width=100, initial_indent="   ", subsequent_indent="   "))
        if hit.sentence is not None:
            best = printable(" ".join(d.text[hit.sentence[0] : hit.sentence[1]].split()))
            click.echo(click.style(textwrap.fill(f"Best sentence: {best}", width=100, initial_indent="   ",
                                                 subsequent_indent="   "), fg="yellow"))
        click.echo(click.style(f"   Cite: {printable(hit.citation)}", dim=True))
        for repeat in folded.also_in:
            where = f"{repeat.document.doc_id} [{repeat.passage.start}:{repeat.passage.end}]"
            click.echo(printable(f"   Also in: {repeat.document.title} ({where})"))
        click.echo()


@cli.command()
@click.argument("doc_id")
@click.option("--start", type=click.IntRange(min=0), help="First character of the span.")
@click.option("--end", type=click.IntRange(min=0), help="End of the span (exclusive).")
@click.option("--index", "index_dir", type=_PATH, help="The index holding the document. [default: build/index]")
def show(doc_id: str, start: int | None, end: int | None, index_dir: Path | None) -> None:
    """Print a document's canonical text, or the span [START:END) of it."""
    from index.store import open_index

    index = open_index(_config(index_dir=index_dir), check_corpus=False)
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
@click.option("--index", "index_dir", type=_PATH, help="The index to serve. [default: build/index]")
@click.option("--reranker", type=_PATH, help="A local cross-encoder folder that reorders the top hits. [env VERBATIM_RERANKER]")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests addressed to this host name (repeatable; '*' for any). Only 127.0.0.1, "
                   "localhost, [::1] and --host are answered otherwise. [env VERBATIM_ALLOWED_HOSTS, comma-separated]")
def serve(host: str, port: int, index_dir: Path | None, reranker: Path | None, allow_hosts: tuple[str, ...]) -> None:
    """Serve the Gradio app (nothing leaves this machine)."""
    from app.security import allowed_hosts
    from app.web import launch
    from index.search import Searcher

    searcher = Searcher.open(_config(index_dir=index_dir, reranker=reranker))
    searcher.embedder  # load the model now, not on the first question  # noqa: B018
    click.echo(f"Verbatim is serving on http://{host}:{port}")
    if host in ("0.0.0.0", "::") and not allow_hosts:
        names = ", ".join(sorted(allowed_hosts(host)))
        click.echo(f"Requests must name one of {names}; add --allow-host NAME for the names others reach this machine by.")
    launch(searcher, host=host, port=port, allow_hosts=allow_hosts)


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


@cli.command()
@click.argument("questions", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--unanswerable", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="JSONL questions the collection does not answer. [default: eval/calibration/unanswerable.jsonl, "
                   "and its -ru and -kk versions for a multilingual index]")
@click.option("--mode", type=click.Choice([m for m in MODES if not m.startswith("bm25")]), default=DEFAULT_MODE,
              show_default=True)
@click.option("--index", "index_dir", type=_PATH, help="The index to calibrate on. [default: build/index]")
@click.option("--json", "as_json", is_flag=True, help="Print the scores and rates as JSON.")
def calibrate(questions: tuple[Path, ...], unanswerable: Path | None, mode: str, index_dir: Path | None,
              as_json: bool) -> None:
    """Calibrate "not found": the answer-confidence threshold that best separates answerable questions
    (QUESTIONS, default: the bundled Kazakhstan sets) from unanswerable ones."""
    from eval.calibration import calibrate as run_calibration
    from eval.questions import BUNDLED_QUESTION_SETS, load_questions
    from index.models.profiles import profile_for
    from index.search import Searcher

    searcher = Searcher.open(_config(index_dir=index_dir))
    # The cross-lingual sets (kazakhstan-ru, -kz) only for an index whose model reads those languages.
    multilingual = profile_for(searcher.index.model_name).question_languages != ("en",)
    paths = questions or tuple(p for p in sorted(BUNDLED_QUESTION_SETS.glob("*.jsonl"))
                               if multilingual or not p.stem.endswith(("-ru", "-kk")))
    answerable = [q for path in paths for q in load_questions(path, searcher.index.documents)]
    # Likewise the Russian and Kazakh versions of the unanswerable questions.
    unanswerable_paths = (unanswerable,) if unanswerable else tuple(
        p for p in sorted((BUNDLED_QUESTION_SETS.parent / "calibration").glob("unanswerable*.jsonl"))
        if multilingual or not p.stem.endswith(("-ru", "-kk")))
    refused = [q for path in unanswerable_paths for q in load_questions(path, searcher.index.documents, answerable=False)]
    calibration = run_calibration(searcher, answerable, refused, mode)
    rows = {"best threshold": calibration.summary(calibration.threshold)}
    by_language = calibration.by_language()
    if len(by_language) > 1:
        rows["best per language"] = calibration.summary(by_language)
    rows["configured"] = calibration.summary(searcher.config.thresholds_for(searcher.index.model_name))
    held_out = {"one threshold": calibration.cross_fitted(per_language=False)}
    if len(by_language) > 1:
        held_out["per language"] = calibration.cross_fitted(per_language=True)
    if as_json:
        payload = {"mode": mode, "chosen": rows["best threshold"], "by_language": rows.get("best per language"),
                   "configured": rows["configured"], "cross_fitted": held_out, "spread": calibration.describe(),
                   "answerable": calibration.answerable, "unanswerable": calibration.unanswerable,
                   "languages": calibration.languages}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    spread = calibration.describe()
    click.echo(f"{len(answerable)} answerable and {len(refused)} unanswerable questions, mode {mode}")
    click.echo(f"confidence of answerable: min {spread['answerable_min']:.3f}, median {spread['answerable_median']:.3f}; "
               f"of unanswerable: median {spread['unanswerable_median']:.3f}, max {spread['unanswerable_max']:.3f}")
    for label, row in rows.items():
        threshold = row["threshold"]
        shown = f"{threshold:.3f}" if isinstance(threshold, float) else ", ".join(f"{k} {v:.3f}" for k, v in threshold.items())
        click.echo(f"{label} {shown}: false answers {row['false_answers']} of {row['unanswerable']} "
                   f"({row['false_answer_rate']:.0%}), answerable wrongly refused {row['wrongly_refused']} of "
                   f"{row['answerable']} ({row['wrongly_refused_rate']:.0%})")
    for label, rates in held_out.items():
        click.echo(f"fitted on odd-numbered questions and scored on even ones, and back: {label}: false answers "
                   f"{rates['false_answer_rate']:.0%}, wrongly refused {rates['wrongly_refused_rate']:.0%}")


@cli.command(name="eval")
@click.argument("questions", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--beir", "beir_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Evaluate a BEIR benchmark folder (corpus.jsonl, queries.jsonl, qrels/test.tsv) instead.")
@click.option("--modes", default="hybrid,dense,bm25", show_default=True, help="Comma-separated modes to compare.")
@click.option("--index", "index_dir", type=_PATH, help="The index to evaluate. [default: build/index]")
@click.option("--reranker", type=_PATH, help="A local cross-encoder folder, for modes written MODE+rerank.")
@click.option("--glossary/--no-glossary", default=None,
              help="BM25 also looks for the field's words in the other languages (задержали → detained). "
                   "[default: on; env VERBATIM_GLOSSARY]")
@click.option("--json", "as_json", is_flag=True, help="Print metrics, per-question ranks and runs as one JSON object.")
@click.option("--report", "report_dir", type=_PATH, help="Also write report.md and recall.png into this folder.")
@click.option("--worst", type=click.IntRange(0, 100), default=5, show_default=True, help="How many worst questions to show.")
def evaluate(questions: Path | None, beir_dir: Path | None, modes: str, index_dir: Path | None,
             reranker: Path | None, glossary: bool | None, as_json: bool, report_dir: Path | None, worst: int) -> None:
    """Measure retrieval: a JSONL question set on the index, or a BEIR benchmark.

    \b
    Examples:
      verbatim eval eval/questions/kazakhstan-dev.jsonl
      verbatim eval eval/questions/kazakhstan-heldout.jsonl --modes hybrid,bm25 --report build/eval
      verbatim eval --beir ../shared/benchmarks/scifact --json
    """
    if (questions is None) == (beir_dir is None):
        raise click.UsageError("give a question set (QUESTIONS.jsonl) or --beir DIR, not both and not neither")
    from eval.runner import parse_mode
    from index.errors import QueryError

    chosen = [m.strip() for m in modes.split(",") if m.strip()]
    try:
        for name in chosen or [modes]:
            parse_mode(name)
    except QueryError as error:
        raise click.UsageError(str(error)) from error
    if questions is not None and not questions.is_file():
        raise click.UsageError(f"no question set at {questions}; give a JSONL file, e.g. eval/questions/kazakhstan-dev.jsonl")
    from tqdm import tqdm

    from eval.report import comparison_table, rank_table, worst_questions, write_report
    from eval.runner import evaluate_benchmark, evaluate_questions
    from index.search import Searcher

    if any(m.endswith("+rerank") for m in chosen) and reranker is None and not os.environ.get("VERBATIM_RERANKER"):
        raise click.UsageError("a +rerank mode needs --reranker DIR, a local cross-encoder folder")
    config = _config(index_dir=index_dir, reranker=reranker, glossary=glossary)
    if beir_dir is not None:
        from eval.beir import load_benchmark, open_benchmark_index

        benchmark = load_benchmark(beir_dir)
        embedding = tqdm(total=0, unit="text", desc="Embedding the benchmark's passages and sentences",
                         file=sys.stderr, disable=None)

        def on_build(count: int) -> None:
            embedding.total = count
            embedding.refresh()

        try:
            searcher = open_benchmark_index(beir_dir, config, on_start=on_build, progress=embedding.update)
        finally:
            embedding.close()
        total = len(benchmark.queries)
    else:
        from eval.questions import load_questions

        searcher = Searcher.open(config)
        question_set = load_questions(questions, searcher.index.documents)
        total = len(question_set)
    bar = tqdm(total=total * len(chosen), unit="question", desc="Running questions", file=sys.stderr, disable=None)

    def progress(mode: str, done: int) -> None:
        bar.set_postfix_str(mode, refresh=False)
        bar.update(done)

    try:
        if beir_dir is not None:
            evaluation = evaluate_benchmark(searcher, benchmark, chosen, progress=progress)
        else:
            evaluation = evaluate_questions(searcher, question_set, chosen, name=questions.stem, progress=progress)
    finally:
        bar.close()
    if report_dir is not None:
        report = write_report(evaluation, report_dir, "verbatim eval " + " ".join(sys.argv[2:]))
        click.echo(f"Wrote {report} and {report.with_name('recall.png')}.", err=as_json)
    if as_json:
        from app.payload import evaluation_payload

        click.echo(json.dumps(evaluation_payload(evaluation), ensure_ascii=False, indent=2))
        return
    click.echo(f"{evaluation.name}: {total} questions\n")
    click.echo(comparison_table(evaluation))
    if beir_dir is None:
        click.echo("\nRank of the first relevant passage ('-': not in the top 100):\n")
        click.echo(rank_table(evaluation))
    blocks = worst_questions(evaluation, evaluation.best_mode(), worst)
    if blocks:
        click.echo(f"\nWorst questions in {evaluation.best_mode()}:\n")
        click.echo("\n\n".join(blocks))


def main(argv: list[str] | None = None) -> None:
    """Entry point: library errors become one line on stderr and a non-zero exit, never a traceback."""
    try:
        code = cli.main(args=argv, prog_name="verbatim", standalone_mode=False)
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
