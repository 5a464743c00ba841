"""Built-in type «Приказ о поощрении участников наставнической деятельности» (reward_order)."""
from __future__ import annotations

from docgen import DocumentType, RenderInfo, hookimpl
from docgen.schemas import document_schema, person

TYPE_ID = "reward_order"
DEFAULT_HEADING = "О поощрении участников наставнической деятельности"
KINDS = {"благодарность": "gratitude", "gratitude": "gratitude", "грамота": "certificate",
         "certificate": "certificate", "премия": "bonus", "bonus": "bonus"}

REWARD = {
    "type": "object",
    "title": "поощрение",
    "properties": {
        "person": person("поощряемый"),
        "kind": {"type": "string", "enum": sorted(KINDS), "title": "вид поощрения"},
        "amount": {"type": ["number", "integer"], "exclusiveMinimum": 0, "title": "сумма премии, руб."},
        "reason": {"type": "string", "title": "за что"},
    },
    "required": ["person", "kind"],
}

SCHEMA = document_schema(
    TYPE_ID,
    "Приказ о поощрении участников наставнической деятельности",
    {
        "title": {"type": "string", "title": "заголовок приказа"},
        "basis": {"type": "string", "title": "преамбула (основание)"},
        "reason": {"type": "string", "title": "за что (общее)"},
        "rewards": {"type": "array", "minItems": 1, "items": REWARD, "title": "поощрения"},
    },
    ["rewards"],
)


def check(data: dict) -> list[tuple[tuple, str]]:
    return [
        (("rewards", i, "amount"), "для премии укажите сумму в рублях")
        for i, reward in enumerate(data.get("rewards", []))
        if KINDS[reward["kind"]] == "bonus" and not reward.get("amount")
    ]


def point_text(reward: dict, common_reason: str) -> str:
    who = reward["person"]
    target = f"{who.get('position', '')} {who['name']}".strip()
    reason = reward.get("reason") or common_reason
    kind = KINDS[reward["kind"]]
    if kind == "gratitude":
        return f"Объявить благодарность {target} {reason}."
    if kind == "certificate":
        return f"Наградить почётной грамотой {target} {reason}."
    return f"Выплатить премию {target} {reason} в размере {reward['amount']} рублей."


def build_context(data: dict, info: RenderInfo) -> dict:
    reason = data.get("reason", "")
    points = [f"{i}. {point_text(r, reason)}" for i, r in enumerate(data["rewards"], 1)]
    points.append(f"{len(points) + 1}. Контроль за исполнением настоящего приказа оставляю за собой.")
    preamble = data.get("basis") or "В соответствии с Положением о наставничестве,"
    people = list(dict.fromkeys(r["person"]["name"] for r in data["rewards"]))
    return {"preamble": preamble, "points": points, "acquainted": people}


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=2,
        id=TYPE_ID, title="Приказ о поощрении участников наставнической деятельности", schema=SCHEMA,
        template="reward_order.docx", build_context=build_context,
        heading=lambda data: data.get("title") or DEFAULT_HEADING, kind_label="Приказ", series="orders",
        aliases=("приказ о поощрении", "поощрение"), check=check, sheet=SHEET,
    ))


# --- spreadsheet form (owned by the spreadsheet intake; keep edits to this block) ---------------

from docgen.doctypes import Column, Field, SheetSpec, common_fields  # noqa: E402

SHEET = SheetSpec(
    list_sheet="Поощрения",
    sheet_synonyms=("Поощрение", "Награждение", "Список"),
    list_key="rewards",
    row_noun="поощряемый",
    file_prefixes=("поощрени", "награждени", "премировани", "rewards", "reward_order", "reward"),
    columns=(
        Column("person.name", "ФИО", ("ФИО работника", "ФИО поощряемого", "Сотрудник", "Работник", "Фамилия имя отчество",
                                      "Поощряемый"), required=True, width=34, example="Иванова Мария Петровна"),
        Column("person.position", "Должность", ("Должность работника", "Должность или класс"), width=30,
               example="учитель математики"),
        Column("kind", "Вид поощрения", ("Поощрение", "Вид", "Вид награды"), required=True,
               choices=("благодарность", "грамота", "премия"), choice_list="reward_kinds", closed=True,
               values={"почётная грамота": "грамота", "объявить благодарность": "благодарность",
                       "премирование": "премия", "денежная премия": "премия"},
               width=18, example="благодарность", hint="благодарность, грамота или премия"),
        Column("amount", "Сумма", ("Сумма премии", "Сумма, руб", "Размер премии", "Сумма (руб.)"), kind="number",
               width=12, example="5000", hint="только для премии, в рублях"),
        Column("reason", "За что", ("Основание поощрения", "Формулировка", "За какие заслуги"), width=50,
               example="за успешную реализацию программы наставничества",
               hint="если пусто — общее «За что» с листа «Документ»"),
        Column("person.gender", "Пол", kind="gender", width=8, hint="м или ж; можно не заполнять, если есть отчество"),
    ),
    fields=common_fields(
        "Дата приказа",
        Field("title", "Заголовок приказа", ("заголовок",), hint="если пусто — «О поощрении участников наставнической деятельности»"),
        Field("reason", "За что (общее для всех)", ("за что", "общее основание"),
              example="за успешную реализацию программы наставничества в 2023–2024 учебном году"),
        Field("basis", "Преамбула (основание)", ("основание",), hint="если пусто — «В соответствии с Положением о наставничестве»"),
    ),
    instructions=(
        "Одна строка — один поощряемый. Вид поощрения выберите из списка: благодарность, грамота или премия; "
        "для премии укажите сумму в рублях.\n"
        "«За что» можно написать один раз на листе «Документ» — оно подставится всем, у кого этот столбец пуст."
    ),
    examples=(
        {"person.name": "Иванова Мария Петровна", "person.position": "учитель математики", "kind": "благодарность"},
        {"person.name": "Шевчук Ольга Ивановна", "person.position": "учитель истории", "kind": "премия",
         "amount": "5000", "person.gender": "ж"},
    ),
)
