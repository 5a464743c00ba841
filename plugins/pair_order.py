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
        sheet=SHEET,
    ))


# --- spreadsheet form (owned by the spreadsheet intake; keep edits to this block) ---------------

from docgen.doctypes import Column, Field, SheetSpec, common_fields, normalize_title  # noqa: E402
from docgen.vocabulary import MENTORING_FORMS  # noqa: E402


def assemble_pairs(fields: dict, rows: list[dict]) -> list[dict]:
    """Rows → pairs: consecutive rows with the same mentor (or an empty mentor cell) form one group."""
    pairs: list[dict] = []
    for row in rows:
        mentor, current = row["mentor"], pairs[-1] if pairs else None
        same_mentor = current is not None and mentor.get("name") and \
            normalize_title(mentor["name"]) == normalize_title(current["mentor"].get("name") or "") and \
            (not row.get("form") or not current.get("form") or normalize_title(row["form"]) == normalize_title(current["form"]))
        if current is not None and (not mentor.get("name") or same_mentor):
            current["mentees"].append(row["mentee"])
            continue
        pairs.append({"form": row["form"], "mentor": mentor, "mentees": [row["mentee"]], "period": row["period"]})
    return [{**fields, "pairs": pairs}]


SHEET = SheetSpec(
    list_sheet="Пары",
    sheet_synonyms=("Наставнические пары", "Пары и группы", "Список пар", "Наставники"),
    list_key="pairs",
    row_noun="наставляемый",
    file_prefixes=("пары", "наставнические пары", "закрепление пар", "pairs", "pair_order"),
    columns=(
        Column("mentor.name", "Наставник (ФИО)", ("Наставник", "ФИО наставника", "Наставник ФИО"), required=True,
               width=34, example="Иванова Мария Петровна",
               hint="ФИО полностью. Для группы: повторите ФИО, оставьте ячейку пустой или объедините ячейки"),
        Column("mentor.position", "Должность наставника", ("Должность (наставник)",), width=28,
               example="учитель математики"),
        Column("mentee.name", "Наставляемый (ФИО)", ("Наставляемый", "ФИО наставляемого", "Наставляемый ФИО"),
               required=True, width=34, example="Петров Сергей Олегович", hint="ФИО полностью"),
        Column("mentee.position", "Должность/класс наставляемого",
               ("Должность наставляемого", "Класс наставляемого", "Класс", "Должность или класс наставляемого"),
               width=30, example="учитель математики", hint="для ученика — класс: 7 «Б» класс"),
        Column("form", "Форма наставничества", ("Форма",), choices=MENTORING_FORMS, choice_list="mentoring_forms",
               width=30, example="Учитель – учитель", hint="выберите из списка"),
        Column("period.from", "Срок с", ("Начало", "Дата начала", "Срок наставничества с"), kind="date", width=13,
               example="01.09.2023", hint="если у пары свой срок; общий — на листе «Документ»"),
        Column("period.to", "Срок по", ("Окончание", "Дата окончания", "Срок наставничества по"), kind="date",
               width=13, example="31.05.2024"),
        Column("mentor.gender", "Пол наставника", kind="gender", width=13, hint="м или ж; можно не заполнять, если есть отчество"),
        Column("mentee.gender", "Пол наставляемого", kind="gender", width=14),
    ),
    fields=common_fields(
        "Дата приказа",
        Field("title", "Заголовок приказа", ("заголовок",), hint="если пусто — «О закреплении наставнических пар (групп)»"),
        Field("programme", "Программа наставничества", ("программа",), example="Программа наставничества МОУ СОШ № 4"),
        Field("period.from", "Срок наставничества с", ("срок с",), kind="date", example="01.09.2023"),
        Field("period.to", "Срок наставничества по", ("срок по",), kind="date", example="31.05.2024"),
        Field("curator.name", "Куратор (ФИО)", ("куратор",), example="Гурьева Ирина Владимировна"),
        Field("curator.position", "Должность куратора", example="заместитель директора по ВР"),
        Field("control.name", "Контроль за исполнением (ФИО)", hint="если пусто — контроль оставляет за собой директор"),
        Field("control.position", "Должность контролирующего"),
        Field("basis", "Преамбула (основание)", ("основание",), hint="если пусто — стандартная преамбула"),
    ),
    assemble=assemble_pairs,
    instructions=(
        "Одна строка — один наставляемый. Если у наставника несколько наставляемых (группа), пишите их в строках "
        "подряд: ФИО наставника можно повторить, оставить пустым или объединить ячейки — строки подряд с одним "
        "наставником станут одной группой.\n"
        "Форму наставничества выберите из списка. «Срок с» и «Срок по» заполняйте, только если у пары свой срок; "
        "общий срок укажите на листе «Документ»."
    ),
    examples=(
        {"mentor.name": "Иванова Мария Петровна", "mentor.position": "учитель математики",
         "mentee.name": "Петров Сергей Олегович", "mentee.position": "учитель математики",
         "form": "Учитель – учитель", "period.from": "01.09.2023", "period.to": "31.05.2024"},
        {"mentee.name": "Кузнецова Алёна Игоревна", "mentee.position": "учитель физики"},
        {"mentor.name": "Бондаренко Кирилл Сергеевич", "mentor.position": "10 «А» класс",
         "mentee.name": "Смирнов Артём Павлович", "mentee.position": "7 «Б» класс", "form": "Ученик – ученик",
         "mentee.gender": "м"},
    ),
)
