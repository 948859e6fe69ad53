"""The `verbatim` entry point, run as a user runs it."""

from __future__ import annotations

import json

import pytest
from conftest import run_verbatim

from corpus.paths import REPO_ROOT

NUR_SULTAN = "How many people were detained in Nur-Sultan on the day of the presidential election?"
HIT_KEYS = {"rank", "score", "doc_id", "title", "publisher", "date", "url", "path", "start", "end", "text",
            "section", "paragraphs", "citation"}


def test_help_lists_the_commands():
    """Read from help's own "Commands:" table, not its examples: a removed command fails this."""
    result = run_verbatim("--help")
    assert result.returncode == 0
    table = result.stdout.split("Commands:", 1)[1]
    listed = {line.split()[0] for line in table.splitlines() if line.startswith("  ") and line.split()}
    assert listed == {"index", "ask", "show", "serve", "verify", "calibrate", "eval", "documents", "batch"}


def test_ask_json_ranks_the_amnesty_passage_and_every_hit_is_the_file_text(bundled_index):
    result = run_verbatim("ask", NUR_SULTAN, "--json", "--index", str(bundled_index.index_dir))
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["question"] == NUR_SULTAN
    assert answer["mode"] == "hybrid"
    assert len(answer["hits"]) == 10
    for hit in answer["hits"]:
        assert hit.keys() >= HIT_KEYS
        file_text = (REPO_ROOT / hit["path"]).read_text(encoding="utf-8")
        assert file_text[hit["start"] : hit["end"]] == hit["text"]
        assert hit["path"].startswith("corpus/reports/")
    top3 = answer["hits"][:3]
    assert any(
        h["doc_id"] == "amnesty-2019-06-election-detentions" and "1,000 people were detained in Nur-Sultan" in h["text"]
        for h in top3
    )


def test_ask_prints_a_readable_list_with_citations(bundled_index):
    result = run_verbatim("ask", "hunger strike in Almaty", "-k", "2", "--mode", "bm25",
                          "--publisher", "ACCA", "--index", str(bundled_index.index_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Best supporting quote: “")  # BM25 hits carry their best sentence too
    assert "\n1. In Kazakhstan, the detained participants of the rally went on hunger strike" in result.stdout
    assert "Cite: ACCA (Association for Human Rights in Central Asia)" in result.stdout
    assert "2. " in result.stdout and "3. " not in result.stdout


def test_show_prints_the_canonical_text_or_a_span(bundled_index):
    doc = "amnesty-2019-06-election-detentions"
    file_text = (REPO_ROOT / "corpus/reports" / f"{doc}.txt").read_text(encoding="utf-8")
    whole = run_verbatim("show", doc, "--index", str(bundled_index.index_dir))
    assert whole.stdout == file_text + "\n"
    span = run_verbatim("show", doc, "--start", "100", "--end", "180", "--index", str(bundled_index.index_dir))
    assert span.stdout == file_text[100:180] + "\n"


def test_index_if_stale_does_nothing_when_up_to_date(bundled_index):
    result = run_verbatim("index", "--if-stale", "--index", str(bundled_index.index_dir))
    assert result.returncode == 0
    assert "is up to date" in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["ask", "   "], 2, "the question is empty"),
        (["ask", "x", "--doc", "nope"], 1, "unknown document 'nope'; known:"),
        (["ask", "x", "--publisher", "Nobody Watch"], 1, "unknown publisher 'nobody watch'; known:"),
        (["ask", "x", "--since", "yesterday"], 1, "'yesterday' is not a date; write YYYY"),  # named --since: test_messages.py
        (["ask", "x", "-k", "0"], 2, "Invalid value for '-k'"),
        (["ask", "x", "--mode", "magic"], 2, "Invalid value for '--mode'"),
        (["show", "nope"], 2, "unknown document 'nope'"),
        (["index", "--model", "no-such-model"], 1,
         "unknown model 'no-such-model': give 'all-MiniLM-L6-v2', 'all-MiniLM-L6-v2-int8'"),
        (["show", "acca-2019-12-almaty-hunger-strike", "--start", "5", "--end", "999999"], 2, "outside the document"),
    ],
)
def test_errors_are_one_line_with_the_fix_and_no_traceback(bundled_index, args, code, message):
    result = run_verbatim(*args, "--index", str(bundled_index.index_dir))
    assert result.returncode == code
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("verbatim: error: ")
    assert message in lines[0]


def test_a_missing_index_names_the_command_that_builds_it(tmp_path):
    result = run_verbatim("ask", "who was detained?", "--index", str(tmp_path / "none"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"verbatim: error: no index at {tmp_path / 'none'}; build it with `verbatim index`"
    assert "Traceback" not in result.stderr


def test_a_stale_index_names_the_fix(fixture_index, tmp_path):
    import shutil

    corpus = tmp_path / "reports"
    shutil.copytree(fixture_index.corpus_dir, corpus)
    built = run_verbatim("index", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert built.returncode == 0, built.stderr
    assert "warning: skipped" in built.stderr and "broken.pdf" in built.stderr
    (corpus / "extra-report.txt").write_text("Rewritten.\n")
    result = run_verbatim("ask", "x", "--mode", "bm25", "--index", str(tmp_path / "index"))
    assert result.returncode == 1
    assert "out of date: the corpus changed since it was built (changed extra-report.txt)" in result.stderr
    assert result.stderr.strip().endswith("rebuild it with `verbatim index`")
