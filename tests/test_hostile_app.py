"""Issue 14, the web server: hostile requests, uploads and strings against a real `verbatim serve`
(HTTP, gradio_client, and Chromium where it is a browser matter)."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from corpus.paths import REPO_ROOT
from index.config import Config
from tests.conftest import VERBATIM, free_port, wait_for_port

TRACKER = "198.51.100.7"  # TEST-NET-2: never routed; a request to it would mean the page loaded an image
NEEDLE = "The lighthouse keeper of Balkhash was detained for painting slogans on the lighthouse tower at dawn."
SLASHED_ID = "press/2019 #1? release"
HOSTILE_MANIFEST = f'''
[[document]]
doc_id = "hostile-report"
path = "hostile.txt"
title = "<img src=x onerror=alert(1)>"
publisher = "Evil *Bureau* [click](javascript:alert(3))"
# A web address the manifest accepts (https, a host) that tries to close the Markdown link early.
url = "https://example.org/x)](javascript:alert(1))"
date = "2021-03"

[[document]]
doc_id = "{SLASHED_ID}"
path = "slashed.txt"
title = "A release whose id has a slash"
publisher = "Example Press"
date = "2019-05"
'''
REPORT = """Detentions in Taraz

On 12 March 2021 police in Taraz detained nine activists outside the regional court and held them for two days \
without access to lawyers.

The activists had gathered to support a blogger on trial for his posts about the local water supply; all nine were \
later fined for taking part in an unauthorised meeting.

Relatives who came to the police station with food and warm clothes were turned away by officers on duty.
"""
HOSTILE = """=HYPERLINK("http://x") is how this report begins, and the rest of its first paragraph is about the \
closure of an independent newspaper in Oral, whose editor was fined twice in one month.

The printing house that printed the newspaper was inspected by the fire service three times in the same month.
"""
SLASHED = """Press release on the fishermen of Aralsk: the coast guard detained three fishermen near the old harbour \
and confiscated their boats and nets without a written order.
"""


def long_compilation() -> str:
    """About 160,000 characters of notices with one detention in the middle: a long compilation."""
    notices = [f"Notice {n}: the district {n % 37} council announced repairs of road {n} and a new timetable for "
               f"bus route {n % 91}, to start in month {n % 12 + 1}." for n in range(1, 1400)]
    notices.insert(700, NEEDLE)
    return "Municipal notices\n\n" + "\n\n".join(notices) + "\n"


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    index: Config
    uploads: Path  # GRADIO_TEMP_DIR: where Gradio keeps uploads and its cache


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory, embedder) -> Config:
    from index.store import build_index

    corpus = tmp_path_factory.mktemp("hostile-corpus")
    (corpus / "manifest.toml").write_text(HOSTILE_MANIFEST, encoding="utf-8")
    (corpus / "report.txt").write_text(REPORT, encoding="utf-8")
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (corpus / "slashed.txt").write_text(SLASHED, encoding="utf-8")
    (corpus / "long-compilation.txt").write_text(long_compilation(), encoding="utf-8")
    config = Config(corpus_dir=corpus, index_dir=tmp_path_factory.mktemp("hostile-index") / "index")
    build_index(config, embedder=embedder)
    return config


@pytest.fixture(scope="module")
def server(hostile_index, tmp_path_factory):
    """One `verbatim serve` for the whole module, allowing two extra host names (flag and env)."""
    uploads = tmp_path_factory.mktemp("gradio-uploads")
    log = (tmp_path_factory.mktemp("server-log") / "serve.log").open("w+")  # a pipe nobody reads could fill up
    port = free_port()
    env = {**os.environ, "GRADIO_TEMP_DIR": str(uploads), "VERBATIM_ALLOWED_HOSTS": "env.example, other.example"}
    process = subprocess.Popen(
        [str(VERBATIM), "serve", "--port", str(port), "--index", str(hostile_index.index_dir),
         "--allow-host", "cli.example"],
        cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL, env=env,
    )
    try:
        wait_for_port(port, process)
        yield Server(f"http://127.0.0.1:{port}/", port, hostile_index, uploads)
    finally:
        log.close()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a frozen server ignores SIGTERM (item 2, before its fix)
            process.kill()
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server.url, verbose=False)


@pytest.fixture()
def page(browser):
    """A page whose every request to the tracker address is recorded and aborted: nothing leaves."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    tracked: list[str] = []

    def guard(route):
        if TRACKER in route.request.url:
            tracked.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.tracked = tracked
    yield page
    context.close()


def call_evaluate(server: Server, path: str, timeout: float = 30) -> tuple[str, str]:
    """The issue's repro: POST /gradio_api/call/evaluate with a FileData naming `path`, then GET the
    event. Returns the event type ("complete" or "error") and its data."""
    body = {"data": ["kazakhstan-dev", {"path": path, "meta": {"_type": "gradio.FileData"}}, ["bm25"]]}
    posted = httpx.post(f"{server.url}gradio_api/call/evaluate", json=body, timeout=timeout)
    posted.raise_for_status()
    event = posted.json()["event_id"]
    answer = httpx.get(f"{server.url}gradio_api/call/evaluate/{event}", timeout=timeout).text
    kinds = re.findall(r"^event: (\w+)$", answer, re.MULTILINE)
    final = next(kind for kind in reversed(kinds) if kind in ("complete", "error"))
    return final, answer


def cached_files(server: Server) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in server.uploads.rglob("*") if path.is_file()}


def question_line(qid: str, question: str, quote: str) -> str:
    return json.dumps({"id": qid, "question": question, "answers": [{"quote": quote}]}) + "\n"


# Item 1 ─────────────────────────────────────────────────────────────────────────────────────────────


def test_item01_the_evaluate_api_refuses_a_question_set_that_was_not_uploaded(server, tmp_path):
    """A question-shaped .jsonl elsewhere on the server: refused in one line, its text never leaks."""
    secret = "the secret sentence that nobody uploaded"
    outside = tmp_path / "outside.jsonl"
    outside.write_text(question_line("s1", "What is secret?", secret), encoding="utf-8")
    kind, answer = call_evaluate(server, str(outside))
    assert secret not in answer
    assert kind == "error" and "not uploaded by a user" in answer
    assert not any(secret.encode() in data for data in cached_files(server).values())
    # A link planted in the upload folder that points outside is refused just the same.
    planted = server.uploads / "planted" / "questions.jsonl"
    planted.parent.mkdir(exist_ok=True)
    planted.symlink_to(outside)
    kind, answer = call_evaluate(server, str(planted))
    assert kind == "error" and secret not in answer


def test_item01_an_index_documents_file_is_neither_copied_nor_downloadable(server):
    """The index's documents.jsonl: not read, not copied into Gradio's cache, not served by /file=."""
    documents = server.index.index_dir / "documents.jsonl"
    kind, answer = call_evaluate(server, str(documents))
    assert kind == "error" and "not uploaded by a user" in answer
    whole = documents.read_bytes()
    assert not any(data == whole for data in cached_files(server).values())
    download = httpx.get(f"{server.url}gradio_api/file={documents}", timeout=30)
    assert download.status_code == 403 and "lighthouse keeper" not in download.text


def test_item01_a_url_given_as_the_path_is_refused_without_fetching_it(server):
    """The server fetches nothing from the network on a client's word, in the upload or any other field."""
    kind, answer = call_evaluate(server, f"http://{TRACKER}/questions.jsonl")
    assert kind == "error"
    assert "the server fetches nothing from the network; upload the .jsonl file from your computer" in answer
    file = {"path": f"http://{TRACKER}/questions.jsonl", "meta": {"_type": "gradio.FileData"}}
    posted = httpx.post(f"{server.url}gradio_api/call/evaluate", json={"data": [file, None, ["bm25"]]}, timeout=30)
    answer = httpx.get(f"{server.url}gradio_api/call/evaluate/{posted.json()['event_id']}", timeout=30).text
    assert "event: error" in answer and "this field takes no file" in answer


def test_item01_a_question_set_uploaded_in_the_browser_still_runs(page, server, tmp_path):
    """The Evaluate tab with a real upload (the file picker) scores the set and draws the plot."""
    questions = tmp_path / "taraz-questions.jsonl"
    questions.write_text(question_line("t1", "How long were the Taraz activists held?", "held them for two days"),
                         encoding="utf-8")
    run_uploaded_evaluation(page, server, questions)
    table = page.locator("#vb-eval-table")
    assert "taraz-questions: 1 questions" in table.inner_text()
    assert table.locator("td", has_text="t1").count() == 1
    # The three default modes, each after the first against it: one question tells nothing.
    assert "Against hybrid, question by question" in table.inner_text()
    assert table.locator("td", has_text="no: too few questions to tell (under 10)").count() == 2
    page.locator("#vb-eval-plot img").wait_for()


def run_uploaded_evaluation(page, server: Server, questions: Path, expect: str = "Rank of the first relevant") -> None:
    """Upload the file with the Evaluate tab's file picker and run it; waits for `expect` in the results."""
    page.goto(server.url)
    page.get_by_role("tab", name="Evaluate").click()
    page.locator("#vb-upload input[type=file]").set_input_files(str(questions))
    page.locator("#vb-upload").get_by_label(questions.name).wait_for()
    page.locator("#vb-evaluate").click()
    page.locator("#vb-eval-table").get_by_text(expect).first.wait_for(timeout=120_000)


# Item 2 ─────────────────────────────────────────────────────────────────────────────────────────────


def test_item02_dev_zero_fails_that_request_only_and_the_server_keeps_answering(server, client):
    """/dev/zero as the path: an error at once (not a frozen server), and the next search is answered."""
    kind, answer = call_evaluate(server, "/dev/zero", timeout=30)
    assert kind == "error" and "/dev/zero" in answer
    found = json.loads(client.predict(question="Who was detained in Taraz?", k=2, api_name="/ask"))
    assert found["hits"][0]["doc_id"] == "report"


def test_item02_an_upload_over_the_size_cap_is_refused_with_one_line(server, client, tmp_path):
    """A 1.2 MB question set is refused in one line naming the limit; so is one already there. With the
    Add documents tab (on for 127.0.0.1) the server receives files up to a report's 50 MB, so the
    question set's field refuses it; with --no-uploads the upload itself is refused (test_live_app.py)."""
    from gradio_client import handle_file

    big = tmp_path / "big.jsonl"
    line = question_line("x", "How long were the Taraz activists held?", "held them for two days")
    big.write_text(line * (1_200_000 // len(line) + 1), encoding="utf-8")
    with pytest.raises(Exception, match=r"^Cannot use this question set: big.jsonl is 1,200,\d{3} bytes; a question set "
                                        "may have at most 1,000,000 bytes: split it into smaller files$"):
        client.predict("kazakhstan-dev", handle_file(str(big)), ["bm25"], api_name="/evaluate")
    # One that reached the upload folder some other way is refused by the handler too, unread.
    planted = server.uploads / "planted-big" / "big.jsonl"
    planted.parent.mkdir(exist_ok=True)
    planted.write_bytes(big.read_bytes())
    kind, answer = call_evaluate(server, str(planted))
    assert kind == "error"
    assert f"big.jsonl is {planted.stat().st_size:,} bytes; a question set may have at most 1,000,000 bytes" in answer


# Item 6 ─────────────────────────────────────────────────────────────────────────────────────────────


def test_item06_a_question_set_cannot_add_markup_or_load_images_on_the_evaluate_tab(page, server, tmp_path):
    """Questions and ids with ``` and ![x](http://…) show as text; the browser asks the tracker for nothing."""
    image = f"![x](http://{TRACKER}/track.png)"
    questions = tmp_path / "injected.jsonl"
    questions.write_text(
        question_line("plain", "How long were the Taraz activists held?", "held them for two days")
        + question_line(f"q2\n```\n![y](http://{TRACKER}/id.png)\n```", f"```\n{image}\n``` What happened to relatives?",
                        "food and warm clothes"),
        encoding="utf-8",
    )
    run_uploaded_evaluation(page, server, questions)
    table = page.locator("#vb-eval-table")
    assert image in table.inner_text()  # shown as the text it is
    page.wait_for_timeout(500)
    assert page.locator(f'img[src*="{TRACKER}"]').count() == 0 and page.tracked == []
    # A quote that is not found: the error line quotes it, as text too.
    broken = tmp_path / "broken.jsonl"
    broken.write_text(question_line("b1", "Anything?", f"```\n{image}\n```"), encoding="utf-8")
    run_uploaded_evaluation(page, server, broken, expect="Cannot use this question set:")
    assert "quote not found" in table.inner_text() and image in table.inner_text()
    page.wait_for_timeout(500)
    assert page.locator(f'img[src*="{TRACKER}"]').count() == 0 and page.tracked == []


# Item 7 ─────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("path", ["", "config", "gradio_api/info", "source/report"])
def test_item07_a_request_for_another_host_name_gets_400_in_one_line(server, path):
    """DNS rebinding: a page of attacker.example reaching this port is refused on every route."""
    answer = httpx.get(server.url + path, headers={"Host": "attacker.example", "Origin": "http://attacker.example"},
                       timeout=30)
    assert answer.status_code == 400
    assert "access-control-allow-origin" not in answer.headers
    assert answer.text.count("\n") == 1 and "Host 'attacker.example' is not served here" in answer.text
    assert "--allow-host" in answer.text


def test_item07_the_local_names_and_the_allowed_ones_are_served_and_no_other(server):
    """127.0.0.1, localhost, [::1], a name from --allow-host and those in VERBATIM_ALLOWED_HOSTS; not their kin."""
    for host in ("127.0.0.1", "localhost", "[::1]", "cli.example", "env.example", "other.example"):
        answer = httpx.get(f"{server.url}gradio_api/info", headers={"Host": f"{host}:{server.port}"}, timeout=30)
        assert answer.status_code == 200, host
    for host in ("cli.example.attacker.example", "localhost.attacker.example", "127.0.0.2"):
        answer = httpx.get(f"{server.url}gradio_api/info", headers={"Host": f"{host}:{server.port}"}, timeout=30)
        assert answer.status_code == 400, host


def test_item07_no_cors_answer_for_a_foreign_origin(server):
    """Another site's page may not read answers, under any name the server answers to (a name allowed
    with --allow-host too, where Gradio alone would allow every origin): simple requests and preflights."""
    foreign = {"Origin": "http://attacker.example"}
    for host in ("127.0.0.1", "cli.example"):
        named = {**foreign, "Host": f"{host}:{server.port}"}
        simple = httpx.get(f"{server.url}gradio_api/info", headers=named, timeout=30)
        assert simple.status_code == 200 and "access-control-allow-origin" not in simple.headers, host
        preflight = httpx.request("OPTIONS", f"{server.url}gradio_api/call/ask", timeout=30,
                                  headers={**named, "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in preflight.headers, host
    own = f"http://localhost:{server.port}"  # the same server under its other name is an origin of its own
    assert httpx.get(f"{server.url}gradio_api/info", headers={"Origin": own}, timeout=30).headers.get(
        "access-control-allow-origin") == own


# Item 11 ────────────────────────────────────────────────────────────────────────────────────────────


def test_item11_a_megabyte_question_is_refused_with_a_clear_note(client):
    """A 1 MB question is not embedded: one line says it was not searched and what the limit is."""
    question = "Who was detained? " * 60_000
    with pytest.raises(Exception, match=f"the question is {len(question):,} characters long and was not searched; "
                                        "ask it in at most 2,000 characters"):
        client.predict(question=question, api_name="/ask")
    page = client.predict(question, "hybrid", 5, [], [], api_name="/search_html")
    assert "was not searched; ask it in at most 2,000 characters" in page


def test_item11_a_question_set_with_an_overlong_question_is_refused(client, tmp_path):
    """The Evaluate tab applies the same limit to each question of an uploaded set."""
    from gradio_client import handle_file

    questions = tmp_path / "long-questions.jsonl"
    questions.write_text(question_line("long1", "Who was held? " * 215, "held them for two days"), encoding="utf-8")
    table, plot = client.predict("kazakhstan-dev", handle_file(str(questions)), ["bm25"], api_name="/evaluate")
    assert "question long1 is 3,010 characters long; a question may have at most 2,000" in table and plot is None


def test_item11_the_question_vector_cache_is_bounded_in_bytes(hostile_index):
    """However many long questions are asked, the cache keeps at most its byte budget, newest first."""
    from index.search import Searcher
    from index.store import open_index

    searcher = Searcher(open_index(hostile_index), hostile_index, query_cache_bytes=64_000)
    questions = [f"Question {n}: " + "who was detained in Taraz and for how long? " * 40 for n in range(40)]
    for question in questions:
        searcher.search(question, mode="dense", k=1)
    cache = searcher.questions.cache
    assert cache.nbytes <= 64_000 and 0 < len(cache) < len(questions)
    assert questions[-1].strip() in cache and questions[0].strip() not in cache
    # search_many (evaluation, benchmark) embeds ahead in one batch, and gives the same hits.
    fresh = Searcher(open_index(hostile_index), hostile_index)
    batch = fresh.search_many(questions[:3], mode="dense", k=3)
    assert all(q.strip() in fresh.questions.cache for q in questions[:3])
    assert [h.passage.start for h in batch[0]] == [h.passage.start for h in searcher.search(questions[0], mode="dense", k=3)]


def test_item11_the_viewer_shows_a_window_of_a_long_document(server, client):
    """A long document opens at its passage, a window of it only, with links to earlier and later text."""
    found = client.predict("lighthouse keeper Balkhash detained slogans", "hybrid", 1, [], [], api_name="/search_html")
    link = html.unescape(re.search(r'data-doc="long-compilation".*?href="([^"]+)"', found, re.DOTALL).group(1))
    assert link.endswith("#passage")
    page = httpx.get(server.url + link.lstrip("/"), timeout=30).text
    whole = (server.index.corpus_dir / "long-compilation.txt").read_text(encoding="utf-8")
    assert len(page) < len(whole) / 2
    passage = re.search(r'<mark id="passage" class="vb-passage">(.*?)</mark>', page, re.DOTALL).group(1)
    assert "lighthouse keeper of Balkhash" in passage
    assert "Notice 1:" not in page  # the beginning is not rendered
    shown = [int(n) for n in re.findall(r"Notice (\d+):", page)]
    earlier = html.unescape(re.search(r'class="vb-earlier" href="([^"]+)"', page).group(1))
    later = html.unescape(re.search(r'class="vb-later" href="([^"]+)"', page).group(1))
    after = httpx.get(server.url + later.lstrip("/"), timeout=30).text
    assert 'id="passage"' not in after and "back to the passage" in after
    assert f"Notice {max(shown) + 1}:" in after and "Notice 1399:" in after
    before = httpx.get(server.url + earlier.lstrip("/"), timeout=30).text
    assert 'id="passage"' not in before and f"Notice {min(shown) - 1}:" in before


def test_item11_several_searches_run_at_once(server, client):
    """Eight /ask calls sent together: the server starts a second before it finishes the first, and all
    eight answer as they do one at a time."""
    config = httpx.get(f"{server.url}config", timeout=30).json()
    ask = next(d["id"] for d in config["dependencies"] if d.get("api_name") == "ask")
    questions = [f"Who was detained in Taraz, and what happened on day {n}?" for n in range(8)]
    alone = [json.loads(client.predict(question=q, k=50, api_name="/ask"))["hits"] for q in questions]
    for _attempt in range(3):  # the order of messages, not their timing, shows the overlap
        messages = queue_messages(server, ask, [[q, "hybrid", 50, [], [], "", "", [], False] for q in questions])
        kinds = [m["msg"] for m in messages if m["msg"] in ("process_starts", "process_completed")]
        if kinds.index("process_completed") >= 2:  # a second search started before the first ended
            break
    else:
        pytest.fail(f"the server ran the eight searches one at a time: {kinds}")
    completed = [m for m in messages if m["msg"] == "process_completed"]
    assert len(completed) == 8 and all(m["success"] for m in completed)
    with ThreadPoolExecutor(8) as pool:  # and through gradio_client, from eight threads at once
        together = list(pool.map(lambda q: json.loads(client.predict(question=q, k=50, api_name="/ask"))["hits"],
                                 questions))
    assert together == alone


def queue_messages(server: Server, fn_index: int, inputs: list[list]) -> list[dict]:
    """Join Gradio's queue with every input in one session and read the session's event stream:
    the messages come in the order the server sent them."""
    session = uuid.uuid4().hex
    messages: list[dict] = []
    with httpx.Client(base_url=server.url, timeout=120) as http:
        for data in inputs:
            body = {"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None, "trigger_id": None}
            http.post("gradio_api/queue/join", json=body).raise_for_status()
        with http.stream("GET", "gradio_api/queue/data", params={"session_hash": session}) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    messages.append(json.loads(line[5:]))
                    if sum(m["msg"] == "process_completed" for m in messages) == len(inputs):
                        break
    return messages


# Item 13 ────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("arguments", "line"), [
    ({"k": 0}, "k (the number of passages) must be a whole number from 1 to 50, not the number 0"),
    ({"k": -1}, "k (the number of passages) must be a whole number from 1 to 50, not the number -1"),
    ({"k": 51}, "k (the number of passages) must be a whole number from 1 to 50, not the number 51"),
    ({"k": "abc"}, "k (the number of passages) must be a whole number from 1 to 50, not 'abc'"),
    ({"since": 2019}, 'since must be a date written as text, YYYY, YYYY-MM or YYYY-MM-DD (e.g. "2019"), '
                      "not the number 2019"),
    ({"publishers": 5}, "publishers must be a list of names, or one name as text, not the number 5"),
    ({"mode": 3}, "unknown mode the number 3; use one of hybrid"),
    ({"question": 123}, "the question must be text, not the number 123"),
])
def test_item13_a_wrongly_typed_api_argument_gets_one_line(client, arguments, line):
    """/ask with k=0, k=-1, k=51, k="abc", since=2019 …: one line naming the value and the range."""
    with pytest.raises(Exception) as raised:
        client.predict(**{"question": "Who was detained in Taraz?", **arguments}, api_name="/ask")
    assert line in str(raised.value) and "Traceback" not in str(raised.value)
    page = client.predict(**{"question": "Who was detained in Taraz?", **arguments}, api_name="/search_html")
    assert html.escape(line) in page


def test_item13_one_publisher_given_as_text_is_one_name_not_letters(client):
    """publishers="Example Press" filters on that publisher, as ["Example Press"] does."""
    answer = json.loads(client.predict(question="fishermen detained", publishers="Example Press", api_name="/ask"))
    assert answer["hits"] and {hit["publisher"] for hit in answer["hits"]} == {"Example Press"}


# Item 16 ────────────────────────────────────────────────────────────────────────────────────────────


def test_item16_the_markdown_citation_carries_no_html_and_no_script_links(client):
    """A manifest title <img …>, a url that tries to close its link early: the citation renders as text, with
    one link, to the manifest's https address."""
    from markdown_it import MarkdownIt

    answer = json.loads(client.predict(question="newspaper closed in Oral editor fined", k=1, api_name="/ask"))
    hit = answer["hits"][0]
    assert hit["doc_id"] == "hostile-report"
    markdown = hit["citation_markdown"]
    rendered = MarkdownIt().render(markdown)  # CommonMark, raw HTML allowed: what a careless viewer does
    assert "<img" not in rendered and not re.search(r"(?<!\\)\]\(javascript:", markdown)
    assert re.findall(r'<a href="([^"]*)"', rendered) == [html.escape(markdown_link_target(markdown))]
    assert all(link.startswith("https://example.org/") for link in re.findall(r'href="([^"]*)"', rendered))
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered  # the title, as text
    assert "Evil *Bureau* [click](javascript:alert(3))" in html.unescape(rendered)  # the publisher, as written
    assert hit["record"]["url"] == "https://example.org/x)](javascript:alert(1))"  # the record keeps it, as data


def markdown_link_target(markdown: str) -> str:
    """The destination of the citation's one link, as CommonMark reads it."""
    from markdown_it import MarkdownIt

    links = [token.attrs["href"] for block in MarkdownIt().parse(markdown) for token in (block.children or [])
             if token.type == "link_open"]
    assert len(links) == 1, links
    return str(links[0])


def test_item16_a_script_link_in_a_document_never_becomes_a_markdown_link():
    """A document whose url is javascript:… (the manifest refuses one; an older index may hold it) is cited without a link."""
    from app.markdown import citation_markdown
    from corpus import Document, Passage
    from index.search.hits import Hit

    document = Document("d", "A title", "Publisher", "2021", "javascript:alert(1)", "en", "d.txt", "0" * 64, "Some text here.")
    hit = Hit(1, 1.0, Passage("d", 0, 15, "Some text here.", "", (1, 1)), document)
    assert citation_markdown(hit) == "> Some text here.\n>\n> — Publisher, “A title”, 2021, ¶ 1, `d.txt [0:15]`"


def test_item16_exported_csv_and_markdown_from_the_page_are_inert(page, server, tmp_path):
    """Export from the page: the CSV cell =HYPERLINK(…) is text ('=…); the Markdown has no raw HTML."""
    page.goto(server.url)
    box = page.locator("#vb-question textarea")
    box.fill("newspaper closed in Oral editor fined")
    box.press("Enter")
    page.wait_for_selector("#vb-results .vb-hit")
    assert page.locator("#vb-results .vb-hit").first.get_attribute("data-doc") == "hostile-report"
    page.evaluate("window.localStorage.removeItem('verbatim.collection')")
    page.locator('#vb-results .vb-hit .vb-collect[data-record="passage"]').first.click()
    page.wait_for_selector("#vb-collection .vb-coll-item")
    exported = {}
    for name in ("CSV", "Markdown"):
        page.locator("#vb-format").get_by_label(name, exact=True).check()
        page.locator("#vb-export-collection").click()
        link = page.locator(f'#vb-download a[download$=".{"csv" if name == "CSV" else "md"}"]').first
        link.wait_for()
        with page.expect_download() as download:
            link.click()
        saved = tmp_path / f"export-{name}"
        download.value.save_as(saved)
        exported[name] = saved.read_text(encoding="utf-8")
    row = next(csv.DictReader(io.StringIO(exported["CSV"])))
    assert row["quote"].startswith("'=HYPERLINK(\"http://x\")")
    assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row.values())
    assert "<img" not in exported["Markdown"] and not re.search(r"(?<!\\)\]\(javascript:", exported["Markdown"])
    assert "=HYPERLINK" in exported["Markdown"]


# Item 17 ────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("path", ["docs", "redoc", "openapi.json"])
def test_item17_no_api_docs_pages_that_load_from_cdns(server, path):
    """/docs and /redoc would load scripts from CDNs: the app is offline, so they are not there."""
    assert httpx.get(server.url + path, timeout=30).status_code == 404


def test_item17_a_doc_id_with_a_slash_opens_in_the_viewer_through_the_page_link(server, client):
    """The "View in source" link of a document whose id holds "/", " ", "#" and "?" opens that document."""
    found = client.predict("fishermen of Aralsk coast guard", "hybrid", 1, [], [], api_name="/search_html")
    assert f'data-doc="{html.escape(SLASHED_ID)}"' in found
    link = html.unescape(re.search(r'class="vb-source" href="([^"]+)"', found).group(1))
    viewer = httpx.get(server.url + link.lstrip("/"), timeout=30)
    assert viewer.status_code == 200
    passage = re.search(r'<mark id="passage" class="vb-passage">(.*?)</mark></mark>', viewer.text, re.DOTALL).group(1)
    assert re.sub(r"<[^>]+>", "", passage).startswith("Press release on the fishermen of Aralsk")


@pytest.mark.parametrize("doc_id", ["line\nbreak", "..", "a/b?c#d e"])
def test_item17_any_doc_id_reaches_the_viewer_route(server, doc_id):
    """Whatever a doc_id holds, the link the page renders for it reaches the viewer (which answers
    "unknown document" here: this index does not hold these ids)."""
    from app.render import source_link
    from corpus import Document, Passage
    from index.search.hits import Hit

    document = Document(doc_id, "Title", "Publisher", "2019", "", "en", "x.txt", "0" * 64, "Some text of it.")
    link = source_link(Hit(1, 1.0, Passage(doc_id, 0, 9, "Some text", "", (1, 1)), document))
    answer = httpx.get(server.url + link.lstrip("/"), timeout=30)
    assert answer.status_code == 404 and f"Unknown document {html.escape(doc_id)!r}" in answer.text

