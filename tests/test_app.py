"""The Gradio app, started as `verbatim serve` on a free port and queried over HTTP."""

from __future__ import annotations

import json

import pytest


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
    assert '<mark class="vb-answer">' in html  # the app has the model loaded: BM25 hits are marked too



def test_the_eval_tab_scores_an_uploaded_question_set_and_draws_the_plot(client, tmp_path):
    from gradio_client import handle_file

    questions = tmp_path / "fixture-questions.jsonl"
    questions.write_text(
        json.dumps({"id": "f1", "question": "How many people were held after the Shymkent gas price rally?",
                    "answers": [{"quote": "detained eleven people at a rally against rising gas prices"}]}) + "\n"
        + json.dumps({"id": "f2", "question": "How many police vans were near the square on election day?",
                      "answers": [{"quote": "forty police vans", "doc_id": "fixture-election-page"}]}) + "\n"
    )
    table, plot = client.predict("kazakhstan-dev", handle_file(str(questions)), ["hybrid", "bm25"], api_name="/evaluate")
    assert "fixture-questions: 2 questions" in table
    assert "<td>hybrid</td>" in table and "<td>bm25</td>" in table  # HTML, every string escaped (issue 14, item 6)
    assert "<td>f1</td>" in table and "<td>f2</td>" in table
    with open(plot, "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_eval_tab_explains_a_question_set_that_does_not_fit_the_index(client):
    # The bundled Kazakhstan set quotes the bundled reports, which this fixture index does not hold.
    table, plot = client.predict("kazakhstan-dev", None, ["hybrid"], api_name="/evaluate")
    assert ("<strong>Cannot use this question set:</strong> question kz01: unknown doc_id "
            "'acca-2019-12-almaty-hunger-strike'; the index holds aktobe-atyrau, extra-report") in table
    assert plot is None


def test_the_best_sentence_is_marked_and_escaped_like_the_rest(client):
    html = client.predict("leaflet with a script tag and an image tag", "hybrid", 1, [], [], api_name="/search_html")
    start = html.index('<mark class="vb-answer">')
    marked = html[start : html.index("</mark>", start)]
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in marked
    assert "<script" not in html and "<img" not in html


def test_results_lead_with_a_quote_or_say_plainly_that_nothing_answers(client):
    answered = client.predict("How long were the Atyrau journalists held?", "hybrid", 3, [], [], api_name="/search_html")
    assert '<div class="vb-best">' in answered and "detained for three hours" in answered.split("vb-best-quote")[1]
    unrelated = client.predict("What are the main causes of coral reef bleaching?", "hybrid", 3, [], [],
                               api_name="/search_html")
    assert "No good answer in this collection" in unrelated and '<div class="vb-best">' not in unrelated
    answer = json.loads(client.predict(question="What are the main causes of coral reef bleaching?", api_name="/ask"))
    assert answer["answered"] is False and answer["hits"]


def test_a_russian_question_restricted_to_english_passages_over_http(multilingual_app_url):
    """The multilingual app: each hit says its language, the language filter holds, and the answer
    sentence of an English passage is marked for a Russian question."""
    from gradio_client import Client

    client = Client(multilingual_app_url, verbose=False)
    question = "Сколько человек задержали в Нур-Султане в день выборов?"
    answer = json.loads(client.predict(question=question, k=5, languages=["en"], api_name="/ask"))
    assert answer["hits"] and {hit["language"] for hit in answer["hits"]} == {"en"}
    assert "500 people" in answer["hits"][0]["sentence"]["text"]
    page = client.predict(question, "hybrid", 5, [], [], "", "", ["en"], api_name="/search_html")
    assert "in English" in page and "Russian" not in page.replace("in English", "")
    assert '<mark class="vb-answer">' in page and "500 people" in page
    everything = client.predict(question, "hybrid", 10, [], [], "", "", [], api_name="/search_html")
    assert "· Russian" in everything and "· Kazakh" in everything  # without the filter, all three
