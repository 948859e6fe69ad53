"""A new language is a profile plus tests: Ukrainian for BM25, registered for these tests only
(corpus/languages/profiles.py). Real py3langid, real chunking, real bm25s; no model."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import chunk_corpus, load_corpus
from corpus.errors import CorpusError
from corpus.languages import (
    NAMES,
    LanguageProfile,
    detect_language,
    language_codes,
    register_language,
    unregister_language,
)
from corpus.languages.analysis import tokenize
from corpus.manifest import read_manifest
from index.store.lexical import LexicalIndex

UKRAINIAN = LanguageProfile(
    code="uk",
    name="Ukrainian",
    script="cyrillic",
    stemmer=None,  # PyStemmer has no Ukrainian: words are kept whole, like Kazakh's
    stopwords=frozenset({"і", "й", "та", "в", "у", "на", "з", "що", "до", "за", "не", "як"}),
    letters="ґєії",  # beyond Russian's; і is Kazakh's too, so ґ, є and ї decide
)
PASSAGES = {
    "en": "Police detained dozens of activists in Almaty after the election.",
    "ru": "Полиция задержала десятки активистов в Алматы после выборов.",
    "uk": "Поліція затримала десятки активістів у Києві після виборів, їхні адвокати протестують.",
}


@pytest.fixture
def ukrainian():
    register_language(UKRAINIAN)
    yield UKRAINIAN
    unregister_language(UKRAINIAN.code)


def test_ukrainian_is_detected_once_registered(ukrainian):
    assert detect_language(PASSAGES["uk"]) == "uk"  # ї: only Ukrainian has it
    assert detect_language("Затримали активістів у місті") == "uk"  # no ґ, є or ї: py3langid, now allowed uk, decides
    # The other languages are read as before: Kazakh's ұ and қ still decide, Russian is still Russian.
    assert detect_language("Сайлау күні Алматыда қанша адам ұсталды?") == "kk"
    assert detect_language(PASSAGES["ru"]) == "ru"
    assert detect_language(PASSAGES["en"]) == "en"
    assert language_codes() == ("en", "ru", "kk", "uk") and NAMES["uk"] == "Ukrainian"


def test_without_its_profile_ukrainian_is_labelled_with_the_closest_registered_language():
    assert "uk" not in language_codes() and "uk" not in NAMES  # the fixture's registration does not leak
    assert detect_language(PASSAGES["uk"]) in ("ru", "kk")


def test_ukrainian_words_lose_its_stopwords_and_are_kept_whole(ukrainian):
    assert tokenize("Поліція затримала активістів у Києві та Львові", "uk") == [
        "поліція", "затримала", "активістів", "києві", "львові"]
    # Latin words in a Ukrainian text are read as English; Ukrainian words get no Latin spellings.
    assert tokenize("Amnesty: поліція затримала", "uk", transliterate_names=True) == ["amnesti", "поліція", "затримала"]
    assert tokenize("Поліція затримала", "ru") == ["поліці", "затрима"]  # read as Russian, its stemmer cuts them


def test_bm25_finds_the_ukrainian_passage(ukrainian, tmp_path):
    corpus_dir = tmp_path / "reports"
    corpus_dir.mkdir()
    for language, text in PASSAGES.items():
        (corpus_dir / f"report-{language}.txt").write_text(text + "\n", encoding="utf-8")
    passages, _ = chunk_corpus(load_corpus(corpus_dir, root=tmp_path))
    assert sorted(p.language for p in passages) == ["en", "ru", "uk"]

    index = LexicalIndex.build([p.text for p in passages], [p.language for p in passages], transliterate_names=True)
    found = index.search("Скільки активістів затримала поліція у Києві?", k=3, language="uk")
    assert [passages[i].doc_id for i, _ in found] == ["report-uk"]
    assert index.search("Київ", k=3, language="uk") == []  # kept whole: Києві is another word than Київ


def _manifest_naming_ukrainian(folder: Path) -> Path:
    (folder / "manifest.toml").write_text('[[document]]\ndoc_id = "a"\npath = "a.txt"\nlanguage = "uk"\n', encoding="utf-8")
    return folder


def test_a_manifest_may_name_a_registered_language(ukrainian, tmp_path):
    assert read_manifest(_manifest_naming_ukrainian(tmp_path))[0].language == "uk"


def test_a_manifest_may_not_name_an_unregistered_language(tmp_path):
    with pytest.raises(CorpusError, match="'uk' is not a language Verbatim knows; use one of en, ru, kk,"):
        read_manifest(_manifest_naming_ukrainian(tmp_path))


def test_a_language_is_registered_once_and_in_a_known_script(ukrainian):
    with pytest.raises(ValueError, match="'uk' is already registered"):
        register_language(UKRAINIAN)
    with pytest.raises(ValueError, match="script 'greek' is not one of latin, cyrillic"):
        LanguageProfile(code="el", name="Greek", script="greek", stemmer="greek")
