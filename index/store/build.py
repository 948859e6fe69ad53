"""Building an index directory: a corpus chunked, embedded and indexed into a staging folder that
replaces the old index only when complete (index/store/publish.py); the manifest is written last."""

from __future__ import annotations

import json
import platform
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from corpus import Document, FileWarning, Passage, SkippedFile, chunk_corpus, corpus_fingerprint, load_corpus
from corpus.errors import CorpusError
from corpus.paths import display_path
from corpus.reading import reading_text
from index.config import Config
from index.models import Embedder, reads_titles
from index.store.dense import EXACT_UP_TO, DenseIndex
from index.store.integrity import MANIFEST, file_records
from index.store.lexical import LexicalIndex
from index.store.load import FORMAT_VERSION, passage_vectors_made_of
from index.store.publish import build_lock, prepare_staging, publish, write_error
from index.store.sentences import SentenceIndex, passage_sentences


@dataclass(frozen=True)
class BuildResult:
    directory: Path
    documents: int
    passages: int
    skipped: tuple[SkippedFile, ...]
    seconds: float
    warnings: tuple[FileWarning, ...] = ()  # files indexed, but not quite as their user may expect

def search_text(passage: Passage) -> str:
    """What the retrievers read: the passage with its line breaks and indentation folded, and words
    broken at line ends joined (corpus/reading.py); quotes and offsets stay the canonical text."""
    return reading_text(passage.text)

def titled_text(passage: Passage, document: Document) -> str:
    """The document's title, then the passage: what a passage's vector is made from for a model
    that reads titles (`reads_titles`). A passage rarely restates what its report is about ("as
    many as 1,000 people were detained in Nur-Sultan" never says "after the presidential
    election"; the title does). BM25 and the sentences read the passage alone, and quotes and
    offsets never include the title."""
    text, title = search_text(passage), " ".join(document.title.split())
    if not title or text.startswith(title):  # a BEIR passage already starts with its title
        return text
    return f"{title}. {text}"

def build_index(
    config: Config,
    *,
    embedder: Embedder | None = None,
    on_corpus: Callable[[int, tuple[SkippedFile, ...], tuple[FileWarning, ...]], None] | None = None,
    progress: Callable[[int], None] | None = None,
    on_wait: Callable[[int | None], None] | None = None,
) -> BuildResult:
    """Build the index of `config.corpus_dir` into `config.index_dir`.

    `on_corpus` hears how many texts (passages and their sentences) will be embedded and which
    files were skipped or need a warning, before embedding starts; `progress` hears how many texts
    each batch held; `on_wait`, the pid of another build of the same folder that this one waits for.
    """
    started = time.perf_counter()
    fingerprint = corpus_fingerprint(config.corpus_dir) if config.corpus_dir.is_dir() else {}
    corpus = load_corpus(config.corpus_dir)
    if not corpus.documents:
        raise CorpusError(
            f"no readable reports in {config.corpus_dir}; add .txt, .md, .html or .pdf files"
        )
    passages, warnings = chunk_corpus(corpus, config.chunking)
    write_index(
        config.index_dir,
        corpus.documents,
        passages,
        embedder=embedder or Embedder(config.model, config.batch_size),
        on_start=(lambda texts: on_corpus(texts, corpus.skipped, warnings)) if on_corpus else None,
        progress=progress,
        on_wait=on_wait,
        transliterate=config.transliterate,
        extra={
            "corpus": {"dir": display_path(config.corpus_dir), "files": fingerprint},
            "chunking": asdict(config.chunking),
            "skipped": [asdict(s) for s in corpus.skipped],
            "warnings": [asdict(w) for w in warnings],
        },
    )
    return BuildResult(
        config.index_dir, len(corpus.documents), len(passages), corpus.skipped, time.perf_counter() - started, warnings
    )

def write_index(
    target: Path,
    documents: list[Document],
    passages: list[Passage],
    *,
    embedder: Embedder,
    on_start: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    on_wait: Callable[[int | None], None] | None = None,
    extra: dict,
    transliterate: bool = True,
) -> None:
    """Embed and index `passages` and their sentences into `target`; `extra` goes into the manifest.

    Everything is written to a temporary sibling folder that replaces the old index only when
    complete, so an interrupted build leaves the previous index as it was (index/store/publish.py). One
    build of a folder runs at a time: `on_wait` hears the pid of the build this one waits for.
    A disk that is full, read-only or not ours is an IndexWriteError, before embedding when it can be told.
    """
    by_id = {d.doc_id: d for d in documents}
    texts = [search_text(p) for p in passages]
    sentence_rows = passage_sentences(by_id, passages)
    sentences = [" ".join(by_id[passages[p].doc_id].text[a:b].split()) for p, a, b in sentence_rows]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise write_error(target, error) from error
    with build_lock(target, on_wait=on_wait):
        # The staging folder exists for the whole build, embedding included: it marks a build in progress.
        staging = prepare_staging(target, _needed_bytes(documents, passages, len(sentences), embedder.dimension))
        started = time.perf_counter()
        try:
            if on_start:
                on_start(len(texts) + len(sentences))
            titled = reads_titles(embedder.name)
            vectors = embedder.encode_documents(
                [titled_text(p, by_id[p.doc_id]) for p in passages] if titled else texts, progress
            )
            sentence_vectors = embedder.encode_documents(sentences, progress)
            dense = DenseIndex.build(vectors)
            languages = [p.language for p in passages]
            lexical = LexicalIndex.build(texts, languages, transliterate_names=transliterate)
            manifest = {
                "format": FORMAT_VERSION,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "model": {"name": embedder.name, "dimension": embedder.dimension, "runtime": getattr(embedder, "runtime", None)},
                "faiss": {"passages": dense.kind},
                "passage_vectors": passage_vectors_made_of(embedder.name),
                "sentence_vectors": "float16, rescoring candidates only",
                "lexical": {"analyzer": "english", "transliterate": transliterate},
                "languages": dict(sorted(Counter(languages).items())),
                "versions": _versions(),
                **extra,
                "counts": {"documents": len(documents), "passages": len(passages), "sentences": len(sentences)},
                "build_seconds": round(time.perf_counter() - started, 1),  # embedding and indexing, model load excluded
            }
            try:
                dense.save(staging / "dense.faiss")
                SentenceIndex.build(sentence_vectors, sentence_rows).save(staging)
                (staging / "bm25").mkdir()
                lexical.save(staging / "bm25")
                _write_jsonl(staging / "documents.jsonl", [{**d.metadata(), "text": d.text} for d in documents])
                _write_jsonl(staging / "passages.jsonl", [p.to_dict() for p in passages])
                manifest["files"] = file_records(staging)  # checked on every load: index/store/integrity.py
                # The manifest is written last: a folder without one is never a usable index.
                (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
                publish(staging, target)
            except OSError as error:  # the disk filled up, or went away, while writing
                raise write_error(target, error) from error
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

def _needed_bytes(documents: list[Document], passages: list[Passage], sentences: int, dimension: int) -> int:
    """Less than the index will take on disk: its vectors and its texts, once each (BM25 and the JSON
    around the texts not counted), so that a build refused for want of space could never have fitted."""
    vector = dimension * (4 if len(passages) <= EXACT_UP_TO else 1)
    texts = sum(len(d.text) for d in documents) + sum(p.end - p.start for p in passages)
    return len(passages) * vector + sentences * (2 * dimension + 24) + texts

def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("verbatim", "sentence-transformers", "torch", "onnxruntime", "faiss-cpu", "bm25s", "numpy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = ""
    return versions

def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
