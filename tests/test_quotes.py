"""Quotes ready to paste (issue 20, item 3): a quote is made of sentences, never of the headings,
titles and bullets a passage holds, and its offsets still index the source exactly. The CLI, the
JSON and the page all get it from the index's sentences (corpus/quotable.py)."""

from __future__ import annotations

import json

import pytest
from conftest import run_verbatim

from app.markdown import markdown_text
from app.payload import answer_payload, citation_record
from app.request import SearchRequest
from corpus.paragraphs import Paragraph, find_paragraphs
from corpus.quotable import quotable_sentences
from corpus.verify import verify_record
from index.search import Searcher

AMNESTY_TITLE = "Kazakhstan: Amnesty calls on authorities to release protestors"
BULLETS = tuple("•●▪◦‣∙·*-–—")


def sentences_of(text: str) -> list[str]:
    return [text[s.start : s.end] for s in quotable_sentences(text, find_paragraphs(text), 0, len(text))]


def test_titles_captions_and_bullets_are_no_part_of_a_sentence():
    text = (f"{AMNESTY_TITLE}\n\n{AMNESTY_TITLE}\n\nAmnesty International has called for their release. It said so twice.\n\n"
            "Photo: a caption\n\n  • Police detained him at 9 am.\n  • Juveniles were also detained\n"
            "1. Release the detainees;\n")
    assert sentences_of(text) == ["Amnesty International has called for their release.", "It said so twice.",
                                  "Police detained him at 9 am.", "Juveniles were also detained", "Release the detainees;"]


def test_a_title_line_run_into_its_first_paragraph_is_left_out():
    """An HTML page's text: the title on its own line right above the first paragraph."""
    text = "Election day in Nur-Sultan\nOn the day of the election, police detained protesters.\nObservers counted vans."
    assert sentences_of(text) == ["On the day of the election, police detained protesters.", "Observers counted vans."]


def test_a_line_a_pdf_broke_mid_sentence_stays_one_sentence():
    text = ("The authorities detained hundreds of peaceful protesters in the capital and\n"
            "in Almaty, where the\n"
            "police used force. Many were fined.\n")
    paragraphs = [Paragraph(0, 76, 1, "body"), Paragraph(77, 97, 2, "body"), Paragraph(98, len(text) - 1, 3, "body")]
    found = quotable_sentences(text, paragraphs, 0, len(text) - 1)
    assert [text[s.start : s.end] for s in found] == [
        "The authorities detained hundreds of peaceful protesters in the capital and\nin Almaty, where the\npolice used force.",
        "Many were fined."]
    assert [s.paragraph for s in found] == [1, 1]


def test_a_note_of_nothing_but_short_lines_keeps_them():
    assert sentences_of("Détention à Almaty") == ["Détention à Almaty"]


@pytest.fixture(scope="module")
def searcher(bundled_index, embedder) -> Searcher:
    searcher = Searcher.open(bundled_index)
    searcher._embedder = embedder
    return searcher


def test_no_sentence_of_the_bundled_reports_holds_a_heading_or_a_bullet(searcher):
    index = searcher.index
    checked = 0
    for position in range(len(index.passages)):
        passage = index.passages[position]
        text = index.documents[passage.doc_id].text
        for start, end, paragraph in index.sentences.spans_of(position):
            sentence = text[start:end]
            assert passage.start <= start < end <= passage.end
            assert not sentence.startswith(BULLETS) and "\n\n" not in sentence, sentence
            assert AMNESTY_TITLE not in sentence and "•" not in sentence, sentence
            assert passage.paragraphs[0] <= paragraph <= passage.paragraphs[1]
            checked += 1
    assert checked > 500


@pytest.mark.parametrize(("question", "starts"), [
    # The report's title twice above the first paragraph.
    ("Who did Amnesty call on Kazakhstan's authorities to release?", "Amnesty International has called on"),
    # A bullet in the list of cases of force (it used to be inside the quote, twice).
    ("Where was Kairat Sultanbek hit when he was detained in Shymkent?", "Kairat Sultanbek reported"),
])
def test_the_best_quote_and_every_record_start_at_a_sentence(searcher, question, starts):
    request = SearchRequest.from_values(question, "hybrid", 5, (), (), "", "", (), False, default_mode="hybrid")
    hits, verdict = request.answer(searcher)
    payload = answer_payload(request, hits, verdict)
    quote = payload["quote"]
    assert quote is not None and quote["text"].startswith(starts), quote
    document = searcher.index.documents[quote["doc_id"]].text
    assert document[quote["start"] : quote["end"]] == quote["text"] == quote["record"]["quote"]
    assert f"[{quote['start']}:{quote['end']}]" in quote["citation"]
    records = [quote["record"]] + [h["record"] for h in payload["hits"]] + [h["sentence"]["record"] for h in payload["hits"]]
    for record in records:
        assert not record["quote"].startswith(BULLETS) and not record["quote"].startswith(AMNESTY_TITLE), record["quote"]
        assert verify_record(record).ok
        assert not record["section"] or f"section “{markdown_text(record['section'])}”" in record["markdown"]


def test_the_cli_prints_the_clean_quote_and_its_json_verifies(bundled_index, tmp_path):
    question = "Who did Amnesty call on Kazakhstan's authorities to release?"
    shown = run_verbatim("ask", question, "-k", "3", "--index", str(bundled_index.index_dir))
    assert shown.returncode == 0, shown.stderr
    first = shown.stdout.splitlines()[0]
    assert first.startswith("Best supporting quote: “Amnesty International has called on"), first
    assert f"{AMNESTY_TITLE} {AMNESTY_TITLE}" not in shown.stdout
    found = run_verbatim("ask", question, "-k", "3", "--json", "--index", str(bundled_index.index_dir))
    saved = tmp_path / "found.json"
    saved.write_text(found.stdout)
    assert json.loads(found.stdout)["hits"][0]["record"]["paragraphs"] == [3, 3]  # the titles are ¶ 1 and 2
    checked = run_verbatim("verify", str(saved))
    assert checked.returncode == 0 and checked.stdout.splitlines()[-1] == "3 of 3 records verified.", checked.stdout


def test_the_markdown_citation_names_the_section_and_the_reference_is_chicago_like(searcher):
    hits = searcher.search("preventive detentions before the rally leaflets", mode="hybrid", k=5)
    hit = next(h for h in hits if h.document.doc_id == "odf-2019-08-after-6-july" and h.passage.section)
    record = citation_record(hit)
    assert f"section “{markdown_text(hit.passage.section)}”" in record["markdown"]
    first, last = record["paragraphs"]
    para = f"para. {first}" if first == last else f"paras. {first}–{last}"
    assert record["reference"] == (f"{hit.document.publisher}, “{hit.document.title},” August 2019, section "
                                   f"“{hit.passage.section}”, {para}, {hit.document.url or hit.document.path}.")
