"""The register (журнал регистрации): every registration number docgen issued or recorded.

SQLite in the workspace: WAL journal, ``synchronous=FULL``, one
``BEGIN IMMEDIATE`` transaction per input file's numbers, and
``UNIQUE(series, year, sequence)``. A number is committed before rendering;
once issued it is never deleted or reused: a document that fails for good is
marked void with its reason. Entries are keyed by the input's SHA-256 and the
document's index in it, so re-processing the same bytes finds the numbers
already issued instead of drawing new ones. No personal data is stored here.

Every write is one function run inside ``BEGIN IMMEDIATE``; if the database
is busy at any point of it (past SQLite's own busy timeout), the transaction
is rolled back and the whole function runs again, so a number is either
committed with its entry or not issued at all. An entry goes
``issued`` → ``published`` or → ``void`` with a reason.

Each output file's name is reserved here (table ``outbox_files``, one row per
name, so two writers never get one name) and added to its entry *before* the
file gets that name in ``outbox/``: a file under a final name is always known
to the register, and a recorded name without its file is a file still to be
made (docs/reliability.md, the window table). Every commit passes through
``faults.durable("register.<method>")``.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, TypeVar

from .errors import RegisterError
from .faults import durable

log = logging.getLogger("docgen.register")
T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (
    sha256      TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    status      TEXT NOT NULL,          -- issuing | done | failed
    received_at TEXT NOT NULL,
    finished_at TEXT,
    note        TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    series       TEXT,
    year         INTEGER,
    sequence     INTEGER,
    number       TEXT,
    doc_date     TEXT NOT NULL,
    type_id      TEXT NOT NULL,
    heading      TEXT NOT NULL DEFAULT '',
    signer       TEXT NOT NULL DEFAULT '',
    executor     TEXT NOT NULL DEFAULT '',
    input_sha256 TEXT NOT NULL,
    input_name   TEXT NOT NULL,
    doc_index    INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'issued',   -- issued | published | void
    void_reason  TEXT,
    outputs      TEXT NOT NULL DEFAULT '[]',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (series, year, sequence),
    UNIQUE (series, year, number)
);
CREATE INDEX IF NOT EXISTS entries_status ON entries(status);
-- one live entry per document of an input; a voided one keeps its number and frees the key
CREATE UNIQUE INDEX IF NOT EXISTS entries_live_key ON entries(input_sha256, doc_index) WHERE status != 'void';
-- every name docgen gives a file in outbox/, reserved before the file gets it (entry_id NULL: a print pack)
CREATE TABLE IF NOT EXISTS outbox_files (
    name         TEXT PRIMARY KEY,
    entry_id     INTEGER,
    input_sha256 TEXT NOT NULL,
    kind         TEXT NOT NULL,          -- docx | pdf | pack
    created_at   TEXT NOT NULL
);
"""

RETRY_SECONDS = 60.0  # how long a write keeps retrying a busy database before giving up


@dataclass(frozen=True)
class NumberRequest:
    """What one document needs from the register (no personal data)."""

    doc_index: int
    type_id: str
    doc_date: date
    series: str | None
    pattern: str
    year_start: str
    heading: str
    signer: str
    executor: str
    given_number: str | None = None


@dataclass(frozen=True)
class Entry:
    id: int
    series: str | None
    year: int | None
    sequence: int | None
    number: str | None
    doc_date: str
    type_id: str
    heading: str
    signer: str
    executor: str
    input_sha256: str
    input_name: str
    doc_index: int
    status: str
    void_reason: str | None
    outputs: list[str]
    created_at: str


def register_year(doc_date: date, year_start: str = "01-01") -> int:
    """The numbering year a date falls in; the year starts on ``year_start`` (MM-DD)."""
    month, day = (int(part) for part in year_start.split("-"))
    return doc_date.year if (doc_date.month, doc_date.day) >= (month, day) else doc_date.year - 1


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


class RegisterBusy(RegisterError):
    """The database stayed busy longer than the retry time; nothing was written."""


class Register:
    """The SQLite register of one workspace."""

    def __init__(self, path: Path, busy_timeout: float = 10.0, retry_seconds: float = RETRY_SECONDS):
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.retry_seconds = retry_seconds
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.write(lambda conn: conn.executescript(SCHEMA), begin=False, point="schema")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        except BaseException:
            conn.close()
            raise
        return conn

    def write(self, work: Callable[[sqlite3.Connection], T], begin: bool = True, point: str | None = None) -> T:
        """Run ``work`` in one ``BEGIN IMMEDIATE`` transaction; rerun all of it while the database is busy.

        The whole write is the durable operation «register.<point>» (default: the calling method's name)."""
        point = point or sys._getframe(1).f_code.co_name
        with durable(f"register.{point}"):
            return self._write_retrying(work, begin)

    def _write_retrying(self, work: Callable[[sqlite3.Connection], T], begin: bool) -> T:
        deadline = time.monotonic() + self.retry_seconds
        attempt = 0
        while True:
            try:
                return self._write_once(work, begin)
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise
                attempt += 1
                if time.monotonic() >= deadline:
                    raise RegisterBusy(
                        "Журнал регистрации занят другим процессом слишком долго; номер не выдан, "
                        "файл будет обработан позже."
                    ) from None
                log.warning("журнал регистрации занят, повтор транзакции (попытка %d)", attempt + 1)
                time.sleep(min(0.05 * attempt, 1.0))

    def _write_once(self, work, begin: bool):
        with closing(self._connect()) as conn:
            if not begin:
                return work(conn)
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

    # --- inputs -------------------------------------------------------------

    def input_status(self, sha256: str) -> sqlite3.Row | None:
        with closing(self._connect()) as conn:
            return conn.execute("SELECT * FROM inputs WHERE sha256 = ?", (sha256,)).fetchone()

    def finish_input(self, sha256: str, status: str, note: str = "") -> None:
        self.write(lambda conn: conn.execute(
            "UPDATE inputs SET status = ?, finished_at = ?, note = ? WHERE sha256 = ?", (status, now(), note, sha256),
        ))

    def finish_stale_inputs(self, live: set[str]) -> None:
        """Inputs left «issuing» by a crash after their last document: done (or failed) now."""
        def work(conn):
            rows = conn.execute("SELECT sha256 FROM inputs WHERE status = 'issuing'").fetchall()
            for row in rows:
                sha = row["sha256"]
                states = {r[0] for r in conn.execute("SELECT status FROM entries WHERE input_sha256 = ?", (sha,))}
                if sha in live or "issued" in states:
                    continue
                status = "done" if "published" in states else "failed"
                conn.execute("UPDATE inputs SET status = ?, finished_at = ?, note = ? WHERE sha256 = ?",
                             (status, now(), "завершено при восстановлении после сбоя", sha))
        self.write(work)

    # --- numbers --------------------------------------------------------------

    def issue(
        self,
        sha256: str,
        input_name: str,
        requests: list[NumberRequest],
        format_number: Callable[[NumberRequest, int, int], str],
    ) -> list[Entry]:
        """Issue (or find, for the same input) one entry per request, all in one transaction."""
        def work(conn):
            conn.execute(
                "INSERT INTO inputs(sha256, name, status, received_at) VALUES (?, ?, 'issuing', ?) "
                "ON CONFLICT(sha256) DO UPDATE SET status = 'issuing'",
                (sha256, input_name, now()),
            )
            return [self._issue_one(conn, sha256, input_name, req, format_number) for req in requests]

        return [self.entry(i) for i in self.write(work)]

    def _issue_one(self, conn, sha256, input_name, req: NumberRequest, format_number) -> int:
        existing = conn.execute(
            "SELECT id FROM entries WHERE input_sha256 = ? AND doc_index = ? AND status != 'void'",
            (sha256, req.doc_index),
        ).fetchone()
        if existing is not None:
            return existing["id"]
        year = register_year(req.doc_date, req.year_start) if req.series else None
        sequence, number = None, None
        if req.series and req.given_number:
            number = req.given_number
            self._refuse_taken(conn, req.series, year, number)
        elif req.series:
            sequence = conn.execute(
                "SELECT COALESCE(MAX(sequence), 0) + 1 FROM entries WHERE series = ? AND year = ?", (req.series, year)
            ).fetchone()[0]
            number = format_number(req, year, sequence)
            self._refuse_taken(conn, req.series, year, number)
        stamp = now()
        cursor = conn.execute(
            "INSERT INTO entries(series, year, sequence, number, doc_date, type_id, heading, signer, executor,"
            " input_sha256, input_name, doc_index, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (req.series, year, sequence, number, req.doc_date.isoformat(), req.type_id, req.heading, req.signer,
             req.executor, sha256, input_name, req.doc_index, stamp, stamp),
        )
        return cursor.lastrowid

    @staticmethod
    def _refuse_taken(conn, series: str, year: int, number: str) -> None:
        taken = conn.execute(
            "SELECT doc_date FROM entries WHERE series = ? AND year = ? AND number = ?", (series, year, number)
        ).fetchone()
        if taken is not None:
            raise RegisterError(
                f"Номер {number} уже есть в журнале регистрации (документ от {taken['doc_date']}). "
                "Номер не может использоваться дважды: укажите другой или уберите поле «number»."
            )

    def add_output(self, entry_id: int, name: str) -> None:
        """Record one file of an entry (without reserving its name: see ``reserve_output``)."""
        self.write(lambda conn: self._append_output(conn, entry_id, name))

    @staticmethod
    def _append_output(conn, entry_id: int, name: str) -> None:
        row = conn.execute("SELECT outputs FROM entries WHERE id = ?", (entry_id,)).fetchone()
        outputs = json.loads(row["outputs"] or "[]")
        if name not in outputs:
            conn.execute("UPDATE entries SET outputs = ?, updated_at = ? WHERE id = ?",
                         (json.dumps(outputs + [name], ensure_ascii=False), now(), entry_id))

    def reserve_output(self, name: str, input_sha256: str, kind: str, entry_id: int | None = None) -> bool:
        """Reserve ``name`` in outbox/ for an entry's file (or an input's print pack) before the file gets it.

        False if the name is already reserved for another file. The entry's outputs list the name at once."""
        def work(conn):
            added = conn.execute(
                "INSERT OR IGNORE INTO outbox_files(name, entry_id, input_sha256, kind, created_at) VALUES (?, ?, ?, ?, ?)",
                (name, entry_id, input_sha256, kind, now())).rowcount
            if added and entry_id is not None:
                self._append_output(conn, entry_id, name)
            return bool(added)
        return self.write(work)

    def release_output(self, name: str) -> None:
        """Give a reserved name back (its file was never made, or was removed with its voided entry)."""
        def work(conn):
            row = conn.execute("SELECT entry_id FROM outbox_files WHERE name = ?", (name,)).fetchone()
            conn.execute("DELETE FROM outbox_files WHERE name = ?", (name,))
            if row is not None and row["entry_id"] is not None:
                entry = conn.execute("SELECT outputs, status FROM entries WHERE id = ?", (row["entry_id"],)).fetchone()
                if entry is not None and entry["status"] == "issued":
                    outputs = [n for n in json.loads(entry["outputs"] or "[]") if n != name]
                    conn.execute("UPDATE entries SET outputs = ?, updated_at = ? WHERE id = ?",
                                 (json.dumps(outputs, ensure_ascii=False), now(), row["entry_id"]))
        self.write(work)

    def pack_of(self, input_sha256: str) -> str | None:
        """The name reserved for an input's print pack, if any."""
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT name FROM outbox_files WHERE input_sha256 = ? AND kind = 'pack' ORDER BY rowid",
                               (input_sha256,)).fetchone()
        return row["name"] if row else None

    def reserved_names(self, input_sha256: str, kind: str) -> list[str]:
        """Names reserved for one input's files of one kind (signature copies, marked copies, packs…)."""
        with closing(self._connect()) as conn:
            return [r[0] for r in conn.execute(
                "SELECT name FROM outbox_files WHERE input_sha256 = ? AND kind = ? ORDER BY rowid", (input_sha256, kind))]

    def done_inputs(self) -> list[tuple[str, str]]:
        """(SHA-256, file name) of every input processed to the end."""
        with closing(self._connect()) as conn:
            return [(r[0], r[1]) for r in conn.execute("SELECT sha256, name FROM inputs WHERE status = 'done'")]

    def known_outputs(self) -> set[str]:
        """Every name in outbox/ the register knows: reserved names and the files of entries not void."""
        with closing(self._connect()) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM outbox_files")}
            for row in conn.execute("SELECT outputs FROM entries WHERE status != 'void'"):
                names.update(json.loads(row[0] or "[]"))
        return names

    def clear_outputs(self, entry_id: int) -> None:
        """Forget the partial outputs of an unfinished entry (their files were removed)."""
        self.write(lambda conn: conn.execute(
            "UPDATE entries SET outputs = '[]', updated_at = ? WHERE id = ? AND status = 'issued'", (now(), entry_id)))

    def mark_published(self, entry_id: int, outputs: list[str]) -> None:
        """The entry's files are all out; names it reserved and did not use are given back."""
        def work(conn):
            conn.execute(
                "UPDATE entries SET status = 'published', outputs = ?, updated_at = ? WHERE id = ? AND status != 'void'",
                (json.dumps(outputs, ensure_ascii=False), now(), entry_id))
            marks = ",".join("?" * len(outputs))
            conn.execute(f"DELETE FROM outbox_files WHERE entry_id = ? AND name NOT IN ({marks})", (entry_id, *outputs))
        self.write(work)

    def void(self, entry_id: int, reason: str, only_unfinished: bool = False) -> bool:
        """Mark an entry void with its reason; the number stays in the journal. False if nothing changed."""
        if not reason.strip():
            raise RegisterError("Укажите причину аннулирования номера (--reason).")
        condition = "status = 'issued'" if only_unfinished else "status != 'void'"
        changed = self.write(lambda conn: conn.execute(
            f"UPDATE entries SET status = 'void', void_reason = ?, updated_at = ? WHERE id = ? AND {condition}",
            (reason, now(), entry_id),
        ).rowcount)
        return bool(changed)

    def void_number(self, number: str, reason: str, year: int | None = None) -> Entry:
        """Void an issued number by its text; the entry stays in the journal."""
        matches = [e for e in self.entries(year=year) if e.number == number]
        if not matches:
            raise RegisterError(f"Номер {number} в журнале не найден.")
        if len(matches) > 1:
            raise RegisterError(f"Номер {number} есть в нескольких годах; укажите год (--year).")
        if matches[0].status == "void":
            raise RegisterError(f"Номер {number} уже аннулирован: {matches[0].void_reason}")
        self.void(matches[0].id, reason)
        return self.entry(matches[0].id)

    # --- reading ----------------------------------------------------------------

    def entry(self, entry_id: int) -> Entry:
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return _entry(row)

    def entries(self, year: int | None = None, status: str | None = None, sha256: str | None = None) -> list[Entry]:
        sql, args = "SELECT * FROM entries WHERE 1=1", []
        for column, value in (("year", year), ("status", status), ("input_sha256", sha256)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        with closing(self._connect()) as conn:
            rows = conn.execute(sql + " ORDER BY id", args).fetchall()
        return [_entry(r) for r in rows]

    def find_number(self, number: str, doc_date: date | None = None) -> Entry | None:
        """The entry carrying a registration number (e.g. the order approving a roadmap)."""
        for entry in reversed(self.entries()):
            if entry.number == number and (doc_date is None or entry.doc_date == doc_date.isoformat()):
                return entry
        return None

    def integrity_ok(self) -> bool:
        with closing(self._connect()) as conn:
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _entry(row: sqlite3.Row) -> Entry:
    data = dict(row)
    data["outputs"] = json.loads(data["outputs"] or "[]")
    data.pop("updated_at", None)
    return Entry(**data)
