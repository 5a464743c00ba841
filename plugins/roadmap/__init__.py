"""Built-in type «Дорожная карта (план мероприятий) реализации программы наставничества» (roadmap).

Owns the roadmap's data shape and its plan table:
- the JSON Schema: a title; the approval grif (УТВЕРЖДАЮ block, or «УТВЕРЖДЕНА приказом от … № …»
  whose date comes from the register when the order is there); an optional agreement grif
  (СОГЛАСОВАНО); the columns the school chose (known ones by key, any others as {key, title, width});
  stages (number, title, «Задача этапа», «Результат», items) or plain items;
- the grifs' lines and the template context; the checks that speak of the school's own columns.
Its parts: ``plan`` (columns, numbering, stages as table rows), ``wordtable`` (the plan table,
generated for each document because its columns differ from school to school, and put into the
template's ``{{p plan_table }}`` paragraph), ``pagination`` (how much is kept on one page), ``sheet``
(the spreadsheet shape and ``assemble``, which folds one-row-per-activity sheets into stages),
``importer`` and ``importform`` (``docgen import roadmap``: an existing DOCX back into JSON or a form).
"""
from __future__ import annotations

import re

from docgen.api import (DATE, DocumentType, RenderInfo, document_schema, format_date_short, head_noun_gender, hookimpl,
                        initials_before, parse_date)

from .plan import (DEFAULT_TITLE, KNOWN_COLUMNS, NUMBERING, POSITIONS, STAGE_LAYOUTS, TYPE_ID, PlanBuilder, lines_of,
                   plan_columns, stage_layout)
from .importer import import_roadmap
from .sheet import SHEET
from .measure import heading_height
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
LINES = {"type": "array", "minItems": 1, "items": {"type": "string"}, "title": "строки грифа по порядку"}
YEAR = {"type": ["integer", "string"], "pattern": r"^\d{4}$", "minimum": 1900, "maximum": 2999,
        "title": "год в незаполненной дате («___» ________ 2021 г.)"}
APPROVAL_PRESETS = {"approve": "approve", "утверждаю": "approve", "order": "order", "приказ": "order",
                    "утверждено приказом": "order", "утверждена приказом": "order"}
APPROVAL = {
    "type": ["object", "boolean", "null"], "title": "гриф утверждения (false — без грифа)",
    "properties": {
        "preset": {"enum": list(APPROVAL_PRESETS), "title": "вид грифа: approve (УТВЕРЖДАЮ), order (приказом)"},
        "lines": LINES,
        "word": {**TEXT, "title": "слово грифа (УТВЕРЖДАЮ, УТВЕРЖДЕНА)"},
        "position": {**TEXT, "title": "должность утверждающего"},
        "name": {**TEXT, "title": "ФИО утверждающего"},
        "date": {**DATE, "title": "дата утверждения"},
        "year": YEAR,
        "date_prefix": {**TEXT, "title": "слово перед датой («от»)"},
        "order": ORDER,
        "issuer": {**TEXT, "title": "чей приказ (например, «МБОУ «СОШ № 7»»)"},
    },
}
AGREEMENT = {
    "type": ["object", "null"], "title": "гриф согласования",
    "properties": {
        "lines": LINES,
        "word": {**TEXT, "title": "слово грифа (СОГЛАСОВАНО)"},
        "position": {**TEXT, "minLength": 1, "title": "должность согласующего"},
        "organization": {**TEXT, "title": "организация согласующего"},
        "name": {**TEXT, "title": "ФИО согласующего"},
        "date": {**DATE, "title": "дата согласования"},
        "year": YEAR,
        "date_prefix": {**TEXT, "title": "слово перед датой («от»)"},
    },
}

SCHEMA = document_schema(
    TYPE_ID, TITLE,
    {
        "title": {**TEXT, "title": "заголовок"},
        "author": {**CELL, "title": "составитель (организация), если это не школа из настроек"},
        "approval": APPROVAL,
        "agreement": AGREEMENT,
        "columns": {"type": "array", "minItems": 1, "items": COLUMN, "title": "столбцы таблицы"},
        "numbering": {"enum": list(NUMBERING), "title": "нумерация мероприятий"},
        "number_dot": {"type": "boolean", "title": "точка после номера"},
        "stage_label": {**TEXT, "title": "слово перед номером этапа"},
        "stage_layout": {"enum": list(STAGE_LAYOUTS), "title": "вид строки этапа"},
        "stage_shading": {"type": "boolean", "title": "заливка строк этапа"},
        "task_position": {"enum": list(POSITIONS), "title": "строка «Задача этапа» до или после мероприятий"},
        "result_position": {"enum": list(POSITIONS), "title": "строка «Результат» до или после мероприятий"},
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


def default_approval(data: dict, info: RenderInfo) -> dict | None:
    """The configured director's УТВЕРЖДАЮ — only on the school's own plan (not one with another author)."""
    if lines_of(data.get("author")):
        return None
    signer, short_name = info.signer, info.organization.get("short_name", "")
    position = signer.get("position", "")
    if short_name and position and short_name not in position:
        position = f"{position} {short_name}"
    return {"position": position, "name": signer.get("name", "")}


def date_line(grif: dict, fallback=None) -> str:
    """The grif's date: «31.08.2023», or a line to fill by hand with the year printed («___» ____ 2021 г.)."""
    when = grif.get("date") or fallback
    if when and not grif.get("year"):
        text = format_date_short(when)
    else:
        text = DATE_BLANK.replace("20___", str(grif.get("year") or "20___"))
    prefix = (grif.get("date_prefix") or "").strip()
    return f"{prefix} {text}" if prefix else text


def signature_line(name) -> str:
    return f"{SIGN_BLANK} {signature_name(name)}" if name else SIGN_BLANK


def approval_preset(approval: dict) -> str:
    if approval.get("preset"):
        return APPROVAL_PRESETS[approval["preset"]]
    return "approve" if approval.get("name") else "order"


APPROVED = {"masc": "УТВЕРЖДЕН", "femn": "УТВЕРЖДЕНА", "neut": "УТВЕРЖДЕНО", "plur": "УТВЕРЖДЕНЫ"}


def approved_word(title: str) -> str:
    """«УТВЕРЖДЕНА» agreeing with the document the title names: дорожная карта, программа — УТВЕРЖДЕНА; план
    (мероприятий) — УТВЕРЖДЕН; положение — УТВЕРЖДЕНО; мероприятия — УТВЕРЖДЕНЫ."""
    return APPROVED.get(head_noun_gender(title) or "femn", "УТВЕРЖДЕНА")


def approval_lines(data: dict, info: RenderInfo) -> list[str]:
    """The approval grif (top right): its lines as given, the УТВЕРЖДАЮ block, or «УТВЕРЖДЕНА приказом …»."""
    approval = data.get("approval", "default")
    if approval == "default":
        approval = default_approval(data, info)
    if not approval:
        return [""]
    if approval.get("lines"):
        return list(approval["lines"])
    order = order_reference(approval.get("order"), info)
    if approval_preset(approval) == "approve":
        lines = [approval.get("word") or "УТВЕРЖДАЮ", *lines_of(approval.get("position"))]
        lines.append(signature_line(approval.get("name")))
        if order:
            lines.append("Приказ " + order_text(*order))
        else:
            lines.append(date_line(approval, info.date))
        return lines
    issuer = approval.get("issuer", info.organization.get("short_name", "") if not lines_of(data.get("author")) else "")
    lines = [approval.get("word") or approved_word(heading(data))]
    if order is not None and issuer:
        lines += [f"приказом {issuer}", order_text(*order)]
    elif order is not None:
        lines += [f"приказом {order_text(*order)}"]
    if approval.get("name"):  # «УТВЕРЖДЕНО приказом … / Директор … / ____ И.А. Первенкова»
        lines += [*lines_of(approval.get("position")), signature_line(approval["name"])]
    return lines


def agreement_lines(data: dict) -> list[str]:
    """The СОГЛАСОВАНО block (top left): its lines as given or built; one empty line when there is none."""
    agreement = data.get("agreement")
    if not agreement:
        return [""]
    if agreement.get("lines"):
        return list(agreement["lines"])
    lines = [agreement.get("word") or "СОГЛАСОВАНО", *lines_of(agreement.get("position")),
             *lines_of(agreement.get("organization"))]
    lines.append(signature_line(agreement.get("name")))
    lines.append(date_line(agreement))
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
    context = {
        "title_lines": lines_of(data.get("title")) or [DEFAULT_TITLE],
        "author_lines": lines_of(data.get("author")),
        "approval_lines": [tied(line) for line in approval_lines(data, info)],
        "agreement_lines": [tied(line) for line in agreement_lines(data)],
    }
    above = heading_height([context["agreement_lines"], context["approval_lines"]], context["author_lines"],
                           context["title_lines"])
    context["plan_table"] = plan_table_xml(columns, PlanBuilder(data, columns).rows(), above)
    return context


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
            problems += empty_activity_problems(data, path + (i,), item)
    return problems


def empty_activity_problems(data: dict, path: tuple, item: dict) -> list[tuple[tuple, str]]:
    """An item with nothing to print, or with cells but no activity, is refused: it would be an empty row.

    A merged activity column is the exception: there a missing activity continues the one above."""
    columns = {c.key: c for c in plan_columns(data)}
    texts = [k for k, v in item.items() if k != "number" and lines_of(v)]
    if not texts:
        return [(path, "пустое мероприятие: ни одна ячейка не заполнена; удалите его или заполните")]
    activity = columns.get("activity")
    if activity is None or activity.merge or lines_of(item.get("activity")):
        return []
    return [(path + ("activity",), "не заполнено мероприятие (activity), хотя другие ячейки заполнены; "
                                   "впишите его или удалите строку")]


def stage_problems(data: dict) -> list[tuple[tuple, str]]:
    problems = []
    for s, stage in enumerate(data.get("stages") or []):
        for key in stage:
            if key not in STAGE_KEYS:
                problems.append((("stages", s, key), f"неизвестное поле этапа «{key}»; допустимы: "
                                 + ", ".join(STAGE_KEYS)))
    return problems


def unknown_grif_keys(data: dict) -> list[tuple[tuple, str]]:
    problems = []
    for key, schema in (("approval", APPROVAL), ("agreement", AGREEMENT)):
        grif = data.get(key)
        for name in grif if isinstance(grif, dict) else ():
            if name not in schema["properties"]:
                problems.append(((key, name), f"неизвестное поле грифа «{name}»; допустимы: "
                                 + ", ".join(schema["properties"])))
    return problems


def grif_problems(data: dict) -> list[tuple[tuple, str]]:
    approval, problems = data.get("approval"), unknown_grif_keys(data)
    if approval is True:
        problems.append((("approval",), "«approval»: true не значит ничего; без грифа — false, иначе укажите гриф"))
    elif isinstance(approval, dict) and not approval.get("lines"):
        preset = approval_preset(approval)
        if preset == "approve" and not approval.get("name"):
            problems.append((("approval", "name"), "укажите ФИО утверждающего (name) — гриф «УТВЕРЖДАЮ» без него "
                                                   "не подписать"))
        elif preset == "order" and approval.get("order") in (None, ""):
            problems.append((("approval",), "укажите ФИО утверждающего (name) или приказ об утверждении (order)"))
    agreement = data.get("agreement")
    if isinstance(agreement, dict) and not agreement.get("lines") and not lines_of(agreement.get("position")):
        problems.append((("agreement", "position"), "укажите должность согласующего (position) или строки грифа (lines)"))
    return problems


def layout_problems(data: dict) -> list[tuple[tuple, str]]:
    keys = [c.key for c in plan_columns(data)]
    if "stage" in keys or not data.get("stages") or stage_layout(data) == "row":
        return []
    if keys[0] != "number":
        return [(("stage_layout",), f"вид строки этапа «{data['stage_layout']}» ставит номер этапа в столбец «№», "
                                   "а первым столбцом таблицы должен быть «number» (№ п/п)")]
    return []


def unknown_key_problems(data: dict) -> list[tuple[tuple, str]]:
    """A document-level key the roadmap does not know (a misspelt option) is refused, not ignored."""
    known = SCHEMA["properties"]
    return [((key,), f"неизвестное поле «{key}»; допустимы: " + ", ".join(known))
            for key in data if key not in known and not str(key).startswith("$")]


def check(data: dict) -> list[tuple[tuple, str]]:
    problems = unknown_key_problems(data) + column_problems(data) + stage_problems(data) + layout_problems(data)
    if not data.get("stages") and not data.get("items"):
        problems.append((("stages",), "нет ни этапов (stages), ни мероприятий (items)"))
    problems += grif_problems(data)
    if not problems:
        problems = item_problems(data)
    return problems


def approval_date(data: dict):
    """A roadmap's date is its approval's: the approval date, else the approving order's date."""
    approval = data.get("approval")
    if not isinstance(approval, dict):
        return None
    order = approval.get("order")
    return approval.get("date") or (order.get("date") if isinstance(order, dict) else None)


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=4,
        id=TYPE_ID, title=TITLE, schema=SCHEMA, template="roadmap.docx", build_context=build_context,
        heading=heading, file_label=file_label, kind_label="Дорожная карта", series=None, check=check, sheet=SHEET,
        document_date=approval_date, import_document=import_roadmap,
        aliases=("Дорожная карта реализации программы наставничества", "дорожная карта", "план мероприятий"),
    ))
