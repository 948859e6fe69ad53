"""Batch search (issue 20, item 7): reading a list of queries, `verbatim batch` as a user runs it, and
the app's /batch over HTTP with hostile uploads."""

from __future__ import annotations

import csv
import json
import re

import httpx
import pytest
from conftest import run_verbatim

from app.batch import BatchError, checked_count, read_queries

NUR_SULTAN = "How many people were detained in Nur-Sultan on the day of the presidential election?"


@pytest.mark.parametrize(("name", "data", "queries"), [
    ("list.txt", "Asya Tulesova\n\n  Who was detained\n in Almaty?  \n", ["Asya Tulesova", "Who was detained", "in Almaty?"]),
    ("list.csv", "id,Question,notes\n1,Who was detained?,x\n2,\"\"\"hunger strike\"\"\",y\n",
     ["Who was detained?", '"hunger strike"']),  # the question column, in any case
    ("list.csv", "n,query\n1,Asya Tulesova\n", ["Asya Tulesova"]),
    ("names.csv", "name,born\nAsya Tulesova,1986\n\nDilmash Alzhanov\n", ["Asya Tulesova", "Dilmash Alzhanov"]),  # first column
    ("LIST.TXT", "\ufeffЗадержания в Алматы\r\nOksana Shevchuk\r\n", ["Задержания в Алматы", "Oksana Shevchuk"]),
])
def test_a_list_is_read_from_its_query_column_or_one_query_a_line(tmp_path, name, data, queries):
    path = tmp_path / name
    path.write_text(data, encoding="utf-8", newline="")
    assert read_queries(path) == queries


def test_a_spreadsheets_utf16_export_is_read_too(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("question\nКто задержан в Алматы?\n".encode("utf-16"))
    assert read_queries(path) == ["Кто задержан в Алматы?"]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("list.xlsx", b"PK\x03\x04", "list.xlsx is not a .csv or .txt file; give a list of queries as one of them"),
    ("list.txt", b"\x00\x01\x02binary\x00", "list.txt is not text ("),
    ("list.csv", b"question\n" + b"x" * 200_000 + b"\n", "list.csv is not a CSV file that can be read (field larger"),
    ("list.txt", b"\n  \n", "list.txt lists no query; write one question or name a line"),
])
def test_a_file_that_is_no_list_of_queries_is_refused_in_one_line(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(BatchError) as refused:
        read_queries(path)
    assert str(refused.value).startswith(message) and "\n" not in str(refused.value)


def test_the_page_caps_the_number_of_queries():
    checked_count(["q"] * 200)
    with pytest.raises(BatchError, match="the list holds 201 queries; a batch may have at most 200: split it"):
        checked_count(["q"] * 201)


def test_verbatim_batch_writes_one_row_per_query_with_the_quote_and_citation_ask_gives(bundled_index, tmp_path):
    queries = tmp_path / "queries.csv"
    queries.write_text(f'question\n{NUR_SULTAN}\n"""as many as 1,000 people"""\n-Almaty\n'
                       '"=HYPERLINK(""http://tracker.invalid"")"\nWhat happened in Andijan in 2005?\n', encoding="utf-8")
    out = tmp_path / "found.csv"
    result = run_verbatim("batch", str(queries), "--out", str(out), "--index", str(bundled_index.index_dir))
    assert result.returncode == 0, result.stderr
    assert result.stderr == (f"5 queries: 2 answered, 1 not found, 1 with no passage, 1 not searched; written to {out}\n")
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["number"] for row in rows] == ["1", "2", "3", "4", "5"]
    single = json.loads(run_verbatim("ask", NUR_SULTAN, "--json", "--index", str(bundled_index.index_dir)).stdout)
    first = rows[0]
    assert (first["outcome"], first["label"]) == (single["outcome"], single["label"]) == ("answered", "Answered")
    assert float(first["confidence"]) == single["confidence"]
    assert first["quote"] == " ".join(single["quote"]["text"].split())
    assert first["citation"] == single["quote"]["citation"]  # the same citation as a single search
    assert (first["doc_id"], int(first["start"]), int(first["end"])) == (
        single["quote"]["doc_id"], single["quote"]["start"], single["quote"]["end"])
    assert rows[1]["confidence"] == "1.0" and rows[1]["explanation"] == 'Found word for word: "as many as 1,000 people".'
    assert rows[2]["query"] == "'-Almaty" and rows[2]["error"] == (
        "the question only holds words to leave out; add what to search for")
    assert rows[3]["query"].startswith("'=HYPERLINK")  # a spreadsheet shows it as text, never runs it
    assert rows[4]["outcome"] == "not found" and rows[4]["quote"] == "" and "Andijan" in rows[4]["explanation"]
    # Without --out the CSV is the output, byte for byte the same.
    printed = run_verbatim("batch", str(queries), "--index", str(bundled_index.index_dir))
    assert printed.returncode == 0 and printed.stdout == out.read_text(encoding="utf-8")


def test_verbatim_batch_errors_are_one_line(bundled_index, tmp_path):
    binary = tmp_path / "list.txt"
    binary.write_bytes(b"\x00\x00binary")
    result = run_verbatim("batch", str(binary), "--index", str(bundled_index.index_dir))
    assert result.returncode == 1 and result.stderr.startswith("verbatim: error: list.txt is not text (")
    assert result.stderr.count("\n") == 1
    good = tmp_path / "list.txt"
    good.write_text("Who was detained?\n", encoding="utf-8")
    unwritable = run_verbatim("batch", str(good), "--out", str(tmp_path / "no" / "such" / "x.csv"),
                              "--index", str(bundled_index.index_dir))
    assert unwritable.returncode == 1 and "cannot write" in unwritable.stderr and unwritable.stderr.count("\n") == 1
    publisher = run_verbatim("batch", str(good), "--publisher", "Human Rights Watch", "--index", str(bundled_index.index_dir))
    assert publisher.returncode == 1 and publisher.stderr.startswith("verbatim: error: --publisher: unknown publisher")


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def test_the_batch_api_searches_an_uploaded_list_and_refuses_other_files(client, app_url, tmp_path):
    from gradio_client import handle_file

    queries = tmp_path / "queries.txt"
    queries.write_text('"forty police vans"\nHow long were the Atyrau journalists held?\n', encoding="utf-8")
    table, download = client.predict(handle_file(str(queries)), api_name="/batch")
    assert "2 queries: 2 answered" in table and "forty police vans" in table
    with open(download, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["label"] for row in rows] == ["Answered", "Answered"]
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01" * 100)
    table, download = client.predict(handle_file(str(binary)), api_name="/batch")
    assert "Cannot use this list:</strong> binary.txt is not text (" in table and download is None
    # A file on the server that was never uploaded: refused before it is read, its text never shown.
    secret = tmp_path / "secret.txt"
    secret.write_text("Who holds the lighthouse key?\n", encoding="utf-8")
    body = {"data": [{"path": str(secret), "meta": {"_type": "gradio.FileData"}}]}
    posted = httpx.post(f"{app_url}gradio_api/call/batch", json=body, timeout=30)
    answer = httpx.get(f"{app_url}gradio_api/call/batch/{posted.json()['event_id']}", timeout=60).text
    assert re.findall(r"^event: (\w+)$", answer, re.MULTILINE)[-1] == "error"
    assert "lighthouse" not in answer
    assert "not uploaded" in answer
