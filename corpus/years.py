"""The years a report is about: the year it is dated; for an undated one (a monitor's page that
gathers years of entries), the years its title names, else those its text names most.

A question's year is a soft preference for the reports of that year (index/search/subjects.py). A
report issued in 2022 is about 2022, but an undated page on the January 2022 events is too, and
must not lose to the dated one for want of a date.
"""

from __future__ import annotations

import re
from collections import Counter

YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_NAMED_OFTEN = 3  # times a year must be named in an undated text to be one it is about


def years_in(text: str) -> tuple[int, ...]:
    """The years a text names (1800–2099), each once, in order."""
    return tuple(sorted({int(year) for year in YEAR.findall(text)}))


def years_about(date: str, title: str, text: str) -> tuple[int, ...]:
    """The year of `date` ("YYYY…"); undated, the years the title names, else the years the text
    names at least three times and at least half as often as its most named year."""
    if date[:4].isdigit():
        return (int(date[:4]),)
    if named := years_in(title):
        return named
    counts = Counter(int(year) for year in YEAR.findall(text))
    if not counts:
        return ()
    top = counts.most_common(1)[0][1]
    return tuple(sorted(y for y, n in counts.items() if n >= _NAMED_OFTEN and 2 * n >= top))
