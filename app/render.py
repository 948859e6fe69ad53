"""HTML for hits. Every piece of report text is escaped: a report can never inject markup."""

from __future__ import annotations

import bisect
from html import escape
from urllib.parse import quote, urlencode

from app.render_actions import hit_actions, quote_actions
from corpus.documents import Document
from corpus.languages import NAMES
from corpus.paragraphs import find_paragraphs
from corpus.reading import Edit, reflow
from index.search import Filters, Verdict
from index.search.duplicates import fold_near_duplicates
from index.search.hits import Hit
from index.search.verdict import supporting_quote


def render_hits(hits: list[Hit], *, mode: str, filters: Filters, verdict: Verdict | None = None,
                undated_left_out: int = 0, hint: str = "", match_band: tuple[float, float] | None = None,
                empty: str = "No passage matches.") -> str:
    """The results: the verdict and its quote, then each hit; `match_band` (the model's, for the
    question's language) words how close each hit's best sentence is, in place of a score; `empty`,
    what to say when there is no hit."""
    summary = f"{len(hits)} passage{'s' if len(hits) != 1 else ''} · mode {escape(mode)}"
    active = describe_filters(filters)
    if active:
        summary += f" · filters: {escape(active)}"
    undated = ""
    if undated_left_out:
        many = undated_left_out != 1
        undated = (f'<p class="vb-undated">{undated_left_out} document{"s" if many else ""} without a date '
                   f'{"are" if many else "is"} left out by the date filter: tick “Include undated documents” to '
                   f'search {"them" if many else "it"} too.</p>')
    if hint:
        undated = f'<p class="vb-language-hint" role="note">{escape(hint)}</p>' + undated
    if not hits:
        return f'<div class="vb-results"><p class="vb-summary">{summary}</p>{undated}<p>{escape(empty)}</p></div>'
    folded = fold_near_duplicates(hits)
    repeats = len(hits) - len(folded)
    if repeats:
        summary += f" · {repeats} near-duplicate{'s' if repeats != 1 else ''} shown once"
    items = "\n".join(_render_hit(f.hit, f.also_in, match_band) for f in folded)
    unanswered = verdict is not None and not verdict.answered
    return (
        f'<div class="vb-results{" vb-unanswered" if unanswered else ""}">{_render_verdict(hits, verdict)}'
        f'<p class="vb-summary">{summary}</p>{undated}<ol class="vb-hits">{items}</ol></div>'
    )


def _render_verdict(hits: list[Hit], verdict: Verdict | None) -> str:
    """At the top: the verdict's label and confidence, then the best supporting quote with its
    citation, or an honest "not found" that says which of the question's names were not found."""
    if verdict is None:
        return ""
    label = (f'<span class="vb-label vb-{verdict.outcome.replace(" ", "-")}">{escape(verdict.label)}</span> '
             f'<span class="vb-confidence">confidence {verdict.confidence:.2f}</span>')
    missing = ""
    if verdict.missing:
        names = ", ".join(f'<span class="vb-anchor">{escape(name)}</span>' for name in verdict.missing)
        missing = f'<div class="vb-missing">Not found: {names}</div>'
    if not verdict.answered:
        return (
            f'<div class="vb-notfound" role="status">{label}<div><strong>No good answer in this collection.</strong> '
            f"{escape(verdict.explanation())} The passages below are leads, not answers.</div>"
            f"{missing}</div>"
        )
    quoted = supporting_quote(verdict, hits)
    if quoted is None:
        return f'<div class="vb-best">{label}{missing}</div>'
    hit, quote, citation = quoted
    explained = verdict.outcome == "partly answered" or verdict.exact  # what was not found, or that all was
    partly = f'<div class="vb-partly">{escape(verdict.explanation())}</div>' if explained else ""
    actions = quote_actions(hit, verdict.quote.start, verdict.quote.end) if verdict.quote else ""
    return (
        f'<div class="vb-best">{label}{partly}{missing}<div class="vb-best-label">Best supporting quote</div>'
        f'<blockquote class="vb-best-quote">“{escape(" ".join(quote.split()))}”</blockquote>'
        f'<div class="vb-cite"><code>{escape(citation)}</code></div>{actions}</div>'
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
    if filters.dated and filters.undated:
        parts.append("and undated documents")
    if filters.languages:
        parts.append("in " + " or ".join(NAMES.get(x, x) for x in filters.languages))
    return "; ".join(parts)


def _render_hit(hit: Hit, also_in: tuple[Hit, ...] = (), match_band: tuple[float, float] | None = None) -> str:
    d, p = hit.document, hit.passage
    meta = [d.publisher, d.date, p.section, hit.paragraph_label()]
    if p.page is not None:
        meta.append(f"p. {p.page}")
    meta.append(NAMES.get(p.language, p.language))
    meta_html = " · ".join(escape(m) for m in meta if m)
    text = _passage_html(hit)
    return (
        f'<li class="vb-hit" data-doc="{escape(d.doc_id)}" data-start="{p.start}" data-end="{p.end}">'
        f'<div class="vb-head"><span class="vb-title">{escape(d.title)}</span>'
        f"{_match(hit, match_band)}</div>"
        f'<div class="vb-meta">{meta_html}</div>'
        f'<blockquote class="vb-text">{text}</blockquote>'
        f'<div class="vb-cite"><span>Cite:</span> <code>{escape(hit.citation)}</code></div>'
        f"{hit_actions(hit)}"
        f'<a class="vb-source" href="{escape(source_link(hit))}" target="_blank" rel="noopener">View in source</a>'
        f"{_render_also_in(also_in)}</li>"
    )


def _match(hit: Hit, band: tuple[float, float] | None) -> str:
    """"strong match", "fair match" or "weak match": how close the passage's best sentence is to the
    question, by the model's calibrated band. The hit's score is not shown: each retriever's list is
    scaled to [0, 1] before they are fused, so the first hit scores about 1 and one that a single
    retriever found at most 0.5, whatever the question."""
    if band is None or hit.sentence is None:
        return ""
    cosine = hit.sentence[2]
    strength = "strong" if cosine >= band[1] else "fair" if cosine >= band[0] else "weak"
    return (f'<span class="vb-match vb-match-{strength}" title="its best sentence’s similarity to the question: '
            f'{cosine:.2f}">{strength} match</span>')


def _passage_html(hit: Hit) -> str:
    """The passage as a quote (without the heading lines above its first sentence), escaped, with its
    best-matching sentence in <mark> (escaped like the rest), and the question's quoted phrases in it
    in <mark class="vb-exact">."""
    first, last = hit.quote_span
    text = hit.document.text[first:last]
    if hit.sentence is None or not first <= hit.sentence[0] < hit.sentence[1] <= last:
        return _exact_html(text, first, hit.matches)
    start, end = hit.sentence[0] - first, hit.sentence[1] - first
    parts = [(text[:start], first), (text[start:end], hit.sentence[0]), (text[end:], hit.sentence[1])]
    before, sentence, after = (_exact_html(piece, offset, hit.matches) for piece, offset in parts)
    marked = f'<mark class="vb-answer">{sentence}</mark>'
    return " ".join(part for part in (before, marked, after) if part)


def _exact_html(text: str, offset: int, matches: tuple[tuple[int, int], ...]) -> str:
    """`text` (at `offset` in its document), whitespace folded and escaped, the parts of it that
    `matches` cover in <mark class="vb-exact">."""
    pieces, at = [], 0
    for start, end in matches:
        start, end = max(start - offset, at), min(end - offset, len(text))
        if start >= end:
            continue
        pieces += [escape(text[at:start]), f'<mark class="vb-exact">{escape(text[start:end])}</mark>']
        at = end
    pieces.append(escape(text[at:]))
    return " ".join("".join(pieces).split())


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
    params: dict[str, object] = {"start": hit.passage.start, "end": hit.passage.end}
    if hit.sentence is not None:
        params.update(s=hit.sentence[0], e=hit.sentence[1])
    return source_address(hit.document.doc_id, params) + "#passage"


def source_address(doc_id: str, params: dict[str, object]) -> str:
    """/source/DOC_ID?…, the id quoted whole ("/", "?", "#", spaces and newlines included); an id a
    browser would read as a path step ("", ".", "..") goes in the query instead: /source?doc=…"""
    if doc_id in ("", ".", ".."):
        return f"/source?{urlencode({'doc': doc_id, **params})}"
    return f"/source/{quote(doc_id, safe='')}?{urlencode(params)}"


SOURCE_CSS = """
body { font-family: system-ui, sans-serif; max-width: 52em; margin: 1.5em auto; padding: 0 1em; line-height: 1.5; }
.vb-doc { white-space: pre-wrap; font-size: 15px; }
.vb-passage { background: #e6eefc; scroll-margin-top: 4em; }
.vb-answer { background: #fff3b0; }
.vb-meta { color: #555; font-size: 13px; }
.vb-window { color: #555; font-size: 13px; margin: .6em 0; }
"""


SOURCE_WINDOW = 64_000  # characters the viewer shows at once: a whole report of ordinary length


def source_window(length: int, start: int | None, at: int | None) -> tuple[int, int]:
    """The [from, to) span of a document the viewer shows: from `at` when given, else with the
    passage at `start` a quarter of the way down, else from the beginning."""
    if length <= SOURCE_WINDOW:
        return 0, length
    if at is None:
        at = 0 if start is None else start - SOURCE_WINDOW // 4
    begin = min(max(at, 0), length - SOURCE_WINDOW)
    return begin, begin + SOURCE_WINDOW


def render_source(document: Document, start: int | None, end: int | None,
                  sentence: tuple[int, int] | None, at: int | None = None) -> str:
    """A window of the document (SOURCE_WINDOW characters: a whole report of ordinary length), escaped,
    with the passage (id "passage") and its answer sentence marked, and links to the text before and
    after. A 50 MB compilation is never rendered whole."""
    text = document.text
    if start is None or end is None or not 0 <= start < end <= len(text):
        start = end = None
    if sentence and not (start is not None and end is not None and start <= sentence[0] < sentence[1] <= end):
        sentence = None
    begin, finish = source_window(len(text), start, at)
    body = _marked_window(text, begin, finish, start, end, sentence)
    meta = " · ".join(escape(x) for x in (document.publisher, document.date, document.path) if x)
    span = f" · characters [{start}:{end}]" if start is not None else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(document.title)} · Verbatim</title><style>{SOURCE_CSS}</style></head><body>"
        f"<h1>{escape(document.title)}</h1><p class=\"vb-meta\">{meta}{span}</p>"
        f"{_window_links(document, begin, finish, start, end, sentence, 'vb-top')}"
        f'<div class="vb-doc">{body}</div>'
        f"{_window_links(document, begin, finish, start, end, sentence, 'vb-bottom')}</body></html>"
    )


def _marked_window(text: str, begin: int, finish: int, start: int | None, end: int | None,
                   sentence: tuple[int, int] | None) -> str:
    """text[begin:finish], escaped and reflowed (hard line breaks inside a paragraph read as spaces),
    the part of the passage in it marked; the anchor "passage" only where the passage begins, so that
    #passage scrolls to its start. The marks are placed by the canonical offsets, the reflow only
    changes how the whitespace between them reads."""
    edits = _window_reflow(text, begin, finish)

    def shown(a: int, b: int) -> str:
        return _reflowed(text, a, b, edits)

    if start is None or end is None or end <= begin or start >= finish:
        return shown(begin, finish)
    a, b = max(start, begin), min(end, finish)
    inner = shown(a, b)
    if sentence and sentence[0] < b and sentence[1] > a:
        x, y = max(sentence[0], a), min(sentence[1], b)
        inner = shown(a, x) + f'<mark class="vb-answer">{shown(x, y)}</mark>' + shown(y, b)
    anchor = ' id="passage"' if a == start else ""
    return shown(begin, a) + f'<mark{anchor} class="vb-passage">{inner}</mark>' + shown(b, finish)


def _window_reflow(text: str, begin: int, finish: int) -> list[Edit]:
    """The reflow of text[begin:finish] (corpus/reading.py), by the paragraphs the chunker reads there."""
    window = text[begin:finish]
    edits = reflow(window, ((p.start, p.end) for p in find_paragraphs(window)))
    return [(a + begin, b + begin, replacement) for a, b, replacement in edits]


def _reflowed(text: str, a: int, b: int, edits: list[Edit]) -> str:
    """text[a:b] escaped, with the edits applied; an edit that crosses a or b reads its replacement
    in the piece where it starts, so that the pieces of a window put together read as the whole."""
    out, at = [], a
    for start, end, replacement in edits[bisect.bisect_right(edits, a, key=lambda edit: edit[1]):]:
        if start >= b:
            break
        if start > at:
            out.append(escape(text[at:start]))
        if start >= a:
            out.append(replacement)
        at = min(end, b)
    out.append(escape(text[at:b]))
    return "".join(out)


def _window_links(document: Document, begin: int, finish: int, start: int | None, end: int | None,
                  sentence: tuple[int, int] | None, where: str) -> str:
    """"Earlier text" and "later text" links, keeping the passage and sentence marked on every page."""
    length = len(document.text)
    if begin == 0 and finish == length:
        return ""
    params: dict[str, object] = {} if start is None else {"start": start, "end": end}
    if sentence:
        params.update(s=sentence[0], e=sentence[1])
    links = [f"characters {begin:,}–{finish:,} of {length:,}"]
    if begin > 0:
        earlier = source_address(document.doc_id, {**params, "at": max(0, begin - SOURCE_WINDOW)})
        links.insert(0, f'<a class="vb-earlier" href="{escape(earlier)}">← earlier text</a>')
    if finish < length:
        later = source_address(document.doc_id, {**params, "at": finish})
        links.append(f'<a class="vb-later" href="{escape(later)}">later text →</a>')
    if start is not None and not begin <= start < finish:
        links.append(f'<a class="vb-to-passage" href="{escape(source_address(document.doc_id, params))}#passage">'
                     "back to the passage</a>")
    return f'<nav class="vb-window {where}">{" · ".join(links)}</nav>'
