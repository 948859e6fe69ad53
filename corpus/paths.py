"""Where the bundled data lives, so paths in citations can be given relative to the repository."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO_ROOT / "corpus" / "reports"


def display_path(path: Path, root: Path = REPO_ROOT) -> str:
    """The path relative to the repository when it lies inside it, else the absolute path.

    A link is shown under its own name (its folder resolved): the name the user gave the file."""
    absolute = Path(os.path.abspath(path))
    resolved = absolute.parent.resolve() / absolute.name if absolute.name else absolute
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()
