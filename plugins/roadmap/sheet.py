"""The roadmap in a spreadsheet: the «Мероприятия» list (one row per activity, an «Этап» column),
the «Документ» fields, and ``assemble``, which folds the rows into stages.
"""
from __future__ import annotations

import re

from docgen import Column, Field, SheetSpec
from docgen.russian import format_date_short

from .plan import DEFAULT_TITLE, KNOWN_COLUMNS, TYPE_ID

SHEET_COLUMNS = (
    Column("stage", "Этап", ("Наименование этапа", "Этапы", "Этап реализации", "Название этапа"), width=30,
           example="Этап 1. Подготовка условий для запуска программы наставничества"),
    Column("stage_task", "Задача этапа", ("Задачи этапа",), width=30),
    Column("stage_result", "Результат этапа", ("Результаты этапа",), width=30),
    Column("number", "№", ("№ п/п", "Номер", "N"), width=6),
    Column("activity", "Мероприятие", ("Мероприятия", "Наименование мероприятия", "Этап, мероприятия этапа"),
           required=True, width=45, example="Информирование педагогического сообщества о программе"),
    Column("content", "Содержание деятельности", ("Содержание", "Содержания деятельности"), width=45),
    Column("deadline", "Сроки", ("Срок", "Сроки исполнения", "Сроки проведения", "Срок исполнения"), width=16,
           example="сентябрь 2023"),
    Column("responsible", "Ответственные", ("Ответственный", "Ответственные исполнители", "Исполнители"),
           width=28, example="Куратор программы"),
    Column("result", "Результат", ("Результат, вид документа", "Ожидаемый результат", "Результаты"), width=35,
           example="Приказ"),
)
SHEET_FIELDS = (
    Field("title", "Заголовок", ("Название", "Наименование"), example=DEFAULT_TITLE),
    Field("approval_position", "Утверждает: должность", example="Директор МБОУ «СОШ № 7»"),
    Field("approval_name", "Утверждает: ФИО", example="Сафарова Зарина Алиевна"),
    Field("approval_date", "Дата утверждения", kind="date"),
    Field("order_number", "Приказ об утверждении: номер", ("Номер приказа",), example="53-од"),
    Field("order_date", "Приказ об утверждении: дата", ("Дата приказа",), kind="date"),
    Field("agreement_position", "Согласовано: должность и организация"),
    Field("agreement_name", "Согласовано: ФИО"),
    Field("agreement_date", "Согласовано: дата", kind="date"),
    Field("numbering", "Нумерация мероприятий", choices=("по этапам", "сквозная", "без номеров")),
)
SHEET_INSTRUCTIONS = (
    "Одна строка — одно мероприятие. В столбце «Этап» напишите этап у первого мероприятия этапа "
    "(например, «Этап 1. Подготовка условий»); у следующих мероприятий того же этапа его можно не повторять. "
    "«Задача этапа» и «Результат этапа» заполняются у первого мероприятия этапа. Ненужные столбцы удалите, "
    "свои столбцы (например, «Целевая аудитория») добавляйте справа — они войдут в таблицу. Несколько "
    "ответственных пишите в одной ячейке, каждого с новой строки (Alt+Enter)."
)
STAGE_HEADING = re.compile(r"^(?:этап\s*)?(\d+(?:\.\d+)*)\s*[.):]?\s+(.*)$", re.IGNORECASE | re.DOTALL)
SHEET_STAGE_KEYS = ("stage", "stage_task", "stage_result")
SHEET_FIELD_KEYS = {f.key for f in SHEET_FIELDS}


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_value(value):
    """A spreadsheet cell as roadmap text: dates as 31.08.2023, 3.0 as 3."""
    if hasattr(value, "year") and hasattr(value, "month"):
        return format_date_short(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def sheet_columns(rows: list[dict]) -> list:
    """The plan's columns: sheet columns holding any value (in sheet order), № always first."""
    known = {c.key: c for c in SHEET_COLUMNS}
    keys: list[str] = []
    for row in rows:
        keys += [k for k, v in row.items() if k not in keys and k not in SHEET_STAGE_KEYS and not blank(v)]
    keys = ["number"] + [k for k in keys if k != "number"]
    columns = []
    for key in keys:
        if key in KNOWN_COLUMNS:
            columns.append({"key": key, "merge": True} if key == "activity" and "content" in keys else key)
        else:
            columns.append({"key": key, "title": known[key].title if key in known else str(key)})
    return columns


def sheet_stage(text: str, task, result) -> dict:
    match = STAGE_HEADING.match(text.strip())
    stage = {"number": match[1], "title": match[2].strip()} if match else {"title": text.strip()}
    stage["items"] = []
    if not blank(task):
        stage["task"] = cell_value(task)
    if not blank(result):
        stage["result"] = cell_value(result)
    return stage


def sheet_item(row: dict, columns: list) -> dict:
    """One activity: empty cells stay empty, except a blank № (numbered automatically) and a blank
    cell of a merged column (it continues the cell above, as merged cells of a sheet read)."""
    item = {}
    for spec in columns:
        key = spec if isinstance(spec, str) else spec["key"]
        merged = isinstance(spec, dict) and spec.get("merge")
        if not blank(row.get(key)):
            item[key] = cell_value(row[key])
        elif key != "number" and not merged:
            item[key] = ""
    return item


def fold_stages(rows: list[dict], columns: list) -> tuple[list[dict], list[dict]]:
    """(items before any stage, stages): a non-empty «Этап» cell that differs from the last starts a stage."""
    loose: list[dict] = []
    stages: list[dict] = []
    current_text = None
    for row in rows:
        if all(blank(v) for v in row.values()):
            continue
        text = row.get("stage")
        if not blank(text) and str(text).strip() != current_text:
            current_text = str(text).strip()
            stages.append(sheet_stage(current_text, row.get("stage_task"), row.get("stage_result")))
        elif stages:
            stage = stages[-1]
            for key, target in (("stage_task", "task"), ("stage_result", "result")):
                if target not in stage and not blank(row.get(key)):
                    stage[target] = cell_value(row[key])
        item = sheet_item(row, columns)
        if any(not blank(v) for k, v in item.items()):
            (stages[-1]["items"] if stages else loose).append(item)
    return loose, stages


def assemble(fields: dict, rows: list[dict]) -> list[dict]:
    """One roadmap from the «Документ» fields and the «Мероприятия» rows (one row per activity)."""
    columns = sheet_columns(rows)
    loose, stages = fold_stages(rows, columns)
    doc = {"type": TYPE_ID, **{k: v for k, v in fields.items() if k not in SHEET_FIELD_KEYS and not blank(v)}}
    if not blank(fields.get("title")):
        doc["title"] = fields["title"]
    approval = {key: fields[f"approval_{key}"] for key in ("position", "name", "date")
                if not blank(fields.get(f"approval_{key}"))}
    if not blank(fields.get("order_number")):
        approval["order"] = {"number": cell_value(fields["order_number"])}
        if not blank(fields.get("order_date")):
            approval["order"]["date"] = fields["order_date"]
    if approval:
        doc["approval"] = approval
    agreement = {key: fields[f"agreement_{key}"] for key in ("position", "name", "date")
                 if not blank(fields.get(f"agreement_{key}"))}
    if agreement:
        doc["agreement"] = agreement
    if not blank(fields.get("numbering")):
        doc["numbering"] = str(fields["numbering"]).strip().lower()
    doc["columns"] = columns
    if loose and stages:  # activities above the first «Этап» cell belong to the first stage
        stages[0]["items"][:0] = loose
    if stages:
        doc["stages"] = stages
    else:
        doc["items"] = loose
    return [doc]


SHEET = SheetSpec(list_sheet="Мероприятия", columns=SHEET_COLUMNS, fields=SHEET_FIELDS, assemble=assemble,
                  file_prefixes=("roadmap", "дорожная карта", "дорожная_карта", "план мероприятий"),
                  instructions=SHEET_INSTRUCTIONS)
