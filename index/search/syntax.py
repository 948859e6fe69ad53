"""The search-engine syntax a question may use, parsed once: a quoted phrase must be in the passage
word for word, `-word` (or `-"a phrase"`) keeps out the passages that hold it, and `OR` between two
terms makes either do.

    "as many as 1,000 people"          only passages holding that phrase
    detained "hunger strike" -Almaty   ranked for the words, the phrase required, Almaty kept out
    "Tulesova" OR "Тулесова"           passages holding either
    detained OR arrested in Almaty     passages holding detained or arrested, ranked for all the words

Words outside quotes and OR stay what they always were, words to rank by, never required: a question
without any of this syntax is searched exactly as typed. Only straight double quotes (") make a
phrase: curly ones (“ ”, « ») are a report's own quotation marks in the questions that cite one.
`OR` counts in capitals only, between two terms; `-` only at the start of a word (Nur-Sultan and
10–11 June are words). Anything that is not valid syntax (a lone OR, a lone "-") is read as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SOFT_HYPHEN = "\u00ad"
# A piece of a question: a quoted phrase (closed, or running to the end), or a run of other characters.
_PIECE = re.compile(r'(-?)"([^"]*)(?:"|$)|([^\s"]+)')
# What a bare term loses at its ends: punctuation a question puts around words ("-police," "detained?").
_EDGE_PUNCTUATION = ".,;:!?()[]{}'’“”«»"


@dataclass(frozen=True)
class Term:
    """A word or a phrase, as the question writes it (whitespace folded, soft hyphens dropped)."""

    text: str
    quoted: bool = False  # written in quotes (a phrase, even of one word), else a bare word

    def __str__(self) -> str:
        return f'"{self.text}"' if self.quoted else self.text


@dataclass(frozen=True)
class ParsedQuery:
    """A question and what its syntax asks of a passage."""

    question: str  # as asked
    text: str  # what the retrievers, the model and the verdict read: the question without its operators
    required: tuple[tuple[Term, ...], ...] = ()  # each group: the passage holds at least one of its terms
    excluded: tuple[Term, ...] = ()  # the passage holds none of these
    lookup: bool = False  # every word of the question is in a required term: "is this in the collection?"

    @property
    def plain(self) -> bool:
        """No syntax at all: the question is searched exactly as typed."""
        return not self.required and not self.excluded

    @property
    def phrases(self) -> tuple[Term, ...]:
        """The required terms, each once, in the question's order."""
        return tuple(dict.fromkeys(term for group in self.required for term in group))


@dataclass(frozen=True)
class _Item:
    kind: str  # "term", "excluded", "or", "text"
    start: int  # where it is in the question
    end: int
    term: Term | None = None


def parse_query(question: str) -> ParsedQuery:
    """The question's phrases, exclusions and alternatives; a question without them comes back as it is."""
    if '"' not in question and "-" not in question and "OR" not in question:
        return ParsedQuery(question, question)
    items = _items(question)
    required: list[tuple[Term, ...]] = []
    excluded: list[Term] = []
    replaced: dict[int, str] = {}  # item → what the retrieval text reads in its place
    loose = False  # a word outside every required term
    position = 0
    while position < len(items):
        item = items[position]
        if item.kind == "excluded":
            excluded.append(item.term)  # type: ignore[arg-type]  # an excluded item always has its term
            replaced[position] = ""
            position += 1
            continue
        if item.kind in ("term", "text") and item.term is not None:
            group, end = _alternatives(items, position)
            if len(group) > 1 or item.kind == "term":  # a chain of OR, or a quoted phrase
                required.append(tuple(group))
                for number in range(position, end):
                    chained = items[number].term
                    replaced[number] = chained.text if items[number].kind == "term" and chained else \
                        question[items[number].start : items[number].end] if items[number].kind == "text" else ""
                position = end
                continue
        loose = loose or bool(re.search(r"\w", question[item.start : item.end]))
        position += 1
    if not required and not excluded:
        return ParsedQuery(question, question)
    text = _rewritten(question, items, replaced)
    return ParsedQuery(question, text, tuple(dict.fromkeys(required)), tuple(dict.fromkeys(excluded)),
                       lookup=bool(required) and not loose)


def _rewritten(question: str, items: list[_Item], replaced: dict[int, str]) -> str:
    """The question with the replaced items' text put in their place, whitespace folded."""
    parts, at = [], 0
    for number, item in enumerate(items):
        if number in replaced:
            parts += [question[at : item.start], replaced[number]]
            at = item.end
    parts.append(question[at:])
    return " ".join("".join(parts).split())


def _items(question: str) -> list[_Item]:
    items: list[_Item] = []
    for match in _PIECE.finditer(question):
        minus, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is None:  # a quoted phrase
            term = _term(phrase, quoted=True)
            if term is None:
                continue  # "" holds nothing to look for
            items.append(_Item("excluded" if minus else "term", *match.span(), term))
        elif bare == "OR":
            items.append(_Item("or", *match.span()))
        elif bare.startswith("-") and (term := _term(bare[1:], quoted=False)) is not None and re.match(r"\w", bare[1:]):
            items.append(_Item("excluded", *match.span(), term))
        else:
            items.append(_Item("text", *match.span(), _term(bare, quoted=False)))
    return items


def _term(text: str, *, quoted: bool) -> Term | None:
    folded = " ".join(text.replace(_SOFT_HYPHEN, "").split())
    if not quoted:
        folded = folded.strip(_EDGE_PUNCTUATION)
    return Term(folded, quoted) if re.search(r"\w", folded) else None


def _alternatives(items: list[_Item], start: int) -> tuple[list[Term], int]:
    """The terms of an OR chain that starts at `start` ("a OR b OR c"), and the item after it. A chain
    of one is the term alone."""
    first = items[start].term
    if first is None:
        return [], start + 1
    group, position = [first], start + 1
    while position + 1 < len(items) and items[position].kind == "or" and items[position + 1].kind in ("term", "text") \
            and (following := items[position + 1].term) is not None:
        group.append(following)
        position += 2
    return group, position
