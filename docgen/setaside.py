"""Documents off the director's desk: voided ones to ``outbox/Аннулированные/``, replaced versions to
``outbox/Заменённые/``, and the print pack of their batch rebuilt without them.

Every path that voids a number (``docgen register void``, recovery after a crash, a failed publish)
and every correction passes through here, after the register has recorded the change. Each move is
durable and idempotent (publishing.move_aside), so a crash between the register and the files is
finished by ``sweep()`` at the next start: a void entry whose files are still in ``outbox/`` has them
moved, a print pack whose documents changed is made again. Names keep the number; a replaced
version's files get «(версия N)».
"""
from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

from .faults import pause_if_asked
from .publishing import OutboxNames, merge_pdfs, move_aside, publish_file, remove_published, safe_stem
from .register import Entry, Register

log = logging.getLogger("docgen.setaside")

VOID_FOLDER = "Аннулированные"
REPLACED_FOLDER = "Заменённые"
PACK_LABEL = "Комплект для печати"


def replaced_name(name: str, version: int) -> str:
    """«2026-09-03 Приказ № 5-од О ….docx» of version 1 → «… (версия 1).docx»."""
    path = Path(name)
    return f"{path.stem} (версия {version}){path.suffix}"


def pack_stem(doc_date: str, input_name: str, count: int) -> str:
    return f"{doc_date} {PACK_LABEL} — {Path(input_name).stem} ({count} док.)"


class SetAside:
    """Moves the files of voided and replaced documents out of ``outbox/`` and keeps print packs true."""

    def __init__(self, outbox: Path, state: Path, register: Register):
        self.outbox = Path(outbox)
        self.state = Path(state)
        self.register = register

    # --- voided ------------------------------------------------------------------------------------

    def void(self, entry: Entry) -> list[Path]:
        """The files of a voided entry to Аннулированные/ (names kept), and its batch's pack made without it."""
        moved = self._move(entry.outputs, self.outbox / VOID_FOLDER, lambda name: name)
        self.rebuild_pack(entry.input_sha256, VOID_FOLDER)
        if moved:
            log.info("файлы аннулированного номера %s перенесены в %s", entry.number or "без номера", VOID_FOLDER)
        return moved

    # --- corrections -------------------------------------------------------------------------------

    def replaced(self, entry: Entry) -> list[Path]:
        """A corrected entry: its previous version's files to Заменённые/ «(версия N)», its old pack remade."""
        previous = self._previous(entry)
        if previous is None:
            return []
        moved = self._move([n for n in previous.outputs if n not in entry.outputs], self.outbox / REPLACED_FOLDER,
                           lambda name: replaced_name(name, previous.version))
        self.rebuild_pack(previous.input_sha256, REPLACED_FOLDER)
        return moved

    def restore(self, entry: Entry) -> Entry | None:
        """A correction that could not be finished: the previous version's files come back, then the register."""
        previous = self._previous(entry) if entry.status == "issued" else None
        if previous is None:
            return None
        for name in entry.outputs:  # half-published files of the failed new version
            if name not in previous.outputs:
                remove_published(self.outbox / name)
                self.register.release_output(name)
        for name in previous.outputs:
            aside = self.outbox / REPLACED_FOLDER / replaced_name(name, previous.version)
            if not (self.outbox / name).exists():
                self.register.reserve_output(name, previous.input_sha256, Path(name).suffix.lstrip(".").lower(),
                                             entry.id)
                move_aside(aside, self.outbox, name)
        restored = self.register.restore_previous(entry.id)
        log.warning("исправленная версия № %s не выпущена; в силе прежняя версия %d", entry.number, previous.version)
        return restored

    def _previous(self, entry: Entry):
        versions = self.register.versions(entry.id)
        return versions[-1] if versions and versions[-1].version == entry.version - 1 else None

    def _move(self, names: list[str], folder: Path, rename) -> list[Path]:
        moved = []
        for name in names:
            source = self.outbox / name
            if not source.is_file():
                continue
            pause_if_asked("setting_aside")  # the kill sweep: the register has changed, the files not yet
            target = move_aside(source, folder, rename(name))
            if target is not None:
                moved.append(target)
            self.register.release_output(name)  # the outbox/ name is free again (the entry keeps it in its history)
        return moved

    # --- print packs --------------------------------------------------------------------------------

    def members(self, sha256: str) -> list[Entry]:
        """The documents of an input that belong in its print pack now: published, with a PDF, in order."""
        entries = [e for e in self.register.entries(sha256=sha256) if e.status == "published"
                   and any(n.endswith(".pdf") for n in e.outputs)]
        return sorted(entries, key=lambda e: e.doc_index)

    def rebuild_pack(self, sha256: str, folder: str) -> Path | None:
        """Make an input's print pack again if its documents changed; the old pack goes to ``folder``."""
        row = next((r for r in self.register.packs() if r["sha256"] == sha256), None)
        if row is None:
            return None
        members = self.members(sha256)
        current = [[e.id, e.version] for e in members]
        if json.loads(row["pack_members"] or "[]") == current:
            return self.outbox / row["pack"]
        old = self.outbox / row["pack"]
        mode = old.stat().st_mode & 0o777 if old.exists() else None
        if old.exists():
            move_aside(old, self.outbox / folder)
        self.register.release_output(old.name)
        new = None
        if len(members) >= 2:
            new = self._make_pack(members, row["name"], mode)
        self.register.set_pack(sha256, new.name if new else None, current)
        log.info("комплект для печати «%s» пересобран: документов %d", row["name"], len(members))
        return new

    def _make_pack(self, members: list[Entry], input_name: str, mode: int | None) -> Path:
        pdfs = [self.outbox / next(n for n in e.outputs if n.endswith(".pdf")) for e in members]
        stem = pack_stem(members[0].doc_date, input_name, len(pdfs))
        stale = self.outbox / f"{safe_stem(stem)}.pdf"
        if stale.exists():  # made by a rebuild that crashed before recording it
            remove_published(stale)
            self.register.release_output(stale.name)
        with tempfile.TemporaryDirectory(dir=self.state, prefix="pack-") as tmp:
            merged = Path(tmp) / "pack.pdf"
            merge_pdfs(pdfs, merged, f"{PACK_LABEL}: {Path(input_name).stem}")
            names = OutboxNames(self.register, members[0].input_sha256, "pack")
            return publish_file(merged, self.outbox, stem, ".pdf", mode, names=names, point="pack")

    # --- recovery -----------------------------------------------------------------------------------

    def sweep(self) -> None:
        """At start-up: finish every set-aside a crash interrupted (files of void entries, stale packs)."""
        for entry in self.register.entries(status="void"):
            if any((self.outbox / name).is_file() for name in entry.outputs):
                self.void(entry)
        for entry in self.register.entries(status="published"):
            if entry.version > 1:
                self.replaced(entry)
        for row in self.register.packs():
            self.rebuild_pack(row["sha256"], VOID_FOLDER)
