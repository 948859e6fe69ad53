"""What a build tells its user about a file it did index, but not quite as the user may expect."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileWarning:
    path: str  # as shown to the user: relative to the repository when inside it
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"
