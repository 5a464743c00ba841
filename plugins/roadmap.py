"""Built-in type «Дорожная карта реализации программы наставничества» (roadmap)."""
from __future__ import annotations

from docgen import DocumentType, RenderInfo, hookimpl
from docgen.schemas import document_schema

TYPE_ID = "roadmap"

ITEM = {"type": "object", "properties": {
    "activity": {"type": "string"}, "deadline": {"type": "string"},
    "responsible": {"type": "string"}, "result": {"type": "string"}}, "required": ["activity"]}

SCHEMA = document_schema(
    TYPE_ID,
    "Дорожная карта реализации программы наставничества",
    {
        "title": {"type": "string", "title": "заголовок"},
        "stages": {"type": "array", "minItems": 1, "items": {
            "type": "object", "properties": {"title": {"type": "string"}, "items": {"type": "array", "items": ITEM}},
            "required": ["title"]}},
    },
    ["title", "stages"],
)


def build_context(data: dict, info: RenderInfo) -> dict:
    rows = []
    for s, stage in enumerate(data["stages"], 1):
        rows.append({"n": "", "activity": stage["title"], "deadline": "", "responsible": "", "result": ""})
        for i, item in enumerate(stage.get("items", []), 1):
            rows.append({"n": f"{s}.{i}", "activity": item["activity"], "deadline": item.get("deadline", ""),
                         "responsible": item.get("responsible", ""), "result": item.get("result", "")})
    signer = info.signer
    return {"rows": rows, "title": data["title"], "approval": ["УТВЕРЖДАЮ", signer["position"], signer["name"]]}


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=4,
        id=TYPE_ID, title="Дорожная карта реализации программы наставничества", schema=SCHEMA,
        template="roadmap.docx", build_context=build_context, heading=lambda data: data["title"],
        kind_label="Дорожная карта", series=None, aliases=("дорожная карта", "план мероприятий"),
    ))
