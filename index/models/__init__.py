"""The models that embed passages and questions, and the reranker: each named in a manifest and
loaded from disk, never from a hub."""

from index.models.embedder import Embedder, ModelSpec, models_dir, reads_titles, resolve_model

__all__ = ["Embedder", "ModelSpec", "models_dir", "reads_titles", "resolve_model"]
