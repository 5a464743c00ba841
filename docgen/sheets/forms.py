"""Blank spreadsheet forms (``docgen blank TYPE``): an .xlsx a secretary fills in Excel or Calc.

A form has a «Документ» sheet of labelled document fields, the type's list
sheet with Russian column titles (frozen, sized, typed: dates as dates, other
columns as text so «0712» keeps its zero), drop-down lists for closed choices,
an «Инструкция» sheet with a filled example, and a hidden «docgen» sheet that
marks the type (and holds the drop-down lists), so a filled form is always
recognised whatever its file name. Written with openpyxl.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..doctypes import Column, DocumentType, Field, SheetSpec
from ..errors import DocgenError
from .intake import DOCUMENT_SHEET, INSTRUCTION_SHEET, SERVICE_SHEET

FORM_VERSION = 1
DATA_ROWS = 1000  # rows prepared with drop-downs under the header
GENDERS = ("м", "ж")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")
BOLD = Font(bold=True)
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "DD.MM.YYYY"
TEXT_FORMAT = "@"


def default_form_name(doc_type: DocumentType) -> str:
    """File name of a blank form: starts with the list sheet's name, so the name alone tells the type too."""
    return f"{doc_type.sheet.list_sheet} — бланк ({doc_type.title}).xlsx"


def choices_of(item: Column | Field, closed_lists: dict[str, list[str]]) -> list[str]:
    values = list(item.choices)
    for extra in closed_lists.get(item.choice_list, []) if item.choice_list else []:
        if extra not in values:
            values.append(extra)
    if not values and item.kind == "gender":
        values = list(GENDERS)
    return values


class ListRanges:
    """The drop-down lists, written as columns of the hidden «docgen» sheet and referenced from validations."""

    def __init__(self, sheet: Worksheet, first_column: int = 4):
        self.sheet = sheet
        self.next_column = first_column
        self.known: dict[tuple[str, ...], str] = {}

    def reference(self, title: str, values: list[str]) -> str:
        key = tuple(values)
        if key not in self.known:
            column = self.next_column
            self.next_column += 1
            self.sheet.cell(1, column, title)
            for offset, value in enumerate(values, start=2):
                self.sheet.cell(offset, column, value)
            letter = get_column_letter(column)
            self.known[key] = f"'{SERVICE_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        return self.known[key]


def add_drop_down(sheet: Worksheet, cells: str, item: Column | Field, values: list[str], lists: ListRanges) -> None:
    validation = DataValidation(type="list", formula1=lists.reference(item.title, values), allow_blank=True)
    validation.showDropDown = False  # (sic: False shows the arrow)
    validation.showErrorMessage = True
    validation.errorStyle = "stop" if item.closed else "warning"
    validation.errorTitle = item.title
    validation.error = ("Выберите значение из списка." if item.closed
                        else "Этого значения нет в списке. Оставить его? (Да — оставить, Нет — исправить)")
    validation.promptTitle = item.title[:32]
    validation.prompt = (item.hint or "Выберите из списка")[:255]
    validation.showInputMessage = True
    sheet.add_data_validation(validation)
    validation.add(cells)


def fit_page(sheet: Worksheet, landscape: bool = True) -> None:
    """Printed, the sheet fits the page width (a secretary may print the form to fill by hand)."""
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1" if sheet.title != INSTRUCTION_SHEET else None


def header_cell(sheet: Worksheet, row: int, column: int, text: str, required: bool = False) -> None:
    cell = sheet.cell(row, column, text)
    cell.font = BOLD
    cell.fill = REQUIRED_FILL if required else HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    cell.border = BOX


def write_document_sheet(sheet: Worksheet, spec: SheetSpec, lists: ListRanges, closed_lists: dict) -> None:
    for column, title in enumerate(("Поле", "Значение", "Пояснение"), start=1):
        header_cell(sheet, 1, column, title)
    for row, item in enumerate(spec.fields, start=2):
        label = sheet.cell(row, 1, item.title)
        label.font = BOLD if item.required else Font()
        label.alignment = WRAP
        value = sheet.cell(row, 2)
        value.number_format = DATE_FORMAT if item.kind == "date" else TEXT_FORMAT
        value.border = BOX
        value.alignment = WRAP
        hint = "; ".join(x for x in ("обязательно" if item.required else "", item.hint,
                                       f"пример: {item.example}" if item.example else "") if x)
        sheet.cell(row, 3, hint).alignment = WRAP
        values = choices_of(item, closed_lists)
        if values:
            add_drop_down(sheet, f"B{row}", item, values, lists)
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 50
    sheet.column_dimensions["C"].width = 70
    sheet.freeze_panes = "A2"
    fit_page(sheet)


def write_list_sheet(sheet: Worksheet, spec: SheetSpec, lists: ListRanges, closed_lists: dict) -> None:
    for index, column in enumerate(spec.columns, start=1):
        header_cell(sheet, 1, index, column.title, column.required)
        note = "; ".join(x for x in ("Обязательный столбец" if column.required else "", column.hint,
                                       f"Пример: {column.example}" if column.example else "") if x)
        if note:
            sheet.cell(1, index).comment = Comment(note, "docgen", width=260, height=110)
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = DATE_FORMAT if column.kind == "date" else (
            "General" if column.kind == "number" else TEXT_FORMAT)
        values = choices_of(column, closed_lists)
        if values:
            add_drop_down(sheet, f"{letter}2:{letter}{DATA_ROWS + 1}", column, values, lists)
    sheet.row_dimensions[1].height = 45
    sheet.freeze_panes = "A2"
    fit_page(sheet)


GENERAL_STEPS = (
    "Не меняйте названия столбцов и листов. Порядок столбцов можно менять, лишние столбцы не мешают. "
    "Столбцы с оранжевым заголовком обязательны; подсказка к столбцу — в примечании к заголовку.",
    "Даты пишите как 31.08.2023 (подойдут и 2023-08-31, 31.08.23). Пол — «м» или «ж» (можно не заполнять, "
    "если по отчеству пол ясен).",
    "Пустые строки пропускаются. Скрытые строки (и строки, скрытые фильтром) НЕ читаются: в документы попадает "
    "только то, что видно на экране.",
    "Готовый файл (.xlsx или .ods) положите в папку inbox. Если в нём ошибка, в папке inbox/failed появится отчёт "
    "с указанием листа, строки и столбца; номера при этом не выдаются.",
    "Не удаляйте скрытый лист «docgen»: по нему программа узнаёт вид документа.",
)


def write_instruction_sheet(sheet: Worksheet, doc_type: DocumentType) -> None:
    spec = doc_type.sheet
    sheet.cell(1, 1, f"Как заполнить бланк: {doc_type.title}").font = Font(bold=True, size=14)
    steps = []
    if spec.fields:
        steps.append(f"На листе «{DOCUMENT_SHEET}» заполните общие сведения: дату и то, что относится ко всему документу.")
    steps.append(f"На листе «{spec.list_sheet}» одна строка — {spec.row_noun}; заполняйте со второй строки.")
    steps += [line for line in spec.instructions.split("\n") if line.strip()]
    steps += GENERAL_STEPS[1:] if spec.keep_other_columns else GENERAL_STEPS  # its own words on columns
    row = 3
    for number, step in enumerate(steps, start=1):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=min(8, len(spec.columns)))
        cell = sheet.cell(row, 1, f"{number}. {step}")
        cell.alignment = WRAP
        sheet.row_dimensions[row].height = 15 * (1 + len(step) // 110)
        row += 1
    row += 1
    sheet.cell(row, 1, f"Пример заполнения листа «{spec.list_sheet}»:").font = BOLD
    row += 1
    examples = spec.examples or ({c.key: c.example for c in spec.columns},)
    sheet.row_dimensions[row].height = 45
    for index, column in enumerate(spec.columns, start=1):
        header_cell(sheet, row, index, column.title, column.required)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        for offset, example in enumerate(examples, start=1):
            cell = sheet.cell(row + offset, index, example.get(column.key, ""))
            cell.fill = EXAMPLE_FILL
            cell.border = BOX
            cell.alignment = WRAP
    fit_page(sheet)


def write_mark_sheet(sheet: Worksheet, doc_type: DocumentType) -> None:
    sheet.cell(1, 1, "docgen-type")
    sheet.cell(1, 2, doc_type.id)
    sheet.cell(2, 1, "docgen-form-version")
    sheet.cell(2, 2, FORM_VERSION)
    sheet.cell(3, 1, "Служебный лист программы docgen: по нему она узнаёт вид документа. Не изменяйте и не удаляйте.")
    sheet.sheet_state = "hidden"


def build_blank_form(doc_type: DocumentType, closed_lists: dict[str, list[str]] | None = None) -> Workbook:
    """The blank form of a type as an openpyxl workbook."""
    if doc_type.sheet is None:
        raise DocgenError(f"Для типа «{doc_type.title}» бланка таблицы нет: этот документ задаётся файлом JSON.")
    closed_lists = closed_lists or {}
    spec = doc_type.sheet
    workbook = Workbook()
    first = workbook.active
    mark = workbook.create_sheet(SERVICE_SHEET)
    write_mark_sheet(mark, doc_type)
    lists = ListRanges(mark)
    if spec.fields:
        first.title = DOCUMENT_SHEET
        write_document_sheet(first, spec, lists, closed_lists)
        list_sheet = workbook.create_sheet(spec.list_sheet, 1)
    else:
        first.title = spec.list_sheet
        list_sheet = first
    write_list_sheet(list_sheet, spec, lists, closed_lists)
    write_instruction_sheet(workbook.create_sheet(INSTRUCTION_SHEET, workbook.index(list_sheet) + 1), doc_type)
    workbook.active = workbook.index(first)
    workbook.properties.title = f"Бланк: {doc_type.title}"
    workbook.properties.keywords = f"docgen:{doc_type.id}"
    workbook.properties.creator = "docgen"
    return workbook


def free_path(folder: Path, name: str) -> Path:
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    attempt = 2
    while target.exists():
        target = folder / f"{stem} ({attempt}){suffix}"
        attempt += 1
    return target


def write_blank_form(doc_type: DocumentType, closed_lists: dict[str, list[str]], output: Path | None,
                     default_folder: Path) -> Path:
    """Save the blank form; never overwrite: an existing file named explicitly is refused."""
    if doc_type.sheet is None:
        raise DocgenError(f"Для типа «{doc_type.title}» бланка таблицы нет: этот документ задаётся файлом JSON.")
    if output is None:
        target = free_path(default_folder, default_form_name(doc_type))
    elif output.is_dir():
        target = free_path(output, default_form_name(doc_type))
    else:
        target = output if output.suffix.lower() == ".xlsx" else output.with_name(output.name + ".xlsx")
        if target.exists():
            raise DocgenError(f"Файл «{target}» уже есть; бланк не записан. Укажите другое имя (-o).")
    target.parent.mkdir(parents=True, exist_ok=True)
    build_blank_form(doc_type, closed_lists).save(target)
    return target
