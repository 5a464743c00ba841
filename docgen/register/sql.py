"""The register's tables in both databases, their schema versions and the migrations between them.

SQLite keeps its version in ``PRAGMA user_version``; ``SQLITE_SCHEMA`` is the
oldest layout (version 0) and ``SQLITE_MIGRATIONS[v]`` brings version v − 1
to v, additively. PostgreSQL keeps each school's journal in a schema of its
own (see docgen/register/db.py) with a one-row ``schema_version`` table;
``POSTGRES_SCHEMA`` creates version 1 at once and ``POSTGRES_MIGRATIONS[v]``
(v ≥ 2) follows. A change of the journal adds one entry to *both* dicts under
the same new ``SCHEMA_VERSION``, so a journal copied from one database to the
other (``docgen register migrate``) has the same columns.
"""
from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

SQLITE_SCHEMA = """
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

VERSIONS_TABLE = """
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
"""

LIVE_INDEX = """
-- one live entry per document of an input; a voided one keeps its number and frees the key
CREATE UNIQUE INDEX IF NOT EXISTS entries_live_document ON entries(input_sha256, doc_index)
    WHERE status != 'void' AND origin IN ('auto', 'given');
CREATE INDEX IF NOT EXISTS entries_canonical ON entries(series, year, canonical);
"""

SQLITE_MIGRATIONS = {  # version → statements that bring the previous version to it (additive only)
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
""" + LIVE_INDEX + VERSIONS_TABLE,
}

# Version 1 in PostgreSQL: the same columns in the same order as a migrated SQLite journal.
POSTGRES_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS inputs (
    sha256       TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    status       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    finished_at  TEXT,
    note         TEXT,
    pack         TEXT,
    pack_members TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    id           BIGSERIAL PRIMARY KEY,
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
    status       TEXT NOT NULL DEFAULT 'issued',
    void_reason  TEXT,
    outputs      TEXT NOT NULL DEFAULT '[]',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    canonical    TEXT,
    origin       TEXT NOT NULL DEFAULT 'auto',
    note         TEXT NOT NULL DEFAULT '',
    out_of_order INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    version_at   TEXT,
    signed_on    TEXT,
    signed_by    TEXT,
    sign_method  TEXT,
    sign_details TEXT,
    signed_scan  TEXT,
    UNIQUE (series, year, sequence),
    UNIQUE (series, year, number)
);
CREATE INDEX IF NOT EXISTS entries_status ON entries(status);
CREATE TABLE IF NOT EXISTS outbox_files (
    name         TEXT PRIMARY KEY,
    entry_id     BIGINT,
    input_sha256 TEXT NOT NULL,
    kind         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    rowid        BIGSERIAL                -- the order names were reserved in (SQLite's own rowid)
);
""" + LIVE_INDEX + VERSIONS_TABLE

POSTGRES_MIGRATIONS: dict[int, str] = {}  # version (≥ 2) → statements from the previous version, as in SQLite

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
