"""The ingest report (issue 17): what a real build did with every file of a folder, printed by
`verbatim index` and written into the index folder; `verbatim documents`; the app's collection summary."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from conftest import run_verbatim, serve
from office_files import write_docx, zip_of

from index.config import Config

REPORT = ("Detentions in Shymkent\n\n"
          "On 12 March 2021 police in Shymkent detained nineteen people who had gathered near the regional akimat to "
          "protest against the rising price of liquefied gas, and held them at the city police department overnight.\n\n"
          "The next morning a court fined fourteen of them and sentenced five to ten days of administrative detention, "
          "after hearings in which none of the detained were allowed to call a lawyer of their own choosing.\n\n"
          "- 1 -\n\n- 2 -\n\n- 3 -\n")


def make_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "shymkent.txt").write_text(REPORT, encoding="utf-8")
    (folder / "note.md").write_text("Call the lawyer in Taraz on Monday about the appeal.\n", encoding="utf-8")
    write_docx(folder / "almaty.docx")
    (folder / "old-letter.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))  # an OLE2 header
    (folder / "numbers.xlsx").write_bytes(zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"}))
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory, embedder):
    from index.store import build_index

    root = tmp_path_factory.mktemp("ingest-report")
    config = Config(corpus_dir=make_folder(root / "archive"), index_dir=root / "index")
    return config, build_index(config, embedder=embedder)


def test_the_report_counts_every_file_of_the_folder(built):
    config, result = built
    report = result.report
    assert report.files_seen == 6
    assert report.indexed == 3 and result.documents == 3
    assert report.skipped == 1  # the binary .txt
    assert report.unsupported == 2  # .doc and .xlsx, listed and never opened
    assert report.ocr_pages == 0
    assert report.passages == result.passages
    reasons = report.skipped_by_reason
    assert sum(reasons.values()) == 3
    assert reasons["not a supported type (.doc)"] == 1 and reasons["not a supported type (.xlsx)"] == 1
    assert "looks like a binary file, not text" in next(r for r in reasons if "supported" not in r)
    types = {t.suffix: (t.seen, t.indexed, t.skipped) for t in report.file_types}
    assert types == {".doc": (1, 0, 1), ".docx": (1, 1, 0), ".md": (1, 1, 0), ".txt": (2, 1, 1), ".xlsx": (1, 0, 1)}
    skipped = {Path(s.path).name for s in report.skipped_files}
    assert skipped == {"binary.txt", "old-letter.doc", "numbers.xlsx"}
    # The page numbers "- 1 -" … are in no passage: 3 x 3 visible characters, as chunk_corpus counts them.
    assert report.left_out_chars == 9
    assert 0 < report.left_out_chars < report.text_chars


def test_the_report_is_in_the_index_folder_and_the_index_still_loads(built):
    from index.store import open_index, read_manifest

    config, result = built
    written = json.loads((config.index_dir / "ingest.json").read_text(encoding="utf-8"))
    assert written == json.loads(result.report.to_json())
    markdown = (config.index_dir / "ingest.md").read_text(encoding="utf-8")
    assert "| files seen | 6 |" in markdown and "| .xlsx | 1 | 0 | 1 |" in markdown
    assert "| not a supported type (.doc) | 1 |" in markdown and "Supported types: .txt, .md" in markdown
    manifest = read_manifest(config.index_dir)
    assert {"ingest.json", "ingest.md"} <= manifest.files.keys()  # recorded, so checked on every load
    assert [Path(s["path"]).name for s in manifest.unsupported] == ["numbers.xlsx", "old-letter.doc"]
    index = open_index(config)  # the integrity check passes, the corpus is unchanged
    assert len(index.documents) == 3


def test_a_changed_report_file_is_damage(built, tmp_path):
    import shutil

    from index.errors import DamagedIndexError
    from index.store import open_index

    config, _ = built
    copy = tmp_path / "index"
    shutil.copytree(config.index_dir, copy)
    (copy / "ingest.md").write_text("edited\n", encoding="utf-8")
    with pytest.raises(DamagedIndexError, match="ingest.md"):
        open_index(Config(corpus_dir=config.corpus_dir, index_dir=copy))


def test_documents_json_lists_what_is_indexed(built):
    config, result = built
    done = run_verbatim("documents", "--index", str(config.index_dir), "--json")
    assert done.returncode == 0, done.stderr
    rows = {row["doc_id"]: row for row in json.loads(done.stdout)}
    assert set(rows) == {"shymkent", "note", "almaty"}
    assert sum(row["passages"] for row in rows.values()) == result.passages
    docx = rows["almaty"]
    assert docx["title"] == "Detentions in Almaty after the January events"
    assert docx["publisher"] == "Kazakhstan Rights Bureau"
    assert docx["date"] == "2022-02-14" and docx["date_source"]
    assert rows["shymkent"]["encoding"] == "utf-8" and rows["shymkent"]["language"] == "en"
    assert rows["note"]["passages"] == 1 and rows["note"]["pages"] == 0
    assert not any(row["ocr"] for row in rows.values())
    text = run_verbatim("documents", "--index", str(config.index_dir))
    assert text.returncode == 0 and "3 documents" in text.stdout and "Kazakhstan Rights Bureau" in text.stdout


def test_the_app_shows_the_collection_and_examples_from_its_own_index(built):
    config, _ = built
    server = serve(config)  # the one server of this file
    url = next(server)
    try:
        with urllib.request.urlopen(url + "config", timeout=60) as response:
            page = json.loads(response.read())
    finally:
        server.close()  # stops it
    values = [c.get("props", {}).get("value") for c in page["components"]]
    summary = next(v for v in values if isinstance(v, str) and "vb-collection-summary" in v)
    assert "This collection: 3 documents" in summary
    assert "<td>Detentions in Almaty after the January events</td><td>Kazakhstan Rights Bureau</td>" in summary
    text = json.dumps(page, ensure_ascii=False)
    assert "What does “Detentions in Almaty after the January events” report?" in text
    assert "Nur-Sultan on the day of the presidential election" not in text  # not the bundled reports' examples


def test_the_bundled_index_keeps_its_examples(built):
    from app.web.summary import BUNDLED_EXAMPLES, examples
    from index.store import open_index

    config, _ = built
    index = open_index(config)
    assert not examples(index)[0].startswith(BUNDLED_EXAMPLES[0][:20])
    from types import SimpleNamespace

    from index.store.manifest import CorpusFacts

    bundled = SimpleNamespace(manifest=SimpleNamespace(corpus=CorpusFacts("corpus/reports", {})))
    assert examples(bundled) == BUNDLED_EXAMPLES  # only its manifest is read
    beir = SimpleNamespace(manifest=SimpleNamespace(corpus=None))
    assert examples(beir, []) == []


def test_verbatim_index_ends_with_the_report(tmp_path):
    folder = make_folder(tmp_path / "archive")
    done = run_verbatim("index", "--corpus", str(folder), "--index", str(tmp_path / "index"))
    assert done.returncode == 0, done.stderr
    table = done.stdout[done.stdout.index("## Ingest report"):]
    assert "| files seen | 6 |" in table and "| not a supported type | 2 |" in table
    assert "| skipped (could not be read) | 1 |" in table
    assert f"- {folder / 'numbers.xlsx'}: not a supported type (.xlsx)" in table


def test_an_index_with_its_report_is_rebuilt_in_place(built, embedder):
    from index.store import build_index, open_index

    config, first = built
    (config.corpus_dir / "old-letter.doc").unlink()
    try:
        again = build_index(config, embedder=embedder)  # the report files are the index's own: no refusal
    finally:
        (config.corpus_dir / "old-letter.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert again.report.unsupported == 1 and again.report.files_seen == 5
    assert json.loads((config.index_dir / "ingest.json").read_text(encoding="utf-8"))["unsupported"] == 1
    open_index(config)
