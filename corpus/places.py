"""The countries a text names, whatever name it uses: "the Kyrgyz Republic", "Kyrgyzstan" and
"Киргизия" are one country, "Türkiye" is Turkey, "DRC" the Democratic Republic of the Congo.

Human-rights reports are about countries, and a question names one in whatever form its asker
knows ("Ivory Coast", "South Korea", "Vietnam") while the report uses the UN's ("Côte d'Ivoire",
"Republic of Korea", "Viet Nam"). The search reads a question's countries as a soft preference
for the reports about them (index/search/subjects.py); a report's own countries come from its title
and first page. The list is the 193 UN Member States, the two observer States and a few
territories, each with the names in common use in English, and in Russian and Kazakh for the
region the bundled reports cover.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

SUBJECT_OPENING = 3_000  # characters of a report read for its countries when its title names none

# Canonical name (as the UN writes it in running text) → other names. Matching ignores case,
# accents, "the" and punctuation, so "Cote d'Ivoire" and "the Côte d’Ivoire" need no entry.
COUNTRIES: dict[str, tuple[str, ...]] = {
    "Afghanistan": ("Афганистан", "Ауғанстан"),
    "Albania": ("Албания",),
    "Algeria": ("Алжир",),
    "Andorra": (),
    "Angola": (),
    "Antigua and Barbuda": ("Antigua",),
    "Argentina": ("Аргентина",),
    "Armenia": ("Армения",),
    "Australia": ("Австралия",),
    "Austria": ("Австрия",),
    "Azerbaijan": ("Азербайджан", "Әзірбайжан"),
    "Bahamas": ("The Bahamas",),
    "Bahrain": (),
    "Bangladesh": (),
    "Barbados": (),
    "Belarus": ("Byelorussia", "Belorussia", "Беларусь", "Белоруссия"),
    "Belgium": ("Бельгия",),
    "Belize": (),
    "Benin": (),
    "Bhutan": (),
    "Bolivia": ("Plurinational State of Bolivia", "Bolivia (Plurinational State of)"),
    "Bosnia and Herzegovina": ("Bosnia", "Bosnia-Herzegovina"),
    "Botswana": (),
    "Brazil": ("Brasil", "Бразилия"),
    "Brunei Darussalam": ("Brunei",),
    "Bulgaria": ("Болгария",),
    "Burkina Faso": ("Upper Volta",),
    "Burundi": (),
    "Cabo Verde": ("Cape Verde",),
    "Cambodia": ("Kampuchea",),
    "Cameroon": (),
    "Canada": ("Канада",),
    "Central African Republic": ("CAR",),
    "Chad": (),
    "Chile": (),
    "China": ("People's Republic of China", "PRC", "Китай", "Қытай"),
    "Colombia": (),
    "Comoros": (),
    "Congo": ("Republic of the Congo", "Congo-Brazzaville"),
    "Costa Rica": (),
    "Côte d'Ivoire": ("Ivory Coast",),
    "Croatia": ("Хорватия",),
    "Cuba": ("Куба",),
    "Cyprus": ("Кипр",),
    "Czech Republic": ("Czechia", "Чехия"),
    "Democratic People's Republic of Korea": ("North Korea", "DPRK", "Северная Корея"),
    "Democratic Republic of the Congo": ("DRC", "DR Congo", "Congo-Kinshasa", "Zaire"),
    "Denmark": ("Дания",),
    "Djibouti": (),
    "Dominica": (),
    "Dominican Republic": (),
    "Ecuador": (),
    "Egypt": ("Египет",),
    "El Salvador": ("Salvador",),
    "Equatorial Guinea": (),
    "Eritrea": (),
    "Estonia": ("Эстония",),
    "Eswatini": ("Swaziland",),
    "Ethiopia": (),
    "Fiji": (),
    "Finland": ("Финляндия",),
    "France": ("Франция",),
    "Gabon": (),
    "Gambia": ("The Gambia",),
    "Georgia": ("Грузия",),
    "Germany": ("Германия",),
    "Ghana": (),
    "Greece": ("Греция",),
    "Grenada": (),
    "Guatemala": (),
    "Guinea": ("Guinea-Conakry",),
    "Guinea-Bissau": (),
    "Guyana": (),
    "Haiti": (),
    "Holy See": ("Vatican",),
    "Honduras": (),
    "Hungary": ("Венгрия",),
    "Iceland": (),
    "India": ("Индия",),
    "Indonesia": (),
    "Iran": ("Islamic Republic of Iran", "Iran (Islamic Republic of)", "Persia", "Иран"),
    "Iraq": ("Ирак",),
    "Ireland": ("Eire", "Ирландия"),
    "Israel": ("Израиль",),
    "Italy": ("Италия",),
    "Jamaica": (),
    "Japan": ("Япония",),
    "Jordan": (),
    "Kazakhstan": ("Kazakstan", "Qazaqstan", "Казахстан", "Қазақстан"),
    "Kenya": (),
    "Kiribati": (),
    "Kuwait": (),
    "Kyrgyzstan": ("Kyrgyz Republic", "Kirghizia", "Kirgizia", "Kyrgysztan", "Кыргызстан", "Киргизия", "Қырғызстан"),
    "Lao People's Democratic Republic": ("Laos", "Lao PDR"),
    "Latvia": ("Латвия",),
    "Lebanon": (),
    "Lesotho": (),
    "Liberia": (),
    "Libya": ("Libyan Arab Jamahiriya",),
    "Liechtenstein": (),
    "Lithuania": ("Литва",),
    "Luxembourg": (),
    "Madagascar": ("Malagasy Republic",),
    "Malawi": (),
    "Malaysia": (),
    "Maldives": (),
    "Mali": (),
    "Malta": (),
    "Marshall Islands": (),
    "Mauritania": (),
    "Mauritius": (),
    "Mexico": ("Мексика",),
    "Micronesia": ("Federated States of Micronesia", "Micronesia (Federated States of)"),
    "Monaco": (),
    "Mongolia": ("Монголия",),
    "Montenegro": (),
    "Morocco": (),
    "Mozambique": (),
    "Myanmar": ("Burma",),
    "Namibia": (),
    "Nauru": (),
    "Nepal": (),
    "Netherlands": ("Holland", "Нидерланды"),
    "New Zealand": ("Aotearoa",),
    "Nicaragua": (),
    "Niger": (),
    "Nigeria": (),
    "North Macedonia": ("Macedonia", "The former Yugoslav Republic of Macedonia", "FYROM", "Македония"),
    "Norway": ("Норвегия",),
    "Oman": (),
    "Pakistan": ("Пакистан",),
    "Palau": (),
    "Panama": (),
    "Papua New Guinea": (),
    "Paraguay": (),
    "Peru": (),
    "Philippines": (),
    "Poland": ("Польша",),
    "Portugal": (),
    "Qatar": (),
    "Republic of Korea": ("South Korea", "Korea", "Южная Корея"),
    "Republic of Moldova": ("Moldova", "Молдова", "Молдавия"),
    "Romania": ("Румыния",),
    "Russian Federation": ("Russia", "Россия", "Российская Федерация", "Ресей"),
    "Rwanda": (),
    "Saint Kitts and Nevis": ("St Kitts and Nevis", "St. Kitts and Nevis"),
    "Saint Lucia": ("St Lucia", "St. Lucia"),
    "Saint Vincent and the Grenadines": ("St Vincent and the Grenadines", "St. Vincent and the Grenadines"),
    "Samoa": (),
    "San Marino": (),
    "Sao Tome and Principe": ("São Tomé and Príncipe",),
    "Saudi Arabia": ("Саудовская Аравия",),
    "Senegal": (),
    "Serbia": ("Сербия",),
    "Seychelles": (),
    "Sierra Leone": (),
    "Singapore": (),
    "Slovakia": ("Slovak Republic",),
    "Slovenia": (),
    "Solomon Islands": (),
    "Somalia": (),
    "South Africa": ("ЮАР",),
    "South Sudan": (),
    "Spain": ("Испания",),
    "Sri Lanka": ("Ceylon",),
    "State of Palestine": ("Palestine", "Occupied Palestinian Territory"),
    "Sudan": (),
    "Suriname": ("Surinam",),
    "Sweden": ("Швеция",),
    "Switzerland": ("Швейцария",),
    "Syrian Arab Republic": ("Syria", "Сирия"),
    "Tajikistan": ("Tadjikistan", "Таджикистан", "Тәжікстан"),
    "Thailand": ("Siam", "Таиланд"),
    "Timor-Leste": ("East Timor",),
    "Togo": (),
    "Tonga": (),
    "Trinidad and Tobago": (),
    "Tunisia": (),
    "Turkey": ("Türkiye", "Turkiye", "Турция", "Түркия"),
    "Turkmenistan": ("Туркменистан", "Түрікменстан"),
    "Tuvalu": (),
    "Uganda": (),
    "Ukraine": ("Украина", "Украина"),
    "United Arab Emirates": ("UAE", "Emirates"),
    "United Kingdom": ("United Kingdom of Great Britain and Northern Ireland", "UK", "Britain", "Great Britain",
                       "Великобритания"),
    "United Republic of Tanzania": ("Tanzania",),
    "United States of America": ("United States", "USA", "US", "America", "США"),
    "Uruguay": (),
    "Uzbekistan": ("Узбекистан", "Өзбекстан"),
    "Vanuatu": (),
    "Venezuela": ("Bolivarian Republic of Venezuela", "Venezuela (Bolivarian Republic of)"),
    "Viet Nam": ("Vietnam",),
    "Yemen": (),
    "Zambia": (),
    "Zimbabwe": (),
}
# Adjectives and demonyms a question uses for a country ("the British delegation"); those that are
# also a language's name (Russian, Kazakh, French) are left out: a question about a language is
# not about the country.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "Afghanistan": ("Afghan",), "Algeria": ("Algerian",), "Argentina": ("Argentine", "Argentinian"),
    "Australia": ("Australian",), "Austria": ("Austrian",), "Bangladesh": ("Bangladeshi",),
    "Belarus": ("Belarusian",), "Belgium": ("Belgian",), "Bolivia": ("Bolivian",), "Brazil": ("Brazilian",),
    "Cambodia": ("Cambodian",), "Cameroon": ("Cameroonian",), "Canada": ("Canadian",), "Chile": ("Chilean",),
    "Colombia": ("Colombian",), "Cuba": ("Cuban",), "Egypt": ("Egyptian",), "Ethiopia": ("Ethiopian",),
    "Ghana": ("Ghanaian",), "Haiti": ("Haitian",), "India": ("Indian",), "Iran": ("Iranian",), "Iraq": ("Iraqi",),
    "Ireland": ("Irish",), "Israel": ("Israeli",), "Jamaica": ("Jamaican",), "Jordan": ("Jordanian",),
    "Kazakhstan": ("Kazakhstani",), "Kenya": ("Kenyan",), "Lebanon": ("Lebanese",), "Libya": ("Libyan",),
    "Malaysia": ("Malaysian",), "Mexico": ("Mexican",), "Morocco": ("Moroccan",), "Nepal": ("Nepalese",),
    "Nigeria": ("Nigerian",), "Pakistan": ("Pakistani",), "Peru": ("Peruvian",),
    "Philippines": ("Filipino", "Philippine"), "Rwanda": ("Rwandan",), "Saudi Arabia": ("Saudi",),
    "South Africa": ("South African",), "Sri Lanka": ("Sri Lankan",), "Sudan": ("Sudanese",),
    "Switzerland": ("Swiss",), "Syrian Arab Republic": ("Syrian",), "Tunisia": ("Tunisian",),
    "Uganda": ("Ugandan",), "United Kingdom": ("British",), "United Republic of Tanzania": ("Tanzanian",),
    "United States of America": ("American",), "Venezuela": ("Venezuelan",), "Yemen": ("Yemeni",),
    "Zambia": ("Zambian",), "Zimbabwe": ("Zimbabwean",),
}
# Names that are also common words or other things: matched only as written, capitalised.
_CASE_SENSITIVE = frozenset({"us", "car", "chad", "guinea", "jordan", "georgia", "niger", "america", "turkey",
                             "korea", "congo", "salvador", "emirates"})


def _folded(text: str) -> str:
    """Latin letters' accents and apostrophe kinds folded, case and length kept ("Côte d’Ivoire" →
    "Cote d'Ivoire"), so that a match's span is the same in the text. Other scripts are left as
    they are (й is not и)."""
    return "".join(_fold_character(c) for c in text)


@lru_cache(maxsize=4096)
def _fold_character(character: str) -> str:
    if character in "’ʼ":
        return "'"
    base = unicodedata.normalize("NFD", character)[0]
    return base if base.isascii() and base.isalpha() else character


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every name, longest first (so "Democratic Republic of the Congo" wins over
    "Congo" and "Papua New Guinea" over "Guinea"), each ignoring case unless it is a word too."""
    names: dict[str, str] = {}
    for country, others in COUNTRIES.items():
        for name in (country, *others, *DEMONYMS.get(country, ())):
            names[_folded(name)] = country
    parts = []
    for name in sorted(names, key=len, reverse=True):
        body = r"\s+".join(re.escape(word) for word in name.split())
        exact = name.lower() in _CASE_SENSITIVE or name.isupper()
        parts.append(body if exact else f"(?i:{body})")
    lookup = {key.lower(): country for key, country in names.items()}
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"), lookup


def countries_in(text: str) -> Counter[str]:
    """How often each country is named in the text, by any of its names (canonical names)."""
    pattern, lookup = _matcher()
    return Counter(lookup[" ".join(m.group(0).split()).lower()] for m in pattern.finditer(_folded(text)))


def without_countries(text: str) -> str:
    """The text with every country name taken out ("What did Togo's 2011 review say" → "What did 's
    2011 review say"), spaces folded."""
    pattern, _ = _matcher()
    folded = _folded(text)
    kept, last = [], 0
    for match in pattern.finditer(folded):
        kept.append(text[last : match.start()])
        last = match.end()
    kept.append(text[last:])
    return " ".join("".join(kept).split())


def subject_countries(title: str, opening: str) -> tuple[str, ...]:
    """What a report is about: the countries its title names; when it names none, the country its
    opening names most, if it names that one at least three times and twice as often as any other."""
    named = countries_in(title)
    if named:
        return tuple(sorted(named))
    counts = countries_in(opening).most_common(2)
    if counts and counts[0][1] >= 3 and (len(counts) == 1 or counts[0][1] >= 2 * counts[1][1]):
        return (counts[0][0],)
    return ()
