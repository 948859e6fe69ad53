"""A corpus folder: report files plus an optional `manifest.toml` describing them."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from corpus.documents import Document
from corpus.errors import CorpusError, LoadError
from corpus.language import detect_language
from corpus.loaders import SUPPORTED_SUFFIXES, load_file
from corpus.paths import REPO_ROOT, display_path

MANIFEST_NAME = "manifest.toml"
_FIELDS = ("doc_id", "path", "title", "publisher", "date", "url", "language")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(frozen=True)
class Corpus:
    directory: Path
    documents: tuple[Document, ...]
    skipped: tuple[SkippedFile, ...]

    def document(self, doc_id: str) -> Document:
        for document in self.documents:
            if document.doc_id == doc_id:
                return document
        raise CorpusError(f"unknown document {doc_id!r}")


def load_corpus(directory: Path, *, root: Path = REPO_ROOT) -> Corpus:
    """Load every supported file below `directory`; unreadable files are skipped, not fatal."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(f"corpus folder {directory} does not exist; pass --corpus DIR")
    entries = _read_manifest(directory)
    by_path = {(directory / entry["path"]).resolve(): entry for entry in entries}

    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    used_ids: set[str] = set()
    for path in _corpus_files(directory):
        entry = by_path.pop(path.resolve(), None)
        try:
            loaded = load_file(path)
        except LoadError as error:
            skipped.append(SkippedFile(display_path(path, root), str(error)))
            continue
        doc_id = entry["doc_id"] if entry else _unique_slug(path.stem, used_ids)
        used_ids.add(doc_id)
        documents.append(
            Document(
                doc_id=doc_id,
                title=(entry or {}).get("title") or loaded.title or path.stem,
                publisher=(entry or {}).get("publisher", ""),
                date=(entry or {}).get("date", ""),
                url=(entry or {}).get("url", ""),
                # The manifest's word, else the language most of the text is in.
                language=(entry or {}).get("language") or detect_language(loaded.text[:20_000]),
                path=display_path(path, root),
                sha256=loaded.sha256,
                text=loaded.text,
                page_starts=loaded.page_starts,
            )
        )
    for missing, entry in by_path.items():
        skipped.append(
            SkippedFile(display_path(missing, root), f"listed in {MANIFEST_NAME} as {entry['doc_id']!r} but missing")
        )
    return Corpus(directory=directory, documents=tuple(documents), skipped=tuple(skipped))


def corpus_fingerprint(directory: Path) -> dict[str, str]:
    """SHA-256 of every file that shapes the index (reports and manifest), by relative path."""
    directory = Path(directory)
    files = list(_corpus_files(directory))
    if (directory / MANIFEST_NAME).is_file():
        files.append(directory / MANIFEST_NAME)
    return {
        path.relative_to(directory).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(files)
    }


def _corpus_files(directory: Path) -> list[Path]:
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file()
        and path.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(directory).parts)
    )


def _read_manifest(directory: Path) -> list[dict[str, str]]:
    manifest = directory / MANIFEST_NAME
    if not manifest.is_file():
        return []
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CorpusError(f"{manifest}: not valid TOML ({error}); fix the file") from error
    entries = data.get("document", [])
    if not isinstance(entries, list):
        raise CorpusError(f"{manifest}: write each report as a [[document]] table")
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{manifest}: [[document]] number {number}"
        for field in ("doc_id", "path"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                raise CorpusError(f"{where} needs a {field!r}")
        unknown = set(entry) - set(_FIELDS)
        if unknown:
            raise CorpusError(f"{where} has unknown fields {sorted(unknown)}; use {', '.join(_FIELDS)}")
        if entry["doc_id"] in seen:
            raise CorpusError(f"{where} repeats doc_id {entry['doc_id']!r}; doc_ids must be unique")
        seen.add(entry["doc_id"])
        if entry.get("date") and not _DATE.match(entry["date"]):
            raise CorpusError(f"{where} has date {entry['date']!r}; write YYYY, YYYY-MM or YYYY-MM-DD")
    return entries


def _unique_slug(stem: str, used: set[str]) -> str:
    slug = re.sub(r"[^\w]+", "-", stem.lower()).strip("-") or "document"
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
