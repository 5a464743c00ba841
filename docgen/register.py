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
``issued`` → ``published`` (its output files recorded one by one as they
appear) or → ``void`` with a reason.

The journal (schema version 1, migrated in place from an older file through
``PRAGMA user_version``): numbers are compared in one canonical form
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
from .faults import durable, pause_if_asked
from .numbering import canonical, example_number, parse_number, strip_number_sign

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
-- every name docgen gives a file in outbox/, reserved before the file gets it (entry_id NULL: a print pack)
CREATE TABLE IF NOT EXISTS outbox_files (
    name         TEXT PRIMARY KEY,
    entry_id     INTEGER,
    input_sha256 TEXT NOT NULL,
    kind         TEXT NOT NULL,          -- docx | pdf | pack
    created_at   TEXT NOT NULL
);
"""
SCHEMA_VERSION = 1
MIGRATIONS = {  # version → statements that bring the previous version to it (additive only)
    1: """
ALTER TABLE entries ADD COLUMN canonical TEXT;
ALTER TABLE entries ADD COLUMN origin TEXT NOT NULL DEFAULT 'auto';   -- auto | given | reserved | imported
ALTER TABLE entries ADD COLUMN note TEXT NOT NULL DEFAULT '';         -- reason of a reservation, mark of an import
ALTER TABLE entries ADD COLUMN out_of_order INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE entries ADD COLUMN version_at TEXT;
ALTER TABLE entries ADD COLUMN signed_on TEXT;
ALTER TABLE entries ADD COLUMN signed_by TEXT;
ALTER TABLE entries ADD COLUMN sign_method TEXT;
ALTER TABLE entries ADD COLUMN sign_details TEXT;
ALTER TABLE entries ADD COLUMN signed_scan TEXT;
ALTER TABLE inputs ADD COLUMN pack TEXT;
ALTER TABLE inputs ADD COLUMN pack_members TEXT;
UPDATE entries SET origin = 'given' WHERE sequence IS NULL AND number IS NOT NULL;
DROP INDEX IF EXISTS entries_live_key;
-- one live entry per document of an input; a voided one keeps its number and frees the key
CREATE UNIQUE INDEX IF NOT EXISTS entries_live_document ON entries(input_sha256, doc_index)
    WHERE status != 'void' AND origin IN ('auto', 'given');
CREATE INDEX IF NOT EXISTS entries_canonical ON entries(series, year, canonical);
CREATE TABLE IF NOT EXISTS versions (          -- earlier versions of a corrected document
    entry_id      INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    doc_date      TEXT NOT NULL,
    heading       TEXT NOT NULL,
    signer        TEXT NOT NULL,
    executor      TEXT NOT NULL,
    input_sha256  TEXT NOT NULL,
    input_name    TEXT NOT NULL,
    doc_index     INTEGER NOT NULL,
    outputs       TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    replaced_at   TEXT NOT NULL,
    PRIMARY KEY (entry_id, version)
);
CREATE TABLE IF NOT EXISTS series_starts (     -- «continue the paper journal at N», set by command
    series TEXT NOT NULL,
    year   INTEGER NOT NULL,
    start  INTEGER NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (series, year)
);
""",
}
LIVE = "status != 'void' AND origin IN ('auto', 'given')"  # an entry docgen made for a document of an input
DATED = "status NOT IN ('void', 'reserved') AND sequence IS NOT NULL"  # entries that set the calendar order
RESERVE_LIMIT = 1000  # numbers one reservation may hold (a typo like 5-5000 is refused)
SCANS_FOLDER = ("outbox", "Подписанные")
SCAN_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")  # under the workspace: the signed scans a director hands back

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
    starts: tuple[tuple[int, int], ...] = ()  # (year, first automatic number) from docgen.toml
    allow_out_of_order: bool = False  # the series allows a document dated before the latest one
    series_title: str = ""


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
    canonical: str | None = None
    origin: str = "auto"
    note: str = ""
    out_of_order: int = 0
    version: int = 1
    version_at: str | None = None
    signed_on: str | None = None
    signed_by: str | None = None
    sign_method: str | None = None
    sign_details: str | None = None
    signed_scan: str | None = None

    @property
    def signed(self) -> bool:
        return bool(self.signed_on)


@dataclass(frozen=True)
class Version:
    """An earlier version of a corrected document: what it was and when it was replaced."""

    entry_id: int
    version: int
    doc_date: str
    heading: str
    signer: str
    executor: str
    input_sha256: str
    input_name: str
    doc_index: int
    outputs: list[str]
    registered_at: str
    replaced_at: str


@dataclass(frozen=True)
class ImportRow:
    """One numbered row of a journal workbook, ready for ``import_entries``; ``where`` names it for messages."""

    where: str
    series: str
    year: int
    sequence: int
    number: str
    doc_date: date
    heading: str = ""
    signer: str = ""
    executor: str = ""
    status: str = "imported"  # imported | void | reserved
    note: str = ""
    void_reason: str | None = None
    signed_on: str | None = None
    signed_by: str | None = None
    out_of_order: bool = False
    input_name: str = ""
    input_sha256: str = ""
    outputs: tuple[str, ...] = ()


def russian_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y")


def register_year(doc_date: date, year_start: str = "01-01") -> int:
    """The numbering year a date falls in; the year starts on ``year_start`` (MM-DD)."""
    month, day = (int(part) for part in year_start.split("-"))
    return doc_date.year if (doc_date.month, doc_date.day) >= (month, day) else doc_date.year - 1


def statements(script: str) -> list[str]:
    """Split an SQL script into statements (``execute`` runs one at a time; ``executescript`` would commit)."""
    found, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    return [s for s in found if s.strip()]


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def signed_refusal(number: str | None, doc_date: str, signed_on: str) -> RegisterError:
    return RegisterError(
        f"Документ № {number} от {russian_date(doc_date)} подписан ({russian_date(signed_on)}): подписанный приказ "
        "не аннулируют и не заменяют — его изменяют или отменяют новым приказом (например, «Об отмене приказа "
        f"от {russian_date(doc_date)} № {number}»)."
    )


def taken_description(row) -> str:
    """What holds a number, for refusals: «документ от 03.09.2026», «резерв: выданы вручную»…"""
    if row["status"] == "reserved":
        return f"зарезервирован: {row['note']}"
    if row["status"] == "void":
        return f"аннулирован: {row['void_reason']}"
    source = "внесён из журнала, " if row["origin"] == "imported" else ""
    return f"{source}документ от {russian_date(row['doc_date'])}"


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
        self.write(self._migrate, point="migrate")

    @staticmethod
    def _migrate(conn) -> None:
        """Bring an older register to ``SCHEMA_VERSION`` in place, inside the write transaction."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in statements(MIGRATIONS[target]):
                conn.execute(statement)
            if target == 1:
                rows = conn.execute("SELECT id, number FROM entries WHERE number IS NOT NULL").fetchall()
                conn.executemany("UPDATE entries SET canonical = ? WHERE id = ?",
                                 [(canonical(r["number"]), r["id"]) for r in rows])
            conn.execute(f"PRAGMA user_version = {target}")
            log.info("журнал регистрации обновлён до версии схемы %d", target)

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
            f"SELECT id FROM entries WHERE input_sha256 = ? AND doc_index = ? AND {LIVE}", (sha256, req.doc_index),
        ).fetchone()
        if existing is not None:
            return existing["id"]
        year = register_year(req.doc_date, req.year_start) if req.series else None
        sequence, number, out_of_order, origin = None, None, False, "auto"
        if req.series and req.given_number:
            sequence, number = self._read_given(req, year, format_number)
            taken = self._taken_row(conn, req.series, year, number, sequence)
            if taken is not None:
                return self._correct(conn, taken, sha256, input_name, req, year)
            out_of_order = self._check_calendar(conn, req, year, sequence)
            origin = "given"
        elif req.series:
            sequence, number, out_of_order = self._next_free(conn, req, year, format_number)
        stamp = now()
        cursor = conn.execute(
            "INSERT INTO entries(series, year, sequence, number, doc_date, type_id, heading, signer, executor,"
            " input_sha256, input_name, doc_index, created_at, updated_at, canonical, origin, out_of_order, version_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (req.series, year, sequence, number, req.doc_date.isoformat(), req.type_id, req.heading, req.signer,
             req.executor, sha256, input_name, req.doc_index, stamp, stamp, canonical(number) if number else None,
             origin, int(out_of_order), stamp),
        )
        return cursor.lastrowid

    # --- choosing and checking a number ------------------------------------------------------

    @staticmethod
    def _read_given(req: NumberRequest, year: int, format_number) -> tuple[int, str]:
        """The sequence and printed form of a hand-given number; refused if the series cannot produce it."""
        given = strip_number_sign(req.given_number)
        parsed = parse_number(given, req.pattern)
        series = f"«{req.series_title or req.series}»"
        if parsed is None or parsed.sequence < 1:
            raise RegisterError(
                f"Номер «{given}» не подходит к формату номеров серии {series} ({req.pattern}): такой номер "
                f"в этой серии не выдаётся. Пример правильного номера: {example_number(req.pattern, year)}. "
                "Исправьте поле «number» («Номер (если уже присвоен)») или уберите его — номер будет выдан сам."
            )
        if parsed.year is not None and parsed.year != year:
            raise RegisterError(
                f"В номере «{given}» указан {parsed.year} год, а документ датирован "
                f"{req.doc_date:%d.%m.%Y} и регистрируется за {year} год. Исправьте номер или дату документа."
            )
        formatted = format_number(req, year, parsed.sequence)
        same = canonical(formatted) == canonical(given) or canonical(given).isdigit()
        printed = formatted if same else " ".join(given.split())
        return parsed.sequence, printed

    @staticmethod
    def _taken_row(conn, series: str, year: int, number: str, sequence: int | None):
        return conn.execute(
            "SELECT * FROM entries WHERE series = ? AND year = ? AND (canonical = ? OR sequence = ?) ORDER BY id",
            (series, year, canonical(number), sequence),
        ).fetchone()

    def _start(self, conn, req: NumberRequest, year: int) -> int:
        """The first automatic number of a series' year: docgen.toml's ``start`` or the command's, the larger."""
        configured = dict(req.starts).get(year, 1)
        row = conn.execute("SELECT start FROM series_starts WHERE series = ? AND year = ?", (req.series, year)).fetchone()
        return max(configured, row["start"] if row else 1, 1)

    def _next_free(self, conn, req: NumberRequest, year: int, format_number) -> tuple[int, str, bool]:
        """The smallest free number at or above the start that keeps the calendar order (docs/reliability.md J1, J5)."""
        start = self._start(conn, req, year)
        earlier, later = self._calendar_bounds(conn, req.series, year, req.doc_date)
        lowest = start if req.allow_out_of_order else max(start, (earlier["sequence"] + 1) if earlier else 1)
        taken_numbers = {r[0] for r in conn.execute(  # numbers of an older register given without a sequence
            "SELECT canonical FROM entries WHERE series = ? AND year = ? AND sequence IS NULL AND canonical IS NOT NULL",
            (req.series, year))}
        sequence = lowest
        while True:
            sequence = self._first_free_sequence(conn, req.series, year, sequence)
            number = format_number(req, year, sequence)
            if canonical(number) not in taken_numbers:
                break
            sequence += 1
        fits = (earlier is None or earlier["sequence"] < sequence) and (later is None or sequence < later["sequence"])
        if not fits and not req.allow_out_of_order:
            raise self._calendar_error(req, later)
        return sequence, number, not fits

    @staticmethod
    def _first_free_sequence(conn, series: str, year: int, lowest: int) -> int:
        """The smallest sequence ≥ ``lowest`` no entry of the series' year holds (one indexed query)."""
        return conn.execute(
            "SELECT MIN(s) FROM (SELECT ? AS s UNION ALL SELECT sequence + 1 FROM entries"
            " WHERE series = ? AND year = ? AND sequence >= ?) AS candidate"
            " WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.series = ? AND e.year = ? AND e.sequence = candidate.s)",
            (lowest, series, year, lowest, series, year),
        ).fetchone()[0]

    @staticmethod
    def _calendar_bounds(conn, series: str, year: int, doc_date: date, exclude: int | None = None):
        """The highest-numbered entry dated before ``doc_date`` and the lowest-numbered one dated after it."""
        day = doc_date.isoformat()
        base = f"SELECT * FROM entries WHERE series = ? AND year = ? AND {DATED} AND id != ?"
        args = (series, year, exclude or -1, day)
        earlier = conn.execute(base + " AND doc_date < ? ORDER BY sequence DESC LIMIT 1", args).fetchone()
        later = conn.execute(base + " AND doc_date > ? ORDER BY sequence ASC LIMIT 1", args).fetchone()
        return earlier, later

    def _check_calendar(self, conn, req: NumberRequest, year: int, sequence: int, exclude: int | None = None) -> bool:
        """A hand-given number must sit among its neighbours by date; True if it does not (and the series allows it)."""
        earlier, later = self._calendar_bounds(conn, req.series, year, req.doc_date, exclude)
        if later is not None and later["sequence"] <= sequence:
            if not req.allow_out_of_order:
                raise self._calendar_error(req, later)
            return True
        if earlier is not None and earlier["sequence"] >= sequence:
            if not req.allow_out_of_order:
                raise RegisterError(
                    f"Документ от {req.doc_date:%d.%m.%Y} с номером {req.given_number} нарушает порядок дат: "
                    f"в журнале серии «{req.series_title or req.series}» документ № {earlier['number']} с большим "
                    f"номером датирован раньше — {russian_date(earlier['doc_date'])} («{earlier['heading']}»). "
                    "Проверьте номер и дату документа."
                )
            return True
        return False

    @staticmethod
    def _calendar_error(req: NumberRequest, later) -> RegisterError:
        heading = f" («{later['heading']}»)" if later["heading"] else ""
        return RegisterError(
            f"Документ датирован {req.doc_date:%d.%m.%Y}, а в журнале серии «{req.series_title or req.series}» уже "
            f"зарегистрирован более поздний документ № {later['number']} от {russian_date(later['doc_date'])}{heading}. "
            "Номера идут по порядку дат, поэтому номер не выдан. Проверьте дату документа. Если документ "
            "действительно регистрируется задним числом, администратор может разрешить это для серии "
            "(allow_out_of_order = true в docgen.toml) — тогда запись будет отмечена «зарегистрирован вне порядка дат»."
        )

    # --- corrections -----------------------------------------------------------------------------

    def _correct(self, conn, taken, sha256: str, input_name: str, req: NumberRequest, year: int) -> int:
        """The given number belongs to an issued document: a corrected version of it, or a refusal saying why."""
        self._refuse_correction(taken, req, sha256)
        self._check_calendar(conn, req, year, taken["sequence"], exclude=taken["id"]) if taken["sequence"] else None
        stamp = now()
        conn.execute(
            "INSERT INTO versions(entry_id, version, doc_date, heading, signer, executor, input_sha256, input_name,"
            " doc_index, outputs, registered_at, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (taken["id"], taken["version"], taken["doc_date"], taken["heading"], taken["signer"], taken["executor"],
             taken["input_sha256"], taken["input_name"], taken["doc_index"], taken["outputs"],
             taken["version_at"] or taken["created_at"], stamp),
        )
        conn.execute(
            "UPDATE entries SET doc_date = ?, heading = ?, signer = ?, executor = ?, input_sha256 = ?, input_name = ?,"
            " doc_index = ?, status = 'issued', outputs = '[]', version = version + 1, version_at = ?, updated_at = ?"
            " WHERE id = ?",
            (req.doc_date.isoformat(), req.heading, req.signer, req.executor, sha256, input_name, req.doc_index,
             stamp, stamp, taken["id"]),
        )
        log.info("исправленная версия документа № %s (версия %d)", taken["number"], taken["version"] + 1)
        return taken["id"]

    @staticmethod
    def _refuse_correction(taken, req: NumberRequest, sha256: str) -> None:
        number, when = taken["number"], russian_date(taken["doc_date"])
        if taken["signed_on"]:
            raise RegisterError(
                f"Документ № {number} от {when} уже подписан ({russian_date(taken['signed_on'])}) и не может быть "
                "заменён. Подписанный приказ изменяется только новым приказом (например, «О внесении изменений в "
                f"приказ от {when} № {number}»). Уберите номер из файла, чтобы новый документ получил свой номер."
            )
        if taken["status"] == "void":
            raise RegisterError(
                f"Номер {number} аннулирован ({taken['void_reason']}) и повторно не используется. "
                "Уберите поле «number», чтобы документ получил новый номер."
            )
        if taken["status"] == "reserved":
            raise RegisterError(
                f"Номер {number} зарезервирован ({taken['note']}) и уже есть в журнале регистрации. "
                "Уберите поле «number», чтобы документ получил свободный номер."
            )
        if taken["origin"] == "imported":
            raise RegisterError(
                f"Номер {number} уже есть в журнале регистрации (внесён из журнала, документ от {when}). "
                "Номер не может использоваться дважды: укажите другой или уберите поле «number»."
            )
        if taken["type_id"] != req.type_id or taken["input_sha256"] == sha256:
            raise RegisterError(
                f"Номер {number} уже есть в журнале регистрации (документ от {when}). "
                "Номер не может использоваться дважды: укажите другой или уберите поле «number»."
            )
        if taken["status"] != "published":
            raise RegisterError(
                f"Документ № {number} ещё не выпущен (обрабатывается или прерван сбоем); исправленную версию "
                "можно положить в inbox, когда он будет выпущен."
            )

    def versions(self, entry_id: int) -> list[Version]:
        """Earlier versions of a corrected document, oldest first (the entry itself is the current one)."""
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT * FROM versions WHERE entry_id = ? ORDER BY version", (entry_id,)).fetchall()
        return [Version(**{**dict(r), "outputs": json.loads(r["outputs"] or "[]")}) for r in rows]

    def restore_previous(self, entry_id: int) -> Entry | None:
        """A correction that failed: the previous version is the document again. None if there is none."""
        def work(conn):
            entry = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
            row = conn.execute("SELECT * FROM versions WHERE entry_id = ? AND version = ?",
                               (entry_id, entry["version"] - 1)).fetchone()
            if row is None or entry["status"] != "issued":
                return False
            conn.execute(
                "UPDATE entries SET doc_date = ?, heading = ?, signer = ?, executor = ?, input_sha256 = ?,"
                " input_name = ?, doc_index = ?, status = 'published', outputs = ?, version = ?, version_at = ?,"
                " updated_at = ? WHERE id = ?",
                (row["doc_date"], row["heading"], row["signer"], row["executor"], row["input_sha256"],
                 row["input_name"], row["doc_index"], row["outputs"], row["version"], row["registered_at"], now(),
                 entry_id),
            )
            conn.execute("DELETE FROM versions WHERE entry_id = ? AND version = ?", (entry_id, row["version"]))
            return True
        return self.entry(entry_id) if self.write(work) else None

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
        """Mark an entry void with its reason; the number stays in the journal. False if nothing changed.

        A signed document is never voided: it is cancelled by a new order."""
        if not reason.strip():
            raise RegisterError("Укажите причину аннулирования номера (--reason).")
        condition = "status = 'issued'" if only_unfinished else "status != 'void'"

        def work(conn):
            row = conn.execute("SELECT number, doc_date, signed_on FROM entries WHERE id = ?", (entry_id,)).fetchone()
            if row is not None and row["signed_on"]:
                raise signed_refusal(row["number"], row["doc_date"], row["signed_on"])
            return conn.execute(
                f"UPDATE entries SET status = 'void', void_reason = ?, updated_at = ? WHERE id = ? AND {condition}",
                (reason, now(), entry_id),
            ).rowcount
        return bool(self.write(work))

    def void_number(self, number: str, reason: str, year: int | None = None) -> Entry:
        """Void an issued number by its text; the entry stays in the journal."""
        entry = self.entry_by_number(number, year)
        if entry.status == "void":
            raise RegisterError(f"Номер {entry.number} уже аннулирован: {entry.void_reason}")
        self.void(entry.id, reason)
        return self.entry(entry.id)

    def entry_by_number(self, number: str, year: int | None = None, series: str | None = None) -> Entry:
        """The one entry carrying ``number`` (compared in canonical form); a Russian refusal if none or several."""
        wanted = canonical(number)
        matches = [e for e in self.entries(year=year) if e.number and canonical(e.number) == wanted
                   and (series is None or e.series == series)]
        if not matches:
            raise RegisterError(f"Номер {number} в журнале не найден.")
        if len(matches) > 1:
            raise RegisterError(f"Номер {number} есть в нескольких годах или сериях; укажите год (--year).")
        return matches[0]

    # --- signed documents -----------------------------------------------------------------------

    def mark_signed(self, number_or_entry, signed_on: date, signed_by: str, method: str = "hand",
                    details: dict | None = None, scan: Path | None = None) -> Entry:
        """Record that a published document was signed: date, by whom, how («hand», «electronic»…).

        ``number_or_entry`` is an ``Entry``, an entry id or a number text. ``details`` (e.g. a
        certificate's serial and owner) are kept as JSON; ``scan`` (a PDF of the signed paper) is copied
        into ``outbox/Подписанные/`` of the workspace. A document already marked signed keeps its first
        mark (it is returned unchanged: a second signature, e.g. an electronic one after the paper, changes
        nothing here). Refused: a voided, reserved or not yet published number; for a hand signature, a
        date before the document's or in the future (an electronic one is dated by its verified signature).
        """
        entry = self._resolve(number_or_entry)
        if isinstance(signed_on, datetime):
            signed_on = signed_on.date()
        self._refuse_signing(entry, signed_on, signed_by, method)
        if entry.signed:
            if scan and not entry.signed_scan:  # the paper's scan handed in after the mark
                self._attach_scan(entry, Path(scan))
            return self.entry(entry.id)
        scan_name = self._keep_scan(entry, Path(scan)) if scan else None
        extra = json.dumps(details, ensure_ascii=False, default=str) if details else None

        def work(conn):
            changed = conn.execute(
                "UPDATE entries SET signed_on = ?, signed_by = ?, sign_method = ?, sign_details = ?, signed_scan = ?,"
                " updated_at = ? WHERE id = ? AND signed_on IS NULL AND status IN ('published', 'imported')",
                (signed_on.isoformat(), signed_by.strip(), method, extra, scan_name, now(), entry.id),
            ).rowcount
            if not changed:
                raise RegisterError(f"Документ № {entry.number} изменился, пока отмечалась подпись; повторите.")
            pause_if_asked("signed")
        self.write(work)
        log.info("документ № %s отмечен подписанным (%s)", entry.number, method)
        return self.entry(entry.id)

    def _resolve(self, number_or_entry) -> Entry:
        if isinstance(number_or_entry, Entry):
            return self.entry(number_or_entry.id)
        if isinstance(number_or_entry, int):
            return self.entry(number_or_entry)
        return self.entry_by_number(str(number_or_entry))

    @staticmethod
    def _refuse_signing(entry: Entry, signed_on: date, signed_by: str, method: str) -> None:
        number = entry.number or "без номера"
        if entry.signed:
            return
        if entry.status == "void":
            raise RegisterError(f"Номер {number} аннулирован ({entry.void_reason}); подписать его нельзя.")
        if entry.status == "reserved":
            raise RegisterError(f"Номер {number} только зарезервирован, документа под ним нет; подписать нечего.")
        if entry.status not in ("published", "imported"):
            raise RegisterError(f"Документ № {number} ещё не выпущен; отметить подпись можно после выпуска.")
        if not signed_by.strip():
            raise RegisterError("Укажите, кто подписал документ (--by).")
        if method != "hand":
            return
        if signed_on < date.fromisoformat(entry.doc_date):
            raise RegisterError(f"Дата подписи {signed_on:%d.%m.%Y} раньше даты документа № {number} "
                                f"({russian_date(entry.doc_date)}). Проверьте дату (--date).")
        if signed_on > date.today():
            raise RegisterError(f"Дата подписи {signed_on:%d.%m.%Y} ещё не наступила. Проверьте дату (--date).")

    def _attach_scan(self, entry: Entry, scan: Path) -> None:
        scan_name = self._keep_scan(entry, scan)
        self.write(lambda conn: conn.execute(
            "UPDATE entries SET signed_scan = ?, updated_at = ? WHERE id = ? AND signed_scan IS NULL",
            (scan_name, now(), entry.id)))
        log.info("к документу № %s добавлен скан подписанного", entry.number)

    def _keep_scan(self, entry: Entry, scan: Path) -> str:
        """Copy the signed scan into the workspace; the name keeps the number. Returns its path under the workspace."""
        from .publishing import publish_file, safe_stem

        if not scan.is_file():
            raise RegisterError(f"Файл скана «{scan.name}» не найден.")
        suffix = scan.suffix.lower()
        if suffix not in SCAN_SUFFIXES:
            raise RegisterError(f"Скан подписанного документа должен быть в формате PDF, JPEG или PNG, а не «{scan.suffix}».")
        folder = self.path.parent.joinpath(*SCANS_FOLDER)
        stem = safe_stem(f"{entry.doc_date} № {entry.number} — скан подписанного")
        kept = publish_file(scan, folder, stem, suffix, point="scan")
        return str(kept.relative_to(self.path.parent))

    # --- continuing a paper journal: start, reserve, import ------------------------------------

    def set_start(self, series: str, year: int, start: int) -> None:
        """Automatic numbers of ``series`` in ``year`` begin at ``start`` (the paper journal ran to start − 1)."""
        if start < 1:
            raise RegisterError("Номер, с которого продолжить, должен быть не меньше 1.")
        self.write(lambda conn: conn.execute(
            "INSERT INTO series_starts(series, year, start, set_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(series, year) DO UPDATE SET start = excluded.start, set_at = excluded.set_at",
            (series, year, start, now())))

    def next_number(self, request: NumberRequest, format_number: Callable[[NumberRequest, int, int], str]) -> str:
        """The number the next automatic document dated ``request.doc_date`` would get (nothing is drawn)."""
        def peek(conn):
            year = register_year(request.doc_date, request.year_start)
            return self._next_free(conn, request, year, format_number)[1]
        with closing(self._connect()) as conn:
            return peek(conn)

    def reserve(self, series: str, year: int, first: int, last: int, reason: str, on: date,
                format_number: Callable[[int], str]) -> list[Entry]:
        """Reserve numbers ``first``..``last`` of a series' year with a reason, all or none (one transaction)."""
        if not reason.strip():
            raise RegisterError("Укажите причину резервирования (--reason), например «выданы вручную на бумаге».")
        if first < 1 or last < first:
            raise RegisterError(f"Неверный диапазон номеров {first}–{last}: первый номер должен быть не больше последнего.")
        if last - first + 1 > RESERVE_LIMIT:
            raise RegisterError(f"Слишком большой диапазон ({last - first + 1} номеров); за один раз можно "
                                f"зарезервировать не больше {RESERVE_LIMIT}.")

        def work(conn):
            numbers = [(n, format_number(n)) for n in range(first, last + 1)]
            clashes = [(number, row) for n, number in numbers
                       if (row := self._taken_row(conn, series, year, number, n)) is not None]
            if clashes:
                listed = "; ".join(f"{number} — {taken_description(row)}" for number, row in clashes[:20])
                more = f" и ещё {len(clashes) - 20}" if len(clashes) > 20 else ""
                raise RegisterError(f"Резерв не сделан: эти номера уже есть в журнале регистрации: {listed}{more}. "
                                    "Укажите диапазон свободных номеров.")
            stamp = now()
            ids = [conn.execute(
                "INSERT INTO entries(series, year, sequence, number, doc_date, type_id, input_sha256, input_name,"
                " doc_index, status, created_at, updated_at, canonical, origin, note, version_at)"
                " VALUES (?, ?, ?, ?, ?, '', '', '', 0, 'reserved', ?, ?, ?, 'reserved', ?, ?)",
                (series, year, n, number, on.isoformat(), stamp, stamp, canonical(number), reason.strip(), stamp),
            ).lastrowid for n, number in numbers]
            pause_if_asked("reserving")  # the kill sweep: a crash here must leave no reservation at all
            return ids
        return [self.entry(i) for i in self.write(work)]

    def import_entries(self, rows: list[ImportRow]) -> int:
        """Bring in rows of a journal workbook, all or none; conflicts refused naming each row."""
        def work(conn):
            problems = []
            for row in rows:
                taken = self._taken_row(conn, row.series, row.year, row.number, row.sequence)
                if taken is not None:
                    problems.append(f"{row.where}: номер {row.number} уже есть в журнале регистрации "
                                    f"({taken_description(taken)}).")
                    continue
                if row.status in ("imported", "void") and not row.out_of_order:
                    earlier, later = self._calendar_bounds(conn, row.series, row.year, row.doc_date)
                    if later is not None and later["sequence"] < row.sequence:
                        problems.append(f"{row.where}: номер {row.number} от {row.doc_date:%d.%m.%Y} больше номера "
                                        f"{later['number']}, датированного позже ({russian_date(later['doc_date'])}).")
                    elif earlier is not None and earlier["sequence"] > row.sequence:
                        problems.append(f"{row.where}: номер {row.number} от {row.doc_date:%d.%m.%Y} меньше номера "
                                        f"{earlier['number']}, датированного раньше ({russian_date(earlier['doc_date'])}).")
            if problems:
                raise RegisterError("Журнал не загружен (ни одна строка не внесена):\n" + "\n".join(problems))
            stamp = now()
            for row in rows:
                conn.execute(
                    "INSERT INTO entries(series, year, sequence, number, doc_date, type_id, heading, signer, executor,"
                    " input_sha256, input_name, doc_index, status, void_reason, outputs, created_at, updated_at,"
                    " canonical, origin, note, out_of_order, signed_on, signed_by, sign_method, version_at)"
                    " VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 'imported', ?, ?, ?, ?, ?, ?)",
                    (row.series, row.year, row.sequence, row.number, row.doc_date.isoformat(), row.heading,
                     row.signer, row.executor, row.input_sha256, row.input_name, row.status, row.void_reason,
                     json.dumps(list(row.outputs), ensure_ascii=False), stamp, stamp, canonical(row.number),
                     row.note, int(row.out_of_order), row.signed_on, row.signed_by,
                     "hand" if row.signed_on else None, stamp),
                )
            return len(rows)
        return self.write(work)

    # --- print packs ----------------------------------------------------------------------------

    def set_pack(self, sha256: str, name: str | None, members: list[list[int]]) -> None:
        """Record the print pack of an input and the (entry id, version) of each document in it."""
        self.write(lambda conn: conn.execute(
            "UPDATE inputs SET pack = ?, pack_members = ? WHERE sha256 = ?",
            (name, json.dumps(members), sha256)))

    def packs(self) -> list[sqlite3.Row]:
        with closing(self._connect()) as conn:
            return conn.execute("SELECT sha256, name, pack, pack_members FROM inputs WHERE pack IS NOT NULL").fetchall()

    # --- reading ----------------------------------------------------------------

    def entry(self, entry_id: int) -> Entry:
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return _entry(row)

    def entries(self, year: int | None = None, status: str | None = None, sha256: str | None = None) -> list[Entry]:
        """Entries in the order they were registered; by ``sha256`` only those docgen made for that input."""
        sql, args = "SELECT * FROM entries WHERE 1=1", []
        for column, value in (("year", year), ("status", status), ("input_sha256", sha256)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        if sha256 is not None:
            sql += " AND origin IN ('auto', 'given')"
        with closing(self._connect()) as conn:
            rows = conn.execute(sql + " ORDER BY id", args).fetchall()
        return [_entry(r) for r in rows]

    def find_number(self, number: str, doc_date: date | None = None) -> Entry | None:
        """The entry carrying a registration number (e.g. the order approving a roadmap), in canonical form."""
        wanted = canonical(number)
        for entry in reversed(self.entries()):
            if entry.number and canonical(entry.number) == wanted and (
                    doc_date is None or entry.doc_date == doc_date.isoformat()):
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
