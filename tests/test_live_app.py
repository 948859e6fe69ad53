"""The app over an index that changes (issue 18): `verbatim serve` on a temporary copy of the fixture
corpus with its own index, rebuilt by `verbatim index` in another process while a client asks
without pause, and reports added on the Add documents tab (over HTTP, in a real browser, and
hostile ones). Nothing here writes into the repository's corpus."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from corpus.paths import BUNDLED_CORPUS, REPO_ROOT
from index.config import Config
from tests.conftest import FIXTURES, VERBATIM, free_port, run_verbatim, wait_for_port

SCREENSHOTS = REPO_ROOT / "test-output" / "browser"
ZHANAOZEN = """Strike at the Zhanaozen depot

On 3 March 2021 police in Zhanaozen detained fourteen oil workers at the gates of the bus depot and held them \
overnight at the city police station.

The workers had stopped work to demand the wages the depot owed them since the autumn.
"""
ZHANAOZEN_SENTENCE = "police in Zhanaozen detained fourteen oil workers at the gates of the bus depot"
KOSTANAY = """Pickets in Kostanay

A retired schoolteacher in Kostanay stood alone outside the akimat with a placard about the closed village \
hospital and was fined the next week for an unauthorised picket.
"""
KOSTANAY_SENTENCE = "retired schoolteacher in Kostanay stood alone outside the akimat"


@dataclass(frozen=True)
class Served:
    url: str
    config: Config  # a copy of the fixture corpus and its index, in a temporary folder
    gradio: Path  # GRADIO_TEMP_DIR: Gradio's upload folder and cache
    log: Path

    @property
    def uploads(self) -> Path:
        return self.config.corpus_dir / "uploads"


def start(config: Config, root: Path, *options: str):
    """`verbatim serve` on `config`'s index, its output in a file (a pipe nobody reads could fill up)."""
    gradio, log_path = root / "gradio", root / "serve.log"
    port = free_port()
    env = {**os.environ, "GRADIO_TEMP_DIR": str(gradio)}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(VERBATIM), "serve", "--port", str(port), "--index", str(config.index_dir), *options],
            cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL, env=env,
        )
    try:
        wait_for_port(port, process)
        yield Served(f"http://127.0.0.1:{port}/", config, gradio, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def served(tmp_path_factory, embedder):
    from index.store import build_index

    root = tmp_path_factory.mktemp("live-app")
    corpus = root / "corpus"
    shutil.copytree(FIXTURES / "corpus", corpus)
    config = Config(corpus_dir=corpus, index_dir=root / "index")
    build_index(config, embedder=embedder)
    yield from start(config, root)


@pytest.fixture(scope="module")
def client(served):
    from gradio_client import Client

    return Client(served.url, verbose=False)


def call(url: str, api: str, data: list, timeout: float = 120) -> tuple[str, object]:
    """POST /gradio_api/call/API, then read its event stream: ("complete", the output) or ("error", why)."""
    posted = httpx.post(f"{url}gradio_api/call/{api}", json={"data": data}, timeout=timeout)
    posted.raise_for_status()
    answer = httpx.get(f"{url}gradio_api/call/{api}/{posted.json()['event_id']}", timeout=timeout).text
    events = re.findall(r"^event: (\w+)\ndata: (.*)$", answer, re.MULTILINE)
    kind, data_line = next((k, d) for k, d in reversed(events) if k in ("complete", "error"))
    return kind, json.loads(data_line)


def ask(url: str, question: str, k: int = 3) -> dict:
    kind, output = call(url, "ask", [question, "hybrid", k, [], [], "", "", [], False])
    if kind != "complete":
        raise AssertionError(f"/ask failed: {output}")
    return json.loads(output[0])  # type: ignore[index]


def files_outside(root: Path, *left_out: Path) -> dict[str, bytes]:
    """Every file below `root` but in `left_out`, with its bytes."""
    return {str(p): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not any(p == folder or p.is_relative_to(folder) for folder in left_out)}


# (a) A rebuild in another process ───────────────────────────────────────────────────────────────


def test_a_rebuild_by_verbatim_index_is_served_without_a_restart_or_a_failed_request(served):
    """Two clients ask over HTTP without pause while `verbatim index` adds a report in another process:
    every request is answered, and once the build is done the new report's sentence is found."""
    question = "Who was detained at the gates of the bus depot in Zhanaozen?"
    assert ZHANAOZEN_SENTENCE not in json.dumps(ask(served.url, question))
    answered: list[tuple[float, list[str]]] = []
    failures: list[str] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            try:
                hits = ask(served.url, question)["hits"]
                answered.append((time.monotonic(), [hit["doc_id"] for hit in hits]))
            except Exception as error:  # noqa: BLE001 (every failure is the finding)
                failures.append(f"{type(error).__name__}: {error}")

    clients = [threading.Thread(target=keep_asking) for _ in range(2)]
    for thread in clients:
        thread.start()
    try:
        time.sleep(1.0)
        (served.config.corpus_dir / "zhanaozen-strike.txt").write_text(ZHANAOZEN, encoding="utf-8")
        began = time.monotonic()
        built = run_verbatim("index", "--corpus", str(served.config.corpus_dir), "--index", str(served.config.index_dir))
        ended = time.monotonic()
        assert built.returncode == 0, built.stderr
        assert "Building the index" in built.stdout and "added zhanaozen-strike.txt" in built.stdout
        time.sleep(5.0)  # the clients go on asking
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=120)
    assert failures == []
    during = [ids for t, ids in answered if began <= t <= ended]
    after = [ids for t, ids in answered if t > ended + 3]  # a look every second: by now the new index
    assert during and after, f"{len(during)} answers during the build, {len(after)} after it"
    assert all(ids[0] == "zhanaozen-strike" for ids in after)
    found = ask(served.url, question)
    assert found["hits"][0]["doc_id"] == "zhanaozen-strike" and ZHANAOZEN_SENTENCE in found["hits"][0]["text"]
    assert "Serving the new index" in served.log.read_text()
    viewer = httpx.get(f"{served.url}source/zhanaozen-strike", timeout=30)
    assert viewer.status_code == 200 and "fourteen oil workers" in viewer.text


# (b) Adding a report in the browser ─────────────────────────────────────────────────────────────


def test_a_report_added_in_the_browser_is_searchable_at_once(browser, served, tmp_path):
    report = tmp_path / "kostanay-pickets.txt"
    report.write_text(KOSTANAY, encoding="utf-8")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        page.goto(served.url)
        page.get_by_role("tab", name="Add documents").click()
        page.locator("#vb-add-files input[type=file]").set_input_files(str(report))
        page.locator("#vb-add-files").get_by_label(report.name).wait_for()
        page.locator("#vb-add-documents").click()
        result = page.locator("#vb-add-result")
        result.get_by_text("Added 1 document").wait_for()
        assert "searchable now" in result.inner_text() and "uploads/kostanay-pickets.txt" in result.inner_text()
        page.screenshot(path=str(SCREENSHOTS / "add-documents.png"), full_page=True)
        assert (served.uploads / "kostanay-pickets.txt").read_text(encoding="utf-8") == KOSTANAY
        page.get_by_role("tab", name="Search").click()
        page.locator("#vb-collection-summary").get_by_text("Pickets in Kostanay").wait_for()  # brought up to date
        box = page.locator("#vb-question textarea")
        box.fill("Who stood alone outside the akimat in Kostanay with a placard?")
        box.press("Enter")
        page.locator("#vb-results .vb-hit").first.wait_for()
        first = page.locator("#vb-results .vb-hit").first
        assert "Pickets in Kostanay" in first.inner_text() and KOSTANAY_SENTENCE in first.inner_text()
        page.screenshot(path=str(SCREENSHOTS / "add-documents-found.png"), full_page=True)
        page.goto(served.url)  # a new page load lists the report among the documents to filter by
        page.locator("#vb-collection-summary").get_by_text("Pickets in Kostanay").wait_for()
        page.get_by_role("combobox", name="Document").click()
        page.get_by_role("option", name="Pickets in Kostanay (kostanay-pickets)").click()
        box.fill("Who was fined for a picket?")
        box.press("Enter")
        page.locator("#vb-results .vb-hit").first.wait_for()
        hits = page.locator("#vb-results .vb-hit")
        assert hits.count() == 1 and "Pickets in Kostanay" in hits.first.inner_text()  # the filter took the new id
    finally:
        context.close()


def test_a_broken_file_is_refused_and_the_others_are_added(served):
    """A PDF that begins like one but cannot be read, the same name as a stored file with other bytes,
    and a file the collection holds already: one line each, and the good reports are added."""
    good = ZHANAOZEN.replace("Zhanaozen", "Aksu").replace("oil workers", "miners").replace("bus depot", "mine")
    other = good.replace("fourteen", "nine")
    (served.uploads).mkdir(exist_ok=True)
    (served.uploads / "aksu-mine.txt").write_text("An older note under the same name.", encoding="utf-8")
    known = (served.config.corpus_dir / "extra-report.txt").read_bytes()
    kind, said = add(served, upload(served, "aksu-mine.txt", good.encode()),
                     upload(served, "broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n"),
                     upload(served, "aksu-mine-copy.txt", good.encode()),
                     upload(served, "extra-report-again.txt", known),
                     upload(served, "aksu-again.txt", other.encode()))
    html = said[0]  # type: ignore[index]
    assert kind == "complete" and "<strong>Added 2 documents</strong>" in html
    assert "<code>uploads/aksu-mine-2.txt</code>" in html and "<code>uploads/aksu-again.txt</code>" in html
    assert re.search(r"<li><code>broken.pdf</code>: not a readable PDF \([^<]*\)</li>", html)
    assert "<li><code>aksu-mine-copy.txt</code>: the same file is in the collection already</li>" in html
    assert "<li><code>extra-report-again.txt</code>: the same file is in the collection already</li>" in html
    assert sorted(p.name for p in served.uploads.glob("aksu*")) == ["aksu-again.txt", "aksu-mine-2.txt", "aksu-mine.txt"]
    assert not (served.uploads / "broken.pdf").exists()
    assert (served.uploads / "aksu-mine.txt").read_text(encoding="utf-8") == "An older note under the same name."
    found = ask(served.url, "How many miners were detained at the gates of the mine in Aksu?")
    assert {hit["doc_id"] for hit in found["hits"][:2]} == {"aksu-mine-2", "aksu-again"}


def test_while_another_process_builds_the_index_nothing_is_added(served):
    from index.store.publish import build_lock

    before = sorted(served.uploads.rglob("*")) if served.uploads.exists() else []
    sent = upload(served, "taken-later.txt", KOSTANAY.replace("Kostanay", "Taldykorgan").encode())
    with build_lock(served.config.index_dir):  # as `verbatim index` holds it
        kind, said = add(served, sent)
    assert kind == "complete"
    assert (f"The index is being built by another process (pid {os.getpid()}); nothing was added. Add the files "
            "when that build has finished.") in said[0]  # type: ignore[index]
    assert (sorted(served.uploads.rglob("*")) if served.uploads.exists() else []) == before


# (c) Hostile uploads ────────────────────────────────────────────────────────────────────────────


def upload(served: Served, name: str, data: bytes) -> str:
    """The file sent to Gradio's upload route under `name`, as a browser would: where Gradio put it."""
    posted = httpx.post(f"{served.url}gradio_api/upload", files={"files": (name, data)}, timeout=120)
    posted.raise_for_status()
    return posted.json()[0]


def add(served: Served, *paths: str) -> tuple[str, object]:
    return call(served.url, "add_documents", [[{"path": p, "meta": {"_type": "gradio.FileData"}} for p in paths]])


@pytest.fixture()
def untouched(served):
    """What lies outside the uploads folder (the index and Gradio's folders aside) and in it, before a
    test; afterwards the test checks it is all still so."""
    root = served.config.corpus_dir.parent
    ours = (served.uploads, served.config.index_dir, served.gradio, served.log)
    outside = files_outside(root, *ours)
    inside = files_outside(served.uploads) if served.uploads.exists() else {}
    yield
    assert files_outside(root, *ours) == outside
    assert (files_outside(served.uploads) if served.uploads.exists() else {}) == inside
    assert not list(root.parent.glob("escaped*")) and not list(REPO_ROOT.glob("escaped*"))
    assert not list(BUNDLED_CORPUS.rglob("uploads"))


def test_a_path_that_leads_out_of_the_upload_folder_is_refused(served, untouched):
    planted = upload(served, "plain.txt", b"A plain report about nothing in particular.")
    for path in (f"{Path(planted).parent}/../../corpus/manifest.toml", str(served.config.corpus_dir / "escaping.txt"),
                 f"{served.gradio}/../corpus/extra-report.txt"):
        kind, said = add(served, path)
        assert kind == "error" and "not uploaded by a user" in said["error"] and "\n" not in said["error"]


def test_a_traversal_name_cannot_place_a_file_outside_the_uploads_folder(served, untouched):
    """Gradio keeps only the last part of an uploaded file's name; the handler takes no name that holds
    a path at all (tests/unit/test_intake.py). The file lands in the uploads folder, or nowhere."""
    sent = upload(served, "../../../escaped.txt", b"\x7fELF\x02\x01\x01 not a report")
    assert Path(sent).name == "escaped.txt"
    kind, said = add(served, sent)
    assert kind == "complete"
    assert "<li><code>escaped.txt</code>: its content is a program (ELF), not text</li>" in said[0]  # type: ignore[index]
    backslashed = upload(served, "..\\..\\escaped-too.txt", b"\x7fELF\x02\x01\x01")
    kind, said = add(served, backslashed)
    assert "its content is a program (ELF), not text" in json.dumps(said)


def test_a_type_no_loader_reads_is_refused_in_one_line(served, untouched):
    for name in ("tool.exe", "archive.zip", "notes"):
        kind, said = add(served, upload(served, name, b"MZ\x90\x00 a program"))
        assert kind == "error"
        assert re.fullmatch(rf"Cannot add {re.escape(name)}: not a type of report that can be read \(.*\); use one "
                            r"of \.txt, .*\.tiff", said["error"])  # type: ignore[index]


def test_an_oversized_file_is_refused_in_one_line(served, untouched):
    big = b"Detentions.\n" * (50_000_001 // 12 + 1)
    sent = httpx.post(f"{served.url}gradio_api/upload", files={"files": ("big.txt", big)}, timeout=300)
    assert sent.status_code == 413 and sent.text == "File size exceeded maximum allowed size of 50000000 bytes."
    # One that reached the upload folder some other way is refused unread, before Gradio copies it.
    planted = served.gradio / "planted" / "big.pdf"
    planted.parent.mkdir(parents=True, exist_ok=True)
    with planted.open("wb") as handle:
        handle.truncate(50_000_001)  # sparse: nothing is written
    kind, said = add(served, str(planted))
    assert kind == "error" and said["error"] == (  # type: ignore[index]
        "Cannot add big.pdf: big.pdf is 50,000,001 bytes; a report may have at most 50,000,000 bytes: "
        "index a larger one with `verbatim index`")


def test_contents_unlike_their_name_too_many_files_and_markup_in_a_name_are_refused(served, untouched):
    kind, said = add(served, upload(served, "report.pdf", b"<html><body>not a pdf</body></html>"))
    assert kind == "complete" and "<li><code>report.pdf</code>: its content is not a PDF</li>" in said[0]  # type: ignore[index]
    many = [upload(served, f"r{n}.txt", f"Report {n}.".encode()) for n in range(21)]
    kind, said = add(served, *many)
    assert kind == "complete" and "21 files at once; add at most 20 at a time." in said[0]  # type: ignore[index]
    named = served.gradio / "planted-name" / "<img src=x onerror=alert(1)>.txt"
    named.parent.mkdir(parents=True, exist_ok=True)
    named.write_bytes(b"GIF89a")
    kind, said = add(served, str(named))
    html = said[0]  # type: ignore[index]
    assert "&lt;img src=x onerror=alert(1)&gt;.txt</code>: its content is a GIF image, not text" in html
    assert "<img" not in html


# Serving with uploads turned off ────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def no_uploads(served, tmp_path_factory):
    yield from start(served.config, tmp_path_factory.mktemp("no-uploads"), "--no-uploads")


def test_no_uploads_serves_no_add_documents_tab_and_takes_no_large_file(no_uploads):
    info = httpx.get(f"{no_uploads.url}gradio_api/info", timeout=30).json()
    assert "/ask" in info["named_endpoints"] and "/add_documents" not in info["named_endpoints"]
    config = httpx.get(f"{no_uploads.url}config", timeout=30).json()
    assert "Add documents" not in json.dumps(config)
    sent = httpx.post(f"{no_uploads.url}gradio_api/upload", files={"files": ("big.pdf", b"%PDF-" + b"0" * 1_000_000)},
                      timeout=60)
    assert sent.status_code == 413 and sent.text == "File size exceeded maximum allowed size of 1000000 bytes."
    kind, _ = call(no_uploads.url, "ask", ["detained", "hybrid", 1, [], [], "", "", [], False])
    assert kind == "complete"


def test_uploads_are_on_only_for_a_server_this_machine_alone_reaches():
    from app.security import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.5", "example.org"))


def test_the_bundled_collection_is_not_changed_from_the_app(fake_searcher):
    """An index of corpus/reports (what `make run` serves): adding is refused before any file is read."""
    from dataclasses import replace

    from app.web.upload import Adding
    from index.search.live import LiveSearcher
    from index.store.manifest import CorpusFacts

    index = fake_searcher.index
    bundled = replace(index, manifest=replace(index.manifest, corpus=CorpusFacts("corpus/reports", {})))
    before = sorted(BUNDLED_CORPUS.rglob("*"))
    said = Adding(LiveSearcher(fake_searcher.with_index(bundled))).add(["/etc/passwd"], progress=lambda *a, **k: None)
    assert "This is the sample collection that ships with Verbatim, which the app does not change." in said
    assert sorted(BUNDLED_CORPUS.rglob("*")) == before
