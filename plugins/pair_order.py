"""Built-in type «Приказ о закреплении наставнических пар (групп)» (pair_order)."""
from __future__ import annotations

from docgen import DocumentType, RenderInfo, hookimpl
from docgen.russian import format_date_short
from docgen.schemas import PERIOD, document_schema, parse_date, person

TYPE_ID = "pair_order"
DEFAULT_HEADING = "О закреплении наставнических пар (групп)"

PAIR = {
    "type": "object",
    "title": "наставническая пара (группа)",
    "properties": {
        "form": {"type": "string", "minLength": 1, "title": "форма наставничества"},
        "mentor": person("наставник"),
        "mentee": person("наставляемый"),
        "mentees": {"type": "array", "minItems": 1, "items": person("наставляемый"), "title": "наставляемые"},
        "period": PERIOD,
    },
    "required": ["mentor"],
    "anyOf": [{"required": ["mentee"]}, {"required": ["mentees"]}],
}

SCHEMA = document_schema(
    TYPE_ID,
    "Приказ о закреплении наставнических пар (групп)",
    {
        "title": {"type": "string", "title": "заголовок приказа"},
        "basis": {"type": "string", "title": "преамбула (основание)"},
        "programme": {"type": "string", "title": "программа наставничества"},
        "period": PERIOD,
        "curator": person("куратор"),
        "control": person("контроль за исполнением"),
        "pairs": {"type": "array", "minItems": 1, "items": PAIR, "title": "пары"},
    },
    ["pairs"],
)


def mentees_of(pair: dict) -> list[dict]:
    return pair.get("mentees") or ([pair["mentee"]] if pair.get("mentee") else [])


def period_text(period: dict | None) -> str:
    if not period:
        return ""
    return f"с {format_date_short(period['from'])} по {format_date_short(period['to'])}"


def check(data: dict) -> list[tuple[tuple, str]]:
    problems = []
    periods = [(("period",), data.get("period"))]
    periods += [(("pairs", i, "period"), p.get("period")) for i, p in enumerate(data.get("pairs", []))]
    for path, period in periods:
        if period and parse_date(period["to"]) < parse_date(period["from"]):
            problems.append((path, "срок заканчивается раньше, чем начинается"))
    return problems


def describe(person_data: dict) -> str:
    position = person_data.get("position", "")
    return f"{person_data['name']}, {position}" if position else person_data["name"]


def build_context(data: dict, info: RenderInfo) -> dict:
    rows = [
        {"n": i, "mentor": describe(pair["mentor"]), "mentees": "; ".join(describe(m) for m in mentees_of(pair)),
         "form": pair.get("form", ""), "period": period_text(pair.get("period") or data.get("period"))}
        for i, pair in enumerate(data["pairs"], 1)
    ]
    programme = data.get("programme") or "программы наставничества"
    preamble = data.get("basis") or (
        "В соответствии с распоряжением Министерства просвещения Российской Федерации от 25.12.2019 № Р-145 "
        "«Об утверждении методологии (целевой модели) наставничества обучающихся для организаций, осуществляющих "
        "образовательную деятельность по общеобразовательным, дополнительным общеобразовательным и программам "
        "среднего профессионального образования, в том числе с применением лучших практик обмена опытом между "
        "обучающимися», Положением о наставничестве, в целях реализации " + programme
    ) + ","
    points = [f"1. Закрепить наставнические пары (группы) согласно приложению № 1 к настоящему приказу."]
    if data.get("curator"):
        curator = data["curator"]
        points.append(f"{len(points) + 1}. Назначить куратором реализации программы наставничества "
                      f"{curator.get('position', '')} {curator['name']}.")
    points.append(f"{len(points) + 1}. Контроль за исполнением настоящего приказа оставляю за собой.")
    people: list[str] = []
    for pair in data["pairs"]:
        for p in [pair["mentor"], *mentees_of(pair)]:
            if p["name"] not in people:
                people.append(p["name"])
    if data.get("curator") and data["curator"]["name"] not in people:
        people.insert(0, data["curator"]["name"])
    return {
        "preamble": preamble, "points": points, "rows": rows, "acquainted": people,
        "annex_title": "Список наставнических пар (групп)",
    }


def heading(data: dict) -> str:
    return data.get("title") or DEFAULT_HEADING


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=1,
        id=TYPE_ID, title="Приказ о закреплении наставнических пар (групп)", schema=SCHEMA,
        template="pair_order.docx", build_context=build_context, heading=heading, kind_label="Приказ",
        series="orders", aliases=("приказ о закреплении наставнических пар", "закрепление пар"), check=check,
    ))
