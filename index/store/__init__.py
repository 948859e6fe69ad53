"""The index directory: plain files under a manifest, built atomically (build.py), checked and
opened (load.py); its components (dense vectors, BM25, sentence vectors, tables) save and load
themselves beside it. What a build makes them from is its `Components` (components.py): embedded
documents for `verbatim index` and BEIR, copies of real passages for bench/scale.py."""

from index.store.build import BuildResult, build_index, write_components, write_index
from index.store.components import (
    Components,
    EmbeddedComponents,
    Parts,
    Plan,
    contextual_text,
    search_text,
    titled_text,
)
from index.store.load import (
    FORMAT_VERSION,
    LoadedIndex,
    damage_reason,
    format_reason,
    manifest_corpus_dir,
    open_index,
    read_jsonl,
    read_manifest,
    stale_reason,
)

__all__ = [
    "FORMAT_VERSION",
    "BuildResult",
    "Components",
    "EmbeddedComponents",
    "LoadedIndex",
    "Parts",
    "Plan",
    "build_index",
    "damage_reason",
    "format_reason",
    "manifest_corpus_dir",
    "open_index",
    "read_jsonl",
    "read_manifest",
    "search_text",
    "stale_reason",
    "titled_text",
    "contextual_text",
    "write_components",
    "write_index",
]
