"""Verbatim on a Ray cluster: an index split into shards by document and served by Ray actors
(shards.py, actor.py, coordinator.py), and a build whose reading, chunking and embedding run on the
cluster's workers (build.py). Ray is the optional extra `cluster` (`pip install -e '.[cluster]'`).

Nothing here is imported by the local default path: `verbatim ask`, `serve` and `index` without
`--cluster` never import Ray (tests/test_cluster.py checks it). Splitting an index into shards
(shards.py) needs no Ray either.

The design in one paragraph: the coordinator runs the very Searcher of one machine
(index/search/searcher.py), over a LoadedIndex whose heavy parts are shard-backed: its dense
index, BM25 index and sentence vectors are stand-ins that fan each call out to the shard actors
and put the answers together in the unsharded index's own positions (coordinator.py). The
catalogue (documents.jsonl, passages.jsonl, sentence spans, the BM25 vocabulary) stays with the
coordinator. So every stage after retrieval (sentence rescoring, fusion, the report preference,
best sentences, phrases, the verdict) is the same code on the same numbers, and the top k is the
unsharded index's.
"""

from index.cluster.shards import SHARDING, ShardLayout, ShardSpec, split_index

__all__ = ["SHARDING", "ShardLayout", "ShardSpec", "split_index"]
