"""RTF files as canonical text, read by striprtf (its \\'xx escapes in the file's code page, cp1251
included, and its \\uNNNN escapes, measured in tests/test_office_formats.py).

Headings: a paragraph with an outline level (\\outlinelevel0 is a "Heading 1", as Word and LibreOffice
write it) becomes a Markdown heading line, as in .docx files. The document's \\info group gives its
title, author and creation date.
"""

from __future__ import annotations

import re
from pathlib import Path

from corpus.errors import LoadError
from corpus.filemeta import clean_field, date_fields
from corpus.loaders import LoadedText
from corpus.office import Block, canonical_text, first_title

_MARK = "\ue000"  # private use: never in a document's own text; marks the start of a heading paragraph
_OUTLINE = re.compile(rb"\\outlinelevel([0-5])(?![0-9]) ?")
_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
_INFO_TEXT = {"title": re.compile(rb"{\\title\s?((?:[^{}\\]|\\.)*)}"), "author": re.compile(rb"{\\author\s?((?:[^{}\\]|\\.)*)}")}
_CREATED = re.compile(rb"\\creatim((?:\\(?:yr|mo|dy|hr|min|sec)\d+\s?)+)")


def load_rtf(path: Path, data: bytes) -> LoadedText:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise LoadError(f"{path}: not an RTF file (it does not begin with {{\\rtf}}); it may be damaged, "
                        "or another format renamed")
    code_page = _code_page(data)
    # A heading paragraph's outline level is followed by a mark in its text: striprtf keeps the text, not the level.
    marked = _OUTLINE.sub(_marked, data)
    try:
        raw = rtf_to_text(marked.decode(code_page, errors="replace"), encoding=code_page, errors="replace")
    except (ValueError, IndexError, LookupError, RecursionError) as error:
        raise LoadError(f"{path}: not a readable RTF file ({type(error).__name__}: {error})") from error
    text = canonical_text(_blocks(raw))
    info = {name: _info_text(pattern, data, code_page, rtf_to_text) for name, pattern in _INFO_TEXT.items()}
    return LoadedText(text=text, title=info["title"] or first_title(text), publisher=info["author"],
                      **date_fields(_created(data), "rtf properties"))


def _marked(match: re.Match[bytes]) -> bytes:
    """The outline level, then its mark as an RTF escape: \\u is a signed 16-bit number, read in a group
    of its own so the document's \\uc (how many fallback characters follow) still holds after it."""
    level = int(match.group(1))
    return b"\\outlinelevel%d {\\uc1\\u%d?}" % (level, ord(_MARK) + level - 0x10000)


def _code_page(data: bytes) -> str:
    match = _CODE_PAGE.search(data[:4096])
    name = f"cp{int(match.group(1))}" if match else "cp1252"
    try:
        "".encode(name)
    except LookupError:
        return "cp1252"
    return name


def _blocks(raw: str) -> list[Block]:
    """Each line striprtf gives (a \\par or \\line) is a paragraph; one starting with a mark, a heading."""
    blocks: list[Block] = []
    for line in raw.split("\n"):
        marks = [char for char in line if "\ue000" <= char <= "\ue005"]
        text = "".join(char for char in line if not "\ue000" <= char <= "\ue005")
        if text.strip():
            blocks.append((ord(marks[0]) - ord(_MARK) + 1 if marks else 0, text))
    return blocks


def _info_text(pattern: re.Pattern[bytes], data: bytes, code_page: str, rtf_to_text) -> str:
    match = pattern.search(data)
    if not match:
        return ""
    group = b"{\\rtf1\\ansi\\ansicpg" + code_page.removeprefix("cp").encode() + b" " + match.group(1) + b"}"
    try:
        return clean_field(rtf_to_text(group.decode(code_page, "replace"), encoding=code_page, errors="replace"))
    except (ValueError, IndexError, LookupError):
        return ""


def _created(data: bytes) -> str | None:
    """\\creatim\\yr2021\\mo3\\dy12 as 2021-03-12 (or 2021-03, 2021): filemeta reads and checks it."""
    match = _CREATED.search(data)
    if not match:
        return None
    parts = dict(re.findall(rb"\\(yr|mo|dy)(\d+)", match.group(1)))
    if b"yr" not in parts:
        return None
    date = parts[b"yr"].decode()
    for key in (b"mo", b"dy"):
        if key not in parts:
            break
        date += f"-{int(parts[key]):02d}"
    return date
