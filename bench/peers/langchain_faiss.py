"""A plain LangChain + FAISS pipeline over a BEIR folder, with the same local all-MiniLM-L6-v2 folder.

Usage (in LangChain's own environment): python langchain_faiss.py BEIR_DIR [QUERIES] MODEL_DIR
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from common import run  # noqa: E402
from langchain_community.vectorstores import FAISS  # noqa: E402
from langchain_huggingface import HuggingFaceEmbeddings  # noqa: E402

embedder = HuggingFaceEmbeddings(model_name=sys.argv[-1], encode_kwargs={"normalize_embeddings": True})
store: FAISS | None = None


def build(corpus: list[tuple[str, str]]) -> None:
    global store
    store = FAISS.from_texts([text for _, text in corpus], embedder, metadatas=[{"id": doc_id} for doc_id, _ in corpus])


def search(query: str, k: int) -> list[str]:
    return [doc.metadata["id"] for doc, _ in store.similarity_search_with_score(query, k=k)]


def save(folder: str) -> None:
    store.save_local(folder)


if __name__ == "__main__":
    run(build, search, sys.argv[:-1], save)
