"""Marking a document signed by hand, through one small adapter over the register.

The register gains ``Register.mark_signed(number_or_entry, signed_on,
signed_by, method="hand", details=None, scan=None)`` and a «signed» status
(docs/register.md); while a register without it is in use, the mark is kept in
the web office's own table ``signatures`` of ``.docgen/web.sqlite``. The
pages only call ``mark_signed`` and ``signature_of`` below. A scan of the
signed paper is kept in ``outbox/Подписанные/`` (``sign_with_scan``), named
after the document, only after its bytes are seen to be a PDF, JPEG or PNG.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..errors import DocgenError
from ..register import Entry, Register

SCHEMA = """
CREATE TABLE IF NOT EXISTS signatures (
    entry_id    INTEGER PRIMARY KEY,
    signed_on   TEXT NOT NULL,
    signed_by   TEXT NOT NULL,
    method      TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    scan        TEXT            -- file name in outbox/Подписанные/, if a scan was uploaded
);
"""


@dataclass(frozen=True)
class Signature:
    signed_on: str
    signed_by: str
    method: str = "hand"
    scan: str | None = None


class Signatures:
    """Where a document's signature mark lives: the register when it can, else the fallback table."""

    def __init__(self, register: Register, state: Path):
        self.register = register
        self.db = Path(state) / "web.sqlite"
        self.native = hasattr(register, "mark_signed")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db, timeout=10)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(SCHEMA)
        return conn

    @staticmethod
    def check(entry: Entry, signed_on: date) -> None:
        """Refuse a mark the register would not take: a void number, a date in the future or before the document."""
        if entry.status == "void":
            raise DocgenError(f"Номер {entry.number} аннулирован; подписать нельзя.")
        if signed_on > date.today():
            raise DocgenError("Дата подписания не может быть позже сегодняшней.")
        if signed_on.isoformat() < entry.doc_date:
            raise DocgenError("Дата подписания не может быть раньше даты документа.")

    def mark_signed(self, entry: Entry, signed_on: date, signed_by: str, scan: Path | None = None) -> None:
        self.check(entry, signed_on)
        if self.native:
            self.register.mark_signed(entry.id, signed_on, signed_by, method="hand", scan=scan)
            return
        with closing(self._connect()) as conn, conn:
            conn.execute("INSERT OR REPLACE INTO signatures VALUES (?, ?, ?, 'hand', ?, ?)",
                         (entry.id, signed_on.isoformat(), signed_by, datetime.now().isoformat(timespec="seconds"),
                          scan.name if scan else None))

    def sign_with_scan(self, entry: Entry, signed_on: date, signed_by: str, data: bytes, max_bytes: int,
                       outbox: Path, state: Path) -> None:
        """Mark signed with the scan of the signed paper; a refused mark or scan keeps no file."""
        self.check(entry, signed_on)
        if self.native:  # the register copies the scan into outbox/Подписанные/ itself
            import tempfile

            with tempfile.TemporaryDirectory(dir=state, prefix="scan-") as tmp:
                scan = save_scan(Path(tmp), entry, data, max_bytes, folder_name="")
                self.register.mark_signed(entry.id, signed_on, signed_by, method="hand", scan=scan)
            return
        scan = save_scan(outbox, entry, data, max_bytes)
        try:
            self.mark_signed(entry, signed_on, signed_by, scan=scan)
        except BaseException:
            scan.unlink(missing_ok=True)
            raise

    def signature_of(self, entry: Entry) -> Signature | None:
        signed_on = getattr(entry, "signed_on", None)
        if signed_on:
            scan = getattr(entry, "signed_scan", None)
            return Signature(str(signed_on), getattr(entry, "signed_by", "") or "",
                             getattr(entry, "sign_method", "hand") or "hand", Path(scan).name if scan else None)
        return self.all().get(entry.id)  # fallback marks and the register's signature records

    def all(self) -> dict[int, Signature]:
        """Every fallback mark by entry id (empty when the register keeps them itself)."""
        if self.native:
            return {}
        marks = self.recorded_in_register()
        if self.db.exists():
            with closing(self._connect()) as conn:
                rows = conn.execute("SELECT entry_id, signed_on, signed_by, method, scan FROM signatures").fetchall()
            marks.update({r[0]: Signature(r[1], r[2], r[3], r[4]) for r in rows})
        return marks

    def recorded_in_register(self) -> dict[int, Signature]:
        """Signatures docgen.signing recorded in the register (electronic ones from signed/, hand marks)."""
        try:
            with closing(sqlite3.connect(f"file:{self.register.path}?mode=ro", uri=True, timeout=10)) as conn:
                rows = conn.execute("SELECT entry_id, signed_on, signed_by, method FROM signatures ORDER BY id").fetchall()
        except sqlite3.OperationalError:  # no such table: nothing signed that way yet
            return {}
        return {r[0]: Signature(str(r[1])[:10], r[2], r[3]) for r in rows}


SCAN_FOLDER = "Подписанные"  # outbox/Подписанные/, where the register keeps the scans it is given
SCAN_KINDS = {b"%PDF-": ".pdf", b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}


def scan_suffix(data: bytes) -> str:
    for magic, suffix in SCAN_KINDS.items():
        if data.startswith(magic):
            return suffix
    raise DocgenError("Скан должен быть файлом PDF, JPEG или PNG.")


def save_scan(outbox: Path, entry: Entry, data: bytes, max_bytes: int, folder_name: str = SCAN_FOLDER) -> Path:
    """Write the scan beside the documents (never over another file); return its path."""
    import os
    import tempfile

    if not data:
        raise DocgenError("Файл скана пустой.")
    if len(data) > max_bytes:
        raise DocgenError(f"Скан больше {max_bytes // (1024 * 1024)} МБ.")
    suffix = scan_suffix(data)
    folder = outbox / folder_name if folder_name else outbox
    folder.mkdir(parents=True, exist_ok=True)
    base = next((Path(n).stem for n in entry.outputs if n.lower().endswith(".docx")), None) \
        or f"{entry.doc_date} № {entry.number or entry.id}".replace("/", "-")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".scan-", suffix=".part")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    for attempt in range(1, 1000):
        target = folder / (f"{base} — скан{suffix}" if attempt == 1 else f"{base} — скан ({attempt}){suffix}")
        try:
            os.link(tmp, target)
            break
        except FileExistsError:
            continue
    os.unlink(tmp)
    return target
