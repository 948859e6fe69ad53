"""Shared fixtures: the real model, loaded once; indexes of the bundled corpus and of the fixtures."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# The suite's builds share one embedding cache of their own (subprocesses inherit it): never the
# user's build/cache, which a test must neither read (a stale or damaged one) nor fill.
_TEST_CACHE = tempfile.mkdtemp(prefix="verbatim-test-cache-")
os.environ.setdefault("VERBATIM_CACHE", _TEST_CACHE)
atexit.register(shutil.rmtree, _TEST_CACHE, True)

from corpus.paths import BUNDLED_CORPUS, REPO_ROOT  # noqa: E402
from index.config import Config  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path(os.environ.get("VERBATIM_CHROMIUM", "/usr/bin/chromium"))  # Debian's, driven by Playwright
VERBATIM = Path(sys.executable).parent / "verbatim"


@pytest.fixture(scope="session")
def embedder():
    from index.models import Embedder

    return Embedder()


def write_pdf(path: Path) -> None:
    """A two-page PDF, made here so the test owns every word of it."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.set_title("Detentions in Aktobe and Atyrau")
    pdf.add_page()
    pdf.multi_cell(0, 6, "Detentions in Aktobe\n\nOn 6 July 2019 police in Aktobe detained twelve protesters "
                   "near the city administration building and drove them to the regional police department.")
    pdf.add_page()
    pdf.multi_cell(0, 6, "Two journalists covering the rally in Atyrau were detained for three hours and "
                   "their footage was deleted by the police before they were released.")
    pdf.output(str(path))


@pytest.fixture(scope="session")
def fixture_corpus(tmp_path_factory) -> Path:
    """The fixture reports, plus a generated PDF and two files that cannot be read."""
    folder = tmp_path_factory.mktemp("fixture-corpus") / "reports"
    shutil.copytree(FIXTURES / "corpus", folder)
    write_pdf(folder / "aktobe-atyrau.pdf")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    (folder / "latin1.txt").write_bytes("Détention à Almaty".encode("latin-1"))
    return folder


@pytest.fixture(scope="session")
def fixture_index(fixture_corpus, tmp_path_factory, embedder) -> Config:
    from index.store import build_index

    config = Config(corpus_dir=fixture_corpus, index_dir=tmp_path_factory.mktemp("fixture-index") / "index")
    build_index(config, embedder=embedder)
    return config


@pytest.fixture(scope="session")
def multilingual_index(tmp_path_factory) -> Config:
    """Short English, Russian and Kazakh reports (no manifest: languages are detected), indexed with
    the real multilingual model."""
    from index.store import build_index

    config = Config(corpus_dir=FIXTURES / "multilingual", index_dir=tmp_path_factory.mktemp("multilingual") / "index",
                    model="multilingual")
    build_index(config)
    return config


@pytest.fixture(scope="session")
def bundled_multilingual_index(tmp_path_factory) -> Config:
    """The five bundled English reports indexed with the real multilingual model (about 10 s here
    with nothing cached)."""
    from index.store import build_index

    config = Config(corpus_dir=BUNDLED_CORPUS, index_dir=tmp_path_factory.mktemp("bundled-multilingual") / "index",
                    model="multilingual")
    build_index(config)
    return config


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory, embedder) -> Config:
    from index.store import build_index

    config = Config(corpus_dir=BUNDLED_CORPUS, index_dir=tmp_path_factory.mktemp("bundled-index") / "index")
    build_index(config, embedder=embedder)
    return config


def run_verbatim(*args: str, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real entry point, as a user runs it (with `env`, in that environment)."""
    return subprocess.run(
        [str(VERBATIM), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL, env=env,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {process.stdout.read()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise TimeoutError(f"nothing listened on port {port} within {seconds} s")


@pytest.fixture(scope="session")
def app_url(fixture_index):
    """`verbatim serve` on the fixture index, on a free port, for the HTTP and browser tests."""
    yield from serve(fixture_index)


@pytest.fixture(scope="session")
def bundled_app_url(bundled_index):
    """`verbatim serve` on the bundled reports, for the browser tests that do a researcher's whole task."""
    yield from serve(bundled_index)


@pytest.fixture(scope="session")
def multilingual_app_url(multilingual_index):
    """`verbatim serve` on the English, Russian and Kazakh fixture, indexed with the multilingual model."""
    yield from serve(multilingual_index)


def serve(config: Config):
    port = free_port()
    process = subprocess.Popen(
        [str(VERBATIM), "serve", "--port", str(port), "--index", str(config.index_dir)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)


# The fast tier (tests/unit): an index of the fixture reports embedded by a bag-of-words fake.
@pytest.fixture(scope="session")
def fake_index(tmp_path_factory) -> Config:
    from fakes import BagOfWordsEncoder

    from index.store import build_index

    config = Config(corpus_dir=FIXTURES / "corpus", index_dir=tmp_path_factory.mktemp("fake-index") / "index")
    build_index(config, embedder=BagOfWordsEncoder())
    return config


@pytest.fixture()
def fake_searcher(fake_index):
    """A fresh searcher over the fake index, its model the fake (never the real one)."""
    from fakes import BagOfWordsEncoder

    from index.search import Searcher
    from index.store import open_index

    searcher = Searcher(open_index(fake_index, check_corpus=False), fake_index)
    searcher._embedder = BagOfWordsEncoder()
    return searcher


SCREENSHOTS = REPO_ROOT / "test-output" / "browser"


@pytest.fixture()
def page(browser):
    """A fresh desktop-sized page (downloads allowed) in the module's browser; screenshots go to SCREENSHOTS."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one per test module (Playwright's sync API holds one loop per thread)."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not at {CHROMIUM}: the browser tests need it. `make test` installs it with "
                    "`apt-get install chromium`; where that cannot run, install it another way and set VERBATIM_CHROMIUM.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()
