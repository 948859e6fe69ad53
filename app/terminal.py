"""Report text made safe for a terminal: a report's own escape sequences never reach the TTY.

A report (or a manifest) can hold ESC, carriage returns or bidirectional overrides that would let
it redraw lines on the user's screen, e.g. print a fake "Best supporting quote". The CLI passes
every piece of report text through `printable` before styling it.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with terminal control characters replaced by U+FFFD, so their place stays visible."""
    return _UNSAFE.sub("\ufffd", text)
