"""Phrase, exclusion and OR search (issue 20, item 6) on the bundled index: the real model, FAISS and BM25."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from conftest import run_verbatim

from corpus.paths import REPO_ROOT
from index.errors import QueryError
from index.search import Filters, Searcher
from index.search.exact import ExactText, find
from index.search.syntax import Term

PHRASE = "as many as 1,000 people"


@pytest.fixture(scope="module")
def searcher(bundled_index, embedder) -> Searcher:
    searcher = Searcher.open(bundled_index)
    searcher._embedder = embedder
    return searcher


def folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def holds_word(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) is not None


def test_a_quoted_phrase_returns_only_the_passages_that_hold_it_marked_at_its_offsets(searcher):
    hits, verdict = searcher.answer(f'"{PHRASE}"', k=10)
    assert len(hits) == 1  # the bundled reports say it once
    [hit] = hits
    assert PHRASE in folded(hit.passage.text)
    [(start, end)] = hit.matches
    assert folded(hit.document.text[start:end]) == PHRASE
    sentence_start, sentence_end, _ = hit.sentence  # the marked sentence is the phrase's
    assert sentence_start <= start < end <= sentence_end
    assert hit.document.text[sentence_start:sentence_end].startswith("According to observers, as many as 1,000")
    assert verdict is not None and verdict.exact and verdict.outcome == "answered" and verdict.confidence == 1.0
    assert verdict.quote is not None and (verdict.quote.start, verdict.quote.end) == (sentence_start, sentence_end)
    assert verdict.explanation() == f'Found word for word: "{PHRASE}".'


def test_a_phrase_matches_across_a_line_break_and_in_any_case(searcher):
    hits = searcher.search('"AS MANY AS\n1,000   people were detained"', k=5)
    assert [h.passage.start for h in hits] == [h.passage.start for h in searcher.search(f'"{PHRASE}"', k=5)]


def test_a_rare_phrase_is_found_even_when_the_words_around_it_rank_it_far_below_the_candidates(bundled_index, embedder):
    """Ranked among the passages that hold the phrase, not filtered after ranking: with three candidates
    a retriever, the question's other words alone never reach the Amnesty passage."""
    narrow = Searcher.open(replace(bundled_index, candidates=3))
    narrow._embedder = embedder
    question = "hunger strike lawyers Erlan Kaliev ombudsman"
    assert all("1,000 people" not in h.passage.text for h in narrow.search(question, k=3))
    hits = narrow.search(f'{question} "{PHRASE}"', k=3)
    assert len(hits) == 1 and hits[0].document.doc_id == "amnesty-2019-06-election-detentions"


def test_the_words_of_a_question_rank_the_passages_that_hold_its_phrase(searcher):
    hits, verdict = searcher.answer('How many detainees went on "hunger strike" in Almaty?', k=10)
    assert hits and all("hunger strike" in folded(h.passage.text) for h in hits)
    assert hits[0].document.doc_id == "acca-2019-12-almaty-hunger-strike"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert verdict is not None and not verdict.exact and verdict.outcome == "answered"
    assert verdict.phrases == ('"hunger strike"',) and verdict.quote is not None
    quote_hit = hits[verdict.quote.rank - 1]
    assert "hunger strike" in folded(quote_hit.document.text[verdict.quote.start : verdict.quote.end])


def test_a_found_phrase_makes_a_question_judged_not_found_partly_answered(searcher):
    """The phrase is there word for word, whatever the rest of the question: never "no good answer"."""
    question = "Why did the detainees refuse food"
    plain = searcher.verdict(question, searcher.search(question + " hunger strike", k=10))
    hits, verdict = searcher.answer(f'{question} "hunger strike"', k=10)
    assert plain is not None and verdict is not None
    assert verdict.confidence < verdict.threshold  # the rest alone would be refused
    assert verdict.outcome == "partly answered" and verdict.quote is not None
    assert (verdict.quote.start, verdict.quote.end) == hits[0].sentence[:2]
    assert verdict.explanation().startswith('Partly answered: "hunger strike" found word for word; the rest of')


def test_minus_keeps_out_every_passage_with_the_word(searcher):
    plain = searcher.search("hunger strike", k=10)
    assert any(holds_word(h.passage.text, "Almaty") for h in plain)  # so the exclusion has work to do
    hits = searcher.search("hunger strike -Almaty", k=10)
    assert len(hits) == 10 and not any(holds_word(h.passage.text, "almaty") for h in hits)
    assert searcher.search('hunger strike -"hunger strike"', k=10) and not any(
        "hunger strike" in folded(h.passage.text) for h in searcher.search('hunger strike -"hunger strike"', k=10))


def test_or_finds_passages_with_either_term_and_marks_the_one_each_holds(searcher):
    hits, verdict = searcher.answer('"Tulesova" OR "Shevchuk"', k=20)
    held = [(holds_word(h.passage.text, "Tulesova"), holds_word(h.passage.text, "Shevchuk")) for h in hits]
    assert all(a or b for a, b in held) and any(a for a, _ in held) and any(b for _, b in held)
    for hit in hits:
        assert hit.matches and all(hit.document.text[s:e] in ("Tulesova", "Shevchuk") for s, e in hit.matches)
    assert verdict is not None and verdict.exact and set(verdict.phrases) == {'"Tulesova"', '"Shevchuk"'}


def test_a_phrase_no_report_holds_finds_nothing_and_filters_still_apply(searcher):
    assert searcher.answer('"as many as 2,000 people"', k=10) == ([], None)
    hits = searcher.search('"detained"', k=50, filters=Filters(publishers=("ACCA",)))
    assert hits and all(h.document.publisher.startswith("ACCA") and "detained" in folded(h.passage.text) for h in hits)


def test_a_question_of_only_excluded_words_is_refused_in_one_line(searcher):
    with pytest.raises(QueryError, match="only holds words to leave out") as raised:
        searcher.search("-Almaty -police", k=5)
    assert raised.value.field == "question"


def test_the_bm25_narrowing_reads_the_same_passages_as_a_scan_of_every_passage(searcher):
    """The passages read for a term are those whose BM25 words hold its words: never one fewer than a
    scan of every passage's text finds (numbers, hyphens, stopwords, case, line breaks)."""
    exact = ExactText(searcher.index)
    passages = [searcher.index.passages[p].text for p in range(len(searcher.index.passages))]
    terms = ["as many as", "1,000", "500", "Nur-Sultan", "Sultan", "the", "of the", "10 – 11 June", "hunger strike",
             "HUNGER STRIKE", "pre-trial detention", "Kazakhstan’s", "December 16", "16", "per cent", "COVID-19"]
    for text in passages[::9]:  # words from every ninth passage, at both ends of it
        words = text.split()
        terms += [" ".join(words[:3]), " ".join(words[-4:-1]), " ".join(words[len(words) // 2 :][:2])]
    for text in terms:
        term = Term(text, quoted=True)
        scanned = [p for p, passage in enumerate(passages) if find(term, passage)]
        assert exact.passages_holding(term).tolist() == scanned, text


def test_ask_json_gives_each_hit_its_exact_matches_and_the_verdict_is_exact(bundled_index):
    result = run_verbatim("ask", f'"{PHRASE}" OR "500 in Almaty"', "--json", "--index", str(bundled_index.index_dir))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["exact"] is True and answer["outcome"] == "answered"
    assert answer["hits"]
    for hit in answer["hits"]:
        source = (REPO_ROOT / hit["path"]).read_text(encoding="utf-8")
        assert hit["matches"] and all(source[m["start"] : m["end"]] == m["text"] for m in hit["matches"])
        assert {folded(m["text"]) for m in hit["matches"]} <= {PHRASE, "500 in almaty"}
    plain = run_verbatim("ask", "hunger strike", "-k", "2", "--json", "--index", str(bundled_index.index_dir))
    assert all(hit["matches"] == [] for hit in json.loads(plain.stdout)["hits"])


def test_ask_says_which_phrase_no_passage_holds(bundled_index):
    result = run_verbatim("ask", '"as many as 2,000 people"', "--index", str(bundled_index.index_dir))
    assert result.returncode == 0 and result.stdout == 'No passage holds "as many as 2,000 people" word for word.\n'
    refused = run_verbatim("ask", "--index", str(bundled_index.index_dir), "--", "-police")  # -- : not an option
    assert refused.returncode == 1
    assert refused.stderr == "verbatim: error: the question only holds words to leave out; add what to search for\n"
