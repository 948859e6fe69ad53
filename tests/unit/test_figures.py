"""A question that asks how many or how much is answered only by a quote with a figure in it."""

from index.search.figures import asks_figure, asks_number, gives, gives_figure, wanted


def test_questions_that_ask_for_a_figure():
    for question in ("How many people were detained in Almaty?", "how much was she fined?",
                     "What percentage of the vote did Tokayev receive?", "Сколько человек задержали?",
                     "Қанша адам ұсталды?"):
        assert asks_figure(question), question
    for question in ("When was Asya Tulesova arrested?", "Who seized Almaty airport?", "How often could she call?"):
        assert not asks_figure(question), question


def test_a_date_or_the_questions_own_number_is_no_figure():
    question = "How much was 71-year-old Agziya Utebayeva fined?"
    assert not gives_figure("71-year-old Agziya Utebayeva was awarded an administrative fine.", question)
    assert not gives_figure("On 17 July 2019, Tokayev signed a decree on the National Council.", "How many members?")
    assert not gives_figure("Protests took place on 10 May 2018, 23 June 2018 and 21–22 March 2019.", "How many?")
    assert not gives_figure("16 декабря 2021 года прошли акции.", "Сколько человек задержали?")


def test_a_count_an_amount_or_a_number_word_is_a_figure():
    assert gives_figure("As many as 1,000 people were detained in Nur-Sultan and 500 in Almaty.", "How many?")
    assert gives_figure("She was fined 50 monthly calculation indices.", "How much was she fined?")
    assert gives_figure("Dozens of people were detained.", "How many people were detained?")
    assert gives_figure("Задержаны несколько человек.", "Сколько человек задержали?")
    assert gives_figure("On December 17, officially became aware of 55 detainees.", "How many on 16 December?")


def test_a_span_of_time_from_another_event_is_no_figure():
    question = "By how much did liquefied gas prices rise at the start of 2022?"
    assert asks_figure(question)
    assert not gives_figure("Ten years later, at the very start of 2022, the Ministry freed the market.", question)
    assert not gives_figure("Три года назад его задержали.", "Сколько человек задержали?")
    assert gives_figure("Prices went up by 100 per cent.", question)
    assert gives_figure("He was sentenced to five years in prison.", "How many years was he sentenced to?")
    assert gives_figure("He was released two days after his arrest.", "How many days was he held?")
    assert gives_figure("He was released three days later.", "How many days after his arrest was he released?")
    assert gives_figure("Ten years later, the market was freed.", "How many years later was the market freed?")


def test_a_question_that_asks_on_what_date_or_in_what_year_wants_one():
    assert wanted("How many people were detained?") == "figure"
    assert wanted("On what date did the European Court deliver its judgment?") == "date"
    assert wanted("In which year did Togo abolish the death penalty?") == "year"
    assert wanted("В каком году была запрещена ДВК?") == "year"
    assert wanted("Қазақстан қай жылы өлім жазасын жойды?") == "year"  # the question words mid-sentence
    assert wanted("Указ был подписан какого числа?") == "date"
    assert wanted("Алматыда қанша адам ұсталды?") == "figure"
    assert wanted("Since what year has the moratorium held?") == "year"
    assert wanted("What year-on-year growth did the economy see?") is None
    assert wanted("When was Asya Tulesova arrested?") is None  # "after the elections" answers it too
    assert wanted("Who seized Almaty airport?") is None


def test_a_question_answered_by_a_number_or_a_date_favours_a_sentence_with_digits():
    for question in ("When was Asya Tulesova arrested?", "How often could she call?",
                     "In what year did Dominica ratify the convention?", "In which year did Togo abolish the death penalty?",
                     "Which year did the moratorium begin?", "Сколько человек задержали?"):
        assert asks_number(question), question
    assert not asks_number("Who seized Almaty airport?")


def test_a_date_answers_on_what_date_and_only_a_year_answers_in_what_year():
    on_what_date, what_year = "On what date was she released?", "In what year did he leave Kazakhstan?"
    assert gives("She was released on 12 August 2020.", on_what_date, "date")
    assert gives("She was released in August.", on_what_date, "date")
    assert not gives("The Court accepted that Article 40.3.3 of the Constitution provides it.", on_what_date, "date")
    assert not gives("It may be decided later.", on_what_date, "date")  # "may", the verb, is no month
    assert not gives("The march was dispersed by the police.", on_what_date, "date")  # nor "march", the noun
    assert gives("She was released in May.", on_what_date, "date")
    assert gives("He left Kazakhstan in 2009.", what_year, "year")
    assert not gives("Since mid-June, he was forbidden to leave Kazakhstan.", what_year, "year")
    signed = "In what year did it ratify the convention it signed in 2008?"
    assert not gives("It signed the convention in 2008.", signed, "year") and gives("It ratified it in 2012.", signed, "year")
