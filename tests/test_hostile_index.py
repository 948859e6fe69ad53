"""Hostile input against the index (issue 14): damaged index files, interrupted and concurrent
builds, odd questions for BM25, edited index files and citation records, full and read-only disks.
Real index files, the real `verbatim` entry point, real FAISS and bm25s."""

from __future__ import annotations

import pytest
from conftest import run_verbatim

from index.config import MODES
from index.search import Searcher

ODD_QUESTIONS = ("кто задержан ь", "ъ", "ьъь", "?!…", "🙂🙂", "\u0301", "Tokayev ь detained ъ")


@pytest.fixture(scope="module")
def searcher(fixture_index, embedder) -> Searcher:
    opened = Searcher.open(fixture_index)
    opened._embedder = embedder  # the session's model: loading it again would only cost time
    return opened


@pytest.mark.parametrize("question", ODD_QUESTIONS)
def test_item12_a_lone_soft_or_hard_sign_or_odd_characters_are_answered_in_every_mode(searcher, question):
    """A question with a lone ь or ъ, only punctuation, emoji or a combining mark gets hits or none, never a crash."""
    for mode in MODES:
        hits = searcher.search(question, mode=mode, k=5)
        assert all(h.document.text[h.passage.start : h.passage.end] == h.passage.text for h in hits)


@pytest.mark.parametrize("question", ["кто задержан ь", "ьъь", "🙂", "\u0301"])
def test_item12_verbatim_ask_answers_a_question_with_a_lone_soft_sign(fixture_index, question):
    """`verbatim ask "кто задержан ь"` prints passages (or "No passage matches"), exit 0, no traceback."""
    for mode in ("bm25", "hybrid"):
        result = run_verbatim("ask", question, "--mode", mode, "-k", "3", "--index", str(fixture_index.index_dir))
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr


def test_item12_transliteration_never_yields_an_empty_token():
    """ь and ъ have no Latin letters: the transliterated forms of a question never include an empty word."""
    from index.lexical import tokenize

    for language in ("en", "ru", "kk"):
        assert "" not in tokenize("кто задержан ь ъ ьъь", language, transliterate_names=True)
