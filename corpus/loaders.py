"""Read one file into canonical text: the text that citations index into.

Each file type is an entry of LOADERS (suffix → loader), at the end of this module: a new format
(OCR, Office) is a loader function and its suffixes there."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from corpus.encoding import Decoded, EncodingError, NotText, declared_charset, decode_text
from corpus.errors import LoadError
from corpus.files import read_regular_file
from corpus.titles import read_header


@dataclass(frozen=True)
class LoadedText:
    text: str
    title: str  # the title the file itself gives, or ""
    page_starts: tuple[int, ...] = ()
    sha256: str = ""  # of the file's bytes, as read
    encoding: str = ""  # the codec its bytes were decoded with (corpus/encoding.py); "" for PDF
    date: str = ""  # the date the file itself gives, or ""
    date_source: str = ""  # where that date was read: "text" (its first lines), ...
    publisher: str = ""  # the publisher the file itself names, or ""


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


def _load_html(path: Path, data: bytes) -> LoadedText:
    import trafilatura  # imported here: only HTML needs it, and it is slow to import

    decoded = _decode(path, data, declared_charset(data))
    html = decoded.text
    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        favor_recall=True,
    )
    if not text:
        raise LoadError(f"{path}: no main text found in the HTML page")
    metadata = trafilatura.extract_metadata(html)
    title = (metadata.title or "") if metadata else ""
    return LoadedText(text=_line_ends(text), title=title.strip(), encoding=decoded.encoding)


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
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise LoadError(f"{path}: not a readable PDF ({error})") from error
    # Pages are joined by a line break, so a paragraph running across pages stays whole.
    page_starts: list[int] = []
    parts: list[str] = []
    offset = 0
    for page_text in page_texts:
        page_starts.append(offset)
        parts.append(page_text)
        offset += len(page_text) + 1
    return LoadedText(text="\n".join(parts), title=title, page_starts=tuple(page_starts))


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
})
SUPPORTED_SUFFIXES = tuple(LOADERS)
