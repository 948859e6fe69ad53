"""`verbatim calibrate` and `verbatim eval`: measuring the "not found" threshold and retrieval."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from app.cli_options import FOLDER, GLOSSARY, Invocation, load_config
from index.config import DEFAULT_MODE, MODES

if TYPE_CHECKING:
    from eval.beir import Benchmark
    from eval.calibration import Calibration
    from eval.runner import Evaluation
    from index.config import Config
    from index.search import Searcher


@click.command()
@click.argument("questions", nargs=-1, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--unanswerable", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="JSONL questions the collection does not answer. [default: eval/calibration/unanswerable.jsonl, "
                   "and its -ru and -kk versions for a multilingual index]")
@click.option("--mode", type=click.Choice([m for m in MODES if not m.startswith("bm25")]), default=DEFAULT_MODE,
              show_default=True)
@click.option("--index", "index_dir", type=FOLDER, help="The index to calibrate on. [default: build/index]")
@click.option("--json", "as_json", is_flag=True, help="Print the scores and rates as JSON.")
@click.option("--split", help='Only the questions of this half of split sets (their lines\' "split" field, e.g. heldout).')
def calibrate(questions: tuple[Path, ...], unanswerable: Path | None, mode: str, index_dir: Path | None,
              as_json: bool, split: str | None) -> None:
    """Calibrate "not found": the answer-confidence threshold that best separates answerable questions
    (QUESTIONS, default: the bundled Kazakhstan sets) from unanswerable ones."""
    from eval.calibration import calibrate as run_calibration
    from eval.questions import bundled_question_sets, load_questions
    from index.models.profiles import profile_for
    from index.search import Searcher

    searcher = Searcher.open(load_config(index_dir=index_dir))
    if not questions and not _of_bundled_reports(searcher):
        _explain_default(searcher)
        return
    # The bundled sets in the languages the index's model answers questions in (the Russian and
    # Kazakh ones only for a multilingual model), unless sets are given.
    languages = profile_for(searcher.index.model_name).question_languages
    paths = questions or bundled_question_sets(languages)
    answerable = _half([q for path in paths for q in load_questions(path, searcher.index.documents)], split, paths)
    unanswerable_paths = (unanswerable,) if unanswerable else bundled_question_sets(languages, answerable=False)
    refused = _half([q for path in unanswerable_paths for q in load_questions(path, searcher.index.documents, answerable=False)],
                    split, unanswerable_paths)
    calibration = run_calibration(searcher, answerable, refused, mode)
    rows = {"best threshold": calibration.summary(calibration.threshold)}
    by_language = calibration.by_language()
    if len(by_language) > 1:
        rows["best per language"] = calibration.summary(by_language)
    configured = searcher.config.thresholds_for(searcher.index.model_name)
    rows["configured"] = calibration.summary(configured)
    held_out = {"one threshold": calibration.cross_fitted(per_language=False)}
    if len(by_language) > 1:
        held_out["per language"] = calibration.cross_fitted(per_language=True)
    if as_json:
        payload = {"mode": mode, "chosen": rows["best threshold"], "by_language": rows.get("best per language"),
                   "configured": rows["configured"], "cross_fitted": held_out, "spread": calibration.describe(),
                   "quote_holds_answer": {**calibration.quote_summary(),
                                          "questions": {qid: asdict(check) for qid, check in calibration.quotes.items()}},
                   "answerable": calibration.answerable, "unanswerable": calibration.unanswerable,
                   "languages": calibration.languages,
                   "false_answers_by_kind": calibration.false_answers_by_kind(configured)}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(f"{len(answerable)} answerable and {len(refused)} unanswerable questions, mode {mode}")
    _print_calibration(calibration, rows, held_out)
    kinds = calibration.false_answers_by_kind(configured)
    if kinds:
        click.echo("false answers by kind of unanswerable question (configured threshold): " + ", ".join(
            f"{kind} {row['false_answers']} of {row['unanswerable']}" for kind, row in kinds.items()))


def _of_bundled_reports(searcher: Searcher) -> bool:
    from corpus.paths import BUNDLED_CORPUS
    from index.store.load import manifest_corpus_dir

    return manifest_corpus_dir(searcher.index.manifest).resolve() == BUNDLED_CORPUS.resolve()


def _explain_default(searcher: Searcher) -> None:
    """No question set for a collection of the user's own: say what the threshold is and how to fit one."""
    from index.store.load import manifest_corpus_dir

    thresholds = searcher.config.thresholds_for(searcher.index.model_name)
    shown = f"{thresholds:.3f}" if isinstance(thresholds, float) else ", ".join(f"{k} {v:.3f}" for k, v in thresholds.items())
    click.echo(
        f"No question set given, and this index is of {manifest_corpus_dir(searcher.index.manifest)}, not the bundled "
        f"reports: there is nothing here to calibrate on. Answers are judged against the default threshold ({shown}), "
        "fitted on the bundled reports' questions; on another collection it may refuse too much or too little "
        "(README, \"When the collection holds no answer\").\n"
        "To fit it to this collection, write questions it answers, each with its exact answer quote, and questions it "
        "does not answer, one JSON object a line as in eval/questions/ and eval/calibration/, then run:\n"
        "  verbatim calibrate YOURS.jsonl --unanswerable YOURS-UNANSWERABLE.jsonl --index DIR\n"
        "and give the best threshold to `ask` and `serve` as VERBATIM_ANSWER_THRESHOLD.")


def _half(questions: list, split: str | None, paths: tuple[Path, ...]) -> list:
    """The questions of one half across the sets (a set may hold only one half)."""
    from eval.questions import only_split

    return questions if split is None else only_split(questions, split, Path(", ".join(map(str, paths))))


def _rate(rate: object, interval: object) -> str:
    """A summary's rate and its interval, as "8 %, 95 % interval 3–18 %"."""
    low, high = cast("list[float]", interval)
    return f"{cast(float, rate) * 100:.0f} %, 95 % interval {low * 100:.0f}–{high * 100:.0f} %"


def _print_calibration(calibration: Calibration, rows: dict[str, dict], held_out: dict[str, dict]) -> None:
    spread = calibration.describe()
    click.echo(f"confidence of answerable: min {spread['answerable_min']:.3f}, median {spread['answerable_median']:.3f}; "
               f"of unanswerable: median {spread['unanswerable_median']:.3f}, max {spread['unanswerable_max']:.3f}")
    for label, row in rows.items():
        threshold = row["threshold"]
        shown = f"{threshold:.3f}" if isinstance(threshold, float) else ", ".join(f"{k} {v:.3f}" for k, v in threshold.items())
        click.echo(f"{label} {shown}: false answers {row['false_answers']} of {row['unanswerable']} "
                   f"({_rate(row['false_answer_rate'], row['false_answer_interval'])}), answerable wrongly refused "
                   f"{row['wrongly_refused']} of {row['answerable']} "
                   f"({_rate(row['wrongly_refused_rate'], row['wrongly_refused_interval'])})")
    quotes = calibration.quote_summary()
    click.echo(f"best quote holds the answer: {quotes['holds']} of {quotes['answered']} answered "
               f"({_rate(quotes['holds_rate'], quotes['holds_interval'])}; {quotes['contains']} contain it whole)")
    click.echo("(95 % intervals, Wilson: the rates these counts are consistent with)")
    for label, rates in held_out.items():
        click.echo(f"fitted on odd-numbered questions and scored on even ones, and back: {label}: false answers "
                   f"{rates['false_answer_rate'] * 100:.0f} %, wrongly refused {rates['wrongly_refused_rate'] * 100:.0f} %")


@click.command(name="eval")
@click.argument("questions", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--beir", "beir_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Evaluate a BEIR benchmark folder (corpus.jsonl, queries.jsonl, qrels/test.tsv) instead.")
@click.option("--modes", default="hybrid,dense,bm25", show_default=True, help="Comma-separated modes to compare.")
@click.option("--index", "index_dir", type=FOLDER, help="The index to evaluate. [default: build/index]")
@click.option("--reranker", type=FOLDER, help="A local cross-encoder folder, for modes written MODE+rerank.")
@GLOSSARY
@click.option("--json", "as_json", is_flag=True, help="Print metrics, per-question ranks and runs as one JSON object.")
@click.option("--report", "report_dir", type=FOLDER, help="Also write report.md and recall.png into this folder.")
@click.option("--worst", type=click.IntRange(0, 100), default=5, show_default=True, help="How many worst questions to show.")
@click.option("--split", help='Only the questions of this half of a split set (its lines\' "split" field, e.g. heldout).')
@click.pass_obj
def evaluate(invocation: Invocation | None, questions: Path | None, beir_dir: Path | None, modes: str,
             index_dir: Path | None, reranker: Path | None, glossary: bool | None, as_json: bool,
             report_dir: Path | None, worst: int, split: str | None) -> None:
    """Measure retrieval: a JSONL question set on the index, or a BEIR benchmark.

    \b
    Examples:
      verbatim eval eval/questions/kazakhstan-dev.jsonl
      verbatim eval eval/questions/kazakhstan-heldout.jsonl --modes hybrid,bm25 --report build/eval
      verbatim eval eval/upr/upr-reports.jsonl --index build/index-upr --split heldout
      verbatim eval --beir ../shared/benchmarks/scifact --json
    """
    chosen = _chosen_modes(questions, beir_dir, modes)
    if split is not None and beir_dir is not None:
        raise click.UsageError("--split chooses questions of a question set; a BEIR benchmark has its own (qrels/test.tsv)")
    settings = load_config(index_dir=index_dir, reranker=reranker, glossary=glossary)
    if any(m.endswith("+rerank") for m in chosen) and settings.reranker is None:
        raise click.UsageError("a +rerank mode needs --reranker DIR, a local cross-encoder folder")
    evaluation = _run(settings, questions, beir_dir, chosen, split)
    if report_dir is not None:
        from eval.report import write_report

        report = write_report(evaluation, report_dir, (invocation or Invocation(("eval",))).command_line())
        click.echo(f"Wrote {report} and {report.with_name('recall.png')}.", err=as_json)
    if as_json:
        from app.payload import evaluation_payload

        click.echo(json.dumps(evaluation_payload(evaluation), ensure_ascii=False, indent=2))
        return
    _print_evaluation(evaluation, tables=beir_dir is None, worst=worst)


def _chosen_modes(questions: Path | None, beir_dir: Path | None, modes: str) -> list[str]:
    """The modes to compare; a UsageError for a wrong mode or a missing or doubled question set."""
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
    return chosen


def _run(settings: Config, questions: Path | None, beir_dir: Path | None, chosen: list[str],
         split: str | None = None) -> Evaluation:
    """Open the index (or the benchmark's), then run every question in each mode, with progress bars."""
    from tqdm import tqdm

    from eval.runner import evaluate_benchmark, evaluate_questions

    if beir_dir is not None:
        benchmark, searcher = _open_benchmark(beir_dir, settings)
        total = len(benchmark.queries)
    else:
        from eval.questions import load_questions, only_split
        from index.search import Searcher

        assert questions is not None  # _checked_modes asked for one of the two
        searcher = Searcher.open(settings)
        question_set = load_questions(questions, searcher.index.documents)
        if split is not None:
            question_set = only_split(question_set, split, questions)
        total = len(question_set)
    bar = tqdm(total=total * len(chosen), unit="question", desc="Running questions", file=sys.stderr, disable=None)

    def progress(mode: str, done: int) -> None:
        bar.set_postfix_str(mode, refresh=False)
        bar.update(done)

    try:
        if beir_dir is not None:
            return evaluate_benchmark(searcher, benchmark, chosen, progress=progress)
        name = (questions.stem if questions is not None else "") + (f" ({split})" if split else "")
        return evaluate_questions(searcher, question_set, chosen, name=name, progress=progress)
    finally:
        bar.close()


def _open_benchmark(beir_dir: Path, settings: Config) -> tuple[Benchmark, Searcher]:
    """The benchmark and a searcher over its index (built once, with a progress bar, and cached)."""
    from tqdm import tqdm

    from eval.beir import load_benchmark, open_benchmark_index

    benchmark = load_benchmark(beir_dir)
    embedding = tqdm(total=0, unit="text", desc="Embedding the benchmark's passages and sentences",
                     file=sys.stderr, disable=None)

    def on_build(count: int) -> None:
        embedding.total = count
        embedding.refresh()

    try:
        return benchmark, open_benchmark_index(beir_dir, settings, on_start=on_build, progress=embedding.update)
    finally:
        embedding.close()


def _print_evaluation(evaluation: Evaluation, *, tables: bool, worst: int) -> None:
    from eval.report import comparison_table, difference_table, rank_table, worst_questions

    click.echo(f"{evaluation.name}: {len(evaluation.questions)} questions\n")
    click.echo(comparison_table(evaluation))
    differences = difference_table(evaluation)
    if differences:
        click.echo(f"\nAgainst {next(iter(evaluation.runs))}, question by question (mean difference, 95 % paired "
                   "bootstrap interval):\n")
        click.echo(differences)
    if tables:
        click.echo("\nRank of the first relevant passage ('-': not in the top 100):\n")
        click.echo(rank_table(evaluation))
    blocks = worst_questions(evaluation, evaluation.best_mode(), worst)
    if blocks:
        click.echo(f"\nWorst questions in {evaluation.best_mode()}:\n")
        click.echo("\n\n".join(blocks))
