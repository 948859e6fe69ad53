"""The ingest report: what a build did with every file of its corpus folder (files seen, indexed, skipped
by reason, of a type no loader reads, OCR'd pages, text left out of passages, per file type). A build
prints it and writes it into the index folder as ingest.json and ingest.md, recorded in the manifest
like every other file (index/store/integrity.py)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import PurePath

from corpus import Corpus, Passage, SkippedFile
from corpus.chunking import left_out_chars
from corpus.loaders import SUPPORTED_SUFFIXES
from corpus.paragraphs import find_paragraphs

REPORT_JSON = "ingest.json"
REPORT_MARKDOWN = "ingest.md"


@dataclass(frozen=True)
class FileType:
    suffix: str  # ".pdf", or "(none)"
    seen: int
    indexed: int
    skipped: int  # not indexed: could not be read, or of a type no loader reads


@dataclass(frozen=True)
class IngestReport:
    files_seen: int  # indexed + skipped + unsupported
    indexed: int
    skipped: int  # files of a supported type that could not be read (and manifest entries without a file)
    skipped_by_reason: dict[str, int]  # the reason with the file's own path taken out
    unsupported: int  # files of a type no loader reads: listed, never opened
    passages: int
    ocr_pages: int  # pages whose text came from OCR (0 until OCR is part of a build)
    left_out_chars: int  # characters (whitespace not counted) of indexed documents in no passage
    text_chars: int  # characters (whitespace not counted) of indexed documents
    file_types: tuple[FileType, ...]
    skipped_files: tuple[SkippedFile, ...]  # every skipped and unsupported file, with its reason

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def ingest_report(corpus: Corpus, passages: Sequence[Passage]) -> IngestReport:
    """The report of `corpus` cut into `passages` (chunk_corpus's)."""
    by_document: dict[str, list[Passage]] = defaultdict(list)
    for passage in passages:
        by_document[passage.doc_id].append(passage)
    left_out = text_chars = 0
    for document in corpus.documents:
        paragraphs = find_paragraphs(document.text, document.page_starts)
        left_out += left_out_chars(document, by_document.get(document.doc_id, []), paragraphs)
        text_chars += sum(map(len, document.text.split()))
    unsupported = [*corpus.unsupported]
    reasons = Counter(_general(item) for item in corpus.skipped)
    reasons.update(_general(item) for item in unsupported)
    return IngestReport(
        files_seen=len(corpus.documents) + len(corpus.skipped) + len(unsupported),
        indexed=len(corpus.documents),
        skipped=len(corpus.skipped),
        skipped_by_reason=dict(reasons.most_common()),
        unsupported=len(unsupported),
        passages=len(passages),
        ocr_pages=sum(int(getattr(d, "ocr_pages", 0) or 0) for d in corpus.documents),
        left_out_chars=left_out,
        text_chars=text_chars,
        file_types=_file_types(corpus),
        skipped_files=(*corpus.skipped, *unsupported),
    )


def _general(item: SkippedFile) -> str:
    """A skip's reason without the file's own path, so that files skipped alike count together; a
    reason that names the file in other ways stays as it is."""
    reason = item.reason
    for name in {item.path, PurePath(item.path).name}:
        head, _, rest = reason.partition(": ")
        if rest and head.endswith(name):
            return rest
    return reason


def _suffix(path: str) -> str:
    return PurePath(path).suffix.lower() or "(none)"


def _file_types(corpus: Corpus) -> tuple[FileType, ...]:
    indexed = Counter(_suffix(d.path) for d in corpus.documents)
    skipped = Counter(_suffix(s.path) for s in (*corpus.skipped, *corpus.unsupported))
    return tuple(FileType(s, indexed[s] + skipped[s], indexed[s], skipped[s]) for s in sorted(indexed | skipped))


def report_markdown(report: IngestReport) -> str:
    """The report as Markdown tables: what `verbatim index` prints, and ingest.md."""
    share = report.left_out_chars / max(report.text_chars, 1)
    rows = [
        ("files seen", f"{report.files_seen:,}"),
        ("indexed", f"{report.indexed:,} ({report.passages:,} passages)"),
        ("skipped (could not be read)", f"{report.skipped:,}"),
        ("not a supported type", f"{report.unsupported:,}"),
        ("OCR'd pages", f"{report.ocr_pages:,}"),
        ("text left out as boilerplate", f"{report.left_out_chars:,} characters ({share:.1%})"),
    ]
    lines = ["## Ingest report", "", "| | |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)]
    if report.skipped_by_reason:
        lines += ["", "| not indexed because | files |", "|---|---|",
                  *(f"| {_cell(reason)} | {n} |" for reason, n in report.skipped_by_reason.items())]
    if report.unsupported:
        lines += ["", f"Supported types: {', '.join(SUPPORTED_SUFFIXES)}."]
    lines += ["", "| file type | seen | indexed | not indexed |", "|---|---|---|---|",
              *(f"| {t.suffix} | {t.seen} | {t.indexed} | {t.skipped} |" for t in report.file_types)]
    if report.skipped_files:
        lines += ["", "Files not indexed:", "", *(f"- {_cell(s.path)}: {_cell(_general(s))}" for s in report.skipped_files)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
