"""Embedding, storing and searching passages: dense (FAISS), BM25, fusion, reranking.

What a user of the library needs is named here:

    from pathlib import Path
    from index import Config, Filters, Searcher, build_index

    config = Config(corpus_dir=Path("reports"), index_dir=Path("reports-index"))
    build_index(config)
    searcher = Searcher.open(config)
    for hit in searcher.search("Who was detained in Almaty?", k=5, filters=Filters(since="2019")):
        print(f"{hit.score:.3f}", hit.document.title, hit.passage.text[:80])

`open_index` loads an index (checked against its manifest) for `Searcher(index, config)`; a hit is a
`Hit`, and `Searcher.answer` says with a `Verdict` whether the collection holds a good answer.
The names are loaded when first used: importing `index` loads neither FAISS nor a model runtime.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.config import Config
    from index.search import Filters, Hit, Searcher, Verdict
    from index.store import build_index, open_index

_HOMES = {
    "Config": "index.config",
    "build_index": "index.store",
    "open_index": "index.store",
    "Searcher": "index.search",
    "Filters": "index.search",
    "Hit": "index.search",
    "Verdict": "index.search",
}
__all__ = ["Config", "Filters", "Hit", "Searcher", "Verdict", "build_index", "open_index"]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value  # once loaded, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
