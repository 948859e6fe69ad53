"""Splitting a built index into N shards by document, each a folder one Ray actor loads (actor.py).

    <shards>/sharding.json       the layout: the source index, its manifest's SHA-256, each shard's
                                 documents, passage positions and sentence rows
    <shards>/bm25-plain-vocab/   the exact-words BM25's vocabulary (the coordinator's, for bm25-plain)
    <shards>/shard-<i>/          dense.faiss, bm25/, bm25-plain/, sentence_vectors.npy, shard.json

A shard holds a contiguous run of documents, cut so that the shards hold about as many passages
each; a document's passages are never split. Its passages keep the positions they have in the
unsharded index (a shard's local row r is global position `first + r`), so the coordinator and
every search stage speak one language of positions.

What makes the shards give the unsharded index's answers, to the last bit:
- dense: a shard's flat index holds the very float32 rows of the unsharded one (FAISS scores each
  vector alone, so a shard's cosines are the unsharded index's); an IVF index is cloned with its
  trained quantizer and the other shards' vectors removed, keeping global ids, and probes as many
  lists as the unsharded index (its nprobe, recorded), so a query probes the same lists and reads
  the same 8-bit codes;
- BM25: bm25s stores each (passage, word) score precomputed with the collection's statistics (each
  word's document frequency, the average passage length, the passage count). A shard holds its
  passages' rows of that score matrix: its scores are the collection's, not the shard's own (a
  shard indexed alone would weigh words by its own frequencies). The same for the exact-words BM25
  of `bm25-plain`, built once over every passage here;
- sentence vectors: a shard holds its passages' float16 rows.

Adding documents changes every word's frequency, and so every BM25 score: rebuild the index (the
embedding cache makes that cost only the new texts' embedding) and split it again (docs/cluster.md).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from index.config import Config
from index.errors import IndexNotFoundError, StaleIndexError
from index.store import search_text
from index.store.lexical import LexicalIndex
from index.store.load import LoadedIndex, open_index
from index.store.manifest import MANIFEST
from index.store.sentences import VECTORS

SHARDING = "sharding.json"
SHARD = "shard.json"
PLAIN_VOCABULARY = "bm25-plain-vocab"
LAYOUT_VERSION = 2  # 2: an IVF shard records the unsharded index's nprobe


@dataclass(frozen=True)
class ShardSpec:
    name: str
    documents: tuple[int, int]  # [first, last) lines of documents.jsonl
    positions: tuple[int, int]  # [first, last) passage positions of the unsharded index
    sentences: tuple[int, int]  # [first, last) rows of sentences.npy
    dense: str  # "flat" (local rows) or "ivf" (global ids)
    nprobe: int | None = None  # an IVF shard probes as many lists as the unsharded index, whatever its own size

    @property
    def passages(self) -> int:
        return self.positions[1] - self.positions[0]


@dataclass(frozen=True)
class ShardLayout:
    directory: Path
    source: Path  # the unsharded index: its catalogue (tables, sentence spans, BM25 vocabulary) is the coordinator's
    source_manifest: str  # SHA-256 of its manifest.json when it was split
    shards: tuple[ShardSpec, ...]

    @classmethod
    def read(cls, directory: Path) -> ShardLayout:
        path = Path(directory) / SHARDING
        if not path.is_file():
            raise IndexNotFoundError(f"no sharded index at {directory}: split the index into shards first (split_index)")
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != LAYOUT_VERSION:
            raise StaleIndexError(f"the shards at {directory} were split by another version of Verbatim; split the "
                                  "index again", f"layout {data.get('version')}, this version reads {LAYOUT_VERSION}")
        shards = tuple(ShardSpec(s["name"], tuple(s["documents"]), tuple(s["positions"]), tuple(s["sentences"]),
                                 s["dense"], s.get("nprobe")) for s in data["shards"])
        return cls(Path(directory), Path(data["source"]), data["source_manifest"], shards)

    def check(self) -> None:
        """StaleIndexError when the source index was rebuilt since it was split."""
        if manifest_digest(self.source) != self.source_manifest:
            raise StaleIndexError(f"the shards at {self.directory} were split from another build of {self.source}; "
                                  "split it again", "the index was rebuilt since it was split")

    def folder(self, spec: ShardSpec) -> Path:
        return self.directory / spec.name


def manifest_digest(index_dir: Path) -> str:
    return hashlib.sha256((Path(index_dir) / MANIFEST).read_bytes()).hexdigest()


def document_runs(passages_per_document: np.ndarray, count: int) -> list[tuple[int, int]]:
    """`count` contiguous runs of documents, [first, last), holding about as many passages each (no run empty)."""
    documents = len(passages_per_document)
    if not 1 <= count <= documents:
        raise ValueError(f"cannot split {documents} documents into {count} shards")
    cumulative = np.cumsum(passages_per_document)
    total = int(cumulative[-1]) if documents else 0
    cuts = [0]
    for shard in range(1, count):
        cut = int(np.searchsorted(cumulative, total * shard / count, side="left")) + 1
        cut = min(max(cut, cuts[-1] + 1), documents - (count - shard))  # every run holds a document
        cuts.append(cut)
    cuts.append(documents)
    return list(zip(cuts[:-1], cuts[1:], strict=True))


def split_index(index_dir: Path, out_dir: Path, count: int) -> ShardLayout:
    """Split the index at `index_dir` into `count` shards under `out_dir` (replaced whole)."""
    index = open_index(Config(index_dir=Path(index_dir)), check_corpus=False)
    numbers = index.passages.document_numbers
    if len(numbers) and np.any(np.diff(numbers) < 0):
        raise ValueError("the index's passages are not in document order; rebuild it")
    per_document = np.bincount(numbers, minlength=len(index.documents))
    owners = index.sentences.spans[:, 0]
    plain = LexicalIndex.build([search_text(p) for p in index.passages], analyzer="plain")
    out_dir = Path(out_dir)
    staging = out_dir.with_name(f".{out_dir.name}.splitting-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    specs = []
    vectors = np.load(Path(index_dir) / VECTORS, mmap_mode="r", allow_pickle=False)
    for number, (first_doc, last_doc) in enumerate(document_runs(per_document, count)):
        first, last = int(per_document[:first_doc].sum()), int(per_document[:last_doc].sum())
        sentences = int(np.searchsorted(owners, first)), int(np.searchsorted(owners, last))
        spec = ShardSpec(f"shard-{number}", (first_doc, last_doc), (first, last), sentences, _dense_kind(index),
                         _nprobe(index))
        folder = staging / spec.name
        folder.mkdir()
        _write_dense(index, spec, folder)
        _write_lexical(index.lexical, spec, folder / "bm25")
        _write_lexical(plain, spec, folder / "bm25-plain")
        _write_rows(vectors, sentences, folder / VECTORS)
        (folder / SHARD).write_text(json.dumps(asdict(spec), indent=2) + "\n", encoding="utf-8")
        specs.append(spec)
    _write_vocabulary(plain, staging / PLAIN_VOCABULARY)
    layout = {"version": LAYOUT_VERSION, "source": str(Path(index_dir).resolve()),
              "source_manifest": manifest_digest(Path(index_dir)), "shards": [asdict(s) for s in specs]}
    (staging / SHARDING).write_text(json.dumps(layout, indent=2) + "\n", encoding="utf-8")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    os.rename(staging, out_dir)
    return ShardLayout.read(out_dir)


def _dense_kind(index: LoadedIndex) -> str:
    return "ivf" if index.dense.kind["type"] == "ivf" else "flat"


def _write_rows(vectors: np.ndarray, rows: tuple[int, int], path: Path, chunk: int = 250_000) -> None:
    """Rows [first, last) of the memory-mapped sentence vectors, as float16, written a chunk at a time
    (a million passages' are about 7 GB: never all in memory, and written through the file, not a
    writable map, whose dirty pages would count against this process)."""
    first, last = rows
    header = {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float16)), "fortran_order": False,
              "shape": (last - first, int(vectors.shape[1]))}
    with path.open("wb") as handle:
        np.lib.format.write_array_header_1_0(handle, header)
        for begin in range(first, last, chunk):
            handle.write(np.ascontiguousarray(vectors[begin : min(last, begin + chunk)], dtype=np.float16).tobytes())


def _nprobe(index: LoadedIndex) -> int | None:
    # A loaded IVF index probes by its size (dense.ivf_parameters); a shard, smaller, would probe more
    # lists than the unsharded index and so find other candidates.
    return int(index.dense.kind["nprobe"]) if index.dense.kind["type"] == "ivf" else None  # type: ignore[call-overload]


def _write_dense(index: LoadedIndex, spec: ShardSpec, folder: Path) -> None:
    import faiss

    from index.store.dense import DenseIndex

    first, last = spec.positions
    if spec.dense == "flat":
        rows = np.ascontiguousarray(index.dense.rows(np.arange(first, last)), dtype=np.float32)
        flat = faiss.IndexFlatIP(index.dense.dimension)
        flat.add(rows)
        DenseIndex(flat).save(folder / "dense.faiss")
        return
    # IVF: the same trained lists, only this shard's vectors, under their global ids.
    clone = faiss.clone_index(index.dense._index)
    clone.remove_ids(faiss.IDSelectorNot(faiss.IDSelectorRange(first, last)))
    DenseIndex(clone).save(folder / "dense.faiss")


def _sliced_scores(scores: dict, first: int, last: int) -> dict:
    """The rows [first, last) of bm25s's (passage × word) score matrix, stored by word (CSC), renumbered from 0."""
    indptr, indices, data = scores["indptr"], scores["indices"], scores["data"]
    columns = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    keep = (indices >= first) & (indices < last)
    counts = np.bincount(columns[keep], minlength=len(indptr) - 1)
    new_indptr = np.concatenate([[0], np.cumsum(counts)]).astype(indptr.dtype)
    return {"data": data[keep], "indices": (indices[keep] - first).astype(indices.dtype), "indptr": new_indptr,
            "num_docs": last - first}


def _write_lexical(lexical: LexicalIndex, spec: ShardSpec, folder: Path) -> None:
    retriever = copy.copy(lexical._retriever)
    retriever.scores = _sliced_scores(lexical._retriever.scores, *spec.positions)
    folder.mkdir()
    LexicalIndex(retriever, lexical.analyzer, lexical.transliterate_names).save(folder)


def _write_vocabulary(lexical: LexicalIndex, folder: Path) -> None:
    folder.mkdir()
    (folder / "vocab.index.json").write_text(json.dumps(lexical._retriever.vocab_dict, ensure_ascii=False), encoding="utf-8")
    np.save(folder / "indptr.csc.index.npy", lexical._retriever.scores["indptr"], allow_pickle=False)
    (folder / "settings.json").write_text(json.dumps({"analyzer": lexical.analyzer,
                                                      "transliterate_names": lexical.transliterate_names}) + "\n")
