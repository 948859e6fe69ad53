"""Verbatim on a Ray cluster (index/cluster/): a local cluster of three nodes, each its own raylet
(ray.cluster_utils.Cluster), with the real model, FAISS and BM25.

- a build on the cluster publishes the index a local build does;
- a build survives a node removed half-way through its embedding;
- an index split into 2 and 3 shards, one actor each on different nodes, answers every question of
  the bundled sets and of SciFact (all 5,183 abstracts, all 300 test queries) exactly as the
  unsharded index does, in every mode, with filters; an IVF index too;
- a shard actor killed mid-query is restarted and the query retried; one that stays down makes the
  search say which documents are missing.

Select them with `-m cluster`; the local default path is checked to never import Ray (unmarked).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from corpus.paths import BUNDLED_CORPUS, REPO_ROOT
from index.config import MODES, Config
from index.search.filters import Filters

# The first two sets' questions and their Russian and Kazakh versions (the first 60 lines of each).
QUESTIONS = [json.loads(line)["question"] for name in ("kazakhstan-dev", "kazakhstan-heldout", "kazakhstan-ru", "kazakhstan-kk")
             for line in (REPO_ROOT / "eval" / "questions" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[:60]
             if line.strip()]
SYNTAX = ['"as many as 1,000 people"', "hunger strike -Almaty", '"Tulesova" OR "Тулесова"', "detained OR arrested in Almaty"]
FILTERS = [Filters(publishers=("amnesty",)), Filters(since="2021"), Filters(until="2020-06", undated=True),
           Filters(languages=("en",)), Filters(publishers=("ACCA", "CIVICUS"), since="2019")]
NODE_STORE = 100 * 2**20  # object store of each node: what the three fit in beside other work


def test_the_local_path_never_imports_ray(bundled_index):
    """Asking, serving's searcher and building without --cluster load no Ray at all."""
    script = f"""
import sys
from pathlib import Path
from index.config import Config
from index.search import Searcher
from index.store import build_index, open_index
import app.cli
searcher = Searcher.open(Config(index_dir=Path({str(bundled_index.index_dir)!r})))
searcher.answer("How many people were detained in Almaty?", mode="hybrid")
print("ray" in sys.modules, "index.cluster" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


def test_a_split_of_another_layout_version_is_refused_as_stale(bundled_index, tmp_path):
    """A split by an older Verbatim (layout 1 had no nprobe for IVF shards) is not read as current
    (`verbatim serve --cluster` splits again on a StaleIndexError)."""
    from index.cluster import SHARDING, ShardLayout, split_index
    from index.errors import StaleIndexError

    layout = split_index(bundled_index.index_dir, tmp_path / "shards", 2)
    assert [s.nprobe for s in layout.shards] == [None, None]  # flat: nothing to probe
    sharding = tmp_path / "shards" / SHARDING
    old = json.loads(sharding.read_text())
    sharding.write_text(json.dumps({**old, "version": 1}))
    with pytest.raises(StaleIndexError, match="split the index again"):
        ShardLayout.read(tmp_path / "shards")


@pytest.fixture(scope="module")
def cluster():
    """A head and two more nodes, one CPU each (logical: scheduling only), 100 MB of object store each."""
    ray = pytest.importorskip("ray")
    from ray.cluster_utils import Cluster

    from index.cluster.coordinator import connect

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "object_store_memory": NODE_STORE})
    for _ in range(2):
        cluster.add_node(num_cpus=1, object_store_memory=NODE_STORE)
    cluster.wait_for_nodes()
    connect(cluster.address)
    yield cluster
    ray.shutdown()
    cluster.shutdown()


def alive_nodes() -> set[str]:
    import ray

    return {node["NodeID"] for node in ray.nodes() if node["Alive"]}


def same_index(local: Path, other: Path) -> None:
    """The same documents, passages and BM25 (byte for byte), and vectors within the int8 runtime's tolerance."""
    for name in ("documents.jsonl", "passages.jsonl", "sentences.npy"):
        assert (local / name).read_bytes() == (other / name).read_bytes(), name
    for name in ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy", "vocab.index.json"):
        assert (local / "bm25" / name).read_bytes() == (other / "bm25" / name).read_bytes(), name
    from index.store import open_index

    a, b = (open_index(Config(index_dir=d), check_corpus=False) for d in (local, other))
    everything = np.arange(a.dense.size)
    np.testing.assert_allclose(a.dense.rows(everything), b.dense.rows(everything), atol=1e-5)
    np.testing.assert_allclose(np.load(local / "sentence_vectors.npy").astype(np.float32),
                               np.load(other / "sentence_vectors.npy").astype(np.float32), atol=2e-3)


@pytest.mark.cluster
def test_a_build_on_the_cluster_publishes_the_local_build(cluster, bundled_index, tmp_path):
    from index.cluster.build import build_on_cluster

    config = Config(corpus_dir=bundled_index.corpus_dir, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")
    result, encoder = build_on_cluster(config, cluster.address, workers=2, num_cpus=0.5)
    assert result.passages == 174 and result.embedded > 0 and result.reused < result.embedded  # embedded here, not cached
    assert encoder.batches > 2
    same_index(bundled_index.index_dir, config.index_dir)
    # Its vectors went into the same embedding cache a local build reads: a local rebuild embeds nothing.
    from index.store import build_index

    again = build_index(Config(corpus_dir=config.corpus_dir, index_dir=tmp_path / "again", cache_dir=tmp_path / "cache"))
    assert again.embedded == 0


@pytest.mark.cluster
@pytest.mark.parametrize("count", [2, 3])
def test_shards_answer_as_the_unsharded_index(cluster, bundled_index, tmp_path, count):
    """Every question of the bundled sets (English, Russian, Kazakh, and the search syntax), every
    mode, top 10: the same passages, scores, best sentences; filtered too; and the same verdicts."""
    from index.cluster import split_index
    from index.cluster.coordinator import open_sharded
    from index.search import Searcher

    local = Searcher.open(bundled_index)
    layout = split_index(bundled_index.index_dir, tmp_path / "shards", count)
    assert [s.positions for s in layout.shards][0][0] == 0 and layout.shards[-1].positions[1] == 174
    sharded = open_sharded(tmp_path / "shards", bundled_index, address=cluster.address)
    nodes = [fact["node"] for fact in sharded.shards.facts()]
    assert len(set(nodes)) == count, "each shard on a node of its own (SPREAD)"

    def top(searcher, question, mode, filters=None):
        return [(h.position, h.score, h.dense_score, h.bm25_score, h.sentence, h.matches)
                for h in searcher.search(question, mode=mode, k=10, filters=filters)]

    for mode in MODES:
        for question in QUESTIONS + SYNTAX:
            assert top(sharded, question, mode) == top(local, question, mode), (mode, question)
        for filters in FILTERS:
            for question in QUESTIONS[:12] + SYNTAX:
                assert top(sharded, question, mode, filters) == top(local, question, mode, filters), (mode, filters, question)
    for question in QUESTIONS + SYNTAX:
        assert sharded.answer(question)[1] == local.answer(question)[1], question


@pytest.mark.cluster
def test_a_shard_killed_mid_query_is_restarted_and_one_that_stays_down_is_named(cluster, bundled_index, tmp_path):
    import ray

    from index.cluster import split_index
    from index.cluster.coordinator import ShardUnavailableError, open_sharded
    from index.search import Searcher

    local = Searcher.open(bundled_index)
    layout = split_index(bundled_index.index_dir, tmp_path / "shards", 2)
    sharded = open_sharded(tmp_path / "shards", bundled_index, address=cluster.address)
    questions = QUESTIONS[:16]
    expected = [[h.position for h in local.search(q)] for q in questions]
    answers: list[list[int]] = []
    errors: list[BaseException] = []

    def ask_all() -> None:
        try:
            for question in questions:
                answers.append([h.position for h in sharded.search(question)])
        except BaseException as error:  # reported below
            errors.append(error)

    asking = threading.Thread(target=ask_all)
    asking.start()
    while not answers and asking.is_alive():
        time.sleep(0.01)
    ray.kill(sharded.shards.handles[1], no_restart=False)  # Ray restarts it; the calls in flight are retried
    asking.join(300)
    assert not errors and answers == expected

    ray.kill(sharded.shards.handles[1], no_restart=True)  # and now for good
    with pytest.raises(ShardUnavailableError) as raised:
        sharded.search(questions[0])
    missing = raised.value
    first, last = layout.shards[1].documents
    assert missing.shard == "shard-1" and missing.documents == tuple(local.index.documents.ids[first:last])
    assert all(doc_id in str(missing) for doc_id in missing.documents)


@pytest.mark.cluster
def test_a_build_survives_a_node_removed_mid_build(cluster, bundled_index, tmp_path):
    """The node of one embedding worker goes away after the first batches: the worker is restarted on
    another node, its batches retried, and the build publishes the same index."""
    import ray

    from index.cluster.build import ClusterEncoder, cluster_mapper
    from index.store import build_index

    doomed = cluster.add_node(num_cpus=1, object_store_memory=NODE_STORE)
    cluster.wait_for_nodes()
    encoder = ClusterEncoder(Config().model, Config().batch_size, workers=3, num_cpus=0.5)
    placed = ray.get([worker.node.remote() for worker in encoder.workers])
    head = cluster.head_node.node_id
    victim = next((node for node in cluster.worker_nodes if node.node_id in placed and node.node_id != head), None)
    assert victim is not None, "a worker on a node other than the head's"
    removed = threading.Event()

    def progress(_: int) -> None:
        if encoder.batches >= 3 and not removed.is_set():
            removed.set()
            cluster.remove_node(victim)

    config = Config(corpus_dir=bundled_index.corpus_dir, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")
    result = build_index(config, embedder=encoder, mapper=cluster_mapper(), progress=progress)
    assert removed.is_set() and victim.node_id not in alive_nodes()
    assert result.passages == 174
    same_index(bundled_index.index_dir, config.index_dir)
    if victim is not doomed:  # keep three nodes for whatever runs next
        cluster.remove_node(doomed)
    cluster.add_node(num_cpus=1, object_store_memory=NODE_STORE)


SCIFACT = Path(__import__("os").environ.get("VERBATIM_SCIFACT", REPO_ROOT.parent / "shared" / "benchmarks" / "scifact"))


@pytest.fixture(scope="module")
def scifact_index(tmp_path_factory, embedder) -> Config:
    """The whole of BEIR SciFact (5,183 abstracts, ~4 minutes to embed with their sentences here)."""
    if not (SCIFACT / "corpus.jsonl").is_file():
        pytest.skip(f"no SciFact at {SCIFACT} (VERBATIM_SCIFACT)")
    from corpus.beir import load_beir_corpus
    from index.store import write_index

    documents, passages = load_beir_corpus(SCIFACT)
    config = Config(index_dir=tmp_path_factory.mktemp("scifact") / "index")
    write_index(config.index_dir, documents, passages, embedder=embedder,
                about={"beir": {"name": "scifact", "corpus_sha256": ""}}, cache=config.cache_root())
    return config


@pytest.mark.cluster
@pytest.mark.parametrize("count", [2, 3])
def test_shards_answer_scifact_as_the_unsharded_index(cluster, scifact_index, tmp_path, count):
    """All of SciFact and all its 300 test queries: every mode, top 10, the same passages, scores
    and best sentences, sharded or not; filtered to every seventh abstract too."""
    from eval.beir import load_benchmark
    from index.cluster import split_index
    from index.cluster.coordinator import open_sharded
    from index.search import Searcher
    from index.store import open_index

    local = Searcher(open_index(scifact_index, check_corpus=False), scifact_index)
    assert local.index.dense.size == 5183
    split_index(scifact_index.index_dir, tmp_path / "shards", count)
    sharded = open_sharded(tmp_path / "shards", scifact_index, address=cluster.address)
    queries = list(load_benchmark(SCIFACT).queries.values())
    assert len(queries) == 300
    some = Filters(doc_ids=tuple(local.index.documents.ids[::7]))

    def top(searcher, question, mode, filters=None):
        return [(h.position, h.score, h.sentence) for h in searcher.search(question, mode=mode, k=10, filters=filters)]

    for mode in MODES:
        for question in queries:
            assert top(sharded, question, mode) == top(local, question, mode), (mode, question)
        for question in queries[:30]:
            assert top(sharded, question, mode, some) == top(local, question, mode, some), (mode, question)


@pytest.fixture(scope="module")
def ivf_index(tmp_path_factory, embedder) -> Config:
    """The bundled corpus in an IVF-SQ8 index, what a collection above 100k passages gets, made small
    here: 16 lists, of which a query probes 4 (the embedding cache makes the build a few seconds)."""
    from index.store import build_index
    from index.store import dense as dense_module

    with pytest.MonkeyPatch.context() as patch:
        build = dense_module.DenseIndex.build.__func__
        patch.setattr(dense_module, "ivf_parameters", lambda size: (16, 4))
        patch.setattr(dense_module.DenseIndex, "build", classmethod(lambda cls, vectors: build(cls, vectors, exact_up_to=0)))
        config = Config(corpus_dir=BUNDLED_CORPUS, index_dir=tmp_path_factory.mktemp("ivf") / "index")
        build_index(config, embedder=embedder)
    return config


@pytest.mark.cluster
@pytest.mark.parametrize("count", [2, 3])
def test_an_ivf_index_sharded_answers_as_unsharded(cluster, ivf_index, tmp_path, count, monkeypatch):
    """Each IVF shard holds the trained lists with its own vectors under their global ids, and probes
    as many lists as the unsharded index does (4 here; left to their own size, shards would probe
    every list and find what the unsharded index does not)."""
    from index.cluster import split_index
    from index.cluster.coordinator import open_sharded
    from index.search import Searcher
    from index.store import dense as dense_module

    monkeypatch.setattr(dense_module, "ivf_parameters", lambda size: (16, 4))  # as the index was built
    local = Searcher.open(ivf_index)
    assert local.index.dense.kind == {"type": "ivf", "codec": "SQ8", "nlist": 16, "nprobe": 4}
    layout = split_index(ivf_index.index_dir, tmp_path / "shards", count)
    assert {(s.dense, s.nprobe) for s in layout.shards} == {("ivf", 4)}
    sharded = open_sharded(tmp_path / "shards", ivf_index, address=cluster.address)

    def top(searcher, question, mode, filters=None):
        hits = searcher.search(question, mode=mode, k=10, filters=filters)
        return [(h.position, h.score, h.dense_score, h.sentence) for h in hits]

    for mode in ("dense", "dense-sentences", "hybrid", "hybrid-rrf"):
        for question in QUESTIONS:
            assert top(sharded, question, mode) == top(local, question, mode), (mode, question)
        for filters in FILTERS:
            for question in QUESTIONS[:12]:
                assert top(sharded, question, mode, filters) == top(local, question, mode, filters), (mode, filters, question)
