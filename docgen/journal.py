"""The registration journal as an Excel workbook (``docgen register export -o journal.xlsx``).

One sheet per series and year, as a school keeps its paper journals
(«Приказы по основной деятельности 2024»), plus one for documents without a
number. Columns are those of a журнал регистрации приказов (DOMAIN.md): № п/п,
регистрационный номер, дата, заголовок, кем подписан, исполнитель, отметка
(«аннулирован: причина»), and for docgen the source file, its SHA-256 and the
output files. A header row with an autofilter, frozen panes, set widths and
wrapped text, landscape pages that fit the width when printed.

The «отметка» says everything the journal knows besides the row itself:
аннулирован, зарезервирован, внесён из журнала, подписан (date, by whom),
исправлен (version), зарегистрирован вне порядка дат. ``read_journal`` reads a
workbook of this format back (``docgen register import``): every problem is
reported naming its sheet and row, and nothing is imported unless all is right.
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

from .errors import RegisterError
from .numbering import canonical, parse_number
from .register import Entry, ImportRow, register_year

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


IMPORTED_MARK = "внесён из журнала"
OUT_OF_ORDER_MARK = "зарегистрирован вне порядка дат"
SIGN_METHODS = {"hand": "", "electronic": "электронной подписью"}


def marks(entry: Entry, signed: list[str] = ()) -> list[str]:
    """Every mark of an entry, in the order a person reads them; ``signed``: texts of the signatures
    docgen.signing recorded (certificate included), shown instead of the register's own signed mark."""
    found = []
    if entry.status == "void":
        found.append(f"аннулирован: {entry.void_reason}" if entry.void_reason else "аннулирован")
    elif entry.status == "reserved":
        found.append(f"зарезервирован: {entry.note}" if entry.note else "зарезервирован")
    elif entry.status == "imported":
        found.append(IMPORTED_MARK)
    elif STATUS_MARKS.get(entry.status, entry.status):
        found.append(STATUS_MARKS.get(entry.status, entry.status))
    if signed:
        found.extend(signed)
    elif entry.signed:
        how = SIGN_METHODS.get(entry.sign_method or "hand", entry.sign_method or "")
        found.append(f"подписан {date.fromisoformat(entry.signed_on):%d.%m.%Y}" + (f" {how}" if how else "")
                     + (f" ({entry.signed_by})" if entry.signed_by else ""))
    if entry.version > 1:
        found.append(f"исправлен (версия {entry.version})")
    if entry.out_of_order:
        found.append(OUT_OF_ORDER_MARK)
    return found


def mark(entry: Entry, signed: list[str] = ()) -> str:
    """The «отметка» column: void with its reason, reserved, imported, signed, corrected, out of order."""
    return "; ".join(marks(entry, signed))


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
    """Entries by (series, year), in number order (then registration order); unnumbered ones last."""
    def key(e: Entry):
        return (e.series is None, e.series or "", e.year or 0)

    ordered = sorted(entries, key=lambda e: (*key(e), e.sequence is None, e.sequence or 0, e.id))
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


# --- reading a journal workbook back (docgen register import) -----------------------------------------------------

CAPTION = re.compile(r"^Журнал регистрации:\s*(?P<title>.+?),\s*(?P<year>\d{4}) год\s*$")
SIGNED = re.compile(r"^подписан (?:ЭП |собственноручно )?(?P<day>\d{2}\.\d{2}\.\d{4})(?: электронной подписью)?"
                    r"(?::.*?)?(?: \((?P<by>[^()]*)\))?$")  # docgen's marks and docgen.signing's texts


def read_journal(path: Path, series: dict) -> list[ImportRow]:
    """The numbered rows of a journal workbook; ``series`` maps a key to its settings (title, pattern, year start).

    Raises ``RegisterError`` listing every problem (sheet and row named) when anything is wrong.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # not a workbook, damaged, encrypted
        raise RegisterError(f"Файл «{Path(path).name}» не читается как книга Excel (.xlsx): {type(exc).__name__}.") from None
    by_title = {}
    for key, value in series.items():
        by_title[value.title.casefold()] = value
        by_title[key.casefold()] = value
    rows, problems = [], []
    for sheet in workbook.worksheets:
        read_sheet(sheet, by_title, rows, problems)
    workbook.close()
    duplicates = duplicate_problems(rows)
    problems += [text for _, text in duplicates]
    repeated = {row.where for row, _ in duplicates}
    problems += calendar_problems([r for r in rows if r.where not in repeated])
    if problems:
        raise RegisterError("Журнал не загружен (ни одна строка не внесена):\n" + "\n".join(problems))
    if not rows:
        raise RegisterError(f"В файле «{Path(path).name}» нет ни одной строки журнала с номером.")
    return rows


def read_sheet(sheet, by_title: dict, rows: list[ImportRow], problems: list[str]) -> None:
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    caption = str(values[0][0] or "").strip() if values and values[0] else ""
    if sheet.title.startswith(UNNUMBERED) or "без номера" in caption.casefold():
        return
    match = CAPTION.match(caption)
    header = next((i for i, r in enumerate(values[:10]) if len(r) > 1 and str(r[1] or "").strip() == COLUMNS[1][0]), None)
    if match is None or header is None:
        problems.append(f"Лист «{sheet.title}»: нет заголовка «Журнал регистрации: <серия>, <год> год» в A1 "
                        f"или строки заголовков со столбцом «{COLUMNS[1][0]}».")
        return
    series = by_title.get(match["title"].strip().casefold())
    if series is None:
        problems.append(f"Лист «{sheet.title}»: серия «{match['title']}» не описана в docgen.toml ([series.…] title).")
        return
    year = int(match["year"])
    for index, cells in enumerate(values[header + 1:], start=header + 2):
        cells = (cells + [None] * len(COLUMNS))[: len(COLUMNS)]
        if all(c in (None, "") for c in cells[1:]):
            continue
        where = f"Лист «{sheet.title}», строка {index}"
        row = read_row(cells, where, series, year, problems)
        if row is not None:
            rows.append(row)


def read_row(cells: list, where: str, series, year: int, problems: list[str]) -> ImportRow | None:
    number = " ".join(str(cells[1] or "").split())
    doc_date = cell_date(cells[2])
    if not number:
        problems.append(f"{where}: не указан регистрационный номер.")
        return None
    if doc_date is None:
        problems.append(f"{where}: номер {number} — дата не указана или не читается (нужно ДД.ММ.ГГГГ).")
        return None
    parsed = parse_number(number, series.pattern)
    if parsed is None or parsed.sequence < 1:
        problems.append(f"{where}: номер «{number}» не подходит к формату серии «{series.title}» ({series.pattern}).")
        return None
    if register_year(doc_date, series.year_start) != year or (parsed.year and parsed.year != year):
        problems.append(f"{where}: номер {number} от {doc_date:%d.%m.%Y} не относится к {year} году этого листа.")
        return None
    status, note, void_reason, signed_on, signed_by, out_of_order = "imported", "", None, None, None, False
    for part in (p.strip() for p in str(cells[6] or "").split(";") if p.strip()):
        if part.startswith("аннулирован"):
            status, void_reason = "void", part.partition(":")[2].strip() or "аннулирован (по журналу)"
        elif part.startswith("зарезервирован"):
            status, note = "reserved", part.partition(":")[2].strip() or "резерв (по журналу)"
        elif (signed := SIGNED.match(part)) is not None:
            signed_on = cell_date(signed["day"]).isoformat()
            signed_by = (signed["by"] or "").strip() or str(cells[4] or "").strip()
        elif part == OUT_OF_ORDER_MARK:
            out_of_order = True
    return ImportRow(
        where=where, series=series.key, year=year, sequence=parsed.sequence, number=number, doc_date=doc_date,
        heading=str(cells[3] or "").strip(), signer=str(cells[4] or "").strip(), executor=str(cells[5] or "").strip(),
        status=status, note=note, void_reason=void_reason, signed_on=signed_on if status == "imported" else None,
        signed_by=signed_by if status == "imported" else None, out_of_order=out_of_order,
        input_name=str(cells[7] or "").strip(), input_sha256=str(cells[8] or "").strip(),
        outputs=tuple(n for n in str(cells[9] or "").split("\n") if n.strip()),
    )


def cell_date(value) -> date | None:
    from datetime import datetime

    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for form in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def duplicate_problems(rows: list[ImportRow]) -> list[tuple[ImportRow, str]]:
    seen: dict[tuple, ImportRow] = {}
    problems = []
    for row in rows:
        for key in ((row.series, row.year, canonical(row.number)), (row.series, row.year, row.sequence)):
            if key in seen:
                problems.append((row, f"{row.where}: номер {row.number} повторяется (уже есть: {seen[key].where})."))
                break
        else:
            seen[(row.series, row.year, canonical(row.number))] = row
            seen[(row.series, row.year, row.sequence)] = row
    return problems


def calendar_problems(rows: list[ImportRow]) -> list[str]:
    """Within a series' year the dates must not go back as the numbers go up (rows marked out of order aside)."""
    problems = []
    dated = sorted((r for r in rows if r.status != "reserved" and not r.out_of_order),
                   key=lambda r: (r.series, r.year, r.sequence))
    for _key, group in groupby(dated, key=lambda r: (r.series, r.year)):
        latest = None
        for row in group:
            if latest is not None and row.doc_date < latest.doc_date:
                problems.append(f"{row.where}: номер {row.number} датирован {row.doc_date:%d.%m.%Y} — раньше, чем "
                                f"предыдущий номер {latest.number} ({latest.doc_date:%d.%m.%Y}, {latest.where}); "
                                "даты в журнале идут не по порядку.")
            elif latest is None or row.doc_date >= latest.doc_date:
                latest = row
    return problems
