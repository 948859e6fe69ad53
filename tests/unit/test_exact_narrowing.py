"""The passages a phrase search reads (index/search/exact.py) on text that BM25 reads otherwise than it
is printed: words broken at line ends, soft hyphens, thousands. Never fewer than a scan of every
passage finds. An index built with the fake encoder: BM25 and the text are real."""

from __future__ import annotations

import pytest

from index.config import Config
from index.search.exact import ExactText, find
from index.search.syntax import Term
from index.store import build_index, open_index

REPORT = """Line ends

The health-
care system failed the detainees, whose Recom-
mendations were ignored.

Non-discrimination

The law on non-
discrimination was cited; 1\u00a0000 people and 2,500 more signed. A recom\u00admendation followed.

Nur-Sultan

In Nur-
Sultan the pre-
trial detention centre held them.
"""


@pytest.fixture(scope="module")
def exact(tmp_path_factory) -> tuple[ExactText, list[str]]:
    from fakes import BagOfWordsEncoder

    corpus = tmp_path_factory.mktemp("broken-words")
    (corpus / "report.txt").write_text(REPORT, encoding="utf-8")
    config = Config(corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("broken-index") / "index")
    build_index(config, embedder=BagOfWordsEncoder())
    index = open_index(config, check_corpus=False)
    return ExactText(index), [index.passages[p].text for p in range(len(index.passages))]


@pytest.mark.parametrize("text", [
    "health-care system", "health- care", "healthcare", "care system", "Recom- mendations were", "mendations were",
    "non-discrimination", "law on non- discrimination", "discrimination", "1 000 people", "1,000", "000 people",
    "2,500 more", "500 more", "recommendation", "recom", "Nur-Sultan", "Sultan the", "pre-trial detention", "trial",
])
def test_the_passages_read_for_a_term_hold_every_one_a_scan_finds(exact, text):
    matcher, passages = exact
    term = Term(text, quoted=True)
    scanned = [p for p, passage in enumerate(passages) if find(term, passage)]
    assert matcher.passages_holding(term).tolist() == scanned


def test_the_terms_printed_across_line_ends_are_found(exact):
    matcher, _ = exact
    for text in ("health-care system", "non-discrimination", "Nur-Sultan", "pre-trial detention", "recommendation",
                 "1 000 people"):
        assert len(matcher.passages_holding(Term(text, quoted=True))) == 1, text
    for text in ("healthcare", "recom", "1,000", "500 more"):  # not as printed, or half a word or number
        assert len(matcher.passages_holding(Term(text, quoted=True))) == 0, text
