"""Issuing numbers: an automatic one, a hand-given one, a corrected version of a document (docs/reliability.md J1–J5).

A mixin of ``Register`` (docgen/register/): every method here runs inside
the register's one write transaction (``self.write``) or reads through
``self.journal``; the SQL is the same on SQLite and PostgreSQL.
"""
from __future__ import annotations

import json
import logging
from datetime import date
from typing import Callable

from ..errors import RegisterError
from ..faults import pause_if_asked
from ..numbering import canonical, example_number, parse_number, strip_number_sign
from .model import Entry, NumberRequest, Version, now, register_year, russian_date

log = logging.getLogger("docgen.register")

LIVE = "status != 'void' AND origin IN ('auto', 'given')"  # an entry docgen made for a document of an input
DATED = "status NOT IN ('void', 'reserved') AND sequence IS NOT NULL"  # entries that set the calendar order


class Numbering:
    """Drawing, checking and correcting registration numbers."""

    def issue(
        self,
        sha256: str,
        input_name: str,
        requests: list[NumberRequest],
        format_number: Callable[[NumberRequest, int, int], str],
    ) -> list[Entry]:
        """Issue (or find, for the same input) one entry per request, all in one transaction."""
        def work(conn):
            conn.execute(
                "INSERT INTO inputs(sha256, name, status, received_at) VALUES (?, ?, 'issuing', ?) "
                "ON CONFLICT(sha256) DO UPDATE SET status = 'issuing'",
                (sha256, input_name, now()),
            )
            ids = [self._issue_one(conn, sha256, input_name, req, format_number) for req in requests]
            pause_if_asked("numbering")  # inside the transaction, before its commit (the fault tests stop here)
            return ids

        return [self.entry(i) for i in self.write(work)]

    def _issue_one(self, conn, sha256, input_name, req: NumberRequest, format_number) -> int:
        existing = conn.execute(
            f"SELECT id FROM entries WHERE input_sha256 = ? AND doc_index = ? AND {LIVE}", (sha256, req.doc_index),
        ).fetchone()
        if existing is not None:
            return existing["id"]
        year = register_year(req.doc_date, req.year_start) if req.series else None
        sequence, number, out_of_order, origin = None, None, False, "auto"
        if req.series and req.given_number:
            sequence, number = self._read_given(req, year, format_number)
            taken = self._taken_row(conn, req.series, year, number, sequence)
            if taken is not None:
                return self._correct(conn, taken, sha256, input_name, req, year)
            out_of_order = self._check_calendar(conn, req, year, sequence)
            origin = "given"
        elif req.series:
            sequence, number, out_of_order = self._next_free(conn, req, year, format_number)
        stamp = now()
        return conn.execute(
            "INSERT INTO entries(series, year, sequence, number, doc_date, type_id, heading, signer, executor,"
            " input_sha256, input_name, doc_index, created_at, updated_at, canonical, origin, out_of_order, version_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (req.series, year, sequence, number, req.doc_date.isoformat(), req.type_id, req.heading, req.signer,
             req.executor, sha256, input_name, req.doc_index, stamp, stamp, canonical(number) if number else None,
             origin, int(out_of_order), stamp),
        ).fetchone()[0]

    # --- choosing and checking a number ------------------------------------------------------

    @staticmethod
    def _read_given(req: NumberRequest, year: int, format_number) -> tuple[int, str]:
        """The sequence and printed form of a hand-given number; refused if the series cannot produce it."""
        given = strip_number_sign(req.given_number)
        parsed = parse_number(given, req.pattern)
        series = f"«{req.series_title or req.series}»"
        if parsed is None or parsed.sequence < 1:
            raise RegisterError(
                f"Номер «{given}» не подходит к формату номеров серии {series} ({req.pattern}): такой номер "
                f"в этой серии не выдаётся. Пример правильного номера: {example_number(req.pattern, year)}. "
                "Исправьте поле «number» («Номер (если уже присвоен)») или уберите его — номер будет выдан сам."
            )
        if parsed.year is not None and parsed.year != year:
            raise RegisterError(
                f"В номере «{given}» указан {parsed.year} год, а документ датирован "
                f"{req.doc_date:%d.%m.%Y} и регистрируется за {year} год. Исправьте номер или дату документа."
            )
        formatted = format_number(req, year, parsed.sequence)
        same = canonical(formatted) == canonical(given) or canonical(given).isdigit()
        printed = formatted if same else " ".join(given.split())
        return parsed.sequence, printed

    @staticmethod
    def _taken_row(conn, series: str, year: int, number: str, sequence: int | None):
        return conn.execute(
            "SELECT * FROM entries WHERE series = ? AND year = ? AND (canonical = ? OR sequence = ?) ORDER BY id",
            (series, year, canonical(number), sequence),
        ).fetchone()

    def _start(self, conn, req: NumberRequest, year: int) -> int:
        """The first automatic number of a series' year: docgen.toml's ``start`` or the command's, the larger."""
        configured = dict(req.starts).get(year, 1)
        row = conn.execute("SELECT start FROM series_starts WHERE series = ? AND year = ?", (req.series, year)).fetchone()
        return max(configured, row["start"] if row else 1, 1)

    def _next_free(self, conn, req: NumberRequest, year: int, format_number) -> tuple[int, str, bool]:
        """The smallest free number at or above the start that keeps the calendar order (docs/reliability.md J1, J5)."""
        start = self._start(conn, req, year)
        earlier, later = self._calendar_bounds(conn, req.series, year, req.doc_date)
        lowest = start if req.allow_out_of_order else max(start, (earlier["sequence"] + 1) if earlier else 1)
        taken_numbers = {r[0] for r in conn.execute(  # numbers of an older register given without a sequence
            "SELECT canonical FROM entries WHERE series = ? AND year = ? AND sequence IS NULL AND canonical IS NOT NULL",
            (req.series, year))}
        sequence = lowest
        while True:
            sequence = self._first_free_sequence(conn, req.series, year, sequence)
            number = format_number(req, year, sequence)
            if canonical(number) not in taken_numbers:
                break
            sequence += 1
        fits = (earlier is None or earlier["sequence"] < sequence) and (later is None or sequence < later["sequence"])
        if not fits and not req.allow_out_of_order:
            raise self._calendar_error(req, later)
        return sequence, number, not fits

    @staticmethod
    def _first_free_sequence(conn, series: str, year: int, lowest: int) -> int:
        """The smallest sequence ≥ ``lowest`` no entry of the series' year holds (one indexed query)."""
        return conn.execute(
            "SELECT MIN(s) FROM (SELECT ? AS s UNION ALL SELECT sequence + 1 FROM entries"
            " WHERE series = ? AND year = ? AND sequence >= ?) AS candidate"
            " WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.series = ? AND e.year = ? AND e.sequence = candidate.s)",
            (lowest, series, year, lowest, series, year),
        ).fetchone()[0]

    @staticmethod
    def _calendar_bounds(conn, series: str, year: int, doc_date: date, exclude: int | None = None):
        """The highest-numbered entry dated before ``doc_date`` and the lowest-numbered one dated after it."""
        day = doc_date.isoformat()
        base = f"SELECT * FROM entries WHERE series = ? AND year = ? AND {DATED} AND id != ?"
        args = (series, year, exclude or -1, day)
        earlier = conn.execute(base + " AND doc_date < ? ORDER BY sequence DESC LIMIT 1", args).fetchone()
        later = conn.execute(base + " AND doc_date > ? ORDER BY sequence ASC LIMIT 1", args).fetchone()
        return earlier, later

    def _check_calendar(self, conn, req: NumberRequest, year: int, sequence: int, exclude: int | None = None) -> bool:
        """A hand-given number must sit among its neighbours by date; True if it does not (and the series allows it)."""
        earlier, later = self._calendar_bounds(conn, req.series, year, req.doc_date, exclude)
        if later is not None and later["sequence"] <= sequence:
            if not req.allow_out_of_order:
                raise self._calendar_error(req, later)
            return True
        if earlier is not None and earlier["sequence"] >= sequence:
            if not req.allow_out_of_order:
                raise RegisterError(
                    f"Документ от {req.doc_date:%d.%m.%Y} с номером {req.given_number} нарушает порядок дат: "
                    f"в журнале серии «{req.series_title or req.series}» документ № {earlier['number']} с большим "
                    f"номером датирован раньше — {russian_date(earlier['doc_date'])} («{earlier['heading']}»). "
                    "Проверьте номер и дату документа."
                )
            return True
        return False

    @staticmethod
    def _calendar_error(req: NumberRequest, later) -> RegisterError:
        heading = f" («{later['heading']}»)" if later["heading"] else ""
        return RegisterError(
            f"Документ датирован {req.doc_date:%d.%m.%Y}, а в журнале серии «{req.series_title or req.series}» уже "
            f"зарегистрирован более поздний документ № {later['number']} от {russian_date(later['doc_date'])}{heading}. "
            "Номера идут по порядку дат, поэтому номер не выдан. Проверьте дату документа. Если документ "
            "действительно регистрируется задним числом, администратор может разрешить это для серии "
            "(allow_out_of_order = true в docgen.toml) — тогда запись будет отмечена «зарегистрирован вне порядка дат»."
        )

    # --- corrections -----------------------------------------------------------------------------

    def _correct(self, conn, taken, sha256: str, input_name: str, req: NumberRequest, year: int) -> int:
        """The given number belongs to an issued document: a corrected version of it, or a refusal saying why."""
        self._refuse_correction(taken, req, sha256)
        self._check_calendar(conn, req, year, taken["sequence"], exclude=taken["id"]) if taken["sequence"] else None
        stamp = now()
        conn.execute(
            "INSERT INTO versions(entry_id, version, doc_date, heading, signer, executor, input_sha256, input_name,"
            " doc_index, outputs, registered_at, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (taken["id"], taken["version"], taken["doc_date"], taken["heading"], taken["signer"], taken["executor"],
             taken["input_sha256"], taken["input_name"], taken["doc_index"], taken["outputs"],
             taken["version_at"] or taken["created_at"], stamp),
        )
        conn.execute(
            "UPDATE entries SET doc_date = ?, heading = ?, signer = ?, executor = ?, input_sha256 = ?, input_name = ?,"
            " doc_index = ?, status = 'issued', outputs = '[]', version = version + 1, version_at = ?, updated_at = ?"
            " WHERE id = ?",
            (req.doc_date.isoformat(), req.heading, req.signer, req.executor, sha256, input_name, req.doc_index,
             stamp, stamp, taken["id"]),
        )
        log.info("исправленная версия документа № %s (версия %d)", taken["number"], taken["version"] + 1)
        return taken["id"]

    @staticmethod
    def _refuse_correction(taken, req: NumberRequest, sha256: str) -> None:
        number, when = taken["number"], russian_date(taken["doc_date"])
        if taken["signed_on"]:
            raise RegisterError(
                f"Документ № {number} от {when} уже подписан ({russian_date(taken['signed_on'])}) и не может быть "
                "заменён. Подписанный приказ изменяется только новым приказом (например, «О внесении изменений в "
                f"приказ от {when} № {number}»). Уберите номер из файла, чтобы новый документ получил свой номер."
            )
        if taken["status"] == "void":
            raise RegisterError(
                f"Номер {number} аннулирован ({taken['void_reason']}) и повторно не используется. "
                "Уберите поле «number», чтобы документ получил новый номер."
            )
        if taken["status"] == "reserved":
            raise RegisterError(
                f"Номер {number} зарезервирован ({taken['note']}) и уже есть в журнале регистрации. "
                "Уберите поле «number», чтобы документ получил свободный номер."
            )
        if taken["origin"] == "imported":
            raise RegisterError(
                f"Номер {number} уже есть в журнале регистрации (внесён из журнала, документ от {when}). "
                "Номер не может использоваться дважды: укажите другой или уберите поле «number»."
            )
        if taken["type_id"] != req.type_id or taken["input_sha256"] == sha256:
            raise RegisterError(
                f"Номер {number} уже есть в журнале регистрации (документ от {when}). "
                "Номер не может использоваться дважды: укажите другой или уберите поле «number»."
            )
        if taken["status"] != "published":
            raise RegisterError(
                f"Документ № {number} ещё не выпущен (обрабатывается или прерван сбоем); исправленную версию "
                "можно положить в inbox, когда он будет выпущен."
            )

    def versions(self, entry_id: int) -> list[Version]:
        """Earlier versions of a corrected document, oldest first (the entry itself is the current one)."""
        rows = self.read(lambda conn: conn.execute(
            "SELECT * FROM versions WHERE entry_id = ? ORDER BY version", (entry_id,)).fetchall())
        return [Version(**{**dict(r), "outputs": json.loads(r["outputs"] or "[]")}) for r in rows]

    def restore_previous(self, entry_id: int) -> Entry | None:
        """A correction that failed: the previous version is the document again. None if there is none."""
        def work(conn):
            entry = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
            row = conn.execute("SELECT * FROM versions WHERE entry_id = ? AND version = ?",
                               (entry_id, entry["version"] - 1)).fetchone()
            if row is None or entry["status"] != "issued":
                return False
            conn.execute(
                "UPDATE entries SET doc_date = ?, heading = ?, signer = ?, executor = ?, input_sha256 = ?,"
                " input_name = ?, doc_index = ?, status = 'published', outputs = ?, version = ?, version_at = ?,"
                " updated_at = ? WHERE id = ?",
                (row["doc_date"], row["heading"], row["signer"], row["executor"], row["input_sha256"],
                 row["input_name"], row["doc_index"], row["outputs"], row["version"], row["registered_at"], now(),
                 entry_id),
            )
            conn.execute("DELETE FROM versions WHERE entry_id = ? AND version = ?", (entry_id, row["version"]))
            return True
        return self.entry(entry_id) if self.write(work) else None

