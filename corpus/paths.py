"""Where the bundled data lives, so paths in citations can be given relative to the repository."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO_ROOT / "corpus" / "reports"


def display_path(path: Path, root: Path = REPO_ROOT) -> str:
    """The path relative to the repository when it lies inside it, else the absolute path."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()
