"""HTML for hits. Every piece of report text is escaped: a report can never inject markup."""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from corpus.documents import Document
from corpus.language import NAMES
from index.duplicates import fold_near_duplicates
from index.hits import Hit
from index.search import Filters, Verdict


def render_hits(hits: list[Hit], *, mode: str, filters: Filters, verdict: Verdict | None = None) -> str:
    summary = f"{len(hits)} passage{'s' if len(hits) != 1 else ''} · mode {escape(mode)}"
    active = describe_filters(filters)
    if active:
        summary += f" · filters: {escape(active)}"
    if not hits:
        return f'<div class="vb-results"><p class="vb-summary">{summary}</p><p>No passage matches.</p></div>'
    folded = fold_near_duplicates(hits)
    repeats = len(hits) - len(folded)
    if repeats:
        summary += f" · {repeats} near-duplicate{'s' if repeats != 1 else ''} shown once"
    items = "\n".join(_render_hit(f.hit, f.also_in) for f in folded)
    unanswered = verdict is not None and not verdict.answered
    return (
        f'<div class="vb-results{" vb-unanswered" if unanswered else ""}">{_render_verdict(hits, verdict)}'
        f'<p class="vb-summary">{summary}</p><ol class="vb-hits">{items}</ol></div>'
    )


def _render_verdict(hits: list[Hit], verdict: Verdict | None) -> str:
    """At the top: the best supporting quote with its citation, or an honest "no good answer"."""
    if verdict is None:
        return ""
    if not verdict.answered:
        return (
            '<div class="vb-notfound" role="status"><strong>No good answer in this collection</strong> '
            f"(confidence {verdict.confidence:.2f}, below {verdict.threshold:.2f}). The closest passages follow; "
            "read them as leads, not answers.</div>"
        )
    best = hits[0].best_quote
    if best is None:
        return ""
    quote, citation = best
    return (
        '<div class="vb-best"><div class="vb-best-label">Best supporting quote</div>'
        f'<blockquote class="vb-best-quote">“{escape(" ".join(quote.split()))}”</blockquote>'
        f'<div class="vb-cite"><code>{escape(citation)}</code></div></div>'
    )


def render_message(message: str) -> str:
    return f'<div class="vb-results"><p class="vb-message">{escape(message)}</p></div>'


def describe_filters(filters: Filters) -> str:
    parts = []
    if filters.publishers:
        parts.append("publisher " + " or ".join(filters.publishers))
    if filters.doc_ids:
        parts.append("document " + " or ".join(filters.doc_ids))
    if filters.since:
        parts.append(f"since {filters.since}")
    if filters.until:
        parts.append(f"until {filters.until}")
    if filters.languages:
        parts.append("in " + " or ".join(NAMES.get(x, x) for x in filters.languages))
    return "; ".join(parts)


def _render_hit(hit: Hit, also_in: tuple[Hit, ...] = ()) -> str:
    d, p = hit.document, hit.passage
    first, last = p.paragraphs
    meta = [d.publisher, d.date, p.section, f"¶ {first}" if first == last else f"¶¶ {first}–{last}"]
    if p.page is not None:
        meta.append(f"p. {p.page}")
    meta.append(NAMES.get(p.language, p.language))
    meta_html = " · ".join(escape(m) for m in meta if m)
    text = _passage_html(hit)
    return (
        f'<li class="vb-hit" data-doc="{escape(d.doc_id)}" data-start="{p.start}" data-end="{p.end}">'
        f'<div class="vb-head"><span class="vb-title">{escape(d.title)}</span>'
        f'<span class="vb-score">score {hit.score:.4f}</span></div>'
        f'<div class="vb-meta">{meta_html}</div>'
        f'<blockquote class="vb-text">{text}</blockquote>'
        f'<div class="vb-cite"><span>Cite:</span> <code>{escape(hit.citation)}</code></div>'
        f'<a class="vb-source" href="{escape(source_link(hit))}" target="_blank" rel="noopener">View in source</a>'
        f"{_render_also_in(also_in)}</li>"
    )


def _passage_html(hit: Hit) -> str:
    """The passage, escaped, with its best-matching sentence in <mark> (escaped like the rest)."""
    p = hit.passage
    if hit.sentence is None:
        return escape(" ".join(p.text.split()))
    start, end = hit.sentence[0] - p.start, hit.sentence[1] - p.start
    before, sentence, after = (" ".join(part.split()) for part in (p.text[:start], p.text[start:end], p.text[end:]))
    marked = f'<mark class="vb-answer">{escape(sentence)}</mark>'
    return " ".join(part for part in (escape(before), marked, escape(after)) if part)


def _render_also_in(also_in: tuple[Hit, ...]) -> str:
    if not also_in:
        return ""
    links = ", ".join(
        f'<a href="{escape(source_link(h))}" target="_blank" rel="noopener">{escape(h.document.title)} '
        f"[{h.passage.start}:{h.passage.end}]</a>"
        for h in also_in
    )
    return f'<div class="vb-also">Also in: {links}</div>'


def source_link(hit: Hit) -> str:
    """The viewer's address for this hit: its document, scrolled to the passage, the sentence marked."""
    params = {"start": hit.passage.start, "end": hit.passage.end}
    if hit.sentence is not None:
        params.update(s=hit.sentence[0], e=hit.sentence[1])
    return f"/source/{quote(hit.document.doc_id)}?{urlencode(params)}#passage"


SOURCE_CSS = """
body { font-family: system-ui, sans-serif; max-width: 52em; margin: 1.5em auto; padding: 0 1em; line-height: 1.5; }
.vb-doc { white-space: pre-wrap; font-size: 15px; }
.vb-passage { background: #e6eefc; scroll-margin-top: 4em; }
.vb-answer { background: #fff3b0; }
.vb-meta { color: #555; font-size: 13px; }
"""


def render_source(document: Document, start: int | None, end: int | None,
                  sentence: tuple[int, int] | None) -> str:
    """The whole document, escaped, with the passage (id "passage") and its answer sentence marked."""
    text = document.text
    if start is None or end is None or not 0 <= start < end <= len(text):
        start = end = None
    if sentence and not (start is not None and start <= sentence[0] < sentence[1] <= end):
        sentence = None
    if start is None:
        body = escape(text)
    else:
        inner = escape(text[start:end])
        if sentence:
            a, b = sentence[0] - start, sentence[1] - start
            inner = (escape(text[start : start + a]) + f'<mark class="vb-answer">{escape(text[start + a : start + b])}</mark>'
                     + escape(text[start + b : end]))
        body = escape(text[:start]) + f'<mark id="passage" class="vb-passage">{inner}</mark>' + escape(text[end:])
    meta = " · ".join(escape(x) for x in (document.publisher, document.date, document.path) if x)
    span = f" · characters [{start}:{end}]" if start is not None else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(document.title)} · Verbatim</title><style>{SOURCE_CSS}</style></head><body>"
        f"<h1>{escape(document.title)}</h1><p class=\"vb-meta\">{meta}{span}</p>"
        f'<div class="vb-doc">{body}</div></body></html>'
    )
