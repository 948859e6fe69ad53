"""A question's countries and years prefer the reports about them (index/search/subjects.py), on an
archive of three country reports whose passages never name their country, as UN reports do."""

from __future__ import annotations

import pytest
from fakes import BagOfWordsEncoder

from corpus.places import countries_in, subject_countries, without_countries
from index.config import Config
from index.search import Searcher
from index.store import build_index, open_index

REPORTS = {
    "togo2011": ("Report of the Working Group on the Universal Periodic Review: Togo", "2011-03-01",
                 "Since 2005, 34 cases of violence against journalists had been recorded by the authorities.\n\n"
                 "The delegation said that the death penalty had been abolished in 2009."),
    "togo2016": ("Report of the Working Group on the Universal Periodic Review: Togo", "2016-12-01",
                 "Eleven cases of violence against journalists had been recorded since the last review.\n\n"
                 "A new prison had been opened in the capital."),
    "benin2011": ("Report of the Working Group on the Universal Periodic Review: Benin", "2011-04-01",
                  "Twenty cases of violence against journalists were counted that year.\n\n"
                  "Benin had ratified the Optional Protocol."),
}


# Words no question asks for, so that each report is cut into several passages, as real ones are
# (in a collection of one-passage documents the stage is off: test_a_collection_of_abstracts…).
FILLER = " ".join(f"filler{n}" for n in range(150))


def paragraphs(text: str) -> str:
    return "\n\n".join(f"{paragraph} {FILLER}." for paragraph in text.split("\n\n"))


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Searcher:
    corpus = tmp_path_factory.mktemp("archive")
    entries = []
    for doc_id, (title, date, text) in REPORTS.items():
        (corpus / f"{doc_id}.txt").write_text(paragraphs(text) + "\n", encoding="utf-8")
        entries.append(f'[[document]]\ndoc_id = "{doc_id}"\npath = "{doc_id}.txt"\ntitle = "{title}"\ndate = "{date}"\n')
    (corpus / "manifest.toml").write_text("\n".join(entries), encoding="utf-8")
    config = Config(corpus_dir=corpus, index_dir=corpus.parent / "index")
    build_index(config, embedder=BagOfWordsEncoder())
    searcher = Searcher(open_index(config, check_corpus=False), config)
    searcher._embedder = BagOfWordsEncoder()
    return searcher


def test_a_report_is_about_the_countries_its_title_names():
    assert countries_in("Did the Kyrgyz Republic, Kyrgyzstan or Киргизия sign?") == {"Kyrgyzstan": 3}
    assert set(countries_in("Ivory Coast, South Korea, Vietnam, the DRC, Türkiye")) == {
        "Côte d'Ivoire", "Republic of Korea", "Viet Nam", "Democratic Republic of the Congo", "Turkey"}
    assert set(countries_in("Papua New Guinea")) == {"Papua New Guinea"}  # not Guinea as well
    assert not countries_in("a turkey for us, by the jordan river")  # words, not countries, in lower case
    assert subject_countries("Report of the Working Group on the Universal Periodic Review: Togo", "") == ("Togo",)
    opening = "Kazakhstan held elections. Kazakhstan's police. In Kazakhstan, unlike Russia, ..."
    assert subject_countries("Election day", opening) == ("Kazakhstan",)  # the title names none: the first page
    assert without_countries("How many journalists were attacked in Togo’s 2011 review?") == \
        "How many journalists were attacked in ’s 2011 review?"


def test_names_that_hold_a_country_but_are_not_about_it():
    assert not countries_in("the Inter-American Commission, the American Convention, Latin America, the Indian Ocean")
    assert countries_in("Northern Ireland and Scotland") == {"United Kingdom": 2}
    assert not countries_in("LET US KNOW") and countries_in("the US delegation") == {"United States of America": 1}
    assert countries_in("bu malı sattı, Ruſſia") == {"Russian Federation": 1}  # a dotless i is no crash
    # Russian and Kazakh names in their cases.
    assert countries_in("в Казахстане, России, Российской Федерации, Украины; Қазақстанда") == {
        "Kazakhstan": 2, "Russian Federation": 2, "Ukraine": 1}
    assert without_countries("Chad?") == ""  # nothing left to ask the passages: the search asks the question


def test_a_number_a_question_counts_with_is_no_year():
    from index.search.subjects import question_years

    assert question_years("Were more than 2000 people detained in 2019, or about 1950 in 2020?") == (2019, 2020)


def test_the_preference_is_compared_among_the_reports_the_filters_leave(archive):
    from index.search import Filters

    # Only the Togo reports are left: the country no longer tells them apart, so the question is
    # asked whole, and the year decides.
    from index.search.filters import select
    from index.search.subjects import DocumentSubjects

    question, only_togo = "Violence against journalists recorded in Togo, 2016 review", Filters(doc_ids=("togo2011", "togo2016"))
    hits = archive.search(question, k=2, filters=only_togo)
    assert hits[0].document.doc_id == "togo2016"
    preference = DocumentSubjects(archive.index).prefer(question, year_weight=0.5, allowed=select(only_togo, archive.index))
    assert preference is not None and not preference.distinguishing and preference.passage_question == question


def test_the_named_country_decides_between_passages_that_never_name_it(archive):
    hits = archive.search("How many cases of violence against journalists were recorded in Benin?", k=6)
    assert hits[0].document.doc_id == "benin2011"
    # A preference, not a filter: the other reports' passages are still there, below.
    assert {h.document.doc_id for h in hits} == {"benin2011", "togo2011", "togo2016"}


def test_the_year_decides_between_two_reports_of_one_country(archive):
    first = archive.search("Violence against journalists recorded in Togo, 2016 review", k=1)[0]
    assert first.document.doc_id == "togo2016"
    first = archive.search("Violence against journalists recorded in Togo, 2011 review", k=1)[0]
    assert first.document.doc_id == "togo2011"


def test_the_passages_are_asked_the_question_without_the_country_the_preference_reads(archive):
    archive.search("When did Togo abolish the death penalty?", k=1)
    assert archive.embedder.queries[-2:] == ["When did Togo abolish the death penalty?", "When did abolish the death penalty?"]


def test_a_question_naming_no_country_or_year_ranks_as_without_the_stage(archive):
    question = "violence against journalists recorded"
    with_stage = [(h.passage.doc_id, h.passage.start, h.score) for h in archive.search(question, k=6)]
    off = Searcher(archive.index, Config(corpus_dir=archive.config.corpus_dir, index_dir=archive.config.index_dir,
                                         document_weight=0.0))
    off._embedder = BagOfWordsEncoder()
    assert with_stage == [(h.passage.doc_id, h.passage.start, h.score) for h in off.search(question, k=6)]


def test_bm25_plain_stays_the_word_only_baseline(archive):
    plain = archive.search("violence against journalists in Benin", mode="bm25-plain", k=3)
    assert all(h.score == h.bm25_score for h in plain)  # BM25's own scores: nothing lifted them
    lifted = archive.search("violence against journalists in Benin", mode="bm25", k=3)
    assert lifted[0].document.doc_id == "benin2011" and lifted[0].score != lifted[0].bm25_score


def test_a_publisher_named_with_its_capital_lifts_its_reports(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    entries = []
    for doc_id, publisher in (("amnesty-page", "Amnesty International"), ("civicus-page", "CIVICUS Monitor")):
        (corpus / f"{doc_id}.txt").write_text(paragraphs("Police detained eleven people at the rally.\n\nLater.") + "\n",
                                              encoding="utf-8")
        entries.append(f'[[document]]\ndoc_id = "{doc_id}"\npath = "{doc_id}.txt"\ntitle = "Rally report"\n'
                       f'publisher = "{publisher}"\n')
    (corpus / "manifest.toml").write_text("\n".join(entries), encoding="utf-8")
    config = Config(corpus_dir=corpus, index_dir=tmp_path / "index")
    build_index(config, embedder=BagOfWordsEncoder())
    searcher = Searcher(open_index(config, check_corpus=False), config)
    searcher._embedder = BagOfWordsEncoder()

    def first(question: str) -> str:
        return searcher.search(question, k=1)[0].document.doc_id

    # The two pages say the same, and score the same, until a question names a publisher.
    unnamed = searcher.search("How many people did police detain at the rally?", k=2)
    assert unnamed[0].score == unnamed[1].score
    assert first("According to CIVICUS, how many people did police detain at the rally?") == "civicus-page"
    assert first("According to Amnesty, how many people did police detain at the rally?") == "amnesty-page"
    assert first("what does the civicus monitor say police did at the rally?") == "civicus-page"  # its whole name
    # "civicus" in lower case is not read as the publisher's name.
    named_in_lower_case = searcher.search("civicus: how many people did police detain at the rally?", k=2)
    assert named_in_lower_case[0].score == named_in_lower_case[1].score


def test_a_collection_of_abstracts_one_passage_each_prefers_no_document(tmp_path):
    # In a BEIR-like corpus a passage is its whole document: it already reads the country it names.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc_id, text in (("uk-study", "Carriers of the infection in the United Kingdom were counted."),
                         ("other-study", "Carriers of the infection were counted in a cohort.")):
        (corpus / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
    config = Config(corpus_dir=corpus, index_dir=tmp_path / "index")
    build_index(config, embedder=BagOfWordsEncoder())
    searcher = Searcher(open_index(config, check_corpus=False), config)
    searcher._embedder = BagOfWordsEncoder()
    question = "How many carriers of the infection were counted in the UK?"
    off = Searcher(searcher.index, Config(corpus_dir=corpus, index_dir=tmp_path / "index", document_weight=0.0))
    off._embedder = BagOfWordsEncoder()
    assert [(h.passage.doc_id, h.score) for h in searcher.search(question, k=2)] == \
        [(h.passage.doc_id, h.score) for h in off.search(question, k=2)]
