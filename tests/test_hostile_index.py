"""Hostile input against the index (issue 14): damaged index files, interrupted and concurrent
builds, odd questions for BM25, edited index files and citation records, full and read-only disks.
Real index files, the real `verbatim` entry point, real FAISS and bm25s."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run_verbatim

from index.config import MODES, Config
from index.search import Searcher

ODD_QUESTIONS = ("кто задержан ь", "ъ", "ьъь", "?!…", "🙂🙂", "\u0301", "Tokayev ь detained ъ")


@pytest.fixture(scope="module")
def searcher(fixture_index, embedder) -> Searcher:
    opened = Searcher.open(fixture_index)
    opened._embedder = embedder  # the session's model: loading it again would only cost time
    return opened


@pytest.mark.parametrize("question", ODD_QUESTIONS)
def test_item12_a_lone_soft_or_hard_sign_or_odd_characters_are_answered_in_every_mode(searcher, question):
    """A question with a lone ь or ъ, only punctuation, emoji or a combining mark gets hits or none, never a crash."""
    for mode in MODES:
        hits = searcher.search(question, mode=mode, k=5)
        assert all(h.document.text[h.passage.start : h.passage.end] == h.passage.text for h in hits)


@pytest.mark.parametrize("question", ["кто задержан ь", "ьъь", "🙂", "\u0301"])
def test_item12_verbatim_ask_answers_a_question_with_a_lone_soft_sign(fixture_index, question):
    """`verbatim ask "кто задержан ь"` prints passages (or "No passage matches"), exit 0, no traceback."""
    for mode in ("bm25", "hybrid"):
        result = run_verbatim("ask", question, "--mode", mode, "-k", "3", "--index", str(fixture_index.index_dir))
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr


def test_item12_transliteration_never_yields_an_empty_token():
    """ь and ъ have no Latin letters: the transliterated forms of a question never include an empty word."""
    from index.lexical import tokenize

    for language in ("en", "ru", "kk"):
        assert "" not in tokenize("кто задержан ь ъ ьъь", language, transliterate_names=True)


def _copy_index(fixture_index, tmp_path) -> Config:
    """A private copy of the fixture index, to damage."""
    copy = replace(fixture_index, index_dir=tmp_path / "index")
    shutil.copytree(fixture_index.index_dir, copy.index_dir)
    return copy


def _cut(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _without(key: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        manifest = json.loads((folder / "manifest.json").read_text())
        del manifest[key]
        (folder / "manifest.json").write_text(json.dumps(manifest))

    return damage


DAMAGE = {
    "truncated dense.faiss": (lambda folder: _cut(folder / "dense.faiss"), "dense.faiss is"),
    "missing bm25 folder": (lambda folder: shutil.rmtree(folder / "bm25"), "bm25/"),
    "cut sentence_vectors.npy": (lambda folder: _cut(folder / "sentence_vectors.npy", 0.9), "sentence_vectors.npy is"),
    "cut sentences.npy": (lambda folder: _cut(folder / "sentences.npy"), "sentences.npy is"),
    "manifest without model": (_without("model"), "its manifest lacks 'model'"),
    "manifest without counts": (_without("counts"), "its manifest lacks 'counts'"),
    "manifest without lexical": (_without("lexical"), "its manifest lacks 'lexical'"),
    "cut manifest": (lambda folder: _cut(folder / "manifest.json"), "manifest.json is not JSON"),
}


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("verbatim: error: ")
    return result.stderr.strip()


@pytest.mark.parametrize("damage", DAMAGE)
def test_item09_a_damaged_index_is_one_line_and_index_if_stale_rebuilds_it(fixture_index, tmp_path, damage):
    """`ask` and `show` on a damaged index print "the index at … is damaged (…); rebuild it"; `index --if-stale` rebuilds."""
    config = _copy_index(fixture_index, tmp_path)
    spoil, detail = DAMAGE[damage]
    spoil(config.index_dir)
    folder = str(config.index_dir)
    for command in (["ask", "who was detained?", "--mode", "bm25"], ["ask", "who was detained?"],
                    ["show", "fixture-hunger-strike"]):
        line = _one_line_error(run_verbatim(*command, "--index", folder))
        assert f"the index at {folder} is damaged (" in line and detail in line, line
        assert line.endswith("; rebuild it with `verbatim index`"), line
    rebuilt = run_verbatim("index", "--if-stale", "--corpus", str(config.corpus_dir), "--index", folder)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f"Building the index at {folder}: it is damaged (" in rebuilt.stdout, rebuilt.stdout
    assert Searcher.open(config).search("police vans near the square", mode="bm25")
    again = run_verbatim("index", "--if-stale", "--corpus", str(config.corpus_dir), "--index", folder)
    assert again.stdout.strip() == f"The index at {folder} is up to date.", again.stdout


def _edit_first(path: Path, field: str, change: Callable[[str], str | None]) -> str:
    """Rewrite one JSON Lines row's `field` in place, keeping every other byte; returns the new value."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines):
        row = json.loads(line)
        if (new := change(row[field])) is not None:
            row[field] = new
            lines[number] = json.dumps(row, ensure_ascii=False) + "\n"
            path.write_text("".join(lines), encoding="utf-8")
            return new
    raise AssertionError(f"no row of {path} to change")


def _other_digit(text: str) -> str | None:
    digit = re.search(r"\d", text)
    return None if digit is None else text[: digit.start()] + str((int(digit[0]) + 1) % 10) + text[digit.end() :]


def test_item19_a_number_edited_in_passages_jsonl_is_reported_not_served(fixture_index, tmp_path):
    """Changing one digit of a passage in passages.jsonl makes the index "damaged (passages.jsonl was changed …)"."""
    config = _copy_index(fixture_index, tmp_path)
    passages = config.index_dir / "passages.jsonl"
    size = passages.stat().st_size
    _edit_first(passages, "text", _other_digit)
    assert passages.stat().st_size == size  # the same length: only the hash can tell
    line = _one_line_error(run_verbatim("ask", "detained", "--mode", "bm25", "--index", str(config.index_dir)))
    assert "is damaged (passages.jsonl was changed after its build (its SHA-256 differs))" in line, line


def test_item19_a_title_edited_in_documents_jsonl_is_reported_not_served(fixture_index, tmp_path):
    """Changing a report's title in documents.jsonl makes the index "damaged (documents.jsonl …)"; show refuses it too."""
    config = _copy_index(fixture_index, tmp_path)
    _edit_first(config.index_dir / "documents.jsonl", "title", lambda title: "A forged title" if title else None)
    for command in (["ask", "detained", "--mode", "bm25"], ["show", "fixture-hunger-strike"]):
        line = _one_line_error(run_verbatim(*command, "--index", str(config.index_dir)))
        assert "is damaged (documents.jsonl " in line, line
