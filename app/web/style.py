"""The page's style and fonts, and the script that keeps its address in step with the search."""

import gradio as gr

# Gradio's default theme asks for Source Sans Pro and IBM Plex Mono at weights 400 and 600, but the
# 600 files it ships are fragments (SourceSansPro-SemiBold.woff2 holds "A", "B" and some Cyrillic
# letters, 55 glyphs in all): bold text took those letters from it and every other one from a system
# font, so "Kazakhstan After" read "Kazakhstan ᴀfter" and "Best" read "ʙest". The 700 files are
# whole (1,615 and 750 glyphs), so bold text is set in them: the browser picks 700 for weight 600.
THEME = gr.themes.Default(
    font=(gr.themes.LocalFont("Source Sans Pro", weights=(400, 700)), "ui-sans-serif", "system-ui", "sans-serif"),
    font_mono=(gr.themes.LocalFont("IBM Plex Mono", weights=(400, 700)), "ui-monospace", "Consolas", "monospace"),
)

CSS = """
.vb-results { font-size: 15px; }
.vb-summary { color: #555; margin-bottom: .5em; }
.vb-hits { padding-left: 1.4em; }
.vb-hit { margin-bottom: 1.2em; }
.vb-head { display: flex; justify-content: space-between; gap: 1em; font-weight: 600; }
.vb-match { font-weight: 400; font-size: 13px; white-space: nowrap; padding: 0 .4em; border-radius: 4px; align-self: flex-start; }
.vb-match-strong { background: #e3f3e6; color: #1d5b2a; }
.vb-match-fair { background: #eef1f6; color: #3d4a5c; }
.vb-match-weak { color: #777; }
.vb-meta { color: #555; font-size: 13px; }
.vb-text { margin: .4em 0; padding-left: .8em; border-left: 3px solid #c9d7f0; }
.vb-answer { background: #fff3b0; padding: 0 .1em; }
.vb-exact { background: #ffd166; font-weight: 600; padding: 0 .05em; }
.vb-best { border: 1px solid #c9d7f0; border-radius: 6px; padding: .6em .9em; margin-bottom: 1em; background: #f6f9ff; }
.vb-best-label { font-weight: 600; font-size: 13px; color: #335; }
.vb-best-quote { margin: .3em 0; font-size: 16px; }
.vb-label { font-weight: 600; font-size: 13px; padding: .1em .5em; border-radius: 4px; }
.vb-answered { background: #e3f3e6; color: #1d5b2a; }
.vb-partly-answered { background: #fff1d6; color: #6b4a00; }
.vb-not-found { background: #f8dede; color: #7a1f1f; }
.vb-confidence { font-size: 13px; color: #555; margin-right: .5em; }
.vb-missing, .vb-partly { font-size: 13px; color: #6b4a00; margin: .3em 0; }
.vb-anchor { font-weight: 600; }
.vb-undated, .vb-language-hint { font-size: 13px; color: #6b4a00; }
.vb-notfound { border: 1px solid #e3b4b4; border-radius: 6px; padding: .6em .9em; margin-bottom: 1em; background: #fff4f4; }
.vb-unanswered .vb-hit { opacity: .8; }
.vb-cite code { font-size: 12px; white-space: normal; word-break: break-word; }
.vb-source, .vb-also { font-size: 13px; }
.vb-eval-table { border-collapse: collapse; margin: .5em 0 1em; font-size: 14px; }
.vb-eval-table th, .vb-eval-table td { border: 1px solid #ddd; padding: .2em .6em; text-align: left; }
.vb-collection-summary table { border-collapse: collapse; margin: .3em 0 1em; font-size: 14px; }
.vb-collection-summary th, .vb-collection-summary td { border: 1px solid #ddd; padding: .2em .6em; text-align: left; }
.vb-collection-summary .vb-date { white-space: nowrap; }
.vb-no-date { color: #777; font-style: italic; }
.vb-eval-worst { white-space: pre-wrap; word-break: break-word; font-size: 13px; background: #f6f6f6; padding: .5em; }
/* Gradio eases the progress bar to each new width over 150 ms; an evaluation reports every question,
   faster than that, so the easing restarted each time and the bar crawled far behind its own figure
   (2 % full at "60 of 132 questions - 45.5%"). Without it, the bar is the fraction it shows. */
.progress-bar { transition: none !important; }
@media (max-width: 640px) { .vb-head { flex-direction: column; gap: 0; } .vb-hits { padding-left: 1.1em; } }
/* On a phone the answer comes right under the question: the options, filters and the rest follow it
   (the tab is one flex column, so only the order in which it is drawn changes). */
@media (max-width: 640px) {
  .tabitem > .column > .row:has(#vb-question) { order: -2; }
  .tabitem > .column > #vb-results { order: -1; }
}
"""

# Keeps the page address in step with the search, so that it can be shared or reloaded.
URL_STATE_JS = """
(question, mode, k, publishers, docs, since, until, languages, undated) => {
  const params = new URLSearchParams();
  if (question) params.set("q", question);
  params.set("mode", mode);
  params.set("k", k);
  (publishers || []).forEach((p) => params.append("publisher", p));
  (docs || []).forEach((d) => params.append("doc", d));
  if (since) params.set("since", since);
  if (until) params.set("until", until);
  (languages || []).forEach((l) => params.append("lang", l));
  if (undated) params.set("undated", "1");
  window.history.replaceState(null, "", "?" + params.toString());
  return [question, mode, k, publishers, docs, since, until, languages, undated];
}
"""
