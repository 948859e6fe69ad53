"""How each interface words the library's errors.

The library's messages are neutral: they say what is wrong and, in plain words, what fixes it
("rebuild it"), naming no command, flag or form field. Here the CLI adds its commands and flags,
the page its fields' labels, the API its parameters' names."""

from __future__ import annotations

from typing import Literal

from corpus.errors import CorpusError, VerbatimError
from corpus.verify import CitationError
from index.errors import IndexNotFoundError, IndexWriteError, ModelError, QueryError, StaleIndexError

Interface = Literal["cli", "page", "api"]

# What each interface calls the part of a request a QueryError is about (its `field`). A field
# without a name here (the question) goes unnamed: the message itself speaks of it.
FIELD_NAMES: dict[Interface, dict[str, str]] = {
    "cli": {"mode": "--mode", "k": "-k", "publishers": "--publisher", "doc_ids": "--doc", "since": "--since",
            "until": "--until", "languages": "--language", "rerank": "--reranker"},
    "page": {"mode": "Mode", "k": "Passages", "publishers": "Publisher", "doc_ids": "Document", "since": "Since",
             "until": "Until", "languages": "Passage language"},
    "api": {name: name for name in ("mode", "k", "publishers", "doc_ids", "since", "until", "languages", "rerank")},
}

# The library's plain-words fixes, as the CLI says them: (error type, the library's words, the CLI's).
CLI_FIXES: tuple[tuple[type[VerbatimError], str, str], ...] = (
    (IndexNotFoundError, "; build it", "; build it with `verbatim index`"),
    (StaleIndexError, "; rebuild it", "; rebuild it with `verbatim index`"),  # and DamagedIndexError
    (IndexWriteError, "build the index into ", "pass --index DIR, "),
    (IndexWriteError, "build the index ", "pass --index DIR "),
    (CorpusError, "give the folder of reports", "pass --corpus DIR"),
    (CitationError, "as the JSON answer of a search holds them", "as `verbatim ask --json` prints them"),
    (CitationError, "from the JSON answer of a search", "from `verbatim ask --json`"),
    (ModelError, "; install it", "; install it (`make run` does)"),
)


def worded(error: VerbatimError, interface: Interface) -> str:
    """The error's message as `interface` says it."""
    message = str(error)
    if isinstance(error, QueryError) and (name := FIELD_NAMES[interface].get(error.field or "")):
        return f"{name}: {message}"
    if interface == "cli":
        for kind, neutral, said in CLI_FIXES:
            if isinstance(error, kind):
                message = message.replace(neutral, said)
    return message


def no_match(question: str, filtered: bool) -> str:
    """What to say when a search finds no passage: which exact words were not found, where the
    question asked for some."""
    from index.search.syntax import parse_query

    parsed = parse_query(question)
    within = " within these filters" if filtered else ""
    if parsed.required:
        wanted = " and ".join(" or ".join(str(term) for term in group) for group in parsed.required)
        return f"No passage holds {wanted} word for word{within}."
    if parsed.excluded:
        return f"No passage matches this question{within} once those with {' or '.join(map(str, parsed.excluded))} are left out."
    return "No passage matches these filters." if filtered else "No passage matches this question."


def language_hint(language: str, model: str, interface: str) -> str:
    """What to tell a user whose question is in a language the index's model does not read."""
    from corpus.languages import NAMES

    name = NAMES.get(language, language)
    build = ("verbatim index --model multilingual --index DIR" if interface == "cli"
             else "`verbatim index --model multilingual` and serve that index")
    return (f"Your question is in {name}, which this index's model ({model}) does not read well: answers will be "
            f"weak. For questions in {name}, build a multilingual index: {build} (README, \"Across languages\").")
