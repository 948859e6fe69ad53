"""BM25 over the same passages, with bm25s.

Two analyzers: "english" (the default, and better measured) and "plain" (lower-cased words only,
k1=1.2, b=0.75: Elasticsearch's defaults, as in the BEIR paper's BM25 baseline, which it reproduces).

The "english" analyzer reads each word in its own script, as its language's profile says
(corpus/languages/profiles.py, analysis.py): Latin words lose English stopwords and get Snowball
English stems; Cyrillic words in a Russian passage or question lose Russian stopwords and get
Snowball Russian stems; Kazakh has no Snowball stemmer, so Kazakh words are kept whole
(lower-cased), and match only the same word form. With `transliterate` (the default) every word of a
language that transliterates (Russian, Kazakh) also yields its Latin spelling, English-stemmed, so
Токаев finds Tokayev and Алматы finds Almaty, whichever side is Cyrillic.
"""

from __future__ import annotations

import bisect
import json
import math
import threading
from pathlib import Path

import numpy as np

from corpus.languages.analysis import PREFIX, same_word, tokenize, tokenize_plain
from corpus.languages.glossary import load_glossary

SETTINGS = "settings.json"
ANALYZERS = {"english": (tokenize, {}), "plain": (tokenize_plain, {"k1": 1.2, "b": 0.75})}


class LexicalIndex:
    def __init__(self, retriever, analyzer: str = "english", transliterate_names: bool = False) -> None:  # a bm25s.BM25
        self._retriever = retriever
        self._tokenize = ANALYZERS[analyzer][0]
        self.analyzer = analyzer
        self.transliterate_names = transliterate_names
        self._vocabulary: list[str] | None = None  # sorted, read on first use
        self._sorting = threading.Lock()

    @classmethod
    def build(
        cls, texts: list[str], languages: list[str] | None = None, analyzer: str = "english", transliterate_names: bool = False
    ) -> LexicalIndex:
        import bm25s
        from bm25s.tokenization import Tokenized

        tokenize_text, parameters = ANALYZERS[analyzer]
        languages = languages or ["en"] * len(texts)
        retriever = bm25s.BM25(**parameters)
        # Words become ids passage by passage, in the order first seen: bm25s handed the words
        # themselves keeps every passage's list of strings alive while it counts (3.6 GB peak at 150k
        # passages, against 1.3 GB so; the same scores, measured). The ids' order is the vocabulary's.
        # An empty passage would leave bm25s with a document of no tokens: give it a placeholder.
        vocabulary: dict[str, int] = {}
        ids = [[vocabulary.setdefault(word, len(vocabulary)) for word in words]
               for words in (tokenize_text(t, lang, transliterate_names) or ["\u2205"]
                             for t, lang in zip(texts, languages, strict=True))]
        retriever.index(Tokenized(ids=ids, vocab=vocabulary), show_progress=False)
        return cls(retriever, analyzer, transliterate_names)

    def search(
        self, query: str, k: int, allowed: np.ndarray | None = None, language: str = "en", translate: bool = False
    ) -> list[tuple[int, float]]:
        """Best `k` passages as (position, BM25 score); passages sharing no term are left out.
        `translate` also asks for the other languages' words of the field's terms (corpus/languages/glossary.py)."""
        scores = self.scores(query, language, translate)
        if scores is None:
            return []
        if allowed is not None:
            mask = np.zeros(len(scores), dtype=bool)
            mask[allowed] = True
            scores = np.where(mask, scores, 0.0)
        k = min(k, int(np.count_nonzero(scores > 0)))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top]

    def scores(self, query: str, language: str = "en", translate: bool = False) -> np.ndarray | None:
        """Every passage's BM25 score for the query (in the order of the vectors), or None when the
        index knows none of its words."""
        tokens = self.query_tokens(query, language, translate)
        return self.scores_of(tokens) if tokens else None

    def query_tokens(self, query: str, language: str = "en", translate: bool = False) -> list[str]:
        """The query's words as this index reads them, those it holds only (empty: none)."""
        tokens = self._tokenize(query, language, self.transliterate_names)
        if translate:
            tokens += [t for t in load_glossary().translate(query, language) if t not in tokens]
        return self._known(tokens)

    def scores_of(self, tokens: list[str]) -> np.ndarray:
        """Every passage's BM25 score for these known tokens (a sharded index asks its shards: index/cluster/)."""
        return self._retriever.get_scores(tokens)

    def passages_with_all(self, tokens: list[str]) -> np.ndarray:
        """The positions of the passages that hold every one of these tokens, in order: read from the
        index's postings (bm25s keeps a column of passages per token), no passage is read."""
        known = self._known(tokens)
        if len(known) < len(set(tokens)):
            return np.zeros(0, dtype=np.int64)
        vocabulary, scores = self._retriever.vocab_dict, self._retriever.scores
        indptr, indices = scores["indptr"], scores["indices"]
        held: np.ndarray | None = None
        for token in sorted(set(known), key=lambda t: indptr[vocabulary[t] + 1] - indptr[vocabulary[t]]):
            column = vocabulary[token]
            passages = np.unique(np.asarray(indices[indptr[column] : indptr[column + 1]], dtype=np.int64))
            held = passages if held is None else np.intersect1d(held, passages, assume_unique=True)
            if len(held) == 0:
                break
        return np.zeros(0, dtype=np.int64) if held is None else held

    def idf(self, token: str) -> float | None:
        """The token's inverse document frequency over the passages, as BM25 weighs it (Lucene's
        form, never negative); None for a token no passage holds."""
        known = self._known([token])
        if not known:
            return None
        indptr = self._retriever.scores["indptr"]
        column = self._retriever.vocab_dict[known[0]]
        frequency = int(indptr[column + 1] - indptr[column])
        passages = int(self._retriever.scores["num_docs"])
        return math.log(1 + (passages - frequency + 0.5) / (frequency + 0.5))

    def holds_any(self, tokens: frozenset[str]) -> bool:
        """Whether any passage holds any of these tokens (as this index analyses words)."""
        return bool(self._known(list(tokens)))

    def holds_word(self, token: str) -> bool:
        """Whether any passage holds this token or an inflected form of it (index/search/anchors.py)."""
        return bool(self._forms_of(token))

    def holds_word_in(self, token: str, positions: np.ndarray) -> bool:
        """Whether any passage at `positions` holds this token or an inflected form of it: read from
        the index's own postings, so that a long report is never read again for it."""
        if len(positions) == 0:
            return False
        return any(bool(np.any(self._retriever.get_scores([form])[positions] > 0)) for form in self._forms_of(token))

    def _forms_of(self, token: str) -> list[str]:
        """The token and its inflected forms (corpus/languages/analysis.py) that the index holds: the
        exact one may be in other reports only, so both are looked for."""
        forms = self._known([token])
        if len(token) >= PREFIX:
            vocabulary = self._sorted_vocabulary()
            first = bisect.bisect_left(vocabulary, token[:PREFIX])
            last = bisect.bisect_left(vocabulary, token[:PREFIX] + "\U0010ffff")
            forms += [v for v in vocabulary[first:last] if v != token and same_word(token, frozenset({v}))]
        return forms

    def _sorted_vocabulary(self) -> list[str]:
        if self._vocabulary is None:
            with self._sorting:
                if self._vocabulary is None:
                    self._vocabulary = sorted(self._known(list(self._retriever.vocab_dict)))
        return self._vocabulary

    def _known(self, tokens: list[str]) -> list[str]:
        """The tokens that have a column in the index. bm25s's vocabulary also holds the empty string
        with an id past its matrix, and asking for it raises "maximum token ID ... is higher"."""
        vocabulary, columns = self._retriever.vocab_dict, len(self._retriever.scores["indptr"]) - 1
        return [t for t in tokens if t and vocabulary.get(t, columns) < columns]

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder), show_progress=False)
        # Its own settings beside its arrays: a loaded index tokenizes questions as its build did.
        settings = {"analyzer": self.analyzer, "transliterate_names": self.transliterate_names}
        (folder / SETTINGS).write_text(json.dumps(settings) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        settings = json.loads((folder / SETTINGS).read_text(encoding="utf-8"))
        if not isinstance(settings, dict) or not isinstance(settings.get("transliterate_names"), bool):
            raise ValueError(f"{SETTINGS} does not say whether names are transliterated")
        retriever = bm25s.BM25.load(str(folder), show_progress=False, allow_pickle=False)
        return cls(retriever, str(settings.get("analyzer", "english")), settings["transliterate_names"])
