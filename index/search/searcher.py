"""Answer a question over a loaded index, as a sequence of named stages:

    check the request → select by filters, and by the question's phrases, exclusions and OR (syntax.py,
    exact.py) → prepare the question (language, vector) → prefer the
    reports it names by country or year, and ask the passages the rest → retrieve (each retriever
    of the mode, and every passage of the preferred reports) → rescore dense candidates by
    sentences → fuse → lift by the report's preference → other States' recommendation lists after the
    State's own words (recommendations.py) → best sentences of the top hits → hits
    with citations (and where their phrases are, the phrase's sentence their best) → rerank → verdict

A question without the search syntax goes through the same stages as it always did: parsing gives
it back as it is, and no stage of the syntax reads the passages' text.

Every mode gets the same stages after retrieval: each hit its best sentence and its cosine, and
every answer a verdict, whatever the mode and whatever ran before in the process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from index.config import Config
from index.errors import QueryError
from index.models.profiles import profile_for
from index.search.exact import ExactText
from index.search.filters import Filters, passage_languages, publishers, select
from index.search.fusion import language_aware_fusion, reciprocal_rank_fusion
from index.search.hits import Hit
from index.search.modes import ModeSpec, mode_spec
from index.search.query import PreparedQuery, QuestionEncoder, question_language
from index.search.querycache import QUERY_CACHE_BYTES
from index.search.recommendations import after_recommendation_lists
from index.search.retrievers import BM25Retriever, DenseRetriever, PlainBM25Retriever, Ranked, Retriever
from index.search.sentences import BestSentences, best_sentences, phrase_sentence, rescore_by_sentences, sentence_span
from index.search.subjects import DocumentPreference, DocumentSubjects, lift_by_document, preferred_documents
from index.search.syntax import ParsedQuery, parse_query
from index.search.verdict import VERDICT_DEPTH, Judge, Verdict, exact_verdict, with_phrases
from index.store import LoadedIndex, open_index

if TYPE_CHECKING:  # loaded on first use: a BM25-only process never imports the model's runtime
    from index.models import Embedder
    from index.models.rerank import Reranker

MAX_K = 1000
# At most this many passages of the preferred reports join each retriever's list: three UN reports
# are about 350 passages; a long book-length report should not make every question slow.
EXPANSION = 600

__all__ = ["MAX_K", "VERDICT_DEPTH", "Filters", "Searcher", "Verdict", "question_language"]


class Searcher:
    """Holds the index and, once first needed, the embedding model, for the life of the process.
    Safe to call from several threads at once (the app searches side by side)."""

    def __init__(self, index: LoadedIndex, config: Config, query_cache_bytes: int = QUERY_CACHE_BYTES) -> None:
        self.index = index
        self.config = config
        self.profile = profile_for(index.model_name)
        self._embedder: Embedder | None = None
        self._reranker: Reranker | None = None
        self._loading = threading.Lock()  # each model is loaded once, whichever thread asks first
        self.questions = QuestionEncoder(lambda: self.embedder, self.profile, glossary=config.glossary,
                                         cache_bytes=query_cache_bytes)
        self._retrievers: dict[str, Retriever] = {
            "dense": DenseRetriever(index),
            "bm25": BM25Retriever(index, glossary=config.glossary),
            "bm25-plain": PlainBM25Retriever(index),
        }
        self._judge = Judge(index, self.profile)
        self._subjects = DocumentSubjects(index)
        self._exact = ExactText(index)

    @classmethod
    def open(cls, config: Config) -> Searcher:
        return cls(open_index(config), config)

    def with_index(self, index: LoadedIndex) -> Searcher:
        """A searcher of another index (a rebuild of this one) with the same settings. Its models are
        this one's when both indexes were made by the same model, so the swap costs no model load,
        and so are the question vectors already made."""
        successor = Searcher(index, self.config)
        if index.model_name == self.index.model_name:
            successor._embedder = self._embedder
            successor.questions.cache = self.questions.cache
        successor._reranker = self._reranker
        return successor

    @property
    def embedder(self):
        if self._embedder is None:
            with self._loading:
                if self._embedder is None:
                    from index.models import Embedder  # noqa: F811 (at run time, here)

                    self._embedder = Embedder(self.index.model_name, self.config.batch_size)
        return self._embedder

    @property
    def reranker(self):
        if self._reranker is None:
            with self._loading:
                if self._reranker is None:
                    from index.models.rerank import Reranker  # noqa: F811 (at run time, here)

                    if self.config.reranker is None:
                        raise QueryError("no reranker is configured; give a local cross-encoder folder", field="rerank")
                    self._reranker = Reranker(self.config.reranker)
        return self._reranker

    def unread_language(self, question: str) -> str | None:
        """The question's language when the index's model does not read it (a Russian question on
        the English model: its answers are weak), else None."""
        language = question_language(question.strip())
        return None if language in self.profile.question_languages else language

    def match_band(self, question: str) -> tuple[float, float]:
        """The best-sentence cosines under which a hit is a weak match and from which a strong one,
        for the question's language (the model's profile)."""
        return self.profile.match_band_for(question_language(question.strip()))

    def publishers(self) -> list[str]:
        return publishers(self.index)

    def languages(self) -> list[str]:
        return passage_languages(self.index)

    def search(self, question: str, *, mode: str | None = None, k: int | None = None,
               filters: Filters | None = None, rerank: bool | None = None) -> list[Hit]:
        """The `k` best passages for the question; `rerank` (default: whenever a reranker is configured)
        lets the cross-encoder reorder the top `config.rerank_depth`."""
        spec, k, rerank = self._checked(question, mode, k, rerank)
        parsed = self.parse(question)
        allowed = self._allowed(parsed, filters)
        if allowed is not None and len(allowed) == 0:
            return []
        query = self.questions.prepare(parsed.text)
        preference = self._preference(spec, query, allowed)
        asked = self._asked(query, preference)
        depth = max(k, self.config.candidates, self.config.rerank_depth if rerank else 0)
        lists = self._retrieve(spec, asked, depth, allowed, preference, every_allowed=not parsed.plain)
        ranked, sentences = self._rank(spec, asked, lists, sum(len(ranking) for ranking in lists.values()))
        if preference is not None:
            ranked = lift_by_document(ranked, self.index.passages.document_numbers, preference, self.config.document_weight)
        if spec.documents:  # bm25-plain stays the BEIR baseline, words only
            ranked = after_recommendation_lists(ranked, self.index, parsed.text)
        query = asked  # the best sentences are the passage's answer to what the passages were asked
        top = ranked[: max(k, self.config.rerank_depth) if rerank else k]
        sentences.update(best_sentences(self.index, query.vector, [p for p, _ in top if p not in sentences]))
        hits = self._hits(query, top, lists, sentences)
        if parsed.required:
            hits = self._marked(parsed, query, hits)
        if rerank:
            hits = self.reranker.rerank(query.text, hits, self.config.rerank_depth)
        return hits[:k]

    def search_many(self, questions: Sequence[str], *, mode: str | None = None, k: int | None = None,
                    filters: Filters | None = None, rerank: bool | None = None) -> list[list[Hit]]:
        """Each question's hits, as `search` gives them; the questions are embedded in one batch first."""
        self.questions.embed_many([self.parse(q).text for q in questions])
        return [self.search(q, mode=mode, k=k, filters=filters, rerank=rerank) for q in questions]

    def forget_questions(self) -> None:
        """Drop the cached question vectors (a benchmark times a question's embedding too)."""
        self.questions.cache.clear()

    def answer(self, question: str, *, mode: str | None = None, k: int | None = None,
               filters: Filters | None = None) -> tuple[list[Hit], Verdict | None]:
        """The `k` best passages and the verdict on them, judged on the first VERDICT_DEPTH hits
        whatever `k` is: the depth the thresholds were calibrated at. When the verdict's quote is in
        a passage ranked below `k`, the passages run down to it: an answer is never shown without
        the passage its quote comes from."""
        k = self.config.k if k is None else k
        hits = self.search(question, mode=mode, k=max(k, VERDICT_DEPTH), filters=filters)
        verdict = self.verdict(question, hits, mode=mode, filters=filters)
        shown = max(k, verdict.quote.rank) if verdict is not None and verdict.quote is not None else k
        return hits[:shown], verdict

    def verdict(self, question: str, hits: list[Hit], *, mode: str | None = None,
                filters: Filters | None = None) -> Verdict | None:
        """How likely the hits answer the question (verdict.py), or None with no hit to judge. The
        hits' sentences were chosen for what the passages were asked (the question, less the
        countries its report preference read), so that is the vector they are judged against; the
        words that must be found are the whole question's (less its operators and excluded words). A
        question made only of quoted phrases or OR'ed words asks whether they are there: the passages
        that hold them answer it (verdict.exact_verdict); with other words too, it is found at least
        in part (verdict.with_phrases)."""
        parsed = self.parse(question)
        query = self.questions.prepare(parsed.text)
        threshold = self.config.threshold_for(self.index.model_name, query.language)
        if parsed.lookup:
            return exact_verdict(parsed, hits, threshold)
        allowed = self._allowed(parsed, filters)
        asked = self._asked(query, self._preference(mode_spec(mode or self.config.mode), query, allowed))
        judged = PreparedQuery(query.text, query.language, asked.vector)
        verdict = self._judge(judged, hits, threshold, asked.text)
        return verdict if verdict is None or not parsed.required else with_phrases(verdict, parsed, hits)

    @staticmethod
    def parse(question: str) -> ParsedQuery:
        """The question's phrases, exclusions and OR (syntax.py); QueryError when nothing is left to
        search for (only excluded words)."""
        parsed = parse_query(question)
        if not parsed.text.strip():
            raise QueryError("the question only holds words to leave out; add what to search for", field="question")
        return parsed

    def _checked(self, question: str, mode: str | None, k: int | None, rerank: bool | None) -> tuple[ModeSpec, int, bool]:
        spec = mode_spec(mode or self.config.mode)
        k = self.config.k if k is None else k
        if not question.strip():
            raise QueryError("the question is empty; type a question about the reports", field="question")
        if not 1 <= k <= MAX_K:
            raise QueryError(f"k must be between 1 and {MAX_K}, not {k}", field="k")
        rerank = self.config.reranker is not None if rerank is None else rerank
        if rerank and self.config.reranker is None:
            raise QueryError("no reranker is configured; give a local cross-encoder folder", field="rerank")
        return spec, k, rerank

    def _allowed(self, parsed: ParsedQuery, filters: Filters | None) -> np.ndarray | None:
        """The positions the filters let through (None: all), less those the question's syntax rules out."""
        allowed = select(filters or Filters(), self.index)
        if parsed.plain or (allowed is not None and len(allowed) == 0):
            return allowed
        return self._exact.allowed(parsed, allowed)

    def _marked(self, parsed: ParsedQuery, query: PreparedQuery, hits: list[Hit]) -> list[Hit]:
        """Each hit with where its phrases are, and the sentence that holds one as its best sentence
        (what the page marks and the quote is chosen from)."""
        marked = []
        for hit in hits:
            spans = self._exact.spans(parsed, hit.passage.text, hit.passage.start)
            if not spans or hit.position is None:
                marked.append(hit)
                continue
            fallback = hit.dense_score if hit.dense_score is not None else 0.0
            sentence = phrase_sentence(self.index, query.vector, hit.position, spans, fallback)
            marked.append(replace(hit, matches=spans, sentence=sentence))
        return marked

    def _preference(self, spec: ModeSpec, query: PreparedQuery, allowed: np.ndarray | None) -> DocumentPreference | None:
        """The reports the question names by country, year or publisher, or None (subjects.py)."""
        if not spec.documents or self.config.document_weight <= 0:
            return None
        return self._subjects.prefer(query.text, year_weight=self.config.year_weight, allowed=allowed)

    def _asked(self, query: PreparedQuery, preference: DocumentPreference | None) -> PreparedQuery:
        """What the passages are asked: the question, less the countries the preference already reads."""
        if preference is None or preference.passage_question == query.text:
            return query
        text = preference.passage_question
        return PreparedQuery(text, query.language, self.questions.vector(text))

    def _retrieve(self, spec: ModeSpec, query: PreparedQuery, depth: int, allowed: np.ndarray | None,
                  preference: DocumentPreference | None, every_allowed: bool = False) -> dict[str, Ranked]:
        """Each retriever's best `depth`; where the question's countries tell the reports apart, also
        the best EXPANSION of the passages of the best-preferred reports (within the filters) that
        it scores at all, best first. With `every_allowed` (a phrase's passages), when no more than
        `depth` are allowed each retriever scores them all: an IVF index, which looks in only some
        of its lists, would miss some of a few passages."""
        if every_allowed and allowed is not None and len(allowed) <= depth:
            return {name: sorted(self._retrievers[name].score_all(query, allowed), key=lambda pair: -pair[1])
                    for name in spec.retrievers}
        lists: dict[str, Ranked] = {name: self._retrievers[name].retrieve(query, depth, allowed) for name in spec.retrievers}
        if preference is None or not preference.distinguishing:
            return lists
        documents = preferred_documents(preference, lists.values(), self.index.passages.document_numbers,
                                        self.config.preferred_documents)
        positions = self.index.passages.positions_of(documents)
        if allowed is not None:
            positions = np.intersect1d(positions, allowed)
        for name, ranking in lists.items():
            seen = {p for p, _ in ranking}
            scored = sorted(self._retrievers[name].score_all(query, positions), key=lambda pair: -pair[1])
            extra = [(p, s) for p, s in scored if p not in seen][:EXPANSION]
            lists[name] = sorted([*ranking, *extra], key=lambda pair: -pair[1])
        return lists

    def _rank(self, spec: ModeSpec, query: PreparedQuery, lists: dict[str, Ranked], depth: int) -> tuple[Ranked, BestSentences]:
        """One ranked list from the retrievers' lists, as the mode says, and the best sentences found on the way."""
        sentences: BestSentences = {}
        dense = lists.get("dense", [])
        if spec.sentences_rescore:
            dense, sentences = rescore_by_sentences(self.index, query.vector, dense, depth, self.config.sentence_weight)
        lexical = lists.get("bm25", lists.get("bm25-plain", []))
        if spec.fusion == "rrf":
            return reciprocal_rank_fusion([lists["dense"], lexical], k=self.config.rrf_k), sentences
        if spec.fusion == "language-aware":
            languages = self.index.passages.languages
            other = {p for p, _ in (*dense, *lexical) if languages[p] not in ("", query.language)}
            fused = language_aware_fusion(dense, lexical, self.config.dense_weight, other, self.config.cross_lingual_bm25)
            return fused, sentences
        return (dense if "dense" in spec.retrievers else lexical), sentences

    def _hits(self, query: PreparedQuery, top: Ranked, lists: dict[str, Ranked], sentences: BestSentences) -> list[Hit]:
        """Hits with their documents, each retriever's score and best sentence. Every hit shows its
        cosine, even one that only BM25 found."""
        dense_scores = dict(lists.get("dense", []))
        bm25_scores = dict(lists.get("bm25", lists.get("bm25-plain", [])))
        missing = np.array([p for p, _ in top if p not in dense_scores], dtype=np.int64)
        dense_scores.update(zip(missing.tolist(), self.index.dense.scores(query.vector, missing).tolist(), strict=True))
        hits = []
        for rank, (position, score) in enumerate(top, start=1):
            passage = self.index.passages[position]
            hits.append(Hit(rank=rank, score=score, passage=passage, document=self.index.documents[passage.doc_id],
                            dense_score=dense_scores.get(position), bm25_score=bm25_scores.get(position),
                            sentence=sentence_span(self.index, sentences.get(position)), position=position,
                            sentences=self.index.sentences.spans_of(position)))
        return hits
