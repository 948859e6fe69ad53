"""An index that grows with the archive: every build takes the vectors it has already made from the
embedding cache, so an update embeds only what changed and gives the index a fresh full build gives;
a build killed half-way resumes; a damaged cache record is embedded again, never served."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO_ROOT, VERBATIM, run_verbatim

from corpus.paths import BUNDLED_CORPUS
from index.config import MODES, Config
from index.search import Searcher
from index.store import build_index, open_index, read_manifest
from index.store.dense import DenseIndex

QUESTION_SETS = REPO_ROOT / "eval" / "questions"
CHANGED = "amnesty-2019-06-election-detentions.txt"
ADDED = "civicus-monitor-kazakhstan.txt"  # the last report of the five to arrive


def corpus_copy(folder: Path, without: tuple[str, ...] = ()) -> Path:
    shutil.copytree(BUNDLED_CORPUS, folder, ignore=shutil.ignore_patterns(*without))
    return folder


def build(corpus: Path, index: Path, cache: Path, embedder) -> Config:
    config = Config(corpus_dir=corpus, index_dir=index, cache_dir=cache)
    build_index(config, embedder=embedder)
    return config


def assert_same_index(updated: Config, fresh: Config) -> None:
    """The same passages, vectors, sentence vectors and BM25 scores; the same top 10 in every mode for
    every question of the bundled question sets. (BM25's files may differ across processes: bm25s
    numbers the words in an order that follows Python's string hashing; the scores do not.)"""
    a, b = updated.index_dir, fresh.index_dir
    for name in ("documents.jsonl", "passages.jsonl", "sentences.npy", "sentence_vectors.npy", "ingest.json"):
        assert filecmp.cmp(a / name, b / name, shallow=False), name
    dense_a, dense_b = DenseIndex.load(a / "dense.faiss"), DenseIndex.load(b / "dense.faiss")
    assert np.array_equal(dense_a.rows(np.arange(dense_a.size)), dense_b.rows(np.arange(dense_b.size)))
    ours, theirs = Searcher(open_index(updated), updated), Searcher(open_index(fresh), fresh)
    questions = [json.loads(line)["question"] for name in ("kazakhstan-dev", "kazakhstan-heldout")
                 for line in (QUESTION_SETS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    for question in questions:
        for translate in (False, True):
            scores = ours.index.lexical.scores(question, translate=translate)
            assert np.array_equal(scores, theirs.index.lexical.scores(question, translate=translate)), question
    for mode in MODES:
        for question in questions:
            top = [h.passage.passage_id for h in ours.search(question, mode=mode, k=10)]
            assert top == [h.passage.passage_id for h in theirs.search(question, mode=mode, k=10)], (mode, question)


@pytest.fixture(scope="module")
def grown(tmp_path_factory, embedder):
    """Four reports built, then the fifth added: the archive's weekly case."""
    root = tmp_path_factory.mktemp("incremental")
    corpus = corpus_copy(root / "reports", without=(ADDED,))
    config = build(corpus, root / "index", root / "cache", embedder)
    before = read_manifest(config.index_dir).embedding
    shutil.copy(BUNDLED_CORPUS / ADDED, corpus / ADDED)
    build_index(config, embedder=embedder)
    return root, config, before


def test_adding_a_report_embeds_only_its_texts_and_equals_a_fresh_full_build(grown, embedder):
    root, config, first = grown
    added = read_manifest(config.index_dir).embedding
    # The first build embedded every distinct text (a one-sentence passage is its sentence too).
    assert first["embedded"] + first["reused"] == first["texts"] and first["reused"] < 0.05 * first["texts"]
    assert 0 < added["embedded"] < added["texts"] - first["texts"] + 10  # the new report's texts, about
    assert added["reused"] >= first["texts"] - 10
    fresh = build(config.corpus_dir, root / "fresh-added", root / "cache-fresh-added", embedder)
    assert read_manifest(fresh.index_dir).embedding["reused"] < 0.05 * added["texts"]  # embedded from nothing
    assert_same_index(config, fresh)


def test_changing_and_removing_a_report_equal_fresh_full_builds(grown, embedder):
    root, config, _ = grown
    with (config.corpus_dir / CHANGED).open("a", encoding="utf-8") as handle:
        handle.write("\nLater, 42 more people were detained in Shymkent for holding blank sheets of paper.\n")
    build_index(config, embedder=embedder)
    changed = read_manifest(config.index_dir).embedding
    assert 0 < changed["embedded"] <= 10  # the changed passage and its new sentence
    assert_same_index(config, build(config.corpus_dir, root / "fresh-changed", root / "cache-changed", embedder))
    assert Searcher(open_index(config), config).search("blank sheets of paper in Shymkent", mode="bm25")

    (config.corpus_dir / ADDED).unlink()
    build_index(config, embedder=embedder)
    assert read_manifest(config.index_dir).embedding["embedded"] == 0  # nothing new to embed
    assert "civicus-monitor-kazakhstan" not in open_index(config).documents
    assert_same_index(config, build(config.corpus_dir, root / "fresh-removed", root / "cache-removed", embedder))


def test_an_up_to_date_index_is_left_as_it_is(grown):
    _, config, _ = grown
    before = (config.index_dir / "manifest.json").read_text()
    result = run_verbatim("index", "--corpus", str(config.corpus_dir), "--index", str(config.index_dir),
                          env={**os.environ, "VERBATIM_CACHE": str(config.cache_dir)})
    assert result.returncode == 0, result.stderr
    assert f"The index at {config.index_dir} is up to date." in result.stdout
    assert (config.index_dir / "manifest.json").read_text() == before


def _cache_records(cache: Path) -> int:
    record = 32 + 384 * 4 + 4
    return sum(path.stat().st_size // record for path in cache.glob("embeddings/*/vectors-*.bin"))


def test_a_build_killed_mid_embedding_leaves_the_old_index_and_resumes_where_it_stopped(tmp_path, embedder):
    corpus = corpus_copy(tmp_path / "reports", without=(ADDED,))
    cache = tmp_path / "cache"
    config = build(corpus, tmp_path / "index", tmp_path / "old-cache", embedder)  # the index being served
    before = (config.index_dir / "manifest.json").read_text()
    shutil.copy(BUNDLED_CORPUS / ADDED, corpus / ADDED)
    env = {**os.environ, "VERBATIM_CACHE": str(cache)}  # an empty cache: everything is embedded again
    command = [str(VERBATIM), "index", "--corpus", str(corpus), "--index", str(config.index_dir)]
    build_process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while _cache_records(cache) < 300 and build_process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert build_process.poll() is None, "the build ended before it could be killed"
        os.killpg(build_process.pid, signal.SIGKILL)
    finally:
        build_process.wait(timeout=30)
    kept = _cache_records(cache)
    assert kept >= 300
    assert (config.index_dir / "manifest.json").read_text() == before  # the old index still serves
    assert Searcher(open_index(config, check_corpus=False), config).search("hunger strike", mode="bm25")

    resumed = run_verbatim(*command[1:], env=env)
    assert resumed.returncode == 0, resumed.stderr
    embedding = read_manifest(config.index_dir).embedding
    assert embedding["reused"] >= kept and embedding["embedded"] == embedding["texts"] - embedding["reused"]
    assert f"{embedding['reused']:,} of {embedding['texts']:,} texts came from the embedding cache" in resumed.stdout
    assert not list(tmp_path.glob(".index.building-*"))  # the killed build's staging folder is gone
    assert_same_index(config, build(corpus, tmp_path / "fresh", tmp_path / "fresh-cache", embedder))


def test_a_damaged_cache_record_is_embedded_again_and_a_torn_one_ignored(tmp_path, embedder):
    corpus = corpus_copy(tmp_path / "reports")
    config = build(corpus, tmp_path / "index", tmp_path / "cache", embedder)
    vectors = DenseIndex.load(config.index_dir / "dense.faiss")
    (segment,) = (tmp_path / "cache").glob("embeddings/*/vectors-*.bin")
    data = bytearray(segment.read_bytes())
    data[32 + 100] ^= 0xFF  # a byte of the first record's vector
    segment.write_bytes(bytes(data) + b"\x01" * 700)  # and a torn record after the last whole one
    build_index(config, embedder=embedder)  # the corpus is unchanged: a forced rebuild, as `verbatim index --force`
    embedding = read_manifest(config.index_dir).embedding
    assert embedding["embedded"] == 1
    again = DenseIndex.load(config.index_dir / "dense.faiss")
    assert np.array_equal(vectors.rows(np.arange(vectors.size)), again.rows(np.arange(again.size)))
