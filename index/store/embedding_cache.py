"""Vectors already made, kept so that no text is ever embedded twice.

Embedding is nearly all of a build's time (the 262 UN reports: minutes of embedding against seconds
for everything else), so every build goes through this cache: a full build, an incremental one
after files were added, changed or removed, one after a kill, one after new chunking settings. A
vector is keyed by what was embedded, the exact text (with the title, for a model that reads titles),
under the model's identity (name, runtime and the versions that shape its vectors: `Embedder.identity`).
That is sound because a vector depends on its text alone (index/models/embedder.py).

    <cache>/embeddings/<identity hash>/model.json     the identity and dimension, for a reader
    <cache>/embeddings/<identity hash>/vectors-*.bin  records appended as embedding proceeds

A record is the text's SHA-256 (32 bytes), its float32 vector and a CRC-32 of both. Each build
appends to a file of its own, one write per chunk of texts, never rewriting one: a build killed
mid-write leaves at most a torn last record, which is ignored, and two builds never share a file.
A record whose CRC fails is never served; its text is embedded again (and `corrupt` counts it).
Old vectors stay until the folder is removed: it holds nothing an index needs to load.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from corpus.paths import work_dir

KEY_BYTES = 32
CHUNK = 64  # texts embedded between two appends: what a kill can lose at most


def cache_root() -> Path:
    """Where caches live: VERBATIM_CACHE, else the work folder's cache/ (build/cache in a checkout)."""
    return Path(os.environ.get("VERBATIM_CACHE") or work_dir() / "cache")


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class EmbeddingCache:
    """The vectors one model made, by text (see the module's docstring)."""

    def __init__(self, folder: Path, identity: str, dimension: int) -> None:
        self.folder, self.identity, self.dimension = folder, identity, dimension
        self._record = np.dtype([("key", f"V{KEY_BYTES}"), ("vector", "<f4", (dimension,)), ("crc", "<u4")])
        self._where: dict[bytes, tuple[int, int]] = {}  # key → (segment, row)
        self._segments: list[np.ndarray] = []
        self._pending: dict[bytes, np.ndarray] = {}  # appended by this process, also served from memory
        self._handle: int | None = None
        self.corrupt = 0  # records found damaged and not served
        self._read_segments()

    @classmethod
    def for_model(cls, identity: str, dimension: int, root: Path | None = None) -> EmbeddingCache:
        folder = (root or cache_root()) / "embeddings" / hashlib.sha256(identity.encode()).hexdigest()[:16]
        folder.mkdir(parents=True, exist_ok=True)
        description = folder / "model.json"
        if not description.exists():
            staged = description.with_name(f".model.json.{os.getpid()}")
            staged.write_text(json.dumps({"identity": identity, "dimension": dimension}, indent=2) + "\n")
            staged.replace(description)
        return cls(folder, identity, dimension)

    def _read_segments(self) -> None:
        for path in sorted(self.folder.glob("vectors-*.bin")):
            try:
                size = path.stat().st_size
                rows = size // self._record.itemsize  # a torn last record is left out
                if rows == 0:
                    continue
                records = np.memmap(path, dtype=self._record, mode="r", shape=(rows,))
            except (OSError, ValueError):
                continue  # unreadable: its texts are embedded again
            number = len(self._segments)
            self._segments.append(records)
            for row, key in enumerate(records["key"].tolist()):
                self._where[key] = (number, row)

    def __len__(self) -> int:
        return len(self._where) + len(self._pending)

    def get(self, key: bytes) -> np.ndarray | None:
        """The vector of the text with this key, or None when it is not here or its record is damaged."""
        if (vector := self._pending.get(key)) is not None:
            return vector
        if (where := self._where.get(key)) is None:
            return None
        record = self._segments[where[0]][where[1]]
        vector = np.array(record["vector"], dtype=np.float32)
        if zlib.crc32(vector.tobytes(), zlib.crc32(key)) != int(record["crc"]) or not np.isfinite(vector).all():
            self.corrupt += 1
            del self._where[key]
            return None
        return vector

    def put(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Append these vectors (one write, so that a kill leaves whole records or a torn last one)."""
        records = np.zeros(len(keys), dtype=self._record)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        for row, (key, vector) in enumerate(zip(keys, vectors, strict=True)):
            records[row]["key"] = key
            records[row]["vector"] = vector
            records[row]["crc"] = zlib.crc32(vector.tobytes(), zlib.crc32(key))
            self._pending[key] = vector
        if self._handle is None:
            name = f"vectors-{time.time_ns()}-{os.getpid()}.bin"
            self._handle = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
        data = memoryview(records.tobytes())
        while data:
            data = data[os.write(self._handle, data):]

    def close(self) -> None:
        if self._handle is not None:
            os.fsync(self._handle)
            os.close(self._handle)
            self._handle = None

    def __del__(self) -> None:
        if getattr(self, "_handle", None) is not None:
            os.close(self._handle)  # type: ignore[arg-type]


class CachedEncoder:
    """An encoder's `encode_documents` through the cache: each distinct text is embedded once, ever;
    what was embedded is in the cache before the next chunk starts. `embedded` and `reused` count
    texts (duplicates within one call count as reused)."""

    def __init__(self, encoder, cache: EmbeddingCache, chunk: int = CHUNK) -> None:  # encoder: a DocumentEncoder
        self.encoder, self.cache, self.chunk = encoder, cache, chunk
        self.name, self.dimension = encoder.name, encoder.dimension
        self.runtime = getattr(encoder, "runtime", None)
        self.embedded = self.reused = 0

    def encode_documents(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        positions: dict[bytes, list[int]] = {}
        for position, text in enumerate(texts):
            positions.setdefault(text_key(text), []).append(position)
        missing: list[bytes] = []
        for key, where in positions.items():
            vector = self.cache.get(key)
            if vector is None:
                missing.append(key)
            else:
                vectors[where] = vector
        reused = len(texts) - sum(len(positions[key]) for key in missing)
        self.reused += reused
        if progress and reused:
            progress(reused)
        for begin in range(0, len(missing), self.chunk):
            keys = missing[begin : begin + self.chunk]
            made = self.encoder.encode_documents([texts[positions[key][0]] for key in keys], progress)
            self.cache.put(keys, made)
            for key, vector in zip(keys, made, strict=True):
                vectors[positions[key]] = vector
            self.embedded += len(keys)
            if duplicates := sum(len(positions[key]) - 1 for key in keys):
                self.reused += duplicates
                if progress:
                    progress(duplicates)
        return vectors

    def close(self) -> None:
        self.cache.close()
