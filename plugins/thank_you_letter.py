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
    ))
