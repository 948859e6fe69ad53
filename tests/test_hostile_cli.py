"""Hostile input at the command line (issue 14): wrongly typed JSON gets one line, a report's
escape sequences never reach the terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess

import pytest
from conftest import VERBATIM, run_verbatim

from corpus.paths import REPO_ROOT
from index.config import Config
from index.store import build_index

ESCAPES = (
    "Detentions in Shymkent\n\n"
    "Police in Shymkent detained nine activists outside the akimat on 3 March 2021 and held them overnight.\x1b[2K\r"
    "\x1b[1mBest supporting quote:\x1b[0m nobody was ever detained in Shymkent.\n\n"
    "The activists were released the next morning without charge after their lawyers arrived at the station.\n"
)


@pytest.fixture(scope="module")
def escape_index(tmp_path_factory, embedder) -> Config:
    """A one-report index whose text carries terminal escape sequences and a carriage return."""
    corpus = tmp_path_factory.mktemp("escapes") / "reports"
    corpus.mkdir()
    (corpus / "shymkent.txt").write_text(ESCAPES, encoding="utf-8")
    config = Config(corpus_dir=corpus, index_dir=corpus.parent / "index")
    build_index(config, embedder=embedder)
    return config


def test_item15_ask_never_prints_a_reports_escape_sequences(escape_index):
    """`verbatim ask` shows the passage, with the report's ESC and CR made visible, not obeyed."""
    result = run_verbatim("ask", "Who was detained in Shymkent?", "--mode", "bm25", "--index", str(escape_index.index_dir))
    assert result.returncode == 0, result.stderr
    assert "detained nine activists" in result.stdout
    assert "\x1b" not in result.stdout and "\r" not in result.stdout
    assert "\ufffd[2K" in result.stdout and "\ufffd[1mBest" in result.stdout  # the escapes stay visible


def test_item15_show_on_a_terminal_makes_escapes_visible_and_a_pipe_gets_the_exact_text(escape_index):
    """`verbatim show` on a TTY strips control characters; piped, it is the canonical text byte for byte."""
    piped = subprocess.run([str(VERBATIM), "show", "shymkent", "--index", str(escape_index.index_dir)],
                           capture_output=True, stdin=subprocess.DEVNULL, cwd=REPO_ROOT, timeout=60)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == (ESCAPES.replace("\r", "\n") + "\n").encode()  # a lone CR is a line end

    leader, follower = pty.openpty()
    process = subprocess.Popen([str(VERBATIM), "show", "shymkent", "--index", str(escape_index.index_dir)],
                               stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=REPO_ROOT)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=60)
    os.close(leader)
    text = shown.decode("utf-8")
    assert process.returncode == 0
    assert "detained nine activists" in text
    assert "\x1b" not in text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"id": "q1", "question": 7, "answers": []}', '"question" must be a non-empty string'),
        ('{"id": "q1", "question": "Who?", "answers": "Almaty"}', '"answers" must be a list'),
        ('{"id": "q1", "question": "Who?", "answers": [3]}', "answer 1 must be an object"),
        ('{"id": "q1", "question": "Who?", "answers": [{"quote": 42}]}', 'needs a "quote" that is a non-empty string'),
        ('{"id": "q1", "question": "Who?", "answers": [{"quote": "x", "doc_id": 5}]}', '"doc_id" must be a string'),
        ('{"id": [1], "question": "Who?", "answers": []}', '"id" must be a non-empty string or number'),
        ('["q1", "Who?"]', "a line must be a JSON object"),
        ('{"id": "q1", "question": "Who?", "answers": [], "tags": "a"}', '"tags" must be a list of strings'),
    ],
)
def test_item13_eval_on_a_wrongly_typed_question_set_says_which_line_and_field(escape_index, tmp_path, line, expected):
    """`verbatim eval` on a wrongly typed line: one line naming the file, the line and the field; no traceback."""
    questions = tmp_path / "typed.jsonl"
    questions.write_text(line + "\n")
    result = run_verbatim("eval", str(questions), "--modes", "bm25", "--index", str(escape_index.index_dir))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("verbatim: error: ") and f"{questions}:1" in lines[0], result.stderr
    assert expected in lines[0]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"quote": 5}, "'quote' must be a string"),
        ({"start": "0"}, "'start' and 'end' must be whole numbers"),
        ({"end": -3}, "'start' and 'end' must be whole numbers"),
        ({"start": 10, "end": 2}, "'start' (10) is after 'end' (2)"),
        ({"sha256": None}, "'sha256' must be a string"),
        ({"path": ["a"]}, "'path' must be a string"),
    ],
)
def test_item13_verify_on_a_wrongly_typed_record_says_which_field(escape_index, tmp_path, change, expected):
    """`verbatim verify` on a record with a wrongly typed field: one line naming the record and the field."""
    found = run_verbatim("ask", "Shymkent", "--mode", "bm25", "-k", "1", "--json", "--index", str(escape_index.index_dir))
    record = {**json.loads(found.stdout)["hits"][0]["record"], **change}
    records = tmp_path / "records.json"
    records.write_text(json.dumps([record]))
    result = run_verbatim("verify", str(records))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"verbatim: error: {records}: record 1: "), result.stderr
    assert expected in lines[0]


@pytest.mark.parametrize(
    ("queries", "qrels", "expected"),
    [
        ('{"_id": "1", "text": 7}\n', "query-id\tcorpus-id\tscore\n1\td1\t1\n", 'needs an "_id" and a "text" string'),
        ("not json\n", "query-id\tcorpus-id\tscore\n1\td1\t1\n", "not JSON"),
        ('{"_id": "1", "text": "q"}\n', "query-id\tcorpus-id\tscore\n1\td1\thigh\n", "is not a whole number"),
    ],
)
def test_item13_eval_beir_on_wrongly_typed_files_says_which_line(tmp_path, queries, qrels, expected):
    """`verbatim eval --beir` on a wrongly typed query or judgement: one line naming the file and line."""
    (tmp_path / "qrels").mkdir()
    (tmp_path / "corpus.jsonl").write_text('{"_id": "d1", "title": "", "text": "Detained in Almaty."}\n')
    (tmp_path / "queries.jsonl").write_text(queries)
    (tmp_path / "qrels" / "test.tsv").write_text(qrels)
    result = run_verbatim("eval", "--beir", str(tmp_path), "--modes", "bm25")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"verbatim: error: {tmp_path}"), result.stderr
    assert any(f"{name}:{n}:" in lines[0] for name in ("queries.jsonl", "test.tsv") for n in (1, 2))
    assert expected in lines[0] and "Traceback" not in result.stderr
