"""Claim rows with a lease: which worker holds which input, when the register is in PostgreSQL.

Several workers (on one machine or several, the inbox on a network share where
a rename may not be atomic) serve one inbox. Before a worker renames a file
into ``inbox/.processing`` it takes the file's row in the school's ``claims``
table (key «file:<name>»; and «sha:<SHA-256>» for the bytes, as the lock
files of docgen/claims.py do on one machine): the row names its owner and a
lease expiry. A heartbeat thread renews every lease the worker holds each
third of the lease; the row is deleted when the file has left
``.processing``. A worker that dies stops renewing: once its lease has run
out another worker takes the row over (one ``UPDATE … WHERE lease_until <
now()``, so only one of them can) and with it the abandoned file. Every
statement runs in the register's own locked transaction.
"""
from __future__ import annotations

import logging
import os
import threading
import uuid

from .claims import host_name, owner_tag, process_alive
from .register.model import RegisterBusy

log = logging.getLogger("docgen.claims")

LEASE_SECONDS = 30.0

TABLE = """
CREATE TABLE IF NOT EXISTS claims (
    key          TEXT PRIMARY KEY,            -- file:<name in inbox> | sha:<SHA-256 of the bytes>
    owner        TEXT NOT NULL,               -- <pid>@<host>@<token> of the worker
    claimed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_until  TIMESTAMPTZ NOT NULL
);
"""


def owner_is_dead_here(owner: str) -> bool:
    """Whether a lease owner «<pid>@<host>@<token>» is a process of this machine that no longer runs."""
    parts = owner.split("@")
    if len(parts) != 3 or not parts[0].isdigit() or parts[1] != host_name():
        return False
    return int(parts[0]) != os.getpid() and not process_alive(int(parts[0]))


class Leases:
    """This worker's claim rows in the school's PostgreSQL journal, renewed by a heartbeat while held."""

    def __init__(self, register, lease_seconds: float = LEASE_SECONDS, owner: str | None = None):
        self.register = register
        self.lease_seconds = lease_seconds
        self.owner = owner or f"{owner_tag()}@{uuid.uuid4().hex[:8]}"
        self.held: set[str] = set()
        self.guard = threading.Lock()  # the set of held keys, shared with the heartbeat thread (not the database)
        self.stopped = threading.Event()
        register.write(lambda conn: conn.executescript(TABLE), point="lease_table")
        self.beat = threading.Thread(target=self._heartbeat, name="docgen-lease", daemon=True)
        self.beat.start()

    def take(self, key: str) -> bool:
        """Hold ``key``: a new row, or one whose lease ran out (taken over), or ours already. False if held."""
        def work(conn):
            return conn.execute(
                "INSERT INTO claims(key, owner, lease_until) VALUES (?, ?, now() + ? * interval '1 second')"
                " ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, claimed_at = now(), heartbeat_at = now(),"
                " lease_until = excluded.lease_until WHERE claims.lease_until < now() OR claims.owner = excluded.owner"
                " RETURNING (SELECT owner FROM claims WHERE key = ?)",
                (key, self.owner, self.lease_seconds, key)).fetchone()
        row = self.register.write(work, point="lease_take")
        if row is None:
            return self._take_from_the_dead(key)
        if row[0] not in (None, self.owner):
            log.warning("срок аренды файла истёк у другого обработчика (%s), беру его: %s", row[0], key)
        with self.guard:
            self.held.add(key)
        return True

    def _take_from_the_dead(self, key: str) -> bool:
        """A live lease whose owner is a dead process of this machine (killed, or our own pid's earlier life)."""
        holder = self.register.read(lambda conn: conn.execute("SELECT owner FROM claims WHERE key = ?",
                                                              (key,)).fetchone())
        if holder is None or not owner_is_dead_here(holder[0]):
            return False
        taken = self.register.write(lambda conn: conn.execute(
            "UPDATE claims SET owner = ?, claimed_at = now(), heartbeat_at = now(),"
            " lease_until = now() + ? * interval '1 second' WHERE key = ? AND owner = ?",
            (self.owner, self.lease_seconds, key, holder[0])).rowcount, point="lease_take")
        if taken:
            log.warning("обработчик %s на этой машине завершился, беру его файл: %s", holder[0], key)
            with self.guard:
                self.held.add(key)
        return bool(taken)

    def release(self, key: str) -> None:
        """Give the row up; with the database away it is left to expire (no heartbeat renews it any more)."""
        with self.guard:
            self.held.discard(key)
        try:
            self.register.write(lambda conn: conn.execute("DELETE FROM claims WHERE key = ? AND owner = ?",
                                                          (key, self.owner)), point="lease_release")
        except RegisterBusy:
            log.warning("журнал недоступен: аренда %s не снята, она истечёт сама через %.0f с", key, self.lease_seconds)

    def held_elsewhere(self, key: str) -> bool:
        """Whether another worker holds ``key`` under a lease that has not run out."""
        row = self.register.read(lambda conn: conn.execute(
            "SELECT owner FROM claims WHERE key = ? AND lease_until >= now()", (key,)).fetchone())
        return row is not None and row[0] != self.owner

    def renew(self) -> int:
        """Extend every lease this worker holds; how many rows were renewed."""
        with self.guard:
            keys = sorted(self.held)
        if not keys:
            return 0
        return self.register.write(lambda conn: conn.execute(
            "UPDATE claims SET lease_until = now() + ? * interval '1 second', heartbeat_at = now()"
            " WHERE owner = ? AND key = ANY(?)", (self.lease_seconds, self.owner, keys)).rowcount, gated=False)

    def _heartbeat(self) -> None:
        while not self.stopped.wait(self.lease_seconds / 3):
            try:
                self.renew()
            except Exception as exc:  # the database away for a moment: the next beat tries again
                log.warning("не удалось продлить аренду файлов в журнале (%s); повторю", type(exc).__name__)

    def close(self) -> None:
        self.stopped.set()
