"""The fast tier: an index of the fixture reports embedded by a bag-of-words fake, built once."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import BagOfWordsEncoder

from index.config import Config
from index.search import Searcher
from index.store import build_index, open_index

FIXTURE_REPORTS = Path(__file__).parent.parent / "fixtures" / "corpus"


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory) -> Config:
    config = Config(corpus_dir=FIXTURE_REPORTS, index_dir=tmp_path_factory.mktemp("fake-index") / "index")
    build_index(config, embedder=BagOfWordsEncoder())
    return config


@pytest.fixture()
def searcher(fake_index) -> Searcher:
    """A fresh searcher over the fake index, its model the fake (never the real one)."""
    searcher = Searcher(open_index(fake_index, check_corpus=False), fake_index)
    searcher._embedder = BagOfWordsEncoder()
    return searcher
