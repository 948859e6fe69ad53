"""Presenting an evaluation: the comparison table, per-question ranks, worst questions, Markdown and a plot."""

from __future__ import annotations

from pathlib import Path

from eval.intervals import MIN_QUESTIONS, RESAMPLES, Difference
from eval.metrics import METRICS
from eval.runner import COMPARED, Evaluation
from index.models.onnx_model import cpu_description


def comparison_table(evaluation: Evaluation, *, markdown: bool = False) -> str:
    header = ["mode", *METRICS]
    rows = [[mode, *(f"{run.metrics[m]:.3f}" for m in METRICS)] for mode, run in evaluation.runs.items()]
    return _table(header, rows, markdown)


def difference_table(evaluation: Evaluation, *, markdown: bool = False) -> str:
    """Each mode against the first, question by question: the mean difference of each compared
    metric and its 95 % paired bootstrap interval; "" for a single mode."""
    header, rows = difference_rows(evaluation)
    return _table(header, rows, markdown) if rows else ""


def difference_rows(evaluation: Evaluation) -> tuple[list[str], list[list[str]]]:
    """The header and rows of `difference_table` (no rows for a single mode): per mode, each metric's
    difference, and which metrics differ clearly."""
    baseline = next(iter(evaluation.runs), "")
    rows = [[mode, *(_difference(d) for d in by_metric.values()), _clear(by_metric)]
            for mode, by_metric in evaluation.differences.items()]
    return ["mode", *(f"{m} vs {baseline}" for m in COMPARED), "clear difference"], rows


def _clear(by_metric: dict[str, Difference]) -> str:
    if not all(d.enough for d in by_metric.values()):
        return f"no: too few questions to tell (under {MIN_QUESTIONS})"
    clear = [metric for metric, d in by_metric.items() if d.clear]
    if not clear:
        return "no: could be chance"
    return "yes" if len(clear) == len(by_metric) else f"{' and '.join(clear)} only"


def _difference(difference: Difference) -> str:
    return f"{difference.mean:+.3f} ({difference.low:+.3f} to {difference.high:+.3f})"


def rank_table(evaluation: Evaluation, *, markdown: bool = False) -> str:
    """For each question, the rank of the first relevant hit in each mode ('-' when none in the top 100)."""
    modes = list(evaluation.runs)
    rows = [
        [qid, *(_rank(evaluation.runs[mode].ranks[qid]) for mode in modes), _clip(text, 70)]
        for qid, text in evaluation.questions.items()
    ]
    return _table(["id", *modes, "question"], rows, markdown)


def worst_questions(evaluation: Evaluation, mode: str, count: int = 5) -> list[str]:
    """The questions the mode ranks worst, each with what it retrieved instead of an answer."""
    run = evaluation.runs[mode]
    order = sorted(evaluation.questions, key=lambda qid: -(run.ranks[qid] or 10_000))
    worst = [qid for qid in order if (run.ranks[qid] or 10_000) > 1][:count]
    blocks = []
    for qid in worst:
        lines = [
            f"{qid} (first relevant at {_rank(run.ranks[qid])}): {evaluation.questions[qid]}",
            f"  expected: {_clip(' | '.join(evaluation.answers[qid]), 160)}",
        ]
        for hit in run.hits[qid][:3]:
            lines.append(f"  got {hit.rank}. [{hit.document.doc_id}] {_clip(' '.join(hit.passage.text.split()), 140)}")
        blocks.append("\n".join(lines))
    return blocks


def write_report(evaluation: Evaluation, folder: Path, command: str) -> Path:
    """Write report.md and recall.png into `folder`; returns the Markdown file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    plot = folder / "recall.png"
    recall_plot(evaluation, plot)
    best = evaluation.best_mode()
    worst = "\n\n".join(f"```\n{block}\n```" for block in worst_questions(evaluation, best))
    text = f"""# Evaluation: {evaluation.name}

{len(evaluation.questions)} questions. Produced by:

    {command}

on {cpu_description()}.

## Metrics

{comparison_table(evaluation, markdown=True)}

Best mode by nDCG@10: **{best}**.
{_differences_section(evaluation)}
![Recall@k]({plot.name})

## Worst questions in {best}

{worst or "None: every question has a relevant passage at rank 1."}

## Rank of the first relevant passage, per question

{rank_table(evaluation, markdown=True)}
"""
    report = folder / "report.md"
    report.write_text(text, encoding="utf-8")
    return report


def _differences_section(evaluation: Evaluation) -> str:
    table = difference_table(evaluation, markdown=True)
    if not table:
        return ""
    return f"""
Each mode against {next(iter(evaluation.runs))} over the same {len(evaluation.questions)} questions: the mean
difference per question and its 95 % interval (paired bootstrap, {RESAMPLES:,} resamples). An interval
that holds zero is a difference these questions cannot tell from chance.

{table}
"""


def recall_plot(evaluation: Evaluation, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display here, and none needed
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 4), dpi=100)
    for mode, run in evaluation.runs.items():
        ks = sorted(run.recall)
        axes.plot(ks, [run.recall[k] for k in ks], marker="o", label=mode)
    axes.set_xscale("log")
    axes.set_xlabel("k (passages read)")
    axes.set_ylabel("Recall@k")
    axes.set_ylim(0, 1.02)
    axes.set_title(f"Recall@k: {evaluation.name}")
    axes.grid(True, alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def _rank(rank: int | None) -> str:
    return "-" if rank is None else str(rank)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        escape = [[cell.replace("|", "\\|") for cell in row] for row in rows]
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in escape])
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    padded = ("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)) for row in [header, *rows])
    return "\n".join(line.rstrip() for line in padded)
