"""The type «Отчёт о реализации программы наставничества» (mentoring_report) for the municipal department.

Its tables come from its own input (pairs by form of mentoring, events) and
from the register: how many pair orders the school issued in the period.
"""
from __future__ import annotations

from docgen.api import (Column, DocumentType, Field, PERIOD, RenderInfo, SheetSpec, common_fields, document_schema,
                        format_date_short, parse_date)

TYPE_ID = "mentoring_report"
TITLE = "Отчёт о реализации программы наставничества"
HEADING = "О реализации программы наставничества"

COUNT = {"type": "integer", "minimum": 0}

FORM_ROW = {
    "type": "object",
    "title": "форма наставничества",
    "properties": {
        "form": {"type": "string", "minLength": 1, "pattern": r"\S", "title": "форма наставничества"},
        "pairs": {**COUNT, "title": "число пар (групп)"},
        "mentors": {**COUNT, "title": "число наставников"},
        "mentees": {**COUNT, "title": "число наставляемых"},
    },
    "required": ["form", "pairs", "mentors", "mentees"],
}

EVENT = {
    "type": "object",
    "title": "мероприятие",
    "properties": {
        "title": {"type": "string", "minLength": 1, "pattern": r"\S", "title": "мероприятие"},
        "date": {"type": "string", "format": "date", "title": "дата"},
        "participants": {**COUNT, "title": "участников"},
    },
    "required": ["title"],
}

SCHEMA = document_schema(
    TYPE_ID,
    TITLE,
    {
        "period": {**PERIOD, "title": "отчётный период"},
        "recipient": {
            "type": "object",
            "title": "адресат (в дательном падеже)",
            "properties": {
                "position": {"type": "string", "minLength": 1, "title": "должность адресата в дательном падеже"},
                "name": {"type": "string", "minLength": 1, "title": "инициалы и фамилия адресата в дательном падеже"},
            },
            "required": ["position", "name"],
        },
        "programme": {"type": "string", "title": "программа наставничества (в родительном падеже)"},
        "forms": {"type": "array", "minItems": 1, "items": FORM_ROW, "title": "формы наставничества"},
        "events": {"type": "array", "items": EVENT, "title": "мероприятия"},
        "results": {"type": "array", "items": {"type": "string"}, "title": "итоги"},
    },
    ["period", "recipient", "forms"],
)

SHEET = SheetSpec(
    list_sheet="Формы наставничества",
    sheet_synonyms=("Формы", "Пары по формам"),
    list_key="forms",
    row_noun="форма наставничества",
    file_prefixes=("отчёт о наставничестве", "отчет о наставничестве", "mentoring_report"),
    columns=(
        Column("form", "Форма наставничества", ("Форма",), required=True, choice_list="mentoring_forms", width=36,
               example="Учитель – учитель", hint="выберите из списка"),
        Column("pairs", "Пар (групп)", ("Пар", "Число пар"), required=True, kind="number", width=12, example="4"),
        Column("mentors", "Наставников", ("Число наставников",), required=True, kind="number", width=14, example="4"),
        Column("mentees", "Наставляемых", ("Число наставляемых",), required=True, kind="number", width=14,
               example="5"),
    ),
    fields=common_fields(
        "Дата отчёта",
        Field("period.from", "Отчётный период с", ("период с",), required=True, kind="date", example="01.09.2023"),
        Field("period.to", "Отчётный период по", ("период по",), required=True, kind="date", example="31.05.2024"),
        Field("recipient.position", "Кому: должность (в дательном падеже)", ("кому",), required=True,
              example="Начальнику управления образования администрации города Светлогорска"),
        Field("recipient.name", "Кому: инициалы и фамилия (в дательном падеже)", required=True,
              example="Т.В. Ивановой"),
        Field("programme", "Программа наставничества (в родительном падеже)", ("программа",),
              example="программы наставничества МБОУ «СОШ № 7» на 2023–2024 учебный год"),
    ),
    instructions="Одна строка — одна форма наставничества: сколько пар (групп), наставников и наставляемых. "
                 "Мероприятия и итоги можно добавить в JSON-файл отчёта.",
)


def period_text(period: dict) -> str:
    return f"с {format_date_short(period['from'])} по {format_date_short(period['to'])}"


def check(data: dict) -> list[tuple[tuple, str]]:
    period = data["period"]
    if parse_date(period["to"]) < parse_date(period["from"]):
        return [(("period",), "отчётный период заканчивается раньше, чем начинается")]
    return []


def pair_orders_in(period: dict, register) -> list:
    """Published pair orders dated inside the period, from the school's register."""
    if register is None:
        return []
    start, end = parse_date(period["from"]), parse_date(period["to"])
    return [e for e in register.entries(status="published")
            if e.type_id == "pair_order" and start <= parse_date(e.doc_date) <= end]


def order_list(orders: list) -> str:
    return "; ".join(f"от {format_date_short(e.doc_date)} №\u00a0{e.number}" for e in orders)


def build_context(data: dict, info: RenderInfo) -> dict:
    forms = data["forms"]
    totals = {key: sum(row[key] for row in forms) for key in ("pairs", "mentors", "mentees")}
    events = [{"n": i, "title": e["title"], "date": format_date_short(e["date"]) if e.get("date") else "",
               "participants": e.get("participants", "")} for i, e in enumerate(data.get("events", []), 1)]
    indicators = [
        ("Наставнических пар (групп), всего", totals["pairs"]),
        ("Наставников", totals["mentors"]),
        ("Наставляемых", totals["mentees"]),
        ("Форм наставничества", len(forms)),
        ("Проведено мероприятий", len(events)),
    ]
    register = info.extra.get("register")
    orders = pair_orders_in(data["period"], register)
    if register is not None:
        listed = f" ({order_list(orders)})" if orders else ""
        indicators.append(("Издано приказов о закреплении наставнических пар" + listed, len(orders)))
    programme = data.get("programme") or "программы наставничества"
    return {
        "recipient": data["recipient"],
        "period": period_text(data["period"]),
        "intro": f"Направляем отчёт о реализации {programme} за период {period_text(data['period'])}.",
        "indicators": [{"n": i, "name": name, "value": value} for i, (name, value) in enumerate(indicators, 1)],
        "forms": [{"n": i, **row} for i, row in enumerate(forms, 1)],
        "totals": totals,
        "events": events,
        "results": list(data.get("results", [])),
    }


def mentoring_report() -> DocumentType:
    return DocumentType(
        id=TYPE_ID, title=TITLE, schema=SCHEMA, template=f"{TYPE_ID}.docx", build_context=build_context,
        heading=lambda data: HEADING, kind_label="Отчёт", series="letters",
        aliases=("отчёт о наставничестве", "отчёт для управления образования"), check=check, sheet=SHEET,
        order=50,
    )
