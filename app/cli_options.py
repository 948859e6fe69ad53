"""What the CLI's commands share: the folder type of their path options, the configuration they
build, and what the entry point hands them (the command line as typed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

FOLDER = click.Path(path_type=Path, file_okay=False)
# ask and eval both take it: the query-side glossary can be switched per search.
GLOSSARY = click.option("--glossary/--no-glossary", default=None,
                        help="BM25 also looks for the field's words in the other languages (задержали → detained). "
                             "[default: on; env VERBATIM_GLOSSARY]")


@dataclass(frozen=True)
class Invocation:
    """What `main` knows of how the CLI was started, given to the commands (ctx.obj) rather than read
    from `sys.argv` inside them."""

    argv: tuple[str, ...] = ()  # the arguments after the program's name

    def command_line(self) -> str:
        """The command as the user typed it, e.g. for a report to say what produced it."""
        return " ".join(("verbatim", *self.argv))


def load_config(**overrides: object):
    """The configuration: defaults, then VERBATIM_* environment variables, then the options given."""
    from index.config import Config

    return Config.from_env(**overrides)
