"""The Gradio app, started as `verbatim serve` on a free port and queried over HTTP."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import VERBATIM, free_port, wait_for_port

from corpus.paths import REPO_ROOT


@pytest.fixture(scope="module")
def app_url(fixture_index):
    port = free_port()
    process = subprocess.Popen(
        [str(VERBATIM), "serve", "--port", str(port), "--index", str(fixture_index.index_dir)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def test_the_named_api_answers_like_ask_json(client, fixture_index):
    answer = json.loads(client.predict(question="police vans near the square on election day", k=3, api_name="/ask"))
    assert answer["mode"] == "hybrid"
    top = answer["hits"][0]
    assert top["doc_id"] == "fixture-election-page"
    assert top["publisher"] == "Example Monitor"
    assert "forty police vans" in top["text"]
    assert top["citation"].startswith("Example Monitor, “Election day in Nur-Sultan”, 2019-06-10")


def test_the_api_applies_filters_and_reports_bad_input(client):
    answer = json.loads(client.predict(question="detained", publishers=["Example Bureau"], k=10, api_name="/ask"))
    assert {h["publisher"] for h in answer["hits"]} == {"Example Bureau"}
    with pytest.raises(Exception, match="the question is empty"):
        client.predict(question="  ", api_name="/ask")


def test_the_page_renders_report_text_escaped(client):
    html = client.predict("leaflet with a script tag and an image tag", "bm25", 5, [], [], api_name="/search_html")
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html and "<img" not in html
    assert "A report quoting markup &lt;b&gt;verbatim&lt;/b&gt;" in html  # titles too

