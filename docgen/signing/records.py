"""Signatures in the register: who signed which entry, how, and with which certificate.

An adapter over the register: the certificate details live in a small table
of their own (``signatures``) in the same SQLite file, written in one
``BEGIN IMMEDIATE`` transaction through ``Register.write``; where the
register has its own «signed» status (``Register.mark_signed``), it is set
too. No personal data: the owner's name as the document prints it, the
certificate's serial and dates; never ИНН, СНИЛС or the subject as a whole.
"""
from __future__ import annotations

from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import date, datetime

from ..register import Entry, Register, now

SCHEMA = """
CREATE TABLE IF NOT EXISTS signatures (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id       INTEGER NOT NULL REFERENCES entries(id),
    method         TEXT NOT NULL,          -- electronic | hand
    signed_on      TEXT NOT NULL,          -- signing time (ISO), or the date signed by hand
    signed_by      TEXT NOT NULL,
    serial         TEXT,
    issuer         TEXT,
    valid_from     TEXT,
    valid_to       TEXT,
    signature_file TEXT,
    marked_copy    TEXT,
    recorded_at    TEXT NOT NULL,
    UNIQUE (entry_id, method, serial, signed_on)
);
"""
METHOD_NAMES = {"electronic": "подписан ЭП", "hand": "подписан собственноручно"}


@dataclass(frozen=True)
class SignatureRecord:
    entry_id: int
    method: str
    signed_on: str
    signed_by: str
    serial: str | None = None
    issuer: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    signature_file: str | None = None
    marked_copy: str | None = None


def _ensure(register: Register) -> None:
    register.write(lambda conn: conn.executescript(SCHEMA), begin=False)


def already_recorded(register: Register, record: SignatureRecord) -> bool:
    _ensure(register)
    with closing(register._connect()) as conn:
        row = conn.execute(
            "SELECT 1 FROM signatures WHERE entry_id = ? AND method = ? AND serial IS ? AND signed_on = ?",
            (record.entry_id, record.method, record.serial, record.signed_on)).fetchone()
    return row is not None


def record_signature(register: Register, entry: Entry, record: SignatureRecord) -> None:
    """Record a verified signature of ``entry`` (once: the same signature again changes nothing)."""
    _ensure(register)
    fields = asdict(record)

    def work(conn):
        columns = ", ".join(fields) + ", recorded_at"
        marks = ", ".join("?" for _ in fields) + ", ?"
        conn.execute(f"INSERT OR IGNORE INTO signatures({columns}) VALUES ({marks})", (*fields.values(), now()))

    register.write(work)
    mark_signed = getattr(register, "mark_signed", None)
    if mark_signed is not None:  # the register's own «signed» status, where it has one
        signed_on = datetime.fromisoformat(record.signed_on).date() if "T" in record.signed_on \
            else date.fromisoformat(record.signed_on)
        details = {k: v for k, v in fields.items() if k not in ("entry_id", "method", "signed_on", "signed_by") and v}
        mark_signed(entry, signed_on, record.signed_by, method=record.method, details=details)


def signatures_by_entry(register: Register) -> dict[int, list[SignatureRecord]]:
    _ensure(register)
    with closing(register._connect()) as conn:
        rows = conn.execute("SELECT * FROM signatures ORDER BY id").fetchall()
    found: dict[int, list[SignatureRecord]] = {}
    for row in rows:
        data = {k: row[k] for k in SignatureRecord.__dataclass_fields__}
        found.setdefault(row["entry_id"], []).append(SignatureRecord(**data))
    return found


def signature_texts(register: Register) -> dict[int, list[str]]:
    """For the journal: each entry's signatures as «подписан ЭП …» texts."""
    return {entry_id: [signature_text(r) for r in found] for entry_id, found in signatures_by_entry(register).items()}


def signature_text(record: SignatureRecord) -> str:
    """«подписан ЭП 01.12.2026: сертификат 01AB…, владелец Сафарова З.А., действителен с … по …»."""
    when = _date_text(record.signed_on)
    if record.method != "electronic":
        return f"{METHOD_NAMES.get(record.method, record.method)} {when} ({record.signed_by})"
    return (f"подписан ЭП {when}: сертификат {record.serial}, владелец {record.signed_by}, "
            f"действителен с {_date_text(record.valid_from)} по {_date_text(record.valid_to)}")


def _date_text(value: str | None) -> str:
    if not value:
        return "—"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d.%m.%Y")
