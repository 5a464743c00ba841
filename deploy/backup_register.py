#!/usr/bin/env python3
"""Back up the register (register.sqlite) while docgen runs: SQLite's online backup, checked, old copies pruned.

    backup_register.py WORKSPACE BACKUP_DIR [--keep N]

Writes BACKUP_DIR/register-YYYY-MM-DD_HHMMSS.sqlite through sqlite3's backup
API (a consistent copy even while the watcher is writing; the WAL is included),
runs ``PRAGMA integrity_check`` on the copy, and keeps the newest N copies
(default 60). Exit status 0 only when the copy is complete and sound. Uses only
Python's standard library: run it with docgen's own Python or any python3.
"""
from __future__ import annotations

import argparse
import datetime
import sqlite3
import sys
from pathlib import Path


def backup(register: Path, target_dir: Path, keep: int) -> Path:
    if not register.is_file():
        raise SystemExit(f"Нет журнала регистрации {register}: это не рабочая папка docgen или номеров ещё не было.")
    target_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H%M%S")
    target = target_dir / f"register-{stamp}.sqlite"
    partial = target.with_suffix(".partial")
    source = sqlite3.connect(f"file:{register}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
        source.close()
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
