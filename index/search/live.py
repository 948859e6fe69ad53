"""The searcher of the index that is in place now: a long-running process (the app) picks up an index
that another process, or its own upload, built, between requests and with no request failing.

A build replaces the index folder whole, by renames (index/store/publish.py), so after every build
its manifest.json is another file. `current()` looks at that file (device, inode, mtime, size) at
most once every `interval` seconds; when it changed, it opens the new index and swaps it in under a
lock. A request keeps the searcher it took at its start: the old index's tables hold their files
open, so it still answers after the new one is renamed in. A new index that cannot be opened (a
damaged one, say) is passed to `on_error` and the old one served on; it is tried again only when
the manifest changes again. Looking and opening happen in the thread of the request that comes
first; the others meanwhile go on with the searcher in place and never wait for it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from index.search.searcher import Searcher
from index.store import open_index
from index.store.manifest import MANIFEST

Stamp = tuple[int, int, int, int]  # device, inode, mtime_ns, size of manifest.json
LOOK_EVERY = 1.0  # seconds between two looks at the manifest


def manifest_stamp(directory: Path) -> Stamp | None:
    """What tells one build's manifest.json from another's, or None when there is none (between the
    two renames of a publish, or before the first build)."""
    try:
        info = os.stat(directory / MANIFEST)
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size


class LiveSearcher:
    """Hands out the searcher of the newest index in `searcher`'s folder (see the module's docstring)."""

    def __init__(self, searcher: Searcher, *, interval: float = LOOK_EVERY,
                 on_error: Callable[[Exception], None] | None = None,
                 on_swap: Callable[[Searcher], None] | None = None) -> None:
        self._searcher = searcher
        self.directory = searcher.index.directory
        self.interval = interval
        self._on_error = on_error
        self._on_swap = on_swap
        self._stamp = manifest_stamp(self.directory)  # of the index `searcher` holds
        self._refused: Stamp | None = None  # a manifest whose index could not be opened
        self._next_look = time.monotonic() + interval
        self._lock = threading.Lock()  # one thread looks, opens and swaps at a time

    def current(self) -> Searcher:
        """The searcher to answer a request with: the newest index, looked for at most every `interval` s."""
        if time.monotonic() >= self._next_look and self._lock.acquire(blocking=False):
            try:
                self._look()
            finally:
                self._next_look = time.monotonic() + self.interval
                self._lock.release()
        return self._searcher

    def refresh(self) -> bool:
        """Look now, waiting for a look already under way: after a build this process ran itself, the
        next request must find the new index. True when another index was swapped in."""
        with self._lock:
            swapped = self._look()
            self._next_look = time.monotonic() + self.interval
        return swapped

    def _look(self) -> bool:
        stamp = manifest_stamp(self.directory)
        if stamp is None or stamp == self._stamp or stamp == self._refused:
            return False
        old = self._searcher
        try:
            # The corpus is not checked: a newer index is better than the one served, even should
            # the folder have changed since its build (and hashing the corpus would hold up a request).
            index = open_index(replace(old.config, index_dir=self.directory), check_corpus=False)
        except Exception as error:  # whatever is wrong with the new index, no request fails for it
            self._refused = stamp
            if self._on_error:
                self._on_error(error)
            return False
        if manifest_stamp(self.directory) != stamp:
            return False  # another build published while this one was read: open that one next time
        self._searcher, self._stamp, self._refused = old.with_index(index), stamp, None
        if self._on_swap:
            self._on_swap(self._searcher)
        return True
