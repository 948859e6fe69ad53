"""A build on a Ray cluster: the local build (index/store/build.py's `build_index`), with its files
read and cut into passages by Ray tasks and its texts embedded by Ray actors, one model copy each.

Nothing else differs, on purpose: the same corpus code reads and chunks (each file or document is a
task's item, results gathered in the corpus's order), the same embedding cache serves and stores the
vectors (the cluster embeds only what it lacks, and what comes back is appended chunk by chunk, so a
build killed half-way resumes from there), and the same writer builds BM25 and FAISS and publishes
the index. The int8 MiniLM embeds one text a run, so a vector is a function of its text alone and a
worker's vectors are the local build's.

A worker that dies costs only its tasks: an embedding actor is restarted (`max_restarts`) and its
batches retried (`max_task_retries`); a batch whose actor is gone for good goes to another one; a
reading task is retried (`max_retries`). A node removed mid-build is that, for every worker on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np

from index.cluster.coordinator import connect
from index.config import Config
from index.store.build import BuildResult, build_index
from index.store.components import DocumentEncoder

BATCH = 32  # texts in one embedding task
IN_FLIGHT = 2  # tasks queued per worker: one running, one waiting, so no worker idles between two
RETRIES = 3


class EmbedWorker:
    """One model copy on a worker (a Ray actor)."""

    def __init__(self, model: str, batch_size: int) -> None:
        from index.models import Embedder

        self.embedder = Embedder(model, batch_size)

    def facts(self) -> dict[str, Any]:
        e = self.embedder
        return {"name": e.name, "dimension": e.dimension, "runtime": e.runtime, "identity": e.identity}

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.embedder.encode_documents(texts)

    def node(self) -> str:
        import ray

        return ray.get_runtime_context().get_node_id()


class ClusterEncoder:
    """`encode_documents` over a pool of EmbedWorker actors (what the build's CachedEncoder calls).
    The actors start when the build first asks about the model, after the files were read and cut:
    reading tasks and model copies never wait for each other's CPUs."""

    def __init__(self, model: str, batch_size: int, workers: int, *, num_cpus: float = 1.0,
                 max_restarts: int = RETRIES, batch: int = BATCH) -> None:
        self._model, self._batch_size, self._count = model, batch_size, workers
        self._num_cpus, self._max_restarts = num_cpus, max_restarts
        self._workers: list[Any] | None = None
        self._facts: dict[str, Any] = {}
        self.batch = batch
        self.cache_chunk = batch * IN_FLIGHT * workers * 4  # texts between two appends to the cache
        self.batches = 0  # tasks run (a benchmark's and a test's count)
        self.resubmitted = 0  # batches sent again to another worker, theirs gone for good

    @property
    def workers(self) -> list[Any]:
        if self._workers is None:
            import ray

            actor = ray.remote(EmbedWorker).options(num_cpus=self._num_cpus, max_restarts=self._max_restarts,
                                                    max_task_retries=self._max_restarts, scheduling_strategy="SPREAD")
            workers = [actor.remote(self._model, self._batch_size) for _ in range(self._count)]
            self._facts = ray.get(workers[0].facts.remote())
            self._workers = workers
        return self._workers

    def _fact(self, name: str) -> Any:
        self.workers  # noqa: B018 (started on first use)
        return self._facts[name]

    @property
    def name(self) -> str:
        return self._fact("name")

    @property
    def dimension(self) -> int:
        return self._fact("dimension")

    @property
    def runtime(self) -> str | None:
        return self._fact("runtime")

    @property
    def identity(self) -> str:
        return self._fact("identity")

    def encode_documents(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        import ray
        from ray.exceptions import ActorDiedError

        texts = list(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        todo = list(range(0, len(texts), self.batch))[::-1]  # batch starts, popped from the end
        alive = list(range(len(self.workers)))
        running: dict[Any, tuple[int, int]] = {}  # ref → (batch start, worker)
        load = dict.fromkeys(alive, 0)

        def submit() -> None:
            while todo and alive:
                worker = min(alive, key=lambda w: load[w])
                if load[worker] >= IN_FLIGHT:
                    return
                start = todo.pop()
                running[self.workers[worker].encode.remote(texts[start : start + self.batch])] = (start, worker)
                load[worker] += 1

        submit()
        while running:
            ready, _ = ray.wait(list(running), num_returns=1)
            start, worker = running.pop(ready[0])
            load[worker] -= 1
            try:
                made = ray.get(ready[0])
            except ActorDiedError:  # restarts used up: its batch goes to another worker
                if worker in alive:
                    alive.remove(worker)
                if not alive:
                    raise
                todo.append(start)
                self.resubmitted += 1
            else:
                vectors[start : start + len(made)] = made
                self.batches += 1
                if progress:
                    progress(len(made))
            submit()
        return vectors


def cluster_mapper(tasks_per_worker: int = 4, workers: int = 2) -> Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]:
    """A mapper for the corpus code (corpus/chunking.py's Mapper): the items cut into a few batches,
    each a Ray task (retried if its worker dies), the results gathered in the items' order."""

    def run(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        import ray

        items = list(items)
        if not items:
            return []
        size = max(1, -(-len(items) // (tasks_per_worker * workers)))
        task = ray.remote(_apply).options(max_retries=RETRIES, retry_exceptions=False, scheduling_strategy="SPREAD")
        refs = [task.remote(function, items[i : i + size]) for i in range(0, len(items), size)]
        return [result for batch in ray.get(refs) for result in batch]

    return run


def _apply(function: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    return [function(item) for item in items]


def build_on_cluster(config: Config, address: str | None = "auto", *, workers: int = 2, num_cpus: float = 1.0,
                     **kwargs: Any) -> tuple[BuildResult, ClusterEncoder]:
    """`build_index(config)` with its reading, chunking and embedding on the Ray cluster at `address`
    ("auto": the local one), `workers` model copies; `kwargs` are build_index's callbacks."""
    connect(address)
    encoder = ClusterEncoder(config.model, config.batch_size, workers, num_cpus=num_cpus)
    # It has what DocumentEncoder asks for, its name and dimension read-only (learnt from a worker).
    embedder = cast(DocumentEncoder, encoder)
    result = build_index(config, embedder=embedder, mapper=cluster_mapper(workers=workers), **kwargs)
    return result, encoder
