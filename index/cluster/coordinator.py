"""The coordinator: the one machine's Searcher over shard-backed parts, so a sharded index answers
exactly as the unsharded one does.

The Searcher (index/search/searcher.py) reads an index through three parts, and each is replaced
by a stand-in that asks the shards and puts their answers together in the unsharded positions:

- `ShardedDense`: a search asks every shard for its best k (FAISS, within the filters) and keeps the
  best k of their union, by cosine, then position; `rows` fetches stored vectors, so `scores` is the
  unsharded `rows @ query`, the same product on the same numbers;
- `ShardedLexical`: the question's words are read here (the coordinator holds the vocabulary),
  every shard sends the passages they score above 0 with the score its rows of the collection-wide
  BM25 matrix give (shards.py), and the coordinator ranks the whole score vector with the unsharded
  code (argpartition and all, so even ties fall the same way); phrase narrowing and the verdict's
  word checks ask the shards' postings;
- `ShardedRows`: sentence vectors come from the shards as stored (float16) and are multiplied here,
  so the best sentences, the rescoring and the verdict read the unsharded cosines.

Everything else (filters, the report preference, fusion, the hits and their citations, the
verdict) is the Searcher's own code over the catalogue the coordinator holds.

A shard actor that dies is restarted by Ray (`max_restarts`) and the call retried
(`max_task_retries`); one that stays down makes the search raise ShardUnavailableError, which names
the documents it holds: the answer is never silently made of the other shards alone.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from corpus.errors import VerbatimError
from index.cluster.actor import ShardServer
from index.cluster.shards import PLAIN_VOCABULARY, ShardLayout
from index.config import Config
from index.search.retrievers import PlainBM25Retriever
from index.search.searcher import Searcher
from index.store.dense import DenseIndex
from index.store.lexical import ANALYZERS, LexicalIndex
from index.store.load import LoadedIndex, read_manifest
from index.store.sentences import SPANS, RowFile, SentenceIndex
from index.store.tables import DocumentTable, open_tables

MAX_RESTARTS = 3  # a shard actor that dies this often stays down, and its part is reported missing
LOCAL_OBJECT_STORE = 256 * 2**20  # a Ray started here: texts, vectors and candidate lists are small
CALL_TIMEOUT = 120.0  # seconds one shard may take to answer a call (a restart, its index reload included)


class ShardUnavailableError(VerbatimError):
    """A shard stayed down: the search cannot be answered over the whole collection."""

    def __init__(self, shard: str, documents: Sequence[str], passages: tuple[int, int], cause: str) -> None:
        shown = ", ".join(documents[:5]) + (f" and {len(documents) - 5} more" if len(documents) > 5 else "")
        super().__init__(
            f"{shard} is down ({cause}), so its part of the collection is missing: {len(documents)} document"
            f"{'s' if len(documents) != 1 else ''} ({shown}), passages {passages[0]}–{passages[1] - 1}; no answer is "
            "given without it. Restart the server or bring its node back.")
        self.shard, self.documents, self.passages = shard, tuple(documents), passages


class ShardSet:
    """The shard actors of one layout, and calls fanned out to them."""

    def __init__(self, layout: ShardLayout, documents: DocumentTable, *, address: str | None = "auto",
                 max_restarts: int = MAX_RESTARTS, timeout: float = CALL_TIMEOUT, num_cpus: float = 0.25,
                 code_path: str | None = None) -> None:
        import ray

        connect(address, code_path)
        self.layout, self.timeout = layout, timeout
        self.specs = layout.shards
        self.first_positions = np.array([s.positions[0] for s in self.specs], dtype=np.int64)
        self.first_sentences = np.array([s.sentences[0] for s in self.specs], dtype=np.int64)
        self._documents = [documents.ids[a:b] for a, b in (s.documents for s in self.specs)]
        actor = ray.remote(ShardServer)
        self.handles = [
            actor.options(max_restarts=max_restarts, max_task_retries=max_restarts, num_cpus=num_cpus,
                          scheduling_strategy="SPREAD").remote(str(layout.folder(spec)))
            for spec in self.specs
        ]
        self.call(range(len(self.specs)), "ping", [()] * len(self.specs))  # loaded, or a clear error now

    def __len__(self) -> int:
        return len(self.specs)

    def shard_of_positions(self, positions: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.first_positions, positions, side="right") - 1

    def shard_of_sentences(self, rows: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.first_sentences, rows, side="right") - 1

    def call(self, shards: Sequence[int] | range, method: str, arguments: Sequence[tuple]) -> list[Any]:
        """`method(*arguments[i])` on each shard of `shards`, side by side; their answers in order."""
        import ray

        shards = list(shards)
        refs = [getattr(self.handles[s], method).remote(*args) for s, args in zip(shards, arguments, strict=True)]
        answers = []
        for shard, ref, args in zip(shards, refs, arguments, strict=True):
            answers.append(self._get(shard, ref, method, args, ray))
        return answers

    def _get(self, shard: int, ref: Any, method: str, args: tuple, ray: Any) -> Any:
        from ray.exceptions import ActorDiedError, GetTimeoutError, RayActorError

        for attempt in range(2):
            try:
                return ray.get(ref, timeout=self.timeout)
            except ActorDiedError as error:  # restarts used up, or killed for good
                raise self._missing(shard, "its actor died and was not restarted") from error
            except GetTimeoutError as error:
                raise self._missing(shard, f"no answer within {self.timeout:.0f} s") from error
            except RayActorError as error:  # unreachable for a moment (a restart under way): once more
                if attempt:
                    raise self._missing(shard, f"its actor is unavailable ({type(error).__name__})") from error
                time.sleep(1.0)
                ref = getattr(self.handles[shard], method).remote(*args)
        raise AssertionError("unreachable")

    def _missing(self, shard: int, cause: str) -> ShardUnavailableError:
        spec = self.specs[shard]
        return ShardUnavailableError(spec.name, self._documents[shard], spec.positions, cause)

    def facts(self) -> list[dict]:
        return self.call(range(len(self)), "facts", [()] * len(self))


def connect(address: str | None, code_path: str | None = None) -> None:
    """Join the Ray cluster at `address` ("auto": a local one, started if there is none), once per process.
    The workers import this checkout's code (`code_path`, default: the folder `index/` is in)."""
    import ray

    if ray.is_initialized():
        return
    root = code_path or str(Path(__file__).resolve().parents[2])
    runtime_env = {"env_vars": {"PYTHONPATH": root, "OMP_WAIT_POLICY": "PASSIVE"}}
    if address == "auto":  # the local cluster this machine belongs to, else a new one, here
        try:
            ray.init(address="auto", runtime_env=runtime_env, log_to_driver=False)
            return
        except ConnectionError:
            address = None
    if address in (None, "", "local"):
        ray.init(runtime_env=runtime_env, include_dashboard=False, log_to_driver=False,
                 object_store_memory=LOCAL_OBJECT_STORE)
    else:
        ray.init(address=address, runtime_env=runtime_env, log_to_driver=False)


class ShardedDense(DenseIndex):
    """The dense index, over the shards (see the module's docstring)."""

    def __init__(self, shards: ShardSet, size: int, dimension: int, kind: dict[str, object]) -> None:
        self._shards, self._size, self._dimension, self._kind = shards, size, dimension, kind
        self._vectors = None
        self._ivf = None

    @property
    def kind(self) -> dict[str, object]:
        return self._kind

    @property
    def size(self) -> int:
        return self._size

    @property
    def dimension(self) -> int:
        return self._dimension

    def set_nprobe(self, nprobe: int) -> None:
        raise NotImplementedError("a sharded index keeps the nprobe it was built with")

    def rows(self, positions: np.ndarray) -> np.ndarray:
        positions = np.asarray(positions, dtype=np.int64)
        out = np.empty((len(positions), self._dimension), dtype=np.float32)
        owners = self._shards.shard_of_positions(positions)
        shards = sorted(set(owners.tolist()))
        masks = [owners == s for s in shards]
        for mask, rows in zip(masks, self._shards.call(shards, "dense_rows", [(positions[m],) for m in masks]), strict=True):
            out[mask] = rows
        return out

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        k = min(k, self.size if allowed is None else len(allowed))
        if k <= 0:
            return []
        if allowed is None:
            shards, arguments = list(range(len(self._shards))), [(query, k, None)] * len(self._shards)
        else:
            allowed = np.asarray(allowed, dtype=np.int64)
            owners = self._shards.shard_of_positions(allowed)
            shards = sorted(set(owners.tolist()))
            arguments = [(query, k, allowed[owners == s]) for s in shards]
        answers = self._shards.call(shards, "dense_search", arguments)
        positions = np.concatenate([p for p, _ in answers])
        scores = np.concatenate([s for _, s in answers])
        order = np.lexsort((positions, -scores))[:k]  # by cosine, then position
        return [(int(positions[i]), float(scores[i])) for i in order]


class ShardedLexical(LexicalIndex):
    """A BM25 index ("bm25" or "bm25-plain"), over the shards (see the module's docstring)."""

    def __init__(self, shards: ShardSet, kind: str, vocabulary: dict[str, int], indptr: np.ndarray, analyzer: str,
                 transliterate_names: bool, size: int, dtype: str) -> None:
        # What _known and idf read: the whole index's vocabulary and postings' offsets.
        self._retriever = SimpleNamespace(vocab_dict=vocabulary, scores={"indptr": indptr, "num_docs": size})
        self._tokenize = ANALYZERS[analyzer][0]
        self.analyzer, self.transliterate_names = analyzer, transliterate_names
        self._vocabulary = None
        self._sorting = threading.Lock()
        self._shards, self._kind, self._size, self._dtype = shards, kind, size, np.dtype(dtype)

    @classmethod
    def open(cls, shards: ShardSet, kind: str, folder: Path, size: int) -> ShardedLexical:
        settings = json.loads((folder / "settings.json").read_text(encoding="utf-8"))
        vocabulary = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        indptr = np.load(folder / "indptr.csc.index.npy", allow_pickle=False)
        dtype = shards.call([0], "bm25_dtype", [(kind,)])[0]
        return cls(shards, kind, vocabulary, indptr, str(settings.get("analyzer", "english")),
                   bool(settings["transliterate_names"]), size, dtype)

    def scores_of(self, tokens: list[str]) -> np.ndarray:
        every = range(len(self._shards))
        scores = np.zeros(self._size, dtype=self._dtype)
        for positions, values in self._shards.call(every, "bm25_scores", [(self._kind, tokens)] * len(self._shards)):
            scores[positions] = values
        return scores

    def passages_with_all(self, tokens: list[str]) -> np.ndarray:
        known = self._known(tokens)
        if len(known) < len(set(tokens)):
            return np.zeros(0, dtype=np.int64)
        held = self._shards.call(range(len(self._shards)), "passages_with_all", [(self._kind, tokens)] * len(self._shards))
        return np.concatenate(held).astype(np.int64)  # shards hold ascending runs of positions: still in order

    def holds_word_in(self, token: str, positions: np.ndarray) -> bool:
        positions = np.asarray(positions, dtype=np.int64)
        if len(positions) == 0:
            return False
        forms = self._forms_of(token)
        if not forms:
            return False
        owners = self._shards.shard_of_positions(positions)
        shards = sorted(set(owners.tolist()))
        answers = self._shards.call(shards, "holds_any_form_in", [(self._kind, forms, positions[owners == s]) for s in shards])
        return any(answers)

    def save(self, folder: Path) -> None:
        raise NotImplementedError("a sharded index is saved by splitting its source again (index/cluster/shards.py)")


class ShardedRows(RowFile):
    """The sentence vectors (sentence_vectors.npy), over the shards: rows read as stored, float16."""

    def __init__(self, shards: ShardSet, rows: int, dimension: int) -> None:
        self._shards = shards
        self.shape, self.dtype = (rows, dimension), np.dtype(np.float16)
        self._row_bytes = dimension * 2
        self._fd = None  # type: ignore[assignment]  # no file: RowFile.__del__ closes none

    def ranges(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
        lengths = ends - starts
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        out = np.empty((int(offsets[-1]), self.shape[1]), dtype=np.float16)
        owners = self._shards.shard_of_sentences(starts)
        shards = sorted(set(owners.tolist()))
        masks = [owners == s for s in shards]
        answers = self._shards.call(shards, "sentence_ranges", [(starts[m], ends[m]) for m in masks])
        for mask, rows in zip(masks, answers, strict=True):
            chosen = np.flatnonzero(mask)
            if len(chosen):
                destination = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in chosen])
                out[destination] = rows
        return out.astype(np.float32)


class ShardedSearcher(Searcher):
    """The Searcher of one machine over a sharded index (its bm25-plain also sharded)."""

    def __init__(self, index: LoadedIndex, config: Config, shards: ShardSet, plain: ShardedLexical) -> None:
        super().__init__(index, config)
        self.shards = shards
        retriever = PlainBM25Retriever(index)
        retriever._lexical = plain  # what it would have built in memory from every passage
        self._retrievers["bm25-plain"] = retriever


def open_sharded(shards_dir: Path, config: Config | None = None, *, address: str | None = "auto",
                 max_restarts: int = MAX_RESTARTS, timeout: float = CALL_TIMEOUT, num_cpus: float = 0.25) -> ShardedSearcher:
    """A searcher over the shards at `shards_dir` (split by `split_index`), each served by a Ray actor
    of the cluster at `address`; `config`'s search settings (its index_dir is the shards' source)."""
    layout = ShardLayout.read(Path(shards_dir))
    layout.check()
    source = layout.source
    config = Config.from_env(index_dir=source) if config is None else config
    manifest = read_manifest(source)
    documents, passages = open_tables(source)
    spans = np.load(source / SPANS, mmap_mode="r", allow_pickle=False)
    shard_set = ShardSet(layout, documents, address=address, max_restarts=max_restarts, timeout=timeout, num_cpus=num_cpus)
    size, dimension = len(passages), manifest.model.dimension
    kind = manifest.faiss.get("passages", {"type": "flat"}) if isinstance(manifest.faiss, dict) else {"type": "flat"}
    index = LoadedIndex(
        directory=source, manifest=manifest, documents=documents, passages=passages,
        dense=ShardedDense(shard_set, size, dimension, dict(kind)),
        lexical=ShardedLexical.open(shard_set, "bm25", source / "bm25", size),
        sentences=SentenceIndex(ShardedRows(shard_set, len(spans), dimension), spans),
    )
    plain = ShardedLexical.open(shard_set, "bm25-plain", layout.directory / PLAIN_VOCABULARY, size)
    from dataclasses import replace

    return ShardedSearcher(index, replace(config, index_dir=source), shard_set, plain)
