"""Files in requests: only the uploads (the evaluation tab's question set, the batch tab's list, the
Add documents tab's reports) take them, and only files the page uploaded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import gradio as gr

from app.security import UploadRefused, uploaded_file

_GUARDED = "_verbatim_guarded"  # set on a component whose files are checked


def guard_blocks(app: gr.Blocks, upload: gr.components.Component, showing: Iterable[gr.components.Component],
                 uploads: Iterable[tuple[gr.components.Component, Callable[[str | Path], None]]] = ()) -> None:
    """The upload takes only a question set the page uploaded, each of `uploads` only what its check
    lets through; the components `showing` our own files (the plot, the downloads) are left alone;
    every other component takes no file at all."""
    ours, checks = tuple(showing), tuple(uploads)
    for block in app.blocks.values():
        if getattr(block, _GUARDED, False):
            continue  # a field that takes files of its own (the Add documents tab's) has its own check
        check = next((check for component, check in checks if component is block), None)
        if block is upload:
            guard_files(block, _uploaded_question_set)
        elif check is not None and isinstance(block, gr.components.Component):
            guard_files(block, check)
        elif isinstance(block, gr.components.Component) and block not in ours:
            guard_files(block, _no_file)


def guard_files(component: gr.components.Component, check: Callable[[str | Path], None]) -> None:
    """Run `check` on every file a request names for this component before Gradio touches it. Gradio
    copies such a file into its cache before the handler runs (reading it whole to hash it: /dev/zero
    never ends), and fetches a URL given in its place. Set on the instance: a component subclass
    would make Gradio write a .pyi stub next to this module."""
    copy_async, copy = component.async_move_resource_to_block_cache, component.move_resource_to_block_cache

    async def checked_async(url_or_file_path: str | Path | None) -> str | None:
        if url_or_file_path is not None:
            check(url_or_file_path)
        return await copy_async(url_or_file_path)

    def checked(url_or_file_path: str | Path | None) -> str | None:
        if url_or_file_path is not None:
            check(url_or_file_path)
        return copy(url_or_file_path)

    component.async_move_resource_to_block_cache = checked_async  # type: ignore[method-assign]
    component.move_resource_to_block_cache = checked  # type: ignore[method-assign]
    setattr(component, _GUARDED, True)


def _uploaded_question_set(path: str | Path) -> None:
    """Only a small regular file the page uploaded; never a URL, a device or a file elsewhere."""
    try:
        uploaded_file(path)
    except UploadRefused as error:
        raise gr.Error(f"Cannot use this question set: {error}", print_exception=False) from error


def _no_file(path: str | Path) -> None:
    raise gr.Error("this field takes no file; send its value as text, a number or a list", print_exception=False)
