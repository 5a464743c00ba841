"""Built-in type «Согласие на обработку персональных данных» (consent), one document per person."""
from __future__ import annotations

from docgen import DocumentType, RenderInfo, hookimpl
from docgen.schemas import DATE, document_schema

TYPE_ID = "consent"

IDENTITY_DOCUMENT = {
    "type": "object",
    "title": "документ, удостоверяющий личность",
    "properties": {
        "kind": {"type": "string", "title": "вид документа"},
        "series": {"type": "string", "title": "серия", "x-personal": True},
        "number": {"type": "string", "title": "номер", "x-personal": True},
        "issued_by": {"type": "string", "title": "кем выдан", "x-personal": True},
        "issued_on": {**DATE, "title": "дата выдачи", "x-personal": True},
    },
}

SUBJECT = {
    "type": "object",
    "title": "субъект персональных данных",
    "properties": {
        "name": {"type": "string", "minLength": 1, "pattern": r"\S", "title": "ФИО"},
        "birth_date": {**DATE, "title": "дата рождения", "x-personal": True},
        "address": {"type": "string", "title": "адрес", "x-personal": True},
        "document": IDENTITY_DOCUMENT,
        "gender": {"type": "string"},
    },
    "required": ["name"],
}

SCHEMA = document_schema(
    TYPE_ID,
    "Согласие на обработку персональных данных",
    {
        "role": {"type": "string", "title": "роль в программе"},
        "subject": SUBJECT,
        "representative": {**SUBJECT, "title": "законный представитель",
                           "properties": {**SUBJECT["properties"], "authority": {"type": "string", "title": "основание полномочий", "x-personal": True}}},
        "valid_until": {**DATE, "title": "срок действия"},
        "purpose": {"type": "string", "title": "цель обработки"},
    },
    ["subject"],
)


def identity(person: dict) -> str:
    doc = person.get("document") or {}
    parts = [doc.get("kind", "документ"), doc.get("series", "______"), "№ " + doc.get("number", "________"),
             "выдан " + doc.get("issued_by", "____________________"), doc.get("issued_on", "__________")]
    return " ".join(parts)


def build_context(data: dict, info: RenderInfo) -> dict:
    subject = data["subject"]
    org = info.organization
    signer = data.get("representative") or subject
    paragraphs = [
        f"Я, {signer['name']}, адрес: {signer.get('address', '_' * 30)}, {identity(signer)}, "
        f"даю согласие {org['name']} ({org.get('address', '')}) на обработку персональных данных "
        f"{'моего ребёнка ' + subject['name'] if data.get('representative') else 'моих'} "
        f"в целях {data.get('purpose') or 'участия в программе наставничества'}.",
    ]
    return {"paragraphs": paragraphs, "signer_line": signer["name"]}


def label(data: dict) -> str:
    parts = data["subject"]["name"].split()
    return parts[0] + (" " + "".join(p[0] + "." for p in parts[1:3]) if len(parts) > 1 else "")


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=3,
        id=TYPE_ID, title="Согласие на обработку персональных данных", schema=SCHEMA, template="consent.docx",
        build_context=build_context, heading=lambda data: "Согласие на обработку персональных данных",
        kind_label="Согласие", series="consents", aliases=("согласие", "согласие на обработку пд"),
        file_label=label, personal_data=True, sheet=SHEET,
    ))


# --- spreadsheet form (owned by the spreadsheet intake; keep edits to this block) ---------------

from docgen.doctypes import Column, Field, SheetSpec, common_fields  # noqa: E402

DOCUMENT_KINDS = ("паспорт", "свидетельство о рождении")

SHEET = SheetSpec(
    list_sheet="Участники",
    sheet_synonyms=("Согласия", "Список участников", "Список"),
    rows_are_documents=True,
    row_noun="участник",
    file_prefixes=("согласи", "участники", "consents", "consent"),
    columns=(
        Column("subject.name", "ФИО", ("ФИО участника", "Участник", "Фамилия имя отчество", "ФИО субъекта"), required=True,
               width=34, example="Петров Иван Сергеевич"),
        Column("subject.birth_date", "Дата рождения", ("Дата рожд",), kind="date", width=14, example="14.03.2012"),
        Column("subject.address", "Адрес", ("Адрес проживания", "Адрес регистрации", "Адрес места жительства"), width=40,
               example="г. Светлогорск, ул. Мира, д. 5, кв. 12"),
        Column("role", "Роль", ("Роль в программе", "Статус"), choices=("наставник", "наставляемый", "куратор"),
               width=16, example="наставляемый"),
        Column("subject.document.kind", "Документ", ("Вид документа", "Документ, удостоверяющий личность"),
               choices=DOCUMENT_KINDS, width=24, example="свидетельство о рождении"),
        Column("subject.document.series", "Серия", ("Серия документа",), width=10, example="II-ДН"),
        Column("subject.document.number", "Номер", ("Номер документа",), width=12, example="123456"),
        Column("subject.document.issued_by", "Кем выдан", ("Кем выдан документ",), width=36,
               example="Отдел ЗАГС г. Светлогорска"),
        Column("subject.document.issued_on", "Дата выдачи", ("Когда выдан", "Дата выдачи документа"), kind="date",
               width=14, example="01.04.2012"),
        Column("subject.gender", "Пол", kind="gender", width=8),
        Column("representative.name", "Представитель ФИО", ("Представитель", "Законный представитель", "ФИО представителя",
                                                           "Родитель", "ФИО родителя"),
               width=34, example="Петрова Анна Викторовна", hint="для несовершеннолетнего — родитель или иной законный представитель"),
        Column("representative.authority", "Основание полномочий", ("Кем приходится", "Степень родства"), width=36,
               example="мать, свидетельство о рождении II-ДН № 123456"),
        Column("representative.address", "Адрес представителя", width=40),
        Column("representative.document.kind", "Документ представителя", ("Вид документа представителя",),
               choices=DOCUMENT_KINDS, width=20, example="паспорт"),
        Column("representative.document.series", "Серия документа представителя", ("Серия паспорта представителя",),
               width=12, example="0712"),
        Column("representative.document.number", "Номер документа представителя", ("Номер паспорта представителя",),
               width=14, example="345678"),
        Column("representative.document.issued_by", "Кем выдан документ представителя", width=36),
        Column("representative.document.issued_on", "Дата выдачи документа представителя", kind="date", width=14),
        Column("date", "Дата согласия", kind="date", width=14, hint="если пусто — дата с листа «Документ»"),
    ),
    fields=common_fields(
        "Дата согласия",
        Field("purpose", "Цель обработки", ("цель",), hint="если пусто — участие в программе наставничества"),
        Field("valid_until", "Срок действия согласия", ("действует до",), kind="date"),
        signer=False,
    ),
    instructions=(
        "Одна строка — одно согласие (один человек). Для несовершеннолетнего заполните столбцы представителя "
        "(родителя). Сведения о документе можно не заполнять: в согласии останутся пустые линии, их впишут от руки.\n"
        "В файле персональные данные: храните его только в защищённой папке и не пересылайте по почте."
    ),
    examples=(
        {"subject.name": "Петров Иван Сергеевич", "subject.birth_date": "14.03.2012", "role": "наставляемый",
         "subject.address": "г. Светлогорск, ул. Мира, д. 5, кв. 12", "subject.document.kind": "свидетельство о рождении",
         "representative.name": "Петрова Анна Викторовна", "representative.authority": "мать",
         "representative.document.kind": "паспорт"},
        {"subject.name": "Иванова Мария Петровна", "subject.birth_date": "02.11.1985", "role": "наставник",
         "subject.document.kind": "паспорт"},
    ),
)
