"""`verbatim eval`: the bundled question set on the bundled corpus, and a tiny BEIR benchmark."""

from __future__ import annotations

import json

from conftest import FIXTURES, run_verbatim

from corpus.paths import REPO_ROOT
from index.models.onnx_model import cpu_description

DEV_SET = REPO_ROOT / "eval" / "questions" / "kazakhstan-dev.jsonl"


def test_question_set_json_compares_modes_and_report_has_table_and_plot(bundled_index, tmp_path):
    report = tmp_path / "report"
    result = run_verbatim("eval", str(DEV_SET), "--index", str(bundled_index.index_dir), "--json", "--report", str(report))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert set(output["metrics"]) == {"hybrid", "dense", "bm25"}
    for metrics in output["metrics"].values():
        assert set(metrics) == {"nDCG@10", "MRR@10", "R@1", "R@5", "R@10", "R@100"}
        assert all(0.0 <= value <= 1.0 for value in metrics.values())
    # A floor, not the target: the measured figures are in the README's table.
    assert output["metrics"]["hybrid"]["MRR@10"] > 0.8
    ids = [json.loads(line)["id"] for line in DEV_SET.read_text().splitlines() if line.strip()]
    assert list(output["per_question"]) == ids
    assert output["per_question"]["kz19"]["hybrid"] == 1  # Almaty on election day: the Amnesty passage first
    # Each mode against the first, question by question: its mean difference is the metrics' difference.
    assert set(output["differences"]) == {"dense", "bm25"}
    for mode, by_metric in output["differences"].items():
        for metric, difference in by_metric.items():
            gap = output["metrics"][mode][metric] - output["metrics"]["hybrid"][metric]
            assert abs(difference["mean"] - gap) < 1e-9 and difference["low"] <= difference["mean"] <= difference["high"]
            assert difference["questions"] == len(ids)
            assert difference["clear"] == (difference["low"] > 0 or difference["high"] < 0)  # 44 questions: enough
    first = output["runs"]["hybrid"]["kz19"][0]
    assert first["doc_id"] == "amnesty-2019-06-election-detentions" and first["rank"] == 1
    markdown = (report / "report.md").read_text()
    assert "| hybrid |" in markdown and "Worst questions" in markdown
    assert "| mode | MRR@10 vs hybrid | nDCG@10 vs hybrid | clear difference |" in markdown
    # The command that produced it, as typed.
    assert f"\n    verbatim eval {DEV_SET} --index {bundled_index.index_dir} --json --report {report}\n" in markdown
    # int8 results differ a little by CPU (AVX-512 VNNI or not): the report says which one ran it.
    assert f"on {cpu_description()}." in markdown
    assert (report / "recall.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_table_output_lists_ranks_and_worst_questions(bundled_index):
    heldout = DEV_SET.with_name("kazakhstan-heldout.jsonl")
    result = run_verbatim("eval", str(heldout), "--index", str(bundled_index.index_dir), "--modes", "bm25")
    assert result.returncode == 0, result.stderr
    assert "mode  nDCG@10" in result.stdout
    assert "kz20" in result.stdout and "Worst questions in bm25" in result.stdout
    assert "Against" not in result.stdout  # one mode: nothing to compare it with


def test_comparing_modes_says_which_differences_could_be_chance(bundled_index):
    result = run_verbatim("eval", str(DEV_SET), "--index", str(bundled_index.index_dir), "--modes", "hybrid,bm25-plain",
                          "--worst", "0")
    assert result.returncode == 0, result.stderr
    assert "Against hybrid, question by question (mean difference, 95 % paired bootstrap interval):" in result.stdout
    table = result.stdout.split("bootstrap interval):")[1]
    [row] = [line for line in table.splitlines() if line.startswith("bm25-plain ")]
    assert row.count(" to ") == 2 and row.endswith(("yes", "MRR@10 only", "nDCG@10 only", "no: could be chance"))


def test_an_empty_question_set_is_refused_with_what_to_write(bundled_index, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    result = run_verbatim("eval", str(empty), "--index", str(bundled_index.index_dir), "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().startswith(f"verbatim: error: {empty}: the set holds no questions; write each line as")


def test_a_quote_found_nowhere_names_the_question(bundled_index, tmp_path):
    questions = tmp_path / "bad.jsonl"
    questions.write_text(json.dumps({"id": "x1", "question": "?", "answers": [{"quote": "no report says this"}]}) + "\n")
    result = run_verbatim("eval", str(questions), "--index", str(bundled_index.index_dir))
    assert result.returncode == 1
    assert result.stderr.strip() == "verbatim: error: question x1: quote not found: 'no report says this'"


def test_usage_errors_say_what_to_give():
    both = run_verbatim("eval", str(DEV_SET), "--beir", str(FIXTURES / "beir-tiny"))
    assert both.returncode == 2 and "not both" in both.stderr
    bad_mode = run_verbatim("eval", str(DEV_SET), "--modes", "hybrid,magic")
    assert bad_mode.returncode == 2 and "unknown mode 'magic'" in bad_mode.stderr


def test_beir_benchmark_is_indexed_once_and_scored_on_judged_queries(tmp_path):
    index_dir = tmp_path / "index"
    result = run_verbatim("eval", "--beir", str(FIXTURES / "beir-tiny"), "--index", str(index_dir), "--json")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert set(output["per_question"]) == {"q1", "q2", "q3"}  # q9 has no test judgements
    assert output["metrics"]["hybrid"]["R@100"] == 1.0
    assert output["per_question"]["q2"]["dense"] == 1
    [cached] = (tmp_path / "beir").iterdir()
    built = (cached / "dense.faiss").stat().st_mtime_ns
    again = run_verbatim("eval", "--beir", str(FIXTURES / "beir-tiny"), "--index", str(index_dir), "--json")
    assert again.returncode == 0, again.stderr
    assert (cached / "dense.faiss").stat().st_mtime_ns == built  # reused, not rebuilt
    assert json.loads(again.stdout)["metrics"] == output["metrics"]


def test_a_rerank_mode_needs_a_reranker_folder():
    result = run_verbatim("eval", str(DEV_SET), "--modes", "hybrid+rerank")
    assert result.returncode == 2
    assert "a +rerank mode needs --reranker DIR" in result.stderr
