"""Passages: exact offsets, real paragraphs, no boilerplate, sections, bounded length."""

from __future__ import annotations

import pytest

from corpus import ChunkingOptions, chunk_document, load_corpus
from corpus.paths import BUNDLED_CORPUS
from corpus.sentences import sentence_spans
from index.store import search_text

BUNDLED = load_corpus(BUNDLED_CORPUS)


def passages_of(doc_id: str):
    return chunk_document(BUNDLED.document(doc_id))


def test_the_bundled_corpus_loads_all_five_reports():
    assert len(BUNDLED.documents) == 5
    assert BUNDLED.skipped == ()
    assert {d.publisher for d in BUNDLED.documents} == {
        "ACCA (Association for Human Rights in Central Asia)",
        "Amnesty International",
        "Open Dialogue Foundation",
        "CIVICUS Monitor",
    }


@pytest.mark.parametrize("document", BUNDLED.documents, ids=lambda d: d.doc_id)
def test_every_passage_is_the_exact_span_of_the_file(document):
    file_text = (BUNDLED_CORPUS.parent.parent / document.path).read_text(encoding="utf-8")
    assert file_text == document.text
    passages = chunk_document(document)
    assert passages
    for passage in passages:
        assert file_text[passage.start : passage.end] == passage.text
        assert passage.text == passage.text.strip()


def test_fixture_passages_are_exact_spans_in_every_format(fixture_corpus):
    corpus = load_corpus(fixture_corpus)
    formats = {d.path.rsplit(".", 1)[-1] for d in corpus.documents}
    assert {"txt", "md", "html", "pdf"} <= formats
    for document in corpus.documents:
        for passage in chunk_document(document):
            assert document.text[passage.start : passage.end] == passage.text


def test_hard_wrapped_pdf_text_is_read_as_its_real_paragraphs():
    passages = passages_of("amnesty-2019-06-election-detentions")
    starts = [" ".join(p.text.split())[:60] for p in passages]
    # Paragraphs begin where the report's paragraphs begin, not at every line break.
    assert any(s.startswith("A. B., a taxi driver from Almaty") for s in starts)
    assert any(s.startswith("Dilmash Alzhanov, a civic activist") for s in starts)
    assert any(s.startswith("Journalists covering the events") for s in starts)
    assert any(s.startswith("Hundreds of protestors gathered in the capital") for s in starts)
    answer = next(p for p in passages if "as many as 1,000 people were detained in Nur-Sultan" in search_text(p))
    assert answer.paragraphs == (3, 3)  # the second half of the third paragraph, cut at a sentence


def test_short_lines_are_context_not_passages():
    for document in BUNDLED.documents:
        for passage in chunk_document(document):
            assert len(passage.text) >= 200, passage.text


@pytest.mark.parametrize("chrome", ["Hot topics:", "Share icon", "Share this article:", "COMMUNIQUEZ AVEC NOUS",
                                    "Photo: Reuters", "DOWNLOAD REPORT", "Tél: +27", "Русский"])
def test_boilerplate_stays_in_the_text_but_out_of_passages(chrome):
    documents = [d for d in BUNDLED.documents if chrome in d.text]
    assert documents, f"{chrome!r} should be in a bundled report"
    for document in documents:
        assert all(chrome not in p.text for p in chunk_document(document))


def test_articles_on_a_multi_article_page_become_sections():
    sections = {p.section for p in passages_of("civicus-monitor-kazakhstan")}
    assert "Kazakhstan downgraded as civic freedoms deteriorate" in sections
    assert "KAZAKHSTAN: ‘The quarantine became a sort of cover for the government to persecute civil society’" in sections
    assert "Five countries added to the civic space watchlist" in sections


def test_report_headings_become_section_paths():
    passages = passages_of("odf-2019-08-after-6-july")
    gorokhov = next(p for p in passages if "Ivan Gorokhov" in p.text)
    assert gorokhov.section == (
        "2. Violent dispersal of the peaceful protest on 6 July 2019 › Preventive detentions before the rally"
    )
    assert passages[0].section == "1. Summary"
    assert passages[-1].section == "4. Conclusions and recommendations"


def test_paragraph_numbers_count_the_documents_paragraphs():
    passages = passages_of("acca-2019-12-almaty-hunger-strike")
    numbers = [p.paragraphs for p in passages]
    assert numbers[0][0] == 1
    assert all(first <= last for first, last in numbers)
    assert all(a[1] < b[0] for a, b in zip(numbers, numbers[1:], strict=False))


def test_passages_fit_the_embedding_model(embedder):
    options = ChunkingOptions()
    for document in BUNDLED.documents:
        for passage in chunk_document(document, options):
            assert len(passage.text) <= options.max_chars
            assert embedder.count_tokens(search_text(passage)) <= embedder.max_tokens


def test_long_paragraphs_split_at_sentence_boundaries():
    options = ChunkingOptions(max_chars=300, min_chars=100)
    document = BUNDLED.document("amnesty-2019-06-election-detentions")
    sentences = sentence_spans(document.text)
    sentence_ends = {end for _, end in sentences}
    too_long = [(s, e) for s, e in sentences if e - s > 300]
    passages = chunk_document(document, options)
    assert all(len(p.text) <= 300 for p in passages)
    for passage in passages:
        # A passage ends where a sentence ends, unless the sentence alone is longer than a passage.
        assert passage.end in sentence_ends or any(s < passage.end < e for s, e in too_long)


def test_sentence_spans_keep_initials_and_abbreviations():
    text = "A. B., a taxi driver, spoke to Ms. Struthers. He was fined. Was it fair? No."
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences == ["A. B., a taxi driver, spoke to Ms. Struthers.", "He was fined.", "Was it fair?", "No."]
    # A UN report's "headed by H.E. Mr. …": the quote of who led a delegation keeps the name.
    text = "The delegation was headed by H.E. Mr. Alexander V. Konovalov, Minister of Justice. It had 38 members."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "The delegation was headed by H.E. Mr. Alexander V. Konovalov, Minister of Justice.", "It had 38 members."]
