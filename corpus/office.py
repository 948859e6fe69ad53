"""OpenDocument text (.odt) as canonical text, and what every office format's loader shares
(corpus/word.py for .docx, corpus/rtf.py, corpus/epub.py, corpus/mail.py).

A document's paragraphs are written one to a block (blank lines between them) and its headings as
Markdown heading lines ("## Arrests"), so that corpus/paragraphs.py finds sections in them as it does
in Markdown. The text is made from the file alone, the same way every time, so `verbatim verify`
finds a quote at the same offsets when it reads the file again.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree

from corpus.errors import LoadError
from corpus.filemeta import clean_field, date_fields
from corpus.loaders import LoadedText

# A paragraph of a document: its heading level (0 for body text, "title" for a Title paragraph) and its text.
Block = tuple[int | str, str]
_TITLE_MAX_CHARS = 200
_MEMBER_MAX_BYTES = 200 * 1024 * 1024  # a zip member larger than this, unpacked, is a zip bomb, not a report


def canonical_text(blocks: Iterable[Block]) -> str:
    """Blocks as Markdown-like text: headings as "#" lines, one block per paragraph. When the document
    has a Title paragraph, it is the top heading and every heading goes one level down."""
    blocks = list(blocks)
    below_title = 1 if any(level == "title" for level, _ in blocks) else 0
    parts: list[str] = []
    for level, text in blocks:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if level:
            line = " ".join(text.split())
            depth = 1 if level == "title" else min(int(level) + below_title, 6)
            if line:
                parts.append("#" * depth + " " + line)
        elif body := "\n".join(line.rstrip() for line in text.strip().split("\n") if line.strip()):
            parts.append(body)
    return "\n\n".join(parts) + "\n" if parts else ""


def first_title(text: str) -> str:
    """The first heading of a canonical text, else its first line when short enough to be a title."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    heading = next((line for line in lines if line.startswith("#")), lines[0] if lines else "")
    title = heading.lstrip("#").strip()
    return title if len(title) <= _TITLE_MAX_CHARS else ""


def open_zip(path: Path, data: bytes, kind: str) -> zipfile.ZipFile:
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE container of Office 97-2003 and of password-protected files
        raise LoadError(f"{path}: not a readable {kind}: it is an OLE file, as a password-protected document or a "
                        "Word 97-2003 file renamed is; remove the password, or save it in its own format again")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise LoadError(f"{path}: not a readable {kind}: it is not a zip archive, as every {kind} is (it may be "
                        "damaged, password-protected, or another format renamed); open it and save it again") from error


def read_member(archive: zipfile.ZipFile, name: str, path: Path, kind: str) -> bytes:
    try:
        info = archive.getinfo(name)
        if info.file_size > _MEMBER_MAX_BYTES:
            raise LoadError(f"{path}: its {name} unpacks to {info.file_size:,} bytes; a {kind} this large is not read")
        return archive.read(info)
    except KeyError as error:
        raise LoadError(f"{path}: not a readable {kind}: it holds no {name}") from error
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:  # a damaged or encrypted member
        raise LoadError(f"{path}: not a readable {kind}: its {name} cannot be unpacked ({error})") from error


def parse_xml(data: bytes, name: str, path: Path, kind: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise LoadError(f"{path}: not a readable {kind}: its {name} is not well-formed XML ({error})") from error


# OpenDocument text, read with the standard library: content.xml for the text, meta.xml for its properties.

_ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _odf(prefix: str, name: str) -> str:
    return f"{{{_ODF[prefix]}}}{name}"


def load_odt(path: Path, data: bytes) -> LoadedText:
    kind = "OpenDocument text (.odt)"
    with open_zip(path, data, kind) as archive:
        if "mimetype" in archive.namelist() and (mime := read_member(archive, "mimetype", path, kind).strip()) != _ODT_MIMETYPE:
            raise LoadError(f"{path}: is an OpenDocument file of type {mime.decode('ascii', 'replace')!r}, "
                            "not a text document; only text documents (.odt) are read")
        manifest = "META-INF/manifest.xml"
        if manifest in archive.namelist() and b"encryption-data" in read_member(archive, manifest, path, kind):
            raise LoadError(f"{path}: the document is password-protected; save a copy without its password")
        content = parse_xml(read_member(archive, "content.xml", path, kind), "content.xml", path, kind)
        has_meta = "meta.xml" in archive.namelist()
        meta = parse_xml(read_member(archive, "meta.xml", path, kind), "meta.xml", path, kind) if has_meta else None
    body = content.find("office:body/office:text", _ODF)
    if body is None:
        raise LoadError(f"{path}: not a readable {kind}: its content.xml holds no office:text body")
    text = canonical_text(_odt_blocks(body))

    def field(name: str) -> str:
        element = meta.find(f"office:meta/{name}", _ODF) if meta is not None else None
        return clean_field(element.text) if element is not None else ""

    return LoadedText(text=text, title=field("dc:title") or first_title(text),
                      publisher=field("meta:initial-creator") or field("dc:creator"),
                      **date_fields(field("meta:creation-date"), "odt properties"))


def _odt_blocks(element: ElementTree.Element) -> list[Block]:
    blocks: list[Block] = []
    for child in element:
        if child.tag == _odf("text", "h"):
            level = child.get(_odf("text", "outline-level"), "1")
            blocks.append((int(level) if level.isdigit() and int(level) > 0 else 1, _odt_inline(child)))
        elif child.tag == _odf("text", "p"):
            style = (child.get(_odf("text", "style-name")) or "").lower()
            blocks.append(("title" if style == "title" else 0, _odt_inline(child)))
        elif child.tag == _odf("table", "table"):
            rows = [" | ".join(" ".join(_odt_inline(p) for p in cell.iter(_odf("text", "p"))).strip()
                               for cell in row.iter(_odf("table", "table-cell")))
                    for row in child.iter(_odf("table", "table-row"))]
            blocks.append((0, "\n".join(row for row in rows if row.strip(" |"))))
        elif child.tag in (_odf("text", "list"), _odf("text", "list-item"), _odf("text", "section")):
            blocks.extend(_odt_blocks(child))
    return blocks


def _odt_inline(element: ElementTree.Element) -> str:
    """A paragraph's text: spans followed, <text:s c="3"/> as three spaces, tabs and line breaks as
    such; footnotes and annotations left out (they are not the sentence they sit in)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _odf("text", "s"):
            count = child.get(_odf("text", "c"), "1")
            parts.append(" " * (int(count) if count.isdigit() else 1))
        elif child.tag == _odf("text", "tab"):
            parts.append("\t")
        elif child.tag == _odf("text", "line-break"):
            parts.append("\n")
        elif child.tag not in (_odf("text", "note"), _odf("office", "annotation")):
            parts.append(_odt_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)
