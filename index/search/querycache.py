"""Question vectors already computed, kept least-recently-used first out and bounded in bytes.

A count bound is no bound: 4,096 one-megabyte questions are 4 GB. Every entry is charged its key's
and its vector's size, so the cache never holds more than `max_bytes`, whatever people ask.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict

import numpy as np

QUERY_CACHE_BYTES = 32 * 2**20  # about 19,000 ordinary questions with 384-dimensional vectors


class VectorCache:
    """question → vector, safe to use from several threads at once."""

    def __init__(self, max_bytes: int = QUERY_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, question: str) -> np.ndarray | None:
        with self._lock:
            vector = self._items.get(question)
            if vector is not None:
                self._items.move_to_end(question)
            return vector

    def put(self, question: str, vector: np.ndarray) -> None:
        size = entry_bytes(question, vector)
        with self._lock:
            if question in self._items:
                self._bytes -= entry_bytes(question, self._items.pop(question))
            if size > self.max_bytes:
                return  # larger than the whole cache: computed, used, not kept
            self._items[question] = vector
            self._bytes += size
            while self._bytes > self.max_bytes:
                oldest, dropped = self._items.popitem(last=False)
                self._bytes -= entry_bytes(oldest, dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __contains__(self, question: object) -> bool:
        with self._lock:
            return question in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    @property
    def nbytes(self) -> int:
        """What the entries weigh, keys included."""
        with self._lock:
            return self._bytes


def entry_bytes(question: str, vector: np.ndarray) -> int:
    return sys.getsizeof(question) + int(vector.nbytes)
