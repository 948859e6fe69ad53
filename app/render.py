"""HTML for hits. Every piece of report text is escaped: a report can never inject markup."""

from __future__ import annotations

from html import escape

from index.hits import Hit
from index.search import Filters, Verdict


def render_hits(hits: list[Hit], *, mode: str, filters: Filters, verdict: Verdict | None = None) -> str:
    summary = f"{len(hits)} passage{'s' if len(hits) != 1 else ''} · mode {escape(mode)}"
    active = describe_filters(filters)
    if active:
        summary += f" · filters: {escape(active)}"
    if not hits:
        return f'<div class="vb-results"><p class="vb-summary">{summary}</p><p>No passage matches.</p></div>'
    items = "\n".join(_render_hit(hit) for hit in hits)
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
    return "; ".join(parts)


def _render_hit(hit: Hit) -> str:
    d, p = hit.document, hit.passage
    first, last = p.paragraphs
    meta = [d.publisher, d.date, p.section, f"¶ {first}" if first == last else f"¶¶ {first}–{last}"]
    if p.page is not None:
        meta.append(f"p. {p.page}")
    meta_html = " · ".join(escape(m) for m in meta if m)
    text = _passage_html(hit)
    return (
        f'<li class="vb-hit" data-doc="{escape(d.doc_id)}" data-start="{p.start}" data-end="{p.end}">'
        f'<div class="vb-head"><span class="vb-title">{escape(d.title)}</span>'
        f'<span class="vb-score">score {hit.score:.4f}</span></div>'
        f'<div class="vb-meta">{meta_html}</div>'
        f'<blockquote class="vb-text">{text}</blockquote>'
        f'<div class="vb-cite"><span>Cite:</span> <code>{escape(hit.citation)}</code></div>'
        "</li>"
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
