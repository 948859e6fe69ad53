"""The questions the bundled reports do not answer (eval/calibration/): each set parses as a set of
unanswerable questions, is split into a tuning half (the "not found" threshold is fitted on it) and a
held-out half, and every name, place or year a question names as its subject occurs in no bundled
report, so the question is truly unanswerable there."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from corpus import load_corpus
from corpus.languages import detect_language
from corpus.paths import BUNDLED_CORPUS
from eval.questions import BUNDLED_UNANSWERABLE_SETS, load_questions

ENGLISH = BUNDLED_UNANSWERABLE_SETS / "unanswerable.jsonl"
TRANSLATIONS = {"ru": BUNDLED_UNANSWERABLE_SETS / "unanswerable-ru.jsonl",
                "kk": BUNDLED_UNANSWERABLE_SETS / "unanswerable-kk.jsonl"}
HALVES = {"tuning", "heldout"}
KINDS = {"neighbour", "other-year", "absent-person", "absent-place", "absent-organisation", "absent-number", "far",
         # Written blind on 2026-12-04: yes/no questions, and details the reports never give about people they cover.
         "yes-no", "unstated-detail"}
FIRST_TUNING_SET = 24  # no01–no24: the questions the threshold was first fitted on, before "absent" was asked


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@pytest.fixture(scope="module")
def documents():
    return {d.doc_id: d for d in load_corpus(BUNDLED_CORPUS).documents}


def test_every_set_parses_as_questions_the_reports_do_not_answer(documents):
    english = load_questions(ENGLISH, documents, answerable=False)
    assert len(english) >= 100
    ids = [q.qid for q in english]
    for language, path in TRANSLATIONS.items():
        translated = load_questions(path, documents, answerable=False)
        assert len(translated) >= 40, language
        ids += [q.qid for q in translated]
    assert len(ids) == len(set(ids)), [qid for qid, n in Counter(ids).items() if n > 1]
    texts = [folded(q.text) for q in english]
    assert len(texts) == len(set(texts)), "a question is asked twice"


def test_the_english_set_has_a_tuning_and_a_held_out_half_with_every_kind_in_both():
    english = rows(ENGLISH)
    assert all(row["split"] in HALVES for row in english)
    assert {row["split"] for row in english[:FIRST_TUNING_SET]} == {"tuning"}
    halves = Counter(row["split"] for row in english)
    assert halves["heldout"] >= 40 and halves["tuning"] >= 40, halves
    newer = english[FIRST_TUNING_SET:]
    assert len(newer) >= 80
    for row in newer:
        kinds = [tag.removeprefix("kind:") for tag in row["tags"] if tag.startswith("kind:")]
        assert "unanswerable" in row["tags"] and len(kinds) == 1 and kinds[0] in KINDS, row["id"]
    by_kind = Counter((tag, row["split"]) for row in newer for tag in row["tags"] if tag.startswith("kind:"))
    for kind in KINDS:
        assert by_kind[f"kind:{kind}", "tuning"] and by_kind[f"kind:{kind}", "heldout"], (kind, by_kind)


def test_what_a_question_names_occurs_in_no_bundled_report(documents):
    """Each newer question lists in "absent" one to three strings it names (a person, a place, a
    year, a phrase) found nowhere in the reports, read as indexed and as the files hold them; a
    question with none gives the reason it is unanswerable all the same in "why"."""
    reports = [folded(d.text) for d in documents.values()]
    reports += [folded(path.read_text(encoding="utf-8")) for path in sorted(BUNDLED_CORPUS.glob("*.txt"))]
    assert len(reports) >= 10
    for row in rows(ENGLISH)[FIRST_TUNING_SET:]:
        absent = row["absent"]
        assert isinstance(absent, list) and len(absent) <= 3, row["id"]
        if not absent:
            assert isinstance(row.get("why"), str) and len(row["why"].split()) >= 8, row["id"]
        for name in absent:
            assert isinstance(name, str) and name.strip(), row["id"]
            assert folded(name) in folded(row["question"]), (row["id"], name)
            found = [i for i, text in enumerate(reports) if folded(name) in text]
            assert not found, f"{row['id']}: {name!r} occurs in a bundled report"


def test_each_translation_asks_an_english_question_in_the_same_half():
    english = {row["id"]: row for row in rows(ENGLISH)}
    held_out = {qid for qid, row in english.items() if row["split"] == "heldout"}
    first_tuning = {row["id"] for row in rows(ENGLISH)[:FIRST_TUNING_SET]}
    for language, path in TRANSLATIONS.items():
        translated = rows(path)
        for row in translated:
            source = english.get(row["translates"])
            assert source is not None, (language, row["id"])
            assert row["id"] == f"{row['translates']}-{language}" and row["language"] == language
            assert row["split"] == source["split"] and row["tags"] == source["tags"], row["id"]
            assert detect_language(row["question"]) == language, row["id"]
        assert {row["split"] for row in translated} == HALVES, language
        # Every held-out question is asked in each language, and some of the newer tuning ones too.
        asked = {row["translates"] for row in translated}
        assert held_out <= asked, (language, sorted(held_out - asked))
        newer_tuning = [qid for qid in asked if english[qid]["split"] == "tuning" and qid not in first_tuning]
        assert len(newer_tuning) >= 10, (language, newer_tuning)
