"""A hit's citation in Markdown: the quote as a block quote, attributed, linked to its source.

Report and manifest text is escaped: rendered, it reads as written and is never markup, a link or
an image."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from index.search.hits import Hit

# Markdown (CommonMark, GFM) markup characters, escaped with a backslash wherever they are; the HTML
# ones become entities, so that no renderer ever sees a tag in a report's or manifest's text.
_MARKUP = re.compile(r"([\\`*_\[\]{}|~$@])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)")  # GFM links bare http://… and www.…
_LINE_START = re.compile(r"^(\d+)([.)])|^([#+=-])")  # a heading, list item, rule or setext underline


def citation_markdown(hit: Hit, start: int | None = None, end: int | None = None) -> str:
    """A span of the hit's passage (its quote by default) as a Markdown block quote, attributed (the
    section too), linked to the source when it has an http(s) URL."""
    d, p = hit.document, hit.passage
    if start is None or end is None:
        start, end = hit.quote_span
    title = markdown_text(d.title)
    url = safe_url(d.url)
    source = f"[{title}]({url})" if url else f"“{title}”"
    section = f"section “{markdown_text(p.section)}”" if p.section else ""
    where = [markdown_text(d.publisher), source, markdown_text(d.date), section, hit.paragraph_label(start, end)]
    if p.page is not None:
        where.append(f"p. {p.page}")
    where.append(code_span(f"{d.path} [{start}:{end}]"))
    return f"> {markdown_text(d.text[start:end])}\n>\n> — {', '.join(part for part in where if part)}"


def markdown_text(text: str) -> str:
    """Text for a Markdown line that renders exactly as written: one line, markup characters escaped."""
    text = "".join(_HTML.get(c, c) for c in " ".join(text.split()))
    text = _AUTOLINK.sub(lambda m: "\\" + (m[1] or m[2]), _MARKUP.sub(r"\\\1", text))
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def safe_url(url: str) -> str:
    """The URL if it is http(s) with a host, percent-quoted so it cannot end a Markdown link early; else ""."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(ord(c) < 32 for c in url):
        return ""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


def code_span(text: str) -> str:
    """`text` as a Markdown code span whose fence no backtick run inside it can close."""
    text = " ".join(text.split())
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
