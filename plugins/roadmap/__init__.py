"""Built-in type «Дорожная карта (план мероприятий) реализации программы наставничества» (roadmap).

Owns the roadmap's data shape and its plan table:
- the JSON Schema: a title; the approval grif (УТВЕРЖДАЮ block, or «УТВЕРЖДЕНА приказом от … № …»
  whose date comes from the register when the order is there); an optional agreement grif
  (СОГЛАСОВАНО); the columns the school chose (known ones by key, any others as {key, title, width});
  stages (number, title, «Задача этапа», «Результат», items) or plain items;
- the grifs' lines and the template context; the checks that speak of the school's own columns.
Its parts: ``plan`` (columns, numbering, stages as table rows), ``wordtable`` (the plan table,
generated for each document because its columns differ from school to school, and put into the
template's ``{{p plan_table }}`` paragraph), ``sheet`` (the spreadsheet shape and ``assemble``,
which folds one-row-per-activity sheets into stages).
"""
from __future__ import annotations

import re

from docgen import DocumentType, RenderInfo, hookimpl
from docgen.russian import format_date_short, initials_before
from docgen.schemas import DATE, document_schema, parse_date

from .plan import DEFAULT_TITLE, KNOWN_COLUMNS, NUMBERING, TYPE_ID, PlanBuilder, lines_of, plan_columns
from .sheet import SHEET
from .wordtable import plan_table_xml

TITLE = "Дорожная карта (план мероприятий) реализации программы наставничества"
STAGE_KEYS = ("number", "title", "task", "result", "items")
SIGN_BLANK = "____________"
DATE_BLANK = "«___» ____________ 20___ г."
NBSP = "\u00a0"

# --- schema --------------------------------------------------------------------------------------

TEXT = {"type": "string"}
CELL = {"type": ["string", "number", "array", "null"], "items": {"type": ["string", "number"]},
        "title": "ячейка (текст или список строк)"}
COLUMN = {
    "type": ["string", "object"], "title": "столбец",
    "properties": {
        "key": {"type": "string", "minLength": 1, "pattern": r"\S", "title": "ключ столбца"},
        "title": {**TEXT, "title": "заголовок столбца"},
        "width": {"type": "number", "exclusiveMinimum": 0, "title": "ширина столбца, см"},
        "merge": {"type": "boolean", "title": "объединять ячейку с верхней, если она не заполнена"},
        "align": {"enum": ["left", "center", "right"], "title": "выравнивание"},
    },
    "required": ["key"],
}
ITEM = {"type": "object", "title": "мероприятие", "additionalProperties": CELL,
        "properties": {"number": {"type": ["string", "integer"], "title": "номер мероприятия"}}}
STAGE = {
    "type": "object", "title": "этап",
    "properties": {
        "number": {"type": ["string", "integer"], "title": "номер этапа"},
        "title": {**TEXT, "title": "название этапа"},
        "task": {**CELL, "title": "задача этапа"},
        "result": {**CELL, "title": "результат этапа"},
        "items": {"type": "array", "items": ITEM, "title": "мероприятия этапа"},
    },
}
ORDER = {
    "type": ["string", "integer", "object"], "title": "приказ об утверждении",
    "properties": {"number": {"type": ["string", "integer"], "minLength": 1, "title": "номер приказа"},
                   "date": {**DATE, "title": "дата приказа"}},
    "required": ["number"],
}
APPROVAL = {
    "type": "object", "title": "гриф утверждения",
    "properties": {
        "word": {**TEXT, "title": "слово грифа (УТВЕРЖДАЮ, УТВЕРЖДЕНА)"},
        "position": {**TEXT, "title": "должность утверждающего"},
        "name": {**TEXT, "title": "ФИО утверждающего"},
        "date": {**DATE, "title": "дата утверждения"},
        "order": ORDER,
        "issuer": {**TEXT, "title": "чей приказ (например, «МБОУ «СОШ № 7»»)"},
    },
}
AGREEMENT = {
    "type": "object", "title": "гриф согласования",
    "properties": {
        "word": {**TEXT, "title": "слово грифа (СОГЛАСОВАНО)"},
        "position": {**TEXT, "minLength": 1, "title": "должность согласующего"},
        "organization": {**TEXT, "title": "организация согласующего"},
        "name": {**TEXT, "title": "ФИО согласующего"},
        "date": {**DATE, "title": "дата согласования"},
    },
    "required": ["position"],
}

SCHEMA = document_schema(
    TYPE_ID, TITLE,
    {
        "title": {**TEXT, "title": "заголовок"},
        "approval": APPROVAL,
        "agreement": AGREEMENT,
        "columns": {"type": "array", "minItems": 1, "items": COLUMN, "title": "столбцы таблицы"},
        "numbering": {"enum": list(NUMBERING), "title": "нумерация мероприятий"},
        "number_dot": {"type": "boolean", "title": "точка после номера"},
        "stage_label": {**TEXT, "title": "слово перед номером этапа"},
        "stages": {"type": "array", "minItems": 1, "items": STAGE, "title": "этапы"},
        "items": {"type": "array", "minItems": 1, "items": ITEM, "title": "мероприятия"},
    },
    [],
)


# --- names and lines in grifs ---------------------------------------------------------------------

TIES = ((re.compile(r"№\s+(?=\S)"), "№" + NBSP),
        (re.compile(r"(?<=\b[А-ЯЁ]\.)\s+(?=[А-ЯЁ][а-яё])"), NBSP))


def tied(line: str) -> str:
    """A grif line with no break after «№» or between initials and a surname («А.С. Пушкина»)."""
    for pattern, space in TIES:
        line = pattern.sub(space, line)
    return line


INITIALS_FIRST = re.compile(r"^((?:[А-ЯЁA-Z]\.\s*){1,2})([А-ЯЁA-Z][\w-]+)$")
INITIALS_LAST = re.compile(r"^([А-ЯЁA-Z][\w-]+)\s+((?:[А-ЯЁA-Z]\.\s*){1,2})$")


def signature_name(name: str) -> str:
    """«З.А. Сарахова» for a signature, from a full name or one already written with initials."""
    name = " ".join(str(name).split())
    match = INITIALS_FIRST.match(name)
    if match:
        return f"{match[1].replace(' ', '')}{NBSP}{match[2]}"
    match = INITIALS_LAST.match(name)
    if match:
        return f"{match[2].replace(' ', '')}{NBSP}{match[1]}"
    return initials_before(name)


# --- grifs -------------------------------------------------------------------------------------------

def order_reference(order, info: RenderInfo) -> tuple[str, object] | None:
    """(number, date or None) of the approving order; the register's date wins when it knows the order."""
    if order in (None, ""):
        return None
    order = order if isinstance(order, dict) else {"number": order}
    number = re.sub(r"^№\s*", "", str(order["number"]).strip())
    given = parse_date(order.get("date")) if order.get("date") else None
    register = info.extra.get("register")
    entry = register.find_number(number, given) if register is not None else None
    if entry is not None and entry.status != "void":
        return number, parse_date(entry.doc_date)
    return number, given


def order_text(number: str, when) -> str:
    return f"от {format_date_short(when)} №{NBSP}{number}" if when else f"№{NBSP}{number}"


def default_approval(info: RenderInfo) -> dict:
    signer, short_name = info.signer, info.organization.get("short_name", "")
    position = signer.get("position", "")
    if short_name and position and short_name not in position:
        position = f"{position} {short_name}"
    return {"position": position, "name": signer.get("name", "")}


def approval_lines(data: dict, info: RenderInfo) -> list[str]:
    """The УТВЕРЖДАЮ block, or «УТВЕРЖДЕНА приказом … от … № …» when only the order is given."""
    approval = data.get("approval") or default_approval(info)
    order = order_reference(approval.get("order"), info)
    if approval.get("name"):
        lines = [approval.get("word") or "УТВЕРЖДАЮ", *lines_of(approval.get("position"))]
        lines.append(f"{SIGN_BLANK} {signature_name(approval['name'])}")
        if order:
            lines.append("Приказ " + order_text(*order))
        else:
            lines.append(format_date_short(approval.get("date") or info.date))
        return lines
    issuer = approval.get("issuer", info.organization.get("short_name", ""))
    lines = [approval.get("word") or "УТВЕРЖДЕНА"]
    if order is None:
        return lines
    if issuer:
        return lines + [f"приказом {issuer}", order_text(*order)]
    return lines + [f"приказом {order_text(*order)}"]


def agreement_lines(data: dict) -> list[str]:
    """The СОГЛАСОВАНО block (top left), or one empty line when there is none."""
    agreement = data.get("agreement")
    if not agreement:
        return [""]
    lines = [agreement.get("word") or "СОГЛАСОВАНО", *lines_of(agreement["position"]),
             *lines_of(agreement.get("organization"))]
    name = agreement.get("name")
    lines.append(f"{SIGN_BLANK} {signature_name(name)}" if name else SIGN_BLANK)
    lines.append(format_date_short(agreement["date"]) if agreement.get("date") else DATE_BLANK)
    return lines


# --- context, checks, heading ---------------------------------------------------------------------

def heading(data: dict) -> str:
    return " ".join(lines_of(data.get("title"))) or DEFAULT_TITLE


KIND_WORDS = re.compile(r"^(?:план мероприятий\s*\(дорожная карта\)|«?дорожная карта»?(?:\s*\(план мероприятий\))?)\s*",
                        re.IGNORECASE)
FILE_LABEL_CHARS = 70


def file_label(data: dict) -> str:
    """The heading for a file name, short: without the words «Дорожная карта» (the kind says them)."""
    label = KIND_WORDS.sub("", heading(data)) or heading(data)
    if len(label) <= FILE_LABEL_CHARS:
        return label
    return label[:FILE_LABEL_CHARS].rsplit(" ", 1)[0].rstrip(" ,.;:–-") + "…"


def build_context(data: dict, info: RenderInfo) -> dict:
    columns = plan_columns(data)
    return {
        "title_lines": lines_of(data.get("title")) or [DEFAULT_TITLE],
        "approval_lines": [tied(line) for line in approval_lines(data, info)],
        "agreement_lines": [tied(line) for line in agreement_lines(data)],
        "plan_table": plan_table_xml(columns, PlanBuilder(data, columns).rows()),
    }


def column_problems(data: dict) -> list[tuple[tuple, str]]:
    problems, seen = [], set()
    known = ", ".join(f"{key} ({title})" for key, (title, _, _) in KNOWN_COLUMNS.items())
    for index, spec in enumerate(data.get("columns") or []):
        key = spec if isinstance(spec, str) else spec["key"]
        if isinstance(spec, str) and key not in KNOWN_COLUMNS:
            problems.append((("columns", index), f"неизвестный столбец «{key}». Известные: {known}. Другой "
                             f"столбец задайте так: {{\"key\": \"…\", \"title\": \"Заголовок\"}}"))
        elif isinstance(spec, dict) and key not in KNOWN_COLUMNS and not (spec.get("title") or "").strip():
            problems.append((("columns", index, "title"), f"у столбца «{key}» не указан заголовок"))
        if key in seen:
            problems.append((("columns", index), f"столбец «{key}» указан дважды"))
        seen.add(key)
    return problems


def item_problems(data: dict) -> list[tuple[tuple, str]]:
    keys = [c.key for c in plan_columns(data)]
    allowed = set(keys) | {"number"}
    listed = ", ".join(keys)
    places = [(("items",), data.get("items") or [])]
    places += [(("stages", s, "items"), stage.get("items") or []) for s, stage in enumerate(data.get("stages") or [])]
    problems = []
    for path, items in places:
        for i, item in enumerate(items):
            for key in item:
                if key not in allowed:
                    problems.append((path + (i, key), f"поля «{key}» нет среди столбцов таблицы ({listed}); "
                                     "добавьте столбец в «columns» или исправьте имя поля"))
    return problems


def stage_problems(data: dict) -> list[tuple[tuple, str]]:
    problems = []
    for s, stage in enumerate(data.get("stages") or []):
        for key in stage:
            if key not in STAGE_KEYS:
                problems.append((("stages", s, key), f"неизвестное поле этапа «{key}»; допустимы: "
                                 + ", ".join(STAGE_KEYS)))
    return problems


def check(data: dict) -> list[tuple[tuple, str]]:
    problems = column_problems(data) + stage_problems(data)
    if not data.get("stages") and not data.get("items"):
        problems.append((("stages",), "нет ни этапов (stages), ни мероприятий (items)"))
    approval = data.get("approval")
    if approval is not None and not approval.get("name") and approval.get("order") in (None, ""):
        problems.append((("approval",), "укажите ФИО утверждающего (name) или приказ об утверждении (order)"))
    if not problems:
        problems = item_problems(data)
    return problems


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=4,
        id=TYPE_ID, title=TITLE, schema=SCHEMA, template="roadmap.docx", build_context=build_context,
        heading=heading, file_label=file_label, kind_label="Дорожная карта", series=None, check=check, sheet=SHEET,
        aliases=("Дорожная карта реализации программы наставничества", "дорожная карта", "план мероприятий"),
    ))
