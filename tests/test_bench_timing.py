"""The benchmark's summaries: percentiles and spreads of repeated timings."""

from __future__ import annotations

import os
from pathlib import Path

from bench.timing import percentile, process_memory_mb, run_measured, spread, summary_ms


def test_percentiles_pick_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]  # 1 … 100
    assert percentile(values, 50) == 51.0 and percentile(values, 95) == 95.0 and percentile(values, 99) == 99.0


def test_summaries_are_in_milliseconds_with_their_spread():
    summary = summary_ms([0.010, 0.020, 0.030])
    assert summary == {"n": 3, "p50_ms": 20.0, "p95_ms": 30.0, "p99_ms": 30.0, "mean_ms": 20.0, "stdev_ms": 8.16}
    assert spread([3.0, 1.0, 2.0]) == {"runs": 3, "median": 2.0, "min": 1.0, "max": 3.0}


def test_memory_of_a_running_process_is_read_from_proc():
    memory = process_memory_mb(os.getpid())
    assert 0 < memory["rss_mb"] <= memory["peak_rss_mb"]


def test_a_measured_command_reports_its_own_peak_not_the_parents():
    import sys

    held = bytearray(400 * 2**20)  # this process holds 400 MB, touched
    for offset in range(0, len(held), 4096):
        held[offset] = 1
    allocate = "block = bytearray(150 * 2**20)\nfor i in range(0, len(block), 4096): block[i] = 1\nprint('done')"
    seconds, peak_mb, out, _, code = run_measured([sys.executable, "-S", "-c", allocate])
    assert code == 0 and out.strip() == "done" and seconds > 0
    assert 150 <= peak_mb < 300  # its 150 MB counted, the parent's 400 MB not
    assert run_measured([sys.executable, "-S", "-c", "raise SystemExit(3)"])[4] == 3


def test_scaled_collections_keep_the_real_vectors_and_add_unit_length_copies():
    import numpy as np

    from bench.grown import grown, picks_for

    rng = np.random.default_rng(5)
    real = rng.normal(size=(50, 8)).astype(np.float32)
    real /= np.linalg.norm(real, axis=1, keepdims=True)
    data = grown(real, 400)
    assert data.shape == (400, 8) and np.array_equal(data[:50], real)
    assert np.allclose(np.linalg.norm(data, axis=1), 1.0, atol=1e-5)
    picks = picks_for(50, 400)
    assert (data[50:] * real[picks[50:]]).sum(axis=1).min() > 0.5  # each copy stays near the passage it copies


def test_a_grown_collection_is_searched_through_the_real_index_files(fixture_index, tmp_path):
    """bench/scale.py end to end on the fixture index grown to 300 passages, in subprocesses as `make bench` runs it."""
    import json
    import subprocess
    import sys

    import numpy as np

    from index.store import read_manifest

    claims = tmp_path / "claims.json"
    claims.write_text(json.dumps(["Who was detained in Almaty?", "hunger strike"]))
    common = ["--source", str(fixture_index.index_dir), "--into", str(tmp_path / "grown"), "--queries", str(claims)]
    run = lambda *args: json.loads(subprocess.run([sys.executable, "-m", "bench.scale", *args], check=True,  # noqa: E731
                                                  capture_output=True, text=True).stdout)
    built = run("build", "--size", "300", *common)
    searched = run("search", *common)
    real = read_manifest(fixture_index.index_dir).counts
    assert built["passages"] == 300 and built["sentences"] > real.sentences
    spans = np.load(tmp_path / "grown" / "sentences.npy")
    assert np.array_equal(np.unique(spans[:, 0]), np.arange(300))  # every copy owns its sentences
    probes = built["dense_recall"]["ivf"]["by_nprobe"]
    # Every list probed: only the 8-bit codes stand between IVF and exact search (0.95 here; the
    # copies are near-duplicates of each other, so their order is what the codes blur).
    assert probes[-1]["nprobe"] >= built["dense_recall"]["ivf"]["nlist"] and probes[-1]["recall_at_10"] >= 0.9
    # The store wrote it: an index like any other, whose manifest counts what it holds and says how it was grown.
    from dataclasses import replace

    from index.store import open_index
    from index.store.manifest import Counts

    grown = open_index(replace(fixture_index, index_dir=tmp_path / "grown"), check_corpus=False)
    assert grown.manifest.counts == Counts(len(grown.documents), 300, built["sentences"])
    assert grown.manifest.extra["grown"]["passages"] == 300
    assert grown.manifest.model == read_manifest(fixture_index.index_dir).model
    assert sorted(built["disk_mb"]) == sorted(p.name for p in (tmp_path / "grown").iterdir())
    # Every copy is a document and passage of its own, read from disk like any index's.
    from bench.grown import picks_for
    from corpus.languages.analysis import tokenize
    from index.store.lexical import LexicalIndex
    from index.store.tables import open_tables

    documents, passages = open_tables(tmp_path / "grown")
    originals = list(open_tables(fixture_index.index_dir)[1])
    picks = picks_for(len(originals), 300)
    assert len(passages) == 300 and len(documents) == len(set(p.doc_id for p in originals)) + 300 - len(originals)
    copy = passages[299]
    assert copy.doc_id == f"{originals[picks[299]].doc_id}~299" and copy.text == originals[picks[299]].text
    assert documents[copy.doc_id].text[copy.start : copy.end] == copy.text
    # BM25 built from word ids scores exactly as the store's BM25 built from the copies' words.
    from_words = LexicalIndex.build([" ".join(originals[p].text.split()) for p in picks], [originals[p].language for p in picks],
                                    transliterate_names=grown.manifest.transliterate)
    for claim in ("Who was detained in Almaty?", "hunger strike"):
        words = tokenize(claim)
        assert np.allclose(grown.lexical._retriever.get_scores(words), from_words._retriever.get_scores(words))
    assert set(searched["latency"]) == {"hybrid", "dense", "bm25"}
    assert searched["latency"]["hybrid"]["n"] == 2 * 3
    assert searched["memory_serving_mb"]["rss_mb"] > 0 and searched["documents_and_passages_mb"] >= 0


def test_a_grown_collection_keeps_its_sources_transliteration(tmp_path, embedder):
    """Copies of a Russian report: "Almaty" finds them by BM25 (Алматы in Latin letters), as in the index they copy."""
    from bench.scale import build, search
    from index.config import Config
    from index.search import Searcher
    from index.store import build_index, open_index

    source = Config(corpus_dir=Path(__file__).parent / "fixtures" / "multilingual", index_dir=tmp_path / "source")
    build_index(source, embedder=embedder)
    built = build(source.index_dir, 40, tmp_path / "grown", ["Almaty"])
    assert built["passages"] == 40 and search(tmp_path / "grown", ["Almaty"])["latency"]["bm25"]["n"] == 3
    grown = Searcher(open_index(Config(index_dir=tmp_path / "grown"), check_corpus=False), Config(index_dir=tmp_path / "grown"))
    hits = grown.search("Almaty", mode="bm25", k=40)
    copies = [hit for hit in hits if hit.passage.language == "ru"]
    assert copies and all("Алматы" in hit.passage.text for hit in copies)
    assert any("~" in hit.passage.doc_id for hit in copies)  # copies, not only the real passage


def test_peers_run_with_their_own_openmp_default_unless_the_user_set_one():
    import subprocess
    import sys

    probe = "import index.store; from bench.peers.run import peer_environment; print(peer_environment().get('OMP_WAIT_POLICY'))"
    environment = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    ours = subprocess.run([sys.executable, "-c", probe], env=environment, capture_output=True, text=True, check=True)
    users = subprocess.run([sys.executable, "-c", probe], env={**environment, "OMP_WAIT_POLICY": "ACTIVE"},
                           capture_output=True, text=True, check=True)
    assert ours.stdout.strip() == "None" and users.stdout.strip() == "ACTIVE"


def test_the_report_gives_each_grown_size_its_row_and_bolds_the_nprobe_in_use():
    from bench.report import _recall_row, _scale_row

    latency = {m: {"p50_ms": p50, "p95_ms": 2 * p50} for m, p50 in (("hybrid", 16.8), ("dense", 2.0), ("bm25", 9.5))}
    row = {"passages": 1_000_000, "sentences": 9_100_000, "faiss": {"type": "ivf", "nlist": 4000, "codec": "SQ8", "nprobe": 64},
           "latency": latency, "memory_serving_mb": {"rss_mb": 1782, "anon_mb": 1500, "file_mb": 282},
           "documents_and_passages_mb": 258, "disk_mb": {"dense.faiss": 400.4, "sentence_vectors.npy": 6999.8},
           "dense_build_s": 41.0, "bm25_build_s": 7.0,
           "dense_recall": {"flat": {"p50_ms": 159}, "ivf": {"nlist": 4000, "chosen_nprobe": 64, "by_nprobe": [
               {"nprobe": 32, "p50_ms": 1.1, "recall_at_10": 0.96}, {"nprobe": 64, "p50_ms": 1.8, "recall_at_10": 0.987}]}}}
    assert _scale_row(row) == ("| 1,000,000 | 9,100,000 | IVF4000,SQ8 nprobe 64 | 16.8 / 33.6 | 2.0 / 4.0 | 9.5 / 19.0 | "
                               "1782 (1500 + 282) | 258 | 7400 | 41.0, 7.0 |")
    assert _recall_row(row) == "| 1,000,000 | 159 | 4000 | 32: 1.1 ms, 0.96; **64: 1.8 ms, 0.987** |"
