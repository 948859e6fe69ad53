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
from dataclasses import dataclass
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
    "Central African Republic": (),
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
    "Papua New Guinea": ("New Guinea",),
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
    "State of Palestine": ("Palestine", "Occupied Palestinian Territory", "Gaza", "West Bank"),
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
    "Ukraine": ("Украина", "Україна"),
    "United Arab Emirates": ("UAE", "Emirates"),
    "United Kingdom": ("United Kingdom of Great Britain and Northern Ireland", "UK", "U.K.", "Britain", "Great Britain",
                       "Northern Ireland", "England", "Scotland", "Wales", "Великобритания"),
    "United Republic of Tanzania": ("Tanzania",),
    "United States of America": ("United States", "USA", "US", "U.S.", "U.S.A.", "США"),
    "Uruguay": (),
    "Uzbekistan": ("Узбекистан", "Өзбекстан"),
    "Vanuatu": (),
    "Venezuela": ("Bolivarian Republic of Venezuela", "Venezuela (Bolivarian Republic of)"),
    "Viet Nam": ("Vietnam",),
    "Yemen": (),
    "Zambia": (),
    "Zimbabwe": (),
    # Territories whose status is disputed or that are not Member States, under their own names.
    "Kosovo": (),
    "Taiwan": (),
    "Hong Kong": (),
    "Macao": ("Macau",),
    "Western Sahara": (),
    "Puerto Rico": (),
    # Self-governing states in free association, breakaway regions and overseas territories: a question
    # about one is not about the state that holds it ("… the Cook Islands … at their review?" answered
    # from Tonga's, which lists the Cook Islands among the Pacific Islands Forum).
    "Cook Islands": (),
    "Niue": (),
    "Somaliland": (),
    "Abkhazia": ("Абхазия",),
    "South Ossetia": ("Южная Осетия",),
    "Transnistria": ("Приднестровье",),
    "Nagorno-Karabakh": ("Нагорный Карабах",),
    "Northern Cyprus": (),
    "Greenland": (),
    "Faroe Islands": (),
    "Bermuda": (),
    "Gibraltar": (),
    "New Caledonia": (),
    "French Polynesia": (),
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
# Names that are also common words or other things: matched only as written (capitalised, or in
# capitals), never in lower case.
_CASE_SENSITIVE = frozenset({"us", "chad", "guinea", "jordan", "georgia", "niger", "turkey", "korea", "congo",
                             "salvador", "emirates", "mali", "peru", "china", "india", "cuba", "oman", "togo"})
# Longer names that hold a country's name but are not about that country: matched (so that, being
# longer, they win over the name inside them) and then counted for none.
NOT_COUNTRIES = ("Inter-American", "Latin America", "Latin American", "South America", "South American",
                 "Central America", "Central American", "North America", "North American", "American Convention",
                 "Americas", "Indian Ocean", "American Indian", "New Mexico", "British Columbia",
                 "British Virgin Islands", "Guinea pig", "Salvador Allende")
# Abbreviations in capitals ("US", "UK") are not read inside a line of capitals ("LET US KNOW").
_CAPITALS_AROUND = re.compile(r"[A-Z]{2,}\W{1,3}$|^\W{1,3}[A-Z]{2,}")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_CYRILLIC_ENDINGS = "аяьйоеиыуюё"


def _folded(text: str) -> str:
    """Latin letters' accents and apostrophe kinds folded, case and length kept ("Côte d’Ivoire" →
    "Cote d'Ivoire"), so that a match's span is the same in the text. Other scripts are left as
    they are (й is not и)."""
    return text.translate(_FOLDS)


class _Folds(dict[int, str]):
    """Each character's folded form, worked out the first time it is read: str.translate's table."""

    def __missing__(self, code: int) -> str:
        folded = _fold_character(chr(code))
        if len(self) < 65_536:  # a text of every character there is stays a text, not a table
            self[code] = folded
        return folded


_FOLDS = _Folds()


def _fold_character(character: str) -> str:
    if character in "’ʼ":
        return "'"
    if character in "ıſ":  # letters a case-blind match reads as i and s: folded the same way here
        return "i" if character == "ı" else "s"
    base = unicodedata.normalize("NFD", character)[0]
    return base if base.isascii() and base.isalpha() else character


def _name_pattern(name: str) -> str:
    """A name's regular expression: its words with any spaces between; a Cyrillic word also in its
    inflected forms (Казахстан, Казахстане, Қазақстанда; Россия, России), by its stem and an ending."""
    words = []
    for word in name.split():
        if _CYRILLIC.search(word):
            stem = word
            while len(stem) > 4 and len(word) - len(stem) < 2 and stem[-1].lower() in _CYRILLIC_ENDINGS:
                stem = stem[:-1]  # Российская → Российск, Федерация → Федерац, Россия → Росс
            words.append(re.escape(stem) + r"\w{0,4}")
        else:
            words.append(re.escape(word))
    return r"\s+".join(words)


@dataclass(frozen=True)
class _Names:
    """Every name's pattern in its own group, longest name first (so "Democratic Republic of the
    Congo" wins over "Congo" and "Papua New Guinea" over "Guinea"); what each name's first letter and
    first two letters can be, read as its pattern reads them; and each name's country (None for
    NOT_COUNTRIES)."""

    patterns: tuple[str, ...]
    firsts: tuple[re.Pattern[str], ...]
    starts: tuple[re.Pattern[str], ...]
    countries: tuple[str | None, ...]


@lru_cache(maxsize=1)
def _names() -> _Names:
    """A name ignores case unless it is also a word or an abbreviation (then it is read as written
    or in capitals)."""
    names: dict[str, str | None] = {_folded(name): None for name in NOT_COUNTRIES}
    for country, others in COUNTRIES.items():
        for name in (country, *others, *DEMONYMS.get(country, ())):
            names.setdefault(_folded(name), country)
    longest_first = sorted(names, key=len, reverse=True)
    patterns: list[str] = []
    firsts: list[re.Pattern[str]] = []
    starts: list[re.Pattern[str]] = []
    for name in longest_first:
        body, forms, flags = _name_pattern(name), [name], re.IGNORECASE
        if name.lower() in _CASE_SENSITIVE or name.isupper():
            flags = re.NOFLAG
            if not name.isupper():
                body, forms = f"{body}|{_name_pattern(name.upper())}", [name, name.upper()]
        else:
            body = f"(?i:{body})"
        patterns.append(f"(?P<n{len(patterns)}>{body})")
        # The pattern begins with its first word's letters as written (a Cyrillic stem keeps two or
        # more), so these read its first two as it does; a word of one letter would only be read by one.
        firsts.append(re.compile("|".join(re.escape(form[0]) for form in forms), flags))
        starts.append(re.compile("|".join(re.escape(form.split()[0][:2]) for form in forms), flags))
    return _Names(tuple(patterns), tuple(firsts), tuple(starts), tuple(names[name] for name in longest_first))


# Where a name can begin: every name begins with a letter, after no letter, digit or $. A name is
# looked for only there and only among the names that can begin with the two characters found
# there (a cached look-up), rather than every name tried at every word: 15 ms an abstract before.
_WORD_START = re.compile(r"(?<![\w$])\w")


@lru_cache(maxsize=4096)  # one entry a character that begins a word: a few hundred
def _names_from(letter: str) -> tuple[int, ...]:
    """The names (by number) whose first letter can be this one."""
    return tuple(number for number, first in enumerate(_names().firsts) if first.match(letter))


@lru_cache(maxsize=65_536)  # one entry a pair of letters that begins a word
def _pattern_at(start: str) -> re.Pattern[str] | None:
    """The names that can begin with these two characters, in one pattern and in the order of
    _names(), so that the first that matches is the one the pattern of all names would find."""
    starts = _names().starts
    return _alternation(tuple(number for number in _names_from(start[0]) if starts[number].match(start)))


@lru_cache(maxsize=4096)
def _alternation(numbers: tuple[int, ...]) -> re.Pattern[str] | None:
    if not numbers:
        return None
    patterns = _names().patterns
    return re.compile("(?:" + "|".join(patterns[number] for number in numbers) + r")(?![\w$])")


@lru_cache(maxsize=1024)  # a question is read twice per search: for its countries, then without them
def _matches(text: str) -> tuple[tuple[int, int, str | None], ...]:
    """(start, end, country or None) of every name in the text, each where it begins, left to right,
    the longest name that matches there, and the text after it read from its end."""
    countries = _names().countries
    folded = _folded(text)
    found = []
    read_to = 0
    for word in _WORD_START.finditer(folded):
        start = word.start()
        if start < read_to:
            continue
        pattern = _pattern_at(folded[start : start + 2])
        match = pattern.match(folded, start) if pattern else None
        if match is None:
            continue
        read_to = end = match.end()
        written = match.group(0)
        if written.isupper() and len(written) <= 4 and (
                _CAPITALS_AROUND.search(text[max(0, start - 12) : start])
                or _CAPITALS_AROUND.search(text[end : end + 12])):
            continue
        found.append((start, end, countries[int(match.lastgroup[1:])] if match.lastgroup else None))
    return tuple(found)


def country_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, country) of every country the text names."""
    return [(start, end, country) for start, end, country in _matches(text) if country is not None]


def countries_in(text: str) -> Counter[str]:
    """How often each country is named in the text, by any of its names (canonical names)."""
    return Counter(country for _, _, country in _matches(text) if country is not None)


def without_countries(text: str) -> str:
    """The text with every country name taken out ("What did Togo's 2011 review say" → "What did 's
    2011 review say"), spaces folded; "" when nothing but names and punctuation is left."""
    kept, last = [], 0
    for start, end, country in _matches(text):
        if country is not None:
            kept.append(text[last:start])
            last = end
    kept.append(text[last:])
    left = " ".join("".join(kept).split())
    return left if re.search(r"\w", left) else ""


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
