"""txtai over a BEIR folder: the same local all-MiniLM-L6-v2 folder, hybrid search (BM25 + dense) on.

`method="sentence-transformers"` runs the folder as its sentence-transformers config says (mean
pooling, 256 tokens), as Verbatim and LangChain do; left to guess from a local path, txtai would
use its plain transformers pooling with the tokenizer's 512-token limit.

Usage (in txtai's own environment): python txtai_hybrid.py BEIR_DIR [QUERIES] MODEL_DIR
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from common import run  # noqa: E402
from txtai import Embeddings  # noqa: E402

embeddings = Embeddings(path=sys.argv[-1], method="sentence-transformers", hybrid=True, content=False)


def build(corpus: list[tuple[str, str]]) -> None:
    embeddings.index([(doc_id, text, None) for doc_id, text in corpus])


def search(query: str, k: int) -> list[str]:
    return [str(doc_id) for doc_id, _ in embeddings.search(query, k)]


def save(folder: str) -> None:
    embeddings.save(folder)


if __name__ == "__main__":
    run(build, search, sys.argv[:-1], save)
