"""Files → documents with canonical text and metadata → passages with exact offsets."""

from corpus.chunking import ChunkingOptions, chunk_corpus, chunk_document
from corpus.collection import Corpus, SkippedFile, corpus_fingerprint, load_corpus
from corpus.documents import Document, Passage
from corpus.errors import CorpusError, LoadError, VerbatimError
from corpus.notices import FileWarning

__all__ = [
    "ChunkingOptions",
    "Corpus",
    "CorpusError",
    "Document",
    "FileWarning",
    "LoadError",
    "Passage",
    "SkippedFile",
    "VerbatimError",
    "chunk_corpus",
    "chunk_document",
    "corpus_fingerprint",
    "load_corpus",
]
