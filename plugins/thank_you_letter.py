"""Built-in type «Благодарственное письмо» (thank_you_letter), one document per addressee."""
from __future__ import annotations

from docgen import DocumentType, RenderInfo, hookimpl
from docgen.schemas import document_schema, person

TYPE_ID = "thank_you_letter"

ADDRESSEE = {
    **person("адресат"),
    "properties": {
        **person("адресат")["properties"],
        "kind": {"type": "string", "enum": ["person", "parents", "organization"], "title": "кому"},
        "names": {"type": "array", "items": person("родитель"), "minItems": 1, "maxItems": 2},
        "child": person("ребёнок"),
        "organization": {"type": "string", "title": "организация"},
    },
    "required": [],
}

SCHEMA = document_schema(
    TYPE_ID,
    "Благодарственное письмо",
    {
        "addressee": ADDRESSEE,
        "text": {"type": "string", "title": "за что"},
        "body": {"type": "string", "title": "текст письма целиком"},
    },
    ["addressee"],
)


def build_context(data: dict, info: RenderInfo) -> dict:
    addressee = data["addressee"]
    name = addressee.get("name") or ", ".join(p["name"] for p in addressee.get("names", []))
    body = data.get("body") or f"Администрация выражает Вам искреннюю благодарность {data.get('text', '')}."
    return {"address": [name], "greeting": f"Уважаемый(ая) {name}!", "body": body}


def label(data: dict) -> str:
    addressee = data["addressee"]
    return addressee.get("organization") or addressee.get("name") or "родителям"


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=5,
        id=TYPE_ID, title="Благодарственное письмо", schema=SCHEMA, template="thank_you_letter.docx",
        build_context=build_context, heading=lambda data: "Благодарственное письмо",
        kind_label="Благодарственное письмо", series="letters", aliases=("благодарность",), file_label=label,
        sheet=SHEET,
    ))


# --- spreadsheet form (owned by the spreadsheet intake; keep edits to this block) ---------------

import re  # noqa: E402

from docgen.doctypes import Column, Field, SheetSpec, common_fields  # noqa: E402
from docgen.sheetvalues import derive  # noqa: E402


def adapt_letter_row(row: dict) -> dict:
    """«Кому = родители»: the ФИО cell holds one or two parents' names (comma, «;» or «и» between)."""
    addressee = dict(row["addressee"])
    if not addressee.get("kind") and addressee.get("organization"):
        addressee["kind"] = "organization"
    if addressee.get("kind") == "parents" and addressee.get("name"):
        cell = addressee.pop("name")
        parts = [p.strip() for p in re.split(r"[,;\n]|\s+и\s+", cell) if p.strip()]
        addressee["names"] = [{"name": derive(part, cell)} for part in parts]
        addressee.pop("gender", None)
    return {**row, "addressee": addressee}


SHEET = SheetSpec(
    list_sheet="Адресаты",
    sheet_synonyms=("Письма", "Благодарности", "Список"),
    rows_are_documents=True,
    row_noun="адресат",
    file_prefixes=("благодарн", "письма", "адресаты", "letters", "thank_you_letter", "thank_you"),
    columns=(
        Column("addressee.name", "ФИО", ("Адресат", "ФИО адресата", "Кому (ФИО)", "Получатель", "ФИО/Адресат",
                                         "Фамилия имя отчество"), required=True, width=36,
               example="Иванова Мария Петровна",
               hint="для родителей — ФИО обоих через запятую; для организации — руководитель"),
        Column("addressee.position", "Должность", ("Должность адресата",), width=30, example="учитель математики"),
        Column("addressee.gender", "Пол", kind="gender", width=8, hint="м или ж; можно не заполнять, если есть отчество"),
        Column("addressee.kind", "Кому", ("Кому адресовано", "Вид адресата", "Адресат письма"),
               choices=("человек", "родители", "организация"), closed=True,
               values={"человек": "person", "родители": "parents", "организация": "organization",
                       "человеку": "person", "лично": "person", "родителям": "parents", "организации": "organization"},
               width=14, example="человек", hint="человек (по умолчанию), родители или организация"),
        Column("addressee.organization", "Организация", ("Название организации",), width=30, example="ООО «Ромашка»"),
        Column("addressee.child.name", "Ребёнок (ФИО)", ("Ребёнок", "ФИО ребёнка", "Ученик"), width=30,
               hint="для письма родителям"),
        Column("text", "За что", ("Формулировка", "Текст благодарности", "За какие заслуги"), width=50,
               example="за высокий профессионализм и активное участие в программе наставничества"),
        Column("body", "Текст письма целиком", ("Текст письма",), width=40, hint="если заполнен — заменяет весь текст"),
        Column("date", "Дата письма", kind="date", width=14, hint="если пусто — дата с листа «Документ»"),
    ),
    fields=common_fields(
        "Дата письма",
        Field("text", "За что (общее для всех)", ("за что",),
              example="за высокий профессионализм и активное участие в программе наставничества"),
    ),
    adapt_row=adapt_letter_row,
    instructions=(
        "Одна строка — одно письмо. «Кому»: человек (по умолчанию), родители (в «ФИО» — оба родителя через "
        "запятую, в «Ребёнок» — ФИО ребёнка) или организация (в «ФИО» и «Должность» — её руководитель, "
        "в «Организация» — название).\n"
        "«За что» можно написать один раз на листе «Документ» — оно подставится всем, у кого этот столбец пуст."
    ),
    examples=(
        {"addressee.name": "Иванова Мария Петровна", "addressee.position": "учитель математики", "addressee.kind": "человек",
         "text": "за высокий профессионализм и активное участие в программе наставничества"},
        {"addressee.name": "Бондаренко Александр Иванович, Бондаренко Елена Сергеевна", "addressee.kind": "родители",
         "addressee.child.name": "Бондаренко Кирилл Александрович"},
        {"addressee.name": "Петров Пётр Петрович", "addressee.position": "директор", "addressee.kind": "организация",
         "addressee.organization": "ООО «Ромашка»"},
    ),
)
