"""Text files in the encodings real archives use, and the titles and dates their own first lines give.

Every fixture is written here, byte for byte, with Python's codecs; the real archive test reads the 262
Mac Roman UN reports of ../shared/corpora/upr-wg-reports (skipped, saying so, where that folder is absent)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from conftest import run_verbatim

from corpus import load_corpus
from corpus.encoding import CANDIDATES, decode_text, oddities
from corpus.paths import REPO_ROOT
from corpus.titles import HRC_PUBLISHER, UPR_TITLE, read_header
from corpus.verify import verify_record

UPR_REPORTS = REPO_ROOT.parent / "shared" / "corpora" / "upr-wg-reports"

RUSSIAN = ("Правозащитники сообщили, что 6 июля полиция задержала в Алматы около ста человек.\n\n"
           "Суд назначил задержанным штрафы и аресты до пятнадцати суток; адвокатов к ним не пускали.\n")
ENGLISH = ("The State’s delegation said: “Torture is prohibited” – and noted the Côte d’Ivoire review.\n\n"
           "Ms. Núñez asked about the prisons’ conditions… The delegation didn’t answer.\n")
# What a wrong code page leaves in English: UTF-8 read as cp1252, latin-1 or Mac Roman; Mac Roman read as
# cp1252 ("StateÕs", "theÓ", "rŽsumŽ", "¥ bullet"); the replacement character; control characters. Not a
# capital Ó or Ã as such: "Mr. Deaglán Ó Briain", "GÓMEZ" and "ROMÃO" are in the reports.
MOJIBAKE = re.compile("â€|Ã[\x80-\xbf]|‚Ä|√|[a-z][ÕÒÓŽ]|Õ[a-z]|¥|\ufffd|[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _only_document(folder: Path):
    corpus = load_corpus(folder)
    assert not corpus.skipped, corpus.skipped
    (document,) = corpus.documents
    return document


def _record(document, quote: str) -> dict:
    """A citation record for `quote`, as `verbatim ask --json` writes one."""
    start = document.text.index(quote)
    return {"quote": quote, "path": document.path, "start": start, "end": start + len(quote), "sha256": document.sha256,
            "doc_id": document.doc_id, "title": document.title, "publisher": document.publisher, "date": document.date,
            "url": document.url}


@pytest.mark.parametrize(
    ("name", "text", "encoding", "recorded"),
    [
        ("cp1251.txt", RUSSIAN, "cp1251", "cp1251"),
        ("koi8.txt", RUSSIAN, "koi8_r", "koi8-r"),
        ("dos.txt", RUSSIAN, "cp866", "cp866"),
        ("utf16-bom.txt", RUSSIAN, "utf-16", "utf-16"),  # Python writes the byte-order mark
        ("utf16le.txt", ENGLISH, "utf-16-le", "utf-16-le"),  # no mark: told by its zero bytes
        ("utf8-bom.md", ENGLISH, "utf-8-sig", "utf-8-sig"),
        ("utf32.txt", ENGLISH, "utf-32", "utf-32"),
        ("windows.txt", ENGLISH.replace("\n", "\r\n"), "cp1252", "cp1252"),
        ("mac.txt", ENGLISH.replace("\n", "\r"), "mac_roman", "mac-roman"),
    ],
)
def test_a_text_file_is_decoded_in_its_own_encoding_and_a_quote_from_it_verifies(tmp_path, name, text, encoding, recorded):
    data = text.encode(encoding)
    (tmp_path / name).write_bytes(data)
    document = _only_document(tmp_path)
    assert document.encoding == recorded
    # The canonical text is the decoded text, one line feed per line end, without the byte-order mark;
    # the recorded name is a codec that reads the file back to it.
    assert document.text == text.replace("\r\n", "\n").replace("\r", "\n")
    assert data.decode(document.encoding).replace("\r\n", "\n").replace("\r", "\n") == document.text
    quote = "адвокатов к ним не пускали" if text is RUSSIAN else "Ms. Núñez asked about the prisons’ conditions…"
    verification = verify_record(_record(document, quote))
    assert verification.ok, verification.message


def test_lone_cr_line_ends_are_line_feeds_one_for_one(tmp_path):
    """Classic Mac OS ends lines with CR; LF CR (as some of the UN reports have) is two line ends."""
    (tmp_path / "mac.txt").write_bytes("First line\rSecond\n\rThird ‘x’\r\n".encode("mac_roman"))
    document = _only_document(tmp_path)
    assert document.text == "First line\nSecond\n\nThird ‘x’\n"
    assert document.encoding == "mac-roman"


def test_random_bytes_are_skipped_naming_every_encoding_tried(tmp_path):
    generator = random.Random(17)
    (tmp_path / "report.txt").write_text("Police detained two activists in Taraz on 6 July.\n", encoding="utf-8")
    (tmp_path / "noise.txt").write_bytes(generator.randbytes(4000))
    # Random letters, spaces and high bytes: no NUL, no control byte, so not "binary"; but no code page reads it.
    alphabet = [*range(0x80, 0x100), *b"abcdefghij     "]
    (tmp_path / "garbled.txt").write_bytes(bytes(generator.choice(alphabet) for _ in range(4000)))
    corpus = load_corpus(tmp_path)
    assert [d.doc_id for d in corpus.documents] == ["report"]
    reasons = {Path(s.path).name: s.reason for s in corpus.skipped}
    assert set(reasons) == {"noise.txt", "garbled.txt"}
    assert "looks like a binary file, not text" in reasons["noise.txt"]
    assert "its encoding cannot be told" in reasons["garbled.txt"] and "save it as UTF-8" in reasons["garbled.txt"]
    for reason in reasons.values():
        assert all(name in reason for name in ("UTF-8", *CANDIDATES)), reason
        assert "re-save it as UTF-8" not in reason  # the old "is not UTF-8" refusal is gone


def test_a_file_two_code_pages_read_as_different_text_is_skipped_showing_both(tmp_path):
    """One byte 0xE0 alone: "à" in cp1252, "а" in cp1251, "Ю" in KOI8-R; nothing tells which."""
    (tmp_path / "one-letter.txt").write_bytes(b"\xe0\n")
    (reason,) = [s.reason for s in load_corpus(tmp_path).skipped]
    assert "its encoding cannot be told" in reason and "which differ" in reason
    assert "'à\\n' in cp1252" in reason and "'а\\n' in cp1251" in reason and "'Ю\\n' in koi8-r" in reason


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_lower_case_russian_without_a_capital_is_told_by_its_small_letters(encoding):
    """KOI8-R reads cp1251's small letters as capitals and the other way round: prose is mostly small."""
    text = "суд назначил задержанным штрафы\n"
    assert decode_text(text.encode(encoding)).text == text


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("Ms. García spoke.\r", "mac_roman", "mac-roman"),  # byte 0x92: "í" in Mac Roman, "’" in cp1252
        ("He isn’t here.\r\n", "cp1252", "cp1252"),  # the same byte: "isnít" in Mac Roman
        ("He isn’t here.\n", "cp1252", "cp1252"),
    ],
)
def test_when_mac_roman_and_cp1252_both_read_as_text_cr_line_ends_decide(text, encoding, expected):
    """Classic Mac OS ended lines with CR, Windows with CR LF: the line ends tell the two apart."""
    decoded = decode_text(text.encode(encoding))
    assert (decoded.encoding, decoded.text) == (expected, text)


def test_html_uses_its_declared_charset_and_else_is_detected(tmp_path):
    page = ("<html><head>{meta}<title>Задержания в Алматы</title></head><body><article><p>" + RUSSIAN * 3 +
            "</p></article></body></html>")
    (tmp_path / "declared.html").write_bytes(page.format(meta='<meta charset="windows-1251">').encode("cp1251"))
    # ISO-8859-5 is no candidate of the detector: only the page's word can tell it.
    iso = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-5">'
    (tmp_path / "iso.html").write_bytes(page.format(meta=iso).encode("iso8859_5"))
    (tmp_path / "undeclared.html").write_bytes(page.format(meta="").encode("koi8_r"))
    corpus = load_corpus(tmp_path)
    assert not corpus.skipped
    by_id = {d.doc_id: d for d in corpus.documents}
    assert {name: d.encoding for name, d in by_id.items()} == {"declared": "cp1251", "iso": "iso8859-5", "undeclared": "koi8-r"}
    for document in by_id.values():
        assert document.title == "Задержания в Алматы"
        assert "адвокатов к ним не пускали" in document.text


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("Détention à Almaty — “quoted”", "utf-8", "utf-8"),
        # cp1251 reads the quotes and dashes of cp1252 the same; a text without a Cyrillic letter is Western.
        ("He said it isn’t so.\n", "cp1252", "cp1252"),
        ("Détention à Almaty", "latin-1", "cp1252"),  # cp1252 reads every latin-1 letter the same
        ("Il est à Paris.\n", "cp1252", "cp1252"),  # not "Il est а Paris" with a Cyrillic а (cp1251)
        ("Он живёт в Almaty и в Москве.\n", "koi8_r", "koi8-r"),  # Latin words in Russian text are no oddity
    ],
)
def test_short_texts_are_told_right(text, encoding, expected):
    decoded = decode_text(text.encode(encoding))
    assert (decoded.encoding, decoded.text) == (expected, text)


UN_HEADER = (" \r United Nations \r A/HRC/28/10 \r \r \r\r General Assembly \r Distr.: General \r10 December 2014 \r \r"
             "Original: English \r \r\rHuman Rights Council \r\rTwenty-eighth session \rAgenda item 6 \r"
             "Universal Periodic Review \r  Report of the Working Group on the Universal Periodic Review* \r"
             " * The annex to the present report is circulated as received. \r  Kazakhstan \rContents \r"
             "1. The Working Group on the Universal Periodic Review held its twentieth session.\r")


def test_a_un_report_gives_its_title_state_symbol_date_and_publisher(tmp_path):
    (tmp_path / "kazakhstan2014.txt").write_bytes(UN_HEADER.encode("mac_roman"))
    document = _only_document(tmp_path)
    assert document.title == f"{UPR_TITLE}: Kazakhstan (A/HRC/28/10)"
    assert (document.date, document.date_source, document.publisher) == ("2014-12-10", "text", HRC_PUBLISHER)
    # `verify` reads the same title, date and publisher from the file: a record carrying them is checked ok.
    assert verify_record(_record(document, "held its twentieth session")).ok


def test_the_manifest_still_wins_over_what_the_text_says(tmp_path):
    (tmp_path / "kz.txt").write_bytes(UN_HEADER.encode("mac_roman"))
    (tmp_path / "manifest.toml").write_text('[[document]]\npath = "kz.txt"\ndoc_id = "kz"\ndate = "2014-10-31"\n'
                                            'publisher = "UN HRC"\n', encoding="utf-8")
    document = _only_document(tmp_path)
    assert (document.date, document.date_source, document.publisher) == ("2014-10-31", "", "UN HRC")
    assert document.title.startswith(UPR_TITLE)  # the manifest gives none


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("UNITED \nNATIONS \n A\nGeneral Assembly \nDistr. \nGENERAL \nA/HRC/12/9 \n20 JULY 2009 \nOriginal: ENGLISH \n"
         "Prisons of the region: a survey \n", "Prisons of the region: a survey"),
        ("# Hunger strike in Almaty\n\nText.\n", "Hunger strike in Almaty"),
        ("Rally in Shymkent\nPolice detained eleven people.\n", "Rally in Shymkent"),
        ("x" * 201 + "\nSecond line\n", ""),  # a first line too long for a title gives none, as before
    ],
)
def test_other_texts_take_their_first_title_line_passing_over_header_furniture(text, title):
    header = read_header(text)
    assert header.title == title
    assert header.date == ("2009-07-20" if "Distr." in text else "")


def test_a_verify_run_from_the_command_line_checks_a_mac_roman_quote(tmp_path):
    (tmp_path / "mac.txt").write_bytes(ENGLISH.replace("\n", "\r").encode("mac_roman"))
    document = _only_document(tmp_path)
    records = tmp_path / "records.json"
    records.write_text(json.dumps(_record(document, "The delegation didn’t answer.")), encoding="utf-8")
    result = run_verbatim("verify", str(records))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the quote is at its offsets and the source is unchanged" in result.stdout


@pytest.mark.skipif(not UPR_REPORTS.is_dir(), reason=f"the UN report archive is not at {UPR_REPORTS} (CI has it at ../shared)")
def test_the_262_un_reports_load_whole_with_titles_dates_and_no_mojibake():
    corpus = load_corpus(UPR_REPORTS)
    assert not corpus.skipped, corpus.skipped
    reports = [d for d in corpus.documents if d.path.endswith(".txt")]
    # SOURCE.md, the folder's description, is a Markdown file and indexed as one more document.
    assert len(reports) == 262 and [Path(d.path).name for d in corpus.documents if d not in reports] == ["SOURCE.md"]
    assert {d.encoding for d in reports} == {"mac-roman"}
    assert {d.publisher for d in reports} == {HRC_PUBLISHER}
    for document in reports:
        state = document.title.removeprefix(f"{UPR_TITLE}: ")
        assert state != document.title and re.match(r"[A-Z][\w’'() ,.-]+", state), document.title
        assert re.fullmatch(r"20(0[89]|1[0-5])-\d\d-\d\d", document.date) and document.date_source == "text", document.date
    # The State named in each title is the one its file name spells (spaces and case aside), but for
    # the names the file names shorten ("Macedonia2014", "drc", "laos" ...).
    named = sum(re.sub(r"[^a-z]", "", d.title.split(": ", 1)[1].split(" (")[0].lower()) in Path(d.path).stem.lower()
                for d in reports)
    marked = [Path(d.path).name for d in reports if MOJIBAKE.search(d.text)]
    raw = {d.doc_id: Path(UPR_REPORTS, Path(d.path).name).read_bytes() for d in reports}
    as_cp1252 = sum(bool(MOJIBAKE.search(raw[d.doc_id].decode("cp1252", "replace"))) for d in reports)
    from charset_normalizer import from_bytes

    # How clearly the scoring tells Mac Roman from the next best code page, file by file.
    margins = []
    for document in reports:
        scores = [oddities(raw[document.doc_id].decode(name)) for name in CANDIDATES if name != "mac-roman"
                  and _decodes(raw[document.doc_id], name)]
        margins.append(min(scores) - oddities(raw[document.doc_id].decode("mac-roman")))
    guesses = {d.doc_id: from_bytes(raw[d.doc_id]).best() for d in reports}
    agree = sum(str(guesses[d.doc_id]) == raw[d.doc_id].decode(d.encoding) for d in reports)
    print(f"\n262 UN reports: {262 - len(marked)} decode with no mojibake marks under corpus/encoding.py; read as "
          f"cp1252, {262 - as_cp1252} would; charset-normalizer alone guesses "
          f"{', '.join(sorted({guess.encoding for guess in guesses.values()}))} and gives the same text for {agree}. "
          f"{named} titles name the State the file name spells. Oddities of the next best code page minus Mac Roman's: "
          f"at least {min(margins)}")
    assert marked == []
    assert as_cp1252 > 200  # the rule matters: cp1252, the usual guess, garbles nearly all of them
    assert named >= 240 and min(margins) >= 5
    kazakhstan = next(d for d in reports if d.path.endswith("kazakhstan2014.txt"))
    assert kazakhstan.title == f"{UPR_TITLE}: Kazakhstan (A/HRC/28/10)" and kazakhstan.date == "2014-12-10"
    assert verify_record(_record(kazakhstan, "During the interactive dialogue")).ok


def test_a_text_that_only_quotes_a_un_header_gets_no_un_date_or_publisher():
    """A folder's description of its UN reports (their SOURCE.md) is not itself a UN document."""
    from corpus.titles import read_header

    text = ("# UN Working Group reports, 2008–2014\n\nAs found:\n- the first lines are the UN document header "
            '("Distr.: General 10 December 2014", "United Nations A/HRC/28/10"), then a table of contents.\n')
    header = read_header(text)
    assert (header.title, header.date, header.publisher) == ("UN Working Group reports, 2008–2014", "", "")
