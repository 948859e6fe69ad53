"""Issue 14, hostile corpus folders: a build reads only the corpus's own regular files, gives every
document its own doc_id, never drops text silently, checks the manifest, and says how long it takes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import run_verbatim

from corpus import CorpusError, chunk_document, corpus_fingerprint, load_corpus
from corpus.paths import REPO_ROOT
from index.config import Config

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


# Item 4: doc_ids.


def test_item04_a_manifest_doc_id_is_never_shared_with_an_unlisted_file(tmp_path, embedder):
    """`a-report.txt` unlisted, `zzz.txt` listed as "a-report": each quote is cited from its own file."""
    from index.search import Searcher
    from index.store import build_index

    corpus_dir = tmp_path / "corpus"
    write(corpus_dir / "a-report.txt", report("Aktobe", day=7, n=31) + "\n\nThe hunger strike in Aktobe lasted nine days.\n")
    write(corpus_dir / "zzz.txt", "Z" * 40 + "\n\n" + report("Semey", day=9, n=4) + "\n")
    write(corpus_dir / "manifest.toml", '[[document]]\ndoc_id = "a-report"\npath = "zzz.txt"\n')

    config = Config(corpus_dir=corpus_dir, index_dir=tmp_path / "index")
    result = build_index(config, embedder=embedder)
    assert result.documents == 2
    hit = Searcher.open(config).search("detained in Aktobe", mode="dense", k=1)[0]
    source = (corpus_dir / "a-report.txt").read_text(encoding="utf-8")
    assert "Aktobe" in hit.passage.text
    start, end = hit.passage.start, hit.passage.end
    assert hit.document.text[start:end] == hit.passage.text == source[start:end]
    assert hit.citation.endswith(f"a-report.txt [{start}:{end}]")
    assert hit.document.doc_id == "a-report-2"
    (warning,) = result.warnings
    assert "a-report.txt" in str(warning) and "zzz.txt" in str(warning) and "'a-report-2'" in str(warning)
    assert {Path(d.path).name: d.doc_id for d in load_corpus(corpus_dir).documents} == {
        "zzz.txt": "a-report", "a-report.txt": "a-report-2"}


# Item 5: boilerplate never swallows the rest of a document; what is left out is reported.


def three_chapters(middle: str) -> str:
    return (
        f"1. Almaty\n\n{report('Almaty')}\n\n{middle}\n\n"
        f"2. Shymkent\n\n{report('Shymkent', day=8)}\n\n3. Oral\n\n{report('Oral', day=9)}\n"
    )


@pytest.mark.parametrize("heading", ["Contact us", "Kontakt", "Контакты", "Privacy policy", "Communiquez avec nous"])
def test_item05_a_contact_heading_in_a_report_does_not_drop_the_chapters_after_it(tmp_path, heading):
    """A .txt report with a 'Contact us' paragraph after chapter one still has all three chapters in passages."""
    write(tmp_path / "report.txt", three_chapters(f"{heading}\n\nWrite to the monitoring group at info@example.org."))
    text = passage_text(load_corpus(tmp_path).document("report"))
    for city in ("Almaty", "Shymkent", "Oral"):
        assert f"police in {city} detained" in text


def test_item05_a_real_short_footer_of_a_web_page_is_still_left_out(tmp_path):
    """On a web page, a 'Contact us' box mid-page keeps the story after it; the closing contact block
    stays in the text but out of passages."""
    paragraphs = (f"<p>{report('Almaty', day=3)}</p><p>Contact us</p><p>Write to info@example.org.</p>"
                  f"<p>{report('Taraz', day=4)}</p>")
    footer = "<p>Contact us</p><p>25 Owl Street, 6th Floor</p><p>Johannesburg, 2092</p><p>Tel: +27 11 833 5959</p>"
    write(tmp_path / "page.html", f"<html><head><title>Detentions</title></head><body><article><h1>Detentions</h1>"
                                  f"{paragraphs}{footer}</article></body></html>")
    document = load_corpus(tmp_path).document("page")
    assert "Owl Street" in document.text  # the page's own text keeps it, so offsets never shift
    text = passage_text(document)
    assert "police in Taraz detained" in text
    assert "Owl Street" not in text and "833 5959" not in text


def test_item05_a_build_warns_on_stderr_when_much_of_a_document_is_left_out(tmp_path):
    """`verbatim index` says which document lost how much text to boilerplate."""
    corpus_dir = tmp_path / "corpus"
    captions = "\n\n".join(f"Photo: protesters and police in Almaty square, picture number {i} of the gallery" for i in range(12))
    write(corpus_dir / "gallery.txt", f"{report('Almaty')}\n\n{captions}\n")
    write(corpus_dir / "plain.txt", three_chapters("Contact us"))
    result = run_verbatim("index", "--corpus", str(corpus_dir), "--index", str(tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "left out of passages" in line]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith("warning: ") and "gallery.txt" in warnings[0]
    assert "% of its text (" in warnings[0] and "characters)" in warnings[0]


# Item 8: manifest fields.

ENTRY = '[[document]]\ndoc_id = "a"\npath = "a.txt"\n'


def load_with_manifest(tmp_path: Path, fields: str, doc_id: str = '"a"'):
    write(tmp_path / "a.txt", report("Almaty"))
    write(tmp_path / "manifest.toml", f"[[document]]\ndoc_id = {doc_id}\npath = \"a.txt\"\n{fields}\n")
    return load_corpus(tmp_path)


def test_item08_an_unquoted_toml_date_is_read_as_the_date_it_says(tmp_path):
    """`date = 2019-12-16` without quotes is taken as "2019-12-16", not a crash; a `/` in a doc_id is fine."""
    corpus = load_with_manifest(tmp_path, "date = 2019-12-16", doc_id='"amnesty/2019"')
    assert corpus.document("amnesty/2019").date == "2019-12-16"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ('date = "2019-13-45"', "date", "is not a calendar date"),
        ('date = "2019-02-30"', "date", "is not a calendar date"),
        ('date = "2019-00"', "date", "is not a calendar date"),
        ("date = 2019-12-16T10:00:00", "date", "in quotes"),
        ("date = 2019", "date", "must be text in quotes"),
        ("title = 123", "title", "must be text in quotes, not 123"),
        ('publisher = ["a", "b"]', "publisher", "must be text in quotes"),
        ('title = "Line one\\nline two"', "title", "control characters"),
        ('url = "javascript:alert(1)"', "url", "http:// or https://"),
        ('url = "https://"', "url", "http:// or https://"),
        ('language = "fr"', "language", "use one of en, ru, kk"),
        ('language = 7', "language", "must be text in quotes"),
    ],
)
def test_item08_a_wrongly_typed_manifest_field_is_refused_naming_file_entry_and_field(tmp_path, fields, field, message):
    """Each bad field gets one line: the manifest, the entry's number and doc_id, the field, the fix."""
    with pytest.raises(CorpusError) as caught:
        load_with_manifest(tmp_path, fields)
    text = str(caught.value)
    assert "manifest.toml" in text and "[[document]] number 1 (doc_id 'a')" in text, text
    assert f"field {field!r}" in text and message in text, text
    assert "\n" not in text


@pytest.mark.parametrize(
    ("doc_id", "message"),
    [
        ('"a\\nb"', "control characters"),
        ('" a"', "spaces"),
        ('"' + "x" * 300 + '"', "at most 200 characters"),
        ("42", "must be text in quotes"),
    ],
)
def test_item08_an_unsafe_doc_id_is_refused(tmp_path, doc_id, message):
    """A doc_id with a newline, padding spaces, 300 characters or a number is refused."""
    with pytest.raises(CorpusError, match=f"field 'doc_id'.*{message}"):
        load_with_manifest(tmp_path, "", doc_id=doc_id)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../outside.txt", "inside the corpus folder"),
        ("/etc/passwd.txt", "relative to the corpus folder"),
        ("notes/../../x.txt", "inside the corpus folder"),
        ("a.doc", "not a supported file type"),  # Word 97; .docx is read (corpus/office.py)
    ],
)
def test_item08_a_manifest_path_outside_the_corpus_is_refused(tmp_path, path, message):
    """`path = "../outside.txt"` or an absolute path is refused, naming the entry and the field."""
    write(tmp_path / "a.txt", report("Almaty"))
    write(tmp_path / "manifest.toml", f'[[document]]\ndoc_id = "x"\npath = "{path}"\n')
    with pytest.raises(CorpusError, match=rf"number 1 \(doc_id 'x'\), field 'path'.*{message}"):
        load_corpus(tmp_path)


def test_item08_the_cli_refuses_a_bad_manifest_in_one_line_and_keeps_the_old_index(tmp_path):
    """`verbatim index` with `title = 123` prints one error line; the index built before still answers."""
    corpus_dir = tmp_path / "corpus"
    write(corpus_dir / "a.txt", report("Almaty"))
    write(corpus_dir / "manifest.toml", ENTRY)
    index_dir = tmp_path / "index"
    first = run_verbatim("index", "--corpus", str(corpus_dir), "--index", str(index_dir))
    assert first.returncode == 0, first.stderr
    write(corpus_dir / "manifest.toml", ENTRY + "title = 123\n")
    result = run_verbatim("index", "--corpus", str(corpus_dir), "--index", str(index_dir))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("verbatim: error: ") and "manifest.toml" in line
    assert "number 1 (doc_id 'a'), field 'title': must be text in quotes, not 123" in line
    assert (index_dir / "manifest.json").is_file()


# Item 14: short notes and binary files.


def test_item14_a_short_note_is_indexed_as_one_passage_with_a_warning(tmp_path):
    """A 39-character note is searchable, and the build says it was kept whole."""
    write(tmp_path / "note.txt", "Police detained two activists in Taraz.\n")
    corpus = load_corpus(tmp_path)
    assert [p.text for p in chunk_document(corpus.document("note"))] == ["Police detained two activists in Taraz."]
    from corpus import chunk_corpus

    (warning,) = chunk_corpus(corpus)[1]
    assert str(warning).endswith("note.txt: is short (39 characters); it is indexed whole, as one passage")


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


# Item 18: feedback on long builds.


def test_item18_a_build_prints_progress_lines_when_stderr_is_not_a_terminal(tmp_path):
    """With stderr piped, `verbatim index` still says how far embedding has got."""
    corpus_dir = tmp_path / "corpus"
    for city in ("Almaty", "Taraz", "Oral"):
        write(corpus_dir / f"{city.lower()}.txt", three_chapters(f"The situation in {city} remained tense."))
    result = run_verbatim("index", "--corpus", str(corpus_dir), "--index", str(tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("embedded ")]
    assert progress, result.stderr
    assert progress[-1].startswith("embedded ") and "(100 %)" in progress[-1]
    assert "\r" not in result.stderr  # no progress bar redrawn into a log file


def test_item18_a_large_build_is_announced_with_an_estimate():
    """Before embedding 1,234,567 texts the user is told roughly how long it will take."""
    from app.progress import EmbeddingProgress

    stream = io.StringIO()
    progress = EmbeddingProgress(stream, terminal=False)
    progress.start(1_234_567)
    first = stream.getvalue().splitlines()[0]
    assert first.startswith("warning: this build embeds 1,234,567 texts; at about ")
    assert " per second that is about " in first and " h " in first
    progress.close()


def test_item18_a_slow_build_prints_a_line_every_half_minute():
    """When a tenth of the work takes longer than 30 s, a line still comes every 30 s, with the time left."""
    from app.progress import EmbeddingProgress

    now = [0.0]
    stream = io.StringIO()
    progress = EmbeddingProgress(stream, terminal=False, clock=lambda: now[0])
    progress.start(10_000)
    for _ in range(4):
        now[0] += 10.0
        progress.update(100)
    assert stream.getvalue().splitlines() == ["embedded 300 of 10,000 texts (3 %), about 16 min left"]
