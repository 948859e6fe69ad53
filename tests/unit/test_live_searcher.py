"""The live searcher (index/search/live.py): a rebuild of the index folder is picked up between
searches, the old searcher keeps answering, a damaged new index is never swapped in. Fake encoder:
the real-model test over HTTP is tests/test_live_app.py."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from fakes import BagOfWordsEncoder

from index.config import Config
from index.search import Searcher
from index.search.live import LiveSearcher
from index.store import build_index, open_index

FIXTURES = Path(__file__).parent.parent / "fixtures" / "corpus"
NEW_REPORT = """Detentions in Zhanaozen

Police in Zhanaozen detained fourteen oil workers at the gates of the depot on 3 March and held them overnight.
"""


@pytest.fixture()
def served(tmp_path) -> Config:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES, corpus)
    config = Config(corpus_dir=corpus, index_dir=tmp_path / "index", embedding_cache=False)
    build_index(config, embedder=BagOfWordsEncoder())
    return config


def live_searcher(config: Config, **options) -> LiveSearcher:
    searcher = Searcher(open_index(config, check_corpus=False), config)
    searcher._embedder = BagOfWordsEncoder()
    return LiveSearcher(searcher, interval=0, **options)


def add_report_and_rebuild(config: Config) -> None:
    (config.corpus_dir / "zhanaozen.txt").write_text(NEW_REPORT, encoding="utf-8")
    build_index(config, embedder=BagOfWordsEncoder())


def test_a_rebuild_is_picked_up_and_the_old_searcher_still_answers(served):
    live = live_searcher(served)
    old = live.current()
    assert "zhanaozen" not in old.index.documents
    add_report_and_rebuild(served)
    new = live.current()
    assert new is not old and "zhanaozen" in new.index.documents
    hits = new.search("oil workers detained at the depot gates", mode="bm25", k=1)
    assert hits[0].document.doc_id == "zhanaozen"
    assert new._embedder is old._embedder  # the model is not loaded again
    assert new.questions.cache is old.questions.cache
    # The old index's folder was renamed away and removed; what the old searcher holds still reads.
    again = old.search("police vans near the square", mode="bm25", k=2)
    assert again and all(hit.document.text[hit.passage.start:hit.passage.end] == hit.passage.text for hit in again)
    assert live.current() is new  # nothing changed since: the same searcher


def test_the_manifest_is_looked_at_at_most_every_interval(served):
    live = live_searcher(served)
    live.interval = 3600.0
    live._next_look = 0.0  # the first look is due now; the next one in an hour
    first = live.current()
    add_report_and_rebuild(served)
    assert live.current() is first  # within the interval: not looked at
    assert live.refresh() is True  # a build of this process: looked at at once
    assert "zhanaozen" in live.current().index.documents


def test_a_damaged_new_index_is_reported_and_the_old_one_served(served):
    errors: list[Exception] = []
    live = live_searcher(served, on_error=errors.append)
    old = live.current()
    add_report_and_rebuild(served)
    passages = served.index_dir / "passages.jsonl"
    passages.write_bytes(passages.read_bytes().replace(b"Zhanaozen", b"Zhanaozxn"))
    assert live.current() is old
    assert len(errors) == 1 and "damaged" in str(errors[0]) and "passages.jsonl" in str(errors[0])
    assert live.current() is old and len(errors) == 1  # not tried again until the manifest changes
    build_index(served, embedder=BagOfWordsEncoder())  # the next build mends it
    assert "zhanaozen" in live.current().index.documents


def test_no_index_for_a_moment_keeps_the_old_one(served):
    live = live_searcher(served)
    old = live.current()
    os.rename(served.index_dir, served.index_dir.with_name("elsewhere"))  # as between a publish's renames
    assert live.current() is old
    assert old.search("police vans", mode="bm25", k=1)


def test_searches_from_many_threads_never_fail_while_the_index_is_rebuilt(served):
    live = live_searcher(served)
    failures: list[BaseException] = []
    answered = [0]
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                searcher = live.current()
                hits = searcher.search("detained police", mode="hybrid", k=3)
                assert hits and all(h.document.doc_id in searcher.index.documents for h in hits)
                answered[0] += 1
            except BaseException as error:  # noqa: BLE001 (every failure is the test's finding)
                failures.append(error)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for n in range(4):
            (served.corpus_dir / f"added-{n}.txt").write_text(NEW_REPORT.replace("fourteen", f"{n + 20}"), "utf-8")
            build_index(served, embedder=BagOfWordsEncoder())
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert failures == []
    assert answered[0] > 0
    assert {f"added-{n}" for n in range(4)} <= set(live.current().index.documents)
