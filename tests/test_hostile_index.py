"""Hostile input against the index (issue 14): damaged index files, interrupted and concurrent
builds, odd questions for BM25, edited index files and citation records, full and read-only disks.
Real index files, the real `verbatim` entry point, real FAISS and bm25s."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import VERBATIM, run_verbatim

from corpus.paths import BUNDLED_CORPUS, REPO_ROOT
from index.config import MODES, Config
from index.errors import IndexWriteError
from index.search import Searcher
from index.store import build_index

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
    from corpus.languages.analysis import tokenize

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


def _dead_pid() -> int:
    """The pid of a process that has exited, as a killed build's would be."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def _only_corpus(tmp_path: Path, name: str) -> Path:
    """A one-report corpus, so that an index of it is told apart from the fixture index by its documents."""
    corpus = tmp_path / name
    corpus.mkdir()
    (corpus / "taraz.txt").write_text("Detentions in Taraz\n\nPolice in Taraz detained nine people at a rally "
                                      "against rising gas prices and released them the same evening.\n")
    return corpus


def test_item10_an_old_index_stranded_by_a_kill_between_the_renames_is_put_back(fixture_index, tmp_path):
    """An index left as `.index.retired-PID` by a killed build is back in place at the next `verbatim ask`."""
    config = _copy_index(fixture_index, tmp_path)
    config.index_dir.rename(config.index_dir.with_name(f".index.retired-{_dead_pid()}"))
    result = run_verbatim("ask", "police vans near the square", "--mode", "bm25", "--index", str(config.index_dir))
    assert result.returncode == 0, result.stderr
    assert "1. " in result.stdout
    assert (config.index_dir / "manifest.json").is_file() and _leftovers(config.index_dir) == []


def test_item10_a_build_killed_between_its_two_renames_leaves_a_working_index(fixture_index, tmp_path):
    """A build SIGKILLed right after moving the old index aside: the next `show` serves the new, finished index."""
    config = _copy_index(fixture_index, tmp_path)
    corpus = _only_corpus(tmp_path, "taraz")
    # The real build, killed by a real SIGKILL at the one point that used to lose the index.
    killer = (
        "import os, signal, sys\n"
        "rename = os.rename\n"
        "def killed_after(source, target):\n"
        "    rename(source, target)\n"
        "    if '.retired-' in str(target):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.rename = killed_after\n"
        "from app.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    build = subprocess.run([sys.executable, "-c", killer, "index", "--corpus", str(corpus), "--index", str(config.index_dir)],
                           capture_output=True, text=True, timeout=300, cwd=REPO_ROOT)
    assert build.returncode == -signal.SIGKILL, build.stderr
    assert not config.index_dir.exists()  # the state the kill left: no index, the old and the new beside it
    left = [name.rsplit("-", 1)[0] for name in _leftovers(config.index_dir)]
    assert left == [".index.building", ".index.lock", ".index.retired"]
    shown = run_verbatim("show", "taraz", "--index", str(config.index_dir))
    assert shown.returncode == 0, shown.stderr
    assert "Police in Taraz detained nine people" in shown.stdout  # the new index, whose build had finished
    assert _leftovers(config.index_dir) == []
    assert Searcher.open(replace(config, corpus_dir=corpus)).search("gas prices", mode="bm25")


def test_item10_an_unfinished_new_index_is_dropped_and_the_old_one_put_back(fixture_index, tmp_path):
    """Killed between the renames before the new index was complete: the old one comes back, the half-built one goes."""
    config = _copy_index(fixture_index, tmp_path)
    pid = _dead_pid()
    config.index_dir.rename(config.index_dir.with_name(f".index.retired-{pid}"))
    half = config.index_dir.with_name(f".index.building-{pid}")
    half.mkdir()
    (half / "dense.faiss").write_bytes(b"\0" * 100)  # no manifest: its build never finished
    assert Searcher.open(config).search("police vans near the square", mode="bm25")
    assert _leftovers(config.index_dir) == []


def test_item10_two_builds_of_one_folder_take_turns_and_both_succeed(tmp_path):
    """A second `verbatim index` of a folder being built says it waits for the first (with its pid), then builds."""
    corpus = tmp_path / "reports"  # the bundled reports three times over: a build long enough to overlap
    for copy in range(3):
        shutil.copytree(BUNDLED_CORPUS, corpus / f"copy{copy}", ignore=shutil.ignore_patterns("manifest.toml"))
    folder = tmp_path / "index"
    # --no-cache: every text embedded again (the suite's cache holds the bundled reports' vectors already).
    command = [str(VERBATIM), "index", "--corpus", str(corpus), "--index", str(folder), "--no-cache"]
    first = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".index.building-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert first.poll() is None, "the first build ended before the second started"
        asked = run_verbatim("ask", "detained", "--mode", "bm25", "--index", str(folder))
        assert asked.returncode == 1
        assert f"no index at {folder} yet: a build of it is running (pid {first.pid}); wait for it to finish" in asked.stderr
        second = run_verbatim("index", "--corpus", str(corpus), "--index", str(folder))
        first_out, first_err = first.communicate(timeout=300)
    finally:
        first.kill()
        first.wait()
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second.stderr
    assert f"waiting for another build of {folder} (pid {first.pid}) to finish" in second.stderr
    assert "Indexed " in first_out and "Indexed " in second.stdout
    assert Searcher.open(replace(Config(), corpus_dir=corpus, index_dir=folder)).search("hunger strike", mode="bm25")
    assert _leftovers(folder) == []


@contextmanager
def _small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A real tmpfs of `size` mounted at `folder` (the tests run as root); skipped where mounting is not allowed."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()}): the full-disk tests need one")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def _old_index(fixture_index, disk: Path) -> Config:
    """The fixture index, copied onto the small disk: the index a failed build must leave alone."""
    config = replace(fixture_index, index_dir=disk / "index")
    shutil.copytree(fixture_index.index_dir, config.index_dir)
    return config


def _still_serves(config: Config, manifest_before: str) -> None:
    assert (config.index_dir / "manifest.json").read_text() == manifest_before
    asked = run_verbatim("ask", "police vans near the square", "--mode", "bm25", "--index", str(config.index_dir))
    assert asked.returncode == 0 and "1. " in asked.stdout, asked.stderr
    assert [p.name for p in config.index_dir.parent.iterdir() if p.name != "filler"] == ["index"]


class _CountingEmbedder:
    """The real model, counting what it is asked to embed: a refused build must not have embedded anything."""

    def __init__(self, embedder) -> None:
        self._embedder, self.name, self.dimension, self.texts = embedder, embedder.name, embedder.dimension, 0

    def encode_documents(self, texts, progress=None):
        self.texts += len(texts)
        return self._embedder.encode_documents(texts, progress)


def test_item20_a_read_only_disk_is_one_line_before_embedding_and_the_old_index_stays(fixture_index, tmp_path, embedder):
    """`verbatim index` onto a read-only disk: "cannot write the index at …: Read-only file system (EROFS); …", exit 1."""
    with _small_disk(tmp_path / "disk", "1m") as disk:
        config = _old_index(fixture_index, disk)
        before = (config.index_dir / "manifest.json").read_text()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        result = run_verbatim("index", "--corpus", str(BUNDLED_CORPUS), "--index", str(config.index_dir))
        line = _one_line_error(result)
        assert line.startswith(f"verbatim: error: cannot write the index at {config.index_dir}: Read-only file system (EROFS); "
                               "pass --index DIR on a writable disk"), line
        counting = _CountingEmbedder(embedder)
        with pytest.raises(IndexWriteError, match=r"\(EROFS\)"):
            build_index(replace(config, corpus_dir=BUNDLED_CORPUS), embedder=counting)
        assert counting.texts == 0
        _still_serves(config, before)


def test_item20_a_disk_too_small_for_the_new_index_is_refused_before_embedding(fixture_index, tmp_path, embedder):
    """A build that cannot fit says how much it needs and how much is free, before embedding; the old index stays."""
    with _small_disk(tmp_path / "disk", "512k") as disk:
        config = _old_index(fixture_index, disk)
        before = (config.index_dir / "manifest.json").read_text()
        line = _one_line_error(run_verbatim("index", "--corpus", str(BUNDLED_CORPUS), "--index", str(config.index_dir)))
        assert re.search(rf"cannot write the index at {re.escape(str(config.index_dir))}: it needs about [\d.]+ MB and "
                         r"its disk has [\d.]+ MB free; free some space or pass --index DIR on another disk", line), line
        counting = _CountingEmbedder(embedder)
        with pytest.raises(IndexWriteError, match="it needs about"):
            build_index(replace(config, corpus_dir=BUNDLED_CORPUS), embedder=counting)
        assert counting.texts == 0
        _still_serves(config, before)


# 64 KB left: FAISS's file is the first write to fail; 400 KB: it fits, and numpy's sentence vectors fail.
@pytest.mark.parametrize("left_kb", [64, 400])
def test_item20_a_disk_that_fills_up_while_writing_is_one_line_and_the_old_index_stays(
        fixture_index, tmp_path, embedder, left_kb):
    """The disk fills up during the build (another program): ENOSPC is one IndexWriteError, the half-written copy is gone."""
    with _small_disk(tmp_path / "disk", "4m") as disk:
        config = _old_index(fixture_index, disk)
        before = (config.index_dir / "manifest.json").read_text()

        def fill_the_disk(texts, skipped, warnings) -> None:  # called once the target was checked, before embedding
            with (disk / "filler").open("wb") as filler:
                filler.write(b"\0" * (shutil.disk_usage(disk).free - left_kb * 1024))

        with pytest.raises(IndexWriteError) as raised:
            build_index(replace(config, corpus_dir=BUNDLED_CORPUS), embedder=embedder, on_corpus=fill_the_disk)
        assert str(raised.value).startswith(f"cannot write the index at {config.index_dir}: No space left on device (ENOSPC); "
                                            "free some space or build the index on another disk"), raised.value
        _still_serves(config, before)


def test_item19_verify_flags_a_record_whose_title_or_publisher_was_changed(fixture_index, tmp_path):
    """`verbatim verify` on a record with an edited title says STALE, "the record names it differently: its title is …"."""
    found = run_verbatim("ask", "detained police", "-k", "50", "--mode", "bm25", "--json",
                         "--index", str(fixture_index.index_dir))
    hits = json.loads(found.stdout)["hits"]
    assert len({hit["doc_id"] for hit in hits}) >= 4  # manifest titles, a file's own title, a PDF's, a file without an entry
    records = tmp_path / "found.json"
    records.write_text(found.stdout)
    fresh = run_verbatim("verify", str(records))
    assert fresh.returncode == 0, fresh.stdout  # no false alarm on any of them
    titled = next(hit for hit in hits if hit["doc_id"] == "fixture-election-page")
    forged = {**titled["record"], "title": "A forged title"}
    renamed = {**titled["record"], "publisher": "Someone Else"}
    (tmp_path / "forged.json").write_text(json.dumps([forged, renamed]))
    result = run_verbatim("verify", str(tmp_path / "forged.json"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"STALE fixture-election-page [{forged['start']}:{forged['end']}]: the quote is at its offsets, "
                               "but the record names it differently: its title is 'A forged title' where the source's is "
                               "'Election day in Nur-Sultan'"), lines[0]
    assert "its publisher is 'Someone Else' where the source's is 'Example Monitor'" in lines[1], lines[1]
    assert lines[-1] == "0 of 2 records verified; 2 stale"


def test_item10_a_folder_that_is_not_an_index_is_never_replaced(tmp_path):
    """`verbatim index --index DIR` on a folder of other files refuses in one line instead of replacing (deleting) it."""
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "my-notes.txt").write_text("not an index\n")
    line = _one_line_error(run_verbatim("index", "--corpus", str(_only_corpus(tmp_path, "taraz")), "--index", str(notes)))
    assert f"{notes} is not an index folder (it holds other files)" in line, line
    assert (notes / "my-notes.txt").read_text() == "not an index\n"
