"""Citations ready to paste and collections that last (issue 20, items 3 and 4), in headless Chromium:
copy buttons, collecting the best sentence or the whole passage, a named collection kept in the
browser across reloads, removal, reordering, exports named after the collection, and stored data
read back as hostile. Ends with a researcher's whole task on the bundled reports."""

from __future__ import annotations

import csv
import io
import json

from corpus.paths import REPO_ROOT
from corpus.verify import verify_record

SCREENSHOTS = REPO_ROOT / "test-output" / "browser"
QUESTION = "How long were the Atyrau journalists held?"
STORAGE_KEY = "verbatim.collection"


def ask(page, question: str):
    box = page.locator("#vb-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function("q => document.querySelector('#vb-question textarea')?.value === q "
                           "&& document.querySelector('#vb-results .vb-hit')", arg=question)
    return page.locator("#vb-results .vb-hit")


def collection_items(page):
    return page.locator("#vb-collection .vb-coll-item")


def stored(page) -> dict:
    return json.loads(page.evaluate(f"window.localStorage.getItem('{STORAGE_KEY}')") or "null")


def export(page, format_name: str, tmp_path, suffix: str):
    """Export the collection in a format; the downloaded file's name and text."""
    page.locator("#vb-format").get_by_label(format_name, exact=True).check()
    page.locator("#vb-export-collection").click()
    link = page.locator(f'#vb-download a[download$=".{suffix}"]').first
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    return download.value.suggested_filename, saved.read_text(encoding="utf-8")


def record_of(hit, kind: str) -> dict:
    return json.loads(hit.locator(".vb-actions").get_attribute(f"data-{kind}"))


def test_copy_buttons_put_the_citation_on_the_clipboard_as_text_markdown_and_a_reference(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(app_url)
    hit = ask(page, QUESTION).first
    sentence = record_of(hit, "sentence")
    assert "detained for three hours" in sentence["quote"]
    copied = {}
    status = page.locator("#vb-action-status")
    for form, label, said in (("plain", "Text", "as text"), ("markdown", "Markdown", "as Markdown"),
                              ("reference", "Reference", "as a reference")):
        page.evaluate("navigator.clipboard.writeText('')")
        hit.locator(".vb-copy", has_text=label).click()
        page.wait_for_function("() => navigator.clipboard.readText().then(t => t.length > 0)")
        assert status.inner_text() == f"Copied the best sentence's citation {said} to the clipboard."
        copied[form] = page.evaluate("navigator.clipboard.readText()")
        assert copied[form] == sentence[form]
    text = " ".join(sentence["quote"].split())
    assert copied["plain"] == f"“{text}” ({sentence['citation']})"
    assert copied["markdown"].startswith(f"> {text.split()[0]} ") and copied["markdown"].endswith(
        f"[{sentence['start']}:{sentence['end']}]`")
    # A Chicago-like note: the title (the PDF's own; it names no publisher), its date, paragraph, page and file.
    assert copied["reference"].startswith("“Detentions in Aktobe and Atyrau,” ") and copied["reference"].endswith(".pdf.")
    assert ", para. 3, p. 2, " in copied["reference"]
    # The best supporting quote has its own buttons, copying exactly its span.
    best = page.locator(".vb-best .vb-actions")
    quote = json.loads(best.get_attribute("data-quote"))
    best.locator(".vb-copy", has_text="Reference").click()
    page.wait_for_function("r => navigator.clipboard.readText().then(t => t === r)", arg=quote["reference"])
    page.screenshot(path=str(SCREENSHOTS / "copy-buttons.png"), full_page=False)
    context.close()


def test_collect_the_sentence_or_the_passage_name_reorder_remove_and_export(page, app_url, tmp_path):
    page.goto(app_url)
    page.evaluate(f"window.localStorage.removeItem('{STORAGE_KEY}')")
    page.reload()
    hits = ask(page, QUESTION)
    # An empty collection's panel stays closed (it would fill the page); the first quote collected opens it.
    assert not page.locator("#vb-collection").is_visible()
    first, second = hits.nth(0), hits.nth(1)
    sentence, passage = record_of(first, "sentence"), record_of(second, "passage")
    first.locator('.vb-collect[data-record="sentence"]').click()
    second.locator('.vb-collect[data-record="passage"]').click()
    first.locator('.vb-collect[data-record="sentence"]').click()  # twice: once in the collection
    assert collection_items(page).count() == 2
    assert "Already in your collection" in page.locator("#vb-collection .vb-coll-note").inner_text()
    assert page.locator("#vb-action-status").inner_text().startswith("Already in your collection")
    # Each entry shows its quote and citation, not a title and offsets.
    shown = collection_items(page).all_inner_texts()
    assert " ".join(sentence["quote"].split()) in shown[0] and "best sentence" in shown[0]
    assert " ".join(passage["quote"].split()) in shown[1] and "whole passage" in shown[1]
    page.locator("#vb-collection-name").fill("Atyrau: journalists / 2019")
    # Down, then up again, then down: the order is the stored order.
    page.locator('#vb-collection .vb-coll-item[data-index="0"] [data-action="down"]').click()
    assert [item["record"]["start"] for item in stored(page)["items"]] == [passage["start"], sentence["start"]]
    assert stored(page)["name"] == "Atyrau: journalists / 2019"
    name, text = export(page, "JSON", tmp_path, "json")
    assert name == "Atyrau-journalists-2019.json"
    records = json.loads(text)
    assert [r["quote"] for r in records] == [passage["quote"], sentence["quote"]]
    assert all(verify_record(record).ok for record in records)
    name, text = export(page, "Markdown", tmp_path, "md")
    assert name == "Atyrau-journalists-2019.md" and text.startswith("# Atyrau: journalists / 2019\n")
    assert text.count("\n> — ") == 2 and " ".join(sentence["quote"].split()) in text
    # Remove one, undo it, remove it again: the collection and its storage follow.
    page.locator('#vb-collection .vb-coll-item[data-index="1"] [data-action="remove"]').click()
    assert collection_items(page).count() == 1 and len(stored(page)["items"]) == 1
    page.locator("#vb-undo").click()
    assert collection_items(page).count() == 2
    page.locator('#vb-collection .vb-coll-item[data-index="0"] [data-action="remove"]').click()
    assert [item["record"]["quote"] for item in stored(page)["items"]] == [sentence["quote"]]
    # Emptying asks first; dismissed, nothing is lost.
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.locator("#vb-clear").click()
    assert dialogs and dialogs[0].startswith("Empty “Atyrau: journalists / 2019”?")
    assert collection_items(page).count() == 1
    page.screenshot(path=str(SCREENSHOTS / "collection-edit.png"), full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#vb-clear").click()
    assert collection_items(page).count() == 0 and stored(page)["items"] == []
    page.locator("#vb-undo").click()
    assert collection_items(page).count() == 1


def test_a_stored_collection_is_read_back_as_data_never_as_markup(page, app_url, tmp_path):
    """localStorage is the user's, but anything may have written it: markup in it renders as text,
    runs nothing, a malformed item is set aside (not deleted) and the export trusts only the index."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(app_url)
    hit = ask(page, QUESTION).first
    real = record_of(hit, "sentence")
    forged = {**real, "start": real["start"] + 1, "quote": '<img src=x onerror=alert(1)><script>alert("stored")</script>',
              "citation": "<b onmouseover=alert(2)>cite</b>", "markdown": "[x](javascript:alert(3))"}
    hostile = {"version": 1, "name": '<svg onload=alert(4)>"; ../../etc/passwd',
               "items": [{"kind": "sentence", "record": real}, {"kind": "sentence", "record": forged},
                         {"kind": "<b>", "record": real}, {"kind": "passage", "record": {**real, "start": "0"}}, 42]}
    page.evaluate("([key, value]) => window.localStorage.setItem(key, value)", [STORAGE_KEY, json.dumps(hostile)])
    page.reload()
    page.wait_for_selector("#vb-collection .vb-coll-item")
    panel = page.locator("#vb-collection")
    assert collection_items(page).count() == 2  # the real one and the forged one, shown as text
    assert '<img src=x onerror=alert(1)><script>alert("stored")</script>' in panel.inner_text()
    assert panel.locator("img, script, svg, b").count() == 0
    assert "3 stored quotes could not be read and were set aside" in panel.inner_text()
    assert json.loads(page.evaluate("window.localStorage.getItem('verbatim.collection.unreadable')")) == hostile
    assert [item["record"]["quote"] for item in stored(page)["items"]] == [real["quote"], forged["quote"]]
    assert page.locator("#vb-collection-name").input_value() == '<svg onload=alert(4)>"; ../../etc/passwd'
    # The export is made from the index: the forged quote is not at its offsets, so it is left out, with a word.
    name, text = export(page, "CSV", tmp_path, "csv")
    assert name == "svg-onload-alert-4-etc-passwd.csv"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["quote"] for row in rows] == [real["quote"]] and "<b" not in text
    page.get_by_text("1 quote of the collection is no longer in this index").first.wait_for()
    page.wait_for_timeout(300)
    assert dialogs == []
    page.screenshot(path=str(SCREENSHOTS / "collection-hostile.png"), full_page=True)


def test_a_researchers_whole_task_three_quotes_two_publishers_exported_and_still_there_after_a_reload(
        page, bundled_app_url, tmp_path):
    """Issue 20, done when: find three quotes on January 2022 detentions from two publishers, collect
    them, export them with citations, reload the page and find the collection still there."""
    page.goto(bundled_app_url)
    page.evaluate(f"window.localStorage.removeItem('{STORAGE_KEY}')")
    page.reload()
    # 1. The best supporting quote on the detentions after the January 2022 protests (CIVICUS).
    hits = ask(page, "How many people were detained after the January 2022 protests?")
    best = page.locator(".vb-best")
    assert "Authorities detained over 10,000 people" in best.locator(".vb-best-quote").inner_text()
    best.locator(".vb-collect").click()
    # 2. A whole passage of another CIVICUS article, on the arrests during the protests.
    interview = hits.filter(has_text="more than 10,000 were arrested").first
    interview.locator('.vb-collect[data-record="passage"]').click()
    # 3. Amnesty International's count: a new question, and the publisher filter, which searches it.
    page.locator("#vb-question textarea").fill("How many people did the Interior Ministry say were arrested in January 2022?")
    page.locator("#vb-publisher input").click()
    page.get_by_role("option", name="Amnesty International").click()
    page.wait_for_function("() => document.querySelector('#vb-results')?.innerText.includes('publisher Amnesty International')")
    amnesty = page.locator("#vb-results .vb-hit").first
    assert "almost 10,000 people have been arrested" in amnesty.locator("mark.vb-answer").inner_text()
    amnesty.locator('.vb-collect[data-record="sentence"]').click()
    page.locator("#vb-collection-name").fill("January 2022 detentions")
    items = collection_items(page)
    assert items.count() == 3
    # Amnesty's count first: moved up twice.
    page.locator('#vb-collection .vb-coll-item[data-index="2"] [data-action="up"]').click()
    page.locator('#vb-collection .vb-coll-item[data-index="1"] [data-action="up"]').click()
    shown = items.all_inner_texts()
    assert "almost 10,000 people have been arrested" in shown[0] and "Amnesty International" in shown[0]
    assert "Authorities detained over 10,000 people" in shown[1] and "CIVICUS Monitor" in shown[1]
    assert "more than 10,000 were arrested" in shown[2]
    page.locator("#vb-collection").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "task-collected.png"), full_page=True)
    page.locator("#vb-collection").screenshot(path=str(SCREENSHOTS / "task-collection.png"))  # docs/app-collection.png
    # Exported with citations: Markdown to read, JSON to verify.
    name, markdown = export(page, "Markdown", tmp_path, "md")
    assert name == "January-2022-detentions.md"
    assert markdown.startswith("# January 2022 detentions\n")
    quotes = [block for block in markdown.split("\n\n")[1:] if block.startswith("> ")]
    assert len(quotes) == 3
    assert "Amnesty International, “Kazakhstan: Amnesty calls on authorities to release protestors”, 2022-01, ¶ 8, " in quotes[0]
    assert "CIVICUS Monitor" in quotes[1] and "section “Kazakhstan downgraded as civic freedoms deteriorate”" in quotes[1]
    assert all("corpus/reports/" in quote and "]`" in quote for quote in quotes)  # each names its file and span
    name, text = export(page, "JSON", tmp_path, "json")
    records = json.loads(text)
    assert {r["publisher"] for r in records} == {"Amnesty International", "CIVICUS Monitor"}
    assert all(verify_record(record).ok for record in records)
    assert all(r["reference"].endswith(".") and r["citation"] in r["plain"] for r in records)
    assert "January 2022" in records[0]["reference"]  # Amnesty's report is dated 2022-01
    # Reloaded (and even in a new tab of the same browser): the collection is still there, as it was.
    page.reload()
    page.wait_for_selector("#vb-collection .vb-coll-item")
    assert collection_items(page).all_inner_texts() == shown
    assert page.locator("#vb-collection-name").input_value() == "January 2022 detentions"
    page.screenshot(path=str(SCREENSHOTS / "task-after-reload.png"), full_page=True)
    other = page.context.new_page()
    other.goto(bundled_app_url)
    other.wait_for_selector("#vb-collection .vb-coll-item")
    assert other.locator("#vb-collection .vb-coll-item").count() == 3
    other.close()
