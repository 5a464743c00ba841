"""Marking a document signed by hand, through one small adapter over the register.

The register gains ``Register.mark_signed(number_or_entry, signed_on,
signed_by, method="hand", details=None, scan=None)`` and a «signed» status
(docs/register.md); while a register without it is in use, the mark is kept in
the web office's own table ``signatures`` of ``.docgen/web.sqlite``. The
pages only call ``mark_signed`` and ``signature_of`` below.
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
    recorded_at TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Signature:
    signed_on: str
    signed_by: str
    method: str = "hand"


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

    def mark_signed(self, entry: Entry, signed_on: date, signed_by: str) -> None:
        if entry.status == "void":
            raise DocgenError(f"Номер {entry.number} аннулирован; подписать нельзя.")
        if signed_on > date.today():
            raise DocgenError("Дата подписания не может быть позже сегодняшней.")
        if signed_on.isoformat() < entry.doc_date:
            raise DocgenError("Дата подписания не может быть раньше даты документа.")
        if self.native:
            self.register.mark_signed(entry.id, signed_on, signed_by, method="hand")
            return
        with closing(self._connect()) as conn, conn:
            conn.execute("INSERT OR REPLACE INTO signatures VALUES (?, ?, ?, 'hand', ?)",
                         (entry.id, signed_on.isoformat(), signed_by, datetime.now().isoformat(timespec="seconds")))

    def signature_of(self, entry: Entry) -> Signature | None:
        signed_on = getattr(entry, "signed_on", None)
        if signed_on:
            return Signature(str(signed_on), getattr(entry, "signed_by", "") or "", getattr(entry, "sign_method", "hand") or "hand")
        return self.all().get(entry.id)

    def all(self) -> dict[int, Signature]:
        """Every fallback mark by entry id (empty when the register keeps them itself)."""
        if self.native or not self.db.exists():
            return {}
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT entry_id, signed_on, signed_by, method FROM signatures").fetchall()
        return {r[0]: Signature(r[1], r[2], r[3]) for r in rows}
