"""Building an index directory: a corpus chunked, embedded and indexed into a staging folder that
replaces the old index only when complete (index/store/publish.py); the manifest is written last."""

from __future__ import annotations

import platform
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from corpus import Document, FileWarning, Passage, SkippedFile, chunk_corpus, corpus_fingerprint, load_corpus
from corpus.chunking import Mapper
from corpus.errors import CorpusError
from corpus.paths import display_path
from index.config import Config
from index.models import Embedder
from index.store.components import Components, DocumentEncoder, EmbeddedComponents, Parts
from index.store.embedding_cache import CHUNK, CachedEncoder, EmbeddingCache
from index.store.integrity import file_records
from index.store.load import passage_vectors_made_of
from index.store.manifest import CorpusFacts, Counts, new_manifest
from index.store.publish import build_lock, prepare_staging, publish, write_error
from index.store.report import REPORT_JSON, REPORT_MARKDOWN, IngestReport, ingest_report, report_markdown


@dataclass(frozen=True)
class BuildResult:
    directory: Path
    documents: int
    passages: int
    skipped: tuple[SkippedFile, ...]
    seconds: float
    warnings: tuple[FileWarning, ...] = ()  # files indexed, but not quite as their user may expect
    report: IngestReport | None = None  # also written into the index folder (ingest.json, ingest.md)
    embedded: int = 0  # texts embedded by this build
    reused: int = 0  # texts whose vectors came from the embedding cache (or repeated a text of this build)

def build_index(
    config: Config,
    *,
    embedder: Embedder | DocumentEncoder | None = None,
    mapper: Mapper | None = None,
    on_corpus: Callable[[int, tuple[SkippedFile, ...], tuple[FileWarning, ...]], None] | None = None,
    progress: Callable[[int], None] | None = None,
    on_wait: Callable[[int | None], None] | None = None,
) -> BuildResult:
    """Build the index of `config.corpus_dir` into `config.index_dir`.

    `on_corpus` hears how many texts (passages and their sentences) will be embedded and which
    files were skipped or need a warning, before embedding starts; `progress` hears how many texts
    each batch held; `on_wait`, the pid of another build of the same folder that this one waits for.
    `mapper` (function, items) → results, in order, reads and cuts the files side by side, and
    `embedder` may embed on other machines: a build on a Ray cluster (index/cluster/build.py) is this
    build with both.
    """
    started = time.perf_counter()
    fingerprint = corpus_fingerprint(config.corpus_dir) if config.corpus_dir.is_dir() else {}
    corpus = load_corpus(config.corpus_dir, mapper=mapper)
    if not corpus.documents:
        raise CorpusError(
            f"no readable reports in {config.corpus_dir}; add .txt, .md, .html or .pdf files"
        )
    passages, warnings = chunk_corpus(corpus, config.chunking, mapper=mapper)
    report = ingest_report(corpus, passages)
    counts = write_index(
        config.index_dir,
        corpus.documents,
        passages,
        embedder=embedder or Embedder(config.model, config.batch_size),
        on_start=(lambda texts: on_corpus(texts, corpus.skipped, warnings)) if on_corpus else None,
        progress=progress,
        on_wait=on_wait,
        transliterate=config.transliterate,
        about={
            "corpus": CorpusFacts(display_path(config.corpus_dir), fingerprint),
            "chunking": asdict(config.chunking),
            "skipped": tuple(asdict(s) for s in corpus.skipped),
            "warnings": tuple(asdict(w) for w in warnings),
            "unsupported": tuple(asdict(s) for s in corpus.unsupported),
        },
        files={REPORT_JSON: report.to_json(), REPORT_MARKDOWN: report_markdown(report)},
        cache=config.cache_root(),
    )
    return BuildResult(
        config.index_dir, len(corpus.documents), len(passages), corpus.skipped, time.perf_counter() - started, warnings,
        report, counts.embedded, counts.reused,
    )


@dataclass(frozen=True)
class EmbeddingCounts:
    embedded: int  # texts this build embedded
    reused: int  # texts whose vectors it found in the cache, or embedded earlier in the same build

def write_index(
    target: Path,
    documents: Sequence[Document],
    passages: Sequence[Passage],
    *,
    embedder: Embedder | DocumentEncoder,
    on_start: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    on_wait: Callable[[int | None], None] | None = None,
    about: dict[str, Any],
    transliterate: bool = True,
    files: dict[str, str] | None = None,
    cache: Path | None = None,
) -> EmbeddingCounts:
    """Embed and index `passages` and their sentences into `target`; `about` holds the manifest's
    fields that say what they are (IndexManifest's: corpus, chunking, beir …).
    The store's builder (`write_components`) with the embedding components (index/store/components.py).

    Vectors come from the embedding cache below `cache` (index/store/embedding_cache.py) where it
    holds them, and what is embedded goes into it as embedding proceeds: a build killed half-way
    resumes from there. None: no cache (an encoder without an `identity`, a test's stand-in, never has one)."""
    identity = getattr(embedder, "identity", None)
    # An encoder that embeds many texts side by side (a cluster's) asks for more texts between two appends.
    chunk = getattr(embedder, "cache_chunk", CHUNK)
    cached = CachedEncoder(embedder, EmbeddingCache.for_model(identity, embedder.dimension, cache), chunk) \
        if cache is not None and identity else None
    components = EmbeddedComponents(list(documents), list(passages), cached or embedder, transliterate)
    try:
        write_components(target, components, about=about, on_start=on_start, progress=progress, on_wait=on_wait,
                         files=files)
    finally:
        if cached:
            cached.close()
    if cached:
        return EmbeddingCounts(cached.embedded, cached.reused)
    plan = components.plan()
    return EmbeddingCounts(plan.texts, 0)

def write_components(
    target: Path,
    components: Components,
    *,
    about: dict[str, Any],
    on_start: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    on_wait: Callable[[int | None], None] | None = None,
    files: dict[str, str] | None = None,
) -> None:
    """Write the index that `components` make into `target`; `about` holds the manifest's fields
    that say what the index is of (IndexManifest's corpus, chunking, beir, extra …).

    Everything is written to a temporary sibling folder that replaces the old index only when
    complete, so an interrupted build leaves the previous index as it was (index/store/publish.py). One
    build of a folder runs at a time: `on_wait` hears the pid of the build this one waits for.
    A disk that is full, read-only or not ours is an IndexWriteError, before embedding when it can be told.
    `files` (name → text) are written beside the parts, and recorded in the manifest like them.
    """
    plan = components.plan()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise write_error(target, error) from error
    with build_lock(target, on_wait=on_wait):
        # The staging folder exists for the whole build, embedding included: it marks a build in progress.
        staging = prepare_staging(target, plan.needed_bytes)
        started = time.perf_counter()
        try:
            if on_start:
                on_start(plan.texts)
            parts = components.make(progress)
            try:
                _save(parts, staging)
                for name, text in (files or {}).items():
                    (staging / name).write_text(text, encoding="utf-8")
                manifest = new_manifest(
                    model=plan.model,
                    counts=Counts(plan.documents, plan.passages, plan.sentences),
                    transliterate=plan.transliterate,
                    files=file_records(staging),  # checked on every load: index/store/integrity.py
                    passage_vectors=passage_vectors_made_of(plan.model.name),
                    languages=plan.languages,
                    versions=_versions(),
                    build_seconds=round(time.perf_counter() - started, 1),  # embedding and indexing, model load excluded
                    embedding=dict(parts.embedding),
                    faiss={"passages": parts.dense.kind},
                    **about,
                )
                # The manifest is written last: a folder without one is never a usable index.
                manifest.write(staging)
                publish(staging, target)
            except OSError as error:  # the disk filled up, or went away, while writing
                raise write_error(target, error) from error
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

def _save(parts: Parts, staging: Path) -> None:
    parts.dense.save(staging / "dense.faiss")
    parts.sentences.save(staging)
    (staging / "bm25").mkdir()
    parts.lexical.save(staging / "bm25")
    parts.tables.save(staging)

def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("verbatim", "sentence-transformers", "torch", "onnxruntime", "faiss-cpu", "bm25s", "numpy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = ""
    return versions
