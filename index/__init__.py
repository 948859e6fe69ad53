"""Passages → embeddings, FAISS and BM25 indexes on disk → ranked hits (dense, BM25, hybrid)."""
