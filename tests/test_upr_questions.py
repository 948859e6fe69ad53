"""The question set over the 262 UN reports (eval/upr/): every answer quote is found where it says,
in the reports as Verbatim reads them (Mac Roman, CR line ends), and each half has its share."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from corpus import load_corpus
from corpus.paths import PACKAGE_ROOT
from eval.questions import load_questions

UPR = PACKAGE_ROOT.parent / "shared" / "corpora" / "upr-wg-reports"
SETS = PACKAGE_ROOT / "eval" / "upr"
pytestmark = pytest.mark.skipif(not UPR.is_dir(), reason=f"the UN reports are not at {UPR}")


@pytest.fixture(scope="module")
def reports():
    corpus = load_corpus(UPR)
    return {d.doc_id: d for d in corpus.documents}


def test_every_answer_quote_is_found_in_the_reports_as_indexed(reports):
    questions = load_questions(SETS / "upr-reports.jsonl", reports)
    assert len(questions) >= 60
    assert len({span.doc_id for q in questions for a in q.answers for span in a.spans}) >= 40
    unanswerable = load_questions(SETS / "upr-unanswerable.jsonl", reports, answerable=False)
    assert len(unanswerable) >= 30


def test_each_set_has_a_tuning_and_a_held_out_half():
    for name in ("upr-reports.jsonl", "upr-unanswerable.jsonl"):
        rows = [json.loads(line) for line in (SETS / name).read_text(encoding="utf-8").splitlines() if line.strip()]
        halves = Counter(row["split"] for row in rows)
        assert set(halves) == {"tuning", "heldout"} and min(halves.values()) >= 0.4 * len(rows), (name, halves)
