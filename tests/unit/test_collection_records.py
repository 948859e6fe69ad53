"""A collection sent back by the browser (app/collection.py): checked as hostile data, every quote's
record made afresh from the index, the export's file name made safe; and a list item's lead-in
(corpus/quotable.py). On the fast tier's fake index: no model needed."""

from __future__ import annotations

import json

import pytest

from app.collection import MAX_ITEMS, CollectionError, file_stem, read_collection
from corpus.quotable import lead_in
from corpus.verify import verify_record


def a_quote(index) -> dict:
    """A real sentence of the index, as the page would have stored it (only what the server reads)."""
    for position in range(len(index.passages)):
        spans = index.sentences.spans_of(position)
        if spans:
            passage = index.passages[position]
            start, end, _ = spans[-1]
            return {"doc_id": passage.doc_id, "start": start, "end": end,
                    "quote": index.documents[passage.doc_id].text[start:end]}
    raise AssertionError("the index holds no sentence")


def stored(name, *items) -> str:
    return json.dumps({"version": 1, "name": name, "items": list(items)})


def test_each_quote_is_made_again_from_the_index_and_forgeries_are_counted_not_exported(fake_searcher):
    index = fake_searcher.index
    real = a_quote(index)
    forged_text = {**real, "quote": "<script>alert(1)</script>", "citation": "forged"}
    moved = {**real, "start": real["start"] + 1}
    unknown = {**real, "doc_id": "no-such-report"}
    beyond = {**real, "start": 10**9, "end": 10**9 + 5}
    collected = read_collection(stored("Mine", {"kind": "quote", "record": forged_text},  # its text is not there
                                       {"kind": "sentence", "record": {**real, "citation": "<b>forged</b>"}},
                                       {"kind": "sentence", "record": real},  # a repeat: once is enough
                                       {"kind": "passage", "record": moved},
                                       {"kind": "passage", "record": unknown}, {"kind": "passage", "record": beyond},
                                       {"kind": "sentence", "record": {**real, "start": True}},
                                       {"kind": "<b>", "record": real}, "text", None), index)
    assert collected.name == "Mine" and collected.left_out == 8
    [record] = collected.records
    assert (record["doc_id"], record["start"], record["end"], record["quote"]) == tuple(real.values())
    assert record["citation"] != "<b>forged</b>" and record["citation"].endswith(f"[{real['start']}:{real['end']}]")
    assert verify_record(record).ok and record["markdown"].startswith("> ")


@pytest.mark.parametrize("text", ["[1, 2]", '{"items": 3}', "not json", "x" * 8_000_001])
def test_what_is_no_collection_is_refused_in_a_sentence(fake_searcher, text):
    with pytest.raises(CollectionError):
        read_collection(text, fake_searcher.index)


def test_an_empty_store_and_too_many_items(fake_searcher):
    index = fake_searcher.index
    assert read_collection("", index).records == [] and read_collection("", index).left_out == 0
    real = a_quote(index)
    many = read_collection(stored("x", *[{"kind": "sentence", "record": real}] * (MAX_ITEMS + 3)), index)
    assert len(many.records) == 1 and many.left_out == 3  # the ones past the limit are said, the repeats are not


@pytest.mark.parametrize(("name", "stem"), [
    ("January 2022 detentions", "January-2022-detentions"),
    ("../../etc/passwd", "etc-passwd"),
    ('<svg onload=alert(4)>"; x', "svg-onload-alert-4-x"),
    ("Задержания в Алматы", "Задержания-в-Алматы"),
    ("...", "verbatim-collection"),
    ("", "verbatim-collection"),
    ("CON", "verbatim-CON"),
    ("a\nb\x00c", "a-b-c"),
    ("x" * 200, "x" * 60),
])
def test_the_export_is_named_after_the_collection_safely(name, stem):
    assert file_stem(name) == stem


def test_a_list_item_reads_with_the_sentence_that_introduces_its_list():
    text = "Observers were persecuted:\n\n  • On 6 July, A was held. She was fined.\n  • B was held at home.\nLater, all left."
    spans = []
    for sentence in ("Observers were persecuted:", "On 6 July, A was held.", "She was fined.", "B was held at home.",
                     "Later, all left."):
        start = text.index(sentence)
        spans.append((start, start + len(sentence), 0))
    paragraphs = [1, 2, 2, 3, 4]
    spans = [(a, b, p) for (a, b, _), p in zip(spans, paragraphs, strict=True)]
    assert [lead_in(text, spans, i) for i in range(5)] == [None, 0, None, 0, None]
