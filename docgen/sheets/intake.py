"""Spreadsheet intake: an xlsx, ods or csv file becomes raw documents, every value tied to its cell.

The order of work: load the sheets safely (``files``), find the type
(the hidden «docgen» sheet of a blank form, else the file name, else the
column headers), find the list sheet and its header row, read each visible
non-empty row into a nested dict of cell values (``values``), read the
«Документ» sheet's labelled fields, let the type assemble documents from
fields and rows, and give each document a ``where(path)`` that names the
sheet, row and column of any field. Validation happens later, against the
same JSON Schema as for JSON input.

Decisions: hidden rows (hidden by hand or by a filter) are NOT read — what is
on the screen is what goes into documents; hidden columns are read. Empty
rows are skipped. A cell merged down over several rows counts for each row.
Headers are matched without regard to case, «ё», spaces, punctuation or a
parenthesised remark, and by each column's synonyms.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from openpyxl.utils import get_column_letter

from ..doctypes import Column, DocumentType, Field, SheetSpec, TypeRegistry, normalize_title
from ..errors import InputError, Problem
from ..rawdocument import RawDocument
from ..sandbox import Limits, run_parser
from .files import Grid, column_index
from .values import Origin, as_text, cell_value, choice_reader, is_empty, locator, settle_document

log = logging.getLogger("docgen.spreadsheets")

SERVICE_SHEET = "docgen"
DOCUMENT_SHEET = "Документ"
INSTRUCTION_SHEET = "Инструкция"
MARK_LABELS = ("docgen type", "тип документа")
HEADER_SEARCH_ROWS = 15
NOT_LIST_SHEETS = {normalize_title(n) for n in (SERVICE_SHEET, DOCUMENT_SHEET, INSTRUCTION_SHEET)}


def title_forms(text: str) -> list[str]:
    """A title as matched: folded, and folded without its parenthesised remark («Сумма (руб.)» → «сумма»)."""
    full = normalize_title(text) or " ".join(text.split())  # «№» is all punctuation, yet a title
    bare = normalize_title(re.sub(r"\([^)]*\)", " ", text))
    return [form for form in dict.fromkeys((full, bare)) if form]


def title_lookup(items: tuple[Column, ...] | tuple[Field, ...]) -> dict[str, Any]:
    """Folded title or synonym → column/field; exact forms win over forms without a remark."""
    lookup: dict[str, Any] = {}
    for rank in (0, 1):
        for item in items:
            for name in item.names():
                forms = title_forms(name)
                if rank < len(forms):
                    lookup.setdefault(forms[rank], item)
    return lookup


def find_item(text: str, lookup: dict[str, Any]) -> Any:
    """The column or field a header or label names (a ``title_lookup``), or None."""
    for form in title_forms(text):
        if form in lookup:
            return lookup[form]
    return None


# --- the header row of a list sheet --------------------------------------------------------------


@dataclass
class HeaderMatch:
    """Where a sheet's header row is and which spreadsheet column holds which ``Column``."""

    grid: Grid
    row: int  # 0-based; the last header row when the header has two
    top: int | None = None  # the first header row of a two-row header
    columns: dict[int, Column] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # Column.key → header as typed
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)
    missing: list[Column] = field(default_factory=list)
    others: list[Column] = field(default_factory=list)  # headers of no known column, kept (keep_other_columns)

    @property
    def score(self) -> int:
        """Known columns found (own columns do not make a row the header: «начало» | «окончание»)."""
        return len(self.columns) - len(self.others)

    def place(self) -> str:
        return f"Лист «{self.grid.name}»" if self.grid.name else "Файл"


def match_row(grid: Grid, row: int, spec: SheetSpec, lookup: dict[str, Column],
              cells: list | None = None) -> HeaderMatch:
    match = HeaderMatch(grid, row)
    seen: dict[str, int] = {}
    for index, raw in enumerate(grid.rows[row] if cells is None else cells):
        text = as_text(raw)
        column = find_item(text, lookup) if text else None
        if text and spec.keep_other_columns and (column is None or column.key in seen):
            # a second «Сроки (окончание)» beside «Сроки (начало)» is a column of its own, not a duplicate
            column = Column(f"extra{index + 1}", text.replace("\n", " "))
            match.others.append(column)
        if column is None:
            continue
        if column.key in seen:
            match.duplicates.append((text, seen[column.key], index))
            continue
        seen[column.key] = index
        match.columns[index] = column
        match.titles[column.key] = text.replace("\n", " ")
    stand_ins(match, spec)
    match.missing = [c for c in spec.columns if c.required and c.key not in match.titles]
    return match


def stand_ins(match: HeaderMatch, spec: SheetSpec) -> None:
    """A required column the sheet lacks is taken by the column that ``stands_for`` it, if present."""
    for index, column in list(match.columns.items()):
        target = next((c for c in spec.columns if c.key == column.stands_for), None)
        if target is not None and target.key not in match.titles:
            match.columns[index] = target
            match.titles[target.key] = match.titles.pop(column.key)


def sub_header(grid: Grid, row: int) -> list | None:
    """The header joined with a second header row under it: a title merged across columns over their own
    titles («Сроки» over «начало» | «окончание» → «Сроки (начало)», «Сроки (окончание)»); None when the row
    below is not such a second header (cells merged down repeat the first row's title)."""
    groups = {c: (c1, grid.cell(row, c1)) for r1, c1, r2, c2 in grid.merges if r1 == row and c2 > c1
              for c in range(c1, c2 + 1)}
    if not groups or row + 1 >= len(grid.rows):
        return None
    top, below = grid.rows[row], grid.rows[row + 1]
    under_group = False
    for index, raw in enumerate(below):
        text = as_text(raw)
        if not text:
            continue
        if index in groups:
            under_group = True
        elif text != as_text(grid.cell(row, index)):
            return None
    if not under_group:
        return None
    width = max(len(top), len(below), max(groups) + 1)  # a merge may reach past every filled cell
    joined = list(top) + [None] * (width - len(top))
    for index, (_, title) in groups.items():
        sub = as_text(grid.cell(row + 1, index))
        joined[index] = f"{as_text(title)} ({sub})" if sub else as_text(title)
    return joined


def headerless_problems(match: HeaderMatch, spec: SheetSpec) -> list[Problem]:
    """With ``keep_other_columns``, values in a column without a header cannot be placed: refused, not dropped."""
    if not spec.keep_other_columns:
        return []
    grid, problems = match.grid, []
    for r in range(match.row + 1, len(grid.rows)):
        if r in grid.hidden_rows:
            continue
        for index, raw in enumerate(grid.rows[r]):
            if index not in match.columns and as_text(raw):
                letter = get_column_letter(index + 1)
                problems.append(Problem(Origin(grid.name, r + 1).russian(),
                                        f"в столбце {letter} есть значения, но нет заголовка: напишите заголовок "
                                        f"столбца в строке {match.row + 1} или удалите значения"))
                break
    return problems[:10]


def match_headers(grid: Grid, spec: SheetSpec) -> HeaderMatch | None:
    """The best header row among the first rows of a sheet (a title may stand above the table)."""
    lookup = title_lookup(spec.columns)
    best = None
    for row in range(min(HEADER_SEARCH_ROWS, len(grid.rows))):
        if row in grid.hidden_rows:
            continue
        match = match_row(grid, row, spec, lookup)
        if match.score and (best is None or (len(match.missing), -match.score) < (len(best.missing), -best.score)):
            best = match
    if best is not None:
        joined = sub_header(grid, best.row)
        if joined is not None:
            best = match_row(grid, best.row + 1, spec, lookup, joined)
            best.top = best.row - 1
    return best


def list_sheet_match(grids: list[Grid], spec: SheetSpec) -> HeaderMatch | None:
    """The list sheet of a type: the one named like it, else the visible sheet whose headers fit best."""
    names = {normalize_title(n) for n in (spec.list_sheet, *spec.sheet_synonyms)}
    candidates = [g for g in grids if g.name is None or normalize_title(g.name) not in NOT_LIST_SHEETS]
    named = [g for g in candidates if g.name and normalize_title(g.name) in names]
    visible = [g for g in candidates if g.visible]
    for group in (named, visible):
        matches = [m for m in (match_headers(g, spec) for g in group) if m]
        if matches:
            return min(matches, key=lambda m: (len(m.missing), -m.score))
    only = named[0] if named else (visible[0] if len(visible) == 1 else None)
    return HeaderMatch(only, 0, missing=[c for c in spec.columns if c.required]) if only else None


# --- which type ---------------------------------------------------------------------------------------


def sheet_types(registry: TypeRegistry) -> list[DocumentType]:
    return [t for t in registry.all() if t.sheet is not None]


def type_from_mark(grids: list[Grid], registry: TypeRegistry) -> DocumentType | None:
    """The type written on the hidden «docgen» sheet of a blank form."""
    for grid in grids:
        if not grid.name or normalize_title(grid.name) != SERVICE_SHEET:
            continue
        for row in grid.rows[:20]:
            if len(row) >= 2 and normalize_title(as_text(row[0])) in MARK_LABELS and as_text(row[1]):
                name = as_text(row[1])
                doc_type = registry.find(name)
                if doc_type is None:
                    raise InputError(f"Бланк сделан для типа документа «{name}», которого нет в этой программе. {registry.known_list()}")
                if doc_type.sheet is None:
                    raise InputError(f"Для типа «{doc_type.title}» таблицы не принимаются; используйте JSON.")
                return doc_type
    return None


def type_from_file_name(path: Path, registry: TypeRegistry) -> DocumentType | None:
    """The type whose file prefix (or name) begins the file name; a leading date or number is skipped."""
    stem = normalize_title(re.sub(r"^[\d\W_]+", "", Path(path).stem))
    best, best_length = None, 0
    for doc_type in sheet_types(registry):
        for prefix in (*doc_type.sheet.file_prefixes, *doc_type.names()):
            folded = normalize_title(prefix)
            if folded and stem.startswith(folded) and len(folded) > best_length:
                best, best_length = doc_type, len(folded)
    return best


def type_from_headers(grids: list[Grid], registry: TypeRegistry) -> DocumentType | None:
    """The one type whose required columns are all there and that matches the most headers."""
    scored = []
    for doc_type in sheet_types(registry):
        match = list_sheet_match(grids, doc_type.sheet)
        if match and not match.missing and match.score >= 2:
            scored.append((match.score, doc_type))
    scored.sort(key=lambda item: -item[0])
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


def unknown_type_error(registry: TypeRegistry) -> InputError:
    lines = []
    for doc_type in sheet_types(registry):
        lines.append(f"  {doc_type.id} — {doc_type.title}: имя файла начинается с «{doc_type.sheet.list_sheet}» "
                     f"или «{doc_type.id}», столбцы: {', '.join('«' + c.title + '»' for c in doc_type.sheet.columns if c.required)}")
    return InputError(
        "Не удалось понять, какой это документ: в таблице нет отметки бланка docgen, имя файла и заголовки столбцов "
        "не указывают тип. Назовите файл по типу (например, «Пары 2023.xlsx», «Согласия.csv») или возьмите готовый "
        "бланк командой «docgen blank ТИП». Типы:\n" + "\n".join(lines)
    )


def type_of_workbook(path: Path, grids: list[Grid], registry: TypeRegistry) -> DocumentType:
    """The type of a workbook: its blank form's hidden mark, else its file name, else its column headers."""
    doc_type = type_from_mark(grids, registry) or type_from_file_name(path, registry) or type_from_headers(grids, registry)
    if doc_type is None:
        raise unknown_type_error(registry)
    return doc_type


# --- rows and fields -----------------------------------------------------------------------------------


class SheetRow(dict):
    """A row or the fields, nested by dotted keys; ``row["mentor.name"]`` also reads ``row["mentor"]["name"]``."""

    def __missing__(self, key: Any) -> Any:
        if isinstance(key, str) and "." in key:
            node: Any = self
            for part in key.split("."):
                node = node[part]
            return node
        raise KeyError(key)

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except (KeyError, TypeError):
            return default


def nest(keys: list[str], values: dict[str, Any]) -> dict:
    """{"mentor.name": x} → {"mentor": {"name": x}}; every key present (None when there is no such column)."""
    result: dict = SheetRow()
    for key in keys:
        node = result
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = values.get(key)
    return result


def reader_for(item: Column | Field) -> Callable[[str], str] | None:
    if not item.choices and not item.values:
        return None
    return choice_reader(item.choices, dict(item.values))


def formula_problems(match: HeaderMatch) -> list[Problem]:
    """Cells in read columns that hold a formula whose value was never computed (a program wrote the file)."""
    problems = []
    for reference in match.grid.formulas_without_value:
        row, column = column_index(reference)
        if row > match.row and column in match.columns and row not in match.grid.hidden_rows:
            origin = Origin(match.grid.name, row + 1, match.titles[match.columns[column].key])
            problems.append(Problem(origin.russian(), "в ячейке формула, но её значение не сохранено. "
                                                      "Откройте файл в Excel или LibreOffice Calc и сохраните его заново."))
    return problems


def repeats_header(values: dict[str, Any], match: HeaderMatch) -> bool:
    """A row that only repeats the column titles (a header printed on every page, a header merged down)."""
    filled = [(key, v) for key, v in values.items() if not is_empty(v)]
    return all(normalize_title(str(v)) == normalize_title(match.titles[key]) for key, v in filled)


def numbers_columns(match: HeaderMatch, row: int) -> bool:
    """A row right under the header that only numbers the columns: «1 | 2 | 3 | 4 | 5»."""
    texts = [as_text(match.grid.cell(row, index)) for index in sorted(match.columns)]
    filled = [t for t in texts if t]
    return len(filled) >= 3 and filled == [str(n) for n in range(1, len(filled) + 1)]


def read_rows(match: HeaderMatch, spec: SheetSpec) -> list[dict]:
    """Each visible non-empty row under the header as a nested dict of tracked cell values."""
    in_sheet = [c.key for _, c in sorted(match.columns.items())]  # sheet order first: a type may print it so
    grid = match.grid
    keys = in_sheet + [c.key for c in spec.columns if c.key not in in_sheet]
    readers = {c.key: reader_for(c) for c in (*spec.columns, *match.others)}
    rows, hidden = [], 0
    for r in range(match.row + 1, len(grid.rows)):
        if r in grid.hidden_rows:
            hidden += 1
            continue
        values = {
            column.key: cell_value(grid.cell(r, index), column.kind,
                                   Origin(grid.name, r + 1, match.titles[column.key]), readers[column.key])
            for index, column in match.columns.items()
        }
        if all(is_empty(v) for v in values.values()) or repeats_header(values, match) \
                or (not rows and numbers_columns(match, r)):
            continue
        rows.append(nest(keys, values))
    if hidden:
        log.info("%s: скрытых строк пропущено: %d", match.place(), hidden)
    return rows


def read_fields(grids: list[Grid], spec: SheetSpec) -> dict:
    """The labelled fields of the «Документ» sheet (label in one of the first columns, value to its right)."""
    keys = [f.key for f in spec.fields]
    sheet = next((g for g in grids if g.name and normalize_title(g.name) == normalize_title(DOCUMENT_SHEET)), None)
    if sheet is None or not spec.fields:
        return nest(keys, {})
    lookup = title_lookup(spec.fields)
    values: dict[str, Any] = {}
    if spec.refuse_unknown_fields:
        unknown_field_problems(sheet, lookup)
    for r, row in enumerate(sheet.rows):
        if r in sheet.hidden_rows:
            continue
        for c, raw in enumerate(row[:3]):
            label = as_text(raw)
            item = find_item(label, lookup) if label else None
            if item is not None and item.key not in values:
                origin = Origin(sheet.name, r + 1, field=label.replace("\n", " "))
                values[item.key] = cell_value(sheet.cell(r, c + 1), item.kind, origin, reader_for(item))
                break
    return nest(keys, values)


FIELD_SHEET_HEADERS = {normalize_title(t) for t in ("Поле", "Значение", "Пояснение")}


def unknown_field_problems(sheet: Grid, lookup: dict[str, Any]) -> None:
    """A filled «Документ» row whose label docgen does not know: refused, naming the label."""
    problems = []
    for r, row in enumerate(sheet.rows):
        label = as_text(row[0]) if row else ""
        if r in sheet.hidden_rows or not label or find_item(label, lookup) is not None:
            continue
        if normalize_title(label) in FIELD_SHEET_HEADERS or len(row) < 2 or not as_text(row[1]):
            continue
        known = "; ".join(dict.fromkeys(f"«{item.title}»" for item in lookup.values()))
        problems.append(Problem(Origin(sheet.name, r + 1).russian(),
                                f"поле «{label.replace(chr(10), ' ')}» программе неизвестно, его значение некуда "
                                f"поставить. Исправьте название поля или удалите строку. Известные поля: {known}"))
    if problems:
        raise InputError(problems)


# --- documents -------------------------------------------------------------------------------------


def overlay(base: dict, top: dict) -> dict:
    """``top`` over ``base``, nested; an empty value in ``top`` leaves a filled one of ``base``."""
    result = dict(base)
    for key, value in top.items():
        below = result.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            result[key] = overlay(below, value)
        elif is_empty(value) and not is_empty(below) and not isinstance(below, dict):
            continue
        else:
            result[key] = value
    return result


def assemble_documents(spec: SheetSpec, fields: dict, rows: list[dict]) -> list[dict]:
    if spec.assemble is not None:
        return spec.assemble(fields, rows)
    if spec.adapt_row is not None:
        rows = [spec.adapt_row(row) for row in rows]
    if spec.rows_are_documents:
        return [overlay(fields, row) for row in rows]
    return [{**fields, spec.list_key or "items": rows}]


def with_above_header(fields: dict, match: HeaderMatch, spec: SheetSpec) -> dict:
    """The «Документ» fields, with those the list sheet's title block gives where the sheet left them blank."""
    if spec.above_header is None:
        return fields
    top = match.row if match.top is None else match.top
    above = [[as_text(raw) for raw in match.grid.rows[r]] for r in range(top)
             if r not in match.grid.hidden_rows]
    for key, value in spec.above_header(above).items():
        if is_empty(fields.get(key)):
            fields[key] = value
    return fields


def header_problems(match: HeaderMatch | None, spec: SheetSpec, doc_type: DocumentType) -> list[Problem]:
    if match is None:
        expected = ", ".join(f"«{c.title}»" for c in spec.columns if c.required)
        return [Problem("", f"Не найден лист со списком для документа «{doc_type.title}»: нужен лист «{spec.list_sheet}» "
                            f"со строкой заголовков, в ней столбцы {expected}.")]
    problems = []
    if match.missing and not match.score:
        expected = ", ".join(f"«{c.title}»" for c in spec.columns if c.required)
        problems.append(Problem(match.place(), f"не найдена строка заголовков: в первых строках листа должны быть "
                                               f"названия столбцов, среди них {expected}."))
    elif match.missing:
        missing = ", ".join(f"«{c.title}»" for c in match.missing)
        seen = ""
        if not doc_type.personal_data:  # the cells of a header row, never quoted when they may be someone's data
            found = [as_text(v) for v in match.grid.rows[match.row] if as_text(v)]
            seen = "; в строке заголовков есть: " + ", ".join(f"«{t}»" for t in found[:12])
        problems.append(Problem(match.place(), f"нет столбца {missing} (строка заголовков — {match.row + 1}){seen}."))
    for text, first, second in match.duplicates:
        problems.append(Problem(match.place(), f"столбец «{text}» встречается дважды (столбцы {first + 1} и {second + 1}); оставьте один."))
    return problems


def load_grids_limited(path: Path, limits: Limits) -> list[Grid]:
    """The sheets of a file, parsed in a limited child process (see docgen.sandbox)."""
    return [Grid(**grid) for grid in run_parser("sheets", path, limits)]


def read_spreadsheet(path: Path, registry: TypeRegistry, settings: Any, name: str | None = None) -> list[RawDocument]:
    """Raw documents from an xlsx/xlsm/ods/csv file; raises InputError naming every problem's place.

    ``name`` is the file name the secretary gave (the type may come from it); default: the path's.
    """
    grids = load_grids_limited(Path(path), Limits.from_settings(settings))
    doc_type = type_of_workbook(Path(name or Path(path).name), grids, registry)
    spec = doc_type.sheet
    match = list_sheet_match(grids, spec)
    problems = header_problems(match, spec, doc_type)
    if problems:
        raise InputError(problems)
    problems = formula_problems(match) + headerless_problems(match, spec)
    if problems:
        raise InputError(problems)
    rows = read_rows(match, spec)
    if not rows:
        raise InputError(Problem(match.place(), f"под строкой заголовков (строка {match.row + 1}) нет ни одной заполненной строки."))
    documents = assemble_documents(spec, with_above_header(read_fields(grids, spec), match, spec), rows)
    raws = []
    for index, document in enumerate(documents):
        data, places = settle_document({**document, "type": doc_type.id})
        raws.append(RawDocument(data, index, locator(places, match.place()), type_hint=doc_type.id))
    return raws
