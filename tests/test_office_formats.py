"""Office and mail formats (issue 17): .docx, .odt, .rtf, .eml and .epub files, made here with their
real libraries, are indexed with their headings as sections and the title, publisher and date they
carry (and where the date came from); the manifest's word overrides theirs; a quote from each
verifies; a damaged file of each kind is skipped with one line naming it and the reason."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from office_files import ARRESTS, COURTS, HTML, RUSSIAN, write_all, write_docx, write_eml, write_epub, zip_of

from app.payload import hit_payload
from corpus import chunk_corpus, chunk_document, load_corpus
from corpus.loaders import load_file
from corpus.verify import verify_record

# doc_id: title, publisher, date, where the date came from, the sections of its passages.
EXPECTED = {
    "almaty": ("Detentions in Almaty after the January events", "Kazakhstan Rights Bureau", "2022-02-14", "docx properties",
               {"January in Almaty › Arrests at the akimat",  "January in Almaty › Arrests at the akimat › Lists of the detained",
                "January in Almaty › Trials in Almaty courts"}),
    "aralsk": ("Fishermen detained in Aralsk", "Aral Sea Monitor", "2021-05-04", "odt properties",
               {"Fishermen of Aralsk", "Fishermen of Aralsk › Release of the fishermen"}),
    "students": ("Задержания студентов", "Бюро прав человека", "2022-01-07", "rtf properties", {"Задержания в Алматы"}),
    "hunger-strike": ("Hunger strike in the Almaty detention centre", "Almaty Legal Aid", "2019-12-16", "e-mail header",
                      {"Hunger strike in the Almaty detention centre",
                       "Hunger strike in the Almaty detention centre › Attachment: witness.txt"}),
    "shymkent": ("Journalists detained in Shymkent", "Steppe Media Watch", "2021-09-03", "html meta", {""}),
    "aktobe": ("Detentions in Aktobe", "Aktobe Monitoring Group", "2019-07-20", "pdf metadata", {""}),
    "prisoners": ("Prisoners of conscience in Kazakhstan", "Freedom Books", "2021-03", "epub metadata",
                  {"Prisoners of conscience", "Prisoners of conscience › Conditions in prison"}),
}


@pytest.fixture(scope="module")
def office_folder(tmp_path_factory) -> Path:
    return write_all(tmp_path_factory.mktemp("office") / "archive")


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_each_format_is_indexed_with_its_sections_and_the_metadata_it_carries(office_folder, doc_id):
    corpus = load_corpus(office_folder)
    assert not corpus.skipped
    document = corpus.document(doc_id)
    title, publisher, date, source, sections = EXPECTED[doc_id]
    assert (document.title, document.publisher, document.date, document.date_source) == (title, publisher, date, source)
    passages = chunk_document(document)
    assert {p.section for p in passages} == sections
    for passage in passages:
        assert document.text[passage.start : passage.end] == passage.text


def test_the_canonical_text_is_the_documents_words_with_markdown_headings(office_folder):
    corpus = load_corpus(office_folder)
    almaty = corpus.document("almaty").text
    assert almaty.startswith("# January in Almaty\n\n## Arrests at the akimat\n\n" + ARRESTS + "\n\n### Lists of the detained")
    assert "Court | Sentences\nAlmaly district court | forty\n" in almaty  # the table, a row a line
    assert "fines of  one hundred thousand tenge" in corpus.document("aralsk").text  # <text:s c="2"/> is two spaces
    assert corpus.document("students").text == "# Задержания в Алматы\n\n" + RUSSIAN + "\n"  # \uNNNN and cp1251 \'xx alike
    epub = corpus.document("prisoners").text
    assert epub.index("Prisoners of conscience") < epub.index("## Conditions in prison")  # spine order, not name order
    assert "came weeks late,\nopened and" in epub  # <em> is read as its words, <br/> as a line break
    mail = corpus.document("hunger-strike").text
    assert mail.startswith("# Hunger strike in the Almaty detention centre\n\nDear colleagues,\n\nSeven detainees")
    assert "## Attachment: witness.txt\n\nWitness statement. The guards" in mail
    assert "PNG" not in mail


def test_reading_a_file_again_gives_the_same_text(office_folder):
    for path in sorted(office_folder.iterdir()):
        assert load_file(path) == load_file(path), path.name


def test_an_attachment_that_is_not_text_is_named_in_a_warning(office_folder):
    corpus = load_corpus(office_folder)
    _, warnings = chunk_corpus(corpus)
    [warning] = [w for w in warnings if w.path.endswith("hunger-strike.eml")]
    assert warning.message == ("its attachments photo.png (image/png) are not read: "
                               "only the message and its text attachments are")


def test_an_e_mail_body_is_its_plain_part_in_its_charset_else_its_html_read_as_a_page(tmp_path):
    from email.message import EmailMessage

    both = EmailMessage()
    both["Subject"], both["From"], both["Date"] = "Задержания", "monitor@example.org", "Mon, 6 Jan 2022 10:00:00 +0600"
    both.set_content(RUSSIAN + "\n", charset="koi8-r")
    both.add_alternative("<html><body><p>The HTML copy of the message.</p></body></html>", subtype="html")
    (tmp_path / "both.eml").write_bytes(bytes(both))
    assert "Content-Type: text/plain; charset=\"koi8-r\"" in bytes(both).decode("ascii")
    html_only = EmailMessage()
    html_only["Subject"], html_only["From"] = "Weekly digest", "Digest <digest@example.org>"
    html_only.set_content(f"<html><body><nav>Unsubscribe | Preferences</nav><article><p>{ARRESTS}</p><p>{COURTS}</p>"
                          "</article></body></html>", subtype="html")
    (tmp_path / "digest.eml").write_bytes(bytes(html_only))
    note = EmailMessage()
    note["Subject"] = "Short note"
    note.set_content("<p>Call the lawyer <b>today</b>.</p>", subtype="html")
    (tmp_path / "note.eml").write_bytes(bytes(note))
    corpus = load_corpus(tmp_path)
    assert corpus.document("both").text == "# Задержания\n\n" + RUSSIAN + "\n"  # the plain part, decoded from KOI8-R
    assert corpus.document("both").publisher == "monitor@example.org" and corpus.document("both").date == "2022-01-06"
    digest = corpus.document("digest")
    assert digest.text == f"# Weekly digest\n\n{ARRESTS}\n\n{COURTS}\n" and digest.publisher == "Digest"
    assert corpus.document("note").text == "# Short note\n\nCall the lawyer today.\n"  # too short for trafilatura: read whole


def test_the_manifest_overrides_what_the_file_says(tmp_path):
    write_docx(tmp_path / "almaty.docx")
    (tmp_path / "shymkent.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[[document]]\ndoc_id = "almaty-2022"\npath = "almaty.docx"\ntitle = "Almaty, January 2022"\n'
        'publisher = "ACCA"\ndate = "2022-03"\n\n'
        '[[document]]\ndoc_id = "shymkent"\npath = "shymkent.html"\nurl = "https://example.org/copy"\n')
    corpus = load_corpus(tmp_path)
    almaty = corpus.document("almaty-2022")
    assert (almaty.title, almaty.publisher, almaty.date, almaty.date_source) == ("Almaty, January 2022", "ACCA", "2022-03", "")
    shymkent = corpus.document("shymkent")  # only its url is the manifest's; the rest is the page's own
    assert (shymkent.url, shymkent.publisher, shymkent.date) == ("https://example.org/copy", "Steppe Media Watch", "2021-09-03")
    assert corpus.document("shymkent").metadata()["date_source"] == "html meta"


def test_the_page_address_and_a_byline_are_read_from_html(tmp_path):
    write_all(tmp_path)
    assert load_corpus(tmp_path).document("shymkent").url == "https://media-watch.example.org/shymkent-journalists"
    # No <meta> but the byline: its author is the publisher, its <time> the date, found in the page.
    bare = HTML.replace('<meta name="author" content="Aigerim Sadykova">', "").replace(
        '<meta property="og:site_name" content="Steppe Media Watch">', "").replace(
        '<meta property="article:published_time" content="2021-09-03T09:30:00+06:00">', "")
    (tmp_path / "shymkent.html").write_text(bare, encoding="utf-8")
    document = load_corpus(tmp_path).document("shymkent")
    assert (document.publisher, document.date, document.date_source) == ("Aigerim Sadykova", "2021-09-03", "html page")


def test_a_date_that_cannot_be_read_is_left_out_with_a_warning(tmp_path):
    write_eml(tmp_path / "undated.eml", date="sometime before Christmas")
    (tmp_path / "page.html").write_text(HTML.replace("2021-09-03T09:30:00+06:00", "the 3rd of Septober"), encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.document("undated").date == "" and corpus.document("undated").date_source == ""
    assert corpus.document("page").date == ""
    messages = {w.path.rsplit("/", 1)[-1]: w.message for w in corpus.warnings if "cannot be read as a date" in w.message}
    assert messages == {
        "undated.eml": "its date in the e-mail header ('sometime before Christmas') cannot be read as a date, so it is left "
                       "out; give the date in manifest.toml",
        "page.html": "its date in the html meta ('the 3rd of Septober') cannot be read as a date, so it is left out; "
                     "give the date in manifest.toml",
    }
    # With the date in the manifest, nothing is left out and nothing is said.
    (tmp_path / "manifest.toml").write_text('[[document]]\ndoc_id = "undated"\npath = "undated.eml"\ndate = "2019-12"\n')
    corpus = load_corpus(tmp_path)
    assert corpus.document("undated").date == "2019-12"
    assert not [w for w in corpus.warnings if w.path.endswith("undated.eml") and "date" in w.message]


def test_a_docx_without_core_properties_takes_its_title_from_its_first_heading(tmp_path):
    write_docx(tmp_path / "plain.docx", properties=False)
    document = load_corpus(tmp_path).document("plain")
    # python-docx's own template names itself the author and 2013 the date: the file's word, as it is.
    assert document.title == "January in Almaty"
    assert (document.publisher, document.date) == ("python-docx", "2013-12-23")


def test_a_docx_is_read_as_word_shows_it(tmp_path):
    """Tracked insertions and content controls are text, deletions are not; a style based on Heading 1
    (named in any language) is a heading by its outline level; a text box is a paragraph of its own."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    section_style = document.styles.add_style("Раздел доклада", WD_STYLE_TYPE.PARAGRAPH)
    section_style.base_style = document.styles["Heading 1"]
    document.add_paragraph("Задержания в Шымкенте", style=section_style)
    paragraph = document.add_paragraph("Police detained ")
    paragraph._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="editor"><w:r><w:t>eleven</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="editor"><w:r><w:delText>nine</w:delText>'
                                  "</w:r></w:del>"))
    paragraph.add_run(" people at the rally in Shymkent on 22 February 2020, among them two journalists who were "
                      "filming the crowd and the police officers.")
    document.element.body.insert(2, parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>A paragraph inside a content control, as '
        "templates write their cover pages and boilerplate.</w:t></w:r></w:p></w:sdtContent></w:sdt>"))
    box = ("<w:txbxContent><w:p><w:r><w:t>Text box: the police said the rally had not been authorised by the "
           "akimat.</w:t></w:r></w:p></w:txbxContent>")
    # A text box as Word writes it: a drawing for new readers (mc:Choice), its VML copy for old ones (mc:Fallback).
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f"{box}</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"))
    document.save(str(tmp_path / "shymkent.docx"))
    loaded = load_file(tmp_path / "shymkent.docx")
    assert loaded.text.count("Text box: the police said") == 1
    assert "police officers.\n\nText box: the police said" in loaded.text
    assert loaded.text.startswith("# Задержания в Шымкенте\n\nPolice detained eleven people at the rally")
    assert "nine" not in loaded.text
    assert "\n\nA paragraph inside a content control, as templates write" in loaded.text


def test_an_epub_missing_a_chapter_is_indexed_with_a_warning_and_a_locked_one_is_skipped(tmp_path):
    write_epub(tmp_path / "source.epub")
    with zipfile.ZipFile(tmp_path / "source.epub") as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    (tmp_path / "gap.epub").write_bytes(zip_of({k: v for k, v in members.items() if not k.endswith("a-second.xhtml")}))
    encryption = ('<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                  'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:CipherData>'
                  '<enc:CipherReference URI="OEBPS/text/b-first.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>')
    (tmp_path / "locked.epub").write_bytes(zip_of({**members, "META-INF/encryption.xml": encryption.encode()}))
    (tmp_path / "source.epub").unlink()
    corpus = load_corpus(tmp_path)
    assert "Pavlodar" not in corpus.document("gap").text and "Ten people were imprisoned" in corpus.document("gap").text
    assert [w.message for w in corpus.warnings] == [
        "its chapters OEBPS/text/a-second.xhtml cannot be read (missing or damaged); the rest of the book is indexed"]
    [skipped] = corpus.skipped
    assert skipped.reason == (f"{tmp_path / 'locked.epub'}: the book is encrypted (DRM: OEBPS/text/b-first.xhtml "
                              "cannot be read); give a copy without DRM")


CORRUPT = {
    "not-a-zip.docx": (b"This is a Word 97 document renamed.\n", "not a readable .docx file: it is not a zip archive"),
    "no-body.docx": (zip_of({"[Content_Types].xml": b"<Types/>"}), "not a readable .docx file"),
    "locked.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "it is an OLE file, as a password-protected document"),
    "locked.odt": (zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"\x8f\x02",
                         "META-INF/manifest.xml": b'<manifest:encryption-data manifest:checksum-type="SHA1/1K"/>'}),
                   "the document is password-protected"),
    "not-a-zip.odt": (b"\x00\x01binary", "not a readable OpenDocument text (.odt): it is not a zip archive"),
    "no-content.odt": (zip_of({"mimetype": b"application/vnd.oasis.opendocument.text"}), "it holds no content.xml"),
    "bad-xml.odt": (zip_of({"content.xml": b"<office:document-content"}), "its content.xml is not well-formed XML"),
    "spreadsheet.odt": (zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
                        "'application/vnd.oasis.opendocument.spreadsheet', not a text document"),
    "plain.rtf": (b"Just text, saved with the wrong name.\n", "not an RTF file (it does not begin with {\\rtf})"),
    "binary.eml": (bytes(range(256)) * 4, "not an e-mail message: it has none of the headers From, To, Date"),
    "not-a-zip.epub": (b"%PDF-1.4\n", "not a readable EPUB book (.epub): it is not a zip archive"),
    "no-container.epub": (zip_of({"mimetype": b"application/epub+zip"}), "it holds no META-INF/container.xml"),
}


@pytest.mark.parametrize("name", sorted(CORRUPT))
def test_a_damaged_file_of_each_kind_is_skipped_with_its_reason(tmp_path, name):
    data, reason = CORRUPT[name]
    (tmp_path / "good.txt").write_text(ARRESTS + "\n")
    (tmp_path / name).write_bytes(data)
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus.documents] == ["good"]
    [skipped] = corpus.skipped
    assert skipped.path.endswith(name) and skipped.reason.startswith(f"{tmp_path / name}: ")
    assert reason in skipped.reason and "\n" not in skipped.reason


QUERIES = [  # doc_id, a question its text answers, words the quote holds, the quote's section
    ("almaty", "How many people did police detain near the Almaty city administration?", "two hundred people",
     "January in Almaty › Arrests at the akimat"),
    ("aralsk", "fishermen detained by border guards on the lake shore", "six fishermen", "Fishermen of Aralsk"),
    ("students", "задержала студентов в Алматы", "двадцать студентов", "Задержания в Алматы"),
    ("hunger-strike", "What did the detainees on hunger strike demand?", "demanding to see their lawyers",
     "Hunger strike in the Almaty detention centre"),
    ("hunger-strike", "guards took away the mattresses and refused to call a doctor", "mattresses",
     "Hunger strike in the Almaty detention centre › Attachment: witness.txt"),
    ("shymkent", "journalists footage deleted by police in Shymkent", "footage was deleted", ""),
    ("aktobe", "protesters detained in Aktobe", "twelve protesters", ""),
    ("prisoners", "prisoners kept in cold cells in the Pavlodar colony", "cold cells",
     "Prisoners of conscience › Conditions in prison"),
]


def test_one_real_index_of_every_format_finds_each_and_its_quotes_verify(office_folder, tmp_path, embedder):
    from index.config import Config
    from index.search import Searcher
    from index.store import build_index

    config = Config(corpus_dir=office_folder, index_dir=tmp_path / "index")
    build_index(config, embedder=embedder)
    searcher = Searcher.open(config)
    searcher._embedder = embedder
    for doc_id, question, words, section in QUERIES:
        [hit] = searcher.search(question, k=1)
        assert hit.document.doc_id == doc_id, (question, hit.document.doc_id)
        record = hit_payload(hit)["record"]
        assert words in record["quote"] and record["section"] == section, (doc_id, record)
        assert (record["title"], record["publisher"], record["date"]) == EXPECTED[doc_id][:3]
        verification = verify_record(record)
        assert verification.ok, (doc_id, verification.message)
