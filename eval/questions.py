"""Question sets: JSONL questions whose answers are exact quotes, located by offsets.

Relevance is decided on offsets, not on chunk ids, so a question set stays valid when the
chunking changes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from corpus.documents import Document
from corpus.errors import VerbatimError
from corpus.languages import detect_language
from corpus.paths import REPO_ROOT
from corpus.quotes import find_quote

BUNDLED_QUESTION_SETS = REPO_ROOT / "eval" / "questions"
BUNDLED_UNANSWERABLE_SETS = REPO_ROOT / "eval" / "calibration"  # questions the bundled reports do not answer


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
    split: str = ""  # the half of the set it is in ("tuning", "heldout"), when the set is split


def bundled_question_sets(languages: Collection[str], *, answerable: bool = True) -> tuple[Path, ...]:
    """The bundled question sets (or, with `answerable=False`, the sets of questions the bundled
    reports do not answer) whose questions are in one of `languages`."""
    return question_sets(BUNDLED_QUESTION_SETS if answerable else BUNDLED_UNANSWERABLE_SETS, languages)


def question_sets(folder: Path, languages: Collection[str]) -> tuple[Path, ...]:
    """The question sets (*.jsonl) in `folder` whose questions are in one of `languages`, by name."""
    return tuple(path for path in sorted(folder.glob("*.jsonl")) if question_set_language(path) in languages)


def question_set_language(path: Path) -> str:
    """The language most of a set's questions are in: as a line's "language" says, else as detected."""
    counts: Counter[str] = Counter()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line) if line.strip() else None
        except json.JSONDecodeError:
            continue  # load_questions names the line
        if isinstance(row, dict) and isinstance(question := row.get("question"), str):
            language = row.get("language")
            counts[language if isinstance(language, str) and language else detect_language(question) or "en"] += 1
    return counts.most_common(1)[0][0] if counts else ""


def locate(quote: str, documents: list[Document]) -> list[AnswerSpan]:
    if not quote.split():
        raise QuestionSetError("an answer quote is empty")
    return [AnswerSpan(d.doc_id, start, end) for d in documents for start, end in find_quote(quote, d.text)]


def load_questions(path: Path, documents: Mapping[str, Document], *, answerable: bool = True) -> list[Question]:
    """Read a JSONL question set; a quote found nowhere is an error naming the question.

    With `answerable=False` the set is of questions the collection does not answer: each must
    have an empty `answers` list.
    """
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        qid, text, answers, tags, split = _parse_line(line, where)
        if qid in seen:
            raise QuestionSetError(f"{where}: question id {qid!r} is used twice")
        seen.add(qid)
        if not answerable:
            if answers:
                raise QuestionSetError(f"{where}: question {qid} is in a set of unanswerable questions but has answers")
            questions.append(Question(qid, text, (), tags, split))
            continue
        located: list[Answer] = []
        for quote, doc_id in answers:
            if doc_id and doc_id not in documents:
                known = ", ".join(sorted(documents)[:6]) + (" …" if len(documents) > 6 else "")
                raise QuestionSetError(f"question {qid}: unknown doc_id {doc_id!r}; the index holds {known}")
            scope = [documents[doc_id]] if doc_id else list(documents.values())
            found = locate(quote, scope)
            if not found:
                where_doc = f" in {doc_id}" if doc_id else ""
                raise QuestionSetError(f"question {qid}: quote not found{where_doc}: {quote!r}")
            located.append(Answer(quote, tuple(found)))
        if not located:
            raise QuestionSetError(f"question {qid}: no answers given")
        questions.append(Question(qid, text, tuple(located), tags, split))
    if not questions:  # nothing to measure: every metric would be 0/0
        raise QuestionSetError(f"{path}: the set holds no questions; {_SHAPE}")
    return questions


_SHAPE = 'write each line as {"id": "q1", "question": "…", "answers": [{"quote": "…", "doc_id": "…"}]}'


def _parse_line(line: str, where: str) -> tuple[str, str, list[tuple[str, str]], tuple[str, ...], str]:
    """One line's id, question, (quote, doc_id) answers and tags, each checked for its type: a
    wrongly typed line is one error naming the line and the field, never a Python message."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise QuestionSetError(f"{where}: not JSON ({error.msg}); {_SHAPE}") from error
    if not isinstance(row, dict):
        raise QuestionSetError(f"{where}: a line must be a JSON object, not {type(row).__name__}; {_SHAPE}")
    missing = [field for field in ("id", "question", "answers") if field not in row]
    if missing:
        raise QuestionSetError(f"{where}: lacks {', '.join(missing)}; {_SHAPE}")
    qid, text, answers, tags, split = row["id"], row["question"], row["answers"], row.get("tags", []), row.get("split", "")
    if isinstance(qid, bool) or not isinstance(qid, str | int) or not str(qid).strip():
        raise QuestionSetError(f"{where}: \"id\" must be a non-empty string or number, not {_short(qid)}")
    if not isinstance(text, str) or not text.strip():
        raise QuestionSetError(f"{where}: \"question\" must be a non-empty string, not {_short(text)}")
    if not isinstance(answers, list):
        raise QuestionSetError(f"{where}: \"answers\" must be a list of {{\"quote\", \"doc_id\"}} objects, not {_short(answers)}")
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise QuestionSetError(f"{where}: \"tags\" must be a list of strings, not {_short(tags)}")
    if not isinstance(split, str):
        raise QuestionSetError(f"{where}: \"split\" must be a string such as \"heldout\", not {_short(split)}")
    parsed: list[tuple[str, str]] = []
    for n, answer in enumerate(answers, start=1):
        if not isinstance(answer, dict):
            raise QuestionSetError(f"{where}: answer {n} must be an object with \"quote\" (and \"doc_id\"), not {_short(answer)}")
        quote, doc_id = answer.get("quote"), answer.get("doc_id") or ""
        if not isinstance(quote, str) or not quote.strip():
            raise QuestionSetError(f"{where}: answer {n} needs a \"quote\" that is a non-empty string, not {_short(quote)}")
        if not isinstance(doc_id, str):
            raise QuestionSetError(f"{where}: answer {n}'s \"doc_id\" must be a string, not {_short(doc_id)}")
        parsed.append((quote, doc_id))
    return str(qid), text, parsed, tuple(tags), split


def only_split(questions: list[Question], split: str, where: Path) -> list[Question]:
    """The questions of one half of a split set; an error naming the halves there are when none is."""
    chosen = [q for q in questions if q.split == split]
    if not chosen:
        halves = sorted({q.split for q in questions if q.split})
        known = f"its halves are {', '.join(halves)}" if halves else "its questions carry no \"split\" field"
        raise QuestionSetError(f"{where} has no question in split {split!r}; {known}")
    return chosen


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "…"


def is_relevant(doc_id: str, start: int, end: int, answer: AnswerSpan) -> bool:
    """Relevant when the spans overlap by at least half of the shorter of the two."""
    if doc_id != answer.doc_id:
        return False
    overlap = min(end, answer.end) - max(start, answer.start)
    return overlap > 0 and 2 * overlap >= min(end - start, answer.end - answer.start)
