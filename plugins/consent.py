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
        file_label=label, personal_data=True,
    ))
