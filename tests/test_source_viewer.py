"""The source viewer reads as running paragraphs (issue 20, item 10: "Rule / of Law"), and its marks
still cover exactly the passage's and the sentence's characters."""

from __future__ import annotations

import html
import re

import pytest

from app.render import render_source
from corpus import chunk_document, load_corpus
from corpus.paths import BUNDLED_CORPUS
from corpus.reading import reading_text, reflow
from corpus.sentences import sentence_spans


@pytest.fixture(scope="module")
def documents():
    return load_corpus(BUNDLED_CORPUS).documents


def marked(page: str, css_class: str) -> str:
    """The text inside the first <mark> of this class, its tags dropped, unescaped."""
    opening = page.index(f'class="{css_class}">')
    start = page.index(">", opening) + 1
    depth, at = 1, start
    while depth:
        tag = re.compile(r"<(/?)mark\b").search(page, at)
        depth += -1 if tag.group(1) else 1
        at = tag.end()
    return html.unescape(re.sub(r"<[^>]+>", "", page[start : tag.start()]))


def body(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page[page.index('<div class="vb-doc">') :]))


def test_hard_line_breaks_inside_a_paragraph_read_as_spaces(documents):
    amnesty = next(d for d in documents if d.doc_id == "amnesty-2019-06-election-detentions")
    assert "the Rule\nof Law" in amnesty.text
    shown = body(render_source(amnesty, None, None, None))
    assert "the Rule of Law, people were detained" in shown
    # Paragraphs stay apart, one blank line between them; the title is one line.
    assert shown.startswith(" Kazakhstan: Thousands detained across the country following disputed presidential "
                            "elections\n\nOn 9 June")
    assert "during the night of 10 – 11 June.\n\nAccording to the NGO" in shown


def test_every_passage_and_sentence_is_marked_at_its_own_characters(documents):
    """For every passage of the bundled reports and its middle sentence, the marks hold exactly the
    canonical text at those offsets, as it reads (line breaks folded, broken words joined)."""
    checked = 0
    for document in documents:
        for passage in chunk_document(document):
            sentences = sentence_spans(document.text, passage.start, passage.end)
            sentence = sentences[len(sentences) // 2]
            page = render_source(document, passage.start, passage.end, sentence)
            assert " ".join(marked(page, "vb-passage").split()) == reading_text(passage.text)
            assert " ".join(marked(page, "vb-answer").split()) == reading_text(document.text[slice(*sentence)])
            checked += 1
    assert checked > 150


def test_a_word_broken_at_a_line_end_is_joined_only_where_reading_joins_it():
    text = "The recom-\nmendations on well-\nbeing were\n  accepted.\n\n\n  Next paragraph."
    first, second = (0, text.index("accepted.") + len("accepted.")), (text.index("Next"), len(text))
    edits = reflow(text, [first, second])
    shown, at = "", 0
    for start, end, replacement in edits:
        shown, at = shown + text[at:start] + replacement, end
    assert shown + text[at:] == "The recommendations on well-being were accepted.\n\nNext paragraph."
