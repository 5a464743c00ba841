"""A throwaway PostgreSQL for the tests and tools/bench.py: a given server, or a cluster started in a temp folder.

``DOCGEN_TEST_PG_URL`` (a superuser's url, e.g. the one .ci/run exports) is
used as it is; otherwise ``Cluster.start()`` runs Debian's ``initdb`` and
``pg_ctl`` (package ``postgresql``, /usr/lib/postgresql/<version>/bin) in a
temporary folder, as the ``postgres`` user when we are root, listening on a
free loopback port with ``trust`` authentication, and ``stop()`` removes it.
``fresh_database(admin_url)`` creates an empty database and returns its url.
Nothing here is used by docgen itself.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

URL_VARIABLE = "DOCGEN_TEST_PG_URL"
PACKAGE = "postgresql"
SERVER_ROOT = Path("/usr/lib/postgresql")  # Debian's /usr/lib/postgresql/<version>/bin


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def server_binaries() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl."""
    found = sorted(SERVER_ROOT.glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
                   if p.parent.parent.name.isdigit() else 0)
    if not found:
        raise PostgresMissing(f"PostgreSQL не установлен: нужен пакет Debian «{PACKAGE}» "
                              f"(apt-get install {PACKAGE}) или переменная {URL_VARIABLE}.")
    return found[-1].parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(command: list[str]) -> list[str]:
    """Root may not run the server: the command as the ``postgres`` user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@dataclass
class Cluster:
    folder: Path
    port: int
    binaries: Path

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @classmethod
    def start(cls) -> "Cluster":
        binaries = server_binaries()
        folder = Path(tempfile.mkdtemp(prefix="docgen-pg-"))
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        cluster = cls(folder, free_port(), binaries)
        data = folder / "data"
        run(as_postgres([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                         "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]))
        options = f"-c listen_addresses=127.0.0.1 -p {cluster.port} -k {folder} -c fsync=on -c max_connections=200"
        run(as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
                         "-w", "-t", "60", "start"]))
        return cluster

    def stop(self) -> None:
        run(as_postgres([str(self.binaries / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w",
                         "stop"]), check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def run(command: list[str], check: bool = True) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {done.stderr or done.stdout}")


def fresh_database(admin_url: str) -> str:
    """An empty database on the server of ``admin_url``; its connection string (same user and host)."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    name = "docgen_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_conninfo(admin_url, dbname=name)


def drop_database(admin_url: str, url: str) -> None:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    name = conninfo_to_dict(url)["dbname"]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
