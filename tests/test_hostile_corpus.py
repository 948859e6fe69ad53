"""Issue 14, hostile corpus folders: a build reads only the corpus's own regular files, gives every
document its own doc_id, never drops text silently, checks the manifest, and says how long it takes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from corpus import chunk_document, corpus_fingerprint, load_corpus
from corpus.paths import REPO_ROOT

# Three chapters of an invented report; each chapter's paragraphs are long enough to be passages.
CHAPTER = (
    "On {day} March police in {city} detained {n} people who had gathered near the akimat to protest "
    "against the new law on peaceful assemblies. Witnesses said officers pushed several of them into "
    "buses without explaining the grounds for the detention, and lawyers were not allowed to see them "
    "until late in the evening, when most were released after paying a fine."
)
SECRET = "TOP-SECRET-TOKEN-4711"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def report(city: str, day: int = 5, n: int = 12) -> str:
    return CHAPTER.format(city=city, day=day, n=n)


def skipped_reasons(corpus) -> dict[str, str]:
    return {s.path.rsplit("/", 1)[-1]: s.reason for s in corpus.skipped}


def passage_text(document) -> str:
    return "\n".join(p.text for p in chunk_document(document))


# Item 3: links out of the corpus, devices, folders that point elsewhere.


def test_item03_symlink_to_a_file_outside_the_corpus_is_skipped(tmp_path):
    """`ln -s /outside/secret.txt corpus/passwd.txt`: the secret is not indexed; the user is told why.
    A link to a draft kept in a hidden folder of the corpus is indexed like the file itself."""
    corpus_dir = tmp_path / "corpus"
    write(corpus_dir / "report.txt", report("Almaty"))
    secret = write(tmp_path / "outside" / "secret.txt", f"{SECRET} root:x:0:0:root:/root:/bin/bash\n" * 5)
    (corpus_dir / "passwd.txt").symlink_to(secret)
    (corpus_dir / "shymkent.txt").symlink_to(write(corpus_dir / ".drafts" / "note.txt", report("Shymkent")))
    corpus = load_corpus(corpus_dir)
    assert [d.doc_id for d in corpus.documents] == ["report", "shymkent"]
    assert not any(SECRET in d.text for d in corpus.documents)
    assert "police in Shymkent" in corpus.document("shymkent").text
    reason = skipped_reasons(corpus)["passwd.txt"]
    assert "passwd.txt" in reason and "outside the corpus folder" in reason and "copy" in reason
    assert set(corpus_fingerprint(corpus_dir)) == {"report.txt", "shymkent.txt"}  # the secret's bytes are not even hashed


LOAD_AND_FINGERPRINT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from corpus import corpus_fingerprint, load_corpus
    corpus = load_corpus(Path(sys.argv[1]))
    print(sorted(d.doc_id for d in corpus.documents))
    for s in corpus.skipped:
        print("skipped", s.reason)
    print("fingerprint", sorted(corpus_fingerprint(Path(sys.argv[1]))))
""")


def test_item03_devices_pipes_and_proc_files_are_never_read(tmp_path):
    """Links to /dev/zero and /proc, and a named pipe, are listed as skipped; loading ends at once."""
    corpus_dir = tmp_path / "corpus"
    write(corpus_dir / "report.txt", report("Almaty"))
    (corpus_dir / "zero.txt").symlink_to("/dev/zero")
    (corpus_dir / "environ.txt").symlink_to("/proc/self/environ")
    os.mkfifo(corpus_dir / "pipe.txt")  # opening it for reading would wait for a writer forever
    # In a child process, so that a read of /dev/zero or the pipe fails the test by timeout, not by hanging it.
    result = subprocess.run(
        [sys.executable, "-c", LOAD_AND_FINGERPRINT, str(corpus_dir)], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "['report']"
    assert lines[-1] == "fingerprint ['report.txt']"
    skipped = [line for line in lines if line.startswith("skipped")]
    assert any("pipe.txt" in line and "not a regular file but a named pipe" in line for line in skipped), skipped
    for name in ("zero.txt", "environ.txt"):
        assert any(name in line and "a system file, not a report; it is never read" in line for line in skipped), skipped


def test_item03_a_linked_folder_pointing_outside_is_not_walked(tmp_path):
    """`ln -s /elsewhere corpus/more`: nothing below it is read, and the user hears about the folder."""
    corpus_dir = tmp_path / "corpus"
    write(corpus_dir / "report.txt", report("Almaty"))
    write(tmp_path / "elsewhere" / "private.txt", f"{SECRET} " + report("Taraz"))
    (corpus_dir / "more").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    corpus = load_corpus(corpus_dir)
    assert [d.doc_id for d in corpus.documents] == ["report"]
    reason = skipped_reasons(corpus)["more"]
    assert "outside the corpus folder" in reason
    assert set(corpus_fingerprint(corpus_dir)) == {"report.txt"}


# Item 14: binary files.


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("zeros.txt", b"\x00" * 4096),
        ("blob.md", bytes(range(1, 9)) * 200 + b"some words"),
        ("page.html", b"<html><body><article><p>" + b"police detained \x01\x02\x03 " * 200 + b"</p></article></body></html>"),
    ],
)
def test_item14_a_binary_file_is_skipped_as_not_text(tmp_path, name, data):
    """A .txt of NUL bytes (or mostly control characters) is skipped: it looks like a binary file."""
    write(tmp_path / "report.txt", report("Almaty"))
    (tmp_path / name).write_bytes(data)
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus.documents] == ["report"]
    assert "looks like a binary file, not text" in skipped_reasons(corpus)[name]
