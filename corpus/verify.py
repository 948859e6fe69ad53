"""Checking citation records against their sources: is the quote still at its offsets, is the
source file still the one that was cited, and does the record name the report as its source does
(title, publisher, date, url, doc_id: from the manifest.toml that lists the file, else the file)?"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import LoadError, VerbatimError
from corpus.loaders import LoadedText, load_file
from corpus.paths import PACKAGE_ROOT
from corpus.quotes import find_quote

REQUIRED = ("quote", "path", "start", "end", "sha256")
METADATA = ("doc_id", "title", "publisher", "date", "url")
MANIFEST_NAME = "manifest.toml"


class CitationError(VerbatimError):
    """A citation record file cannot be read as records."""


@dataclass(frozen=True)
class Verification:
    record: dict
    ok: bool
    message: str  # what was found, in words
    moved_to: tuple[int, int] | None = None  # where the quote is now, when it moved

    def to_dict(self) -> dict[str, object]:
        return {
            "doc_id": self.record.get("doc_id"),
            "path": self.record["path"],
            "start": self.record["start"],
            "end": self.record["end"],
            "ok": self.ok,
            "message": self.message,
            "moved_to": list(self.moved_to) if self.moved_to else None,
        }


def read_records(path: Path) -> list[dict]:
    """Records from a file: one record, a list of them, JSONL, or the output of `verbatim ask --json`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CitationError(f"{path}: cannot be read ({error})") from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as error:
            message = f"{path}: not JSON or JSONL ({error}); give records as the JSON answer of a search holds them"
            raise CitationError(message) from error
    if isinstance(data, dict):
        rows = data.get("hits", [data])
    elif isinstance(data, list):
        rows = data
    else:
        raise CitationError(f"{path}: holds no citation records")
    if not rows:
        raise CitationError(f"{path}: holds no citation records")
    records = []
    for number, row in enumerate(rows, start=1):
        record = row.get("record", row) if isinstance(row, dict) else None
        missing = [field for field in REQUIRED if not isinstance(record, dict) or field not in record]
        if missing or not isinstance(record, dict):  # a record that is not an object lacks every field
            raise CitationError(f"{path}: record {number} lacks {', '.join(missing)}; "
                                "records come from the JSON answer of a search")
        if problem := _type_problem(record):
            raise CitationError(f"{path}: record {number}: {problem}; records come from the JSON answer of a search")
        records.append(record)
    return records


def _type_problem(record: dict) -> str | None:
    """What is wrongly typed in a record, in words, or None: checked before any field is used."""
    for field in ("quote", "path", "sha256"):
        if not isinstance(record[field], str):
            return f"{field!r} must be a string, not {type(record[field]).__name__}"
    start, end = record["start"], record["end"]
    if any(isinstance(x, bool) or not isinstance(x, int) or x < 0 for x in (start, end)):
        return f"'start' and 'end' must be whole numbers from 0, not {start!r} and {end!r}"
    if start > end:
        return f"'start' ({start}) is after 'end' ({end})"
    if record.get("doc_id") is not None and not isinstance(record["doc_id"], str):
        return f"'doc_id' must be a string, not {type(record['doc_id']).__name__}"
    return None


def verify_record(record: dict, root: Path = PACKAGE_ROOT) -> Verification:
    source = Path(record["path"])
    source = source if source.is_absolute() else root / source
    start, end, quote = int(record["start"]), int(record["end"]), record["quote"]
    try:
        loaded = load_file(source)
    except LoadError as error:
        return Verification(record, False, f"the source cannot be read: {error}")
    in_place = loaded.text[start:end] == quote
    same_file = loaded.sha256 == record["sha256"]
    differs = _metadata_differences(record, source, loaded)
    if in_place and same_file and not differs:
        return Verification(record, True, "the quote is at its offsets and the source is unchanged")
    if in_place and same_file:
        return Verification(record, False, f"the quote is at its offsets, but {differs}")
    also_named = f"; and {differs}" if differs else ""
    if in_place:
        return Verification(
            record, False, f"the source file changed (SHA-256 differs), but the quote is still at its offsets{also_named}"
        )
    found = find_quote(quote, loaded.text) if quote.split() else []
    if not found:
        return Verification(record, False, f"the quote is no longer in the source{also_named}")
    nearest = min(found, key=lambda span: abs(span[0] - start))
    also = f" (and {len(found) - 1} other place{'s' if len(found) > 2 else ''})" if len(found) > 1 else ""
    return Verification(record, False, f"the quote moved to [{nearest[0]}:{nearest[1]}]{also}{also_named}", nearest)


def _metadata_differences(record: dict, source: Path, loaded: LoadedText) -> str | None:
    """How the record's title, publisher, date, url and doc_id differ from what the source gives them
    (as a build would: the manifest entry, else what the file says of itself), or None. Fields the
    record lacks are not checked."""
    try:
        entry = _manifest_entry(source)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return f"the manifest.toml beside the source cannot be read ({error})"
    expected = {
        "title": str(entry.get("title") or loaded.title or source.stem),
        "publisher": str(entry.get("publisher") or loaded.publisher),
        "date": str(entry.get("date") or loaded.date),
        "url": str(entry.get("url") or loaded.url),
    }
    if "doc_id" in entry:  # without an entry the doc_id is the file name's slug, made unique per build
        expected["doc_id"] = str(entry["doc_id"])
    wrong = [f"its {field} is {record[field]!r} where the source's is {expected[field]!r}"
             for field in METADATA if field in expected and field in record and record[field] != expected[field]]
    return f"the record names it differently: {'; '.join(wrong)}" if wrong else None


def _manifest_entry(source: Path) -> dict:
    """The [[document]] entry that describes `source`, from the nearest manifest.toml above it that
    lists it; {} when none does."""
    resolved = source.resolve()
    for folder in resolved.parents:
        manifest = folder / MANIFEST_NAME
        if not manifest.is_file():
            continue
        entries = tomllib.loads(manifest.read_text(encoding="utf-8")).get("document", [])
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("path"), str) and (folder / entry["path"]).resolve() == resolved:
                return entry
    return {}
