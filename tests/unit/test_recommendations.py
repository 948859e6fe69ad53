"""A UN review's recommendation items end with the States that made them, in parentheses."""

from corpus.recommendations import is_recommendation
from index.search.recommendations import asks_about_recommendations


def test_an_item_ends_with_the_recommending_states():
    assert is_recommendation("136.23 Adopt a law on the protection of human rights defenders (Mali);")
    assert is_recommendation("Ratify the United Nations Convention against Corruption (Netherlands);")
    assert is_recommendation("Raise the age (Democratic Republic of the Congo, Bolivarian Republic of Venezuela).")
    assert is_recommendation("Consider acceding to it (Iran (Islamic Republic of));")
    assert is_recommendation("Abolish the death penalty (Czech Republic and Slovakia);")


def test_other_parentheses_are_no_item():
    assert not is_recommendation("The opposition movement “Democratic Choice of Kazakhstan” (DCK).")
    assert not is_recommendation("Refugees arrived from the Democratic Republic of the Congo (DRC).")  # a short form
    assert not is_recommendation("Homosexuality was illegal and punishable by law (see above).")
    assert not is_recommendation("The Parliamentary Ombudsman was established in 1995.")


def test_a_question_about_recommendations():
    assert asks_about_recommendations("Which States recommended that Tajikistan abolish the death penalty?")
    assert asks_about_recommendations("What was Kazakhstan urged to do about torture?")
    assert asks_about_recommendations("What was Kazakhstan encouraged to do?")
    assert asks_about_recommendations("What did the Netherlands ask Vanuatu to do?")
    assert not asks_about_recommendations("Has Tajikistan abolished the death penalty?")


def test_a_long_hostile_sentence_is_no_item():
    assert not is_recommendation("(Mali)" + " " * 40_000 + "x")
    assert not is_recommendation("(" * 10_000)
    assert not is_recommendation("a (" * 10_000 + ")")
