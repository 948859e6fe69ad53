"""all-MiniLM-L6-v2 as an int8 ONNX graph, run by plain onnxruntime: about twice the speed of torch
here, and queries embed without importing torch at all (the CLI starts in about a second).

The graph is exported once from the bundled sentence-transformers folder (the only step that needs
torch) and quantized per channel, as ../shared/MODELS.md measured: per-tensor quantization loses
too much (cosine 0.95 against torch; per channel 0.993).
"""

from __future__ import annotations

import json
import os
import platform
import queue
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

GRAPH = "model-int8.onnx"
TOKENIZER = "tokenizer.json"
RECIPE = "recipe.json"
RECIPE_VERSION = 1  # bump when the export or quantization changes: cached graphs are then rebuilt


def ensure_exported(source: Path, target: Path, max_tokens: int = 256) -> Path:
    """The folder holding the int8 graph for the sentence-transformers model at `source`; exported
    into `target` when missing or made by another recipe."""
    recipe = {"version": RECIPE_VERSION, "source": str(source), "max_tokens": max_tokens,
              "quantization": "dynamic int8 per channel"}
    return ensure_folder(target, recipe, lambda staging: _export(source, staging, max_tokens))


def ensure_folder(target: Path, recipe: dict, export: Callable[[Path], None]) -> Path:
    """`target` as `export` writes it under `recipe`: kept when its recipe.json says so, else exported
    again. Written to a staging folder first and renamed into place, so an interrupted export never
    leaves half a model behind."""
    if _recipe(target) == recipe:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        export(staging)
        (staging / RECIPE).write_text(json.dumps(recipe, indent=2) + "\n", encoding="utf-8")
        if target.exists() and _recipe(target) != recipe:
            shutil.rmtree(target, ignore_errors=True)  # made by another recipe
        try:
            staging.rename(target)
        except OSError:
            if _recipe(target) != recipe:  # not another process finishing the same export first
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _recipe(folder: Path) -> dict | None:
    try:
        if not (folder / GRAPH).is_file():
            return None
        return json.loads((folder / RECIPE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _export(source: Path, staging: Path, max_tokens: int) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    class Encoder(torch.nn.Module):
        """Keyword arguments, as the exporter passes positional ones in an order BERT does not take."""

        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    model = AutoModel.from_pretrained(str(source)).eval()
    example = torch.ones((1, 8), dtype=torch.long)
    full = staging / "model-fp32.onnx"
    with torch.no_grad():
        torch.onnx.export(
            Encoder(model),
            (example, example, torch.zeros_like(example)),
            str(full),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")
            },
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(str(full), str(staging / GRAPH), per_channel=True, weight_type=QuantType.QInt8)
    full.unlink()
    shutil.copyfile(source / TOKENIZER, staging / TOKENIZER)


class OnnxEncoder:
    """Tokenize with the model's own tokenizer.json, run the graph, mean-pool over real tokens and
    L2-normalise: the same steps as the sentence-transformers model it was exported from."""

    def __init__(self, folder: Path, max_tokens: int = 256, threads: int | None = None) -> None:
        from tokenizers import Tokenizer

        self._folder = folder
        self._cores = threads or min(os.cpu_count() or 1, 8)
        try:
            self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
            self._session = self._new_session(self._cores)
        except Exception as error:  # onnxruntime raises its own exception types
            raise ModelError(f"cannot load the ONNX model from {folder}: {error}; delete the folder to re-export it") from error
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.max_tokens = max_tokens
        self.dimension = int(self._session.get_outputs()[0].shape[-1] or 384)
        self._spare_sessions: queue.SimpleQueue = queue.SimpleQueue()  # single-threaded ones, made once for builds
        self._counter: Tokenizer | None = None  # for token_count, made on first use

    def _new_session(self, threads: int):  # an onnxruntime.InferenceSession
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.log_severity_level = 3
        # No busy-waiting after a run: spinning threads would steal the cores FAISS searches with
        # next (10 ms per query at 10k passages, measured).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return onnxruntime.InferenceSession(str(self._folder / GRAPH), options, providers=["CPUExecutionProvider"])

    def token_count(self, text: str) -> int:
        # A tokenizer of its own, without padding or truncation: switching the shared one's settings
        # would race with `encode` in another thread (the app searches from several).
        if self._counter is None:
            from tokenizers import Tokenizer

            counter = Tokenizer.from_file(str(self._folder / TOKENIZER))
            counter.no_truncation()  # tokenizer.json itself may truncate (at 128 word pieces)
            counter.no_padding()
            self._counter = counter
        return len(self._counter.encode(text).ids)

    def encode(self, texts: Sequence[str], query: bool = False) -> np.ndarray:  # a symmetric model: questions alike
        return self._run(self._session, texts)

    def encode_batches(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        """Vectors for each batch, in order. Small batches on one session leave cores idle between
        operators, so a build runs one single-threaded session per core side by side instead
        (measured: 20-40 % more sentences and 10-20 % more passages per second on 2 cores). Each
        batch is still embedded as one batch, so its vectors are those `encode` gives."""
        if self._cores < 2:
            yield from (self._run(self._session, batch) for batch in batches)
            return

        def work(batch: Sequence[str]) -> np.ndarray:
            try:
                session = self._spare_sessions.get_nowait()
            except queue.Empty:
                session = self._new_session(1)
            try:
                return self._run(session, batch)
            finally:
                self._spare_sessions.put(session)

        with ThreadPoolExecutor(self._cores, thread_name_prefix="embed") as pool:
            yield from pool.map(work, batches)

    def _run(self, session, texts: Sequence[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        (hidden,) = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def cpu_description() -> str:
    """The CPU model and its int8 instructions: int8 results differ a little with and without
    AVX-512 VNNI (onnxruntime#14642), so reports of measured quality say which CPU ran them."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "")
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), [])
    int8 = [flag for flag in ("avx2", "avx512_vnni", "avx_vnni", "amx_int8") if flag in flags]
    return f"{model or 'unknown CPU'} ({', '.join(int8) or 'no AVX2'})"
