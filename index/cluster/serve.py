"""`verbatim serve --cluster`: the index split into shards beside it (again whenever it was rebuilt)
and a searcher over their actors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index.cluster.coordinator import ShardedSearcher, open_sharded
from index.cluster.shards import ShardLayout, split_index
from index.config import Config
from index.errors import VerbatimError


def shards_folder(index_dir: Path, count: int) -> Path:
    return index_dir.with_name(f"{index_dir.name}.shards-{count}")


def sharded_searcher(config: Config, address: str, count: int, echo: Callable[[str], None] = print) -> ShardedSearcher:
    folder = shards_folder(config.index_dir, count)
    try:
        ShardLayout.read(folder).check()
    except (VerbatimError, OSError, ValueError, KeyError):
        echo(f"Splitting the index at {config.index_dir} into {count} shards at {folder}.")
        split_index(config.index_dir, folder, count)
    searcher = open_sharded(folder, config, address=address)
    placed = {fact["name"]: fact["node"][:8] for fact in searcher.shards.facts()}
    echo("Shards on nodes: " + ", ".join(f"{name} on {node}" for name, node in placed.items()))
    return searcher
