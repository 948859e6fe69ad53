"""An index's manifest.json as a typed object: what a build records and every load checks.

`IndexManifest.from_dict` is the only reader of its keys: a field missing or of the wrong type is a
`ManifestProblem` naming it, and an index of another format is told apart before any field is read
(`format_reason`: such an index is rebuilt, never migrated field by field, since its parts were
made by other code). Nothing outside index/store reads the JSON.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT_VERSION = 10  # 2: sentence vectors; 3: read from disk; 4: passage languages, script-aware BM25; 5: file sizes
# and hashes; 6: each document's countries and years, BM25 over title, section and passage; 7: a typed manifest,
# passage ids, settings saved by each part, int8 vectors made one text a run (the embedding cache's premise);
# 8: quotable sentences (never a heading, a bullet or across paragraphs: corpus/quotable.py), with their paragraph;
# 9: no sentence ends after a dotted abbreviation ("headed by H.E. Mr. …": corpus/sentences.py); 10: territories
# and breakaway regions are countries of their own (Cook Islands, Somaliland: corpus/places.py)
MANIFEST = "manifest.json"


class ManifestProblem(ValueError):
    """A field the code reads is missing or of the wrong type."""


@dataclass(frozen=True)
class ModelFacts:
    name: str
    dimension: int
    runtime: str | None = None


@dataclass(frozen=True)
class CorpusFacts:
    dir: str  # as corpus.paths.display_path gave it: relative to the package, or absolute
    files: dict[str, str]  # relative path → SHA-256: what the index was built from


@dataclass(frozen=True)
class Counts:
    documents: int
    passages: int
    sentences: int


@dataclass(frozen=True)
class IndexManifest:
    model: ModelFacts
    counts: Counts
    transliterate: bool  # whether BM25 also holds Cyrillic words in Latin letters
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # relative path → size and hash (integrity.py)
    format: int = FORMAT_VERSION
    built_at: str = ""
    corpus: CorpusFacts | None = None  # None for a BEIR collection
    beir: dict[str, str] | None = None  # a BEIR collection's name and corpus checksum
    chunking: dict[str, Any] | None = None
    passage_vectors: str = "passage"  # what a passage's vector was made from ("title + passage")
    languages: dict[str, int] = field(default_factory=dict)  # passages per language
    versions: dict[str, str] = field(default_factory=dict)
    build_seconds: float | None = None
    embedding: dict[str, int] = field(default_factory=dict)  # texts embedded and reused by the build
    faiss: dict[str, Any] = field(default_factory=dict)  # what the dense part is (its file says it again)
    skipped: tuple[dict[str, str], ...] = ()  # files the build could not read, with why
    warnings: tuple[dict[str, str], ...] = ()
    unsupported: tuple[dict[str, str], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # what a special build adds (the benchmark's "grown")

    @property
    def corpus_files(self) -> dict[str, str]:
        return self.corpus.files if self.corpus else {}

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": self.format,
            "built_at": self.built_at,
            "model": {"name": self.model.name, "dimension": self.model.dimension, "runtime": self.model.runtime},
            "passage_vectors": self.passage_vectors,
            "sentence_vectors": "float16, rescoring candidates only",
            "lexical": {"analyzer": "english", "transliterate": self.transliterate},
            "languages": dict(sorted(self.languages.items())),
            "versions": self.versions,
        }
        if self.corpus is not None:
            data["corpus"] = {"dir": self.corpus.dir, "files": self.corpus.files}
        for name in ("beir", "chunking"):
            if (value := getattr(self, name)) is not None:
                data[name] = value
        data.update({"skipped": list(self.skipped), "warnings": list(self.warnings), "unsupported": list(self.unsupported)})
        data.update(self.extra)
        data["counts"] = {"documents": self.counts.documents, "passages": self.counts.passages,
                          "sentences": self.counts.sentences}
        data["embedding"] = self.embedding
        data["faiss"] = self.faiss
        data["build_seconds"] = self.build_seconds
        data["files"] = self.files
        return data

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IndexManifest:
        """The manifest of an index of the current format (check `format_reason` first)."""
        beir = _optional(data, "beir", dict)
        corpus = None
        if beir is None:  # a BEIR collection has no corpus folder
            corpus = CorpusFacts(_field(data, "corpus.dir", str), _field(data, "corpus.files", dict))
        known = {"format", "built_at", "model", "passage_vectors", "sentence_vectors", "lexical", "languages", "versions",
                 "corpus", "beir", "chunking", "skipped", "warnings", "unsupported", "counts", "embedding",
                 "build_seconds", "files", "faiss"}
        return cls(
            model=ModelFacts(_field(data, "model.name", str), _field(data, "model.dimension", int),
                             _optional(data.get("model") or {}, "runtime", str)),
            counts=Counts(_field(data, "counts.documents", int), _field(data, "counts.passages", int),
                          _field(data, "counts.sentences", int)),
            transliterate=_field(data, "lexical.transliterate", bool),
            files=_field(data, "files", dict),
            format=_field(data, "format", int),
            built_at=_optional(data, "built_at", str) or "",
            corpus=corpus,
            beir=beir,
            chunking=_optional(data, "chunking", dict),
            passage_vectors=_optional(data, "passage_vectors", str) or "passage",
            languages=_optional(data, "languages", dict) or {},
            versions=_optional(data, "versions", dict) or {},
            build_seconds=_optional(data, "build_seconds", (int, float)),
            embedding=_optional(data, "embedding", dict) or {},
            faiss=_optional(data, "faiss", dict) or {},
            skipped=tuple(_optional(data, "skipped", list) or ()),
            warnings=tuple(_optional(data, "warnings", list) or ()),
            unsupported=tuple(_optional(data, "unsupported", list) or ()),
            extra={key: value for key, value in data.items() if key not in known},
        )


def new_manifest(**fields: Any) -> IndexManifest:
    """A manifest for a build finishing now."""
    return IndexManifest(built_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **fields)


def format_of(data: object) -> object:
    return data.get("format") if isinstance(data, dict) else None


def _field(data: dict[str, Any], dotted: str, kind: type) -> Any:
    value: object = data
    keys = dotted.split(".")
    for depth, key in enumerate(keys, 1):
        value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            raise ManifestProblem(f"its manifest lacks {'.'.join(keys[:depth])!r}")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ManifestProblem(f"its manifest's {dotted!r} is not a {kind.__name__}")
    return value


def _optional(data: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        shown = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ManifestProblem(f"its manifest's {name!r} is not a {shown}")
    return value
