"""Marking a document signed by hand, and keeping the scan of the signed paper.

The pages call ``Signatures.mark_signed``/``sign_with_scan`` and ``signature_of``; the mark itself
lives in the register (``Register.mark_signed``, a «signed» status, docs/register.md), which copies
the scan into ``outbox/Подписанные/`` — only after its bytes are seen to be a PDF, JPEG or PNG.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import DocgenError
from ..publishing import publish_file
from ..register import Entry, Register


@dataclass(frozen=True)
class Signature:
    signed_on: str
    signed_by: str
    method: str = "hand"
    scan: str | None = None


class Signatures:
    """The web office's view of signature marks, all kept by the register."""

    def __init__(self, register: Register, state: Path):
        self.register = register
        self.state = Path(state)

    @staticmethod
    def check(entry: Entry, signed_on: date) -> None:
        """Refuse a mark the register would not take: a void number, a date in the future or before the document."""
        if entry.status == "void":
            raise DocgenError(f"Номер {entry.number} аннулирован; подписать нельзя.")
        if signed_on > date.today():
            raise DocgenError("Дата подписания не может быть позже сегодняшней.")
        if signed_on.isoformat() < entry.doc_date:
            raise DocgenError("Дата подписания не может быть раньше даты документа.")

    def mark_signed(self, entry: Entry, signed_on: date, signed_by: str, scan: Path | None = None) -> None:
        self.check(entry, signed_on)
        self.register.mark_signed(entry.id, signed_on, signed_by, method="hand", scan=scan)

    def sign_with_scan(self, entry: Entry, signed_on: date, signed_by: str, data: bytes, max_bytes: int,
                       outbox: Path, state: Path) -> None:
        """Mark signed with the scan of the signed paper; a refused mark or scan keeps no file."""
        self.check(entry, signed_on)
        with tempfile.TemporaryDirectory(dir=state, prefix="scan-") as tmp:
            scan = save_scan(Path(tmp), entry, data, max_bytes, folder_name="")
            self.register.mark_signed(entry.id, signed_on, signed_by, method="hand", scan=scan)

    @staticmethod
    def signature_of(entry: Entry) -> Signature | None:
        if not entry.signed_on:
            return None
        scan = entry.signed_scan
        return Signature(str(entry.signed_on), entry.signed_by or "", entry.sign_method or "hand",
                         Path(scan).name if scan else None)


SCAN_FOLDER = "Подписанные"  # outbox/Подписанные/, where the register keeps the scans it is given
SCAN_KINDS = {b"%PDF-": ".pdf", b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}


def scan_suffix(data: bytes) -> str:
    for magic, suffix in SCAN_KINDS.items():
        if data.startswith(magic):
            return suffix
    raise DocgenError("Скан должен быть файлом PDF, JPEG или PNG.")


def save_scan(outbox: Path, entry: Entry, data: bytes, max_bytes: int, folder_name: str = SCAN_FOLDER) -> Path:
    """Write the scan beside the documents (never over another file); return its path."""
    if not data:
        raise DocgenError("Файл скана пустой.")
    if len(data) > max_bytes:
        raise DocgenError(f"Скан больше {max_bytes // (1024 * 1024)} МБ.")
    suffix = scan_suffix(data)
    folder = outbox / folder_name if folder_name else outbox
    folder.mkdir(parents=True, exist_ok=True)
    base = next((Path(n).stem for n in entry.outputs if n.lower().endswith(".docx")), None) \
        or f"{entry.doc_date} № {entry.number or entry.id}".replace("/", "-")
    with tempfile.TemporaryDirectory(prefix="docgen-scan-") as tmp:
        received = Path(tmp) / f"scan{suffix}"
        received.write_bytes(data)
        return publish_file(received, folder, f"{base} — скан", suffix, point="scan")
