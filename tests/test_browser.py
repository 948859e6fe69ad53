"""The app in a real headless browser: Playwright driving Debian's Chromium (no browser download)."""

from __future__ import annotations

import json
import re

from corpus.paths import REPO_ROOT
from corpus.verify import verify_record
from index.config import MODES

SCREENSHOTS = REPO_ROOT / "test-output" / "browser"
QUESTION = "How long were the Atyrau journalists held?"


def ask(page, url: str, question: str):
    page.goto(url)
    box = page.locator("#vb-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_selector("#vb-results .vb-hit")
    return page.locator("#vb-results .vb-hit")


def test_asking_shows_ranked_hits_with_the_answer_sentence_marked(page, app_url):
    hits = ask(page, app_url, QUESTION)
    assert hits.count() >= 3  # the fixture corpus holds only a few passages
    first = hits.first
    assert "detained for three hours" in first.locator("mark.vb-answer").inner_text()
    assert "detained for three hours" in page.locator(".vb-best-quote").inner_text()
    assert "Cite:" in first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)


def test_a_hit_opens_the_source_viewer_at_its_passage_reflowed(page, app_url):
    hits = ask(page, app_url, QUESTION)
    with page.context.expect_page() as opened:
        hits.first.locator("a.vb-source").click()
    viewer = opened.value
    viewer.wait_for_load_state()
    passage = viewer.locator("#passage")
    assert "detained for three hours" in passage.locator("mark.vb-answer").inner_text()
    box = passage.bounding_box()
    assert box is not None and 0 <= box["y"] < viewer.viewport_size["height"]  # scrolled into view
    assert viewer.locator(".vb-doc").inner_text().count("Atyrau") >= 1
    # The PDF's hard line break inside the paragraph ("deleted by\nthe police") reads as a space
    # (issue 20, item 10), and the marks still hold the passage's own words.
    assert "their footage was deleted by the police before they were released." in passage.inner_text()
    viewer.screenshot(path=str(SCREENSHOTS / "source-viewer.png"), full_page=False)


def test_a_shared_search_address_reproduces_the_same_results(page, browser, app_url):
    page.goto(app_url)
    page.locator("#vb-exact input").check()  # the bm25 mode
    hits = ask_on_page(page, "journalists detained footage")
    assert "mode bm25" in page.locator("#vb-results .vb-summary").inner_text()
    spans = [hits.nth(i).get_attribute("data-start") for i in range(hits.count())]
    shared = page.url
    assert "q=journalists+detained+footage" in shared and "mode=bm25" in shared
    other = browser.new_context().new_page()
    other.set_default_timeout(60_000)
    other.goto(shared)
    other.wait_for_selector("#vb-results .vb-hit")
    again = other.locator("#vb-results .vb-hit")
    assert [again.nth(i).get_attribute("data-start") for i in range(again.count())] == spans
    assert other.locator("#vb-question textarea").input_value() == "journalists detained footage"
    assert other.locator("#vb-exact input").is_checked()
    other.screenshot(path=str(SCREENSHOTS / "shared-url.png"), full_page=True)
    other.context.close()


def ask_on_page(page, question: str):
    box = page.locator("#vb-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_selector("#vb-results .vb-hit")
    return page.locator("#vb-results .vb-hit")


def open_export_panel(page) -> None:
    """The export panel is closed until asked for (issue 20, item 8): nothing to export on arrival."""
    assert page.locator("#vb-picker").count() == 0
    page.get_by_role("button", name="Collect quotes and export").click()
    page.locator("#vb-picker").wait_for()


def test_collected_quotes_export_as_json_records_that_verify(page, app_url, tmp_path):
    hits = ask(page, app_url, QUESTION)
    hits.nth(0).locator('.vb-collect[data-record="sentence"]').click()  # the best sentence
    hits.nth(1).locator('.vb-collect[data-record="passage"]').click()  # a whole passage
    page.wait_for_selector("#vb-collection .vb-coll-item")
    assert page.locator("#vb-collection .vb-coll-item").count() == 2
    page.locator("#vb-format").get_by_label("JSON", exact=True).check()
    page.locator("#vb-export-collection").click()
    link = page.locator("#vb-download a").first
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / "collection.json"
    download.value.save_as(saved)
    records = json.loads(saved.read_text())
    assert len(records) == 2
    assert all(verify_record(record).ok for record in records)
    assert records[0]["quote"].startswith("Two journalists covering the rally in Atyrau were detained for three hours")
    assert records[0]["quote"].endswith("before they were released.")  # the sentence, not its passage
    page.screenshot(path=str(SCREENSHOTS / "collection.png"), full_page=True)


def test_report_markup_renders_as_text_and_runs_no_script(page, app_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hits = ask(page, app_url, "leaflet with a script tag and an image tag")
    text = page.locator("#vb-results").inner_text()
    assert '<script>alert("owned")</script>' in text and "<img src=x onerror=alert(1)>" in text
    assert hits.first.locator("script").count() == 0 and page.locator("#vb-results img").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []
    page.screenshot(path=str(SCREENSHOTS / "escaping.png"), full_page=True)


def test_the_page_fits_a_narrow_screen_with_the_answer_on_its_first_screen(browser, app_url):
    """Issue 20, item 10: on a 390 px phone the answer was two screens below the mode buttons; it now
    comes right under the question, the options and filters after it."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    ask(page, app_url, QUESTION)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than a 390px screen"
    page.evaluate("window.scrollTo(0, 0)")
    quote = page.locator(".vb-best-quote").bounding_box()
    assert quote is not None and quote["y"] >= 0 and quote["y"] + quote["height"] <= 844, quote
    question = page.locator("#vb-question textarea").bounding_box()
    assert question is not None and question["y"] + question["height"] <= quote["y"]  # still under the question
    filters = page.locator("#vb-publisher").bounding_box()
    assert filters is not None and filters["y"] > quote["y"]  # the filters follow the results
    page.screenshot(path=str(SCREENSHOTS / "narrow.png"), full_page=False)
    context.close()


def test_a_kazakh_question_finds_english_passages_and_the_language_filter_holds(page, multilingual_app_url):
    """Cross-lingual in the browser: each hit shows its language, the "Passage language" filter picked
    from the page keeps only English passages, and the English answer sentence is marked."""
    hits = ask(page, multilingual_app_url, "Сайлау күні Нұр-Сұлтанда қанша адам ұсталды?")
    languages = {hits.nth(i).locator(".vb-meta").inner_text().rsplit("·", 1)[-1].strip() for i in range(hits.count())}
    assert "English" in languages and len(languages) > 1  # unfiltered: passages in several languages
    assert "500 people" in hits.first.locator("mark.vb-answer").inner_text()
    page.locator("#vb-language input").click()
    page.get_by_role("option", name="English").click()
    page.locator("#vb-question textarea").press("Enter")
    page.wait_for_function("() => document.querySelector('#vb-results')?.innerText.includes('in English')")
    filtered = page.locator("#vb-results .vb-hit")
    assert filtered.count() >= 1
    assert all(filtered.nth(i).locator(".vb-meta").inner_text().endswith("English") for i in range(filtered.count()))
    assert "lang=en" in page.url  # the shared address carries the filter
    page.screenshot(path=str(SCREENSHOTS / "cross-lingual.png"), full_page=True)


def test_the_verdict_shows_its_label_its_confidence_and_the_names_not_found(page, app_url):
    ask(page, app_url, QUESTION)
    assert page.locator(".vb-best .vb-label").inner_text() == "Answered"
    assert page.locator(".vb-best .vb-confidence").inner_text().startswith("confidence 0.")
    ask(page, app_url, "How many protesters were killed in Andijan in 2005?")
    verdict = page.locator(".vb-notfound")
    assert verdict.locator(".vb-label").inner_text() == "Not found"
    assert "Nothing in this collection mentions Andijan or 2005." in verdict.inner_text()
    assert verdict.locator(".vb-missing .vb-anchor").all_inner_texts() == ["Andijan", "2005"]
    page.screenshot(path=str(SCREENSHOTS / "not-found.png"), full_page=True)


def test_filters_search_again_and_undated_reports_are_counted_not_dropped(page, app_url):
    """Issue 20, items 1 and 2: a filter picked after a search re-runs it; a date filter says how many
    reports it leaves out for giving no date, and lets the user include them."""
    ask(page, app_url, QUESTION)
    assert "detained for three hours" in page.locator(".vb-best-quote").inner_text()
    since = page.locator("#vb-since textarea, #vb-since input").first
    since.fill("2019")
    since.press("Enter")
    page.wait_for_function("() => document.querySelector('#vb-results')?.innerText.includes('since 2019')")
    note = page.locator("#vb-results .vb-undated")
    assert "without a date are left out by the date filter" in note.inner_text()
    assert "Include undated documents" in note.inner_text()
    page.locator("#vb-undated input").check()  # no button pressed: the change searches again
    page.wait_for_function("() => document.querySelector('#vb-results')?.innerText.includes('and undated documents')")
    assert page.locator("#vb-results .vb-undated").count() == 0
    assert "detained for three hours" in page.locator(".vb-best-quote").inner_text()
    assert "undated=1" in page.url
    page.locator("#vb-publisher input").click()
    page.get_by_role("option", name="Example Bureau").click()
    page.wait_for_function("() => document.querySelector('#vb-results')?.innerText.includes('publisher Example Bureau')")
    metas = page.locator("#vb-results .vb-hit .vb-meta").all_inner_texts()
    assert metas and all(meta.startswith("Example Bureau") for meta in metas)
    page.screenshot(path=str(SCREENSHOTS / "filters.png"), full_page=True)


def test_a_question_in_a_language_the_model_does_not_read_says_how_to_get_an_index_that_does(page, app_url):
    """Issue 20, item 9: on the English model, a Russian question is told so, with the way out."""
    ask(page, app_url, "Сколько журналистов задержали в Атырау?")
    hint = page.locator("#vb-results .vb-language-hint").inner_text()
    assert hint.startswith("Your question is in Russian, which this index's model")
    assert "verbatim index --model multilingual" in hint
    ask(page, app_url, QUESTION)
    assert page.locator("#vb-results .vb-language-hint").count() == 0


def test_clicking_an_example_searches_it(page, app_url):
    """Issue 20, item 8: the landing page's examples come from this index, and a click searches; the
    empty export panel is closed, so the reports and the examples are on the first screen."""
    page.goto(app_url)
    summary = page.locator("#vb-collection-summary")
    summary.wait_for()
    assert page.locator("#vb-picker").count() == 0
    box = summary.bounding_box()
    assert box is not None and box["y"] < page.viewport_size["height"], box
    assert "no date" in summary.locator("tr", has_text="Rally in Shymkent").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "landing.png"), full_page=True)
    example = page.get_by_role("button", name="What does “Election day in Nur-Sultan” report?")
    text = "What does “Election day in Nur-Sultan” report?"
    example.click()
    page.wait_for_selector("#vb-results .vb-hit")
    assert page.locator("#vb-question textarea").input_value() == text
    assert "Election day in Nur-Sultan" in page.locator("#vb-results .vb-hit").first.inner_text()
    assert "This collection:" in page.locator("#vb-collection-summary").inner_text()


def platform_fonts(page, selector: str) -> list[dict]:
    """The fonts Chromium drew the text of the first element matching `selector` with (DevTools)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"nothing matches {selector}"
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def test_bold_text_is_set_whole_in_the_page_font(page, app_url):
    """Issue 20, item 10: bold capitals rendered as small caps ("ʙest supporting quote") because the
    theme's semibold font file holds only a few letters; every bold line is now one whole font."""
    ask(page, app_url, QUESTION)
    for selector in (".vb-best-label", "#vb-results .vb-title", "h1", "#vb-search"):
        fonts = platform_fonts(page, selector)
        assert len(fonts) == 1 and fonts[0]["isCustomFont"], f"{selector} is drawn in {fonts}"
        assert fonts[0]["postScriptName"].endswith("-Bold"), fonts
    page.locator(".vb-best").screenshot(path=str(SCREENSHOTS / "bold-font.png"))


# Samples every progress bar of the page on each frame: its drawn width over its track's, and the
# figure it shows ("hybrid: 11 of 132 questions").
SAMPLE_PROGRESS_JS = """() => {
  window.vbBars = [];
  const look = () => {
    for (const bar of document.querySelectorAll('.progress-bar')) {
      const text = bar.closest('.progress-level')?.innerText || '';
      const track = bar.parentElement.getBoundingClientRect().width;
      if (track > 0 && / of \\d+ questions/.test(text)) window.vbBars.push([bar.getBoundingClientRect().width / track, text]);
    }
    if (!window.vbStop) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}"""


def test_the_evaluation_progress_bar_is_as_full_as_its_figure(page, app_url, tmp_path):
    """Issue 20, item 10: the Evaluate tab's bar read 2 % full at "60 of 132 questions - 45.5 %"."""
    questions = tmp_path / "progress-questions.jsonl"
    questions.write_text("".join(
        json.dumps({"id": f"p{n}", "question": f"How many police vans were near the square on election day, case {n}?",
                    "answers": [{"quote": "forty police vans", "doc_id": "fixture-election-page"}]}) + "\n"
        for n in range(600)  # long enough for several progress reports on a quiet machine (90 once gave two)
    ))
    page.goto(app_url)
    page.get_by_role("tab", name="Evaluate").click()
    page.locator("#vb-upload input[type=file]").set_input_files(str(questions))
    page.wait_for_function("() => document.querySelector('#vb-upload')?.innerText.includes('progress-questions')")
    page.evaluate(SAMPLE_PROGRESS_JS)
    page.locator("#vb-evaluate").click()
    page.wait_for_function("() => document.querySelector('#vb-eval-table')?.innerText.includes('600 questions')")
    samples = page.evaluate("() => { window.vbStop = true; return window.vbBars; }")
    seen = {}
    for drawn, text in samples:
        done, total = (int(x) for x in re.search(r"(\d+) of (\d+) questions", text).groups())
        seen.setdefault(done / total, []).append(drawn)
    off = {shown: drawn for shown, widths in seen.items() for drawn in widths if abs(drawn - shown) > 0.03}
    assert not off, f"bar widths (drawn) against the figures shown: {off}"
    assert len(seen) >= 3, f"too few progress reports seen: {sorted(seen)}"
    page.screenshot(path=str(SCREENSHOTS / "evaluate.png"), full_page=True)


def test_the_page_offers_exact_words_and_keeps_the_six_modes_under_advanced(page, app_url):
    """Issue 20, item 5: "Exact words only" on the page (the bm25 mode); the six modes in a closed
    Advanced panel, one line each; each hit says how close it is instead of a fused score."""
    page.goto(app_url)
    page.locator("#vb-exact").wait_for()
    assert page.locator("#vb-mode").count() == 0  # Advanced is closed: no mode buttons on arrival
    hits = ask_on_page(page, QUESTION)
    assert "mode hybrid" in page.locator("#vb-results .vb-summary").inner_text()
    assert page.locator("#vb-results .vb-score").count() == 0 and "score" not in page.locator("#vb-results").inner_text()
    labels = [hits.nth(i).locator(".vb-match").inner_text() for i in range(hits.count())]
    assert labels[0] == "strong match" and set(labels) <= {"strong match", "fair match", "weak match"}, labels
    assert "weak match" in labels  # the fixture's other reports are about other things
    page.locator("#vb-exact input").check()  # searches again, in bm25
    page.wait_for_function("() => document.querySelector('#vb-results .vb-summary')?.innerText.includes('mode bm25')")
    assert "mode=bm25" in page.url
    page.get_by_role("button", name="Advanced: how to search").click()
    modes = page.locator("#vb-mode")
    assert modes.get_by_label("bm25", exact=True).is_checked()
    help_text = page.locator("#vb-mode-help").inner_text()
    for mode in MODES:
        assert f"{mode}: " in help_text, mode
    modes.get_by_label("dense", exact=True).check()
    page.wait_for_function("() => document.querySelector('#vb-results .vb-summary')?.innerText.includes('mode dense')")
    assert not page.locator("#vb-exact input").is_checked() and "mode=dense" in page.url
    page.screenshot(path=str(SCREENSHOTS / "modes.png"), full_page=True)


def test_a_shared_address_with_an_advanced_mode_opens_advanced(page, app_url):
    page.goto(app_url + "?q=journalists+detained+footage&mode=dense-sentences&k=3")
    page.wait_for_selector("#vb-results .vb-hit")
    assert page.locator("#vb-mode").get_by_label("dense-sentences", exact=True).is_checked()
    assert not page.locator("#vb-exact input").is_checked()
    assert page.locator("#vb-results .vb-hit").count() == 3
