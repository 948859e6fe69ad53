"""How far `verbatim index` has got: a bar on a terminal, plain lines in a log or a pipe.

A build of a big collection can take hours; with stderr redirected a bar draws nothing useful
(and tqdm draws nothing at all), so there the same news comes as a line every tenth of the work
or every half minute, whichever is first, with the time left measured from the texts done so far.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

# About what the default model embeds here, passages and sentences mixed (SciFact's 53,042 texts
# took 8-10 minutes: README, "Measuring retrieval"). Only for the warning before a build starts;
# the progress lines measure the build's own speed.
TEXTS_PER_SECOND = 100
LARGE_BUILD_TEXTS = 20_000  # more than about three minutes of embedding: say so before starting
LINE_EVERY_SHARE = 0.10
LINE_EVERY_SECONDS = 30.0


def duration(seconds: float) -> str:
    """'about 5 h 40 min', 'about 12 min', 'about 40 s'."""
    seconds = max(seconds, 0.0)
    if seconds < 60:
        return f"about {max(round(seconds), 1)} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min"
    return f"about {minutes // 60} h {minutes % 60} min"


def large_build_warning(total: int, rate: float = TEXTS_PER_SECOND) -> str | None:
    if total <= LARGE_BUILD_TEXTS:
        return None
    return (f"warning: this build embeds {total:,} texts; at about {rate:,.0f} per second that is "
            f"{duration(total / rate)}")


class EmbeddingProgress:
    """Feed it `start(total)`, then `update(n)` per batch, then `close()`."""

    def __init__(self, stream: TextIO, *, terminal: bool | None = None, clock: Callable[[], float] = time.monotonic):
        self._stream = stream
        self._terminal = stream.isatty() if terminal is None else terminal
        self._clock = clock
        self._bar = None
        self._total = 0
        self._done = 0
        self._started = 0.0
        self._last_line = 0.0
        self._last_share = 0.0

    def start(self, total: int) -> None:
        self._total, self._done = total, 0
        self._started = self._last_line = self._clock()
        if warning := large_build_warning(total):
            print(warning, file=self._stream, flush=True)
        if self._terminal:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="text", desc="Embedding passages and sentences", file=self._stream)

    def update(self, count: int) -> None:
        self._done += count
        if self._bar is not None:
            self._bar.update(count)
            return
        now = self._clock()
        share = self._done / self._total if self._total else 1.0
        if share >= 1.0 or share - self._last_share >= LINE_EVERY_SHARE or now - self._last_line >= LINE_EVERY_SECONDS:
            self._last_line, self._last_share = now, share
            print(self._line(share, now), file=self._stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def _line(self, share: float, now: float) -> str:
        line = f"embedded {self._done:,} of {self._total:,} texts ({int(share * 100)} %)"
        elapsed = now - self._started
        if self._done < self._total and elapsed > 0:
            line += f", {duration((self._total - self._done) * elapsed / self._done)} left"
        return line
