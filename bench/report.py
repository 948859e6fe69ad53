"""The benchmark's report.md, from its report.json (bench/run.py): one function per section."""

from __future__ import annotations


def markdown(report: dict) -> str:
    lines = _header(report)
    if "scifact" in report:
        lines += _scifact(report["scifact"])
    if report.get("peers"):
        lines += _peers(report["scifact"], report["peers"])
    if report.get("scale"):
        lines += _scale(report["scale"])
    lines += _serving(report)
    lines.append("")
    return "\n".join(lines)


def _spread(row: dict, unit: str = "s") -> str:
    return f"median {row['median']} {unit} ({row['min']}–{row['max']}, {row['runs']} runs)"


def _memory(row: dict) -> str:
    return f"RSS {row['rss_mb']} MB (peak {row['peak_rss_mb']} MB)"


def _header(report: dict) -> list[str]:
    m = report["machine"]
    lines = [
        "# Verbatim benchmark",
        "",
        f"{m['date']}, {m['cores']} cores ({m['cpu']}), Python {m['python']}, "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v)
        + ".",
        "",
        f"Produced by `{report['command']}`. Every timing is repeated; spreads are given.",
        "",
        "## Query latency, in-process (bundled corpus, 87 questions × 3 rounds, question embedding included)",
        "",
        "| mode | p50 ms | p95 ms | p99 ms | p50 per round |",
        "|---|---|---|---|---|",
    ]
    for mode, row in report["latency_bundled"].items():
        lines.append(f"| {mode} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | {row['p50_per_round_ms']} |")
    return lines


def _scifact(s: dict) -> list[str]:
    how = "built in this run" if s["built_in_this_run"] else f"reused, built {s['built_at']}"
    lines = [
        "",
        f"## SciFact ({s['passages']:,} passages, {s['sentences']:,} sentences, model {s['model']})",
        "",
        f"Build ({how}): {s['build_seconds']} s, {s['passages_per_second']} passages/s "
        f"({s['texts_per_second']} texts/s, passages and sentences); nDCG@10: "
        + ", ".join(f"{mode} {value}" for mode, value in s["nDCG@10"].items())
        + ".",
        "",
        "| mode | p50 ms | p95 ms |",
        "|---|---|---|",
    ]
    return lines + [f"| {mode} | {r['p50_ms']} | {r['p95_ms']} |" for mode, r in s["latency"].items()]


def _peers(s: dict, peers: dict) -> list[str]:
    ours = s["latency"]
    lines = [
        "",
        "## Side by side on SciFact (same machine, same all-MiniLM-L6-v2 weights, 300 claims)",
        "",
        "| system | build s | passages/s | query p50 ms | p95 ms | nDCG@10 |",
        "|---|---|---|---|---|---|",
        f"| Verbatim hybrid (int8 ONNX, sentences, BM25) | {s['build_seconds']} | {s['passages_per_second']} | "
        f"{ours['hybrid']['p50_ms']} | {ours['hybrid']['p95_ms']} | {s['nDCG@10']['hybrid']} |",
        f"| Verbatim dense | (same index) | | {ours['dense']['p50_ms']} | {ours['dense']['p95_ms']} | {s['nDCG@10']['dense']} |",
    ]
    for name, peer in peers.items():
        if "error" in peer:
            lines.append(f"| {name} | failed: {peer['error']} | | | | |")
            continue
        lines.append(
            f"| {name} | {peer['build_s']} | {peer['passages_per_s']} | {peer['latency']['p50_ms']} | "
            f"{peer['latency']['p95_ms']} | {peer['nDCG@10']} |"
        )
    ratios = [
        f"{name}: build {peer['build_s'] / s['build_seconds']:.2f}× Verbatim's time, query p50 "
        f"{peer['latency']['p50_ms'] / ours['hybrid']['p50_ms']:.2f}× Verbatim hybrid's, nDCG@10 "
        f"{s['nDCG@10']['hybrid'] - peer['nDCG@10']:+.3f} in Verbatim's favour"
        for name, peer in peers.items()
        if "error" not in peer
    ]
    return lines + [
        "",
        ("Ratios: " + "; ".join(ratios) + ".") if ratios else "No peer ran: see the errors above.",
        "",
        "Verbatim's build embeds every sentence as well as every passage (about ten texts per passage "
        "on SciFact); the peers embed passages only.",
    ]


def _scale(rows: list[dict]) -> list[str]:
    lines = [
        "",
        "## At scale: SciFact grown to 10k, 100k and 1M passages (100 real claims × 3 rounds)",
        "",
        "Passages beyond SciFact's 5,183 are copies of real ones: vector plus Gaussian noise (σ 0.05, "
        "re-normalised), sentence vectors and spans copied, words copied for BM25, and each copy a line of "
        "its own in passages.jsonl and in documents.jsonl (own id, own copy of the text), as a real "
        "collection's would be. "
        "Searched through the real `Searcher` over the real index files, each size in a fresh process.",
        "",
        "| passages | sentences | FAISS | hybrid p50 / p95 ms | dense p50 / p95 | bm25 p50 / p95 | "
        "serving RSS MB (anon + file) | of which documents and passages | disk MB | build s (dense, BM25) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [_scale_row(row) for row in rows]
    lines += [
        "",
        "Dense search alone, IVF against exact (flat) search of the same vectors:",
        "",
        "| passages | flat p50 ms | IVF nlist | nprobe: p50 ms, recall@10 vs exact |",
        "|---|---|---|---|",
    ]
    lines += [_recall_row(row) for row in rows]
    return lines + [
        "",
        "Bold: the nprobe Verbatim uses at that size. Serving RSS is the whole process: search "
        "structures (vectors, BM25, sentence spans), the model, the libraries, and the documents' and "
        "passages' tables: their texts stay on disk and are read when a hit needs them.",
    ]


def _scale_row(row: dict) -> str:
    lat, mem = row["latency"], row["memory_serving_mb"]
    kind = row["faiss"]
    faiss_kind = "flat" if kind["type"] == "flat" else f"IVF{kind['nlist']},{kind['codec']} nprobe {kind['nprobe']}"
    return (
        f"| {row['passages']:,} | {row['sentences']:,} | {faiss_kind} | "
        + " | ".join(f"{lat[m]['p50_ms']} / {lat[m]['p95_ms']}" for m in ("hybrid", "dense", "bm25"))
        + f" | {mem['rss_mb']} ({mem['anon_mb']} + {mem['file_mb']}) | {row.get('documents_and_passages_mb', '')} | "
        f"{round(sum(row['disk_mb'].values()))} | "
        f"{row['dense_build_s']}, {row['bm25_build_s']} |"
    )


def _recall_row(row: dict) -> str:
    r = row["dense_recall"]
    chosen = r["ivf"]["chosen_nprobe"]
    probes = "; ".join(
        f"{'**' if p['nprobe'] == chosen else ''}{p['nprobe']}: {p['p50_ms']} ms, "
        f"{p['recall_at_10']}{'**' if p['nprobe'] == chosen else ''}"
        for p in r["ivf"]["by_nprobe"]
    )
    return f"| {row['passages']:,} | {r['flat']['p50_ms']} | {r['ivf']['nlist']} | {probes} |"


def _serving(report: dict) -> list[str]:
    b, c, srv = report["build_bundled"], report["cold_start_ask"], report["serving"]
    lines = [
        "",
        "## Build, start-up and memory",
        "",
        f"- Bundled corpus build ({b['passages']} passages, {b['sentences']} sentences): {_spread(b['seconds'])}, "
        f"{b['texts_per_second']} texts/s at best; peak RSS {b['peak_rss_mb']} MB.",
        f"- `verbatim ask` cold start: {_spread(c['seconds'])}.",
        f"- `verbatim serve` to the first answered `/ask`: {srv['serve_to_first_answer_s']} s.",
        f"- Serving memory: {_memory(srv['memory_before_load'])} before the load test, "
        f"{_memory(srv['memory_after_load'])} after it.",
        "",
        "## Over HTTP (gradio_client → `/ask`, 60 questions, sequential)",
        "",
        "| mode | p50 ms | p95 ms |",
        "|---|---|---|",
    ]
    lines += [f"| {mode} | {r['p50_ms']} | {r['p95_ms']} |" for mode, r in srv["http_latency"].items()]
    lines += [
        "",
        "## Load test (concurrent clients, each its own connection, mixed questions and modes)",
        "",
        "| clients | requests | seconds | per s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    return lines + [
        f"| {r['clients']} | {r['requests']} | {r['seconds']} | {r['throughput_qps']} | {r['p50_ms']} | "
        f"{r['p95_ms']} | {r['p99_ms']} | {r['errors']} |"
        for r in srv["load_test"]
    ]
