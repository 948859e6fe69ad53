"""The code passes the linter configured in pyproject.toml."""

import subprocess
import sys
from pathlib import Path

from corpus.paths import REPO_ROOT


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "corpus", "index", "app", "eval", "bench", "tests"],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
