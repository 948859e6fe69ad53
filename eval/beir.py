"""BEIR benchmarks: queries, test qrels, and an index of the corpus cached by its checksum."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from corpus.beir import file_sha256, load_beir_corpus
from eval.questions import QuestionSetError
from index.config import Config
from index.errors import IndexNotFoundError, StaleIndexError
from index.models import Embedder, resolve_model
from index.search import Searcher
from index.store import damage_reason, open_index, read_manifest, write_index


@dataclass(frozen=True)
class Benchmark:
    name: str
    queries: dict[str, str]  # only the queries that have test judgements
    qrels: dict[str, dict[str, int]]


def load_benchmark(folder: Path, split: str = "test") -> Benchmark:
    qrels_path = folder / "qrels" / f"{split}.tsv"
    queries_path = folder / "queries.jsonl"
    for path in (qrels_path, queries_path):
        if not path.is_file():
            raise QuestionSetError(f"{path} is missing; a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/{split}.tsv")
    qrels: dict[str, dict[str, int]] = {}
    with qrels_path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        for number, row in enumerate(rows, start=1):
            if number == 1 and row and row[0] == "query-id":
                continue
            if len(row) != 3:
                raise QuestionSetError(f"{qrels_path}:{number}: expected query-id, corpus-id and score")
            qid, doc_id, score = row
            if not score.strip().lstrip("-").isdigit():
                raise QuestionSetError(f"{qrels_path}:{number}: the score {score!r} is not a whole number")
            if int(score) > 0:
                qrels.setdefault(qid, {})[doc_id] = int(score)
    queries: dict[str, str] = {}
    with queries_path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                qid, text = _query_line(line, f"{queries_path}:{number}")
                if qid in qrels:
                    queries[qid] = text
    missing = sorted(qrels.keys() - queries.keys())
    if missing:
        raise QuestionSetError(f"{qrels_path}: query {missing[0]} has judgements but no text in {queries_path}")
    return Benchmark(folder.resolve().name, queries, qrels)


def _query_line(line: str, where: str) -> tuple[str, str]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise QuestionSetError(f"{where}: not JSON ({error.msg}); a BEIR query line is {{\"_id\": …, \"text\": …}}") from error
    if not isinstance(row, dict) or "_id" not in row or not isinstance(row.get("text"), str):
        raise QuestionSetError(f"{where}: a BEIR query line needs an \"_id\" and a \"text\" string")
    return str(row["_id"]), row["text"]


def open_benchmark_index(
    folder: Path,
    config: Config,
    *,
    on_start: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Searcher:
    """Index the BEIR corpus once per corpus checksum and model; later runs reuse the index."""
    corpus_path = folder / "corpus.jsonl"
    if not corpus_path.is_file():
        raise QuestionSetError(f"{corpus_path} is missing; a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/test.tsv")
    sha = file_sha256(corpus_path)
    model_name = resolve_model(config.model).name
    # One folder per corpus checksum and model, so indexes of two models can be compared side by side.
    model_slug = "".join(c if c.isalnum() or c in "-." else "_" for c in Path(model_name).name)
    directory = config.index_dir.parent / "beir" / f"{folder.resolve().name}-{sha[:12]}-{model_slug}"
    benchmark_config = replace(config, index_dir=directory)
    try:
        manifest = read_manifest(directory)
        current = (
            damage_reason(directory, manifest) is None  # a damaged copy is built again
            and (manifest.beir or {}).get("corpus_sha256") == sha
            and manifest.model.name == model_name
        )
    except (IndexNotFoundError, StaleIndexError):  # of an older format, or damaged
        current = False
    if not current:
        documents, passages = load_beir_corpus(folder)
        write_index(
            directory,
            documents,
            passages,
            embedder=Embedder(config.model, config.batch_size),
            on_start=on_start,
            progress=progress,
            about={"beir": {"name": folder.resolve().name, "corpus_sha256": sha}},
            cache=config.cache_root(),
        )
    return Searcher(open_index(benchmark_config, check_corpus=False), benchmark_config)
