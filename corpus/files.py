"""Which files a build may read, and reading them: only regular files inside the corpus folder.

A name in the corpus folder can be a link to any file on the machine (`ln -s /etc/passwd
passwd.txt`), to a device that never ends (`/dev/zero`) or a pipe that blocks forever. Each is
checked before it is opened, and the open file is checked again, in case the name changed between.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from corpus.errors import LoadError

# Not reports, whatever they are called: never read, even when the corpus folder itself is there.
_SYSTEM_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))


def real_path(path: Path) -> Path:
    """Where `path` really leads, every link followed (a broken link leads to a name that does not exist)."""
    return Path(os.path.realpath(path))


def refusal(path: Path, folder: Path) -> str | None:
    """Why `path` must not be read as part of the corpus in `folder`, or None when it may be."""
    real = real_path(path)
    if any(real.is_relative_to(root) for root in _SYSTEM_ROOTS):
        return f"{path}: leads to {real}, a system file, not a report; it is never read"
    try:
        mode = os.stat(real).st_mode  # the file's type only: nothing of it is read
    except OSError as error:
        return f"{path}: cannot be read ({error.strerror})"
    if not stat.S_ISREG(mode):
        return f"{path}: is not a regular file but {_kind(mode)}; only regular files are read"
    if not real.is_relative_to(real_path(folder)):
        return (f"{path}: is a link to {real}, outside the corpus folder {folder}; "
                "copy the file into the corpus folder to index it")
    return None


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file; a device, pipe, socket or folder is refused without reading it."""
    try:
        # O_NONBLOCK: should the name have become a pipe since it was checked, opening does not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise LoadError(f"{path}: cannot be read ({error.strerror})") from error
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise LoadError(f"{path}: is not a regular file but {_kind(mode)}; only regular files are read")
        try:
            return handle.read()
        except OSError as error:
            raise LoadError(f"{path}: cannot be read ({error.strerror})") from error


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "something else"
