"""Office and mail formats (issue 17): .docx, .odt, .rtf, .eml and .epub files, made here with their
real libraries, are indexed with their headings as sections and the title, publisher and date they
carry (and where the date came from); the manifest's word overrides theirs; a quote from each
verifies; a damaged file of each kind is skipped with one line naming it and the reason."""

from __future__ import annotations

import datetime
import re
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

from corpus import chunk_corpus, chunk_document, load_corpus
from corpus.loaders import load_file
from corpus.verify import verify_record

# Paragraphs long enough to be passages of their own; each report's words are its own, so a search finds it.
ARRESTS = ("On 5 January 2022 police in Almaty detained more than two hundred people near the city administration, "
           "according to lawyers who visited the detention centre the next day and counted the names on the lists.")
COURTS = ("Courts sentenced forty of the detained protesters to administrative detention of up to fifteen days, in "
          "hearings that lasted a few minutes each and where defence lawyers were not admitted to the courtroom.")
RUSSIAN = ("Полиция задержала двадцать студентов в Алматы пятого января, и адвокаты не могли встретиться с ними "
           "до позднего вечера, когда большинство отпустили после уплаты штрафа.")


def write_docx(path: Path, *, properties: bool = True) -> None:
    import docx

    document = docx.Document()
    if properties:
        document.core_properties.title = "Detentions in Almaty after the January events"
        document.core_properties.author = "Kazakhstan Rights Bureau"
        document.core_properties.created = datetime.datetime(2022, 2, 14, 9, 30)
    document.add_heading("January in Almaty", level=0)  # the Title style
    document.add_heading("Arrests at the akimat", level=1)
    document.add_paragraph(ARRESTS)
    document.add_heading("Lists of the detained", level=2)
    document.add_paragraph("Lawyers in Almaty kept handwritten lists of the detained protesters at the gates of the "
                           "detention centre, which the police twice tried to take away from them.")
    document.add_heading("Trials in Almaty courts", level=1)
    document.add_paragraph(COURTS)
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, (("Court", "Sentences"), ("Almaly district court", "forty")), strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.save(str(path))


def write_odt(path: Path) -> None:
    from odf import dc, meta, text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Fishermen detained in Aralsk"))
    document.meta.addElement(meta.InitialCreator(text="Aral Sea Monitor"))
    document.meta.addElement(meta.CreationDate(text="2021-05-04T10:15:00"))
    document.text.addElement(text.H(outlinelevel=1, text="Fishermen of Aralsk"))
    document.text.addElement(text.P(text="Border guards detained six fishermen from Aralsk on the northern shore of the "
                                         "lake in May 2021 and held them for two days without telling their families."))
    document.text.addElement(text.H(outlinelevel=2, text="Release of the fishermen"))
    paragraph = text.P(text="The fishermen were released after paying fines of")
    paragraph.addElement(text.S(c=2))
    paragraph.addText("one hundred thousand tenge each; their boats and nets were kept by the border service.")
    document.text.addElement(paragraph)
    document.save(str(path))


# RTF as WordPad and Word write it: the code page, a Cyrillic font, \'xx escapes in cp1251 and \uNNNN
# escapes; a Heading 1 paragraph carries \outlinelevel0; the \info group has the title, author and date.
def _u(text: str) -> str:
    return "".join(rf"\u{ord(c)}?" if ord(c) > 127 else c for c in text)


def _cp1251(text: str) -> str:
    return "".join(rf"\'{b:02x}" if b > 127 else chr(b) for b in text.encode("cp1251"))


RTF = (r"{\rtf1\ansi\ansicpg1251\deff0\nouicompat{\fonttbl{\f0\fnil\fcharset204 Calibri;}}"
       r"{\stylesheet{\s0 Normal;}{\s1\outlinelevel0 heading 1;}}"
       rf"{{\info{{\title {_cp1251('Задержания студентов')}}}{{\author {_u('Бюро прав человека')}}}"
       r"{\creatim\yr2022\mo1\dy7\hr12\min0}}" "\n"
       rf"\pard\s1\outlinelevel0\sa200\f0\fs32\lang1049 {_cp1251('Задержания в Алматы')}\par" "\n"
       rf"\pard\sa200\fs22 {_u(RUSSIAN[:60])}{_cp1251(RUSSIAN[60:])}\par" "\n}")


def write_rtf(path: Path) -> None:
    path.write_bytes(RTF.encode("ascii"))


def write_eml(path: Path, *, date: str | None = None) -> None:
    message = EmailMessage()
    message["Subject"] = "Hunger strike in the Almaty detention centre"
    message["From"] = "Almaty Legal Aid <office@legalaid.example.org>"
    message["To"] = "archive@example.org"
    message["Date"] = format_datetime(datetime.datetime(2019, 12, 16, 18, 5, tzinfo=datetime.UTC))
    message.set_content("Dear colleagues,\n\nSeven detainees of the Almaty detention centre went on hunger strike on\n"
                        "14 December 2019, demanding to see their lawyers and to be told the charges\nagainst them, "
                        "which the investigators had still not named after a week.\n")
    message.add_attachment("Witness statement. The guards took away the detainees' mattresses on the third day of the "
                           "hunger strike and refused to call a doctor when one of them fainted.\n", filename="witness.txt")
    message.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(64), maintype="image", subtype="png", filename="photo.png")
    data = bytes(message)
    if date is not None:  # as a mail client that writes dates its own way would: EmailMessage itself writes none it cannot read
        data = re.sub(rb"^Date: .*$", b"Date: " + date.encode(), data, count=1, flags=re.MULTILINE)
    path.write_bytes(data)


HTML = """<!doctype html><html lang="en"><head><title>Press freedom in Shymkent | Steppe Media Watch</title>
<meta name="author" content="Aigerim Sadykova">
<meta property="og:title" content="Journalists detained in Shymkent">
<meta property="og:site_name" content="Steppe Media Watch">
<meta property="article:published_time" content="2021-09-03T09:30:00+06:00">
<link rel="canonical" href="https://media-watch.example.org/shymkent-journalists">
</head><body><nav>Home | About | Donate</nav><article><h1>Journalists detained in Shymkent</h1>
<p class="byline">By Aigerim Sadykova, <time datetime="2021-09-03">3 September 2021</time></p>
<p>Two journalists covering the protest in Shymkent were detained for three hours and their footage was deleted by
the police officers before they were released without any charge being brought against them.</p>
<p>The regional police department later said the journalists had not shown their press cards, which both of them
deny, and which the video recorded by a passer-by on the square does not show either.</p>
</article><footer>Copyright 2021 Steppe Media Watch</footer></body></html>"""


def write_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.set_title("Detentions in Aktobe")
    pdf.set_author("Aktobe Monitoring Group")
    pdf.set_creation_date(datetime.datetime(2019, 7, 20, 8, 0, tzinfo=datetime.UTC))
    pdf.add_page()
    pdf.multi_cell(0, 6, "On 6 July 2019 police in Aktobe detained twelve protesters near the regional administration "
                         "building and drove them to the regional police department, where they were held overnight.")
    pdf.output(str(path))


CHAPTERS = {  # file name: XHTML body; the spine reads them in the order of EPUB_SPINE, not by name
    "b-first.xhtml": "<h1>Prisoners of conscience</h1><p>Ten people were imprisoned in 2020 for posts on social "
                     "media that criticised the authorities' response to the pandemic in Kazakhstan.</p>",
    "a-second.xhtml": "<h2>Conditions in prison</h2><p>Relatives said that the prisoners in the Pavlodar colony were "
                      "kept in cold cells and denied parcels for months after their sentences, and that letters from "
                      "them came <em>weeks</em> late,<br/>opened and with lines blacked out by the colony's censors.</p>",
}
EPUB_SPINE = ("b-first.xhtml", "a-second.xhtml")


def write_epub(path: Path) -> None:
    """An EPUB 3 package as the specification lays it out: mimetype first and stored, container, OPF, chapters."""
    manifest = "".join(f'<item id="c{n}" href="text/{name}" media-type="application/xhtml+xml"/>'
                       for n, name in enumerate(EPUB_SPINE))
    spine = "".join(f'<itemref idref="c{n}"/>' for n in range(len(EPUB_SPINE)))
    opf = ('<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
           'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>'
           "<dc:title>Prisoners of conscience in Kazakhstan</dc:title><dc:creator>Anna Petrova</dc:creator>"
           "<dc:publisher>Freedom Books</dc:publisher><dc:date>2021-03</dc:date><dc:language>en</dc:language></metadata>"
           f"<manifest>{manifest}</manifest><spine>{spine}</spine></package>")
    container = ('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
                 '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                 "</rootfiles></container>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/content.opf", opf)
        for name, body in CHAPTERS.items():
            archive.writestr(f"OEBPS/text/{name}", '<?xml version="1.0" encoding="utf-8"?><html '
                             f'xmlns="http://www.w3.org/1999/xhtml"><head><title>{name}</title></head><body>{body}</body></html>')


def write_all(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_docx(folder / "almaty.docx")
    write_odt(folder / "aralsk.odt")
    write_rtf(folder / "students.rtf")
    write_eml(folder / "hunger-strike.eml")
    (folder / "shymkent.html").write_text(HTML, encoding="utf-8")
    write_pdf(folder / "aktobe.pdf")
    write_epub(folder / "prisoners.epub")
    return folder


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


def _zip(members: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CORRUPT = {
    "not-a-zip.docx": (b"This is a Word 97 document renamed.\n", "not a readable .docx file: it is not a zip archive"),
    "no-body.docx": (_zip({"[Content_Types].xml": b"<Types/>"}), "not a readable .docx file"),
    "not-a-zip.odt": (b"\x00\x01binary", "not a readable OpenDocument text (.odt): it is not a zip archive"),
    "no-content.odt": (_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "it holds no content.xml"),
    "bad-xml.odt": (_zip({"content.xml": b"<office:document-content"}), "its content.xml is not well-formed XML"),
    "spreadsheet.odt": (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
                        "'application/vnd.oasis.opendocument.spreadsheet', not a text document"),
    "plain.rtf": (b"Just text, saved with the wrong name.\n", "not an RTF file (it does not begin with {\\rtf})"),
    "binary.eml": (bytes(range(256)) * 4, "not an e-mail message: it has none of the headers From, To, Date"),
    "not-a-zip.epub": (b"%PDF-1.4\n", "not a readable EPUB book (.epub): it is not a zip archive"),
    "no-container.epub": (_zip({"mimetype": b"application/epub+zip"}), "it holds no META-INF/container.xml"),
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
        record = hit.to_dict()["record"]
        assert words in record["quote"] and record["section"] == section, (doc_id, record)
        assert (record["title"], record["publisher"], record["date"]) == EXPECTED[doc_id][:3]
        verification = verify_record(record)
        assert verification.ok, (doc_id, verification.message)
