"""The retrieval modes as the page offers them: "Exact words only" on the page itself (the bm25
mode), and all six under Advanced, each explained in one line. The mode radio stays the one control
the search, the page address and the APIs read; the checkbox only sets it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from index.config import MODES

EXACT_MODE = "bm25"

# One line each, for a reader choosing between them; README, "How retrieval works", has the details.
HELP: dict[str, str] = {
    "hybrid": "meaning and words together: passages judged by their closest sentence, fused with the words' "
              "search (the default, and the best measured)",
    "hybrid-rrf": "the same two searches, the passages' meaning and the words, merged by rank instead of score",
    "dense-sentences": "meaning only: each passage judged by itself and its closest sentence",
    "dense": "meaning only: each passage as a whole",
    "bm25": "words only, in any form (detain, detained), ranked by BM25: what “Exact words only” picks",
    "bm25-plain": "words only, exactly as typed: no word forms, no common words left out, no report titles read "
                  "(the standard BM25 baseline, to compare with)",
}


def help_markdown() -> str:
    lines = "\n".join(f"- **{mode}**: {HELP[mode]}" for mode in MODES)
    return ("The ways of searching that the Evaluate tab compares; a search address keeps the one picked.\n\n"
            f"{lines}")


def exact_to_mode(default: str) -> Callable[[bool], str]:
    """"Exact words only" ticked: the bm25 mode; unticked: the default."""
    fallback = default if default != EXACT_MODE else MODES[0]

    def to_mode(exact: bool) -> str:
        return EXACT_MODE if exact else fallback

    return to_mode


def mode_to_shown(default: str) -> Callable[[str], tuple[bool, Any]]:
    """The mode as it is set (by a click, the checkbox or a shared address): the checkbox ticked for
    bm25, and Advanced opened for a mode only Advanced offers, so that the page shows what runs."""

    def shown(mode: str) -> tuple[bool, Any]:
        advanced = mode not in (default, EXACT_MODE)
        return mode == EXACT_MODE, gr.update(open=True) if advanced else gr.update()

    return shown
