"""Office, mail and web files for tests/test_office_formats.py, written with the real libraries
(python-docx, odfpy, the standard library's email and zipfile, fpdf2) or, for RTF, as WordPad writes it."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

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


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
