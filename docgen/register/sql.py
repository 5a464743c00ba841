"""The register's tables, one definition for both databases, their schema versions and the migrations.

``TABLES`` lists every table of the journal with its columns in SQLite's
words, each column and table marked with the schema version that added it;
the few words that differ between the dialects (``{id}``, ``{ref}``) are
filled in from ``DIALECTS``. From it come, for SQLite, ``SQLITE_SCHEMA``
(the oldest layout, version 0, kept in ``PRAGMA user_version``) and
``SQLITE_MIGRATIONS[v]`` (version v − 1 to v, additively: ``ALTER TABLE …
ADD COLUMN``, new tables and indexes); for PostgreSQL, where each school's
journal is a schema of its own (see docgen/register/db.py) with a one-row
``schema_version`` table, ``POSTGRES_SCHEMA`` (version 1 at once, the columns
in the order of a migrated SQLite journal) and ``POSTGRES_MIGRATIONS[v]``
(v ≥ 2). A change of the journal is a column (or table) marked with the new
``SCHEMA_VERSION``, so both databases get it and a journal copied from one
to the other (``docgen register migrate``) has the same columns.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

SCHEMA_VERSION = 1

DIALECTS = {  # the words of a column definition that differ between the databases
    "sqlite": {"id": "INTEGER PRIMARY KEY AUTOINCREMENT", "ref": "INTEGER"},
    "postgresql": {"id": "BIGSERIAL PRIMARY KEY", "ref": "BIGINT"},
}


@dataclass(frozen=True)
class Column:
    definition: str          # «name TYPE …» in SQLite's words; {id} and {ref} are filled in per dialect
    since: int = 0           # the schema version that added it (an older SQLite journal gets it by ALTER TABLE)
    only: str | None = None  # a column of one dialect only


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    constraints: tuple[str, ...] = ()
    since: int = 0
    indexes: tuple[tuple[int, str], ...] = ()  # (version that added it, statement)


def columns(*definitions: str, since: int = 0) -> tuple[Column, ...]:
    return tuple(Column(d, since) for d in definitions)


TABLES = (
    Table("inputs", columns(
        "sha256 TEXT PRIMARY KEY", "name TEXT NOT NULL",
        "status TEXT NOT NULL",                             # issuing | done | failed
        "received_at TEXT NOT NULL", "finished_at TEXT", "note TEXT") + columns(
        "pack TEXT", "pack_members TEXT", since=1)),
    Table("entries", columns(
        "id {id}", "series TEXT", "year INTEGER", "sequence INTEGER", "number TEXT", "doc_date TEXT NOT NULL",
        "type_id TEXT NOT NULL", "heading TEXT NOT NULL DEFAULT ''", "signer TEXT NOT NULL DEFAULT ''",
        "executor TEXT NOT NULL DEFAULT ''", "input_sha256 TEXT NOT NULL", "input_name TEXT NOT NULL",
        "doc_index INTEGER NOT NULL",
        "status TEXT NOT NULL DEFAULT 'issued'",            # issued | published | void | reserved | imported
        "void_reason TEXT", "outputs TEXT NOT NULL DEFAULT '[]'", "created_at TEXT NOT NULL",
        "updated_at TEXT NOT NULL") + columns(
        "canonical TEXT",
        "origin TEXT NOT NULL DEFAULT 'auto'",              # auto | given | reserved | imported
        "note TEXT NOT NULL DEFAULT ''",                    # reason of a reservation, mark of an import
        "out_of_order INTEGER NOT NULL DEFAULT 0", "version INTEGER NOT NULL DEFAULT 1", "version_at TEXT",
        "signed_on TEXT", "signed_by TEXT", "sign_method TEXT", "sign_details TEXT", "signed_scan TEXT", since=1),
        constraints=("UNIQUE (series, year, sequence)", "UNIQUE (series, year, number)"),
        indexes=(
            (0, "CREATE INDEX IF NOT EXISTS entries_status ON entries(status)"),
            # one live entry per document of an input; a voided one keeps its number and frees the key
            (1, "CREATE UNIQUE INDEX IF NOT EXISTS entries_live_document ON entries(input_sha256, doc_index)"
                " WHERE status != 'void' AND origin IN ('auto', 'given')"),
            (1, "CREATE INDEX IF NOT EXISTS entries_canonical ON entries(series, year, canonical)"))),
    # every name docgen gives a file in outbox/, reserved before the file gets it (entry_id NULL: a print pack)
    Table("outbox_files", columns(
        "name TEXT PRIMARY KEY", "entry_id {ref}", "input_sha256 TEXT NOT NULL",
        "kind TEXT NOT NULL",                               # docx | pdf | pack …
        "created_at TEXT NOT NULL") + (
        Column("rowid BIGSERIAL", only="postgresql"),),     # the order names were reserved in (SQLite's own rowid)
    ),
    Table("versions", columns(                              # earlier versions of a corrected document
        "entry_id INTEGER NOT NULL", "version INTEGER NOT NULL", "doc_date TEXT NOT NULL", "heading TEXT NOT NULL",
        "signer TEXT NOT NULL", "executor TEXT NOT NULL", "input_sha256 TEXT NOT NULL", "input_name TEXT NOT NULL",
        "doc_index INTEGER NOT NULL", "outputs TEXT NOT NULL", "registered_at TEXT NOT NULL",
        "replaced_at TEXT NOT NULL"), constraints=("PRIMARY KEY (entry_id, version)",), since=1),
    Table("series_starts", columns(                         # «continue the paper journal at N», set by command
        "series TEXT NOT NULL", "year INTEGER NOT NULL", "start INTEGER NOT NULL", "set_at TEXT NOT NULL"),
        constraints=("PRIMARY KEY (series, year)",), since=1),
)

# Data changes of a SQLite migration, after its new columns and before its new indexes (PostgreSQL began at 1).
SQLITE_DATA_CHANGES = {
    1: ("UPDATE entries SET origin = 'given' WHERE sequence IS NULL AND number IS NOT NULL",
        "DROP INDEX IF EXISTS entries_live_key"),
}


def in_dialect(column: Column, dialect: str) -> bool:
    return column.only in (None, dialect)


def create_table(table: Table, dialect: str, version: int) -> str:
    """``CREATE TABLE`` of ``table`` as it is at ``version``."""
    parts = [c.definition for c in table.columns if c.since <= version and in_dialect(c, dialect)]
    parts += table.constraints
    body = ",\n    ".join(parts).format(**DIALECTS[dialect])
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n    {body}\n)"


def schema(dialect: str, version: int) -> list[str]:
    """Every table and index of the journal at ``version``, created at once."""
    found = []
    for table in TABLES:
        if table.since <= version:
            found.append(create_table(table, dialect, version))
            found += [sql for since, sql in table.indexes if since <= version]
    return found


def migration(dialect: str, version: int) -> list[str]:
    """The statements that bring the journal from ``version`` − 1 to ``version`` (additive only)."""
    added = [f"ALTER TABLE {t.name} ADD COLUMN {c.definition.format(**DIALECTS[dialect])}"
             for t in TABLES if t.since < version for c in t.columns if c.since == version and in_dialect(c, dialect)]
    data = list(SQLITE_DATA_CHANGES.get(version, ())) if dialect == "sqlite" else []
    indexes = [sql for t in TABLES if t.since < version for since, sql in t.indexes if since == version]
    tables = [create_table(t, dialect, version) for t in TABLES if t.since == version]
    tables += [sql for t in TABLES if t.since == version for since, sql in t.indexes if since <= version]
    return added + data + indexes + tables


def as_script(sql: list[str]) -> str:
    return "".join(statement + ";\n" for statement in sql)


def shared_columns(table_name: str) -> tuple[str, ...]:
    """The columns of a table both databases have (what ``docgen register migrate`` copies)."""
    [table] = [t for t in TABLES if t.name == table_name]
    return tuple(c.definition.split()[0] for c in table.columns if c.only is None)


SQLITE_SCHEMA = as_script(schema("sqlite", 0))
SQLITE_MIGRATIONS = {v: as_script(migration("sqlite", v)) for v in range(1, SCHEMA_VERSION + 1)}
POSTGRES_SCHEMA = as_script(["CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
                          *schema("postgresql", 1)])
POSTGRES_MIGRATIONS = {v: as_script(migration("postgresql", v)) for v in range(2, SCHEMA_VERSION + 1)}

# Tables a journal consists of, in the order ``docgen register migrate`` copies them.
JOURNAL_TABLES = ("inputs", "entries", "versions", "series_starts", "outbox_files")


def statements(script: str) -> list[str]:
    """Split an SQL script into statements (``execute`` runs one at a time; ``executescript`` would commit)."""
    found, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    return [s for s in found if s.strip()]
