"""Where Verbatim reads what it ships, and where it writes what it makes.

What ships (the bundled reports, question sets, calibration sets, the glossary) is package data
(pyproject.toml) and lies beside the code: under PACKAGE_ROOT, the folder that holds the packages,
whether that is a checkout or an installed site-packages. Paths in citations are given relative to
it when they lie inside it (corpus/reports/…), so a bundled report is cited alike in both.

What Verbatim makes (the default index, the int8 model graph, BEIR indexes, the benchmark's files)
goes under `work_dir()`: $VERBATIM_HOME when set; else, in a checkout, its build/ folder, as
`make run` and the tests expect; else, installed, $XDG_DATA_HOME/verbatim (~/.local/share/verbatim):
an installed package's own folder is no place to write, and may not be writable at all.
"""

import os
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
REPO_ROOT = PACKAGE_ROOT  # the older name: in a checkout, PACKAGE_ROOT is the repository
BUNDLED_CORPUS = PACKAGE_ROOT / "corpus" / "reports"


def in_checkout(root: Path = PACKAGE_ROOT) -> bool:
    """Whether the packages run from a source checkout (editable install, or PYTHONPATH) rather than an install."""
    return (root / "pyproject.toml").is_file()


def work_dir(root: Path = PACKAGE_ROOT) -> Path:
    """The folder Verbatim writes into by default (see the module's docstring)."""
    if home := os.environ.get("VERBATIM_HOME"):
        return Path(home).expanduser()
    if in_checkout(root):
        return root / "build"
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "verbatim"


def display_path(path: Path, root: Path = PACKAGE_ROOT) -> str:
    """The path relative to the packages' folder (the repository, in a checkout) when it lies
    inside it, else the absolute path.

    A link is shown under its own name (its folder resolved): the name the user gave the file."""
    absolute = Path(os.path.abspath(path))
    resolved = absolute.parent.resolve() / absolute.name if absolute.name else absolute
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()
