"""Where the register lives: a SQLite file in the workspace, or one school's schema in PostgreSQL.

Both backends give the register (docgen/register/) the same three things:
a connection for reading (``reading()``), one write transaction that holds
the database's own lock for its whole length (``transaction()``: SQLite's
``BEGIN IMMEDIATE``; in PostgreSQL ``pg_advisory_xact_lock`` on the school's
key, taken first thing in the transaction, so writers of one school are
serialised by the server and never by a lock in Python), and the schema set
up and migrated to ``SCHEMA_VERSION`` (``prepare``).

PostgreSQL (psycopg 3) is chosen in ``docgen.toml``::

    [register]
    url = "postgresql://docgen@db.example/docgen"
    school = "school-5"            # default: the workspace folder's name
    password_file = "/etc/docgen/pgpass"   # or PGPASSWORD / ~/.pgpass

A password inside the url is refused: it would sit in a file everyone who
edits the settings can read. Each school's journal is a schema of its own
(``school_<hash of the key>``, listed with its key in ``public.docgen_schools``),
so one database serves many workspaces and a school reads, numbers and
exports only its own entries. The register's SQL is written for SQLite;
``PostgresConnection`` translates its placeholders and the few SQLite
phrases it uses (``INSERT OR IGNORE``, ``IS ?``, ``AUTOINCREMENT``).
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import threading
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from ..errors import RegisterError
from ..numbering import canonical
from .sql import (POSTGRES_MIGRATIONS, POSTGRES_SCHEMA, SCHEMA_VERSION, SQLITE_MIGRATIONS, SQLITE_SCHEMA,
                           statements)

log = logging.getLogger("docgen.register")

POSTGRES_PACKAGE = "psycopg[binary]"
SETUP_LOCK = 0x646F6367656E  # «docgen»: the advisory lock of creating schemas (any school)
# The web office's search folds case and «ё» as Python's casefold does for Russian (whatever the database's locale).
FOLD_FUNCTION = """CREATE OR REPLACE FUNCTION fold(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT replace(translate(lower(COALESCE(value, '')), 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ',
                             'абвгдеёжзийклмнопрстуфхцчшщъыьэюя'), 'ё', 'е') $$"""
INHERITED: list = []  # connections a forked child found open: kept unclosed, they belong to the parent


@dataclass(frozen=True)
class RegisterLocation:
    """``[register]`` of docgen.toml: no url → the SQLite file; a url → PostgreSQL, the school's own schema."""

    url: str = ""
    school: str = ""
    password_file: str = ""
    retry_seconds: float | None = None  # how long an operation waits for a busy or unreachable database
    lease_seconds: float | None = None  # a worker's claim on a file lasts this long without a heartbeat


def location_from_config(workspace_root: Path) -> RegisterLocation:
    """The ``[register]`` section of the workspace's docgen.toml (the defaults when there is none)."""
    config = workspace_root / "docgen.toml"
    try:
        raw = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return RegisterLocation()  # a broken docgen.toml is reported by the settings, not here
    section = raw.get("register") if isinstance(raw.get("register"), dict) else {}
    def seconds(key: str) -> float | None:
        value = section.get(key)
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else None
    return RegisterLocation(str(section.get("url", "")), str(section.get("school", "")),
                            str(section.get("password_file", "")), seconds("retry_seconds"), seconds("lease_seconds"))


def open_journal(path: Path, location: RegisterLocation, busy_timeout: float):
    if not location.url:
        return SqliteJournal(path, busy_timeout)
    school = location.school or path.parent.name
    return PostgresJournal(location.url, school, location.password_file, busy_timeout=busy_timeout)


# --- one connection per thread ------------------------------------------------------------------

class ThreadConnections:
    """Each thread of a process keeps one open connection for all its operations; a forked child, or a
    thread whose connection was dropped after a failure, opens a new one. ``open_connection`` and
    ``usable`` are the backend's."""

    def own(self):
        """This thread's connection, opened at its first operation (again after a fork or a drop)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "pid", None) == os.getpid() and self.usable(conn):
            return conn
        self.drop_connection()
        conn = self.open_connection()
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    @staticmethod
    def usable(conn) -> bool:
        return True

    def drop_connection(self) -> None:
        """Close this thread's connection; a parent's one, found after a fork, is kept unclosed: it is the
        parent's (closing it here would end the parent's session, or checkpoint the WAL under it)."""
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is None:
            return
        if getattr(self._local, "pid", None) != os.getpid():
            INHERITED.append(conn)
            return
        try:
            conn.close()
        except Exception:  # a broken connection closes as it can
            pass


# --- SQLite --------------------------------------------------------------------------------------

class SqliteJournal(ThreadConnections):
    """The register file of one workspace: WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE`` per write.

    One connection per thread (``ThreadConnections``): opening one per write cost a WAL checkpoint each
    time the last connection closed."""

    kind = "sqlite"

    def __init__(self, path: Path, busy_timeout: float):
        self.path, self.busy_timeout = Path(path), busy_timeout
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()

    def describe(self) -> str:
        return f"файл {self.path.name}"

    def open_connection(self) -> sqlite3.Connection:
        """A new connection to the register file (WAL, ``synchronous=FULL``, autocommit between transactions)."""
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        except BaseException:
            conn.close()
            raise
        return conn

    def handle(self) -> sqlite3.Connection:
        """A connection for a caller outside the register (it closes it)."""
        return self.open_connection()

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        yield self.own()

    @contextmanager
    def transaction(self, begin: bool = True) -> Iterator[sqlite3.Connection]:
        conn = self.own()
        if not begin:
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            self._roll_back(conn)
            raise

    def _roll_back(self, conn: sqlite3.Connection) -> None:
        """End a failed transaction; a connection that cannot roll back is dropped (the next operation opens one)."""
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except sqlite3.Error:
            self.drop_connection()

    @staticmethod
    def is_transient(exc: BaseException) -> bool:
        """Busy or locked: the whole transaction may run again."""
        return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))

    @staticmethod
    def is_unreachable(exc: BaseException) -> bool:
        return False

    def forget_broken(self) -> None:
        """After a busy database: a connection still inside a transaction is dropped (never reused half-way)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and conn.in_transaction:
            self.drop_connection()

    def create_tables(self, conn) -> None:
        conn.executescript(SQLITE_SCHEMA)

    @staticmethod
    def migrate(conn) -> None:
        """Bring an older register to ``SCHEMA_VERSION`` in place, inside the write transaction."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in statements(SQLITE_MIGRATIONS[target]):
                conn.execute(statement)
            if target == 1:
                rows = conn.execute("SELECT id, number FROM entries WHERE number IS NOT NULL").fetchall()
                conn.executemany("UPDATE entries SET canonical = ? WHERE id = ?",
                                 [(canonical(r["number"]), r["id"]) for r in rows])
            conn.execute(f"PRAGMA user_version = {target}")
            log.info("журнал регистрации обновлён до версии схемы %d", target)

    def schema_version(self) -> int:
        with self.reading() as conn:
            return conn.execute("PRAGMA user_version").fetchone()[0]

    def integrity_ok(self) -> bool:
        with self.reading() as conn:
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    def close(self) -> None:
        """Close this thread's connection (other threads' close when their thread ends)."""
        self.drop_connection()


# --- PostgreSQL ----------------------------------------------------------------------------------

class Row(tuple):
    """A result row read by position or by column name, like ``sqlite3.Row``."""

    names: tuple[str, ...] = ()

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def row_factory(cursor):
    names = tuple(column.name for column in cursor.description or ())
    row_class = type("Row", (Row,), {"names": names})
    return lambda values: row_class(values)


@lru_cache(maxsize=512)
def postgres_sql(sql: str) -> str:
    """The register's SQLite-flavoured statement in PostgreSQL's words."""
    sql = sql.replace("%", "%%")
    sql = re.sub(r"\bIS \?", "IS NOT DISTINCT FROM ?", sql)
    sql = sql.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
    sql = sql.replace("instr(", "strpos(").replace(  # the web office's search and status filters
        "json_each(?)", "json_array_elements_text(CAST(? AS json)) AS each_value(value)")
    if re.match(r"\s*INSERT OR IGNORE INTO", sql):
        sql = re.sub(r"^\s*INSERT OR IGNORE INTO", "INSERT INTO", sql) + " ON CONFLICT DO NOTHING"
    return sql.replace("?", "%s")


class PostgresConnection:
    """A psycopg connection that takes the register's statements as they are written for SQLite."""

    def __init__(self, conn):
        self.raw = conn

    def execute(self, sql: str, params=()):
        return self.raw.execute(postgres_sql(sql), tuple(params))

    def executemany(self, sql: str, rows) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(postgres_sql(sql), list(rows))

    def executescript(self, script: str) -> None:
        for statement in statements(script):
            self.raw.execute(postgres_sql(statement).replace("%%", "%"))

    def close(self) -> None:
        """The connection is the thread's own and stays open for the next operation."""

    def __enter__(self) -> "PostgresConnection":
        return self

    def __exit__(self, *exc) -> None:
        return None


def school_schema(school: str) -> str:
    """The PostgreSQL schema of one school's journal: stable, a valid name whatever the key's letters."""
    return "school_" + hashlib.sha256(school.encode("utf-8")).hexdigest()[:16]


def lock_key(name: str) -> int:
    """A signed 64-bit advisory lock key for a name."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


def refuse_password_in_url(url: str) -> None:
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception as exc:
        raise RegisterError(f"docgen.toml, [register] url: адрес базы PostgreSQL не разобран ({exc}). "
                            "Пример: url = \"postgresql://docgen@сервер:5432/docgen\".") from None
    if parts.get("password"):
        raise RegisterError(
            "docgen.toml, [register] url: в адресе базы указан пароль. Пароль в docgen.toml не хранится — уберите "
            "его из адреса и задайте переменную окружения PGPASSWORD или файл с паролем ([register] password_file)."
        )


class PostgresJournal(ThreadConnections):
    """One school's journal in a PostgreSQL database: its own schema, one connection per thread of a process."""

    kind = "postgresql"

    def __init__(self, url: str, school: str, password_file: str = "", connect_timeout: float = 10.0,
                 busy_timeout: float = 10.0):
        try:
            import psycopg
        except ImportError:
            raise RegisterError(f"Для журнала в PostgreSQL нужен пакет {POSTGRES_PACKAGE}: "
                                f"pip install '{POSTGRES_PACKAGE}'.") from None
        del psycopg  # imported here only to refuse clearly when the package is missing
        refuse_password_in_url(url)
        if not school.strip():
            raise RegisterError("docgen.toml, [register] school: укажите ключ школы (например, school = \"school-5\").")
        self.url, self.school, self.password_file = url, school.strip(), password_file
        self.schema = school_schema(self.school)
        self.lock = lock_key(self.schema)
        self.connect_timeout = max(1, int(connect_timeout))
        self.lock_timeout = f"{max(1, int(busy_timeout * 1000))}ms"  # as SQLite's busy timeout: then retried whole
        self._local = threading.local()

    def describe(self) -> str:
        return f"PostgreSQL, школа «{self.school}»"

    def _password(self) -> dict:
        if not self.password_file:
            return {}  # libpq reads PGPASSWORD or ~/.pgpass itself
        try:
            return {"password": Path(self.password_file).read_text(encoding="utf-8").strip()}
        except OSError as exc:
            raise RegisterError(f"docgen.toml, [register] password_file: файл с паролем «{self.password_file}» "
                                f"не прочитан ({exc.strerror}).") from None

    def open_connection(self):
        """A new connection: autocommit, the school's schema first on the search path."""
        import psycopg

        conn = psycopg.connect(self.url, autocommit=True, connect_timeout=self.connect_timeout,
                               row_factory=row_factory, application_name="docgen", **self._password())
        conn.execute("SELECT set_config('search_path', %s, false)", (f"{self.schema}, public",))
        return conn

    @staticmethod
    def usable(conn) -> bool:
        return not conn.closed

    def forget_broken(self) -> None:
        """After a failed read: a broken connection is replaced at the next operation."""
        conn = getattr(self._local, "conn", None)
        if conn is not None and (conn.broken or conn.closed):
            self.drop_connection()

    def handle(self) -> PostgresConnection:
        """This thread's connection for a caller outside the register (its ``close`` keeps it open)."""
        return PostgresConnection(self.own())

    @contextmanager
    def reading(self) -> Iterator[PostgresConnection]:
        yield PostgresConnection(self.own())

    @contextmanager
    def transaction(self, begin: bool = True) -> Iterator[PostgresConnection]:
        """One transaction holding the school's advisory lock until it commits or rolls back."""
        conn = self.own()
        try:
            with conn.transaction():
                conn.execute("SELECT set_config('lock_timeout', %s, true)", (self.lock_timeout,))
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (self.lock,))
                yield PostgresConnection(conn)
        except BaseException as exc:
            if self.is_transient(exc) or conn.broken:
                self.drop_connection()
            raise

    @staticmethod
    def is_transient(exc: BaseException) -> bool:
        """A lost connection, a serialisation failure or a deadlock: the transaction did not commit; run it again."""
        import psycopg

        return isinstance(exc, psycopg.OperationalError)

    @staticmethod
    def is_unreachable(exc: BaseException) -> bool:
        """No connection (refused, cut, the backend terminated), as opposed to a busy lock or a deadlock."""
        import psycopg

        state = getattr(exc, "sqlstate", None)
        return isinstance(exc, psycopg.OperationalError) and (state is None or state[:2] in ("08", "57"))

    def create_tables(self, conn: PostgresConnection) -> None:
        """The school's schema and version-1 tables, created once under a lock every school shares."""
        from psycopg import sql

        raw = conn.raw
        raw.execute("SELECT pg_advisory_xact_lock(%s)", (SETUP_LOCK,))
        raw.execute("CREATE TABLE IF NOT EXISTS public.docgen_schools (school TEXT PRIMARY KEY, schema_name TEXT "
                    "NOT NULL UNIQUE, created_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        raw.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema)))
        raw.execute("INSERT INTO public.docgen_schools(school, schema_name) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                    (self.school, self.schema))
        raw.execute(FOLD_FUNCTION)
        if raw.execute("SELECT to_regclass(%s)", (f"{self.schema}.schema_version",)).fetchone()[0] is None:
            for statement in statements(POSTGRES_SCHEMA):
                raw.execute(statement)
            raw.execute("INSERT INTO schema_version(version) VALUES (1)")

    @staticmethod
    def migrate(conn: PostgresConnection) -> None:
        version = conn.raw.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in statements(POSTGRES_MIGRATIONS[target]):
                conn.raw.execute(statement)
            conn.raw.execute("UPDATE schema_version SET version = %s", (target,))
            log.info("журнал регистрации (PostgreSQL) обновлён до версии схемы %d", target)

    def schema_version(self) -> int:
        return self.own().execute("SELECT max(version) FROM schema_version").fetchone()[0]

    def integrity_ok(self) -> bool:
        """No number twice in a series' year, and every entry's key columns present (the constraints hold)."""
        conn = self.own()
        doubles = conn.execute(
            "SELECT count(*) FROM (SELECT series, year, canonical FROM entries WHERE canonical IS NOT NULL"
            " GROUP BY series, year, canonical HAVING count(*) > 1) AS twice").fetchone()[0]
        valid = conn.execute("SELECT bool_and(convalidated) FROM pg_constraint WHERE connamespace = %s::regnamespace",
                             (self.schema,)).fetchone()[0]
        return doubles == 0 and valid is not False

    def close(self) -> None:
        self.drop_connection()
