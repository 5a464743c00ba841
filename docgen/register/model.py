"""The register's values: what a document asks of it, what an entry holds, and the words of its refusals.

Backend-neutral (docgen/register/__init__.py is the facade, docgen/register/db.py the
SQLite and PostgreSQL connections): dataclasses for a number request, an
entry, an earlier version and an imported journal row; the numbering year; the
Russian wording of a signed document's refusal and of what holds a number.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from ..errors import RegisterError


@dataclass(frozen=True)
class NumberRequest:
    """What one document needs from the register (no personal data)."""

    doc_index: int
    type_id: str
    doc_date: date
    series: str | None
    pattern: str
    year_start: str
    heading: str
    signer: str
    executor: str
    given_number: str | None = None
    starts: tuple[tuple[int, int], ...] = ()  # (year, first automatic number) from docgen.toml
    allow_out_of_order: bool = False  # the series allows a document dated before the latest one
    series_title: str = ""


@dataclass(frozen=True)
class Entry:
    id: int
    series: str | None
    year: int | None
    sequence: int | None
    number: str | None
    doc_date: str
    type_id: str
    heading: str
    signer: str
    executor: str
    input_sha256: str
    input_name: str
    doc_index: int
    status: str
    void_reason: str | None
    outputs: list[str]
    created_at: str
    canonical: str | None = None
    origin: str = "auto"
    note: str = ""
    out_of_order: int = 0
    version: int = 1
    version_at: str | None = None
    signed_on: str | None = None
    signed_by: str | None = None
    sign_method: str | None = None
    sign_details: str | None = None
    signed_scan: str | None = None

    @property
    def signed(self) -> bool:
        return bool(self.signed_on)


@dataclass(frozen=True)
class Version:
    """An earlier version of a corrected document: what it was and when it was replaced."""

    entry_id: int
    version: int
    doc_date: str
    heading: str
    signer: str
    executor: str
    input_sha256: str
    input_name: str
    doc_index: int
    outputs: list[str]
    registered_at: str
    replaced_at: str


@dataclass(frozen=True)
class ImportRow:
    """One numbered row of a journal workbook, ready for ``import_entries``; ``where`` names it for messages."""

    where: str
    series: str
    year: int
    sequence: int
    number: str
    doc_date: date
    heading: str = ""
    signer: str = ""
    executor: str = ""
    status: str = "imported"  # imported | void | reserved
    note: str = ""
    void_reason: str | None = None
    signed_on: str | None = None
    signed_by: str | None = None
    out_of_order: bool = False
    input_name: str = ""
    input_sha256: str = ""
    outputs: tuple[str, ...] = ()


def russian_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y")


def register_year(doc_date: date, year_start: str = "01-01") -> int:
    """The numbering year a date falls in; the year starts on ``year_start`` (MM-DD)."""
    month, day = (int(part) for part in year_start.split("-"))
    return doc_date.year if (doc_date.month, doc_date.day) >= (month, day) else doc_date.year - 1


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def signed_refusal(number: str | None, doc_date: str, signed_on: str) -> RegisterError:
    return RegisterError(
        f"Документ № {number} от {russian_date(doc_date)} подписан ({russian_date(signed_on)}): подписанный приказ "
        "не аннулируют и не заменяют — его изменяют или отменяют новым приказом (например, «Об отмене приказа "
        f"от {russian_date(doc_date)} № {number}»)."
    )


def taken_description(row) -> str:
    """What holds a number, for refusals: «документ от 03.09.2026», «резерв: выданы вручную»…"""
    if row["status"] == "reserved":
        return f"зарезервирован: {row['note']}"
    if row["status"] == "void":
        return f"аннулирован: {row['void_reason']}"
    source = "внесён из журнала, " if row["origin"] == "imported" else ""
    return f"{source}документ от {russian_date(row['doc_date'])}"


class RegisterBusy(RegisterError):
    """The database stayed busy longer than the retry time; nothing was written."""



class RegisterUnavailable(RegisterBusy):
    """The database could not be reached (or the connection broke) for longer than the retry time; nothing written."""


def entry_from_row(row) -> Entry:
    data = dict(row)
    data["outputs"] = json.loads(data["outputs"] or "[]")
    data.pop("updated_at", None)
    return Entry(**data)
