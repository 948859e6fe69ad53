"""What the server lets in: requests that name one of its own host names, and question sets and
reports that the browser really uploaded. Everything else is refused with one line, before any file is
touched."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

ALLOWED_HOSTS_ENV = "VERBATIM_ALLOWED_HOSTS"
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
ANY_HOST = "*"
MAX_UPLOAD_BYTES = 1_000_000  # a question set (the bundled ones are 13-24 kB), or a batch's list of queries
# A report added on the Add documents tab: the 262 UN reports are 0.1-3 MB as PDF; a long scanned
# report can reach tens of MB. Larger collections are better indexed with `verbatim index`.
MAX_REPORT_BYTES = 50_000_000
MAX_REPORTS = 20  # files added at once
MAX_REPORTS_BYTES = 200_000_000  # all of them together


class UploadRefused(ValueError):
    """A file that is not a small regular file uploaded through the page."""


@dataclass(frozen=True)
class UploadKind:
    """What the page takes in one of its file fields, as its refusals name it."""

    name: str  # "question set"
    file: str  # "the .jsonl file": what to upload instead
    limit: int  # bytes
    smaller: str  # what to do with a file over the limit


QUESTION_SET = UploadKind("question set", "the .jsonl file", MAX_UPLOAD_BYTES, "split it into smaller files")
QUERY_LIST = UploadKind("list of queries", "a .csv or .txt file", MAX_UPLOAD_BYTES, "split it into smaller files")
REPORT = UploadKind("report", "the report file", MAX_REPORT_BYTES, "index a larger one with `verbatim index`")


def host_name(value: str) -> str:
    """The name part of a Host header or host option, lower-cased: "[::1]:7860" → "::1"."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.index("]")] if "]" in value else value
    if value.count(":") == 1:  # name:port; a bare IPv6 address has several colons
        value = value.split(":", 1)[0]
    return value.rstrip(".")


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The names a request may give in its Host header: the local names, the bound host, and those
    the user allowed (`--allow-host`, and VERBATIM_ALLOWED_HOSTS as a comma-separated list)."""
    from_env = os.environ.get(ALLOWED_HOSTS_ENV, "").split(",")
    names = {host_name(name) for name in (*LOCAL_NAMES, bound, *extra, *from_env) if name.strip()}
    return frozenset(names)


def is_loopback(host: str) -> bool:
    """Whether binding `host` serves this machine alone (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    name = host_name(host)
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a name that may resolve to any address


def origins(hosts: frozenset[str], port: int) -> list[str]:
    """The browser origins of the allowed names: the only ones CORS answers for."""
    suffix = "" if port == 80 else f":{port}"
    return sorted(f"http://[{h}]{suffix}" if ":" in h else f"http://{h}{suffix}" for h in hosts if h != ANY_HOST)


class HostCheck:
    """ASGI middleware: a request whose Host header names another host gets 400. A page of another
    site that a DNS-rebinding attack points at this port sends its own name, and is refused."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or ANY_HOST in self.hosts:
            await self.app(scope, receive, send)
            return
        header = Headers(scope=scope).get("host", "")
        if host_name(header) in self.hosts:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        shown = header[:100] or "(none)"
        allowed = ", ".join(sorted(self.hosts))
        message = (f"Host {shown!r} is not served here; use one of {allowed}, "
                   f"or start `verbatim serve` with --allow-host NAME to allow another name.\n")
        await PlainTextResponse(message, status_code=400)(scope, receive, send)


def upload_folder() -> Path:
    """Where Gradio puts the files a browser uploads (GRADIO_TEMP_DIR, else the temp dir's "gradio")."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder())


def uploaded_file(path: str | os.PathLike[str], kind: UploadKind = QUESTION_SET) -> Path:
    """The real path of a file the browser uploaded, checked to be a regular file of at most
    `kind.limit` bytes inside the upload folder; UploadRefused otherwise. A path outside the folder is
    refused on its name alone: nothing outside is ever stat-ed, opened or read (/dev/zero, /proc, an index)."""
    text = os.fspath(path)
    if "://" in text or text.startswith(("http:", "https:", "ftp:", "data:", "file:")):
        raise UploadRefused(f"the server fetches nothing from the network; upload {kind.file} from your computer")
    folders = {os.path.abspath(upload_folder()), os.path.realpath(upload_folder())}
    given = os.path.abspath(text)
    if not any(_inside(given, folder) for folder in folders):
        raise UploadRefused(f"{text} was not uploaded through this page; upload {kind.file} with the file picker")
    real = os.path.realpath(given)  # a link inside the folder may point anywhere: check where it ends
    if not any(_inside(real, folder) for folder in folders):
        raise UploadRefused(f"{text} leads outside the upload folder; upload {kind.file} with the file picker")
    try:
        # O_NONBLOCK: opening a FIFO never waits for a writer; O_NOFOLLOW: no link swapped in since.
        descriptor = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise UploadRefused(f"cannot open the uploaded file {Path(text).name} ({error.strerror}); upload it again") from error
    try:
        info = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    if not stat.S_ISREG(info.st_mode):
        raise UploadRefused(f"{Path(text).name} is not a regular file; upload {kind.file}")
    if info.st_size > kind.limit:
        raise UploadRefused(f"{Path(text).name} is {info.st_size:,} bytes; a {kind.name} may have at most "
                            f"{kind.limit:,} bytes: {kind.smaller}")
    return Path(real)


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder and path != folder
