"""The files of an entry and the names in outbox/, print packs, voiding (docs/reliability.md, the window table).

A mixin of ``Register`` (docgen/register/). Each output file's name is
reserved (table ``outbox_files``, one row per name, so two writers never get
one name) and added to its entry *before* the file gets that name in
``outbox/``: a file under a final name is always known to the register.
"""
from __future__ import annotations

import json

from ..errors import RegisterError
from ..numbering import canonical
from .model import Entry, now, signed_refusal


class Outputs:
    """Reserving and releasing outbox/ names, publishing and voiding entries."""

    def add_output(self, entry_id: int, name: str) -> None:
        """Record one file of an entry (without reserving its name: see ``reserve_output``)."""
        self.write(lambda conn: self._append_output(conn, entry_id, name))

    @staticmethod
    def _append_output(conn, entry_id: int, name: str) -> None:
        row = conn.execute("SELECT outputs FROM entries WHERE id = ?", (entry_id,)).fetchone()
        outputs = json.loads(row["outputs"] or "[]")
        if name not in outputs:
            conn.execute("UPDATE entries SET outputs = ?, updated_at = ? WHERE id = ?",
                         (json.dumps(outputs + [name], ensure_ascii=False), now(), entry_id))

    def reserve_output(self, name: str, input_sha256: str, kind: str, entry_id: int | None = None) -> bool:
        """Reserve ``name`` in outbox/ for an entry's file (or an input's print pack) before the file gets it.

        False if the name is already reserved for another file. The entry's outputs list the name at once."""
        def work(conn):
            added = conn.execute(
                "INSERT INTO outbox_files(name, entry_id, input_sha256, kind, created_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (name, entry_id, input_sha256, kind, now())).rowcount
            if added and entry_id is not None:
                self._append_output(conn, entry_id, name)
            return bool(added)
        return self.write(work)

    def release_output(self, name: str) -> None:
        """Give a reserved name back (its file was never made, or was removed with its voided entry)."""
        def work(conn):
            row = conn.execute("SELECT entry_id FROM outbox_files WHERE name = ?", (name,)).fetchone()
            conn.execute("DELETE FROM outbox_files WHERE name = ?", (name,))
            if row is not None and row["entry_id"] is not None:
                entry = conn.execute("SELECT outputs, status FROM entries WHERE id = ?", (row["entry_id"],)).fetchone()
                if entry is not None and entry["status"] == "issued":
                    outputs = [n for n in json.loads(entry["outputs"] or "[]") if n != name]
                    conn.execute("UPDATE entries SET outputs = ?, updated_at = ? WHERE id = ?",
                                 (json.dumps(outputs, ensure_ascii=False), now(), row["entry_id"]))
        self.write(work)

    def pack_of(self, input_sha256: str) -> str | None:
        """The name reserved for an input's print pack, if any."""
        row = self.read(lambda conn: conn.execute(
            "SELECT name FROM outbox_files WHERE input_sha256 = ? AND kind = 'pack' ORDER BY rowid",
            (input_sha256,)).fetchone())
        return row["name"] if row else None

    def reserved_names(self, input_sha256: str, kind: str) -> list[str]:
        """Names reserved for one input's files of one kind (signature copies, marked copies, packs…)."""
        return self.read(lambda conn: [r[0] for r in conn.execute(
            "SELECT name FROM outbox_files WHERE input_sha256 = ? AND kind = ? ORDER BY rowid", (input_sha256, kind))])

    def done_inputs(self) -> list[tuple[str, str]]:
        """(SHA-256, file name) of every input processed to the end."""
        return self.read(lambda conn: [(r[0], r[1]) for r in conn.execute(
            "SELECT sha256, name FROM inputs WHERE status = 'done'")])

    def known_outputs(self) -> set[str]:
        """Every name in outbox/ the register knows: reserved names and the files of entries not void."""
        def work(conn):
            names = {row[0] for row in conn.execute("SELECT name FROM outbox_files")}
            for row in conn.execute("SELECT outputs FROM entries WHERE status != 'void'"):
                names.update(json.loads(row[0] or "[]"))
            return names
        return self.read(work)

    def clear_outputs(self, entry_id: int) -> None:
        """Forget the partial outputs of an unfinished entry (their files were removed)."""
        self.write(lambda conn: conn.execute(
            "UPDATE entries SET outputs = '[]', updated_at = ? WHERE id = ? AND status = 'issued'", (now(), entry_id)))

    def mark_published(self, entry_id: int, outputs: list[str]) -> None:
        """The entry's files are all out; names it reserved and did not use are given back."""
        def work(conn):
            conn.execute(
                "UPDATE entries SET status = 'published', outputs = ?, updated_at = ? WHERE id = ? AND status != 'void'",
                (json.dumps(outputs, ensure_ascii=False), now(), entry_id))
            kept = f" AND name NOT IN ({','.join('?' * len(outputs))})" if outputs else ""  # «IN ()»: SQLite only
            conn.execute(f"DELETE FROM outbox_files WHERE entry_id = ?{kept}", (entry_id, *outputs))
        self.write(work)

    def void(self, entry_id: int, reason: str, only_unfinished: bool = False) -> bool:
        """Mark an entry void with its reason; the number stays in the journal. False if nothing changed.

        A signed document is never voided: it is cancelled by a new order."""
        if not reason.strip():
            raise RegisterError("Укажите причину аннулирования номера (--reason).")
        condition = "status = 'issued'" if only_unfinished else "status != 'void'"

        def work(conn):
            row = conn.execute("SELECT number, doc_date, signed_on FROM entries WHERE id = ?", (entry_id,)).fetchone()
            if row is not None and row["signed_on"]:
                raise signed_refusal(row["number"], row["doc_date"], row["signed_on"])
            return conn.execute(
                f"UPDATE entries SET status = 'void', void_reason = ?, updated_at = ? WHERE id = ? AND {condition}",
                (reason, now(), entry_id),
            ).rowcount
        return bool(self.write(work))

    def void_number(self, number: str, reason: str, year: int | None = None) -> Entry:
        """Void an issued number by its text; the entry stays in the journal."""
        entry = self.entry_by_number(number, year)
        if entry.status == "void":
            raise RegisterError(f"Номер {entry.number} уже аннулирован: {entry.void_reason}")
        self.void(entry.id, reason)
        return self.entry(entry.id)

    def entry_by_number(self, number: str, year: int | None = None, series: str | None = None) -> Entry:
        """The one entry carrying ``number`` (compared in canonical form); a Russian refusal if none or several."""
        wanted = canonical(number)
        matches = [e for e in self.entries(year=year) if e.number and canonical(e.number) == wanted
                   and (series is None or e.series == series)]
        if not matches:
            raise RegisterError(f"Номер {number} в журнале не найден.")
        if len(matches) > 1:
            raise RegisterError(f"Номер {number} есть в нескольких годах или сериях; укажите год (--year).")
        return matches[0]

    # --- print packs ----------------------------------------------------------------------------

    def set_pack(self, sha256: str, name: str | None, members: list[list[int]]) -> None:
        """Record the print pack of an input and the (entry id, version) of each document in it."""
        self.write(lambda conn: conn.execute(
            "UPDATE inputs SET pack = ?, pack_members = ? WHERE sha256 = ?",
            (name, json.dumps(members), sha256)))

    def packs(self) -> list:
        return self.read(lambda conn: conn.execute(
            "SELECT sha256, name, pack, pack_members FROM inputs WHERE pack IS NOT NULL").fetchall())
