"""What the office pages show, read from the workspace folders and the register (read-only).

The journal query filters in SQL (series, year, type, text) and then by the
status a person sees (выпущен, на подписи, подписан, аннулирован, заменён),
which also depends on the signature marks. Files are found by register id:
an entry's outputs are names the register recorded in ``outbox/``; its source
is the file in ``inbox/processed/`` with the entry's SHA-256. No path from a
request is ever opened.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Collection

from ..claims import original_name
from ..inbox import list_inbox
from ..reading import INPUT_SUFFIXES
from ..pipeline import sha256_of
from ..register import Entry, Register, _entry
from ..reports import REPORT_SUFFIX, report_path
from ..settings import Workspace
from .signing import Signature, Signatures

STATUS_TITLES = {
    "issuing": "выпускается",
    "issued": "выпущен",
    "awaiting": "на подписи",
    "signed": "подписан",
    "void": "аннулирован",
    "replaced": "заменён",
    "reserved": "зарезервирован",
}
FILTER_STATUSES = ("issued", "awaiting", "signed", "void", "replaced")
FIXED_FOLDER = "Исправлено"
PAGE_SIZE = 50


def fold(text: str | None) -> str:
    return (text or "").casefold().replace("ё", "е")


@dataclass
class Row:
    """One journal line as a page shows it."""

    entry: Entry
    status: str
    signature: Signature | None
    personal: bool

    @property
    def has_pdf(self) -> bool:
        return any(name.lower().endswith(".pdf") for name in self.entry.outputs)

    @property
    def status_title(self) -> str:
        return STATUS_TITLES.get(self.status, self.status)


@dataclass
class JournalPage:
    rows: list[Row]
    total: int
    page: int
    pages: int
    filters: dict = field(default_factory=dict)


@dataclass
class WaitingFile:
    name: str
    size: int
    modified: datetime


@dataclass
class FailedFile:
    name: str
    report: str
    failed_at: datetime


class Office:
    """Read access to one workspace for the pages."""

    def __init__(self, workspace: Workspace, register: Register, signatures: Signatures,
                 signed_types: set[str], personal_types: set[str], suffixes: Collection[str] = INPUT_SUFFIXES):
        self.ws = workspace
        self.suffixes = frozenset(suffixes)  # what the readers read (``Hooks.input_suffixes``)
        self.register = register
        self.signatures = signatures
        self.signed_types = signed_types  # types the director signs (orders, letters, roadmaps)
        self.personal_types = personal_types

    # --- statuses ------------------------------------------------------------------

    def status_of(self, entry: Entry, signature: Signature | None) -> str:
        if entry.status in ("void", "replaced", "reserved"):
            return entry.status
        if entry.status == "issued":
            return "issuing"
        if signature is not None or entry.status == "signed":
            return "signed"
        return "awaiting" if entry.type_id in self.signed_types else "issued"

    def row(self, entry: Entry) -> Row:
        signature = self.signatures.signature_of(entry)
        return Row(entry, self.status_of(entry, signature), signature, entry.type_id in self.personal_types)

    # --- the journal -----------------------------------------------------------------

    def where(self, series: str, year: int | None, type_id: str, text: str) -> tuple[str, list]:
        sql, args = " WHERE 1=1", []
        if series:
            sql += " AND series = ?"
            args.append(series)
        if year:
            sql += " AND year = ?" if series else " AND COALESCE(year, CAST(substr(doc_date, 1, 4) AS INTEGER)) = ?"
            args.append(year)
        if type_id:
            sql += " AND type_id = ?"
            args.append(type_id)
        if text.strip():
            sql += " AND instr(fold(COALESCE(number, '') || ' ' || heading || ' ' || signer || ' ' || input_name), ?) > 0"
            args.append(fold(text.strip()))
        return sql, args

    def status_where(self, status: str) -> tuple[str, list]:
        """The SQL condition for a status as shown (the register keeps signature marks in its own column)."""
        stored = {"void": "void", "replaced": "replaced", "issuing": "issued"}
        if status in stored:
            return " AND status = ?", [stored[status]]
        own = "type_id IN (SELECT value FROM json_each(?))"
        signed_types_json = json.dumps(sorted(self.signed_types))
        live = "status IN ('published', 'imported')"
        return {"signed": (f" AND {live} AND signed_on IS NOT NULL", []),
                "awaiting": (f" AND {live} AND signed_on IS NULL AND {own}", [signed_types_json]),
                "issued": (f" AND {live} AND signed_on IS NULL AND NOT {own}", [signed_types_json])}.get(status, ("", []))

    def _read(self, sql: str, args: list) -> list[sqlite3.Row]:
        if self.register.journal.kind != "sqlite":  # the school's journal in PostgreSQL (docgen/register/db.py)
            return self.register.read(lambda conn: conn.execute(sql, args).fetchall())
        with closing(sqlite3.connect(f"file:{self.register.path}?mode=ro", uri=True, timeout=10)) as conn:
            conn.row_factory = sqlite3.Row
            conn.create_function("fold", 1, fold, deterministic=True)
            return conn.execute(sql, args).fetchall()

    def query(self, series: str = "", year: int | None = None, type_id: str = "", text: str = "") -> list[Entry]:
        where, args = self.where(series, year, type_id, text)
        return [_entry(r) for r in self._read("SELECT * FROM entries" + where + " ORDER BY id DESC", args)]

    def journal(self, series: str = "", year: int | None = None, type_id: str = "", status: str = "",
                text: str = "", page: int = 1, page_size: int = PAGE_SIZE) -> JournalPage:
        """One page of the journal, newest first; filtered and counted in SQL."""
        filters = {"series": series, "year": year or "", "type": type_id, "status": status, "q": text}
        where, args = self.where(series, year, type_id, text)
        by_status = self.status_where(status) if status else ("", [])
        where += by_status[0]
        args += by_status[1]
        total = self._read("SELECT COUNT(*) FROM entries" + where, args)[0][0]
        pages = max(1, -(-total // page_size))
        page = min(max(1, page), pages)
        found = self._read("SELECT * FROM entries" + where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                           [*args, page_size, (page - 1) * page_size])
        return JournalPage([self.row(_entry(r)) for r in found], total, page, pages, filters)

    def years(self) -> list[int]:
        with closing(self.register._connect()) as conn:
            rows = conn.execute("SELECT DISTINCT COALESCE(year, CAST(substr(doc_date, 1, 4) AS INTEGER)) FROM entries "
                                "ORDER BY 1 DESC").fetchall()
        return [r[0] for r in rows if r[0]]

    def entry(self, entry_id: int) -> Entry | None:
        try:
            return self.register.entry(entry_id)
        except TypeError:  # no such row
            return None

    # --- files of an entry, by its id ---------------------------------------------------

    def output_file(self, entry: Entry, suffix: str) -> Path | None:
        for name in entry.outputs:
            if Path(name).name == name and name.lower().endswith(suffix):
                path = self.ws.outbox / name
                if path.is_file():
                    return path
        return None

    def scan_file(self, entry: Entry) -> Path | None:
        """The uploaded scan of the signed paper, by the name its signature mark recorded."""
        from .signing import SCAN_FOLDER

        signature = self.signatures.signature_of(entry)
        if signature is None or not signature.scan or Path(signature.scan).name != signature.scan:
            return None
        path = self.ws.outbox / SCAN_FOLDER / signature.scan
        return path if path.is_file() else None

    def source_file(self, entry: Entry) -> Path | None:
        """The input in processed/ whose bytes are the entry's (the same name may be there several times)."""
        folder = self.ws.processed
        if not folder.is_dir():
            return None
        stem, suffix = Path(entry.input_name).stem, Path(entry.input_name).suffix
        candidates = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == suffix and p.stem.startswith(stem))
        for path in candidates:
            if sha256_of(path) == entry.input_sha256:
                return path
        return None

    def history(self, entry: Entry) -> list[tuple[str, str]]:
        """(when, what) lines of an entry: registered, published, signed, voided; other entries of its input."""
        lines = [(entry.created_at, f"номер выдан ({entry.input_name}, документ {entry.doc_index + 1})")]
        row = self.row(entry)
        if entry.status not in ("issued",) and entry.outputs:
            lines.append((entry.created_at, "выпущен: " + ", ".join(entry.outputs)))
        if row.signature:
            scan = ", скан загружен" if row.signature.scan else ""
            lines.append((row.signature.signed_on, f"подписан ({row.signature.signed_by}{scan})"))
        if entry.status == "void":
            lines.append(("", f"аннулирован: {entry.void_reason or 'без причины'}"))
        for other in self.register.entries(sha256=entry.input_sha256):
            if other.id != entry.id and other.doc_index == entry.doc_index:
                lines.append((other.created_at, f"другая версия этого документа: № {other.number or '—'} "
                                                f"({STATUS_TITLES.get(other.status, other.status)})"))
        return lines

    # --- the summary ------------------------------------------------------------------------

    def waiting(self) -> list[WaitingFile]:
        try:
            paths = list_inbox(self.ws.inbox, self.suffixes)
        except OSError:
            return []
        return sorted((_waiting(p) for p in paths if p.exists()), key=lambda w: w.modified)

    def processing(self) -> list[str]:
        folder = self.ws.processing
        return sorted(original_name(p) for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []

    def failed(self) -> list[FailedFile]:
        folder = self.ws.failed
        if not folder.is_dir():
            return []
        items = []
        for path in folder.iterdir():
            if path.is_file() and not path.name.endswith(REPORT_SUFFIX) and not path.name.startswith("."):
                report = report_path(path)
                text = report.read_text(encoding="utf-8-sig", errors="replace") if report.exists() else ""
                items.append(FailedFile(path.name, text, datetime.fromtimestamp(path.stat().st_mtime)))
        return sorted(items, key=lambda f: f.failed_at, reverse=True)

    def failed_file(self, name: str, report: bool = False) -> Path | None:
        """A failed input (or its report) by its exact name as listed — never a path."""
        listed = {f.name for f in self.failed()}
        if name not in listed:
            return None
        path = self.ws.failed / name
        return report_path(path) if report else path

    def issued_since(self, since: date) -> list[Row]:
        start = since.isoformat()
        entries = [e for e in self.register.entries() if e.created_at[:10] >= start and e.status != "issued"]
        return [self.row(e) for e in reversed(entries)]

    def awaiting_signature(self) -> list[Row]:
        rows = [self.row(e) for e in self.register.entries(status="published")]
        return [r for r in reversed(rows) if r.status == "awaiting"]

    def summary(self) -> dict:
        today = date.today()
        week_start = today - timedelta(days=today.weekday())
        week = self.issued_since(week_start)
        return {
            "waiting": self.waiting(), "processing": self.processing(), "failed": self.failed(),
            "today": [r for r in week if r.entry.created_at[:10] == today.isoformat()],
            "week": week, "awaiting": self.awaiting_signature(),
        }


def _waiting(path: Path) -> WaitingFile:
    stat = path.stat()
    return WaitingFile(path.name, stat.st_size, datetime.fromtimestamp(stat.st_mtime))
