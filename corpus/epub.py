"""EPUB books as canonical text: the chapters in the order of the book's spine, each read from its
XHTML with its headings (h1 to h6) as Markdown heading lines, so that they become sections.

A chapter is a clean page of the book's own text, with no menus or footers to drop, so it is read
whole (not through trafilatura, which would take a short chapter for boilerplate and lose its
headings). The package document (the .opf) gives the title, creator or publisher and date.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

from corpus.errors import LoadError
from corpus.filemeta import clean_field, date_fields
from corpus.loaders import LoadedText
from corpus.office import Block, canonical_text, first_title, open_zip, parse_xml, read_member

_KIND = "EPUB book (.epub)"
_NS = {"c": "urn:oasis:names:tc:opendocument:xmlns:container", "opf": "http://www.idpf.org/2007/opf",
       "dc": "http://purl.org/dc/elements/1.1/"}
_CHAPTER_TYPES = ("application/xhtml+xml", "text/html")
# Block-level elements: each starts a paragraph of its own. Skipped: what is not the book's text.
_BLOCKS = frozenset(["p", "div", "li", "blockquote", "pre", "section", "article", "header", "footer", "aside", "dt", "dd",
                     "figcaption", "caption", "ul", "ol", "dl", "figure", "main", "body", "address", "hr"])
_SKIPPED = frozenset(["script", "style", "head", "nav", "title", "noscript", "template", "svg", "math"])


def load_epub(path: Path, data: bytes) -> LoadedText:
    with open_zip(path, data, _KIND) as archive:
        container = parse_xml(read_member(archive, "META-INF/container.xml", path, _KIND), "META-INF/container.xml",
                              path, _KIND)
        rootfile = container.find("c:rootfiles/c:rootfile", _NS)
        opf_name = rootfile.get("full-path") if rootfile is not None else None
        if not opf_name:
            raise LoadError(f"{path}: not a readable {_KIND}: its META-INF/container.xml names no package document")
        package = parse_xml(read_member(archive, opf_name, path, _KIND), opf_name, path, _KIND)
        chapters = _spine(package, posixpath.dirname(opf_name))
        if locked := _encrypted(archive, path) & set(chapters):
            raise LoadError(f"{path}: the book is encrypted (DRM: {sorted(locked)[0]} cannot be read); "
                            "give a copy without DRM")
        blocks: list[Block] = []
        missing: list[str] = []
        for name in chapters:
            try:
                blocks.extend(html_blocks(read_member(archive, name, path, _KIND)))
            except LoadError:
                missing.append(name)
    text = canonical_text(blocks)
    warnings = (f"its chapters {', '.join(missing)} cannot be read (missing or damaged); the rest of the book is indexed",)

    def field(name: str) -> str:
        element = package.find(f"opf:metadata/{name}", _NS)
        return clean_field(element.text) if element is not None else ""

    return LoadedText(text=text, title=field("dc:title") or first_title(text),
                      publisher=field("dc:publisher") or field("dc:creator"),
                      **date_fields(field("dc:date"), "epub metadata"), warnings=warnings if missing else ())


def _encrypted(archive, path: Path) -> set[str]:
    """The files META-INF/encryption.xml lists as encrypted (fonts, often, which do not matter; or chapters)."""
    if "META-INF/encryption.xml" not in archive.namelist():
        return set()
    listing = parse_xml(read_member(archive, "META-INF/encryption.xml", path, _KIND), "META-INF/encryption.xml", path, _KIND)
    return {posixpath.normpath(unquote(reference.get("URI", "")))
            for reference in listing.iter("{http://www.w3.org/2001/04/xmlenc#}CipherReference")}


def _spine(package: ElementTree.Element, folder: str) -> list[str]:
    """The chapters' names in the archive, in reading order."""
    items = {item.get("id"): item for item in package.iterfind("opf:manifest/opf:item", _NS)}
    names: list[str] = []
    for reference in package.iterfind("opf:spine/opf:itemref", _NS):
        item = items.get(reference.get("idref"))
        href = item.get("href") if item is not None else None
        if item is not None and item.get("media-type") in _CHAPTER_TYPES and href:
            names.append(posixpath.normpath(posixpath.join(folder, unquote(href.split("#")[0]))))
    return names


def html_blocks(markup: bytes | str) -> list[Block]:
    """The paragraphs and headings of an XHTML or HTML page, all of it: headings as (level, text), the
    rest as (0, text), whitespace collapsed as a browser shows it, <br> kept as a line break."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(markup)
    except (ParserError, ValueError):
        return []
    walker = _Walker()
    walker.walk(root)
    walker.flush()
    return walker.blocks


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        lines = (" ".join(line.split()) for line in "".join(self.buffer).split("\n"))
        if body := "\n".join(line for line in lines if line):
            self.blocks.append((0, body))
        self.buffer = []

    def walk(self, element) -> None:
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIPPED:
            return  # a comment or processing instruction, or not text; its tail is its parent's
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.flush()
            self.blocks.append((int(tag[1]), " ".join(element.text_content().split())))
            return
        if tag == "table":  # one block, a line per row, cells parted by " | " as in a .docx
            self.flush()
            rows = [" | ".join(" ".join(cell.text_content().split()) for cell in row if str(cell.tag).lower() in ("td", "th"))
                    for row in element.iter("tr")]
            self.blocks.append((0, "\n".join(row for row in rows if row.strip(" |"))))
            return
        block = tag in _BLOCKS
        if block:
            self.flush()
        if tag == "br":
            self.buffer.append("\n")
        self.buffer.append(element.text or "")
        for child in element:
            self.walk(child)
            self.buffer.append(child.tail or "")
        if block:
            self.flush()
