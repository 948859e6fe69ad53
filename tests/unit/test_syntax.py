"""The search syntax (index/search/syntax.py) and how a term is found in a text (exact.py): no model needed."""

from __future__ import annotations

import pytest

from index.search.exact import MAX_READINGS, find, narrowing_texts
from index.search.syntax import Term, parse_query


def groups(question: str) -> list[list[str]]:
    return [[str(term) for term in group] for group in parse_query(question).required]


@pytest.mark.parametrize("question", [
    "How many people were detained in Nur-Sultan on 10–11 June?",
    "Who ordered the police to disperse the rally in Almaty — and why?",
    "Did the ORGANISATION report on OR-2019 or ORs?",  # OR counts only as a word of its own
    "What does “Election day in Nur-Sultan” report?",  # curly quotes are a title's, not a phrase
    "Сколько человек задержали в Алматы 6 июля 2019 года?",
    "  spaced   out  ",
    'an empty "" pair and a lone - dash',
    "a dangling OR",
])
def test_a_question_without_syntax_comes_back_exactly_as_typed(question):
    parsed = parse_query(question)
    assert parsed.plain and parsed.text == question and not parsed.lookup


def test_a_quoted_phrase_is_required_and_read_without_its_quotes():
    parsed = parse_query('Who was detained "in Almaty"?')
    assert groups('Who was detained "in Almaty"?') == [['"in Almaty"']]
    assert parsed.text == "Who was detained in Almaty?"
    assert not parsed.lookup  # other words: the verdict judges the question as always
    whole = parse_query('"as many as 1,000 people"')
    assert whole.text == "as many as 1,000 people" and whole.lookup
    assert whole.phrases == (Term("as many as 1,000 people", quoted=True),)


def test_a_phrase_folds_its_whitespace_and_soft_hyphens_and_an_unclosed_quote_runs_to_the_end():
    assert groups('"as many\n  as 1,0\u00ad00"') == [['"as many as 1,000"']]
    assert groups('detained "at night in') == [['"at night in"']]


def test_minus_keeps_out_a_word_or_a_phrase_only_at_a_words_start():
    parsed = parse_query('hunger strike -Almaty -"Nur-Sultan" Shymkent-based')
    assert [str(t) for t in parsed.excluded] == ["Almaty", '"Nur-Sultan"']
    assert parsed.text == "hunger strike Shymkent-based" and not parsed.required
    assert [str(t) for t in parse_query("detained -police, then").excluded] == ["police"]  # its comma is no part
    assert parse_query("-- and - alone").plain


def test_or_joins_the_terms_either_side_into_one_requirement():
    assert groups("detained OR arrested in Almaty") == [["detained", "arrested"]]
    assert parse_query("detained OR arrested in Almaty").text == "detained arrested in Almaty"
    assert groups('"Tulesova" OR "Тулесова" OR Tulesova?') == [['"Tulesova"', '"Тулесова"', "Tulesova"]]
    assert parse_query('"Tulesova" OR "Тулесова"').lookup
    assert groups('"hunger strike" detained OR held') == [['"hunger strike"'], ["detained", "held"]]
    # Lower-case "or" is a word; OR beside an exclusion joins nothing.
    assert parse_query("detained or arrested").plain
    assert groups("a OR -b") == [] and parse_query("a OR -b").excluded == (Term("b"),)


def test_only_excluded_words_leave_nothing_to_search_for():
    parsed = parse_query('-police -"riot police"')
    assert parsed.text == "" and len(parsed.excluded) == 2


SOURCE = ("According to observers, as many as\n1,000 people were detained in Nur-Sultan. Some 21,000 people"
          " signed; 1\u00a0000 more. non-\ndiscrimination, recom\u00admendations and a word broken at the "
          "line's end, Sul-\ntan.")


@pytest.mark.parametrize(("term", "found"), [
    ("as many as 1,000 people", ["as many as\n1,000 people"]),  # any whitespace, a line break too
    ("AS MANY AS 1,000 PEOPLE", ["as many as\n1,000 people"]),  # any case
    ("1,000", ["1,000"]),  # not inside 21,000
    ("000 people", []),  # nor half of 1,000
    ("1", []),  # nor the 1 of 1 000
    ("1 000", ["1\u00a0000"]),
    ("Sultan", ["Sultan"]),  # a word after a hyphen is a word ...
    ("tan", []),  # ... but not the end of a word broken at a line end
    ("non-discrimination", ["non-\ndiscrimination"]),
    ("recommendations", ["recom\u00admendations"]),  # soft hyphens are not there to a reader
    ("recom", []),
    ("people were", ["people were"]),
    ("peopl", []),  # whole words only
])
def test_a_term_is_found_at_word_boundaries_whatever_its_whitespace_and_case(term, found):
    assert [SOURCE[start:end] for start, end in find(Term(term), SOURCE)] == found


def test_the_narrowing_reads_words_as_the_retrievers_may_have_read_them():
    assert narrowing_texts("as many as 1,000 people") == ["as many as 1,000 people"]
    # "health-\ncare" at a line end may have been read "healthcare"; "COVID-19" never is.
    assert narrowing_texts("the health-care system") == ["the health-care system", "the healthcare system"]
    assert narrowing_texts("COVID-19 pre-trial-detention") == [
        "COVID-19 pre-trial-detention", "COVID-19 pre-trialdetention", "COVID-19 pretrial-detention",
        "COVID-19 pretrialdetention"]
    assert narrowing_texts("recom- mendations were") == ["were"]  # halves of a word: left out
    assert narrowing_texts("some 1 000 people") == ["some people"]  # "1\u00a0000" reads 1000
    assert narrowing_texts("a-b-c-d x") == ["x"]  # too many ways to read it
    assert len(narrowing_texts(" ".join(f"w{n}a-b" for n in range(10)))) == MAX_READINGS
