"""What an index is made of, and the one place a build can be given another way of making it.

A build (`write_components`, index/store/build.py) asks its `Components` for a `Plan` (what it will
make: counts, languages, the model's facts, the bytes it needs), takes the lock and the staging
folder, asks for the `Parts`, saves each under its file name, records every file in the manifest
and publishes the folder. What the parts are made from is the Components' business:

- `EmbeddedComponents` (every `verbatim index` and BEIR build): documents and passages, embedded
  with a model, BM25 analysed from their words under their report's title and section;
- bench/scale.py's grown collection: copies of a real index's passages, their vectors, sentences
  and words, without a model, so that a million passages are written and loaded like any index.

A part is anything with `save(path)`: the store's own (DenseIndex, SentenceIndex, LexicalIndex,
`Tables`, `SentenceRows`) write the files that load.py reads, in the formats it reads.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from corpus.documents import Document, Passage
from corpus.reading import reading_text
from index.models import reads_titles
from index.store.dense import EXACT_UP_TO, DenseIndex
from index.store.lexical import LexicalIndex
from index.store.manifest import ModelFacts
from index.store.sentences import SPANS, VECTORS, SentenceIndex, passage_sentences

Progress = Callable[[int], None]


class Part(Protocol):
    def save(self, path: Path) -> None: ...


@dataclass(frozen=True)
class Plan:
    """What a build will make, known before anything is embedded."""

    documents: int
    passages: int
    sentences: int
    texts: int  # how many texts will be embedded (a build's `on_start` hears it)
    needed_bytes: int  # at least what the index takes on disk (`needed_bytes`): a build that cannot fit is refused first
    languages: dict[str, int]  # passages per language
    model: ModelFacts  # name, dimension, runtime
    transliterate: bool  # whether BM25 also holds Cyrillic words in Latin letters


@dataclass(frozen=True)
class Parts:
    dense: DenseIndex  # saved as dense.faiss
    sentences: Part  # saves sentence_vectors.npy and sentences.npy into the folder it is given
    lexical: Part  # saves bm25s's files into the folder bm25/
    tables: Part  # saves documents.jsonl and passages.jsonl into the folder it is given
    embedding: Mapping[str, int] = field(default_factory=dict)  # texts embedded and reused (the manifest's "embedding")


class Components(Protocol):
    """How a build makes an index's parts (see the module's docstring)."""

    def plan(self) -> Plan: ...

    def make(self, progress: Progress | None) -> Parts:
        """The parts, embedded and indexed; `progress` hears how many texts each batch of embedding held."""
        ...


def needed_bytes(passages: int, sentences: int, dimension: int, characters: int) -> int:
    """Less than an index will take on disk: its vectors and its texts (`characters`: documents' and
    passages' together), once each (BM25 and the JSON around the texts not counted), so that a build
    refused for want of space could never have fitted."""
    vector = dimension * (4 if passages <= EXACT_UP_TO else 1)
    return passages * vector + sentences * (2 * dimension + 24) + characters


def search_text(passage: Passage) -> str:
    """What the retrievers read: the passage with its line breaks and indentation folded, and words
    broken at line ends joined (corpus/reading.py); quotes and offsets stay the canonical text."""
    return reading_text(passage.text)


def titled_text(passage: Passage, document: Document) -> str:
    """The document's title, then the passage: what a passage's vector is made from for a model
    that reads titles (`reads_titles`). A passage rarely restates what its report is about ("as
    many as 1,000 people were detained in Nur-Sultan" never says "after the presidential
    election"; the title does). BM25 and the sentences read the passage alone, and quotes and
    offsets never include the title."""
    text, title = search_text(passage), " ".join(document.title.split())
    if not title or text.startswith(title):  # a BEIR passage already starts with its title
        return text
    return f"{title}. {text}"


def contextual_text(passage: Passage, document: Document) -> str:
    """What BM25 reads of a passage: its report's title and its section path, then the passage. In
    an archive of reports that all share their words ("review", "delegation", "recommended"), the
    passage that repeats them (an introduction) outranked the one that answers; with the title and
    section on every passage those words stop telling passages apart (README, "A real archive").
    A BEIR passage already starts with its title, and neither is ever part of a quote."""
    text, title, section = search_text(passage), " ".join(document.title.split()), " ".join(passage.section.split())
    head = [part for part in (title, section) if part and not text.startswith(part)]
    if len(head) == 2 and section.startswith(title):
        head = [section]
    return ". ".join([*head, text])


class DocumentEncoder(Protocol):  # what a build needs of index.models.Embedder (tests give stand-ins)
    name: str
    dimension: int

    def encode_documents(self, texts: list[str], progress: Progress | None = None) -> np.ndarray: ...


class EmbeddedComponents:
    """Documents and passages embedded with a model: passage vectors (from the title and the passage
    for a model that reads titles), sentence vectors, and BM25 over the passages' words."""

    def __init__(
        self, documents: list[Document], passages: list[Passage], embedder: DocumentEncoder, transliterate: bool
    ) -> None:
        self.documents, self.passages, self.embedder, self.transliterate = documents, passages, embedder, transliterate
        self._by_id = {d.doc_id: d for d in documents}
        self._texts = [search_text(p) for p in passages]
        self._sentence_rows = passage_sentences(self._by_id, passages)
        self._sentences = [" ".join(self._by_id[passages[p].doc_id].text[a:b].split()) for p, a, b, _ in self._sentence_rows]

    def plan(self) -> Plan:
        characters = sum(len(d.text) for d in self.documents) + sum(p.end - p.start for p in self.passages)
        embedder = self.embedder
        return Plan(
            documents=len(self.documents),
            passages=len(self.passages),
            sentences=len(self._sentences),
            texts=len(self._texts) + len(self._sentences),
            needed_bytes=needed_bytes(len(self.passages), len(self._sentences), embedder.dimension, characters),
            languages=dict(Counter(p.language for p in self.passages)),
            model=ModelFacts(embedder.name, embedder.dimension, getattr(embedder, "runtime", None)),
            transliterate=self.transliterate,
        )

    def make(self, progress: Progress | None) -> Parts:
        passages, by_id = self.passages, self._by_id
        titled = reads_titles(self.embedder.name)
        vectors = self.embedder.encode_documents(
            [titled_text(p, by_id[p.doc_id]) for p in passages] if titled else self._texts, progress
        )
        sentence_vectors = self.embedder.encode_documents(self._sentences, progress)
        dense = DenseIndex.build(vectors)
        lexical = LexicalIndex.build([contextual_text(p, by_id[p.doc_id]) for p in passages], [p.language for p in passages],
                                     transliterate_names=self.transliterate)
        tables = Tables(({**d.metadata(), "text": d.text} for d in self.documents), (p.to_dict() for p in passages))
        texts = len(self._texts) + len(self._sentences)
        embedded = getattr(self.embedder, "embedded", texts)  # an encoder behind the embedding cache counts
        embedding = {"texts": texts, "embedded": embedded, "reused": texts - embedded}
        return Parts(dense, SentenceIndex.build(sentence_vectors, self._sentence_rows), lexical, tables, embedding)


class Tables:
    """documents.jsonl and passages.jsonl: one JSON object a line, in the order given (passages in the
    order of their vectors). Rows are written as they come, so a collection need not be held at once."""

    def __init__(self, documents: Iterable[dict], passages: Iterable[dict]) -> None:
        self._documents, self._passages = documents, passages

    def save(self, path: Path) -> None:
        _write_jsonl(path / "documents.jsonl", self._documents)
        _write_jsonl(path / "passages.jsonl", self._passages)


class SentenceRows:
    """Sentence vectors and spans (sentences.py's files) written block by block, for a collection
    whose sentence vectors do not fit in memory at once. `blocks` yields float16 rows, in order."""

    def __init__(self, spans: np.ndarray, dimension: int, blocks: Callable[[], Iterator[np.ndarray]]) -> None:
        self._spans, self._dimension, self._blocks = spans, dimension, blocks

    def save(self, path: Path) -> None:
        header = {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float16)), "fortran_order": False,
                  "shape": (len(self._spans), self._dimension)}
        written = 0
        # Written, not memory-mapped: a full disk is then an OSError, not a SIGBUS.
        with (path / VECTORS).open("wb") as handle:
            np.lib.format.write_array_header_1_0(handle, header)
            for block in self._blocks():
                handle.write(np.ascontiguousarray(block, dtype=np.float16).tobytes())
                written += len(block)
        if written != len(self._spans):
            raise ValueError(f"{written} sentence vectors for {len(self._spans)} sentences")
        np.save(path / SPANS, self._spans, allow_pickle=False)


def _write_jsonl(path: Path, rows: Iterable[dict]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
