"""The field's words across English, Russian and Kazakh: dictionary-based query translation for BM25
(corpus/languages/glossary.py). Real bm25s over the multilingual fixture; no model is needed for BM25."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import run_verbatim

from corpus.languages.glossary import GLOSSARY_FILE, load_glossary
from index.search import Searcher

EN, RU, KK = "election-detentions-en", "hunger-strike-ru", "press-freedom-kk"


def test_a_russian_question_also_asks_for_the_english_words():
    translated = load_glossary().translate("Сколько человек задержали в день выборов?", "ru")
    assert {"detain", "elect", "day", "peopl"} <= set(translated)


def test_kazakh_words_are_read_through_their_endings():
    glossary = load_glossary()
    # ұста* is a marked stem: any word it begins (ұсталды, "was detained"); сайла* likewise.
    assert {"detain", "elect", "day"} <= set(glossary.translate("Сайлау күні ұсталды", "kk"))
    # An unmarked stem matches only with Kazakh endings: қалада is "in the city", қалай is "how".
    assert "citi" in glossary.translate("қалада", "kk")
    assert glossary.translate("қалай", "kk") == []
    assert "decemb" in glossary.translate("желтоқсандағы", "kk")  # locative + "of"
    assert "school" in glossary.translate("мектебі", "kk")  # мектеп + і: the п voices to б
    assert "right" in glossary.translate("құқығы", "kk")


def test_an_english_question_also_asks_for_the_russian_words():
    assert "голодовк" in load_glossary().translate("hunger strike", "en")


def test_a_code_switched_question_has_its_dictionary_words_in_english():
    glossary = load_glossary()
    assert glossary.code_switch("Сайлау күні Алматыда қанша адам ұсталды?", "kk") == "election day Алматыда қанша human detain?"
    assert glossary.code_switch("Нұр-Сұлтанда не болды ма?", "kk") == "Нұр-Сұлтанда не болды ма?"  # ма is a particle
    assert glossary.code_switch("Who was detained?", "en") == "Who was detained?"


def test_every_line_of_the_glossary_has_three_columns(tmp_path):
    glossary = load_glossary()
    assert len(glossary.words["kk"]) > 200 and len(glossary.words["ru"]) > 200
    broken = tmp_path / "glossary.tsv"
    broken.write_text("detain\tзадержать\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"glossary.tsv:1: expected English, Russian and Kazakh columns"):
        load_glossary(broken)
    assert GLOSSARY_FILE.is_file()


@pytest.fixture(scope="module")
def bm25_searchers(multilingual_index) -> tuple[Searcher, Searcher]:
    with_glossary = Searcher.open(multilingual_index)
    return with_glossary, Searcher(with_glossary.index, replace(multilingual_index, glossary=False))


@pytest.mark.parametrize(
    ("question", "without", "with_glossary"),
    [
        # Without the glossary BM25 can only match the question's own language.
        ("Сколько человек задержали в день выборов?", RU, EN),
        ("Сайлау күні қанша адам ұсталды?", KK, EN),
        ("How long did the hunger strike last?", None, RU),
    ],
)
def test_bm25_finds_the_passage_in_another_language_through_the_glossary(bm25_searchers, question, without, with_glossary):
    on, off = bm25_searchers
    found_off = off.search(question, mode="bm25", k=3)
    assert (found_off[0].document.doc_id if found_off else None) == without
    assert on.search(question, mode="bm25", k=3)[0].document.doc_id == with_glossary


def test_the_glossary_can_be_switched_off_from_the_command_line(multilingual_index):
    question, index = "Сайлау күні қанша адам ұсталды?", str(multilingual_index.index_dir)
    for switch, expected in (("--glossary", EN), ("--no-glossary", KK)):
        result = run_verbatim("ask", question, "--mode", "bm25", "--index", index, switch, "--json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["hits"][0]["doc_id"] == expected


def test_a_kazakh_question_is_also_embedded_with_its_english_words_but_russian_and_english_are_not(bm25_searchers):
    """multilingual-e5-small reads Kazakh poorly: the code-switched question pulls towards the English answer."""
    on, off = bm25_searchers
    kazakh = "Сайлау күні қанша адам ұсталды?"
    with_words, without = on.search(kazakh, mode="dense", k=3), off.search(kazakh, mode="dense", k=3)
    assert with_words[0].document.doc_id == EN
    assert with_words[0].dense_score != pytest.approx(without[0].dense_score, abs=1e-4)
    for question in ("Сколько человек задержали в день выборов?", "How many people were detained on election day?"):
        assert [h.dense_score for h in on.search(question, mode="dense", k=3)] == pytest.approx(
            [h.dense_score for h in off.search(question, mode="dense", k=3)])
