"""Moving a school's journal between databases (``docgen register migrate --to URL``), row for row.

Every table of the journal (docgen/register/sql.py ``JOURNAL_TABLES``, and
``signatures`` where docgen.signing made it) is copied in one transaction of
the target, ids and the order of reserved names kept, and the target's id
counters set past the copied ids. The target school's journal must be empty;
after the copy both are read back and compared, table by table, and any
difference is refused in Russian (the target transaction is then rolled
back, so a half copy never stays). Both ends are ``Register`` objects, so the
same code copies SQLite → PostgreSQL and back (the round trip the tests make).
"""
from __future__ import annotations

import logging

from ..errors import RegisterError
from . import Register
from .sql import JOURNAL_TABLES, shared_columns

log = logging.getLogger("docgen.register")

ORDER = {"inputs": "sha256", "entries": "id", "versions": "entry_id, version", "series_starts": "series, year",
         "outbox_files": "rowid", "signatures": "id"}
COLUMNS = {  # the columns copied (PostgreSQL's own ``rowid`` of outbox_files is made again by the inserts' order)
    **{table: shared_columns(table) for table in JOURNAL_TABLES},
    "signatures": ("id", "entry_id", "method", "signed_on", "signed_by", "serial", "issuer", "valid_from", "valid_to",
                   "signature_file", "marked_copy", "recorded_at"),
}
SERIAL_TABLES = ("entries", "signatures")  # tables whose id the target must continue after the copy


def has_table(register: Register, table: str) -> bool:
    with register.journal.reading() as conn:
        if register.journal.kind == "sqlite":
            return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() \
                is not None
        return conn.execute("SELECT to_regclass(?)", (table,)).fetchone()[0] is not None


def tables_of(register: Register) -> list[str]:
    return [t for t in (*JOURNAL_TABLES, "signatures") if has_table(register, t)]


def read_table(conn, table: str) -> list[tuple]:
    columns = ", ".join(COLUMNS[table])
    return [tuple(row) for row in conn.execute(f"SELECT {columns} FROM {table} ORDER BY {ORDER[table]}")]


def journal_rows(register: Register) -> dict[str, list[tuple]]:
    """Every row of every table of the journal, in a fixed order: what «exactly the same journal» compares."""
    with register.journal.reading() as conn:
        return {table: read_table(conn, table) for table in tables_of(register)}


def copy_journal(source: Register, target: Register) -> dict[str, int]:
    """Copy the whole journal of ``source`` into the empty journal of ``target``; rows copied per table."""
    rows = journal_rows(source)
    if "signatures" in rows:
        from ..signing.records import _ensure

        _ensure(target)
    if any(journal_rows(target).get(table) for table in rows):
        raise RegisterError(f"Журнал не перенесён: в журнале назначения ({target.journal.describe()}) уже есть "
                            "записи. Перенос делается только в пустой журнал школы.")

    def work(conn):
        for table, table_rows in rows.items():
            columns = COLUMNS[table]
            marks = ", ".join("?" for _ in columns)
            conn.executemany(f"INSERT INTO {table}({', '.join(columns)}) VALUES ({marks})", table_rows)
        if target.journal.kind == "postgresql":
            for table in SERIAL_TABLES:
                if table in rows:
                    conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)")
        copied = {table: read_table(conn, table) for table in rows}
        if copied != rows:
            different = ", ".join(t for t in rows if copied[t] != rows[t])
            raise RegisterError(f"Журнал не перенесён: после копирования не совпали таблицы {different}; "
                                "в журнале назначения ничего не записано.")
        return {table: len(table_rows) for table, table_rows in rows.items()}
    counts = target.write(work, point="copy")
    log.info("журнал регистрации перенесён (%s): %s", target.journal.describe(),
             ", ".join(f"{t} {n}" for t, n in counts.items()))
    return counts
