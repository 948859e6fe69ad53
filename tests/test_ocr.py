"""OCR (corpus/ocr.py): scanned pages rendered here from known text, in English, Russian and Kazakh,
read back by Tesseract as a PNG, an image-only PDF and a mixed PDF; cached by the file's hash; cited
and verified at the page the quote is on."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from corpus import ocr
from corpus.errors import CorpusError, LoadError
from corpus.loaders import load_file

# Skipped without the tools (`make ocr` installs them), except in CI, where a missing install is a failure.
pytestmark = pytest.mark.skipif(ocr.missing_tools(pdf=True) is not None and not os.environ.get("CI"),
                                reason=f"OCR tools missing: {ocr.INSTALL}")

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PAGES = {
    "en": ("Detentions in Karaganda\n"
           "On 12 March 2021 police in Karaganda detained nine activists who\n"
           "had gathered in front of the regional court in support of a jailed\n"
           "trade union leader. Lawyers were not allowed to see them for a day."),
    "ru": ("Задержания в Уральске\n"
           "Четырнадцатого мая полиция Уральска задержала семерых\n"
           "журналистов, которые снимали мирное собрание у здания\n"
           "городского акимата. Их отпустили только поздно вечером."),
    "kk": ("Қарағандыдағы ұстаулар\n"
           "Наурыз айында полиция Қарағанды қаласында тоғыз белсендіні\n"
           "ұстады. Олар сот ғимаратының алдында жиналып, түрмедегі\n"
           "кәсіподақ жетекшісін қолдау туралы өтініш оқыды."),
}
# Share of the known words recovered with the default languages (eng+kaz+rus), as measured when it
# was chosen (see corpus/ocr.py for the other orders); the floors below leave a margin under these.
MEASURED = {"PNG": {"en": 1.00, "ru": 1.00, "kk": 1.00}, "PDF": {"en": 1.00, "ru": 1.00, "kk": 1.00}}
FLOORS = {"en": 0.9, "ru": 0.85, "kk": 0.85}


def page_image(text: str):
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 40)  # about 10 pt at 300 dpi: a readable page
    image = Image.new("L", (2480, 900), 255)
    ImageDraw.Draw(image).multiline_text((120, 120), text, font=font, fill=0, spacing=18)
    return image


def write_scanned_pdf(path: Path, languages: tuple[str, ...]) -> None:
    first, *rest = [page_image(PAGES[language]).convert("RGB") for language in languages]
    first.save(path, "PDF", resolution=300.0, save_all=True, append_images=rest)


def write_mixed_pdf(path: Path, image: Path) -> None:
    """Page 1 a text layer, page 2 only an image (of the English text)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Monitoring report\n\nThe monitors visited four courts in Pavlodar during the spring.")
    pdf.add_page()
    pdf.image(str(image), x=10, y=10, w=190)
    pdf.output(str(path))


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def accuracy(known: str, read: str) -> float:
    """Share of the known words that the OCR text holds (each as often as it is known)."""
    remaining = words(read)
    found = 0
    for word in words(known):
        if word in remaining:
            remaining.remove(word)
            found += 1
    return found / len(words(known))


@pytest.fixture()
def ocr_home(tmp_path, monkeypatch):
    """An OCR cache of its own, empty at first (the rest of the work folder, the model graph, is shared)."""
    monkeypatch.setattr(ocr, "cache_dir", lambda: tmp_path / "home" / "ocr")
    monkeypatch.delenv(ocr.ENV_LANGUAGES, raising=False)
    return tmp_path / "home"


@pytest.fixture(scope="module")
def scans(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scans") / "archive"
    folder.mkdir()
    for language, text in PAGES.items():
        page_image(text).save(folder / f"page-{language}.png", dpi=(300, 300))
    write_scanned_pdf(folder / "scanned.pdf", ("en", "ru", "kk"))
    write_mixed_pdf(folder / "mixed.pdf", folder / "page-en.png")
    return folder


def test_a_scanned_pdf_and_pngs_are_read_page_by_page_and_word_accuracy_holds(scans, ocr_home, capsys):
    loaded = load_file(scans / "scanned.pdf")
    assert len(loaded.page_starts) == 3 and loaded.page_starts[0] == 0 and loaded.ocr_pages == 3
    bounds = (*loaded.page_starts, len(loaded.text) + 1)
    pdf_pages = {language: loaded.text[bounds[number] : bounds[number + 1] - 1]
                 for number, language in enumerate(("en", "ru", "kk"))}
    pngs = {language: load_file(scans / f"page-{language}.png").text for language in PAGES}
    scores = {route: {language: accuracy(PAGES[language], texts[language]) for language in PAGES}
              for route, texts in (("PNG", pngs), ("PDF", pdf_pages))}
    with capsys.disabled():  # shown in every run, not only with -s
        for route, by_language in scores.items():
            print(f"\nOCR word accuracy, {route} ({ocr.DEFAULT_LANGUAGES}): "
                  + ", ".join(f"{language} {score:.2f}" for language, score in by_language.items())
                  + f"; measured when the order was chosen: {MEASURED[route]}")
    for by_language in scores.values():
        for language, floor in FLOORS.items():
            assert by_language[language] >= floor, (language, scores)
    # What the other orders lose on these PNGs (corpus/ocr.py): Kazakh ұ read as у, English "in" in Cyrillic.
    assert "Қарағандыдағы ұстаулар" in pngs["kk"] and "Detentions in Karaganda" in pngs["en"]


def test_a_second_load_reads_the_cache_and_never_runs_tesseract(scans, ocr_home):
    first = load_file(scans / "page-kk.png")
    assert first.page_starts == (0,) and accuracy(PAGES["kk"], first.text) >= FLOORS["kk"]
    assert len(list((ocr_home / "ocr").glob(f"{first.sha256}.*.json"))) == 1
    calls = ocr.CALLS["tesseract"]
    again = load_file(scans / "page-kk.png")
    assert ocr.CALLS["tesseract"] == calls and again.text == first.text
    copy = scans.parent / "renamed.png"  # the same bytes elsewhere: still the cache, by hash
    shutil.copy(scans / "page-kk.png", copy)
    assert load_file(copy).text == first.text and ocr.CALLS["tesseract"] == calls


def test_a_scan_whose_ocr_was_stopped_resumes_at_the_page_it_stopped_on(scans, ocr_home, monkeypatch):
    real, calls = ocr.tesseract, []

    def stopped_after_two_pages(*args):
        if len(calls) == 2:
            raise KeyboardInterrupt  # as a kill would, on the third page
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(ocr, "tesseract", stopped_after_two_pages)
    with pytest.raises(KeyboardInterrupt):
        load_file(scans / "scanned.pdf")
    monkeypatch.setattr(ocr, "tesseract", real)
    before = ocr.CALLS["tesseract"]
    loaded = load_file(scans / "scanned.pdf")
    assert ocr.CALLS["tesseract"] == before + 1  # only the third page was read again
    assert loaded.ocr_pages == 3 and accuracy(PAGES["kk"], loaded.text[loaded.page_starts[2]:]) >= FLOORS["kk"]


def test_a_mixed_pdf_ocrs_only_its_page_without_a_text_layer(scans, ocr_home):
    before = ocr.CALLS["tesseract"]
    loaded = load_file(scans / "mixed.pdf")
    assert ocr.CALLS["tesseract"] == before + 1 and loaded.ocr_pages == 1  # the text page is read from its layer
    text_page, image_page = loaded.text[: loaded.page_starts[1]], loaded.text[loaded.page_starts[1] :]
    assert "four courts in Pavlodar" in text_page
    assert accuracy(PAGES["en"], image_page) >= FLOORS["en"]


def test_a_multi_page_tiff_and_a_jpeg_are_read_and_a_broken_image_is_named(scans, ocr_home):
    from PIL import Image

    tiff = scans.parent / "letter.tif"
    en, ru = Image.open(scans / "page-en.png"), Image.open(scans / "page-ru.png")
    en.save(tiff, save_all=True, append_images=[ru], dpi=(300, 300))
    loaded = load_file(tiff)
    assert len(loaded.page_starts) == 2 and loaded.ocr_pages == 2
    assert accuracy(PAGES["en"], loaded.text[: loaded.page_starts[1]]) >= FLOORS["en"]
    assert accuracy(PAGES["ru"], loaded.text[loaded.page_starts[1] :]) >= FLOORS["ru"]
    jpeg = scans.parent / "photo.jpg"
    en.convert("RGB").save(jpeg, quality=90, dpi=(300, 300))
    assert accuracy(PAGES["en"], load_file(jpeg).text) >= FLOORS["en"]
    broken = scans.parent / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(LoadError, match=r"broken.png: not a readable image"):
        load_file(broken)


def test_languages_come_from_the_manifest_entry_then_the_environment(scans, ocr_home, monkeypatch):
    folder = scans.parent / "chosen"
    folder.mkdir(exist_ok=True)
    shutil.copy(scans / "page-ru.png", folder / "ru.png")
    (folder / "manifest.toml").write_text('[[document]]\ndoc_id = "ru"\npath = "ru.png"\nocr_languages = "rus"\n')
    assert ocr.languages_for(folder / "ru.png") == "rus"
    monkeypatch.setenv(ocr.ENV_LANGUAGES, "rus+eng")
    assert ocr.languages_for(scans / "page-ru.png") == "rus+eng"
    loaded = load_file(folder / "ru.png")
    assert accuracy(PAGES["ru"], loaded.text) >= FLOORS["ru"]
    assert [path.name.split(".")[1] for path in (ocr_home / "ocr").glob("*.json")] == ["rus"]
    monkeypatch.setenv(ocr.ENV_LANGUAGES, "Russian")
    with pytest.raises(LoadError, match="not a list of Tesseract languages"):
        load_file(scans / "page-ru.png")
    monkeypatch.setenv(ocr.ENV_LANGUAGES, "xyz")
    with pytest.raises(LoadError, match="OCR language xyz is not installed; apt-get install -y tesseract-ocr-xyz"):
        load_file(scans / "page-ru.png")


def test_the_manifest_checks_ocr_languages(tmp_path):
    from corpus.manifest import read_manifest

    (tmp_path / "manifest.toml").write_text('[[document]]\ndoc_id = "a"\npath = "a.png"\nocr_languages = "kaz+eng"\n')
    assert read_manifest(tmp_path)[0].ocr_languages == "kaz+eng"
    (tmp_path / "manifest.toml").write_text('[[document]]\ndoc_id = "a"\npath = "a.png"\nocr_languages = "en, ru"\n')
    with pytest.raises(CorpusError, match="field 'ocr_languages': 'en, ru' is not a list of Tesseract languages"):
        read_manifest(tmp_path)


def test_without_tesseract_scans_are_skipped_naming_the_install(scans, ocr_home, monkeypatch):
    from corpus.collection import load_corpus

    monkeypatch.setattr(ocr.shutil, "which", lambda tool: None)
    corpus = load_corpus(scans)
    reasons = {Path(skip.path).name: skip.reason for skip in corpus.skipped}
    assert set(reasons) == {"page-en.png", "page-ru.png", "page-kk.png", "scanned.pdf"}
    assert all(ocr.INSTALL in reason for reason in reasons.values())
    [mixed] = corpus.documents
    assert "four courts" in mixed.text
    assert [warning.message for warning in corpus.warnings] == [
        f"no text layer on page 2 of 2, left unread: OCR needs tesseract and pdftoppm: {ocr.INSTALL}"]


def test_an_ocr_quote_is_found_cited_at_its_page_and_verified(scans, ocr_home, tmp_path, embedder):
    from app.payload import hit_payload
    from corpus.verify import verify_record
    from index.config import Config
    from index.search import Searcher
    from index.store import build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(scans / "scanned.pdf", corpus / "scanned.pdf")
    config = Config(corpus_dir=corpus, index_dir=tmp_path / "index")
    result = build_index(config, embedder=embedder)
    assert result.report.ocr_pages == 3  # the ingest report counts the pages OCR read
    searcher = Searcher.open(config)
    searcher._embedder = embedder
    [hit] = searcher.search("полиция Уральска задержала журналистов", k=1)
    assert hit.document.ocr_pages == 3
    record = hit_payload(hit)["record"]
    assert record["page"] == 2, record
    text = hit.document.text
    assert text[record["start"] : record["end"]] == record["quote"]
    assert hit.document.page_starts[1] <= record["start"] < hit.document.page_starts[2]
    assert "журналистов" in record["quote"]
    calls = ocr.CALLS["tesseract"]
    verification = verify_record(record)
    assert verification.ok, verification.message
    assert ocr.CALLS["tesseract"] == calls  # verify read the cached text
