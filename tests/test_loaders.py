"""Reading reports: every format, titles from the file, broken files skipped with a reason."""

from __future__ import annotations

import pytest

from corpus import CorpusError, chunk_document, load_corpus


def test_a_corpus_folder_loads_every_format_and_skips_what_it_cannot_read(fixture_corpus):
    corpus = load_corpus(fixture_corpus)
    ids = {d.doc_id for d in corpus.documents}
    assert ids == {"fixture-election-page", "fixture-hunger-strike", "fixture-escaping", "extra-report", "aktobe-atyrau",
                   "latin1"}
    reasons = {s.path.rsplit("/", 1)[-1]: s.reason for s in corpus.skipped}
    assert set(reasons) == {"broken.pdf"}
    assert "not a readable PDF" in reasons["broken.pdf"]
    # Not UTF-8, but its encoding can be told (tests/test_encodings.py): read, and the encoding recorded.
    latin1 = corpus.document("latin1")
    assert (latin1.text, latin1.encoding) == ("Détention à Almaty", "cp1252")


def test_pdf_text_keeps_its_page_numbers(fixture_corpus):
    document = load_corpus(fixture_corpus).document("aktobe-atyrau")
    assert document.title == "Detentions in Aktobe and Atyrau"  # from the PDF's metadata
    assert len(document.page_starts) == 2
    passages = chunk_document(document)
    aktobe = next(p for p in passages if "Aktobe detained twelve" in p.text)
    atyrau = next(p for p in passages if "Atyrau were detained" in p.text)
    assert aktobe.page == 1
    assert atyrau.page == 2


def test_html_gives_the_main_text_without_navigation_or_footer(fixture_corpus):
    document = load_corpus(fixture_corpus).document("fixture-election-page")
    assert "detained several hundred peaceful protesters" in document.text
    assert "navigation fund" not in document.text
    assert "footer-only offer" not in document.text
    assert document.url == "https://example.org/election-day"


def test_a_file_without_a_manifest_entry_takes_its_title_from_the_file(fixture_corpus):
    corpus = load_corpus(fixture_corpus)
    assert corpus.document("extra-report").title == "Rally in Shymkent"
    # In the manifest but without a title: the Markdown heading is used.
    assert corpus.document("fixture-hunger-strike").title == "Hunger strike in the Almaty detention centre"


def test_markdown_headings_become_sections(fixture_corpus):
    passages = chunk_document(load_corpus(fixture_corpus).document("fixture-hunger-strike"))
    assert {p.section for p in passages} == {
        "Hunger strike in the Almaty detention centre › What happened",
        "Hunger strike in the Almaty detention centre › Response of the authorities",
    }


def test_windows_line_endings_are_the_only_thing_normalised(tmp_path):
    (tmp_path / "crlf.txt").write_bytes("First line\r\n\r\nThe police detained  two\u00a0activists.\r\n".encode())
    document = load_corpus(tmp_path).document("crlf")
    assert document.text == "First line\n\nThe police detained  two\u00a0activists.\n"


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ('[[document]]\ndoc_id = "a"\npath = "a.txt"\n[[document]]\ndoc_id = "a"\npath = "b.txt"\n', "repeats doc_id 'a'"),
        ('[[document]]\npath = "a.txt"\n', "needs a 'doc_id'"),
        ('[[document]]\ndoc_id = "a"\npath = "a.txt"\ndate = "June 2019"\n', "write YYYY, YYYY-MM or YYYY-MM-DD"),
        ('[[document]]\ndoc_id = "a"\npath = "a.txt"\nauthor = "x"\n', "unknown fields ['author']"),
        ("[[document]\n", "not valid TOML"),
    ],
)
def test_a_broken_manifest_is_refused_with_the_fix(tmp_path, manifest, message):
    (tmp_path / "a.txt").write_text("Some report text about detentions.\n")
    (tmp_path / "manifest.toml").write_text(manifest)
    with pytest.raises(CorpusError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_corpus(tmp_path)


def test_a_missing_corpus_folder_names_the_fix(tmp_path):
    with pytest.raises(CorpusError, match="; give the folder of reports$"):
        load_corpus(tmp_path / "nowhere")
