"""What a file says about itself (title, author or publisher, date, address), as LoadedText fields.

Dates are read from the forms files write them in (ISO 8601 and W3C dates, PDF's D:YYYYMMDD…, the
RFC 2822 dates of e-mail) and given as YYYY-MM-DD (or YYYY-MM, YYYY when the file says no more). A
date that cannot be read is left out with a warning naming it: never a crash, never a guess.
"""

from __future__ import annotations

import datetime
import email.utils
import re
from typing import Any
from urllib.parse import urlsplit

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")
_COMPACT = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?(?:[\dZ+\-'].*)?$")  # PDF dates, 20210312, 2021031210
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([a-z]{3,9})\.?,?\s+(\d{4})$", re.IGNORECASE)  # 20 January 2022
_MONTH_DAY_YEAR = re.compile(r"^([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$", re.IGNORECASE)  # January 20, 2022
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_FIELD_MAX_CHARS = 300  # a title or name longer than this is a paragraph the file mislabelled


def clean_field(value: object) -> str:
    """One line of plain text, as the manifest's fields are: control characters and runs of spaces go."""
    if value is None:
        return ""
    text = " ".join(_CONTROL.sub(" ", str(value)).split())
    return text if len(text) <= _FIELD_MAX_CHARS else ""


def web_address(value: object) -> str:
    """`value` when it is an http(s) address, as the manifest requires of its urls; else ""."""
    text = clean_field(value)
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme in ("http", "https") and parts.hostname and " " not in text else ""


def normal_date(value: object) -> str | None:
    """The date `value` says, as YYYY-MM-DD (YYYY-MM or YYYY when it says no more), or None."""
    if isinstance(value, datetime.datetime | datetime.date):
        return _checked(value.year, value.month, value.day)
    text = clean_field(value)
    if not text:
        return None
    for pattern in (_ISO, _COMPACT):
        if match := pattern.match(text):
            year, month, day = match.groups()
            return _checked(int(year), int(month) if month else None, int(day) if day else None)
    if (match := _DAY_MONTH_YEAR.match(text)) or (match := _MONTH_DAY_YEAR.match(text)):
        day, name = (match[1], match[2]) if match.re is _DAY_MONTH_YEAR else (match[2], match[1])
        month = _MONTHS.index(name[:3].lower()) + 1 if name[:3].lower() in _MONTHS else 0
        return _checked(int(match[3]), month, int(day)) if month else None
    try:
        parsed = email.utils.parsedate_to_datetime(text)  # "Thu, 20 Jan 2022 09:30:00 +0600"
    except (TypeError, ValueError, IndexError):
        return None
    return _checked(parsed.year, parsed.month, parsed.day)


def _checked(year: int, month: int | None, day: int | None) -> str | None:
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:  # month 13, 30 February, year 0
        return None
    if year < 1000:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def date_fields(value: object, source: str) -> dict[str, Any]:
    """LoadedText's date and date_source for a date read from the file's `source` ("pdf metadata",
    "e-mail header" …): none when the file gives none, a date_warning when it cannot be read."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}
    date = normal_date(value)
    if date is None:
        shown = clean_field(value)[:80] or repr(value)[:80]
        return {"date_warning": f"its date in the {source} ({shown!r}) cannot be read as a date, so it is left out; "
                                "give the date in manifest.toml"}
    return {"date": date, "date_source": source}
