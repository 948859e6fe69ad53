"""What a caller of the app's API sends, checked at the boundary: JSON can hold any type, and a bad
value gets one line naming it, not a Python message from deep inside."""

from __future__ import annotations

from index.config import MODES
from index.search import Filters

MAX_QUESTION_CHARS = 2_000  # the model reads the first 256 tokens (about 1,000 characters) anyway
MAX_PASSAGES = 50  # the page's slider goes to 50, and the API takes the same


class ArgumentError(ValueError):
    """An argument of the wrong type or out of range; the message says which and what to give."""


def question_text(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ArgumentError(f"the question must be text, not {_shown(value)}")
    if len(value) > MAX_QUESTION_CHARS:
        raise ArgumentError(f"the question is {len(value):,} characters long and was not searched; ask it in at most "
                            f"{MAX_QUESTION_CHARS:,} characters")
    return value


def passage_count(value: object) -> int:
    """k: how many passages; a whole number from 1 to MAX_PASSAGES ("5" and 5.0 are taken as 5)."""
    whole = isinstance(value, float) and value.is_integer()
    digits = isinstance(value, str) and value.strip().lstrip("-").isdigit()
    number: object = int(value) if whole or digits else value  # type: ignore[call-overload]
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_PASSAGES:
        raise ArgumentError(f"k (the number of passages) must be a whole number from 1 to {MAX_PASSAGES}, "
                            f"not {_shown(value)}")
    return number


def mode_name(value: object, default: str) -> str:
    if value is None or value == "":
        return default
    if not isinstance(value, str) or value not in MODES:
        raise ArgumentError(f"unknown mode {_shown(value)}; use one of {', '.join(MODES)}")
    return value


def names(value: object, what: str) -> tuple[str, ...]:
    """A filter's names: a list of them, or one name as text (kept whole, never split into letters)."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ArgumentError(f"{what} must be a list of names, or one name as text, not {_shown(value)}")


def filters(publishers: object, doc_ids: object, since: object, until: object, languages: object,
            undated: object = False) -> Filters:
    """The filters from loose values (lists or one name, dates as text); the one place they are built."""
    return Filters(names(publishers, "publishers"), names(doc_ids, "doc_ids"), date_text(since, "since"),
                   date_text(until, "until"), names(languages, "languages"), flag(undated, "undated"))


def flag(value: object, what: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ArgumentError(f"{what} must be true or false, not {_shown(value)}")
    return value


def date_text(value: object, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ArgumentError(f'{what} must be a date written as text, YYYY, YYYY-MM or YYYY-MM-DD (e.g. "2019"), '
                            f"not {_shown(value)}")
    return value.strip()


def _shown(value: object) -> str:
    """The value as the caller wrote it, short, with its kind when it is not text."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    text = repr(value)
    text = text if len(text) <= 60 else text[:57] + "…"
    return text if isinstance(value, str) else f"{text} ({type(value).__name__})"
