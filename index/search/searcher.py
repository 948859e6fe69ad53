"""Answer a question: dense, BM25 or hybrid retrieval, with filters, over a loaded index."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from corpus.languages import detect_language
from corpus.languages.analysis import tokenize
from corpus.languages.glossary import load_glossary
from index.config import MODES, Config, Mode
from index.errors import QueryError
from index.models.profiles import LIFT_SAMPLE, LIFT_SCALE, profile_for
from index.search.fusion import language_aware_fusion, reciprocal_rank_fusion
from index.search.hits import Hit
from index.search.querycache import QUERY_CACHE_BYTES, VectorCache
from index.store import LoadedIndex, open_index, search_text
from index.store.lexical import LexicalIndex

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
MAX_K = 1000
VERDICT_DEPTH = 10  # hits a verdict reads, whatever `k` the user asked for
# PyStemmer's stemmers keep state while they stem and must not be called from two threads at once
# (its own docs); index/store/lexical.py shares one per language. Held around every call that stems.
_STEMMING = threading.Lock()


@dataclass(frozen=True)
class Verdict:
    """Whether the hits hold a good answer: `confidence` against the calibrated threshold."""

    confidence: float
    threshold: float

    @property
    def answered(self) -> bool:
        return self.confidence >= self.threshold


def verdict_fields(verdict: Verdict | None) -> dict[str, object]:
    """"answered" and "confidence" for JSON answers: null in the BM25 modes, which cannot judge."""
    if verdict is None:
        return {"answered": None, "confidence": None}
    return {"answered": verdict.answered, "confidence": verdict.confidence}


@dataclass(frozen=True)
class Filters:
    publishers: tuple[str, ...] = ()  # case-insensitive; "amnesty" matches "Amnesty International"
    doc_ids: tuple[str, ...] = ()
    since: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD; documents without a date are left out
    until: str = ""
    languages: tuple[str, ...] = ()  # passage languages: "en", "ru", "kk"

    def active(self) -> bool:
        return bool(self.publishers or self.doc_ids or self.since or self.until or self.languages)


class Searcher:
    """Holds the index and, once first needed, the embedding model, for the life of the process."""

    def __init__(self, index: LoadedIndex, config: Config, query_cache_bytes: int = QUERY_CACHE_BYTES) -> None:
        self.index = index
        self.config = config
        self._embedder = None
        # Question vectors: a repeated question (app, evaluation) is embedded once.
        self._query_vectors = VectorCache(query_cache_bytes)
        self._loading = threading.Lock()  # the app searches from several threads: each model is loaded once
        self._plain_lexical: LexicalIndex | None = None
        self._reranker = None
        self._sample: np.ndarray | None = None  # for the lift verdict, read on first use
        self._language_of_passage = index.passages.languages
        self._languages = sorted(set(self._language_of_passage) - {""})

    @classmethod
    def open(cls, config: Config) -> Searcher:
        return cls(open_index(config), config)

    @property
    def embedder(self):
        if self._embedder is None:
            with self._loading:
                if self._embedder is None:
                    from index.models import Embedder

                    self._embedder = Embedder(self.index.model_name, self.config.batch_size)
        return self._embedder

    @property
    def reranker(self):
        if self._reranker is None:
            with self._loading:
                if self._reranker is None:
                    from index.models.rerank import Reranker

                    self._reranker = Reranker(self.config.reranker)
        return self._reranker

    @property
    def plain_lexical(self) -> LexicalIndex:
        """BM25 without stemming or stopwords, built in memory on first use (seconds for 10k passages)."""
        if self._plain_lexical is None:
            with self._loading:
                if self._plain_lexical is None:
                    texts = [search_text(p) for p in self.index.passages]
                    self._plain_lexical = LexicalIndex.build(texts, analyzer="plain")
        return self._plain_lexical

    def prepare_queries(self, questions: list[str]) -> None:
        """Embed many questions in one batch ahead of searching them (evaluation runs hundreds)."""
        todo = list(dict.fromkeys(q.strip() for q in questions if q.strip() and q.strip() not in self._query_vectors))
        if todo:
            for question, vector in zip(todo, self._embed_questions(todo), strict=True):
                self._query_vectors.put(question, vector)

    def _query_vector(self, question: str) -> np.ndarray:
        vector = self._query_vectors.get(question)
        if vector is None:
            vector = self._embed_questions([question])[0]
            self._query_vectors.put(question, vector)
        return vector

    def _embed_questions(self, questions: list[str]) -> np.ndarray:
        """Question vectors. A question in a language the index's model reads poorly (Kazakh, for
        multilingual-e5-small) is also embedded code-switched, its dictionary words in English
        (corpus/languages/glossary.py), and that vector added at CODE_SWITCH_WEIGHT: the words the model knows
        well pull the question towards the passages that answer it (README, "Across languages")."""
        vectors = self.embedder.encode_queries(questions)
        if not self.config.glossary:
            return vectors
        profile = profile_for(self.index.model_name)
        well_read = profile.languages
        switched = {}
        for row, question in enumerate(questions):
            language = question_language(question)
            if language not in well_read:
                with _STEMMING:
                    text = load_glossary().code_switch(question, language)
                if text != question:
                    switched[row] = text
        if switched:
            extra = self.embedder.encode_queries(list(switched.values()))
            for row, vector in zip(switched, extra, strict=True):
                blended = vectors[row] + profile.code_switch_weight * vector
                vectors[row] = blended / np.linalg.norm(blended)
        return vectors

    def publishers(self) -> list[str]:
        return sorted(set(self.index.documents.publishers) - {""})

    def search(
        self,
        question: str,
        *,
        mode: Mode | None = None,
        k: int | None = None,
        filters: Filters | None = None,
        rerank: bool | None = None,
    ) -> list[Hit]:
        """The `k` best passages for the question; `rerank` (default: whenever a reranker is configured)
        lets the cross-encoder reorder the top `config.rerank_depth`."""
        mode = mode or self.config.mode
        k = self.config.k if k is None else k
        question = question.strip()
        if not question:
            raise QueryError("the question is empty; type a question about the reports")
        if mode not in MODES:
            raise QueryError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        if not 1 <= k <= MAX_K:
            raise QueryError(f"k must be between 1 and {MAX_K}, not {k}")
        allowed = self._allowed(filters or Filters())
        if allowed is not None and len(allowed) == 0:
            return []

        rerank = self.config.reranker is not None if rerank is None else rerank
        if rerank and self.config.reranker is None:
            raise QueryError("no reranker is configured; give --reranker DIR (a local cross-encoder folder)")
        depth = max(k, self.config.candidates, self.config.rerank_depth if rerank else 0)
        dense: list[tuple[int, float]] = []
        lexical: list[tuple[int, float]] = []
        best_sentences: dict[int, tuple[int, float]] = {}
        query = None
        language = question_language(question)
        if mode == "bm25-plain":
            lexical = self.plain_lexical.search(question, depth, allowed)
        elif mode in ("bm25", "hybrid", "hybrid-rrf"):
            with _STEMMING:
                lexical = self.index.lexical.search(question, depth, allowed, language, self.config.glossary)
        if not mode.startswith("bm25"):
            query = self._query_vector(question)
            dense = self.index.dense.search(query, depth, allowed)
        elif self._embedder is not None:
            # The model is loaded anyway (the app): BM25 hits get their best sentence too. A BM25
            # search from the command line stays model-free and fast.
            query = self._query_vector(question)
        rescored: list[tuple[int, float]] = []
        if mode in ("hybrid", "dense-sentences"):
            rescored, best_sentences = self._rescore_by_sentences(query, dense, depth)

        if mode in ("bm25", "bm25-plain"):
            ranked = lexical
        elif mode == "dense":
            ranked = dense
        elif mode == "dense-sentences":
            ranked = rescored
        elif mode == "hybrid-rrf":
            ranked = reciprocal_rank_fusion([dense, lexical], k=self.config.rrf_k)
        else:
            candidates = {p for p, _ in rescored} | {p for p, _ in lexical}
            other = {p for p in candidates if self._language_of_passage[p] not in ("", language)}
            ranked = language_aware_fusion(rescored, lexical, self.config.dense_weight, other, self.config.cross_lingual_bm25)

        top = ranked[: max(k, self.config.rerank_depth) if rerank else k]
        if query is not None:
            # Hits that only BM25 found, or from a mode without the sentence stage, get theirs here.
            unscored = np.array([position for position, _ in top if position not in best_sentences], dtype=np.int64)
            best_sentences.update(self._best_sentences(query, unscored))
        dense_scores, bm25_scores = dict(dense), dict(lexical)
        if query is not None:
            # Every hit of a mode with a question vector shows its cosine, even one that only BM25 found.
            missing = np.array([p for p, _ in top if p not in dense_scores], dtype=np.int64)
            dense_scores.update(zip(missing.tolist(), self.index.dense.scores(query, missing).tolist(), strict=True))
        hits = []
        for rank, (position, score) in enumerate(top, start=1):
            passage = self.index.passages[position]
            row, sentence_score = best_sentences.get(position, (-1, 0.0))
            sentence = None
            if row >= 0:
                _, start, end = self.index.sentences.spans[row]
                sentence = (int(start), int(end), float(sentence_score))
            hits.append(
                Hit(
                    rank=rank,
                    score=score,
                    passage=passage,
                    document=self.index.documents[passage.doc_id],
                    dense_score=dense_scores.get(position),
                    bm25_score=bm25_scores.get(position),
                    sentence=sentence,
                )
            )
        if rerank:
            hits = self.reranker.rerank(question, hits, self.config.rerank_depth)
        return hits[:k]

    def answer(
        self, question: str, *, mode: Mode | None = None, k: int | None = None, filters: Filters | None = None
    ) -> tuple[list[Hit], Verdict | None]:
        """The `k` best passages and the verdict on them, judged on the first VERDICT_DEPTH hits
        whatever `k` is: the depth the thresholds were calibrated at."""
        k = self.config.k if k is None else k
        hits = self.search(question, mode=mode, k=max(k, VERDICT_DEPTH), filters=filters)
        return hits[:k], self.verdict(question, hits)

    def verdict(self, question: str, hits: list[Hit]) -> Verdict | None:
        """How likely the hits answer the question, or None when there is nothing to judge by.

        For most models the confidence is the mean of two plain signals: the best sentence's cosine
        among the hits (meaning), and the share of the question's content words found in the first
        hit (the names, places and numbers a question is about). For a multilingual model neither
        works: a Russian question shares no words with an English answer, and E5's cosines bunch
        high whatever the question (an unanswerable English question's best sentence scored higher
        than a Russian question's true answer). There the confidence is the best sentence's lift
        over the collection: its cosine minus the question's median cosine with the passages (a
        sample of up to LIFT_SAMPLE), times LIFT_SCALE. Hits of the BM25 modes carry no sentence
        scores and get no verdict. The threshold is the model's, or its threshold for the question's
        language where it was calibrated per language (LANGUAGE_THRESHOLDS).
        """
        scores = [hit.sentence[2] for hit in hits[:VERDICT_DEPTH] if hit.sentence is not None]
        if not scores:
            return None
        threshold = self.config.threshold_for(self.index.model_name, question_language(question))
        if profile_for(self.index.model_name).confidence == "lift":
            typical = float(np.median(self._lift_sample() @ self._query_vector(question)))
            return Verdict(round(min(1.0, max(0.0, LIFT_SCALE * (max(scores) - typical))), 4), threshold)
        with _STEMMING:
            words = set(tokenize(question))
            found = len(words & set(tokenize(hits[0].passage.text))) / len(words) if words else 0.0
        return Verdict(round(0.5 * max(scores) + 0.5 * found, 4), threshold)

    def _lift_sample(self) -> np.ndarray:
        """Passage vectors spread evenly over the collection: what a typical passage is like."""
        if self._sample is None:
            size = self.index.dense.size
            positions = np.unique(np.linspace(0, size - 1, min(size, LIFT_SAMPLE)).astype(np.int64))
            self._sample = np.ascontiguousarray(self.index.dense.rows(positions), dtype=np.float32)
        return self._sample

    def _rescore_by_sentences(
        self, query: np.ndarray, dense: list[tuple[int, float]], depth: int
    ) -> tuple[list[tuple[int, float]], dict[int, tuple[int, float]]]:
        """The dense candidates, scored by passage and best-sentence cosine."""
        candidates = np.array([p for p, _ in dense], dtype=np.int64)
        if len(candidates) == 0:
            return [], {}
        passage_scores = self.index.dense.scores(query, candidates)
        sentence_scores, rows = self.index.sentences.best(query, candidates)
        weight = self.config.sentence_weight
        combined = np.where(rows >= 0, (1 - weight) * passage_scores + weight * sentence_scores, passage_scores)
        order = np.argsort(-combined, kind="stable")[:depth]
        ranked = [(int(candidates[i]), float(combined[i])) for i in order]
        best = {int(candidates[i]): (int(rows[i]), float(sentence_scores[i])) for i in order}
        return ranked, best

    def _best_sentences(self, query: np.ndarray, positions: np.ndarray) -> dict[int, tuple[int, float]]:
        scores, rows = self.index.sentences.best(query, positions)
        return {int(p): (int(r), float(s)) for p, r, s in zip(positions, rows, scores, strict=True)}

    def _allowed(self, filters: Filters) -> np.ndarray | None:
        """Positions of the passages the filters let through, or None when no filter is set."""
        if not filters.active():
            return None
        documents = self.index.documents  # filtered by its columns: no document is read from disk
        keep = np.ones(len(documents), dtype=bool)
        if filters.doc_ids:
            unknown = [d for d in filters.doc_ids if d not in documents]
            if unknown:
                raise QueryError(f"unknown document {unknown[0]!r}; known: {', '.join(sorted(documents))}")
            keep[:] = False
            keep[[documents.number(d) for d in filters.doc_ids]] = True
        if filters.publishers:
            wanted = [p.casefold() for p in filters.publishers]
            publishers = {p: p.casefold() for p in set(documents.publishers)}
            for name in wanted:
                if not any(name in folded for folded in publishers.values()):
                    raise QueryError(f"unknown publisher {name!r}; known: {'; '.join(self.publishers())}")
            chosen = {p for p, folded in publishers.items() if any(w in folded for w in wanted)}
            keep &= np.array([p in chosen for p in documents.publishers], dtype=bool)
        if filters.since or filters.until:
            low = _date_bounds(filters.since, "since")[0] if filters.since else "0000-00-00"
            high = _date_bounds(filters.until, "until")[1] if filters.until else "9999-99-99"
            if low > high:
                raise QueryError(f"the date range is empty: since {filters.since} is after until {filters.until}")
            dates = {d for d in set(documents.dates) if d and _date_bounds(d)[1] >= low and _date_bounds(d)[0] <= high}
            keep &= np.array([d in dates for d in documents.dates], dtype=bool)
        allowed = keep[self.index.passages.document_numbers]
        if filters.languages:
            present = self.languages()
            unknown = [x for x in filters.languages if x not in present]
            if unknown:
                raise QueryError(f"no passage in language {unknown[0]!r}; this index has {', '.join(present)}")
            allowed &= np.isin(self._language_of_passage, list(filters.languages))
        return np.flatnonzero(allowed)

    def languages(self) -> list[str]:
        return list(self._languages)


_LANGUAGE_CACHED_UP_TO = 2_000  # characters: the cache holds 1,024 questions, so at most a few MB


def question_language(question: str) -> str:
    """"en", "ru" or "kk": asked once per question, though search, embedding and verdict all need it."""
    if len(question) > _LANGUAGE_CACHED_UP_TO:
        return detect_language(question) or "en"
    return _cached_language(question)


@lru_cache(maxsize=1024)
def _cached_language(question: str) -> str:
    return detect_language(question) or "en"


def _date_bounds(value: str, name: str = "date") -> tuple[str, str]:
    """The first and last day a partial date covers, as comparable strings."""
    if not _DATE.match(value):
        raise QueryError(f"--{name} {value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    parts = value.split("-")
    low = "-".join(parts + ["01"] * (3 - len(parts)))
    high = "-".join(parts + ["12", "31"][len(parts) - 1 :]) if len(parts) < 3 else value
    return low, high
