"""`verbatim ask` for a person: the verdict or the best quote first, then each passage with its citation."""

from __future__ import annotations

import textwrap

import click

from app.messages import no_match
from app.terminal import printable
from index.search import Filters, Verdict
from index.search.duplicates import FoldedHit, fold_near_duplicates
from index.search.hits import Hit
from index.search.verdict import supporting_quote


def print_answer(hits: list[Hit], verdict: Verdict | None, filters: Filters, question: str = "") -> None:
    if not hits:
        click.echo(printable(no_match(question, filters.active())))
        return
    if verdict is not None and not verdict.answered:
        click.echo(click.style(
            f"Not found: no good answer in this collection (confidence {verdict.confidence:.2f}). "
            f"{printable(verdict.explanation())} The passages below are leads, not answers.\n",
            fg="red", bold=True))
    elif verdict is not None and (quoted := supporting_quote(verdict, hits)) is not None:
        _, quote, citation = quoted
        click.echo(click.style("Best supporting quote: ", bold=True) + f"“{printable(' '.join(quote.split()))}”")
        click.echo(click.style(f"   {printable(citation)}", dim=True))
        partly = verdict.outcome == "partly answered"
        note = f": {printable(verdict.explanation().removeprefix('Partly answered: '))}" if partly else "."
        if verdict.exact:
            note = f". {printable(verdict.explanation())}"
        click.echo(click.style(f"{verdict.label} (confidence {verdict.confidence:.2f}){note}", bold=partly,
                               fg="yellow" if partly else None) + "\n")
    for folded in fold_near_duplicates(hits):
        print_hit(folded)


def print_hit(folded: FoldedHit) -> None:
    hit = folded.hit
    d = hit.document
    heading = printable(f"{hit.rank}. {d.title}")
    click.echo(click.style(heading, bold=True) + f"  (score {hit.score:.4f})")
    meta = " · ".join(x for x in (d.publisher, d.date, hit.passage.section, hit.passage.language) if x)
    click.echo(f"   {printable(meta)}")
    start, end = hit.quote_span  # the passage without the heading lines above its first sentence
    body = printable(" ".join(d.text[start:end].split()))
    click.echo(textwrap.fill(body, width=100, initial_indent="   ", subsequent_indent="   "))
    if hit.sentence is not None:
        best = printable(" ".join(d.text[hit.sentence[0] : hit.sentence[1]].split()))
        click.echo(click.style(textwrap.fill(f"Best sentence: {best}", width=100, initial_indent="   ",
                                             subsequent_indent="   "), fg="yellow"))
    if hit.matches:
        spans = ", ".join(f"[{start}:{end}]" for start, end in hit.matches)
        click.echo(f"   Word for word at {spans}")
    click.echo(click.style(f"   Cite: {printable(hit.citation)}", dim=True))
    for repeat in folded.also_in:
        where = f"{repeat.document.doc_id} [{repeat.passage.start}:{repeat.passage.end}]"
        click.echo(printable(f"   Also in: {repeat.document.title} ({where})"))
    click.echo()
