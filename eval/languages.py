"""Retrieval per language pair: the Kazakhstan questions that have Russian and Kazakh versions
(kz01–kz60, kz88–kz127) asked in English, Russian and Kazakh against the English reports, on the
default (English) index and on the multilingual one; kz88–kz127, written blind, also on their own.

Usage: python -m eval.languages [--index DIR] [--multilingual-index DIR] [--out FILE]
(`make eval-languages` builds the multilingual index of the bundled corpus first.)
Prints, and writes to --out, a Markdown table of MRR@10 and Recall@5 per pair and index, with
each index's build time and the median latency of a question.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from corpus.paths import work_dir
from eval.calibration import question_number
from eval.questions import BUNDLED_QUESTION_SETS, Question, load_questions
from eval.runner import evaluate_questions
from index.config import Config
from index.search import Searcher

PAIRS = {"en→en": None, "ru→en": "kazakhstan-ru", "kk→en": "kazakhstan-kk"}
MODES = ("hybrid", "dense-sentences")


def question_sets(documents) -> dict[str, list[Question]]:
    """Each pair's questions: the same questions, with the same answer quotes."""
    translated = {pair: load_questions(BUNDLED_QUESTION_SETS / f"{name}.jsonl", documents)
                  for pair, name in PAIRS.items() if name}
    wanted = {json.loads(line)["translates"] for line in (BUNDLED_QUESTION_SETS / "kazakhstan-ru.jsonl").read_text().splitlines()
              if line.strip()}
    english = [q for name in ("kazakhstan-dev", "kazakhstan-heldout", "kazakhstan-second")
               for q in load_questions(BUNDLED_QUESTION_SETS / f"{name}.jsonl", documents) if q.qid in wanted]
    return {"en→en": sorted(english, key=lambda q: q.qid), **translated}


BLIND_FROM = 88


def measure(index_dir: Path) -> dict:
    searcher = Searcher.open(Config.from_env(index_dir=index_dir))
    manifest = searcher.index.manifest
    rows = {}
    sets = question_sets(searcher.index.documents)
    # The 40 questions written blind on 2026-12-03 (kz88-kz127), mostly paraphrases, on their own too.
    sets |= {f"{pair}, kz88–kz127": [q for q in questions if question_number(q.qid) >= BLIND_FROM]
             for pair, questions in sets.items()}
    for pair, questions in sets.items():
        evaluation = evaluate_questions(searcher, questions, list(MODES), name=pair)
        searcher.forget_questions()
        seconds = []
        for question in questions:  # a new question each time: its embedding is timed too
            started = time.perf_counter()
            searcher.search(question.text, k=10)
            seconds.append(time.perf_counter() - started)
        rows[pair] = {
            "questions": len(questions),
            **{mode: {"MRR@10": round(run.metrics["MRR@10"], 3), "R@5": round(run.metrics["R@5"], 3)}
               for mode, run in evaluation.runs.items()},
            "p50_ms": round(statistics.median(seconds) * 1000, 1),
        }
    return {"model": manifest.model.name, "build_seconds": manifest.build_seconds, "pairs": rows}


def markdown(results: dict[str, dict]) -> str:
    lines = ["| index (model) | build s | pair | hybrid MRR@10 | hybrid R@5 | dense-sentences MRR@10 | dense-sentences R@5 | "
             "query p50 ms |", "|---|---|---|---|---|---|---|---|"]
    for result in results.values():
        for pair, row in result["pairs"].items():
            lines.append(f"| {result['model']} | {result['build_seconds']} | {pair} ({row['questions']}) | "
                         f"{row['hybrid']['MRR@10']} | {row['hybrid']['R@5']} | {row['dense-sentences']['MRR@10']} | "
                         f"{row['dense-sentences']['R@5']} | {row['p50_ms']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=work_dir() / "index")
    parser.add_argument("--multilingual-index", type=Path, default=work_dir() / "index-multilingual")
    parser.add_argument("--out", type=Path, default=work_dir() / "eval" / "languages.md")
    args = parser.parse_args(argv)
    results = {"default": measure(args.index), "multilingual": measure(args.multilingual_index)}
    table = markdown(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table)
    args.out.with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(table + f"\nWrote {args.out} and {args.out.with_suffix('.json')}")


if __name__ == "__main__":
    main()
