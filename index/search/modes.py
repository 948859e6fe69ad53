"""Retrieval modes as data: which retrievers a mode asks, whether the dense candidates are rescored
by their best sentence, and how the lists are fused. A new mode is a line here, not a branch in
the searcher."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from index.config import MODES, Mode
from index.errors import QueryError

Fusion = Literal["none", "language-aware", "rrf"]
Retriever = Literal["dense", "bm25", "bm25-plain"]


@dataclass(frozen=True)
class ModeSpec:
    name: Mode
    retrievers: tuple[Retriever, ...]
    # The dense candidates are scored by passage and best-sentence cosine before they are fused.
    sentences_rescore: bool = False
    # "none": the one list as it is; "language-aware": min-max fusion of dense and BM25 in which BM25
    # judges passages in another language than the question's only in part; "rrf": rank fusion.
    fusion: Fusion = "none"
    # Whether the question's countries and years lift the passages of the reports they name
    # (index/search/subjects.py), and other States' recommendation lists come after the State's own
    # words (recommendations.py); bm25-plain stays the BEIR paper's baseline, words only.
    documents: bool = True

    @property
    def needs_model(self) -> bool:
        """Whether retrieval itself needs the question's vector (every mode needs it afterwards,
        for the hits' best sentences and the verdict)."""
        return "dense" in self.retrievers


MODE_SPECS: dict[str, ModeSpec] = {
    spec.name: spec
    for spec in (
        ModeSpec("hybrid", ("dense", "bm25"), sentences_rescore=True, fusion="language-aware"),
        ModeSpec("hybrid-rrf", ("dense", "bm25"), fusion="rrf"),
        ModeSpec("dense-sentences", ("dense",), sentences_rescore=True),
        ModeSpec("dense", ("dense",)),
        ModeSpec("bm25", ("bm25",)),
        ModeSpec("bm25-plain", ("bm25-plain",), documents=False),
    )
}
assert tuple(MODE_SPECS) == MODES, "every mode of index.config.MODES has a spec, in the same order"


def mode_spec(name: str) -> ModeSpec:
    spec = MODE_SPECS.get(name)
    if spec is None:
        raise QueryError(f"unknown mode {name!r}; use one of {', '.join(MODES)}", field="mode")
    return spec
