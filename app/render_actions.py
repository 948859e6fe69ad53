"""The buttons under the best quote and under each hit: copy the citation (as text, as Markdown with
a link, as a reference) and collect the quote (the best sentence, or the whole passage).

Each block carries the citation records its buttons act on as data: JSON in an attribute, escaped
like every other piece of report text, which the page's script (app/web/collection.js) reads and
never treats as markup."""

from __future__ import annotations

import json
from html import escape

from app.payload import citation_record
from index.search.hits import Hit

COPY_FORMS = (("plain", "Text"), ("markdown", "Markdown"), ("reference", "Reference"))


def hit_actions(hit: Hit) -> str:
    """Copy the best sentence's citation (the passage's, when there is no best sentence); collect
    the best sentence or the whole passage."""
    records = {"passage": citation_record(hit)}
    if hit.sentence is not None:
        records["sentence"] = citation_record(hit, hit.sentence[0], hit.sentence[1])
    copied = "sentence" if "sentence" in records else "passage"
    collect = [("sentence", "Best sentence")] if "sentence" in records else []
    collect.append(("passage", "Whole passage"))
    label = "the best sentence" if copied == "sentence" else "the passage"
    return _actions(records, copied, f"Copy {label} as", collect)


def quote_actions(hit: Hit, start: int, end: int) -> str:
    """Copy or collect the verdict's best supporting quote."""
    return _actions({"quote": citation_record(hit, start, end)}, "quote", "Copy the quote as", [("quote", "Collect the quote")],
                    collect_label="")


def _actions(records: dict[str, dict], copied: str, copy_label: str, collect: list[tuple[str, str]],
             collect_label: str = "Collect:") -> str:
    data = " ".join(f'data-{kind}="{escape(json.dumps(record, ensure_ascii=False))}"' for kind, record in records.items())
    copies = "".join(
        f'<button type="button" class="vb-copy" data-record="{copied}" data-form="{form}">{name}</button>'
        for form, name in COPY_FORMS
    )
    collects = "".join(
        f'<button type="button" class="vb-collect" data-record="{kind}">{name}</button>' for kind, name in collect
    )
    collect_part = f'<span class="vb-actions-label">{collect_label}</span> ' if collect_label else ""
    return (f'<div class="vb-actions" {data}><span class="vb-actions-group"><span class="vb-actions-label">{copy_label}</span> '
            f'{copies}</span><span class="vb-actions-group">{collect_part}{collects}</span></div>')
