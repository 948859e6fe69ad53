"""Embedding, storing and searching passages: dense (FAISS), BM25, fusion, reranking."""
