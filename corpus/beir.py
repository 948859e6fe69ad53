"""A BEIR corpus (`corpus.jsonl`) as documents, each one passage: title and text joined as BEIR does."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from corpus.documents import Document, Passage
from corpus.errors import CorpusError
from corpus.languages import detect_language
from corpus.paths import display_path
from corpus.places import SUBJECT_OPENING, subject_countries
from corpus.years import years_about


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_beir_corpus(folder: Path) -> tuple[list[Document], list[Passage]]:
    """One document and one passage per corpus line.

    BEIR's dense baselines embed `title + " " + text`; the same string is the canonical text here,
    so a passage's offsets still index its document exactly.
    """
    path = folder / "corpus.jsonl"
    if not path.is_file():
        raise CorpusError(f"{path} is missing; a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/test.tsv")
    sha = file_sha256(path)
    documents: list[Document] = []
    passages: list[Passage] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                doc_id, title, body = str(row["_id"]), row.get("title") or "", row["text"] or ""
                if not isinstance(title, str) or not isinstance(body, str):
                    raise TypeError("title and text must be strings")
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
                raise CorpusError(f"{path}:{number}: not a BEIR corpus line with _id, title and text ({error})") from error
            text = f"{title} {body}".strip()
            documents.append(Document(doc_id, title, "", "", "", "en", display_path(path), sha, text,
                                      countries=subject_countries(title, text[:SUBJECT_OPENING]),
                                      years=years_about("", title, text)))
            passages.append(Passage(doc_id, 0, len(text), text, "", (1, 1), language=detect_language(text)))
    if not documents:
        raise CorpusError(f"{path} holds no documents")
    return documents, passages
