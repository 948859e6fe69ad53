"""E-mail messages (.eml) as canonical text, read by the standard library's `email`.

The subject is the top heading; then the body (its plain-text part when it has one, else its HTML
part read as the HTML loader reads a page); then each text attachment (.txt, .md, text/plain) under
a heading "Attachment: NAME". Other attachments are not read: the build names them in a warning.
Subject, From and Date give the title, publisher and date.
"""

from __future__ import annotations

import email.utils
from email import policy
from email.message import MIMEPart
from email.parser import BytesParser
from pathlib import Path

from corpus.epub import html_blocks
from corpus.errors import LoadError
from corpus.filemeta import clean_field, date_fields
from corpus.loaders import LoadedText, html_text
from corpus.office import Block, canonical_text

_HEADERS = ("From", "To", "Date", "Subject", "Message-ID")
_TEXT_SUFFIXES = (".txt", ".md", ".markdown")


def load_eml(path: Path, data: bytes) -> LoadedText:
    message = BytesParser(policy=policy.default).parsebytes(data)
    if not any(message.get(name) for name in _HEADERS):
        raise LoadError(f"{path}: not an e-mail message: it has none of the headers {', '.join(_HEADERS)} "
                        "(it may be damaged, or another format renamed)")
    subject = clean_field(message.get("Subject"))
    blocks: list[Block] = [("title", subject)] if subject else []
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        blocks.extend(_part_blocks(body))
    unread = [f"its body ({message.get_content_type()})"] if body is None and not message.is_multipart() else []
    for number, part in enumerate(message.iter_attachments(), start=1):
        name = clean_field(part.get_filename()) or f"attachment {number}"
        is_text = part.get_content_type() == "text/plain" or name.lower().endswith(_TEXT_SUFFIXES)
        if is_text and not part.is_multipart() and (text := _text(part)).strip():
            blocks.extend([(1, f"Attachment: {name}"), *_paragraphs(text)])
        else:
            unread.append(f"{name} ({part.get_content_type()})")
    warnings = (f"its attachments {', '.join(unread)} are not read: only the message and its text attachments are",)
    return LoadedText(text=canonical_text(blocks), title=subject, publisher=_sender(message.get("From")),
                      **date_fields(str(message.get("Date") or ""), "e-mail header"), warnings=warnings if unread else ())


def _part_blocks(part: MIMEPart) -> list[Block]:
    text = _text(part)
    if part.get_content_type() != "text/html":
        return _paragraphs(text)
    extracted = html_text(text)
    if extracted:  # trafilatura's lines are the page's paragraphs
        return [(0, line) for line in extracted.replace("\r\n", "\n").split("\n")]
    return html_blocks(text)  # a short HTML message, which trafilatura takes for boilerplate: read whole


def _paragraphs(text: str) -> list[Block]:
    """Plain text split at its blank lines; the lines of a paragraph stay together (corpus/paragraphs.py
    reads a hard-wrapped message as the paragraphs it has)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append((0, "\n".join(current)))
            current = []
    return blocks


def _text(part: MIMEPart) -> str:
    """A text part decoded by its charset; one the message names wrongly, as UTF-8 where it is, else Latin-1."""
    try:
        return part.get_content()
    except (LookupError, KeyError, ValueError):
        payload = part.get_payload(decode=True) or b""
        if not isinstance(payload, bytes):  # a multipart part has parts, not bytes
            return ""
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("latin-1")


def _sender(value: object) -> str:
    """The sender's name as the From header gives it, else the address."""
    if not value:
        return ""
    addresses = email.utils.getaddresses([str(value)])
    name, address = addresses[0] if addresses else ("", "")
    return clean_field(name) or clean_field(address)
