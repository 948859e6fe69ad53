"""A question's anchors and how a text holds them (index/search/anchors.py): no model needed."""

from __future__ import annotations

from index.search.anchors import TextWords, question_anchors


def anchors(question: str, language: str = "en") -> list[tuple[str, str]]:
    return [(a.text, a.kind) for a in question_anchors(question, language)]


def test_names_places_years_and_numbers_are_a_questions_anchors():
    assert anchors("How many protesters were killed in Andijan in 2005?") == [("Andijan", "name"), ("2005", "year")]
    assert anchors("Were detainees tortured?") == []  # a sentence's first word is no name
    assert anchors("What charges were brought against DCK supporters?") == [("DCK", "name")]
    assert anchors("Сколько человек задержали в Алматы 6 июля 2019 года?", "ru") == [
        ("Алматы", "name"), ("6", "number"), ("2019", "year")]
    assert anchors("Who was detained in Kazakhstan?") == [("Kazakhstan", "place")]


def test_words_for_a_kind_of_body_or_office_are_no_anchor():
    assert anchors("How did the Supreme Court rule?") == []
    assert anchors("Что сказал Комитет ООН против пыток?", "ru") == []
    held = TextWords.of("Tokayev pardoned them.")
    assert all(held.holds(a) for a in question_anchors("Whom did President Tokayev pardon?"))


def test_numbers_keep_their_value_and_are_named_once():
    assert anchors("What about COVID-19, 2.5 per cent and 1,000 people on 10–11 June, or 10–11 June?") == [
        ("COVID-19", "name"), ("2.5", "number"), ("1,000", "number"), ("10", "number"), ("11", "number")]
    assert TextWords.of("as many as 1,000 people").holds(question_anchors("Were 1000 people held?")[0])
    assert not TextWords.of("25 people").holds(question_anchors("Were 2.5 per cent held?")[0])


def test_a_names_plain_words_and_acronyms_are_found_through_the_glossary():
    # Russian and Kazakh capitalise a name's first word only, often a plain one; the English report
    # writes it in its own words, and an acronym has its own letters in each language.
    english = TextWords.of("Rallies on Independence Day; charges under the Administrative Code against DCK supporters.")
    for question, language in (("Сколько человек вышло в День независимости?", "ru"),
                               ("По каким статьям Административного кодекса их обвинили?", "ru"),
                               ("Сколько сторонников ДВК задержали?", "ru"),
                               ("ҚДТ акцияларында қанша адам ұсталды?", "kk"),
                               ("Наразылар Әкімшілік кодекстің қай баптары бойынша айыпталды?", "kk")):
        found = question_anchors(question, language)
        assert found and all(english.holds(anchor) for anchor in found), question
    assert not TextWords.of("Rallies on election day.").holds(question_anchors("Что сделал ДВК?", "ru")[0])
