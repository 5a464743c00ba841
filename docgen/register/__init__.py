"""The register (журнал регистрации): every registration number docgen issued or recorded.

The facade the rest of docgen uses. Where it lives is docgen/register/db.py:
by default SQLite in the workspace (WAL journal, ``synchronous=FULL``, one
``BEGIN IMMEDIATE`` transaction per input file's numbers); with
``[register] url`` in docgen.toml, the school's own schema in PostgreSQL (one
transaction holding the school's advisory lock). Both keep
``UNIQUE(series, year, sequence)``. The work is split by concern:
docgen/register/numbers.py (drawing and correcting numbers),
docgen/register/outputs.py (outbox/ names, publishing, voiding),
docgen/register/paper.py (signed marks, starts, reservations, imports),
docgen/register/model.py (the values), docgen/register/sql.py (tables,
schema versions, migrations). A number is committed before rendering;
once issued it is never deleted or reused: a document that fails for good is
marked void with its reason. Entries are keyed by the input's SHA-256 and the
document's index in it, so re-processing the same bytes finds the numbers
already issued instead of drawing new ones. No personal data is stored here.

Every write is one function run inside that transaction; if the database
is busy at any point of it (past SQLite's own busy timeout; in PostgreSQL a
lost connection, a deadlock or a serialisation failure), the transaction
is rolled back and the whole function runs again, so a number is either
committed with its entry or not issued at all. An entry goes
``issued`` → ``published`` (its output files recorded one by one as they
appear) or → ``void`` with a reason.

The journal (schema version 1, migrated in place from an older one: see
docgen/register/sql.py): numbers are compared in one canonical form
(numbering.canonical); an automatic number is the smallest free one at or
above the series' start that keeps the calendar order (every number given by
hand, reserved, imported or voided is taken); a hand-given number in the same
series and year as an issued, unsigned document of the same type is a
corrected version of it (same number, the earlier versions kept in
``versions``); numbers can be reserved (status ``reserved``) or imported from a
journal workbook (status ``imported``); a document is marked signed with
``mark_signed`` (date, by whom, how), and a signed one is never voided or
replaced. ``origin`` says where a number came from: auto, given, reserved, imported.

Each output file's name is reserved here (table ``outbox_files``, one row per
name, so two writers never get one name) and added to its entry *before* the
file gets that name in ``outbox/``: a file under a final name is always known
to the register, and a recorded name without its file is a file still to be
made (docs/reliability.md, the window table). Every commit passes through
``faults.durable("register.<method>")``.
"""
from __future__ import annotations

import logging
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable, TypeVar

from ..faults import durable
from ..numbering import canonical
from .db import RegisterLocation, location_from_config, open_journal
from .model import (Entry, ImportRow, NumberRequest, RegisterBusy, RegisterUnavailable, Version,
                             entry_from_row, now, register_year)
from .numbers import Numbering
from .outputs import Outputs
from .paper import PaperJournal

__all__ = ["Entry", "ImportRow", "NumberRequest", "Register", "RegisterBusy", "RegisterUnavailable", "Version",
           "entry_from_row", "now", "register_year"]
log = logging.getLogger("docgen.register")
T = TypeVar("T")

RETRY_SECONDS = 60.0  # how long a write keeps retrying a busy (or unreachable) database before giving up
_entry = entry_from_row  # the name docgen.web reads rows with


def wait_for_register(path: Path, longest: float = 60.0) -> None:
    """Return once the workspace's register answers (``docgen watch`` at start): a Russian line and a longer
    wait (up to ``longest`` seconds) after each failed attempt; nothing is claimed or drawn meanwhile."""
    delay = 1.0
    while True:
        try:
            Register(path).close()
            return
        except RegisterUnavailable as exc:
            log.warning("%s Повторю через %.0f с.", exc.russian(), delay)
        time.sleep(delay)
        delay = min(delay * 2, longest)


class Register(Numbering, Outputs, PaperJournal):
    """The register of one workspace (one school), on SQLite or PostgreSQL by its docgen.toml."""

    def __init__(self, path: Path, busy_timeout: float = 10.0, retry_seconds: float | None = None,
                 location: RegisterLocation | None = None):
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.location = location if location is not None else location_from_config(self.path.parent)
        self.retry_seconds = next(s for s in (retry_seconds, self.location.retry_seconds, RETRY_SECONDS) if s is not None)
        self.journal = open_journal(self.path, self.location, busy_timeout)
        self.write(self.journal.create_tables, begin=False, point="schema")
        self.write(self.journal.migrate, point="migrate")

    def _connect(self):
        """A connection of the backend (SQLite: a new one the caller closes; PostgreSQL: this thread's own)."""
        return self.journal.handle()

    def close(self) -> None:
        self.journal.close()

    def write(self, work: Callable[..., T], begin: bool = True, point: str | None = None, gated: bool = True) -> T:
        """Run ``work`` in one locked transaction; rerun all of it while the database is busy or unreachable.

        The whole write is the durable operation «register.<point>» (default: the calling method's name);
        ``gated=False`` only for housekeeping on a timer that changes no entry (a lease's heartbeat), whose
        occurrences would make the crash sweep's list of fault points depend on timing."""
        point = point or sys._getframe(1).f_code.co_name
        if not gated:
            return self._write_retrying(work, begin)
        with durable(f"register.{point}"):
            return self._write_retrying(work, begin)

    def _write_retrying(self, work: Callable[..., T], begin: bool) -> T:
        def once():
            with self.journal.transaction(begin) as conn:
                return work(conn)
        return self._retrying(once)

    def read(self, work: Callable[..., T]) -> T:
        """Run ``work`` on a reading connection; rerun it while the database is busy or unreachable."""
        def once():
            with self.journal.reading() as conn:
                return work(conn)
        return self._retrying(once)

    def _retrying(self, once: Callable[[], T]) -> T:
        """``once()`` again while the database is busy (short steps) or unreachable (a back-off up to 10 s)."""
        deadline = time.monotonic() + self.retry_seconds
        attempt = 0
        while True:
            try:
                return once()
            except Exception as exc:
                if not self.journal.is_transient(exc):
                    raise
                self.journal.forget_broken()
                attempt += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    raise self._gave_up(exc) from None
                unreachable = self.journal.is_unreachable(exc)
                delay = min(0.25 * 2 ** min(attempt, 6), 10.0, left) if unreachable else min(0.05 * attempt, 1.0)
                self._say_retrying(exc, attempt, delay)
                time.sleep(delay)

    def _gave_up(self, exc: BaseException) -> RegisterBusy:
        if self.journal.is_unreachable(exc):
            return RegisterUnavailable(
                f"Журнал регистрации ({self.journal.describe()}) недоступен: нет связи с базой данных. Номер не "
                "выдан, файл остаётся в inbox и будет обработан, когда база снова ответит."
            )
        return RegisterBusy("Журнал регистрации занят другим процессом слишком долго; номер не выдан, "
                            "файл будет обработан позже.")

    def _say_retrying(self, exc: BaseException, attempt: int, delay: float) -> None:
        if self.journal.is_unreachable(exc):
            log.warning("журнал регистрации (%s) недоступен — нет связи с базой данных; повтор через %.1f с "
                        "(попытка %d)", self.journal.describe(), delay, attempt + 1)
        else:
            log.warning("журнал регистрации занят, повтор транзакции (попытка %d)", attempt + 1)

    # --- inputs -------------------------------------------------------------

    def input_status(self, sha256: str) :
        return self.read(lambda conn: conn.execute("SELECT * FROM inputs WHERE sha256 = ?", (sha256,)).fetchone())

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


    # --- reading ----------------------------------------------------------------

    def entry(self, entry_id: int) -> Entry:
        row = self.read(lambda conn: conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone())
        return entry_from_row(row)

    def entries(self, year: int | None = None, status: str | None = None, sha256: str | None = None) -> list[Entry]:
        """Entries in the order they were registered; by ``sha256`` only those docgen made for that input."""
        sql, args = "SELECT * FROM entries WHERE 1=1", []
        for column, value in (("year", year), ("status", status), ("input_sha256", sha256)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        if sha256 is not None:
            sql += " AND origin IN ('auto', 'given')"
        rows = self.read(lambda conn: conn.execute(sql + " ORDER BY id", args).fetchall())
        return [entry_from_row(r) for r in rows]

    def find_number(self, number: str, doc_date: date | None = None) -> Entry | None:
        """The entry carrying a registration number (e.g. the order approving a roadmap), in canonical form."""
        wanted = canonical(number)
        for entry in reversed(self.entries()):
            if entry.number and canonical(entry.number) == wanted and (
                    doc_date is None or entry.doc_date == doc_date.isoformat()):
                return entry
        return None

    def integrity_ok(self) -> bool:
        return self.journal.integrity_ok()
