"""Watch every durable system call of docgen and report each one made outside ``faults.durable``.

A durable operation is any rename, replace, link, move, removal or write-open of a file under a
workspace's inbox/ and outbox/ trees (anything in the workspace outside its ``.docgen`` state
folder), any ``fsync`` of such a file or folder, and any SQL statement that writes the register
(INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, COMMIT…). ``install(root, log)`` wraps the os,
shutil, io and sqlite3 functions that do them, generically — not a list of docgen's own call
sites — so a durable step added later that bypasses the gate is caught wherever it is. Temporary
files (``.docgen-tmp-…``) are not final names and are free to be written and removed.

Run as a script it wraps a whole ``docgen`` command line in a fresh process:

    python tests/gatekeeper.py -w WS process FILE     (DOCGEN_GATE_ROOT=WS, DOCGEN_GATE_LOG=violations.txt)

Each violation is appended to the log at once (one line: operation, path, the docgen call site),
so a process killed at a fault point keeps the ones it saw.
"""
from __future__ import annotations

import builtins
import io
import os
import re
import shutil
import sqlite3
import sys
import traceback
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import faults  # noqa: E402
from docgen.claims import TMP_PREFIX  # noqa: E402

STATE_FOLDER = ".docgen"
WRITING_SQL = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|COMMIT|END|VACUUM)\b", re.IGNORECASE)
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class Gate:
    """Decides which calls are durable and records those made outside the gate."""

    def __init__(self, root: Path, log: Path):
        self.root = Path(os.path.realpath(root))
        self.state = self.root / STATE_FOLDER
        self.log = Path(log)

    def watched(self, path) -> bool:
        if isinstance(path, int):
            try:
                path = os.readlink(f"/proc/self/fd/{path}")
            except OSError:
                return False
        try:
            real = Path(os.path.realpath(os.fspath(path)))
        except (TypeError, ValueError):
            return False
        if real.name.startswith(TMP_PREFIX):
            return False
        return real.is_relative_to(self.root) and not real.is_relative_to(self.state)

    def check(self, operation: str, *paths) -> None:
        if faults.inside_durable() or not any(self.watched(p) for p in paths if p is not None):
            return
        self.violation(operation, " → ".join(str(p) for p in paths))

    def violation(self, operation: str, what: str) -> None:
        site = next((f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(traceback.extract_stack())
                     if "/docgen/" in f.filename or "/plugins/" in f.filename), "?")
        with _original_open(self.log, "a", encoding="utf-8") as handle:
            handle.write(f"{operation} {what} @ {site}\n")


_original_open = builtins.open


def install(root: Path, log: Path) -> Callable[[], None]:
    """Start watching; return a function that puts every original back."""
    gate = Gate(root, log)
    saved: list[tuple[object, str, object]] = []

    def wrap(owner, name: str, check: Callable) -> None:
        original = getattr(owner, name)

        def watched(*args, **kwargs):
            check(*args, **kwargs)
            return original(*args, **kwargs)

        saved.append((owner, name, original))
        setattr(owner, name, watched)

    def two_paths(op):
        return lambda src, dst, *a, **k: gate.check(op, src, dst)

    def one_path(op):
        return lambda path, *a, **k: gate.check(op, path)

    def open_check(file, mode="r", *a, **k):
        if any(c in mode for c in "wax+"):
            gate.check(f"open({mode})", file)

    def os_open_check(path, flags, *a, **k):
        if flags & WRITE_FLAGS:
            gate.check("os.open(write)", path)

    for name in ("rename", "replace", "link"):
        wrap(os, name, two_paths(f"os.{name}"))
    for name in ("unlink", "remove", "rmdir"):
        wrap(os, name, one_path(f"os.{name}"))
    wrap(os, "fsync", one_path("os.fsync"))
    wrap(os, "fdatasync", one_path("os.fdatasync"))
    wrap(os, "open", os_open_check)
    wrap(shutil, "move", two_paths("shutil.move"))
    wrap(builtins, "open", open_check)
    wrap(io, "open", open_check)

    original_connect = sqlite3.connect

    def connect(database, *args, **kwargs):
        conn = original_connect(database, *args, **kwargs)
        if gate.watched(database):
            def trace(statement: str) -> None:
                if WRITING_SQL.match(statement) and not faults.inside_durable():
                    gate.violation("sql", statement.split("\n")[0][:80])
            conn.set_trace_callback(trace)
        return conn

    saved.append((sqlite3, "connect", original_connect))
    sqlite3.connect = connect

    def uninstall() -> None:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)

    return uninstall


def main() -> int:
    install(Path(os.environ["DOCGEN_GATE_ROOT"]), Path(os.environ["DOCGEN_GATE_LOG"]))
    from docgen.cli import main as docgen_main

    return docgen_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
