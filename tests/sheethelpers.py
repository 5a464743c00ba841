"""Helpers for spreadsheet tests: fill a blank form by column titles, write .ods and CSV files as a secretary would."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableProperties
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook


def fill_form(workbook: Workbook, list_sheet: str, rows: list[dict], fields: dict | None = None) -> Workbook:
    """Write rows (dicts by column title) under the header of the list sheet, and fields by their labels."""
    sheet = workbook[list_sheet]
    titles = {cell.value: cell.column for cell in sheet[1] if cell.value}
    for offset, row in enumerate(rows, start=2):
        for title, value in row.items():
            sheet.cell(offset, titles[title], value)
    if fields:
        document = workbook["Документ"]
        labels = {row[0].value: row[0].row for row in document.iter_rows(min_row=2) if row[0].value}
        for label, value in fields.items():
            document.cell(labels[label], 2, value)
    return workbook


def sheet_table(workbook_sheet) -> list[list]:
    return [[cell for cell in row] for row in workbook_sheet.iter_rows(values_only=True)]


def write_ods(path: Path, sheets: list[tuple[str, list[list]]], hidden_rows: dict | None = None,
              merges: dict | None = None, hidden_sheets: tuple[str, ...] = ()) -> Path:
    """An .ods with typed cells (dates as dates, numbers as numbers), hidden rows and merged cells (r1, c1, r2, c2)."""
    hidden_rows, merges = hidden_rows or {}, merges or {}
    doc = OpenDocumentSpreadsheet()
    hidden_style = Style(name="hiddentable", family="table")
    hidden_style.addElement(TableProperties(display="false"))
    doc.automaticstyles.addElement(hidden_style)
    for name, rows in sheets:
        table = Table(name=name, stylename=hidden_style if name in hidden_sheets else None) if name in hidden_sheets else Table(name=name)
        spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in merges.get(name, [])}
        covered = {(r, c) for r1, c1, r2, c2 in merges.get(name, []) for r in range(r1, r2 + 1)
                   for c in range(c1, c2 + 1) if (r, c) != (r1, c1)}
        for r, row in enumerate(rows):
            table_row = TableRow(visibility="collapse") if r in hidden_rows.get(name, set()) else TableRow()
            for c, value in enumerate(row):
                if (r, c) in covered:
                    table_row.addElement(CoveredTableCell())
                    continue
                attrs = {}
                if (r, c) in spans:
                    attrs = {"numberrowsspanned": spans[(r, c)][0], "numbercolumnsspanned": spans[(r, c)][1]}
                table_row.addElement(ods_cell(value, attrs))
            table.addElement(table_row)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def ods_cell(value, attrs: dict) -> TableCell:
    if value is None or value == "":
        return TableCell(**attrs)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attrs)
        cell.addElement(P(text=value.strftime("%d.%m.%Y")))
        return cell
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell = TableCell(valuetype="float", value=value, **attrs)
        cell.addElement(P(text=str(value)))
        return cell
    cell = TableCell(valuetype="string", **attrs)
    cell.addElement(P(text=str(value)))
    return cell


def workbook_to_ods(workbook: Workbook, path: Path) -> Path:
    """Save an openpyxl workbook's values as .ods (as if the secretary used «Сохранить как» in Calc)."""
    sheets = [(ws.title, sheet_table(ws)) for ws in workbook.worksheets]
    hidden = tuple(ws.title for ws in workbook.worksheets if ws.sheet_state != "visible")
    return write_ods(path, sheets, hidden_sheets=hidden)


def write_csv(path: Path, rows: list[list], encoding: str = "cp1251", delimiter: str = ";", bom: bool = False) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else (v.strftime("%d.%m.%Y") if isinstance(v, (date, datetime)) else v) for v in row])
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def new_workbook(sheets: list[tuple[str, list[list]]]) -> Workbook:
    """An xlsx workbook a secretary made herself: named sheets with rows of values."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    return workbook
