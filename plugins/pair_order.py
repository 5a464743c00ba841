"""Built-in type «Приказ о закреплении наставнических пар (групп)» (pair_order).

Owns the order's schema, its checks (periods, names whose gender cannot be
told) and its wording: the preamble citing Р-145 (and the teacher-mentoring
recommendations when teachers mentor teachers), the points (pairs fixed by the
annex, the curator appointed in the accusative, duties of mentors and of the
curator, control), the acknowledgement list and the rows of the annex table,
one per mentee, grouped under their mentor.
"""
from __future__ import annotations

from docgen.api import (Column, DocumentType, Field, PERIOD, RenderInfo, SheetSpec, acknowledgement_list, agree_phrase,
                        common_fields, control_point, described, document_schema, format_date_short, gender_of,
                        gender_problems, hookimpl, in_organisation, join_listing, normalize_spaces, normalize_title,
                        parse_date, person, person_in, same_person, short_in, typed_heading, typed_preamble,
                        unique_persons)

TYPE_ID = "pair_order"
DEFAULT_HEADING = "О закреплении наставнических пар (групп)"
ANNEX_TITLE = "Список наставнических пар (групп)"
# the regulations the preamble cites
MENTORING_ACT = (
    "распоряжением Министерства просвещения Российской Федерации от 25.12.2019 №\u00a0Р-145 "
    "«Об утверждении методологии (целевой модели) наставничества обучающихся для организаций, осуществляющих "
    "образовательную деятельность по общеобразовательным, дополнительным общеобразовательным и программам "
    "среднего профессионального образования, в том числе с применением лучших практик обмена опытом между "
    "обучающимися»"
)
TEACHER_MENTORING_LETTER = (
    "методическими рекомендациями по разработке и внедрению системы (целевой модели) наставничества "
    "педагогических работников в образовательных организациях (письмо Министерства просвещения Российской "
    "Федерации и Общероссийского Профсоюза образования от 21.12.2021 №\u00a0АЗ-1128/08/657)"
)
# the closed list «mentoring_forms» (``docgen_closed_lists``): a region's plugin adds its own forms to it
MENTORING_FORMS = (
    "Ученик – ученик",
    "Учитель – учитель",
    "Студент – ученик",
    "Студент – студент",
    "Работодатель – ученик",
    "Работодатель – студент",
    "Педагог – педагог",
    "Руководитель – педагог",
    "Воспитатель – воспитатель",
    "Старший воспитатель – воспитатель",
    "Учитель-логопед – педагог-психолог",
)
# Forms in which staff mentor staff: the teacher-mentoring recommendations apply.
STAFF_FORM_WORDS = ("учитель – учитель", "педагог", "воспитатель", "руководитель", "молодой специалист")
MENTOR_DUTIES = (
    "совместно с наставляемыми составить индивидуальные планы развития и представить их куратору",
    "проводить встречи с наставляемыми в соответствии с планом и оказывать им помощь в достижении "
    "поставленных целей",
    "по окончании срока наставничества представить куратору отчёт о результатах работы",
)
# the first duty when the mentor has one mentee: one plan
SINGLE_PLAN = ("индивидуальные планы развития и представить их", "индивидуальный план развития и представить его")
CURATOR_DUTIES = (
    "осуществлять организационное и методическое сопровождение работы наставнических пар (групп)",
    "вести базу наставников и наставляемых",
    "проводить мониторинг реализации программы наставничества и представить директору отчёт "
    "о его результатах",
)
DUTIES = {"type": "array", "items": {"type": "string", "minLength": 1}}

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
        "mentor_duties": {**DUTIES, "title": "обязанности наставников"},
        "curator_duties": {**DUTIES, "title": "обязанности куратора"},
        "pairs": {"type": "array", "minItems": 1, "items": PAIR, "title": "пары"},
    },
    ["pairs"],
)


def mentees_of(pair: dict) -> list[dict]:
    return pair.get("mentees") or ([pair["mentee"]] if pair.get("mentee") else [])


def period_text(period: dict | None) -> str:
    if not period:
        return ""
    return f"с {format_date_short(parse_date(period['from']))} по {format_date_short(parse_date(period['to']))}"


# --- checks ---------------------------------------------------------------------------------------

def period_problems(data: dict) -> list[tuple[tuple, str]]:
    periods = [(("period",), data.get("period"))]
    periods += [(("pairs", i, "period"), p.get("period")) for i, p in enumerate(data.get("pairs", []))]
    return [(path, "срок заканчивается раньше, чем начинается")
            for path, period in periods
            if period and parse_date(period["to"]) < parse_date(period["from"])]


def declined_persons(data: dict) -> list[tuple[tuple, dict]]:
    """Persons whose names the order declines: curator (accusative), control (accusative), mentors (dative)."""
    found = [((role,), data[role]) for role in ("curator", "control") if data.get(role)]
    mentors = [(("pairs", i, "mentor"), pair["mentor"]) for i, pair in enumerate(data.get("pairs", []))]
    if len(unique_mentors(data)) == 1:
        found += mentors[:1]
    return found


def check(data: dict) -> list[tuple[tuple, str]]:
    problems = period_problems(data)
    problems += gender_problems(declined_persons(data), ("accusative", "dative"))
    return problems


# --- wording --------------------------------------------------------------------------------------

def unique_mentors(data: dict) -> list[dict]:
    return unique_persons([pair["mentor"] for pair in data.get("pairs", [])])


def programme_phrase(programme: str | None) -> str:
    """«программы наставничества …» in the genitive, whether typed «Программа …» or «программы …»."""
    if not programme or not programme.strip():
        return "программы наставничества"
    words = normalize_spaces(programme).rstrip(".,;: ").split(" ")
    first = words[0].casefold()
    if first in ("программа", "программы"):
        words[0] = "программы"
    else:
        words = ["программы", "наставничества", *words]
    return " ".join(words)


def staff_mentoring(data: dict) -> bool:
    forms = [normalize_spaces(pair.get("form") or "").casefold().replace("-", "–") for pair in data["pairs"]]
    return any(word in form for form in forms for word in STAFF_FORM_WORDS)


def preamble(data: dict, organisation: dict) -> str:
    if data.get("basis"):
        return typed_preamble(data["basis"])
    acts = [MENTORING_ACT]
    if staff_mentoring(data):
        acts.append(TEACHER_MENTORING_LETTER)
    acts.append(f"Положением о наставничестве {in_organisation(organisation)}")
    return (f"В соответствии с {join_listing(acts)}, "
            f"в целях реализации {programme_phrase(data.get('programme'))},")


def units_word(groups: list[dict]) -> str:
    """What point 1 fixes, in the accusative: one pair or group takes the singular."""
    sizes = [len(group["mentees"]) for group in groups]
    if len(sizes) == 1:
        return "наставническую пару" if sizes == [1] else "наставническую группу"
    if set(sizes) == {1}:
        return "наставнические пары"
    if 1 not in sizes:
        return "наставнические группы"
    return "наставнические пары и группы"


def periods_phrase(data: dict, groups: list[dict]) -> str:
    """« на срок с … по …» when every pair has the same period; « на сроки, указанные в приложении» when pairs
    have their own; nothing when no period is given."""
    periods = {group["period"] for group in groups if group["period"]}
    if not periods:
        return ""
    if len(periods) == 1 and all(group["period"] for group in groups):
        return f" на срок {periods.pop()}"
    return " на сроки, указанные в приложении"


def sub_points(number: int, lead: str, items: list[str]) -> list[str]:
    lines = [f"{number}. {lead}:"]
    lines += [f"{number}.{i}. {item}{';' if i < len(items) else '.'}" for i, item in enumerate(items, 1)]
    return lines


def all_mentees(data: dict) -> list[dict]:
    return [mentee for pair in data["pairs"] for mentee in mentees_of(pair)]


def default_mentor_duties(data: dict) -> list[str]:
    """The standard duties, in the number (and gender) of the mentees: one mentee has one plan («с наставляемой
    составить индивидуальный план развития и представить его куратору», «оказывать ей помощь»); a mentee whose
    gender cannot be told is spoken of in the masculine, as the law does."""
    mentees = unique_persons(all_mentees(data))
    if len(mentees) != 1:
        return list(MENTOR_DUTIES)
    gender = gender_of(mentees[0]) or "m"
    pronoun = "ему" if gender == "m" else "ей"
    return [duty.replace("наставляемыми", agree_phrase("наставляемым", gender)).replace(" им ", f" {pronoun} ")
            .replace(*SINGLE_PLAN) for duty in MENTOR_DUTIES]


def mentors_lead(data: dict) -> str:
    mentors = unique_mentors(data)
    if len(mentors) == 1:
        return f"Наставнику {short_in(mentors[0], 'dative')}"
    return "Наставникам"


def points(data: dict, groups: list[dict], signer: dict) -> list[str]:
    period = periods_phrase(data, groups)
    annex = "согласно приложению №\u00a01 к настоящему приказу"
    lead = (f"{annex}{period}" if period.startswith(" на сроки") else f"{period.strip()} {annex}".strip())
    lines = [f"1. Закрепить {units_word(groups)} {lead}."]
    number = 2
    curator = data.get("curator")
    if curator and same_person(curator, signer):  # the director does not appoint or instruct himself
        lines.append(f"{number}. Функции куратора реализации программы наставничества оставляю за собой.")
        number += 1
        curator = None
    elif curator:
        lines.append(f"{number}. Назначить куратором реализации программы наставничества "
                     f"{person_in(curator, 'accusative')}.")
        number += 1
    lines += sub_points(number, mentors_lead(data), list(data.get("mentor_duties") or default_mentor_duties(data)))
    number += 1
    if curator:
        lines += sub_points(number, f"Куратору {short_in(curator, 'dative')}",
                            list(data.get("curator_duties") or CURATOR_DUTIES))
        number += 1
    lines.append(control_point(number, data.get("control"), signer))
    return lines


def groups_of(data: dict) -> list[dict]:
    """Annex rows: each pair (group) with its mentees, one table row per mentee."""
    return [
        {"n": i, "mentor": described(pair["mentor"]),
         "mentees": [described(m) for m in mentees_of(pair)],
         "form": normalize_spaces(pair.get("form") or ""),
         "period": period_text(pair.get("period") or data.get("period"))}
        for i, pair in enumerate(data["pairs"], 1)
    ]


def named_persons(data: dict) -> list[dict]:
    """Everyone the order names, in order: curator, control, then mentors and mentees pair by pair."""
    persons = [data.get("curator"), data.get("control")]
    for pair in data["pairs"]:
        persons += [pair["mentor"], *mentees_of(pair)]
    return [p for p in persons if p]


def build_context(data: dict, info: RenderInfo) -> dict:
    groups = groups_of(data)
    acquainted = [p for p in named_persons(data) if not same_person(p, info.signer)]
    return {
        "preamble": preamble(data, info.organization),
        "points": points(data, groups, info.signer),
        "grounds": "",
        "groups": groups,
        "acquainted": acknowledgement_list(acquainted),
        "annex_title": ANNEX_TITLE,
    }


def heading(data: dict) -> str:
    return typed_heading(data.get("title"), DEFAULT_HEADING)


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=1,
        id=TYPE_ID, title="Приказ о закреплении наставнических пар (групп)", schema=SCHEMA,
        template="pair_order.docx", build_context=build_context, heading=heading, kind_label="Приказ",
        series="orders", aliases=("приказ о закреплении наставнических пар", "закрепление пар"), check=check,
        sheet=SHEET,
    ))



@hookimpl(trylast=True)
def docgen_closed_lists() -> dict[str, list[str]]:
    return {"mentoring_forms": list(MENTORING_FORMS)}


# --- spreadsheet form (owned by the spreadsheet intake; keep edits to this block) ---------------

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
