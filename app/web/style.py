"""The page's style, and the script that keeps its address in step with the search."""

CSS = """
.vb-results { font-size: 15px; }
.vb-summary { color: #555; margin-bottom: .5em; }
.vb-hits { padding-left: 1.4em; }
.vb-hit { margin-bottom: 1.2em; }
.vb-head { display: flex; justify-content: space-between; gap: 1em; font-weight: 600; }
.vb-score { font-weight: 400; color: #777; white-space: nowrap; }
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
.vb-eval-worst { white-space: pre-wrap; word-break: break-word; font-size: 13px; background: #f6f6f6; padding: .5em; }
@media (max-width: 640px) { .vb-head { flex-direction: column; gap: 0; } .vb-hits { padding-left: 1.1em; } }
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
