"""Citation records: every hit carries one, and `verbatim verify` checks them against the sources."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import run_verbatim

from app.payload import hit_payload, hits_payload
from corpus.verify import CitationError, read_records, verify_record
from index.search import Searcher
from index.store import build_index

RECORD_FIELDS = {"quote", "doc_id", "title", "publisher", "date", "url", "path", "start", "end", "page", "language", "section",
                 "paragraphs", "sha256", "encoding", "citation", "plain", "reference", "markdown"}


@pytest.fixture()
def cited(fixture_corpus, tmp_path, embedder):
    """A private copy of the fixture corpus, its index, and the records of a search over it."""
    corpus = tmp_path / "reports"
    shutil.copytree(fixture_corpus, corpus)
    config = _config(corpus, tmp_path)
    build_index(config, embedder=embedder)
    searcher = Searcher.open(config)
    searcher._embedder = embedder
    hits = searcher.search("Shymkent rally gas prices", mode="bm25", k=1)
    records = tmp_path / "records.json"
    records.write_text(json.dumps({"hits": hits_payload(hits)}))
    return corpus, records, hits[0]


def _config(corpus, tmp_path):
    from index.config import Config

    return Config(corpus_dir=corpus, index_dir=tmp_path / "index")


def test_every_hit_carries_a_complete_record_and_copy_ready_forms(cited):
    _, _, hit = cited
    payload = hit_payload(hit)
    record = payload["record"]
    assert set(record) == RECORD_FIELDS
    # The passage as a quote: its sentences, without the heading line the passage holds above them.
    assert hit.passage.text.startswith("Rally in Shymkent\n\nPolice in Shymkent")
    assert record["quote"] == hit.passage.text.removeprefix("Rally in Shymkent\n\n") and len(record["sha256"]) == 64
    assert (record["start"], record["end"]) == (hit.passage.start + len("Rally in Shymkent\n\n"), hit.passage.end)
    assert record["markdown"].startswith("> Police in Shymkent detained eleven people")
    assert record["markdown"].endswith(f"[{record['start']}:{record['end']}]`")
    assert record["plain"].startswith("“Police in Shymkent detained eleven people") and record["citation"] in record["plain"]
    # No publisher, no date: the reference says so (n.d.), and gives the file for want of an address.
    assert record["reference"] == f"“Rally in Shymkent,” n.d., para. 2, {hit.document.path}."
    assert verify_record(record).ok
    # The best sentence has a record of its own, of exactly its span; the hit itself stays the passage.
    sentence = payload["sentence"]
    assert sentence["record"]["quote"] == sentence["text"] and sentence["record"]["start"] == sentence["start"]
    assert verify_record(sentence["record"]).ok
    assert (payload["start"], payload["end"], payload["text"]) == (hit.passage.start, hit.passage.end, hit.passage.text)


def test_verify_passes_fresh_records(cited):
    _, records, _ = cited
    result = run_verbatim("verify", str(records))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "1 of 1 records verified."
    assert "the quote is at its offsets and the source is unchanged" in result.stdout


def test_verify_flags_a_quote_that_moved_and_says_where(cited):
    corpus, records, hit = cited
    source = corpus / "extra-report.txt"
    source.write_text("A new first line.\n" + source.read_text())
    result = run_verbatim("verify", str(records))
    assert result.returncode == 1
    [record] = read_records(records)
    start, end = record["start"] + 18, record["end"] + 18
    assert f"STALE extra-report [{record['start']}:{record['end']}]: the quote moved to [{start}:{end}]" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 of 1 records verified; 1 stale"


def test_verify_flags_an_edit_elsewhere_and_a_removed_quote(cited):
    corpus, records, _ = cited
    source = corpus / "extra-report.txt"
    source.write_text(source.read_text() + "\nAn added closing line.\n")
    [record] = read_records(records)
    changed = verify_record(record)
    assert not changed.ok and changed.message.startswith("the source file changed (SHA-256 differs), but the quote is still")
    source.write_text("Rally in Shymkent\n\nThe report was withdrawn.\n")
    gone = run_verbatim("verify", str(records), "--json")
    assert gone.returncode == 1
    assert json.loads(gone.stdout)["message"] == "the quote is no longer in the source"


def test_a_file_that_holds_no_records_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"text": "no offsets here"}]))
    with pytest.raises(CitationError, match="record 1 lacks quote, path, start, end, sha256"):
        read_records(bad)
    result = run_verbatim("verify", str(bad))
    assert result.returncode == 1
    assert result.stderr.startswith("verbatim: error: ") and result.stderr.count("\n") == 1
