"""Taking a file into a corpus folder from outside it (the app's "Add documents"): a name made safe,
contents that are what the name says, and a place that never overwrites another file.

Every name and every byte comes from someone else. A name may hold a path ("../../etc/cron.d/x.txt",
"..\\boot.ini"), control characters, a leading dot (a hidden file, which no build reads), marks that
turn text around (U+202E), or nothing at all; the bytes may be anything, whatever the name says.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import CorpusError
from corpus.loaders import SUPPORTED_SUFFIXES

MAX_STEM_CHARS = 100
HEAD_BYTES = 8192  # what is read of a file to tell its kind

_UNSAFE = re.compile(r"[^\w .,()+\-]+")  # letters and digits of any script, and a few harmless marks
_DASHES, _SPACES = re.compile(r"-{2,}"), re.compile(r"\s+")


class IntakeError(CorpusError):
    """A file that cannot be added to a corpus as it is; the message says why, in one line."""


@dataclass(frozen=True)
class Stored:
    path: Path  # where the file now is
    new: bool  # False: the same bytes were there already under that name (nothing was written)


def safe_name(name: str) -> str:
    """`name` as one plain file name that a build reads: no path, no hidden file, no control or
    invisible characters, a suffix the loaders read (lower-cased), a stem of at most MAX_STEM_CHARS.
    IntakeError for a name that holds a path or has a suffix no loader reads."""
    if "/" in name or "\\" in name or "\0" in name or name.strip() in (".", ".."):
        raise IntakeError("the file name holds a path; give the file a plain name")
    name = unicodedata.normalize("NFC", name)
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")  # control, format (U+202E), unassigned
    stem, suffix = os.path.splitext(name.strip())
    suffix = suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = f"({suffix})" if suffix else "(no file name suffix)"
        raise IntakeError(f"not a type of report that can be read {shown}; use one of {', '.join(SUPPORTED_SUFFIXES)}")
    stem = _SPACES.sub(" ", _DASHES.sub("-", _UNSAFE.sub("-", stem))).strip(" .-")[:MAX_STEM_CHARS].strip(" .-")
    return f"{stem or 'document'}{suffix}"


_SIGNATURES = {  # what files of these types begin with
    ".pdf": (b"%PDF-",),
    ".rtf": (b"{\\rtf",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".tif": (b"II*\x00", b"MM\x00*"),
    ".tiff": (b"II*\x00", b"MM\x00*"),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".epub": (b"PK\x03\x04",),
}
_KINDS = {  # what other files begin with: none of them is text
    b"%PDF-": "a PDF", b"PK\x03\x04": "a ZIP archive", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image", b"\x7fELF": "a program (ELF)", b"MZ": "a Windows program", b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive", b"Rar!": "a RAR archive", b"II*\x00": "a TIFF image", b"MM\x00*": "a TIFF image",
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc, .xls)", b"{\\rtf": "an RTF file",
}
_ZIPPED = {  # the member that makes a ZIP archive a document of that type, and the mimetype it declares
    ".docx": ("word/document.xml", None),
    ".odt": ("content.xml", b"application/vnd.oasis.opendocument.text"),
    ".epub": ("META-INF/container.xml", b"application/epub+zip"),
}
_TYPE_NAMES = {".pdf": "a PDF", ".rtf": "an RTF file", ".png": "a PNG image", ".jpg": "a JPEG image",
               ".jpeg": "a JPEG image", ".tif": "a TIFF image", ".tiff": "a TIFF image",
               ".docx": "a Word document", ".odt": "an OpenDocument text", ".epub": "an EPUB book"}


def content_problem(path: Path, suffix: str) -> str | None:
    """Why the file at `path` cannot be of the type its suffix says, or None; read cheaply (its first
    bytes, and a ZIP archive's list of members), never parsed."""
    suffix = suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head:
        return "the file is empty"
    found = next((kind for start, kind in _KINDS.items() if head.startswith(start)), None)
    if suffix not in _SIGNATURES:  # text: plain, Markdown, HTML, e-mail
        return f"its content is {found}, not text" if found else None
    wanted = _TYPE_NAMES[suffix]
    # A PDF may have a few bytes before its header; RTF files may begin with white space.
    beginning = head[:1024] if suffix == ".pdf" else head.lstrip() if suffix == ".rtf" else head
    if not any(beginning.startswith(sig) or (suffix == ".pdf" and sig in beginning) for sig in _SIGNATURES[suffix]):
        return f"its content is {found}, not {wanted}" if found else f"its content is not {wanted}"
    if suffix in _ZIPPED:
        return _zipped_problem(path, suffix, wanted)
    return None


def _zipped_problem(path: Path, suffix: str, wanted: str) -> str | None:
    member, mimetype = _ZIPPED[suffix]
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if member not in names:
                return f"its content is a ZIP archive, not {wanted} (it has no {member})"
            if mimetype is not None and "mimetype" in names:
                declared = archive.open("mimetype").read(200).strip()
                if declared != mimetype:
                    return f"its content is not {wanted} (it says it is {declared.decode('ascii', 'replace')!r})"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
        return f"its content is not {wanted} (a damaged ZIP archive)"
    return None


def store_file(folder: Path, name: str, source: Path) -> Stored:
    """Copy `source` into `folder` as `name` (a `safe_name`), never over another file: a file of
    that name with other bytes makes it "name-2.ext" (or -3 …); one with the same bytes is kept as
    it is. The copy is written beside under a hidden name (no build reads it) and linked into place,
    which fails rather than overwrite a file that appeared meanwhile. `folder` must be a real folder
    (a link to one is refused)."""
    if name != safe_name(name):
        raise IntakeError("the file name is not a safe one; make it with safe_name")
    if folder.is_symlink() or not folder.is_dir():
        raise IntakeError(f"{folder} is not a folder; files are only added to a real folder")
    digest = file_sha256(source)
    stem, suffix = os.path.splitext(name)
    partial = folder / f".{stem[:40]}.{os.getpid()}.{digest[:12]}.part"
    partial.unlink(missing_ok=True)  # left by a killed copy (or planted: a link is removed, never followed)
    with source.open("rb") as reading, open(partial, "xb") as writing:  # x: never through a planted link
        shutil.copyfileobj(reading, writing, 1 << 20)
        writing.flush()
        os.fsync(writing.fileno())
    try:
        for number in range(1, 1000):
            target = folder / (name if number == 1 else f"{stem}-{number}{suffix}")
            if target.is_symlink() or (target.exists() and not target.is_file()):
                continue
            if target.is_file() and file_sha256(target) == digest:
                return Stored(target, new=False)
            try:
                os.link(partial, target)  # fails if the name is taken: no overwrite, even in a race
            except FileExistsError:
                continue
            return Stored(target, new=True)
    finally:
        partial.unlink(missing_ok=True)
    raise IntakeError(f"{folder} holds a thousand files named like {name}; rename the file")


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as corpus fingerprints record them."""
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            hasher.update(block)
    return hasher.hexdigest()
