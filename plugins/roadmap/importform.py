"""An imported roadmap written as docgen's blank form filled in, so the secretary edits it in Excel.

The reverse of ``sheet.assemble``: document options go to their «Документ» rows (grifs as lines, the
title and author with a line per cell line), the list sheet gets «Этап», «Задача этапа», «Результат
этапа» and the plan's own columns under their titles (a title the sheet would read as another column
goes to the «Заголовок столбца «…»» row instead), a row per stage and a row per activity. What the form
cannot hold — column widths, merges of columns other than «Мероприятие» beside «Содержание
деятельности» — is left out; the printed cells stay the same.
"""
from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from docgen.api import DOCUMENT_SHEET, build_blank_form, find_item, title_lookup

from .plan import KNOWN_COLUMNS, lines_of, plan_columns
from .sheet import APPROVAL_KINDS, SHEET_COLUMNS, SHEET_FIELDS, STAGE_LAYOUT_CHOICES, STAGE_HEADING

LOOKUP = title_lookup(SHEET_COLUMNS)
SHEET_TITLE = {c.key: c.title for c in SHEET_COLUMNS}
FIELD_TITLE = {f.key: f.title for f in SHEET_FIELDS}
STAGE_CELLS = ("Этап", "Задача этапа", "Результат этапа")


def joined(value) -> str:
    return "\n".join(lines_of(value))


def field_values(data: dict, columns) -> dict[str, str]:
    """«Документ» rows by field key."""
    values: dict[str, str] = {}
    if data.get("date"):
        values["date"] = date.fromisoformat(str(data["date"])).strftime("%d.%m.%Y")
    for key in ("title", "author"):
        if data.get(key):
            values[key] = joined(data[key])
    approval = data.get("approval")
    if approval is False or approval is None and "approval" in data:
        values["approval_kind"] = next(k for k, v in APPROVAL_KINDS.items() if v == "none")
    elif isinstance(approval, dict) and approval.get("lines"):
        values["approval_lines"] = "\n".join(approval["lines"])
    agreement = data.get("agreement")
    if isinstance(agreement, dict) and agreement.get("lines"):
        values["agreement_lines"] = "\n".join(agreement["lines"])
    if data.get("numbering") == "none":
        values["numbering"] = "без номеров"
    if data.get("number_dot"):
        values["number_dot"] = "да"
    if "stage_label" in data:
        values["stage_label"] = data["stage_label"] or "нет"
    if data.get("stage_shading") is False:
        values["stage_shading"] = "нет"
    layout = "column" if any(c.key == "stage" for c in columns) else data.get("stage_layout")
    if layout and layout != "row":
        values["stage_layout"] = next(k for k, v in STAGE_LAYOUT_CHOICES.items() if v == layout)
    for what in ("task", "result"):
        where = data.get(f"{what}_position")
        if where:
            values[f"{what}_position"] = "до мероприятий" if where == "before" else "после мероприятий"
    return values


def headers(columns, values: dict) -> list[tuple[str, str]]:
    """(column key, header) of the plan's columns; a title the sheet would not read back goes to «Документ»."""
    result = []
    for column in columns:
        item = find_item(column.title, LOOKUP) if column.title else None
        if column.key in KNOWN_COLUMNS:
            if item is not None and item.key == column.key:
                result.append((column.key, column.title.replace("\n", " ")))
            else:
                result.append((column.key, SHEET_TITLE[column.key]))
                if column.title != KNOWN_COLUMNS[column.key][0]:
                    values[f"column_title.{column.key}"] = column.title
        else:
            result.append((column.key, column.title.replace("\n", " ")))
    return result


def stage_text(stage: dict) -> str:
    number, title = str(stage.get("number", "")).strip().rstrip("."), joined(stage.get("title"))
    if number and (STAGE_HEADING.match(f"{number}. x") or not title):
        return f"{number}. {title}".strip()
    return title


def item_cells(item: dict, keys: list[str], merged: set[str], prefix_key: str | None) -> dict:
    cells = {}
    for key in keys:
        if key == "stage":
            continue
        if key == "number":
            cells[key] = str(item.get("number", ""))
            continue
        if key in merged and key not in item:
            cells[key] = ""
            continue
        cells[key] = joined(item.get(key))
    if prefix_key and item.get("number"):  # no № column: the number leads the text, as printed
        number = str(item["number"]).rstrip(".") + "."
        cells[prefix_key] = f"{number} {cells.get(prefix_key, '')}".strip()
    return cells


def sheet_rows(data: dict, columns, keys: list[str]) -> list[dict]:
    stage_column = "stage" in keys
    merged = {c.key for c in columns if c.merge}
    prefix_key = None if "number" in keys else next((k for k in keys if k not in ("number", "stage")), None)
    rows = []
    for stage in data.get("stages") or [{"items": data.get("items", []), "_plain": True}]:
        cells = {"Этап": "" if stage.get("_plain") else stage_text(stage),
                 "Задача этапа": joined(stage.get("task")), "Результат этапа": joined(stage.get("result"))}
        items = stage.get("items", [])
        if stage_column:
            for index, item in enumerate(items):
                rows.append({**(cells if index == 0 else {}), **item_cells(item, keys, merged, prefix_key)})
            continue
        if not stage.get("_plain"):
            rows.append({**cells, **({"number": str(stage.get("number", ""))} if "number" in keys and
                                     not STAGE_HEADING.match(cells["Этап"]) else {})})
        rows += [item_cells(item, keys, merged, prefix_key) for item in items]
    return rows


def filled_form(data: dict, doc_type, closed_lists: dict) -> Workbook:
    workbook = build_blank_form(doc_type, closed_lists)
    columns = plan_columns(data)
    values = field_values(data, columns)
    header = headers(columns, values)
    keys = [key for key, _ in header]
    if "number" not in keys:  # the numbers are written into the text they lead: no numbering on top
        values["numbering"] = "без номеров"
    document = workbook[DOCUMENT_SHEET]
    labels = {row[0].value: row[0].row for row in document.iter_rows(min_row=2) if row[0].value}
    for key, value in values.items():
        document.cell(labels[FIELD_TITLE[key]], 2, value)
    sheet = workbook[doc_type.sheet.list_sheet]
    sheet.delete_cols(1, sheet.max_column)
    titles = list(STAGE_CELLS) + [title for key, title in header if key != "stage"]
    at = {title: i + 1 for i, title in enumerate(titles)}
    column_of = {"Этап": 1, "Задача этапа": 2, "Результат этапа": 3}
    column_of.update({key: at[title] for key, title in header if key != "stage"})
    if "stage" in keys:
        titles[0] = dict(header)["stage"]
    for index, title in enumerate(titles, start=1):
        sheet.cell(1, index, title)
    for offset, row in enumerate(sheet_rows(data, columns, keys), start=2):
        for key, value in row.items():
            if value != "":
                sheet.cell(offset, column_of[key], value)
    return workbook
