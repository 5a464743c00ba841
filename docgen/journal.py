"""The registration journal as an Excel workbook (``docgen register export -o journal.xlsx``).

One sheet per series and year, as a school keeps its paper journals
(«Приказы по основной деятельности 2024»), plus one for documents without a
number. Columns are those of a журнал регистрации приказов (DOMAIN.md): № п/п,
регистрационный номер, дата, заголовок, кем подписан, исполнитель, отметка
(«аннулирован: причина»), and for docgen the source file, its SHA-256 and the
output files. A header row with an autofilter, frozen panes, set widths and
wrapped text, landscape pages that fit the width when printed.
"""
from __future__ import annotations

import math
import re
from datetime import date
from itertools import groupby
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .register import Entry

COLUMNS = (  # (header, width in characters)
    ("№ п/п", 7),
    ("Регистрационный номер", 19),
    ("Дата", 12),
    ("Заголовок (краткое содержание)", 50),
    ("Кем подписан", 26),
    ("Исполнитель", 24),
    ("Отметка", 30),
    ("Исходный файл", 28),
    ("SHA-256 исходного файла", 33),
    ("Файлы документов", 50),
)
HEADER_ROW = 3
CENTRED_COLUMNS = 3  # № п/п, number, date
UNNUMBERED = "Без номера"
STATUS_MARKS = {"published": "", "issued": "номер выдан, документ не выпущен"}


def mark(entry: Entry, signed: list[str] = ()) -> str:
    """The «отметка» column: void with its reason, a note for a number whose document is not out yet,
    and how it was signed (``signed``: texts from docgen.signing.records, certificate included)."""
    if entry.status == "void":
        return f"аннулирован: {entry.void_reason}" if entry.void_reason else "аннулирован"
    return "\n".join(t for t in (STATUS_MARKS.get(entry.status, entry.status), *signed) if t)


def row_of(position: int, entry: Entry, signed: list[str] = ()) -> list:
    return [
        position, entry.number or "", date.fromisoformat(entry.doc_date), entry.heading, entry.signer,
        entry.executor, mark(entry, signed), entry.input_name, entry.input_sha256, "\n".join(entry.outputs),
    ]


def sheet_title(title: str, year: int | None, taken: set[str]) -> str:
    """An Excel sheet name (≤ 31 characters, none of []:*?/\\), unique in the workbook."""
    suffix = f" {year}" if year else ""
    room = 31 - len(suffix)
    title = re.sub(r"[\[\]:*?/\\]", "-", title).strip()
    if len(title) > room:  # cut at a word boundary: «Приказы по основной… 2024»
        cut = title[: room - 1]
        title = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,.-") + "…"
    base = title + suffix
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[: 31 - len(str(n)) - 1]}~{n}"
        n += 1
    taken.add(name.lower())
    return name


def journal_groups(entries: list[Entry]) -> list[tuple[str | None, int | None, list[Entry]]]:
    """Entries by (series, year), in the order they were registered; unnumbered ones last."""
    def key(e: Entry):
        return (e.series is None, e.series or "", e.year or 0)

    ordered = sorted(entries, key=lambda e: (*key(e), e.id))
    groups = []
    for _, group in groupby(ordered, key=key):
        members = list(group)
        groups.append((members[0].series, members[0].year, members))
    return groups


LINE_HEIGHT = 15.0  # points per line of 11-pt text


def lines_needed(values: list, widths: list[int]) -> int:
    """How many text lines the tallest cell of a row needs (Excel does not size wrapped rows written by a program)."""
    lines = 1
    for value, width in zip(values, widths):
        if value is None or isinstance(value, (int, date)):
            continue
        lines = max(lines, sum(max(1, math.ceil(len(part) / (width * 1.05))) for part in str(value).split("\n")))
    return lines


def fill_sheet(sheet, caption: str, entries: list[Entry], signed: dict[int, list[str]] | None = None) -> None:
    sheet["A1"] = caption
    sheet["A1"].font = Font(bold=True, size=13)
    header_fill = PatternFill("solid", fgColor="DDE4EE")
    for col, (header, width) in enumerate(COLUMNS, 1):
        cell = sheet.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(col)].width = width
    widths = [width for _, width in COLUMNS]
    sheet.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * lines_needed([h for h, _ in COLUMNS], widths)
    for position, entry in enumerate(entries, 1):
        values = row_of(position, entry, (signed or {}).get(entry.id, []))
        sheet.append(values)
        row = HEADER_ROW + position
        sheet.row_dimensions[row].height = LINE_HEIGHT * lines_needed(values, widths)
        sheet.cell(row=row, column=3).number_format = "DD.MM.YYYY"
        for col in range(1, len(COLUMNS) + 1):
            centred = "center" if col <= CENTRED_COLUMNS else None
            cell = sheet.cell(row=row, column=col)
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=centred)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text from a document (a heading «=HYPERLINK(…)») never becomes a formula
        if entry.status == "void":
            for col in range(1, len(COLUMNS) + 1):
                sheet.cell(row=row, column=col).font = Font(color="9C0006")
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(entries), 1)}"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def export_journal(entries: list[Entry], target: Path, series_titles: dict[str, str] | None = None,
                   signed: dict[int, list[str]] | None = None) -> int:
    """Write the journal workbook; return how many entries it holds. ``signed``: signature texts by entry id."""
    titles = series_titles or {}
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    groups = journal_groups(entries) or [(None, None, [])]
    for series, year, group in groups:
        title = titles.get(series, series) if series else UNNUMBERED
        sheet = workbook.create_sheet(sheet_title(title, year, taken))
        caption = f"Журнал регистрации: {title}" + (f", {year} год" if year else "")
        fill_sheet(sheet, caption, group, signed)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return len(entries)
