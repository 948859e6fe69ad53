"""A corpus folder: report files plus an optional `manifest.toml` describing them."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from corpus.chunking import Mapper, in_turn
from corpus.documents import Document
from corpus.errors import CorpusError, LoadError
from corpus.files import read_regular_file, real_path, refusal
from corpus.languages import detect_language
from corpus.loaders import SUPPORTED_SUFFIXES, LoadedText, load_file
from corpus.manifest import MANIFEST_NAME, MAX_ID_CHARS, ManifestEntry, read_manifest
from corpus.notices import FileWarning
from corpus.paths import PACKAGE_ROOT, display_path
from corpus.places import SUBJECT_OPENING, subject_countries
from corpus.years import years_about


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(frozen=True)
class Corpus:
    directory: Path
    documents: tuple[Document, ...]
    skipped: tuple[SkippedFile, ...]
    warnings: tuple[FileWarning, ...] = ()  # files indexed, but not quite as their user may expect
    unsupported: tuple[SkippedFile, ...] = ()  # files of a type no loader reads (.doc, .xlsx, .zip …), never opened

    def document(self, doc_id: str) -> Document:
        for document in self.documents:
            if document.doc_id == doc_id:
                return document
        raise CorpusError(f"unknown document {doc_id!r}")


def load_corpus(directory: Path, *, root: Path = PACKAGE_ROOT, mapper: Mapper | None = None) -> Corpus:
    """Load every supported file below `directory`; unreadable files are skipped, not fatal.
    `mapper` (function, items) → results, in order, may read the files side by side (a Ray
    cluster: index/cluster/build.py); by default they are read one after another."""
    directory = Path(directory)
    if not directory.is_dir():
        raise CorpusError(f"corpus folder {directory} does not exist; give the folder of reports")
    entries = read_manifest(directory)
    by_path = {_key(directory / entry.path): entry for entry in entries}
    files, skipped = _corpus_files(directory, root)
    unsupported = tuple(_unsupported_files(directory, root))
    # Every doc_id the manifest gives is reserved before any file is named after itself, so a
    # manifest entry can never share its id with an unlisted file (whose quotes would then be
    # credited to the other report). The unlisted file is the one renamed: its id was only derived
    # from its name, while the manifest's is the user's own word, perhaps already cited elsewhere;
    # refusing the whole build over a name the user never chose would help nobody.
    owners = {entry.doc_id: f"{MANIFEST_NAME} gives that id to {entry.path}" for entry in entries}

    documents: list[Document] = []
    warnings: list[FileWarning] = []
    for path, loaded in zip(files, (mapper or in_turn)(load_or_error, files), strict=True):
        entry = by_path.pop(_key(path), None)
        if isinstance(loaded, LoadError):
            skipped.append(SkippedFile(display_path(path, root), str(loaded)))
            continue
        shown = display_path(path, root)
        unread_date = (loaded.date_warning,) if loaded.date_warning and not (entry and entry.date) else ()
        warnings.extend(FileWarning(shown, message) for message in (*unread_date, *loaded.warnings))
        doc_id = entry.doc_id if entry else _name_after_file(path, shown, owners, warnings)
        # The manifest's word, else what the file itself says (corpus/titles.py for plain text).
        title = (entry.title if entry else "") or loaded.title or path.stem
        metadata = _file_metadata(entry, loaded)
        documents.append(
            Document(
                doc_id=doc_id,
                title=title,
                **metadata,
                # The manifest's word, else the language most of the text is in.
                language=(entry.language if entry else "") or detect_language(loaded.text[:20_000]),
                path=shown,
                sha256=loaded.sha256,
                text=loaded.text,
                page_starts=loaded.page_starts,
                encoding=loaded.encoding,
                ocr_pages=loaded.ocr_pages,
                countries=subject_countries(title, loaded.text[:SUBJECT_OPENING]),
                years=years_about(metadata["date"], title, loaded.text),
            )
        )
    for missing, entry in by_path.items():
        skipped.append(
            SkippedFile(display_path(Path(missing), root), f"listed in {MANIFEST_NAME} as {entry.doc_id!r} but missing")
        )
    return Corpus(directory=directory, documents=tuple(documents), skipped=tuple(skipped), warnings=tuple(warnings),
                  unsupported=unsupported)


def load_or_error(path: Path) -> LoadedText | LoadError:
    """The file loaded, or the LoadError that says why it cannot be (returned: a mapper gathers it)."""
    try:
        return load_file(path)
    except LoadError as error:
        return error


def _file_metadata(entry: ManifestEntry | None, loaded: LoadedText) -> dict[str, str]:
    """Publisher, date and url: the manifest's word, else what the file says (and then where it said the date)."""
    publisher, date, url = (entry.publisher, entry.date, entry.url) if entry else ("", "", "")
    return {
        "publisher": publisher or loaded.publisher,
        "date": date or loaded.date,
        "date_source": "" if date else loaded.date_source,
        "url": url or loaded.url,
    }


def _name_after_file(path: Path, shown: str, owners: dict[str, str], warnings: list[FileWarning]) -> str:
    """A doc_id from the file's name that no other document holds (`owners`: id → who holds it)."""
    slug = _slug(path.stem)
    doc_id = _unique(slug, owners)
    if doc_id != slug:
        warnings.append(FileWarning(shown, (
            f"its name would make its doc_id {slug!r}, but {owners[slug]}; it is indexed as {doc_id!r} "
            f"(give it a [[document]] entry in {MANIFEST_NAME} to choose its doc_id)")))
    owners[doc_id] = f"{shown} has that id already"
    return doc_id


def corpus_fingerprint(directory: Path) -> dict[str, str]:
    """SHA-256 of every file that shapes the index (reports and manifest), by relative path.

    Only files a build would read are read here: never a link out of the corpus, a device or a pipe."""
    directory = Path(directory)
    files, _ = _corpus_files(directory, PACKAGE_ROOT)
    manifest = directory / MANIFEST_NAME
    if (manifest.is_symlink() or manifest.exists()) and refusal(manifest, directory) is None:
        files.append(manifest)
    fingerprint: dict[str, str] = {}
    for path in sorted(files):
        try:
            fingerprint[path.relative_to(directory).as_posix()] = hashlib.sha256(read_regular_file(path)).hexdigest()
        except LoadError:
            continue  # unreadable now: the build skips it too
    return fingerprint


def _corpus_files(directory: Path, root: Path) -> tuple[list[Path], list[SkippedFile]]:
    """The report files below `directory` that may be read, and those that may not, with the reason.

    Hidden files and folders are left out. A linked folder is never walked: one that leads out of
    the corpus would pull other files in, and one that leads inside it would list its files twice.
    """
    candidates: list[Path] = []
    skipped: list[SkippedFile] = []
    for folder, subfolders, names in os.walk(directory):
        here = Path(folder)
        walked = []
        for name in sorted(subfolders):
            sub = here / name
            if name.startswith("."):
                continue
            if sub.is_symlink():
                if not real_path(sub).is_relative_to(real_path(directory)):
                    skipped.append(SkippedFile(display_path(sub, root), (
                        f"{sub}: is a link to the folder {real_path(sub)}, outside the corpus folder {directory}; "
                        "copy its reports into the corpus folder to index them")))
                continue
            walked.append(name)
        subfolders[:] = walked
        candidates.extend(
            here / name for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES
        )
    candidates.sort()
    plain = {real_path(path) for path in candidates if not path.is_symlink()}
    files: list[Path] = []
    for path in candidates:
        if reason := refusal(path, directory):
            skipped.append(SkippedFile(display_path(path, root), reason))
        elif path.is_symlink() and real_path(path) in plain:
            skipped.append(SkippedFile(display_path(path, root), (
                f"{path}: is a link to {real_path(path)}, which is indexed under its own name already")))
        else:
            files.append(path)
    return files, skipped


def _unsupported_files(directory: Path, root: Path) -> list[SkippedFile]:
    """The files below `directory` that no loader reads, each with its reason: listed, never opened.
    Hidden files and folders, linked folders and the corpus's own manifest are left out, as the walk
    for reports leaves them out."""
    found: list[SkippedFile] = []
    for folder, subfolders, names in os.walk(directory):
        here = Path(folder)
        subfolders[:] = sorted(n for n in subfolders if not n.startswith(".") and not (here / n).is_symlink())
        for name in sorted(names):
            path = here / name
            suffix = path.suffix.lower()
            if name.startswith(".") or suffix in SUPPORTED_SUFFIXES or path == directory / MANIFEST_NAME:
                continue
            kind = f"({suffix})" if suffix else "(no file name suffix)"
            found.append(SkippedFile(display_path(path, root), f"{path}: not a supported type {kind}"))
    return found


def _key(path: Path) -> str:
    """A file's name as the manifest gives it, links not followed: a link is a file of its own here."""
    return os.path.abspath(path)


def _slug(stem: str) -> str:
    return re.sub(r"[^\w]+", "-", stem.lower()).strip("-")[:MAX_ID_CHARS].strip("-") or "document"


def _unique(slug: str, used: dict[str, str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
