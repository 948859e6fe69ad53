"""Word documents (.docx) as canonical text, read with python-docx.

The body is read in order, paragraphs and tables, including what content controls (w:sdt), tracked
insertions (w:ins) and text boxes hold; deleted text (w:del) and field codes are left out. A paragraph
is a heading by its outline level (its own, else its style's, as Word's Heading 1 to 6 styles have in
every language), or by its style's name ("Heading 2"); a Title paragraph is the top heading.
Headers, footers, footnotes and comments are not read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

from corpus.errors import LoadError
from corpus.filemeta import clean_field, date_fields
from corpus.loaders import LoadedText
from corpus.office import Block, canonical_text, first_title, open_zip, parse_xml

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Not the paragraph's own words: its properties, deleted or moved-away text, text boxes (read as blocks of
# their own), and the second copy of a drawing that Word writes for older readers.
_NOT_TEXT = frozenset({f"{_W}pPr", f"{_W}rPr", f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", _FALLBACK})
_HEADING_STYLE = re.compile(r"heading ([1-9])", re.IGNORECASE)
_CORE = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
_KIND = ".docx file"


def load_docx(path: Path, data: bytes) -> LoadedText:
    from docx import Document as read_docx
    from docx.opc.constants import RELATIONSHIP_TYPE

    open_zip(path, data, _KIND).close()  # a file that is no zip at all is told as such
    try:
        document = read_docx(io.BytesIO(data))
        blocks = list(_blocks(document.element.body, document._body))
        try:  # read from the file's own XML: python-docx would invent a core part where there is none
            core = document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES).blob
        except KeyError:
            core = b""
    # python-docx trusts the package it opens: a damaged one fails anywhere inside it (AttributeError on a
    # [Content_Types].xml without types, say), and any such failure is this one file's, not the build's.
    except Exception as error:
        raise LoadError(f"{path}: not a readable {_KIND} ({type(error).__name__}: {error}); "
                        "open it in Word or LibreOffice and save it as .docx again") from error
    text = canonical_text(blocks)
    properties = parse_xml(core, "docProps/core.xml", path, _KIND) if core else None

    def field(name: str) -> str:
        element = properties.find(name, _CORE) if properties is not None else None
        return clean_field(element.text) if element is not None else ""

    return LoadedText(text=text, title=field("dc:title") or first_title(text), publisher=field("dc:creator"),
                      **date_fields(field("dcterms:created"), "docx properties"))


def _blocks(container, parent) -> Iterator[Block]:
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            yield _heading_level(Paragraph(child, parent)), _text(child)
            for box in child.iter(f"{_W}txbxContent"):
                if not any(ancestor.tag == _FALLBACK for ancestor in box.iterancestors()):
                    yield from _blocks(box, parent)
        elif child.tag == f"{_W}tbl":
            yield 0, _table_text(child)
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _blocks(child, parent)


def _heading_level(paragraph) -> int | str:
    style = paragraph.style
    if style is not None and (style.name or "").lower() == "title":
        return "title"
    elements, seen = [paragraph._p], set()
    while style is not None and style.style_id not in seen:  # a style's base styles, with no loop followed twice
        seen.add(style.style_id)
        elements.append(style.element)
        style = style.base_style
    for element in elements:
        if values := element.xpath("./w:pPr/w:outlineLvl/@w:val"):
            return int(values[0]) + 1 if values[0].isdigit() and int(values[0]) < 6 else 0  # 9 is body text
    match = _HEADING_STYLE.fullmatch(paragraph.style.name or "") if paragraph.style is not None else None
    return int(match.group(1)) if match else 0


def _text(element) -> str:
    """A paragraph's words in order: text, tabs and line breaks of its runs, hyperlinks and insertions included."""
    parts: list[str] = []
    for child in element:
        if child.tag in _NOT_TEXT:
            continue
        if child.tag == f"{_W}t":
            parts.append(child.text or "")
        elif child.tag == f"{_W}tab":
            parts.append("\t")
        elif child.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif child.tag == f"{_W}noBreakHyphen":
            parts.append("\u2011")
        else:
            parts.append(_text(child))
    return "".join(parts)


def _table_text(table) -> str:
    """A table as one block, a line per row, cells parted by " | " (a merged cell once: Word writes it once)."""
    rows = []
    for row in table.iterchildren(f"{_W}tr"):  # a table inside a cell is read as part of that cell
        cells = [" ".join(" ".join(_text(p) for p in cell.iter(f"{_W}p")).split()) for cell in row.iterchildren(f"{_W}tc")]
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)
