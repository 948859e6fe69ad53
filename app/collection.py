"""A collection of quotes as the page keeps it (in the browser's localStorage, app/web/collection.js)
and exports it. What the browser sends back is hostile data: its shape is checked, and each quote is
found again in the index by its document and offsets, its citation record made afresh from the
index's own text. A quote the index no longer holds at those offsets is left out, and counted."""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from dataclasses import dataclass

from app.payload import citation_record
from index.search.hits import Hit
from index.store import LoadedIndex

MAX_STORED_CHARS = 8_000_000  # a collection of MAX_ITEMS long passages, with their citations, is well under this
MAX_ITEMS = 500
MAX_NAME_CHARS = 80
KINDS = ("sentence", "passage", "quote")  # the best sentence of a hit, its whole passage, the verdict's quote
DEFAULT_STEM = "verbatim-collection"
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}


class CollectionError(ValueError):
    """What the browser sent is not a collection."""


@dataclass(frozen=True)
class Collected:
    name: str
    records: list[dict]  # in the collection's order, each made from the index
    left_out: int  # quotes the index does not hold (any more) at their offsets, or not readable


def read_collection(stored: str, index: LoadedIndex) -> Collected:
    """The collection the page stored, its quotes' records made from `index`."""
    if not isinstance(stored, str) or not stored.strip():
        return Collected("", [], 0)
    if len(stored) > MAX_STORED_CHARS:
        raise CollectionError(f"the collection is larger than {MAX_STORED_CHARS:,} characters")
    try:
        data = json.loads(stored)
    except json.JSONDecodeError as error:
        raise CollectionError(f"the collection is not JSON ({error.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
        raise CollectionError("the collection is not an object with a list of items")
    name = clean_name(data.get("name"))
    items = data.get("items", [])
    records: list[dict] = []
    left_out = max(0, len(items) - MAX_ITEMS)
    seen: set[tuple[str, int, int]] = set()
    for item in items[:MAX_ITEMS]:
        where = _where(item)
        if where is not None and where[:3] in seen:
            continue  # a repeat: once is enough
        record = record_at(index, *where) if where is not None else None
        if where is None or record is None:
            left_out += 1
            continue
        seen.add(where[:3])
        records.append(record)
    return Collected(name, records, left_out)


def _where(item: object) -> tuple[str, int, int, str] | None:
    """(doc_id, start, end, quote) of a stored item, or None when it is not one."""
    if not isinstance(item, dict) or item.get("kind") not in KINDS or not isinstance(item.get("record"), dict):
        return None
    record = item["record"]
    doc_id, start, end, quote = (record.get(key) for key in ("doc_id", "start", "end", "quote"))
    if not isinstance(doc_id, str) or not isinstance(quote, str):
        return None
    if type(start) is not int or type(end) is not int or not 0 <= start < end:  # bool is no offset
        return None
    return doc_id, start, end, quote


def record_at(index: LoadedIndex, doc_id: str, start: int, end: int, quote: str) -> dict | None:
    """The citation record of document[start:end], made from the index, when the index holds that
    quote there, inside one passage; else None."""
    document = index.documents.get(doc_id)
    if document is None or end > len(document.text) or document.text[start:end] != quote:
        return None
    positions = index.passages.positions_of([index.documents.number(doc_id)])  # in the document's order
    # The last passage starting at or before `start` (each one read from disk: a few, not all of them).
    at = bisect.bisect_right(range(len(positions)), start, key=lambda n: index.passages[int(positions[n])].start) - 1
    if at < 0:
        return None
    position = int(positions[at])
    passage = index.passages[position]
    if end > passage.end:
        return None
    hit = Hit(rank=0, score=0.0, passage=passage, document=document, position=position,
              sentences=index.sentences.spans_of(position))
    return citation_record(hit, start, end)


def clean_name(name: object) -> str:
    """A collection's name as text: one line, no control characters, at most MAX_NAME_CHARS."""
    if not isinstance(name, str):
        return ""
    text = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in name)
    return " ".join(text.split())[:MAX_NAME_CHARS]


def file_stem(name: str) -> str:
    """A file name for the collection's export (without its suffix): its name's letters, digits,
    dashes and underscores, spaces as dashes; never a path, a hidden file or a device name."""
    words = re.sub(r"[^\w\- ]+", " ", clean_name(name)).split()
    stem = "-".join(words).strip("-_.")[:60].strip("-_.")
    if not stem:
        return DEFAULT_STEM
    return f"verbatim-{stem}" if stem.lower().split(".")[0] in _RESERVED else stem
