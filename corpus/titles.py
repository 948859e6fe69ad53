"""A plain text's title, date and publisher, read from its own first lines when no manifest gives them.

Most texts: the first line that reads as a title (a Markdown heading, or the first line of prose),
passing over the furniture of an official document's header (symbols, "Distr.: General",
"United Nations", "Original: English", a lone word in capitals such as "UNITED").

UN documents: the date is the one of "Distr.: General 10 December 2014"; a header naming the Human
Rights Council makes it the publisher; the report of the Working Group on the Universal Periodic
Review takes the title "Report of the Working Group on the Universal Periodic Review: <State>
(<symbol>)", the State being the line after the header's title (the 262 reports of
../shared/corpora/upr-wg-reports give it so, misspellings such as "UniversalPeriodic" included)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

UPR_TITLE = "Report of the Working Group on the Universal Periodic Review"
HRC_PUBLISHER = "United Nations Human Rights Council"
_HEAD = 6_000  # characters of a text read for its header
_HEADER = 1_500  # of which the header: what it names (the Human Rights Council) is not the body's mention
_MAX_TITLE = 200
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
# A text that only quotes such a header (a folder's description of its UN reports, say) is no UN
# document: a "Distr." inside quotes or brackets does not count.
_DISTRIBUTED = re.compile(
    r"(?<![\"“(‘'])\bDistr\.?[\s:]*(?:General|Restricted|Limited)?[\s\S]{0,80}?"
    r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+((?:19|20)\d\d)\b",
    re.IGNORECASE)
_UPR_HEADING = re.compile(r"Report\s+of\s+the\s+Working\s+(?:Group\s+)?on\s+the\s*Universal\s*Periodic\s*Review", re.IGNORECASE)
_UPR_AGENDA = re.compile(r"^\s*Universal\s+Periodic\s+Review\s*$", re.IGNORECASE | re.MULTILINE)
_UPR_BODY = re.compile(r"Working\s+Group\s+on\s+the\s+Universal\s+Periodic\s+Review", re.IGNORECASE)
_SYMBOL = re.compile(r"\b(?:A|E|S|CCPR|CERD|CRC|CEDAW|CAT|CRPD)/(?:[A-Z]+/)*\d+(?:/[A-Za-z]*\.?\d+)*\b")
_FURNITURE = re.compile(
    r"^(?:distr\b.*|original\s*:.*|united\s+nations\b.*|general\s+assembly\b.*|security\s+council\b.*"
    r"|economic\s+and\s+social\s+council\b.*|human\s+rights\s+council\b.*|agenda\s+item\b.*|ge\.\d\d-\d+.*"
    r"|\*\d+\*|\d{1,2}\s+\w+\s+\d{4}|english|french|spanish|russian|arabic|chinese)$",
    re.IGNORECASE)
_LONE_CAPITALS = re.compile(r"[A-Z]+\.?")  # "UNITED", "NATIONS", "A": a header's letters, not a title
_SMALL_WORDS = frozenset({"of", "the", "and", "de", "da", "du", "des", "for", "on"})


@dataclass(frozen=True)
class TextHeader:
    title: str = ""
    date: str = ""  # "YYYY-MM-DD", or "" when the text gives none
    publisher: str = ""


def read_header(text: str) -> TextHeader:
    """The title, date and publisher a text's own first lines give; "" for what they do not."""
    head = text[:_HEAD]
    lines = [line.strip() for line in head.split("\n")]
    un = _un_header(head)
    title = (_upr_title(head, text) if un else "") or _first_title(lines)
    publisher = HRC_PUBLISHER if un and re.search(r"human\s+rights\s+council", head[:_HEADER], re.IGNORECASE) else ""
    return TextHeader(title=title, date=_distributed(head), publisher=publisher)


def _un_header(head: str) -> bool:
    """Whether the text opens as a UN document does: a "Distr." line and "United Nations" or "General Assembly"."""
    return bool(_DISTRIBUTED.search(head)) and bool(re.search(r"united\s+nations|general\s+assembly", head, re.IGNORECASE))


def _distributed(head: str) -> str:
    """The date of the "Distr.: General 10 December 2014" line, as "2014-12-10"; "" without one."""
    match = _DISTRIBUTED.search(head)
    if not match:
        return ""
    day, month, year = int(match.group(1)), _MONTHS.index(match.group(2).lower()) + 1, int(match.group(3))
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:  # "31 June": a typing slip, not a date
        return ""


def _upr_title(head: str, text: str) -> str:
    """The UPR Working Group report's title with its State and symbol, or "" for another UN document.

    The State is the first line after the report's heading that is neither a footnote nor empty; a
    report whose heading was lost in extraction (but whose body names the Working Group) gives it on
    the line after the "Universal Periodic Review" agenda line."""
    heading = _UPR_HEADING.search(head)
    if heading:
        start = heading.end()
    else:
        agendas = list(_UPR_AGENDA.finditer(head))
        if not agendas or not _UPR_BODY.search(text[:50_000]):
            return ""
        start = agendas[-1].end()
    state = _state(head[start:].split("\n")[1:])
    if not state:
        return ""
    symbol = _SYMBOL.search(head[: heading.start() if heading else start])
    return f"{UPR_TITLE}: {state}" + (f" ({symbol.group()})" if symbol else "")


def _state(lines: list[str]) -> str:
    for line in lines[:12]:
        name = line.strip().rstrip("*. ").strip()
        if not name or line.strip()[0] in "*._" or not re.search(r"[^\W\d_]", name):
            continue
        if len(name) > 80 or name.lower().startswith(("contents", "previously", "the annex")):
            return ""
        return _title_case(name) if name.isupper() else name
    return ""


def _title_case(name: str) -> str:
    """'BURKINA FASO' → 'Burkina Faso'; 'REPUBLIC OF THE CONGO' → 'Republic of the Congo'."""
    words = name.lower().split()
    return " ".join(word if word in _SMALL_WORDS and n else word.capitalize() for n, word in enumerate(words))


def _first_title(lines: list[str]) -> str:
    """The first line that reads as a title: a Markdown heading or the first line of prose, header
    furniture passed over. A first line too long to be a title gives no title."""
    for line in lines:
        candidate = line.lstrip("#").strip()
        if not candidate or _is_furniture(candidate):
            continue
        return candidate if len(candidate) <= _MAX_TITLE else ""
    return ""


def _is_furniture(line: str) -> bool:
    """An official document's header line that is no title: "A/HRC/28/10", "Distr.: General",
    "United Nations", "Original: English", a lone word in capitals such as "UNITED"."""
    return bool(_FURNITURE.match(line) or _LONE_CAPITALS.fullmatch(line)) or not _SYMBOL.sub("", line).strip()
