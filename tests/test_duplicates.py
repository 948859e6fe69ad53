"""Near-duplicates are shown once, with "also in"."""

from __future__ import annotations

from corpus import Document, Passage
from index.search import Filters
from index.search.duplicates import fold_near_duplicates
from index.search.hits import Hit

STATEMENT = "Police detained forty protesters near the akimat and released them after midnight without charge."


def hit(rank: int, doc_id: str, text: str, start: int = 0) -> Hit:
    document = Document(doc_id, doc_id.title(), "Example", "2019", "", "en", f"{doc_id}.txt", "0" * 64,
                        " " * start + text)
    return Hit(rank, 1.0 / rank, Passage(doc_id, start, start + len(text), text, "", (1, 1)), document)


def test_the_same_text_in_two_reports_is_shown_once_with_also_in():
    hits = [hit(1, "monitor", STATEMENT), hit(2, "other", "Nothing alike is said here at all."),
            hit(3, "repost", "As the monitor reported: " + STATEMENT)]
    folded = fold_near_duplicates(hits)
    assert [f.hit.rank for f in folded] == [1, 2]
    assert [h.document.doc_id for h in folded[0].also_in] == ["repost"]


def test_overlapping_spans_of_one_document_fold_and_distinct_ones_do_not():
    first = hit(1, "report", STATEMENT)
    overlapping = hit(2, "report", "without charge. The next morning they were fined.", start=len(STATEMENT) - 15)
    elsewhere = hit(3, "report", "A different paragraph about journalists.", start=500)
    folded = fold_near_duplicates([first, overlapping, elsewhere])
    assert [(f.hit.rank, [h.rank for h in f.also_in]) for f in folded] == [(1, [2]), (3, [])]


def test_the_page_shows_also_in_for_a_folded_hit():
    from app.render import render_hits

    html = render_hits([hit(1, "monitor", STATEMENT), hit(2, "repost", STATEMENT)], mode="hybrid", filters=Filters())
    assert html.count('class="vb-hit"') == 1
    assert "Also in: <a href=\"/source/repost?start=0&amp;end=97#passage\"" in html and "Repost [0:97]</a>" in html
