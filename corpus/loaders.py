"""Read one file into canonical text: the text that citations index into.

Each file type is an entry of LOADERS (suffix → loader), at the end of this module: a new format
(OCR, Office) is a loader function and its suffixes there."""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from corpus.encoding import Decoded, EncodingError, NotText, declared_charset, decode_text
from corpus.errors import LoadError
from corpus.filemeta import clean_field, date_fields, web_address
from corpus.files import read_regular_file
from corpus.titles import read_header


@dataclass(frozen=True)
class LoadedText:
    text: str
    title: str  # the title the file itself gives, or ""
    page_starts: tuple[int, ...] = ()
    sha256: str = ""  # of the file's bytes, as read
    encoding: str = ""  # the codec its bytes were decoded with (corpus/encoding.py); "" for PDF and Office files
    # What the file says of itself; the manifest's word, where it gives one, comes first (corpus/collection.py).
    publisher: str = ""  # the publisher, site or author the file names
    date: str = ""  # YYYY-MM-DD (or YYYY-MM, YYYY), read by corpus/titles.py or corpus/filemeta.py
    date_source: str = ""  # where that date was read: "text", "html meta", "pdf metadata", "docx properties", "e-mail header" …
    url: str = ""  # the address the file gives for itself (an HTML page's canonical URL)
    date_warning: str = ""  # why the date the file gives is left out, when it cannot be read
    warnings: tuple[str, ...] = ()  # what else the user should hear about this file, though it is read
    ocr_pages: int = 0  # how many of its pages were read by OCR (corpus/ocr.py): a scan's, an image's


def load_file(path: Path) -> LoadedText:
    """Canonical text of a file; raises LoadError naming the file when it cannot be read."""
    data = read_regular_file(path)
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(f"{path}: unsupported file type; use one of {', '.join(SUPPORTED_SUFFIXES)}")
    loaded = loader(path, data)
    if not loaded.text.strip():
        raise LoadError(f"{path}: holds no text")
    return replace(loaded, sha256=hashlib.sha256(data).hexdigest())


def _decode(path: Path, data: bytes, declared: str | None = None) -> Decoded:
    try:
        return decode_text(data, declared)
    except NotText as error:
        raise LoadError(f"{path}: {error}; give the report as .txt, .md, .html or .pdf") from error
    except EncodingError as error:
        raise LoadError(f"{path}: {error}") from error


def _line_ends(text: str) -> str:
    """One line feed per line end: CR LF becomes LF (as it always has, so offsets into texts indexed
    before stay put) and a lone CR (classic Mac OS) becomes LF, one character for one."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _load_plain(path: Path, data: bytes) -> LoadedText:
    # Only line endings are normalised, so the file's own text sliced at [start:end] is the passage.
    decoded = _decode(path, data)
    text = _line_ends(decoded.text)
    header = read_header(text)
    return LoadedText(text=text, title=header.title, encoding=decoded.encoding, date=header.date,
                      date_source="text" if header.date else "", publisher=header.publisher)


def html_text(html: str) -> str | None:
    """The main text of an HTML page, as the HTML loader reads it (boilerplate, menus and footers left out)."""
    import trafilatura  # imported here: only HTML needs it, and it is slow to import

    return trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_recall=True,
    )


def _load_html(path: Path, data: bytes) -> LoadedText:
    import trafilatura

    decoded = _decode(path, data, declared_charset(data))
    html = decoded.text
    text = html_text(html)
    if not text:
        raise LoadError(f"{path}: no main text found in the HTML page")
    metadata = trafilatura.extract_metadata(html, extensive=False)  # extensive: dates guessed from the prose too
    title = (metadata.title or "") if metadata else ""
    return LoadedText(text=_line_ends(text), title=title.strip(), encoding=decoded.encoding, **_html_metadata(html, metadata))


# <meta name|property|itemprop=…> that give a page's publication date, the most specific first.
_DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "dc.date.issued", "dcterms.issued",
              "dc.date", "dcterms.date", "citation_publication_date", "citation_date", "date", "pubdate", "publish-date")
_PUBLISHER_META = ("og:site_name", "publisher", "dc.publisher", "dcterms.publisher", "citation_publisher")


def _html_metadata(html: str, metadata: Any) -> dict[str, Any]:
    """Publisher, date and canonical URL of a page: its <meta> tags, else what trafilatura reads (a byline's
    author, a <time> or dated byline: "html page")."""
    meta = _meta_tags(html)
    fields: dict[str, Any] = {}
    if date := next((meta[name] for name in _DATE_META if meta.get(name)), ""):
        fields.update(date_fields(date, "html meta"))
    elif metadata is not None and getattr(metadata, "date", None):
        fields.update(date_fields(metadata.date, "html page"))
    sitename = getattr(metadata, "sitename", None) or ""
    hosts = {getattr(metadata, "hostname", None), urlsplit(web_address(getattr(metadata, "url", None))).hostname}
    if sitename.lower().removeprefix("www.") in {host.removeprefix("www.") for host in hosts if host}:
        sitename = ""  # trafilatura's stand-in for a site that names itself nowhere: the host, not a publisher
    named = next((meta[name] for name in _PUBLISHER_META if meta.get(name)), "") or sitename
    publisher = clean_field(named) or clean_field(getattr(metadata, "author", None) or meta.get("author"))
    url = web_address(getattr(metadata, "url", None) or meta.get("og:url"))
    return {**fields, "publisher": publisher, "url": url}


def _meta_tags(html: str) -> dict[str, str]:
    """<meta> tags by their lower-cased name, property or itemprop: the first of each name."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8"))
    except (ParserError, ValueError):
        return {}
    tags: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("name") or element.get("property") or element.get("itemprop") or ""
        content = element.get("content")
        if key and content and content.strip():
            tags.setdefault(key.strip().lower(), content.strip())
    return tags


def _load_pdf(path: Path, data: bytes) -> LoadedText:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise LoadError(f"{path}: the PDF is encrypted; save an unencrypted copy")
        page_texts = [(page.extract_text() or "").replace("\r\n", "\n") for page in reader.pages]
        title = ((reader.metadata.title if reader.metadata else None) or "").strip()
        info = reader.metadata
        author = clean_field(info.author) if info else ""
        created = info.creation_date_raw if info else None  # raw: pypdf's own parse raises on a malformed date
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise LoadError(f"{path}: not a readable PDF ({error})") from error
    from corpus.ocr import join_pages, ocr_pdf_pages

    # Pages without a text layer (a scan) are read by OCR (corpus/ocr.py); the others as they are.
    page_texts, warnings, ocr_pages = ocr_pdf_pages(path, data, page_texts)
    # Pages are joined by a line break, so a paragraph running across pages stays whole.
    text, page_starts = join_pages(page_texts)
    return LoadedText(text=text, title=title, page_starts=page_starts, publisher=author, warnings=warnings,
                      ocr_pages=ocr_pages, **date_fields(created, "pdf metadata"))


def _lazy(module: str, name: str) -> Loader:
    """A loader kept in another module, imported when a file of its type is first read (python-docx,
    striprtf and the e-mail parser are not loaded for a folder of text files)."""
    def load(path: Path, data: bytes) -> LoadedText:
        return getattr(importlib.import_module(module), name)(path, data)
    return load


# A loader turns a file's bytes (read once, by load_file) into its text; it raises LoadError naming the
# file. The table is read-only, so that SUPPORTED_SUFFIXES, which manifests and folders are checked
# against, is always its keys: a new format is a line here.
Loader = Callable[[Path, bytes], LoadedText]
LOADERS: MappingProxyType[str, Loader] = MappingProxyType({
    ".txt": _load_plain,
    ".md": _load_plain,
    ".markdown": _load_plain,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _lazy("corpus.word", "load_docx"),
    ".odt": _lazy("corpus.office", "load_odt"),
    ".rtf": _lazy("corpus.rtf", "load_rtf"),
    ".eml": _lazy("corpus.mail", "load_eml"),
    ".epub": _lazy("corpus.epub", "load_epub"),
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".tif", ".tiff"), _lazy("corpus.ocr", "load_image")),
})
SUPPORTED_SUFFIXES = tuple(LOADERS)
