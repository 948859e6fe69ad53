"""The index directory: plain files under a manifest, written atomically, checked on load.

    manifest.json     model, dimension, library versions, corpus checksums, build time, and the
                      size and SHA-256 of every other file (checked on load: index/integrity.py)
    documents.jsonl   one document a line: metadata and canonical text
    passages.jsonl    one passage a line, in the order of the vectors (both read line by line on
                      demand once loaded: index/tables.py)
    dense.faiss       the FAISS index of passage vectors
    sentence_vectors.npy  float16 sentence vectors, and sentences.npy their spans
    bm25/             the bm25s index (.npy arrays and JSON; no pickle)
"""

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
from corpus.paths import REPO_ROOT, display_path
from index.config import Config
from index.dense import EXACT_UP_TO, DenseIndex
from index.embedder import Embedder, reads_titles, resolve_model
from index.errors import DamagedIndexError, IndexNotFoundError, StaleIndexError
from index.integrity import MANIFEST, file_problem, file_records, manifest_problem
from index.lexical import LexicalIndex
from index.publish import build_in_progress, build_lock, prepare_staging, publish, restore_if_possible, write_error
from index.sentences import SentenceIndex, passage_sentences
from index.tables import DocumentTable, PassageTable, open_tables

FORMAT_VERSION = 5  # 2: sentence vectors; 3: read from disk; 4: passage languages, script-aware BM25; 5: file sizes and hashes


@dataclass(frozen=True)
class LoadedIndex:
    directory: Path
    manifest: dict
    documents: DocumentTable
    passages: PassageTable
    dense: DenseIndex
    lexical: LexicalIndex
    sentences: SentenceIndex

    @property
    def model_name(self) -> str:
        return self.manifest["model"]["name"]


@dataclass(frozen=True)
class BuildResult:
    directory: Path
    documents: int
    passages: int
    skipped: tuple[SkippedFile, ...]
    seconds: float
    warnings: tuple[FileWarning, ...] = ()  # files indexed, but not quite as their user may expect


def search_text(passage: Passage) -> str:
    """What the retrievers read: the passage with its line breaks and indentation folded."""
    return " ".join(passage.text.split())


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
    complete, so an interrupted build leaves the previous index as it was (index/publish.py). One
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
                "passage_vectors": _passage_vectors(embedder.name),
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
                manifest["files"] = file_records(staging)  # checked on every load: index/integrity.py
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


def read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    if not path.is_file():
        raise IndexNotFoundError(f"no index at {directory}; build it with `verbatim index`")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DamagedIndexError(directory, f"{MANIFEST} cannot be read: {error.strerror}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DamagedIndexError(directory, f"{MANIFEST} is not JSON: {error}") from error
    if not isinstance(manifest, dict):
        raise DamagedIndexError(directory, f"{MANIFEST} holds no JSON object")
    return manifest


def stale_reason(manifest: dict, config: Config, *, corpus_dir: Path | None = None, check_model: bool = True) -> str | None:
    """Why the index at `config.index_dir` (whose manifest this is) must be rebuilt for the model and
    corpus asked for: it is of an older format, damaged, or built from another model or corpus; None
    if it need not. Asking an index uses the model it was built with (`check_model=False`); building
    decides on the model."""
    if reason := format_reason(manifest):
        return reason
    if damage := damage_reason(config.index_dir, manifest):
        return f"it is damaged ({damage})"
    return _mismatch_reason(manifest, config, corpus_dir=corpus_dir, check_model=check_model)


def _mismatch_reason(manifest: dict, config: Config, *, corpus_dir: Path | None, check_model: bool) -> str | None:
    wanted = resolve_model(config.model).name
    if check_model and manifest["model"]["name"] != wanted:
        return f"it was built with model {manifest['model']['name']!r}, not {wanted!r}"
    if manifest.get("chunking") != asdict(config.chunking):
        return "its passages were cut with other chunking settings"
    corpus_dir = corpus_dir or manifest_corpus_dir(manifest)
    if not corpus_dir.is_dir():
        return f"its corpus folder {corpus_dir} no longer exists"
    return _corpus_changes(manifest["corpus"]["files"], corpus_fingerprint(corpus_dir))


def format_reason(manifest: dict) -> str | None:
    """Why this version cannot read an index of this format, or None."""
    if manifest.get("format") != FORMAT_VERSION:
        return f"it was written in index format {manifest.get('format')}, this version reads {FORMAT_VERSION}"
    model = manifest.get("model")
    name = model.get("name") if isinstance(model, dict) else None
    wanted = _passage_vectors(name) if isinstance(name, str) else None  # no model name: damage_reason says so
    if wanted and manifest.get("passage_vectors", "passage") != wanted:
        return f"its passage vectors were made from {manifest.get('passage_vectors', 'the passage')}, this version uses {wanted}"
    return None


def damage_reason(directory: Path, manifest: dict) -> str | None:
    """What is wrong with an index of the current format: a manifest field, or a file missing, cut or
    changed since its build (index/integrity.py); None if nothing is."""
    return manifest_problem(manifest) or file_problem(directory, manifest["files"])


def _passage_vectors(model: str) -> str:
    """What the manifest says a model's passage vectors are made from."""
    return "title + passage" if reads_titles(model) else "passage"


def manifest_corpus_dir(manifest: dict) -> Path:
    recorded = Path(manifest["corpus"]["dir"])
    return recorded if recorded.is_absolute() else REPO_ROOT / recorded


def open_index(config: Config, *, check_corpus: bool = True) -> LoadedIndex:
    """Load the index at `config.index_dir`, refusing one that is damaged, or stale for `config`."""
    directory = config.index_dir
    restore_if_possible(directory)  # a build killed while swapping folders left the index beside its place
    try:
        manifest = read_manifest(directory)
    except IndexNotFoundError:
        if (pid := build_in_progress(directory)) is not None:
            raise IndexNotFoundError(f"no index at {directory} yet: a build of it is running (pid {pid}); "
                                     "wait for it to finish") from None
        raise
    if reason := format_reason(manifest):
        raise StaleIndexError(f"the index at {directory} is out of date: {reason}; rebuild it with `verbatim index`")
    if damage := damage_reason(directory, manifest):
        raise DamagedIndexError(directory, damage)
    if check_corpus and (reason := _mismatch_reason(manifest, config, corpus_dir=None, check_model=False)):
        raise StaleIndexError(f"the index at {directory} is out of date: {reason}; rebuild it with `verbatim index`")
    try:
        index = _load(directory, manifest)
    # The files are the ones the build wrote (checked above) unless a large file changed outside its
    # sampled blocks, or the build itself went wrong: still one line, never a traceback.
    except (OSError, ValueError, KeyError, TypeError, IndexError, RuntimeError, EOFError) as error:
        raise DamagedIndexError(directory, _brief(error)) from error
    if problem := _inconsistency(index):
        raise DamagedIndexError(directory, problem)
    return index


def _load(directory: Path, manifest: dict) -> LoadedIndex:
    documents, passages = open_tables(directory)
    dense = DenseIndex.load(directory / "dense.faiss")
    lexical = LexicalIndex.load(directory / "bm25", transliterate_names=manifest["lexical"]["transliterate"])
    return LoadedIndex(directory, manifest, documents, passages, dense, lexical, SentenceIndex.load(directory))


def _brief(error: Exception) -> str:
    first = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first[:200]}" if first else type(error).__name__


def _inconsistency(index: LoadedIndex) -> str | None:
    """Parts of one index that cannot belong together (counts, vector dimensions)."""
    counts = index.manifest["counts"]
    if len(index.documents) != counts["documents"]:
        return f"documents.jsonl holds {len(index.documents)} documents, its manifest counts {counts['documents']}"
    if not len(index.passages) == index.dense.size == counts["passages"]:
        return (f"passages.jsonl holds {len(index.passages)} passages and dense.faiss {index.dense.size} vectors, "
                f"its manifest counts {counts['passages']}")
    if len(index.sentences.spans) != counts["sentences"]:
        return f"sentences.npy holds {len(index.sentences.spans)} sentences, its manifest counts {counts['sentences']}"
    if index.dense.dimension != (dimension := index.manifest["model"]["dimension"]):
        return f"dense.faiss holds vectors of {index.dense.dimension} dimensions, its model makes {dimension}"
    return None


def _corpus_changes(built: dict[str, str], now: dict[str, str]) -> str | None:
    changed = sorted(p for p in built.keys() & now.keys() if built[p] != now[p])
    added = sorted(now.keys() - built.keys())
    removed = sorted(built.keys() - now.keys())
    parts = [
        f"{label} {', '.join(paths[:3])}{' …' if len(paths) > 3 else ''}"
        for label, paths in (("changed", changed), ("added", added), ("removed", removed))
        if paths
    ]
    return f"the corpus changed since it was built ({'; '.join(parts)})" if parts else None


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


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
