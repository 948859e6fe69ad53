"""Question sets: JSONL questions whose answers are exact quotes, located by offsets.

Relevance is decided on offsets, not on chunk ids, so a question set stays valid when the
chunking changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from corpus.documents import Document
from corpus.errors import VerbatimError
from corpus.paths import REPO_ROOT
from corpus.quotes import find_quote

BUNDLED_QUESTION_SETS = REPO_ROOT / "eval" / "questions"


class QuestionSetError(VerbatimError):
    """A question set cannot be used as it is."""


@dataclass(frozen=True)
class AnswerSpan:
    doc_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    """One answer quote and every place it occurs: finding any one of them finds the answer."""

    quote: str
    spans: tuple[AnswerSpan, ...]


@dataclass(frozen=True)
class Question:
    qid: str
    text: str
    answers: tuple[Answer, ...]
    tags: tuple[str, ...] = ()


def locate(quote: str, documents: list[Document]) -> list[AnswerSpan]:
    if not quote.split():
        raise QuestionSetError("an answer quote is empty")
    return [AnswerSpan(d.doc_id, start, end) for d in documents for start, end in find_quote(quote, d.text)]


def load_questions(path: Path, documents: dict[str, Document], *, answerable: bool = True) -> list[Question]:
    """Read a JSONL question set; a quote found nowhere is an error naming the question.

    With `answerable=False` the set is of questions the collection does not answer: each must
    have an empty `answers` list.
    """
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            qid, text, answers = str(row["id"]), row["question"], row["answers"]
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise QuestionSetError(
                f"{path}:{number}: each line needs JSON with id, question and answers ({error})"
            ) from error
        if qid in seen:
            raise QuestionSetError(f"{path}:{number}: question id {qid!r} is used twice")
        seen.add(qid)
        if not answerable:
            if answers:
                raise QuestionSetError(f"{path}:{number}: question {qid} is in a set of unanswerable questions but has answers")
            questions.append(Question(qid, text, (), tuple(row.get("tags", ()))))
            continue
        located: list[Answer] = []
        for answer in answers:
            doc_id = answer.get("doc_id")
            if doc_id and doc_id not in documents:
                known = ", ".join(sorted(documents)[:6]) + (" …" if len(documents) > 6 else "")
                raise QuestionSetError(f"question {qid}: unknown doc_id {doc_id!r}; the index holds {known}")
            scope = [documents[doc_id]] if doc_id else list(documents.values())
            found = locate(answer["quote"], scope)
            if not found:
                where = f" in {doc_id}" if doc_id else ""
                raise QuestionSetError(f"question {qid}: quote not found{where}: {answer['quote']!r}")
            located.append(Answer(answer["quote"], tuple(found)))
        if not located:
            raise QuestionSetError(f"question {qid}: no answers given")
        questions.append(Question(qid, text, tuple(located), tuple(row.get("tags", ()))))
    return questions


def is_relevant(doc_id: str, start: int, end: int, answer: AnswerSpan) -> bool:
    """Relevant when the spans overlap by at least half of the shorter of the two."""
    if doc_id != answer.doc_id:
        return False
    overlap = min(end, answer.end) - max(start, answer.start)
    return overlap > 0 and 2 * overlap >= min(end - start, answer.end - answer.start)
