"""OCR with Tesseract: text for images and for the PDF pages that have no text layer.

The OCR text is a document's canonical text, so citations index into it and `verbatim verify` re-reads
it: it is cached by the file's SHA-256 (work_dir()/ocr/<sha256>.<languages>.json, one text per page),
so an unchanged file is never OCR'd twice, and a verify reads exactly the text that was indexed.

Languages: `-l` takes them in order, and the order changes the text. Measured on the pages of
tests/test_ocr.py (Tesseract 5.3.0, Debian's eng/rus/kaz models, DejaVu Sans 40 px at 300 dpi; 40 English,
23 Russian and 22 Kazakh words), share of the known words recovered, en / ru / kk, as PNG files and as
the pages of an image-only PDF (rendered back by pdftoppm):
                 PNG                  PDF
    eng+kaz+rus  1.00 / 1.00 / 1.00   1.00 / 1.00 / 1.00   <- the default: the only one whole on both
    eng+rus+kaz  1.00 / 1.00 / 0.95   1.00 / 1.00 / 1.00   (PNG: Kazakh ұ read as у, "ұстаулар" → "устаулар")
    rus+eng+kaz  0.97 / 1.00 / 0.95   1.00 / 1.00 / 0.95   (PNG: English "in" read as Cyrillic "п")
    rus+kaz+eng  0.97 / 1.00 / 0.95   1.00 / 1.00 / 0.95
    kaz+eng+rus  0.97 / 1.00 / 1.00   1.00 / 1.00 / 1.00   (PNG: English "in" read as Cyrillic "іп")
    kaz+rus+eng  0.97 / 1.00 / 1.00   1.00 / 1.00 / 1.00
English first keeps English words Latin; Kazakh before Russian keeps the Kazakh letters. A corpus
chooses others with $VERBATIM_OCR_LANGUAGES, a file with `ocr_languages` in its manifest entry.
test_ocr.py prints the figures for the default on every run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from corpus.errors import LoadError
from corpus.loaders import LoadedText
from corpus.paths import work_dir

DEFAULT_LANGUAGES = "eng+kaz+rus"  # measured: see above
INSTALL = "apt-get install -y tesseract-ocr tesseract-ocr-rus tesseract-ocr-kaz poppler-utils"
ENV_LANGUAGES = "VERBATIM_OCR_LANGUAGES"
_LANGUAGES = re.compile(r"^[a-z]{3}(?:_[a-z]+)?(?:\+[a-z]{3}(?:_[a-z]+)?)*$")
DPI = 300  # what a PDF page is rendered at, and what a PNG without its own resolution is taken to be
CALLS = {"tesseract": 0}  # tesseract runs in this process: the tests check a cached file makes none


def languages_problem(value: str) -> str | None:
    """Why `value` is not a Tesseract language list ("eng+rus+kaz"), or None when it is one."""
    if _LANGUAGES.match(value):
        return None
    return f"{value!r} is not a list of Tesseract languages; write codes joined by '+', e.g. {DEFAULT_LANGUAGES!r}"


def languages_for(path: Path) -> str:
    """The OCR languages of a file: its manifest entry's `ocr_languages`, else $VERBATIM_OCR_LANGUAGES,
    else the default. Read here, from the file's own manifest, so indexing and verify agree."""
    named = _entry_languages(path) or os.environ.get(ENV_LANGUAGES, "").strip() or DEFAULT_LANGUAGES
    if problem := languages_problem(named):
        raise LoadError(f"{path}: OCR languages {problem}")
    return named


def _entry_languages(path: Path) -> str:
    resolved = path.resolve()
    for folder in resolved.parents:
        manifest = folder / "manifest.toml"
        if not manifest.is_file():
            continue
        try:
            entries = tomllib.loads(manifest.read_text(encoding="utf-8")).get("document", [])
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # the manifest's own check (corpus/manifest.py) names what is wrong with it
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("path"), str) \
                    and (folder / entry["path"]).resolve() == resolved:
                value = entry.get("ocr_languages", "")
                return value if isinstance(value, str) else ""
    return ""


def missing_tools(pdf: bool = False) -> str | None:
    """What OCR lacks on this machine, with the command that installs it; None when all is there."""
    tools = ("tesseract", "pdftoppm") if pdf else ("tesseract",)
    absent = [tool for tool in tools if shutil.which(tool) is None]
    return f"OCR needs {' and '.join(absent)}: {INSTALL}" if absent else None


def cache_dir() -> Path:
    """Where OCR text is kept, one JSON file per file's hash and languages."""
    return work_dir() / "ocr"


def ocr_pages(path: Path, data: bytes, pages: Sequence[int], render: Callable[[int, Path], Path]) -> dict[int, str]:
    """The OCR text of `pages` (0-based) of a file, from the cache when it has them; `render(page, folder)`
    writes a page's image into `folder` and returns its path."""
    languages = languages_for(path)
    cache = cache_dir() / f"{hashlib.sha256(data).hexdigest()}.{languages}.json"
    cached: dict[str, str] = _read_cache(cache)
    wanted = [page for page in pages if str(page) not in cached]
    if wanted:
        _check_languages(path, languages)
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="verbatim-ocr-") as folder:
            for page in wanted:
                cached[str(page)] = tesseract(path, render(page, Path(folder)), languages)
                # Kept after every page: a build killed in a 300-page scan resumes at the page it stopped on.
                _write_cache(cache, cached)
    return {page: cached[str(page)] for page in pages}


def _write_cache(cache: Path, pages: dict[str, str]) -> None:
    partial = cache.with_name(f"{cache.name}.{os.getpid()}.part")  # two builds at once never share one
    partial.write_text(json.dumps(pages, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    partial.replace(cache)  # whole or not at all: a run stopped half-way leaves no torn cache


def _read_cache(cache: Path) -> dict[str, str]:
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {key: value for key, value in data.items() if isinstance(value, str)} if isinstance(data, dict) else {}


def _check_languages(path: Path, languages: str) -> None:
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout
    installed = set(listed.split()[1:]) if listed else set()  # the first line says where they lie
    absent = [code for code in languages.split("+") if code not in installed]
    if absent:
        packages = " ".join(f"tesseract-ocr-{code.replace('_', '-')}" for code in absent)
        raise LoadError(f"{path}: OCR language {', '.join(absent)} is not installed; apt-get install -y {packages}")


def tesseract(path: Path, image: Path, languages: str) -> str:
    """One page's text, as Tesseract reads the image: its lines, with the trailing page break left out."""
    CALLS["tesseract"] += 1
    # One thread: the same text every run, and fair to the other work on a shared machine.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = ["tesseract", str(image), "stdout", "-l", languages, "--dpi", str(DPI), "--psm", "3"]
    result = subprocess.run(command, capture_output=True, env=env, check=False)
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise LoadError(f"{path}: OCR failed ({reason[-1] if reason else f'tesseract exit {result.returncode}'})")
    text = result.stdout.decode("utf-8", "replace").replace("\r\n", "\n").replace("\f", "")
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def render_pdf_page(pdf: Path, data: bytes) -> Callable[[int, Path], Path]:
    """A renderer of one page (0-based) of the PDF `data` (the bytes hashed, not the file as it is now)
    to a grey PNG at DPI, with poppler's pdftoppm."""
    def render(page: int, folder: Path) -> Path:
        source = folder / "source.pdf"
        if not source.exists():
            source.write_bytes(data)
        stem = folder / f"page-{page + 1}"
        command = ["pdftoppm", "-f", str(page + 1), "-l", str(page + 1), "-r", str(DPI), "-gray", "-png",
                   "-singlefile", str(source), str(stem)]
        result = subprocess.run(command, capture_output=True, check=False)
        if result.returncode != 0:
            raise LoadError(f"{pdf}: page {page + 1} cannot be rendered for OCR "
                            f"({result.stderr.decode('utf-8', 'replace').strip()})")
        return stem.with_suffix(".png")
    return render


def load_image(path: Path, data: bytes) -> LoadedText:
    """A .png, .jpg or .tif file (each frame of a multi-page TIFF a page), read by OCR."""
    import io

    from PIL import Image, UnidentifiedImageError

    if missing := missing_tools():
        raise LoadError(f"{path}: an image is read by OCR, and {missing}")
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
        raise LoadError(f"{path}: not a readable image ({error})") from error

    def render(page: int, folder: Path) -> Path:
        target = folder / f"page-{page + 1}.png"
        with Image.open(io.BytesIO(data)) as image:
            image.seek(page)
            image.convert("L").save(target)
        return target

    texts = ocr_pages(path, data, range(frames), render)
    text, page_starts = join_pages([texts[page] for page in range(frames)])
    return LoadedText(text=text, title="", page_starts=page_starts, ocr_pages=frames)


def join_pages(pages: Sequence[str]) -> tuple[str, tuple[int, ...]]:
    """Pages joined by a line break (as corpus/loaders.py joins a PDF's), and where each starts."""
    starts: list[int] = []
    offset = 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + 1
    return "\n".join(pages), tuple(starts)


def ocr_pdf_pages(path: Path, data: bytes, page_texts: list[str]) -> tuple[list[str], tuple[str, ...], int]:
    """A PDF's page texts with OCR text for the pages that have no text layer, any warning, and how many
    pages were read by OCR. Without
    Tesseract a scanned PDF is refused, naming the install command; a mixed one keeps its text pages."""
    blank = [number for number, text in enumerate(page_texts) if not text.strip()]
    if not blank:
        return page_texts, (), 0
    if missing := missing_tools(pdf=True):
        if len(blank) == len(page_texts):
            raise LoadError(f"{path}: holds no text layer (a scan?), and {missing}")
        numbers = ", ".join(str(number + 1) for number in blank)
        return page_texts, (f"no text layer on page {numbers} of {len(page_texts)}, left unread: {missing}",), 0
    texts = ocr_pages(path, data, blank, render_pdf_page(path, data))
    return [texts.get(number, text) for number, text in enumerate(page_texts)], (), len(blank)
