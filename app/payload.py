"""The JSON the interfaces give: `verbatim ask --json` and the /ask API (one answer), the page's
collection (hits with their citation records) and `verbatim eval --json` (an evaluation)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from app.markdown import citation_markdown
from index.search.duplicates import fold_near_duplicates
from index.search.hits import Hit

if TYPE_CHECKING:  # only for their types: the CLI's `ask` need not import the evaluation
    from app.request import SearchRequest
    from eval.runner import Evaluation
    from index.search import Verdict

_LOCATED = ("doc_id", "title", "publisher", "date", "url", "path")


def answer_payload(request: SearchRequest, hits: list[Hit], verdict: Verdict | None) -> dict[str, object]:
    """The question, its mode, the verdict on the hits (its outcome, confidence and quote), and the hits."""
    return {"question": request.question, "mode": request.mode, **verdict_payload(verdict, hits), "hits": hits_payload(hits)}


def verdict_payload(verdict: Verdict | None, hits: list[Hit]) -> dict[str, object]:
    """"answered" (true for an answer, full or partial), "outcome" ("answered", "partly answered",
    "not found"), its "label", "confidence" and "threshold", the question's anchors found and
    "missing" (and "unknown" to the whole collection), the "explanation" a person reads, and the
    best supporting "quote" with its citation; "exact": true when the question only asked for quoted
    phrases (or OR'ed words) and the hits hold them word for word. All null when there is no hit to judge."""
    if verdict is None:
        return {"answered": None, "outcome": None, "label": None, "confidence": None, "threshold": None,
                "explanation": None, "anchors": None, "quote": None, "exact": None}
    from index.search.verdict import supporting_quote

    quoted = supporting_quote(verdict, hits)
    quote = None
    if quoted is not None and verdict.quote is not None:
        hit, text, citation = quoted
        start, end = verdict.quote.start, verdict.quote.end
        quote = {"rank": hit.rank, "doc_id": hit.document.doc_id, "start": start, "end": end, "text": text,
                 "citation": citation, "record": citation_record(hit, start, end)}
    return {"answered": verdict.answered, "outcome": verdict.outcome, "label": verdict.label,
            "confidence": verdict.confidence, "threshold": verdict.threshold, "explanation": verdict.explanation(),
            "anchors": {"found": list(verdict.found), "missing": list(verdict.missing), "unknown": list(verdict.unknown)},
            "quote": quote, "exact": verdict.exact}


def hits_payload(hits: list[Hit]) -> list[dict[str, object]]:
    """Each hit with "duplicate_of", the rank of the better hit it repeats (or null)."""
    duplicate_of = {id(repeat): folded.hit.rank for folded in fold_near_duplicates(hits) for repeat in folded.also_in}
    return [{**hit_payload(hit), "duplicate_of": duplicate_of.get(id(hit))} for hit in hits]


def hit_payload(hit: Hit) -> dict[str, object]:
    """A hit: where its passage is and its text; the citation (plain and Markdown) and citation
    record of the passage as a quote (its sentences, without the heading lines above them); its
    scores; its best sentence with that sentence's own record; and where the question's quoted
    phrases (or OR'ed words) are in it ("matches")."""
    record = citation_record(hit)
    p = hit.passage
    return {
        "rank": hit.rank,
        "score": round(hit.score, 6),
        "passage_id": hit.passage.passage_id,
        **{key: record[key] for key in _LOCATED},
        "start": p.start,
        "end": p.end,
        "text": p.text,
        "section": p.section,
        "paragraphs": list(p.paragraphs),
        "page": p.page,
        "language": p.language,
        "citation": record["citation"],
        "citation_markdown": record["markdown"],
        "record": record,
        "scores": {"dense": _rounded(hit.dense_score), "bm25": _rounded(hit.bm25_score),
                   "rerank": _rounded(hit.rerank_score)},
        "sentence": None if hit.sentence is None else {
            "start": hit.sentence[0],
            "end": hit.sentence[1],
            "text": hit.document.text[hit.sentence[0] : hit.sentence[1]],
            "score": round(hit.sentence[2], 6),
            "record": citation_record(hit, hit.sentence[0], hit.sentence[1]),
        },
        "matches": [{"start": start, "end": end, "text": hit.document.text[start:end]} for start, end in hit.matches],
    }


def citation_record(hit: Hit, start: int | None = None, end: int | None = None) -> dict[str, object]:
    """The citation record of a span of the hit's passage (its quote by default): what `verbatim
    verify` checks and the page collects and exports, with its Markdown."""
    return {**hit.record(start, end), "markdown": citation_markdown(hit, start, end)}


def evaluation_payload(evaluation: Evaluation, hits_per_question: int = 10) -> dict[str, object]:
    """Metrics per mode, the rank of each question's first relevant hit per mode, and the runs' top hits."""
    runs = evaluation.runs
    return {
        "name": evaluation.name,
        "metrics": {mode: run.metrics for mode, run in runs.items()},
        # Each mode against the first: the mean per-question difference and its 95 % interval.
        "differences": {mode: {metric: asdict(difference) | {"clear": difference.clear}
                               for metric, difference in by_metric.items()}
                        for mode, by_metric in evaluation.differences.items()},
        "per_question": {qid: {mode: run.ranks[qid] for mode, run in runs.items()} for qid in evaluation.questions},
        "runs": {
            mode: {qid: [hit_payload(hit) for hit in hits[:hits_per_question]] for qid, hits in run.hits.items()}
            for mode, run in runs.items()
        },
    }


def _rounded(score: float | None) -> float | None:
    return None if score is None else round(score, 6)
