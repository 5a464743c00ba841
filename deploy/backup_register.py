#!/usr/bin/env python3
"""Back up the register (register.sqlite) while docgen runs: SQLite's online backup, checked, old copies pruned.

    backup_register.py WORKSPACE BACKUP_DIR [--keep N]

Writes BACKUP_DIR/register-YYYY-MM-DD_HHMMSS.sqlite through sqlite3's backup
API (a consistent copy even while the watcher is writing; the WAL is included),
runs ``PRAGMA integrity_check`` on the copy, and keeps the newest N copies
(default 60). Exit status 0 only when the copy is complete and sound. For a
SQLite register it uses only Python's standard library (any python3 will do).

A workspace whose register is in PostgreSQL (``[register] url`` in docgen.toml)
gets the same kind of copy: that school's journal copied row for row into a
fresh SQLite file by docgen's own ``register migrate`` code (compared with the
source after the copy), so it is restored the same way. Run it with docgen's
Python then (``/opt/docgen/.venv/bin/python``); the password comes from
``PGPASSWORD`` or ``[register] password_file`` as for the service.
"""
from __future__ import annotations

import argparse
import datetime
import sqlite3
import sys
from pathlib import Path


def postgres_url(workspace: Path) -> str:
    """``[register] url`` of the workspace's docgen.toml, or "" for the SQLite file."""
    import tomllib

    try:
        section = tomllib.loads((workspace / "docgen.toml").read_text(encoding="utf-8")).get("register")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ""
    return str(section.get("url", "")) if isinstance(section, dict) else ""


def copy_postgres_journal(workspace: Path, partial: Path) -> None:
    """The school's journal from PostgreSQL into the SQLite file ``partial`` (compared after the copy)."""
    from docgen.register import Register
    from docgen.register.transfer import copy_journal
    from docgen.register.db import RegisterLocation, location_from_config

    source = Register(workspace / "register.sqlite", location=location_from_config(workspace))
    target = Register(partial, location=RegisterLocation())
    try:
        copy_journal(source, target)
    finally:
        target.close()
        source.close()


def backup(register: Path, target_dir: Path, keep: int) -> Path:
    if postgres_url(register.parent):
        return keep_copy(target_dir, keep, lambda partial: copy_postgres_journal(register.parent, partial))
    if not register.is_file():
        raise SystemExit(f"Нет журнала регистрации {register}: это не рабочая папка docgen или номеров ещё не было.")
    return keep_copy(target_dir, keep, lambda partial: copy_sqlite(register, partial))


def copy_sqlite(register: Path, partial: Path) -> None:
    source = sqlite3.connect(f"file:{register}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def keep_copy(target_dir: Path, keep: int, make_copy) -> Path:
    """Make a copy into a partial file, check it, give it its dated name, prune the oldest."""
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H%M%S")
    target = target_dir / f"register-{stamp}.sqlite"
    partial = target.with_suffix(".partial")
    try:
        make_copy(partial)
        copy = sqlite3.connect(partial)
        try:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, whatever mode the copy was made in
        finally:
            copy.close()
    except Exception as exc:  # the database out of reach, the disk full: no half copy stays
        for leftover in target_dir.glob(partial.name + "*"):
            leftover.unlink()
        raise SystemExit(f"Копию журнала сделать не удалось: {exc}. Прежние копии не тронуты.") from exc
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise SystemExit(f"Копия журнала повреждена ({verdict}); прежние копии не тронуты.")
    partial.rename(target)
    for old in sorted(target_dir.glob("register-*.sqlite"))[:-keep]:
        old.unlink()
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Резервная копия журнала регистрации docgen")
    parser.add_argument("workspace", type=Path, help="рабочая папка docgen (где лежит register.sqlite)")
    parser.add_argument("backup_dir", type=Path, help="папка для копий")
    parser.add_argument("--keep", type=int, default=60, help="сколько последних копий хранить (по умолчанию 60)")
    args = parser.parse_args(argv)
    target = backup(args.workspace / "register.sqlite", args.backup_dir, max(1, args.keep))
    print(f"Копия журнала сохранена: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
