"""Continuing a paper journal and signing: series starts, reservations, imported rows, signed marks and scans.

A mixin of ``Register`` (docgen/register/): numbers can be reserved (status
``reserved``) or imported from a journal workbook (status ``imported``); a
document is marked signed with ``mark_signed`` (date, by whom, how), and a
signed one is never voided or replaced.
"""
from __future__ import annotations

import json
import logging
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from ..errors import RegisterError
from ..faults import pause_if_asked
from ..numbering import canonical
from .model import Entry, ImportRow, NumberRequest, now, register_year, russian_date, taken_description

log = logging.getLogger("docgen.register")

RESERVE_LIMIT = 1000  # numbers one reservation may hold (a typo like 5-5000 is refused)
SCANS_FOLDER = ("outbox", "Подписанные")
SCAN_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")  # under the workspace: the signed scans a director hands back


class PaperJournal:
    """Signed marks, series starts, reservations and imports."""

    # --- signed documents -----------------------------------------------------------------------

    def mark_signed(self, number_or_entry, signed_on: date, signed_by: str, method: str = "hand",
                    details: dict | None = None, scan: Path | None = None) -> Entry:
        """Record that a published document was signed: date, by whom, how («hand», «electronic»…).

        ``number_or_entry`` is an ``Entry``, an entry id or a number text. ``details`` (e.g. a
        certificate's serial and owner) are kept as JSON; ``scan`` (a PDF of the signed paper) is copied
        into ``outbox/Подписанные/`` of the workspace. A document already marked signed keeps its first
        mark (it is returned unchanged: a second signature, e.g. an electronic one after the paper, changes
        nothing here). Refused: a voided, reserved or not yet published number; for a hand signature, a
        date before the document's or in the future (an electronic one is dated by its verified signature).
        """
        entry = self._resolve(number_or_entry)
        if isinstance(signed_on, datetime):
            signed_on = signed_on.date()
        self._refuse_signing(entry, signed_on, signed_by, method)
        if entry.signed:
            if scan and not entry.signed_scan:  # the paper's scan handed in after the mark
                self._attach_scan(entry, Path(scan))
            return self.entry(entry.id)
        scan_name = self._keep_scan(entry, Path(scan)) if scan else None
        extra = json.dumps(details, ensure_ascii=False, default=str) if details else None

        def work(conn):
            changed = conn.execute(
                "UPDATE entries SET signed_on = ?, signed_by = ?, sign_method = ?, sign_details = ?, signed_scan = ?,"
                " updated_at = ? WHERE id = ? AND signed_on IS NULL AND status IN ('published', 'imported')",
                (signed_on.isoformat(), signed_by.strip(), method, extra, scan_name, now(), entry.id),
            ).rowcount
            if not changed:
                raise RegisterError(f"Документ № {entry.number} изменился, пока отмечалась подпись; повторите.")
            pause_if_asked("signed")
        self.write(work)
        log.info("документ № %s отмечен подписанным (%s)", entry.number, method)
        return self.entry(entry.id)

    def _resolve(self, number_or_entry) -> Entry:
        if isinstance(number_or_entry, Entry):
            return self.entry(number_or_entry.id)
        if isinstance(number_or_entry, int):
            return self.entry(number_or_entry)
        return self.entry_by_number(str(number_or_entry))

    @staticmethod
    def _refuse_signing(entry: Entry, signed_on: date, signed_by: str, method: str) -> None:
        number = entry.number or "без номера"
        if entry.signed:
            return
        if entry.status == "void":
            raise RegisterError(f"Номер {number} аннулирован ({entry.void_reason}); подписать его нельзя.")
        if entry.status == "reserved":
            raise RegisterError(f"Номер {number} только зарезервирован, документа под ним нет; подписать нечего.")
        if entry.status not in ("published", "imported"):
            raise RegisterError(f"Документ № {number} ещё не выпущен; отметить подпись можно после выпуска.")
        if not signed_by.strip():
            raise RegisterError("Укажите, кто подписал документ (--by).")
        if method != "hand":
            return
        if signed_on < date.fromisoformat(entry.doc_date):
            raise RegisterError(f"Дата подписи {signed_on:%d.%m.%Y} раньше даты документа № {number} "
                                f"({russian_date(entry.doc_date)}). Проверьте дату (--date).")
        if signed_on > date.today():
            raise RegisterError(f"Дата подписи {signed_on:%d.%m.%Y} ещё не наступила. Проверьте дату (--date).")

    def _attach_scan(self, entry: Entry, scan: Path) -> None:
        scan_name = self._keep_scan(entry, scan)
        self.write(lambda conn: conn.execute(
            "UPDATE entries SET signed_scan = ?, updated_at = ? WHERE id = ? AND signed_scan IS NULL",
            (scan_name, now(), entry.id)))
        log.info("к документу № %s добавлен скан подписанного", entry.number)

    def _keep_scan(self, entry: Entry, scan: Path) -> str:
        """Copy the signed scan into the workspace; the name keeps the number. Returns its path under the workspace."""
        from ..publishing import publish_file, safe_stem

        if not scan.is_file():
            raise RegisterError(f"Файл скана «{scan.name}» не найден.")
        suffix = scan.suffix.lower()
        if suffix not in SCAN_SUFFIXES:
            raise RegisterError(f"Скан подписанного документа должен быть в формате PDF, JPEG или PNG, а не «{scan.suffix}».")
        folder = self.path.parent.joinpath(*SCANS_FOLDER)
        stem = safe_stem(f"{entry.doc_date} № {entry.number} — скан подписанного")
        kept = publish_file(scan, folder, stem, suffix, point="scan")
        return str(kept.relative_to(self.path.parent))

    # --- continuing a paper journal: start, reserve, import ------------------------------------

    def set_start(self, series: str, year: int, start: int) -> None:
        """Automatic numbers of ``series`` in ``year`` begin at ``start`` (the paper journal ran to start − 1)."""
        if start < 1:
            raise RegisterError("Номер, с которого продолжить, должен быть не меньше 1.")
        self.write(lambda conn: conn.execute(
            "INSERT INTO series_starts(series, year, start, set_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(series, year) DO UPDATE SET start = excluded.start, set_at = excluded.set_at",
            (series, year, start, now())))

    def next_number(self, request: NumberRequest, format_number: Callable[[NumberRequest, int, int], str]) -> str:
        """The number the next automatic document dated ``request.doc_date`` would get (nothing is drawn)."""
        def peek(conn):
            year = register_year(request.doc_date, request.year_start)
            return self._next_free(conn, request, year, format_number)[1]
        return self.read(peek)

    def reserve(self, series: str, year: int, first: int, last: int, reason: str, on: date,
                format_number: Callable[[int], str]) -> list[Entry]:
        """Reserve numbers ``first``..``last`` of a series' year with a reason, all or none (one transaction)."""
        if not reason.strip():
            raise RegisterError("Укажите причину резервирования (--reason), например «выданы вручную на бумаге».")
        if first < 1 or last < first:
            raise RegisterError(f"Неверный диапазон номеров {first}–{last}: первый номер должен быть не больше последнего.")
        if last - first + 1 > RESERVE_LIMIT:
            raise RegisterError(f"Слишком большой диапазон ({last - first + 1} номеров); за один раз можно "
                                f"зарезервировать не больше {RESERVE_LIMIT}.")

        def work(conn):
            numbers = [(n, format_number(n)) for n in range(first, last + 1)]
            clashes = [(number, row) for n, number in numbers
                       if (row := self._taken_row(conn, series, year, number, n)) is not None]
            if clashes:
                listed = "; ".join(f"{number} — {taken_description(row)}" for number, row in clashes[:20])
                more = f" и ещё {len(clashes) - 20}" if len(clashes) > 20 else ""
                raise RegisterError(f"Резерв не сделан: эти номера уже есть в журнале регистрации: {listed}{more}. "
                                    "Укажите диапазон свободных номеров.")
            stamp = now()
            ids = [conn.execute(
                "INSERT INTO entries(series, year, sequence, number, doc_date, type_id, input_sha256, input_name,"
                " doc_index, status, created_at, updated_at, canonical, origin, note, version_at)"
                " VALUES (?, ?, ?, ?, ?, '', '', '', 0, 'reserved', ?, ?, ?, 'reserved', ?, ?) RETURNING id",
                (series, year, n, number, on.isoformat(), stamp, stamp, canonical(number), reason.strip(), stamp),
            ).fetchone()[0] for n, number in numbers]
            pause_if_asked("reserving")  # the kill sweep: a crash here must leave no reservation at all
            return ids
        return [self.entry(i) for i in self.write(work)]

    def import_entries(self, rows: list[ImportRow]) -> int:
        """Bring in rows of a journal workbook, all or none; conflicts refused naming each row."""
        def work(conn):
            problems = []
            for row in rows:
                taken = self._taken_row(conn, row.series, row.year, row.number, row.sequence)
                if taken is not None:
                    problems.append(f"{row.where}: номер {row.number} уже есть в журнале регистрации "
                                    f"({taken_description(taken)}).")
                    continue
                if row.status in ("imported", "void") and not row.out_of_order:
                    earlier, later = self._calendar_bounds(conn, row.series, row.year, row.doc_date)
                    if later is not None and later["sequence"] < row.sequence:
                        problems.append(f"{row.where}: номер {row.number} от {row.doc_date:%d.%m.%Y} больше номера "
                                        f"{later['number']}, датированного позже ({russian_date(later['doc_date'])}).")
                    elif earlier is not None and earlier["sequence"] > row.sequence:
                        problems.append(f"{row.where}: номер {row.number} от {row.doc_date:%d.%m.%Y} меньше номера "
                                        f"{earlier['number']}, датированного раньше ({russian_date(earlier['doc_date'])}).")
            if problems:
                raise RegisterError("Журнал не загружен (ни одна строка не внесена):\n" + "\n".join(problems))
            stamp = now()
            for row in rows:
                conn.execute(
                    "INSERT INTO entries(series, year, sequence, number, doc_date, type_id, heading, signer, executor,"
                    " input_sha256, input_name, doc_index, status, void_reason, outputs, created_at, updated_at,"
                    " canonical, origin, note, out_of_order, signed_on, signed_by, sign_method, version_at)"
                    " VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, 'imported', ?, ?, ?, ?, ?, ?)",
                    (row.series, row.year, row.sequence, row.number, row.doc_date.isoformat(), row.heading,
                     row.signer, row.executor, row.input_sha256, row.input_name, row.status, row.void_reason,
                     json.dumps(list(row.outputs), ensure_ascii=False), stamp, stamp, canonical(row.number),
                     row.note, int(row.out_of_order), row.signed_on, row.signed_by,
                     "hand" if row.signed_on else None, stamp),
                )
            return len(rows)
        return self.write(work)
