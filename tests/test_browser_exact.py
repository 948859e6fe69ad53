"""Issue 20, items 6 and 7 in a real headless browser: a quoted phrase found word for word and marked
at its place, and a batch of queries uploaded and downloaded as CSV (Playwright, Debian's Chromium)."""

from __future__ import annotations

import csv

from corpus.paths import REPO_ROOT

SCREENSHOTS = REPO_ROOT / "test-output" / "browser"


def search(page, url: str, question: str) -> None:
    page.goto(url)
    box = page.locator("#vb-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_selector("#vb-results .vb-summary")


def test_a_quoted_phrase_is_found_word_for_word_and_marked_in_its_sentence(page, app_url):
    search(page, app_url, '"detained for three hours"')
    help_text = page.locator("#vb-question").inner_text()
    assert '"exact phrase" finds only passages that hold it word for word' in help_text
    assert "-word leaves out" in help_text and "a OR b" in help_text
    hits = page.locator("#vb-results .vb-hit")
    assert hits.count() == 1  # only the Atyrau passage holds it
    assert hits.first.locator("mark.vb-exact").all_inner_texts() == ["detained for three hours"]
    assert "detained for three hours" in hits.first.locator("mark.vb-answer").inner_text()  # its sentence
    assert page.locator(".vb-best .vb-label").inner_text() == "Answered"
    assert 'Found word for word: "detained for three hours".' in page.locator(".vb-best .vb-partly").inner_text()
    assert "detained for three hours" in page.locator(".vb-best-quote").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "exact-phrase.png"), full_page=True)
    # The words around it do not change which passages hold it; a phrase nobody wrote finds none, and says so.
    search(page, app_url, 'police "detained for three hours"')
    assert page.locator("#vb-results .vb-hit").count() == 1
    search(page, app_url, '"detained for four hours"')
    assert page.locator("#vb-results .vb-hit").count() == 0
    assert 'No passage holds "detained for four hours" word for word.' in page.locator("#vb-results").inner_text()


def test_minus_leaves_out_the_passages_with_the_word(page, app_url):
    search(page, app_url, "detained")
    texts = page.locator("#vb-results .vb-hit .vb-text").all_inner_texts()
    assert any("Atyrau" in text for text in texts)
    search(page, app_url, "detained -Atyrau")
    texts = page.locator("#vb-results .vb-hit .vb-text").all_inner_texts()
    assert texts and not any("atyrau" in text.lower() for text in texts)


def test_a_batch_upload_gives_a_row_per_query_and_a_csv_to_download(page, app_url, tmp_path):
    queries = tmp_path / "names.csv"
    queries.write_text('id,question\n1,How long were the Atyrau journalists held?\n2,"""forty police vans"""\n'
                       '3,"=HYPERLINK(""http://tracker.invalid"",""x"")"\n4,"""detained for four hours"""\n',
                       encoding="utf-8")
    page.goto(app_url)
    page.get_by_role("tab", name="Batch").click()
    page.locator("#vb-batch-upload input[type=file]").set_input_files(str(queries))
    page.locator("#vb-batch-upload").get_by_label(queries.name).wait_for()
    page.locator("#vb-batch-run").click()
    table = page.locator("#vb-batch-table table")
    table.wait_for(timeout=120_000)
    rows = table.locator("tbody tr")
    assert rows.count() == 4
    assert "detained for three hours" in rows.nth(0).inner_text()
    assert "Answered" in rows.nth(1).inner_text() and "forty police vans" in rows.nth(1).inner_text()
    assert "4 queries:" in page.locator("#vb-batch-table").inner_text()
    link = page.locator("#vb-batch-download a").first
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / "found.csv"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "names-verbatim.csv"
    with saved.open(encoding="utf-8", newline="") as handle:
        found = list(csv.DictReader(handle))
    assert [row["number"] for row in found] == ["1", "2", "3", "4"]
    assert found[0]["outcome"] == "answered" and "detained for three hours" in found[0]["quote"]
    assert found[0]["citation"].endswith(f"[{found[0]['start']}:{found[0]['end']}]")
    assert found[1]["label"] == "Answered" and found[1]["confidence"] == "1.0"
    assert found[2]["query"].startswith("'=HYPERLINK")  # never a formula in a spreadsheet
    assert found[3]["outcome"] == "" and found[3]["explanation"].startswith("No passage holds")
    page.screenshot(path=str(SCREENSHOTS / "batch.png"), full_page=True)


def test_a_batch_upload_over_the_query_cap_is_refused_in_one_line(page, app_url, tmp_path):
    queries = tmp_path / "too-many.txt"
    queries.write_text("".join(f"Who was detained in town {n}?\n" for n in range(201)), encoding="utf-8")
    page.goto(app_url)
    page.get_by_role("tab", name="Batch").click()
    page.locator("#vb-batch-upload input[type=file]").set_input_files(str(queries))
    page.locator("#vb-batch-upload").get_by_label(queries.name).wait_for()
    page.locator("#vb-batch-run").click()
    message = page.locator("#vb-batch-table .vb-message")
    message.wait_for()
    assert message.inner_text() == ("Cannot use this list: the list holds 201 queries; a batch may have at most 200: "
                                    "split it into smaller lists")
