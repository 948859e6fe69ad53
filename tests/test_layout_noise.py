"""PDF text as it reads: running headers and footers, UN mastheads, page numbers and tables of contents
stay out of passages, words broken at line ends are joined in what the retrievers read, and the
canonical text keeps all of it, so every offset holds."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

import corpus.paragraphs
from corpus import chunk_document, load_corpus
from corpus.documents import Document, Passage
from corpus.layout import layout_noise
from corpus.paths import REPO_ROOT
from corpus.reading import english_words, joins, reading_text
from index.store import search_text

UN_REPORTS = REPO_ROOT.parent / "shared" / "corpora" / "upr-wg-reports"
SYMBOL, JOB = "A/HRC/28/10", "GE.14-07677 (E)"
MASTHEAD = f"""Distr.: General
10 December 2014

Original: English

United Nations {SYMBOL}

Human Rights Council
Twenty-eighth session
Agenda item 6
Universal Periodic Review

Report of the Working Group on the Universal Periodic Review

Kazakhstan

{JOB}
*1407677*
"""
TOC = """Contents
Paragraphs Page
Introduction .............................................................. 1–4 3

I. Summary of the proceedings of the review process ............... 5–123 3
A. Presentation by the State under review ........................... 5–27 3
B. Interactive dialogue and responses by the State
under review ............................................................ 28–123 7

II. Conclusions and/or recommendations ................................. 124–127 14
"""
PARAGRAPHS = [
    "1. The Working Group on the Universal Periodic Review held its twentieth session from 27 October to "
    "7 November 2014. The review of Kazakhstan was held at the 3rd meeting on 28 October 2014. The "
    "delegation of Kazakhstan was headed by the Minister of Justice.",
    "2. The delegation stated that the Government had accepted most of the recommendations received during "
    "the first cycle and that a national plan of action on human rights had been adopted in 2012.",
    "3. Several delegations were concerned about reports of torture in pretrial detention and asked how the "
    "national preventive mechanism set up in 2013 could visit places of detention without prior notice.",
    "4. The delegation said that the law on peaceful assembly was under review and that the permit system "
    "for demonstrations would be replaced by a notification procedure in the coming year.",
]
# Paragraph 2 as a PDF hyphenates it: a word broken at a line end, and a compound whose hyphen is real.
BROKEN = ("2. The delegation stated that the Government had accepted most of the recom-\n"
          "mendations received during the first cycle and that a national plan of action on\n"
          "human rights had been adopted in 2012, for the well-\nbeing of all.")


def un_like_report() -> str:
    """Masthead, table of contents, then a page per paragraph, each with the document symbol at its top
    and the job number and the page number at its foot, as a UN report's text reads."""
    pages = [MASTHEAD + "\n" + TOC]
    for number, paragraph in enumerate(PARAGRAPHS, start=2):
        body = BROKEN if paragraph.startswith("2.") else textwrap.fill(paragraph, 90)
        pages.append(f"{SYMBOL}\n\n{body}\n\n{JOB}\n\n{number}\n")
    return "\n".join(pages)


def noise_in(passage: Passage) -> list[str]:
    """The lines of a passage that are page furniture or table of contents."""
    furniture = {SYMBOL, JOB, "*1407677*", "Contents", "Paragraphs Page", "Original: English",
                 f"United Nations {SYMBOL}"}
    lines = [" ".join(line.split()) for line in passage.text.split("\n")]
    return [line for line in lines if line in furniture or line.isdigit() or "....." in line
            or line.startswith("Distr.")]


@pytest.fixture(scope="module")
def un_document(tmp_path_factory) -> Document:
    folder = tmp_path_factory.mktemp("un-like")
    (folder / "kazakhstan2014.txt").write_text(un_like_report(), encoding="utf-8")
    corpus = load_corpus(folder, root=folder)
    assert corpus.skipped == ()
    return corpus.documents[0]


def test_a_un_like_report_gives_passages_without_its_headers_page_numbers_or_contents(un_document):
    passages = chunk_document(un_document)
    assert un_document.text == un_like_report()  # the canonical text keeps every line
    for passage in passages:
        assert un_document.text[passage.start : passage.end] == passage.text
        assert noise_in(passage) == []
    # Nothing of the report itself is lost: each paragraph reads whole in one passage.
    readings = [search_text(p) for p in passages]
    for paragraph in PARAGRAPHS:
        assert any(paragraph.removesuffix(".") in reading for reading in readings), paragraph


def test_the_noise_is_found_line_by_line_in_the_canonical_text(un_document):
    text = un_document.text
    noise = layout_noise(text)
    kinds = {" ".join(text[line.start : line.end].split()): line.kind for line in noise}
    assert kinds[JOB] == kinds[SYMBOL] == kinds["*1407677*"] == kinds["Distr.: General"] == "page"
    assert {kinds[str(n)] for n in range(2, 6)} == {"page"}  # the page numbers, in order, a page apart
    assert kinds["Contents"] == kinds["Paragraphs Page"] == kinds["B. Interactive dialogue and responses by the State"] \
        == kinds["II. Conclusions and/or recommendations ................................. 124–127 14"] == "toc"
    assert "Kazakhstan" not in kinds and not any(k.startswith("1. The Working Group") for k in kinds)
    assert all(text[line.end : line.end + 1] in ("\n", "") for line in noise)  # whole lines


def test_a_word_broken_at_a_line_end_reads_whole_but_its_quote_stays_the_canonical_text(un_document):
    passage = next(p for p in chunk_document(un_document) if "accepted most of the" in p.text)
    assert "recom-\nmendations" in passage.text and "well-\nbeing" in passage.text
    assert un_document.text[passage.start : passage.end] == passage.text
    reading = search_text(passage)
    assert "accepted most of the recommendations received" in reading
    assert "for the well-being of all" in reading  # a real hyphen keeps its hyphen


def test_the_same_report_in_mac_roman_with_cr_line_ends_decoded_by_hand_gives_the_same_passages(un_document):
    data = un_like_report().replace("\n", "\r").encode("mac_roman")
    text = data.decode("mac_roman").replace("\r", "\n")  # one character for one: offsets are those of the file
    document = Document("k", "k", "", "", "", "en", "k.txt", "", text)
    passages = chunk_document(document)
    assert [(p.start, p.end, p.text) for p in passages] == [(p.start, p.end, p.text) for p in chunk_document(un_document)]
    assert all(noise_in(p) == [] and text[p.start : p.end] == p.text for p in passages)
    assert any("the recommendations received" in search_text(p) for p in passages)


@pytest.mark.parametrize(("broken", "reads"), [
    ("the recom-\nmendations", "the recommendations"),  # a known word
    ("Recom-\nmendations were", "Recommendations were"),
    ("were combat-\ning it", "were combating it"),  # a suffix
    ("the particu-\nlarities", "the particularities"),  # neither part is a word
    ("a well-\nbeing", "a well-being"),  # both parts are words
    ("the non-\nrefoulement principle", "the non-refoulement principle"),  # a prefix that keeps its hyphen
    ("racially-\nmotivated", "racially-motivated"),
    ("the Anti-\nDiscrimination Act", "the Anti-Discrimination Act"),  # a name
    ("an A-\nstatus institution", "an A-status institution"),
    ("the follow-\nup and the follow-up", "the follow-up and the follow-up"),  # the text spells it hyphenated
    ("пра-\nва человека", "пра-ва человека"),  # no word list for Cyrillic …
    ("пра-\nва человека и права", "права человека и права"),  # … but the text spells it whole
    ("recom\u00admendations", "recommendations"),  # a soft hyphen always goes
    ("  the   state\n under  review ", "the state under review"),  # whitespace folds as before
])
def test_reading_text_joins_only_plausible_words(broken, reads):
    assert reading_text(broken) == reads


def test_the_word_list_is_the_installed_minilm_vocabulary():
    words = english_words()
    assert len(words) > 20_000 and {"recommendations", "well", "being"} <= words and "recom" not in words
    assert joins("recom", "mendations") and not joins("well", "being")


def test_a_column_of_figures_and_an_ellipsis_are_not_furniture():
    text = ("Detained per city\n\nAlmaty\n12\n\nAstana\n45\n\nShymkent\n7\n\n"
            "He said nothing more..... 5 minutes later the police arrived and the crowd of about 300 people left.\n")
    assert layout_noise(text) == ()


def write_three_page_pdf(path: Path, header: str) -> list[str]:
    """A PDF with a running header on every page and the page number at its foot; its paragraphs."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, header, align="R")
            self.ln(14)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, str(self.page_no()), align="C")

    paragraphs = [
        "On 6 July 2019 police in Aktobe detained twelve protesters near the city administration building "
        "and drove them to the regional police department, where they were held for several hours.",
        "Two journalists covering the rally in Atyrau were detained for three hours and their footage was "
        "deleted by the police before they were released without charge late in the evening.",
        "In Shymkent a court fined five activists for taking part in an unsanctioned gathering, although "
        "the gathering had been announced to the city administration ten days in advance.",
    ]
    pdf = Report()
    pdf.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        pdf.add_page()
        pdf.multi_cell(0, 6, paragraph)
    pdf.output(str(path))
    return paragraphs


def test_a_pdf_s_running_header_and_page_numbers_stay_out_of_its_passages(tmp_path):
    header = "Kazakhstan: a year of protests and detentions"
    paragraphs = write_three_page_pdf(tmp_path / "protests.pdf", header)
    document = load_corpus(tmp_path, root=tmp_path).documents[0]
    assert len(document.page_starts) == 3
    assert document.text.count(header) == 3  # the canonical text keeps it, on every page
    passages = chunk_document(document)
    assert all(document.text[p.start : p.end] == p.text for p in passages)
    assert not any(header in p.text or "a year of protests" in p.text for p in passages)
    assert not any(line.strip().isdigit() for p in passages for line in p.text.split("\n"))
    for page, paragraph in enumerate(paragraphs, start=1):
        holding = [p for p in passages if paragraph[:60] in search_text(p)]
        assert [p.page for p in holding] == [page]


def test_a_running_header_in_a_text_with_form_feeds_is_found_at_the_page_edges():
    pages = [f"Amnesty International — Kazakhstan briefing\n\n{textwrap.fill(p, 90)}\n\nPage {n} of 4"
             for n, p in enumerate(PARAGRAPHS, start=1)]
    text = "\n\f".join(pages)  # as pdftotext ends a page
    found = {" ".join(text[line.start : line.end].split()) for line in layout_noise(text)}
    assert found == {"Amnesty International — Kazakhstan briefing", *(f"Page {n} of 4" for n in range(1, 5))}


# The real archive: 262 UN reports, Mac Roman with CR line ends, decoded here by hand.
SAMPLE = ["albania2014.txt", "angola2014.txt", "burundi2009.txt", "centralafricanrepublic2009.txt",
          "kazakhstan2010.txt", "kazakhstan2014.txt", "zambia2008.txt"]


def un_report(name: str) -> Document:
    text = (UN_REPORTS / name).read_bytes().decode("mac_roman").replace("\r\n", "\n").replace("\r", "\n")
    return Document(name, name, "", "", "", "en", name, "", text)


def toc_or_masthead(passage: Passage) -> bool:
    return bool(re.search(r"(\.\s?){5,}|^\s*(Distr\.|Original:|GE\.\d|\*\d+\*)", passage.text, re.MULTILINE))


@pytest.mark.skipif(not UN_REPORTS.is_dir(), reason=f"{UN_REPORTS} is not there")
def test_real_un_reports_lose_their_contents_and_masthead_from_passages_and_nothing_else(monkeypatch):
    before, after = {}, {}
    for name in SAMPLE:
        document = un_report(name)
        after[name] = chunk_document(document)
        with monkeypatch.context() as patch:
            patch.setattr(corpus.paragraphs, "layout_noise", lambda text, page_starts=(): ())
            before[name] = chunk_document(document)
        assert all(document.text[p.start : p.end] == p.text for p in after[name])
    counts = {name: (sum(map(toc_or_masthead, before[name])), sum(map(toc_or_masthead, after[name])))
              for name in SAMPLE}
    print("passages with contents or masthead lines, before → after:", counts)
    assert all(b >= 1 for b, _ in counts.values()) and all(a == 0 for _, a in counts.values())
    # Of the report's own text, passages lose only what stood before its table of contents: the rest of
    # the masthead ("General Assembly", the title), short lines that were a passage only with the table.
    for name in SAMPLE:
        document, noise = un_report(name), layout_noise(un_report(name).text)
        in_noise = {i for line in noise for i in range(line.start, line.end)}
        kept = {i for p in after[name] for i in range(p.start, p.end)}
        lost = [i for p in before[name] for i in range(p.start, p.end)
                if i not in kept and i not in in_noise and not document.text[i].isspace()]
        contents = min(line.start for line in noise if line.kind == "toc")
        assert all(i < contents for i in lost), (name, document.text[lost[-1] - 40 : lost[-1] + 40])
