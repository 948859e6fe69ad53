"""The country names a text holds, where they are (corpus/places.py): whole words only, whatever the
spaces, case, accents or script, the longest name that fits, and abbreviations only where they
stand out from the words around them."""

from __future__ import annotations

from corpus.places import countries_in, country_mentions, without_countries


def named(text: str) -> list[tuple[str, str]]:
    """Each name as the text writes it, with its country."""
    return [(text[start:end], country) for start, end, country in country_mentions(text)]


def test_a_name_inside_a_longer_word_is_no_name():
    assert named("Omani, Romania, Indiana, Nigeria, Chadwick, Malicious, Britains, Germanyx") == [
        ("Romania", "Romania"), ("Nigeria", "Nigeria")]
    # A $ holds on to the letters before it: US$ is a currency, $Chad no country.
    assert named("US$ 5 million, $Chad, the US-led, U.S.-based") == [
        ("US", "United States of America"), ("U.S.", "United States of America")]


def test_the_words_of_a_name_may_be_split_by_any_spaces_and_line_breaks():
    assert named("Sri\nLanka and Papua  New\n Guinea") == [("Sri\nLanka", "Sri Lanka"),
                                                           ("Papua  New\n Guinea", "Papua New Guinea")]
    assert named("Bosnia and\r\nHerzegovina") == [("Bosnia and\r\nHerzegovina", "Bosnia and Herzegovina")]


def test_accents_apostrophes_and_case_are_read_through():
    assert named("Cote d'Ivoire, the Côte d’Ivoire, COTE D'IVOIRE, São Tomé and Príncipe, Turkıye") == [
        ("Cote d'Ivoire", "Côte d'Ivoire"), ("Côte d’Ivoire", "Côte d'Ivoire"), ("COTE D'IVOIRE", "Côte d'Ivoire"),
        ("São Tomé and Príncipe", "Sao Tome and Principe"), ("Turkıye", "Turkey")]


def test_the_is_part_of_a_name_only_where_the_name_has_it():
    assert named("the Gambia, The Bahamas, Gambia, the Netherlands' courts") == [
        ("the Gambia", "Gambia"), ("The Bahamas", "Bahamas"), ("Gambia", "Gambia"), ("Netherlands", "Netherlands")]


def test_russian_and_kazakh_names_in_their_cases_and_in_any_case():
    assert named("в Казахстане, Қазақстанда, России, Российской Федерации, КАЗАХСТАН, казахстан") == [
        ("Казахстане", "Kazakhstan"), ("Қазақстанда", "Kazakhstan"), ("России", "Russian Federation"),
        ("Российской Федерации", "Russian Federation"), ("КАЗАХСТАН", "Kazakhstan"), ("казахстан", "Kazakhstan")]
    assert named("ЮАР, юар, США, сша") == [("ЮАР", "South Africa"), ("США", "United States of America")]


def test_the_democratic_republic_of_the_congo_by_all_its_names():
    drc = "Democratic Republic of the Congo"
    assert countries_in("the DRC and its neighbours, DR Congo, Congo-Kinshasa, Zaire, the " + drc) == {drc: 5}
    # "Congo" alone is the Republic of the Congo, and only as a name is written.
    assert named("Congo, congo, CONGO, Congo-Brazzaville") == [
        ("Congo", "Congo"), ("CONGO", "Congo"), ("Congo-Brazzaville", "Congo")]
    # An abbreviation beside other capitals is read as part of a line of capitals: "DRC, DR" is one.
    assert named("the DRC, DR Congo") == [("DR Congo", drc)]


def test_abbreviations_and_words_that_are_also_names():
    assert named("LET US KNOW, the US, U.S.A., THE UK GOVERNMENT, the UK government, UAE") == [
        ("US", "United States of America"), ("U.S.A.", "United States of America"), ("UK", "United Kingdom"),
        ("UAE", "United Arab Emirates")]
    assert named("chad, turkey, Turkey, TURKEY, Türkiye, jordan, Jordan") == [
        ("Turkey", "Turkey"), ("TURKEY", "Turkey"), ("Türkiye", "Turkey"), ("Jordan", "Jordan")]


def test_the_longest_name_wins_and_some_long_names_are_no_country():
    assert named("Guinea-Bissau, New Guinea, Guinea, Equatorial Guinea, Guinea pig, New Mexico, Latin America") == [
        ("Guinea-Bissau", "Guinea-Bissau"), ("New Guinea", "Papua New Guinea"), ("Guinea", "Guinea"),
        ("Equatorial Guinea", "Equatorial Guinea")]
    assert named("Northern Ireland, Ireland, Irish, British, the American Convention, Inter-American") == [
        ("Northern Ireland", "United Kingdom"), ("Ireland", "Ireland"), ("Irish", "Ireland"),
        ("British", "United Kingdom")]
    assert named("Bolivia (Plurinational State of) and Iran (Islamic Republic of)") == [
        ("Bolivia (Plurinational State of)", "Bolivia"), ("Iran (Islamic Republic of)", "Iran")]
    # A name that is no country stays in the text when the countries are taken out.
    assert without_countries("Latin America and Kyrgyz Republic's courts") == "Latin America and 's courts"


def test_a_territory_or_breakaway_region_is_a_country_of_its_own():
    # A question about the Cook Islands or Somaliland is not about Tonga's or Somalia's review.
    assert named("the Cook Islands and Niue; Somaliland's authorities in Somalia; Нагорный Карабах") == [
        ("Cook Islands", "Cook Islands"), ("Niue", "Niue"), ("Somaliland", "Somaliland"), ("Somalia", "Somalia"),
        ("Нагорный Карабах", "Nagorno-Karabakh")]
