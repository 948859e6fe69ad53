"""What the CLI's commands share: the folder type of their path options, the configuration they
build, and what the entry point hands them (the command line as typed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import click

from corpus.languages import language_codes

FOLDER = click.Path(path_type=Path, file_okay=False)
# ask and eval both take it: the query-side glossary can be switched per search.
GLOSSARY = click.option("--glossary/--no-glossary", default=None,
                        help="BM25 also looks for the field's words in the other languages (задержали → detained). "
                             "[default: on; env VERBATIM_GLOSSARY]")


Command = TypeVar("Command", bound=Callable[..., object])


def filter_options(command: Command) -> Command:
    """The filters `ask` and `batch` both take: --publisher, --doc, --since, --until, --include-undated,
    --language (arguments.filters builds them)."""
    options = (
        click.option("--publisher", multiple=True, help="Only this publisher (part of the name is enough). Repeatable."),
        click.option("--doc", "doc_ids", multiple=True, help="Only this document id. Repeatable."),
        click.option("--since", default="", help="Only documents dated on or after YYYY[-MM[-DD]]."),
        click.option("--until", default="", help="Only documents dated on or before YYYY[-MM[-DD]]."),
        click.option("--include-undated", "undated", is_flag=True,
                     help="With --since or --until, also the documents that give no date (they are left out otherwise)."),
        click.option("--language", "languages", multiple=True, type=click.Choice(language_codes()),
                     help="Only passages in this language. Repeatable."),
    )
    for option in reversed(options):
        command = option(command)
    return command


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
