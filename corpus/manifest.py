"""`manifest.toml`: what a corpus's files do not say about themselves (doc_id, title, publisher, date...).

Every field is checked when the corpus is loaded, before anything is embedded, so a bad value is one
line naming the manifest, the entry and the field, never a crash half-way or an index that cannot
be read afterwards.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import urlsplit

from corpus.errors import CorpusError, LoadError
from corpus.files import read_regular_file, refusal
from corpus.languages import find_language, language_codes
from corpus.loaders import SUPPORTED_SUFFIXES
from corpus.ocr import languages_problem

MANIFEST_NAME = "manifest.toml"
FIELDS = ("doc_id", "path", "title", "publisher", "date", "url", "language", "ocr_languages")
MAX_ID_CHARS = 200  # an id is typed, linked and printed; a longer one is a mistake, not a name
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Line breaks, escape sequences and the like: every field is one line of plain text.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class ManifestEntry:
    number: int  # 1-based, in the order of the file
    doc_id: str
    path: str  # relative to the corpus folder, normalised ("notes/a.md")
    title: str = ""
    publisher: str = ""
    date: str = ""  # "YYYY", "YYYY-MM" or "YYYY-MM-DD", a real calendar date
    url: str = ""
    language: str = ""  # a registered language's code (corpus/languages), or "" to detect it
    ocr_languages: str = ""  # Tesseract's, in order ("eng+rus+kaz"), or "" for the default (corpus/ocr.py)


def read_manifest(directory: Path) -> list[ManifestEntry]:
    """The entries of `directory`'s manifest (none without one); raises CorpusError on any bad field."""
    manifest = directory / MANIFEST_NAME
    if not manifest.is_symlink() and not manifest.exists():
        return []
    if reason := refusal(manifest, directory):
        raise CorpusError(reason)
    try:
        data = tomllib.loads(read_regular_file(manifest).decode("utf-8"))
    except LoadError as error:
        raise CorpusError(str(error)) from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CorpusError(f"{manifest}: not valid TOML ({error}); fix the file") from error
    tables = data.get("document", [])
    if not isinstance(tables, list):
        raise CorpusError(f"{manifest}: write each report as a [[document]] table")
    entries: list[ManifestEntry] = []
    ids: dict[str, int] = {}
    paths: dict[str, int] = {}
    for number, table in enumerate(tables, start=1):
        entry = _entry(manifest, number, table)
        where = f"{manifest}: [[document]] number {number} (doc_id {entry.doc_id!r})"
        if entry.doc_id in ids:
            raise CorpusError(f"{where} repeats doc_id {entry.doc_id!r} of number {ids[entry.doc_id]}; "
                              "doc_ids must be unique")
        if entry.path in paths:
            raise CorpusError(f"{where}, field 'path': {entry.path!r} is listed already by number "
                              f"{paths[entry.path]}; list each file once")
        ids[entry.doc_id], paths[entry.path] = number, number
        entries.append(entry)
    return entries


def _entry(manifest: Path, number: int, table: object) -> ManifestEntry:
    where = f"{manifest}: [[document]] number {number}"
    if not isinstance(table, dict):
        raise CorpusError(f"{where} is not a table; write each report as a [[document]] table")
    if isinstance(table.get("doc_id"), str):
        where += f" (doc_id {table['doc_id']!r})"
    for field in ("doc_id", "path"):
        if table.get(field) is None or table.get(field) == "":
            raise CorpusError(f"{where} needs a {field!r}")
    unknown = set(table) - set(FIELDS)
    if unknown:
        raise CorpusError(f"{where} has unknown fields {sorted(unknown)}; use {', '.join(FIELDS)}")

    def fail(field: str, problem: str) -> CorpusError:
        return CorpusError(f"{where}, field {field!r}: {problem}")

    values: dict[str, str] = {}
    for field in FIELDS:
        value = table.get(field, "")
        if field == "date" and type(value) is datetime.date:
            value = value.isoformat()  # `date = 2019-12-16` unquoted: TOML's own date means just what it says
        if field == "date" and isinstance(value, datetime.datetime):
            raise fail(field, "is a date and time; write the date alone, in quotes: \"YYYY-MM-DD\"")
        if not isinstance(value, str):
            raise fail(field, f"must be text in quotes, not {_describe(value)}")
        if _CONTROL.search(value):
            raise fail(field, f"{value!r} holds control characters (a line break, say); write it on one line")
        values[field] = value

    doc_id = values["doc_id"]
    if doc_id != doc_id.strip():
        raise fail("doc_id", f"{doc_id!r} starts or ends with spaces; remove them")
    if len(doc_id) > MAX_ID_CHARS:
        raise fail("doc_id", f"is {len(doc_id)} characters long; use at most {MAX_ID_CHARS} characters")
    values["path"] = _relative_path(values["path"], fail)
    if values["date"] and not _is_calendar_date(values["date"]):
        raise fail("date", f"{values['date']!r} is not a calendar date; write YYYY, YYYY-MM or YYYY-MM-DD")
    if values["url"] and not _is_web_address(values["url"]):
        raise fail("url", f"{values['url']!r} is not a web address; write one that starts with http:// or https://")
    if values["language"] and find_language(values["language"]) is None:
        raise fail("language", f"{values['language']!r} is not a language Verbatim knows; "
                               f"use one of {', '.join(language_codes())}, or leave it out to have it detected")
    if values["ocr_languages"] and (problem := languages_problem(values["ocr_languages"])):
        raise fail("ocr_languages", problem)
    return ManifestEntry(number=number, **values)


def _relative_path(path: str, fail) -> str:
    if PurePosixPath(path).is_absolute() or PureWindowsPath(path).drive or path.startswith("\\"):
        raise fail("path", f"{path!r} must be relative to the corpus folder (the folder holding {MANIFEST_NAME})")
    normal = posixpath.normpath(path)
    if normal == ".." or normal.startswith("../"):
        raise fail("path", f"{path!r} leads out of the corpus folder; name a file inside the corpus folder")
    if PurePosixPath(normal).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise fail("path", f"{path!r} is not a supported file type; use one of {', '.join(SUPPORTED_SUFFIXES)}")
    return normal


def _is_calendar_date(value: str) -> bool:
    match = _DATE.match(value)
    if not match:
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:  # month 13, 30 February, year 0
        return False
    return True


def _is_web_address(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in value)


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime.datetime):
        return "a date and time"
    if isinstance(value, datetime.date):
        return "a date"
    return "a time" if isinstance(value, datetime.time) else type(value).__name__
