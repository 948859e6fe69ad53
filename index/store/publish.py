"""Putting a built index in place: one build of a folder at a time, a swap that a kill cannot break
for good, and a target checked writable before anything is embedded.

A build writes into `.NAME.building-PID` beside the index and publishes it with two renames: the
old index to `.NAME.retired-PID`, then the new one into place. A kill between them leaves no index,
so every build and every load first puts back what a killed build left (`restore`): the new index
if it is complete (its manifest and every file check out), else the old one; the rest is removed.

Builds of one folder take turns: each holds an exclusive flock on `.NAME.lock` beside it for its
whole run, and a second build waits for the first, saying so with its pid. It waits without a
timeout (a build of a large collection takes hours, and giving up after an arbitrary time would
only throw work away); Ctrl-C stops waiting. Holding the lock is also what makes a leftover folder
safe to remove: no other build can be writing it.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from index.errors import IndexWriteError
from index.store.integrity import file_problem
from index.store.manifest import MANIFEST, IndexManifest, ManifestProblem
from index.store.report import REPORT_JSON, REPORT_MARKDOWN

BUILDING, RETIRED = "building", "retired"


class LockBusy(Exception):
    """Another process holds the build lock (raised only when not waiting)."""


def staging_folder(target: Path) -> Path:
    return _sibling(target, BUILDING, os.getpid())


def _sibling(target: Path, kind: str, pid: int) -> Path:
    return target.with_name(f".{target.name}.{kind}-{pid}")


def _leftovers(target: Path, kind: str) -> list[Path]:
    """Folders of that kind beside `target`, newest first."""
    folders = [p for p in target.parent.glob(f".{target.name}.{kind}-*") if p.name.rsplit("-", 1)[-1].isdigit()]
    return sorted(folders, key=_modified, reverse=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by the build that owned it
        return 0.0


@contextmanager
def build_lock(target: Path, *, wait: bool = True, on_wait: Callable[[int | None], None] | None = None) -> Iterator[None]:
    """Hold the build lock of the index folder `target`. When another process holds it: wait for it
    (telling `on_wait` that process's pid, if known) or, with `wait=False`, raise LockBusy."""
    path = target.with_name(f".{target.name}.lock")
    told = False
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:  # the first write of a build: a read-only or full disk shows here
            raise write_error(target, error) from error
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise LockBusy(_holder(fd)) from None
                if on_wait and not told:
                    on_wait(_holder(fd))
                    told = True
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        if _still_at(fd, path):
            break
        os.close(fd)  # the holder removed the file as it let go: lock the one at the path now
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        # Removed while still held, so a process that opens the path afterwards locks a new file.
        with suppress(FileNotFoundError):
            path.unlink()
        os.close(fd)


def _holder(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def _still_at(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def restore(target: Path) -> None:
    """Put back an index that a killed build left beside `target`, and remove the other leftovers.
    Call it holding the build lock."""
    if not target.exists():
        # Killed between the two renames: the new index, if its build finished, else the old one.
        staged = [folder for folder in _leftovers(target, BUILDING) if _complete(folder)]
        candidates = staged[:1] or _leftovers(target, RETIRED)[:1]
        if candidates:
            os.rename(candidates[0], target)
    for folder in _leftovers(target, BUILDING) + _leftovers(target, RETIRED):
        shutil.rmtree(folder, ignore_errors=True)


def restore_if_possible(target: Path) -> None:
    """What loading does: `restore` when a killed build left folders and no build is running now.
    A running build restores for itself; on a read-only disk nothing can be put back."""
    if not (_leftovers(target, BUILDING) or _leftovers(target, RETIRED)):
        return
    try:
        with build_lock(target, wait=False):
            restore(target)
    except (LockBusy, IndexWriteError, OSError):
        pass


def build_in_progress(target: Path) -> int | None:
    """The pid of the build holding `target`'s lock, or None when none does (or it cannot be told)."""
    try:
        with build_lock(target, wait=False):
            return None
    except LockBusy as busy:
        return busy.args[0]
    except (IndexWriteError, OSError):
        return None


def _complete(folder: Path) -> bool:
    """A staged index whose build finished: its manifest (written last) and every file check out."""
    try:
        manifest = IndexManifest.from_dict(json.loads((folder / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError, AttributeError, ManifestProblem):
        return False
    return file_problem(folder, manifest.files) is None


def publish(staging: Path, target: Path) -> None:
    """Replace `target` with `staging`. Call it holding the build lock."""
    retired = _sibling(target, RETIRED, os.getpid())
    if target.exists():
        os.rename(target, retired)
    os.rename(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


INDEX_FILES = frozenset({MANIFEST, "documents.jsonl", "passages.jsonl", "dense.faiss", "sentence_vectors.npy",
                         "sentences.npy", "bm25", REPORT_JSON, REPORT_MARKDOWN})


def prepare_staging(target: Path, needed_bytes: int) -> Path:
    """Put back what a killed build left, then create the staging folder and make sure it can take
    the index: a file written and removed, and about `needed_bytes` free. Call it holding the build
    lock. Raises IndexWriteError, before anything is embedded."""
    staging = staging_folder(target)
    try:
        restore(target)
        if target.exists() and not (target.is_dir() and {p.name for p in target.iterdir()} <= INDEX_FILES):
            # Publishing replaces the folder: never one that holds anything but an index.
            raise IndexWriteError(f"{target} is not an index folder (it holds other files); build the index "
                                  "into a new folder or an index")
        staging.mkdir()
        probe = staging / ".probe"
        with probe.open("wb") as handle:
            handle.write(b"\0" * 4096)
            handle.flush()
            os.fsync(handle.fileno())
        probe.unlink()
        free = shutil.disk_usage(staging).free
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise write_error(target, error) from error
    if free < needed_bytes:
        shutil.rmtree(staging, ignore_errors=True)
        raise IndexWriteError(
            f"cannot write the index at {target}: it needs about {_megabytes(needed_bytes)} and its disk has "
            f"{_megabytes(free)} free; free some space or build the index on another disk (nothing was changed)"
        )
    return staging


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


_FIXES = {
    errno.ENOSPC: "free some space or build the index on another disk",
    errno.EDQUOT: "free some space or build the index on another disk",
    errno.EROFS: "build the index on a writable disk",
    errno.EACCES: "build the index in a folder you may write to",
    errno.EPERM: "build the index in a folder you may write to",
}


def write_error(target: Path, error: OSError) -> IndexWriteError:
    """One line for a failed write: what the system said, its code, the fix; the old index is kept."""
    if error.errno is None and _nearly_full(target):
        # numpy's tofile reports a short write as "N requested and M written", without an errno.
        error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    code = errno.errorcode.get(error.errno or 0, "")
    fix = _FIXES.get(error.errno or 0, "check the disk and build the index elsewhere if need be")
    return IndexWriteError(
        f"cannot write the index at {target}: {error.strerror or error}{f' ({code})' if code else ''}; "
        f"{fix}; any index already there is unchanged"
    )


def _nearly_full(target: Path) -> bool:
    try:
        return shutil.disk_usage(target.parent).free < 1 << 20
    except OSError:
        return False
