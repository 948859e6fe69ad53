"""The search pipeline's stages on a fake encoder and fake retrievers: fast, and no model needed."""

from __future__ import annotations

import pytest
from fakes import BagOfWordsEncoder, FixedRetriever

from index.config import MODES
from index.errors import QueryError
from index.search import MODE_SPECS, Filters, Searcher


def test_every_mode_gives_hits_with_sentences_and_a_verdict(fake_searcher):
    for mode in MODES:
        hits, verdict = fake_searcher.answer("Police in Shymkent detained eleven people", mode=mode, k=3)
        assert hits[0].document.doc_id == "extra-report", mode
        assert all(h.sentence is not None and h.dense_score is not None for h in hits), mode
        start, end, _ = hits[0].sentence
        assert "Shymkent detained eleven" in hits[0].document.text[start:end]
        assert verdict is not None and 0 <= verdict.confidence <= 1, mode


def test_a_mode_asks_only_its_retrievers_and_the_question_is_prepared_once(fake_searcher):
    dense, bm25, plain = FixedRetriever([(0, 0.9), (1, 0.5)], True), FixedRetriever([(1, 7.0), (2, 3.0)]), FixedRetriever([])
    fake_searcher._retrievers = {"dense": dense, "bm25": bm25, "bm25-plain": plain}
    fake_searcher.search("detained at a rally", mode="hybrid-rrf", k=3)
    assert len(dense.asked) == len(bm25.asked) == 1 and not plain.asked
    assert dense.asked[0] is bm25.asked[0]  # one prepared query for every stage
    assert dense.asked[0].language == "en" and dense.asked[0].vector.shape == (64,)
    fake_searcher.search("detained at a rally", mode="bm25", k=3)
    assert len(dense.asked) == 1 and len(bm25.asked) == 2


def test_rank_fusion_orders_by_the_sum_of_reciprocal_ranks(fake_searcher):
    fake_searcher._retrievers["dense"] = FixedRetriever([(0, 0.9), (1, 0.8), (2, 0.1)], True)
    fake_searcher._retrievers["bm25"] = FixedRetriever([(2, 9.0), (1, 1.0)])
    hits = fake_searcher.search("anything", mode="hybrid-rrf", k=3)
    # 2: 1/63 + 1/61 = 0.032266; 1: 1/62 + 1/62 = 0.032258; 0: 1/61 only.
    assert [h.passage for h in hits] == [fake_searcher.index.passages[p] for p in (2, 1, 0)]
    assert [h.bm25_score for h in hits] == [9.0, 1.0, None] and [h.dense_score for h in hits] == [0.1, 0.8, 0.9]


def test_filters_reach_every_retriever_as_one_selection(fake_searcher):
    dense = FixedRetriever([(p, 1.0 - p / 100) for p in range(len(fake_searcher.index.passages))], True)
    fake_searcher._retrievers["dense"] = dense
    hits = fake_searcher.search("rally", mode="dense", k=50, filters=Filters(publishers=("example bureau",)))
    assert hits and {h.document.publisher for h in hits} == {"Example Bureau"}
    dated = fake_searcher.search("rally", mode="dense", k=5, filters=Filters(since="2022", until="2022-12"))
    assert {h.document.date for h in dated} == {"2022-01"}


@pytest.mark.parametrize(
    ("filters", "field"),
    [(Filters(publishers=("nobody",)), "publishers"), (Filters(doc_ids=("nope",)), "doc_ids"),
     (Filters(since="June 2019"), "since"), (Filters(until="2019-13"), "until"),
     (Filters(since="2020", until="2019"), "since"), (Filters(languages=("kk",)), "languages")],
)
def test_a_bad_filter_is_a_query_error_naming_its_field(fake_searcher, filters, field):
    with pytest.raises(QueryError) as raised:
        fake_searcher.search("rally", filters=filters)
    assert raised.value.field == field
    assert "--" not in str(raised.value)  # neutral: the interface words the field its own way


@pytest.mark.parametrize(("question", "k", "field"), [("  ", 10, "question"), ("rally", 0, "k"), ("rally", 5000, "k")])
def test_a_bad_request_is_a_query_error_naming_its_field(fake_searcher, question, k, field):
    with pytest.raises(QueryError) as raised:
        fake_searcher.search(question, k=k)
    assert raised.value.field == field


def test_unknown_mode_names_the_modes(fake_searcher):
    with pytest.raises(QueryError, match="unknown mode 'fuzzy'; use one of hybrid, hybrid-rrf") as raised:
        fake_searcher.search("rally", mode="fuzzy")  # type: ignore[arg-type]
    assert raised.value.field == "mode"


def test_a_question_is_embedded_once_and_search_many_embeds_in_one_batch(fake_searcher):
    encoder = fake_searcher._embedder
    fake_searcher.search("hunger strike in Almaty", k=2)
    fake_searcher.answer("hunger strike in Almaty", k=2)
    assert encoder.queries == ["hunger strike in Almaty"]
    batches = []
    original = encoder.encode_queries
    encoder.encode_queries = lambda qs: batches.append(list(qs)) or original(qs)
    results = fake_searcher.search_many(["a rally in Shymkent", "gas prices", "hunger strike in Almaty"], mode="bm25", k=1)
    assert batches == [["a rally in Shymkent", "gas prices"]]  # the cached one is not embedded again
    assert [r[0].document.doc_id for r in results] == ["extra-report", "extra-report", "fixture-hunger-strike"]
    fake_searcher.forget_questions()
    fake_searcher.search("gas prices", mode="bm25", k=1)
    assert batches[-1] == ["gas prices"]


def test_a_question_in_a_language_the_model_reads_poorly_is_also_embedded_code_switched(fake_searcher):
    """The fake model's profile reads English only: a Russian question is embedded twice, the second
    time with its glossary words in English."""
    encoder = fake_searcher._embedder
    fake_searcher.search("Сколько человек задержали?", mode="dense", k=1)
    assert encoder.queries[0] == "Сколько человек задержали?"
    assert len(encoder.queries) == 2 and "detain" in encoder.queries[1]


def test_the_verdict_does_not_depend_on_what_ran_before(fake_index, fake_searcher):
    first = fake_searcher.answer("Police in Shymkent detained eleven people", mode="bm25", k=2)[1]
    other = Searcher(fake_searcher.index, fake_index)
    other._embedder = BagOfWordsEncoder()
    other.search("a different question first", mode="dense", k=2)
    assert other.answer("Police in Shymkent detained eleven people", mode="bm25", k=2)[1] == first


def test_every_mode_has_a_spec_and_says_whether_retrieval_needs_the_model():
    assert tuple(MODE_SPECS) == MODES
    assert [m for m in MODES if MODE_SPECS[m].needs_model] == ["hybrid", "hybrid-rrf", "dense-sentences", "dense"]
