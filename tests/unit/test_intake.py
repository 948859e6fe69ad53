"""Files taken into a corpus folder from outside (corpus/intake.py): hostile names, contents that
are not what their names say, and names already taken."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from corpus.intake import IntakeError, content_problem, safe_name, store_file


@pytest.mark.parametrize("name", ["../../etc/cron.d/x.txt", "..\\..\\boot.txt", "reports/a.txt", "..", ".", "a\0.txt"])
def test_a_name_that_holds_a_path_is_refused(name):
    with pytest.raises(IntakeError, match="the file name holds a path"):
        safe_name(name)


@pytest.mark.parametrize(("name", "safe"), [
    ("Report 2021.PDF", "Report 2021.pdf"),
    (".hidden.txt", "hidden.txt"),  # a hidden file is never read by a build
    ("...txt.txt", "txt.txt"),
    ("\u202etxt.exe.md", "txt.exe.md"),  # a mark that turns the name around on screen
    ("line\nbreak\ttab.txt", "linebreaktab.txt"),
    ("a<b>|c:d*?.html", "a-b-c-d.html"),
    ("Доклад о задержаниях.docx", "Доклад о задержаниях.docx"),
    ("$(rm -rf ~).txt", "(rm -rf -).txt"),
    ("#.txt", "document.txt"),
    ("x" * 300 + ".txt", "x" * 100 + ".txt"),
])
def test_other_names_are_made_safe(name, safe):
    assert safe_name(name) == safe
    assert safe_name(safe) == safe  # and stay as they are


@pytest.mark.parametrize("name", ["report.exe", "report", "manifest.toml", "notes.doc", "report.txt.zip"])
def test_a_type_no_loader_reads_is_refused(name):
    with pytest.raises(IntakeError, match=r"not a type of report that can be read .*; use one of \.txt"):
        safe_name(name)


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def zipped(folder: Path, name: str, members: dict[str, bytes]) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def test_contents_that_are_not_what_the_name_says_are_told(tmp_path):
    assert content_problem(write(tmp_path, "a.pdf", b"%PDF-1.7\n..."), ".pdf") is None
    assert content_problem(write(tmp_path, "b.pdf", b"hello"), ".pdf") == "its content is not a PDF"
    assert content_problem(write(tmp_path, "c.txt", b"\x7fELF\x02\x01"), ".txt") == "its content is a program (ELF), not text"
    assert content_problem(write(tmp_path, "d.txt", b"%PDF-1.4"), ".txt") == "its content is a PDF, not text"
    assert content_problem(write(tmp_path, "e.png", b"%PDF-1.4"), ".png") == "its content is a PDF, not a PNG image"
    assert content_problem(write(tmp_path, "f.txt", b""), ".txt") == "the file is empty"
    assert content_problem(write(tmp_path, "g.md", "# Отчёт\n".encode()), ".md") is None
    assert content_problem(write(tmp_path, "h.rtf", b"  {\\rtf1 hi}"), ".rtf") is None
    assert content_problem(zipped(tmp_path, "i.docx", {"word/document.xml": b"<w/>"}), ".docx") is None
    assert content_problem(zipped(tmp_path, "j.docx", {"x.txt": b"x"}), ".docx") == (
        "its content is a ZIP archive, not a Word document (it has no word/document.xml)")
    odt = zipped(tmp_path, "k.odt", {"mimetype": b"application/epub+zip", "content.xml": b"<x/>"})
    assert content_problem(odt, ".odt") == "its content is not an OpenDocument text (it says it is 'application/epub+zip')"
    assert content_problem(write(tmp_path, "l.epub", b"PK\x03\x04broken"), ".epub") == (
        "its content is not an EPUB book (a damaged ZIP archive)")


def test_a_file_is_stored_without_overwriting_another(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    first = write(tmp_path, "one", b"first report")
    second = write(tmp_path, "two", b"second report")
    stored = store_file(folder, "report.txt", first)
    assert stored.new and stored.path == folder / "report.txt" and stored.path.read_bytes() == b"first report"
    again = store_file(folder, "report.txt", first)  # the same bytes: kept, not copied twice
    assert not again.new and again.path == folder / "report.txt"
    other = store_file(folder, "report.txt", second)
    assert other.new and other.path == folder / "report-2.txt"
    assert (folder / "report.txt").read_bytes() == b"first report"
    assert sorted(p.name for p in folder.iterdir()) == ["report-2.txt", "report.txt"]  # no partial file left


def test_a_planted_link_is_never_written_through(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    outside = write(tmp_path, "outside.txt", b"not yours")
    (folder / "report.txt").symlink_to(outside)
    stored = store_file(folder, "report.txt", write(tmp_path, "new", b"a report"))
    assert stored.path == folder / "report-2.txt"
    assert outside.read_bytes() == b"not yours"
    linked = tmp_path / "linked"
    linked.symlink_to(folder)
    with pytest.raises(IntakeError, match="is not a folder"):
        store_file(linked, "x.txt", outside)
    with pytest.raises(IntakeError, match="holds a path"):
        store_file(folder, "../x.txt", outside)
    with pytest.raises(IntakeError, match="not a safe one"):
        store_file(folder, ".x.txt", outside)
    assert sorted(p.name for p in folder.iterdir()) == ["report-2.txt", "report.txt"]
