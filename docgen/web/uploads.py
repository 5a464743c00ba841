"""Files put into the inbox from the browser, and what became of each.

An upload is written to a temporary file in ``.docgen/`` and renamed into
``inbox/`` whole (never over another file), so the watcher sees only complete
files. The same inbox and the same pipeline take it from there: the web
office's own watcher thread, or a separately running ``docgen watch`` —
whichever claims it first. Each upload gets a ticket in
``.docgen/uploads/`` (its name, SHA-256 and time; no content), and its result
is found by SHA-256: a report in ``failed/`` written after the upload, or the
register's entries of that input finished after it.
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Collection

from ..errors import DocgenError
from ..inbox import is_candidate
from ..names import clean_name as safe_input_name
from ..names import visible
from ..pipeline import sha256_of
from ..publishing import publish_file
from ..reading import INPUT_SUFFIXES
from ..register import Register
from ..reports import report_path
from ..settings import Workspace

TICKET_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


@dataclass
class Result:
    state: str  # waiting | processing | done | failed
    name: str
    documents: list[dict] = field(default_factory=list)  # {id, number, title}
    report: str = ""


def clean_name(name: str, suffixes: Collection[str] = INPUT_SUFFIXES) -> str:
    """A safe file name for the inbox from what the browser sent; refuses what no reader reads (``suffixes``).

    Invisible and direction characters go, a Windows device name is defused and a long name is cut to fit the
    file system in bytes (keeping its extension), as for a file dropped into the inbox (``docgen.names``)."""
    base = UNSAFE.sub("_", Path(visible(str(name)).replace("\\", "/")).name).strip(" ").rstrip(".")
    if not base:
        raise DocgenError("У файла нет имени.")
    if Path(base).suffix.lower() not in suffixes:
        known = ", ".join(sorted(suffixes))
        raise DocgenError(f"Файл «{base}» не подходит: принимаются только {known}.")
    if not is_candidate(Path(base), suffixes):
        raise DocgenError(f"Файл «{base}» похож на временный или служебный и не будет обработан.")
    return safe_input_name(base)


class Uploads:
    def __init__(self, workspace: Workspace, register: Register, max_bytes: int,
                 suffixes: Collection[str] = INPUT_SUFFIXES):
        self.ws = workspace
        self.suffixes = suffixes
        self.register = register
        self.max_bytes = max_bytes
        self.tickets = workspace.state / "uploads"

    def put(self, name: str, data: bytes, login: str) -> str:
        """Put one file into the inbox; return its ticket."""
        name = clean_name(name, self.suffixes)
        if not data:
            raise DocgenError(f"Файл «{name}» пустой.")
        if len(data) > self.max_bytes:
            raise DocgenError(f"Файл «{name}» больше {self.max_bytes // (1024 * 1024)} МБ.")
        self.ws.ensure()
        started = time.time()
        with tempfile.TemporaryDirectory(dir=self.ws.state, prefix="upload-") as tmp:
            received = Path(tmp) / name
            received.write_bytes(data)
            target = publish_file(received, self.ws.inbox, received.stem, received.suffix, point="upload")
        ticket = secrets.token_urlsafe(18)
        self.tickets.mkdir(parents=True, exist_ok=True)
        record = {"name": target.name, "sha256": hashlib.sha256(data).hexdigest(), "at": started, "user": login}
        (self.tickets / f"{ticket}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        return ticket

    def ticket(self, ticket: str) -> dict | None:
        if not TICKET_RE.match(ticket or ""):
            return None
        try:
            return json.loads((self.tickets / f"{ticket}.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def result(self, ticket: str) -> Result | None:
        record = self.ticket(ticket)
        if record is None:
            return None
        name, sha, since = record["name"], record["sha256"], record["at"]
        failed = self.failed_report(sha, since)
        if failed is not None:
            return Result("failed", name, report=failed)
        status = self.register.input_status(sha)
        finished = status["finished_at"] if status is not None else None
        if status is not None and status["status"] == "done" and finished and finished >= _iso(since):
            docs = [{"id": e.id, "number": e.number, "title": e.heading}
                    for e in self.register.entries(sha256=sha) if e.status != "void"]
            return Result("done", name, documents=docs)
        if (self.ws.inbox / name).exists():
            return Result("waiting", name)
        return Result("processing", name)

    def failed_report(self, sha: str, since: float) -> str | None:
        folder = self.ws.failed
        if not folder.is_dir():
            return None
        for path in folder.iterdir():
            report = report_path(path)
            if not path.is_file() or not report.exists() or report.stat().st_mtime < since - 1:
                continue
            if path.stat().st_size > self.max_bytes:  # never an upload; hashing a sparse terabyte would hang the page
                continue
            try:
                if sha256_of(path) == sha:
                    return report.read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                continue
        return None


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(int(timestamp)).isoformat(timespec="seconds")
