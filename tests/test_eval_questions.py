"""Question sets: quotes found by offsets whatever the whitespace; relevance by overlap."""

from __future__ import annotations

import json

import pytest

from corpus import Document
from eval.questions import AnswerSpan, QuestionSetError, is_relevant, load_questions


def document(doc_id: str, text: str) -> Document:
    return Document(doc_id, doc_id, "", "", "", "en", f"{doc_id}.txt", "0" * 64, text)


DOCS = {
    "a": document("a", "Police detained\nabout 700\u00a0peaceful protesters. Later, about 700 were freed."),
    "b": document("b", "Nobody knows how many about 700 people."),
}


def write(tmp_path, *rows):
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def test_quotes_match_across_line_breaks_and_non_breaking_spaces(tmp_path):
    path = write(tmp_path, {"id": "q1", "question": "How many?", "answers": [
        {"quote": "detained about 700 peaceful", "doc_id": "a"}]})
    [question] = load_questions(path, DOCS)
    [answer] = question.answers
    [span] = answer.spans
    assert DOCS["a"].text[span.start:span.end] == "detained\nabout 700\u00a0peaceful"


def test_every_occurrence_counts_and_doc_id_narrows_the_search(tmp_path):
    path = write(tmp_path,
                 {"id": "everywhere", "question": "?", "answers": [{"quote": "about 700"}]},
                 {"id": "only-b", "question": "?", "answers": [{"quote": "about 700", "doc_id": "b"}]})
    everywhere, only_b = load_questions(path, DOCS)
    assert [s.doc_id for s in everywhere.answers[0].spans] == ["a", "a", "b"]
    assert [s.doc_id for s in only_b.answers[0].spans] == ["b"]


def test_a_quote_found_nowhere_names_the_question_and_shows_the_quote(tmp_path):
    path = write(tmp_path, {"id": "q7", "question": "?", "answers": [{"quote": "about 800 protesters"}]})
    with pytest.raises(QuestionSetError, match="question q7: quote not found: 'about 800 protesters'"):
        load_questions(path, DOCS)


@pytest.mark.parametrize(
    ("start", "end", "relevant"),
    [
        (0, 100, True),     # contains the whole answer span
        (45, 55, True),     # inside it
        (35, 45, True),     # overlap 5 of 10: exactly half
        (36, 45, True),     # overlap 5 of 9: more than half
        (0, 41, False),     # overlap 1 of 10
        (50, 60, False),    # touches only at the end
    ],
)
def test_relevance_is_an_overlap_of_half_the_shorter_span(start, end, relevant):
    answer = AnswerSpan("a", 40, 50)  # 10 characters
    assert is_relevant("a", start, end, answer) is relevant


def test_another_document_is_never_relevant():
    assert not is_relevant("b", 40, 50, AnswerSpan("a", 40, 50))


def test_the_translated_sets_ask_the_english_questions_in_their_own_language():
    """kazakhstan-ru and -kk: each question translates one of the English set, keeps its answers,
    is detected as its language, and every quote is found in the bundled reports."""
    from corpus.collection import load_corpus
    from corpus.languages import detect_language
    from corpus.paths import BUNDLED_CORPUS
    from eval.questions import BUNDLED_QUESTION_SETS

    documents = {d.doc_id: d for d in load_corpus(BUNDLED_CORPUS).documents}
    english = {q.qid: q for name in ("kazakhstan-dev", "kazakhstan-heldout", "kazakhstan-second")
               for q in load_questions(BUNDLED_QUESTION_SETS / f"{name}.jsonl", documents)}
    for language in ("ru", "kk"):
        path = BUNDLED_QUESTION_SETS / f"kazakhstan-{language}.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert len(rows) == 100 and len(load_questions(path, documents)) == 100
        for row in rows:
            assert row["id"] == f"{row['translates']}-{language}" and detect_language(row["question"]) == language
            assert [a["quote"] for a in row["answers"]] == [a.quote for a in english[row["translates"]].answers]


def test_a_set_is_in_the_language_its_lines_say_or_its_questions_are_written_in(tmp_path):
    from eval.questions import question_set_language, question_sets

    (tmp_path / "a-english.jsonl").write_text(json.dumps({"id": "1", "question": "Who was detained?", "answers": []}) + "\n")
    (tmp_path / "b-russian.jsonl").write_text(json.dumps({"id": "1", "question": "Кого задержали?", "answers": []}) + "\n")
    (tmp_path / "c-ukrainian.jsonl").write_text(
        json.dumps({"id": "1", "question": "Кого затримали?", "language": "uk", "answers": []}) + "\n")
    assert [question_set_language(p) for p in sorted(tmp_path.iterdir())] == ["en", "ru", "uk"]
    assert [p.name for p in question_sets(tmp_path, ("en", "ru"))] == ["a-english.jsonl", "b-russian.jsonl"]
    assert [p.name for p in question_sets(tmp_path, ("uk",))] == ["c-ukrainian.jsonl"]


def test_calibration_reads_the_bundled_sets_in_the_languages_a_model_answers():
    from eval.questions import bundled_question_sets
    from index.models.profiles import E5_SMALL, MINILM_INT8

    english = MINILM_INT8.question_languages
    assert [p.stem for p in bundled_question_sets(english)] == ["kazakhstan-dev", "kazakhstan-heldout", "kazakhstan-second"]
    assert [p.stem for p in bundled_question_sets(english, answerable=False)] == ["unanswerable"]
    every = E5_SMALL.question_languages
    assert [p.stem for p in bundled_question_sets(every)] == ["kazakhstan-dev", "kazakhstan-heldout", "kazakhstan-kk",
                                                              "kazakhstan-ru", "kazakhstan-second"]
    assert [p.stem for p in bundled_question_sets(every, answerable=False)] == ["unanswerable-kk", "unanswerable-ru",
                                                                                "unanswerable"]
