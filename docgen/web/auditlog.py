"""The access audit log: who viewed or downloaded which registered document, and when.

One JSON line per event in ``.docgen/audit.log`` (mode 0600): time, login,
action, entry id, registration number, type and file kind. Never the data of
the document, never a person's name.
"""
from __future__ import annotations

import json
import os
import threading
from datetime import datetime
from pathlib import Path

_lock = threading.Lock()


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    def write(self, login: str, action: str, entry_id: int | None = None, number: str | None = None,
              type_id: str = "", kind: str = "") -> None:
        record = {"at": datetime.now().isoformat(timespec="seconds"), "user": login, "action": action,
                  "entry": entry_id, "number": number, "type": type_id, "file": kind}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)

    def records(self) -> list[dict]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines if line.strip()]
