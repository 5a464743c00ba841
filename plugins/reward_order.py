"""Built-in type «Приказ о поощрении участников наставнической деятельности» (reward_order).

Owns the order's schema, its checks (a bonus needs an amount; names whose
gender cannot be told) and its wording: points grouped by kind of reward and
reason — «Объявить благодарность» (dative), «Наградить почётной грамотой»
(accusative), «Выплатить премию» (dative, amount in figures and words) —, the
preamble citing the Положение о наставничестве (and the pay regulation when a
bonus is paid), the bookkeeping point, control and the acknowledgement list.
Its numbering series is the core's business ([documents] in docgen.toml).
"""
from __future__ import annotations

from docgen.api import (Column, DocumentType, Field, RenderInfo, SheetSpec, acknowledgement_list, amount_in_words,
                        common_fields, control_point, document_schema, gender_problems, hookimpl, in_organisation, in_sentence,
                        instrumental_title, join_listing, normalize_spaces, of_organisation, person, person_in,
                        same_person, typed_grounds, typed_heading, typed_preamble)

TYPE_ID = "reward_order"
DEFAULT_HEADING = "О поощрении участников наставнической деятельности"
REWARD_KINDS = ("благодарность", "грамота", "премия")  # the closed list «reward_kinds» (``docgen_closed_lists``)
KINDS = {"благодарность": "gratitude", "gratitude": "gratitude", "грамота": "certificate",
         "certificate": "certificate", "премия": "bonus", "bonus": "bonus"}
# Order of the points, the verb phrase and the case of the persons it governs.
KIND_WORDING = {
    "gratitude": ("Объявить благодарность", "dative"),
    "certificate": ("Наградить почётной грамотой", "accusative"),
    "bonus": ("Выплатить премию", "dative"),
}
DEFAULT_PAY_REGULATION = "Положение об оплате труда работников"

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
        "pay_regulation": {"type": "string", "title": "положение об оплате труда (для премий)"},
        "grounds": {"type": "string", "title": "основание (например, представление куратора)"},
        "control": person("контроль за исполнением"),
        "rewards": {"type": "array", "minItems": 1, "items": REWARD, "title": "поощрения"},
    },
    ["rewards"],
)


def kind_of(reward: dict) -> str:
    return KINDS[reward["kind"]]


# --- checks ---------------------------------------------------------------------------------------

def check(data: dict) -> list[tuple[tuple, str]]:
    rewards = data.get("rewards", [])
    problems = [
        (("rewards", i, "amount"), "для премии укажите сумму в рублях")
        for i, reward in enumerate(rewards)
        if kind_of(reward) == "bonus" and not reward.get("amount")
    ]
    for i, reward in enumerate(rewards):
        case = KIND_WORDING[kind_of(reward)][1]
        problems += gender_problems([(("rewards", i, "person"), reward["person"])], (case,))
    if data.get("control"):
        problems += gender_problems([(("control",), data["control"])], ("accusative",))
    return problems


# --- wording --------------------------------------------------------------------------------------

def reason_of(reward: dict, common: str) -> str:
    """«за успешную реализацию …», to follow the name: no final stop, no capital typed at its start."""
    return in_sentence(normalize_spaces(reward.get("reason") or common or "").rstrip(".;, "))


def reward_groups(data: dict) -> list[tuple[str, list[dict]]]:
    """(kind, rewards) in the order gratitude, certificate, bonus; rewards keep their input order."""
    groups = [(kind, [r for r in data["rewards"] if kind_of(r) == kind]) for kind in KIND_WORDING]
    return [(kind, rewards) for kind, rewards in groups if rewards]


def recipient(reward: dict, case: str) -> str:
    """«учителю истории Шевчук Ольге Ивановне» (+ «в размере 5 000 (пять тысяч) рублей 00 копеек»)."""
    who = person_in(reward["person"], case)
    if kind_of(reward) == "bonus":
        who += f" в размере {amount_in_words(reward['amount'])}"
    return who


def with_reason(phrase: str, reason: str) -> str:
    return f"{phrase} {reason}" if reason else phrase


def reward_point(number: int, kind: str, rewards: list[dict], common: str) -> list[str]:
    """One point per kind: «N. Объявить благодарность …» for one person, else sub-points N.1, N.2 …

    A reason shared by all the persons of the point goes into its lead line;
    otherwise each sub-point carries its own.
    """
    verb, case = KIND_WORDING[kind]
    reasons = [reason_of(r, common) for r in rewards]
    if len(rewards) == 1:
        return [f"{number}. {with_reason(f'{verb} {recipient(rewards[0], case)}', reasons[0])}."]
    shared = reasons[0] if len(set(reasons)) == 1 else ""
    lines = [f"{number}. {with_reason(verb, shared)}:"]
    for i, (reward, reason) in enumerate(zip(rewards, reasons), 1):
        end = ";" if i < len(rewards) else "."
        lines.append(f"{number}.{i}. {with_reason(recipient(reward, case), '' if shared else reason)}{end}")
    return lines


def has_bonus(data: dict) -> bool:
    return any(kind_of(r) == "bonus" for r in data["rewards"])


def bonus_phrase(data: dict) -> str:
    several = sum(kind_of(r) == "bonus" for r in data["rewards"]) > 1
    return "премий, указанных" if several else "премии, указанной"


def points(data: dict, signer: dict) -> list[str]:
    """The reward points (one per kind), the bookkeeping point when bonuses are paid, control."""
    lines: list[str] = []
    number = 1
    bonus_point = None
    for kind, rewards in reward_groups(data):
        lines += reward_point(number, kind, rewards, data.get("reason", ""))
        if kind == "bonus":
            bonus_point = number
        number += 1
    if bonus_point:
        lines.append(f"{number}. Бухгалтерии произвести начисление и выплату {bonus_phrase(data)} "
                     f"в пункте {bonus_point} настоящего приказа, в установленном порядке.")
        number += 1
    lines.append(control_point(number, data.get("control"), signer))
    return lines


def preamble(data: dict, organisation: dict) -> str:
    if data.get("basis"):
        return typed_preamble(data["basis"])
    where = in_organisation(organisation)
    acts = [f"Положением о наставничестве {where}"]
    if has_bonus(data):
        regulation = data.get("pay_regulation") or f"{DEFAULT_PAY_REGULATION} {of_organisation(organisation)}"
        acts.append(instrumental_title(regulation))
    return f"В соответствии с {join_listing(acts)},"


def build_context(data: dict, info: RenderInfo) -> dict:
    persons = [r["person"] for r in data["rewards"]] + [data.get("control")]
    acquainted = [p for p in persons if p and not same_person(p, info.signer)]
    return {
        "preamble": preamble(data, info.organization),
        "points": points(data, info.signer),
        "grounds": typed_grounds(data.get("grounds") or ""),
        "acquainted": acknowledgement_list(acquainted),
    }


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=2,
        id=TYPE_ID, title="Приказ о поощрении участников наставнической деятельности", schema=SCHEMA,
        template="reward_order.docx", build_context=build_context,
        heading=lambda data: typed_heading(data.get("title"), DEFAULT_HEADING), kind_label="Приказ",
        series="orders", aliases=("приказ о поощрении", "поощрение"), check=check, sheet=SHEET,
    ))



@hookimpl(trylast=True)
def docgen_closed_lists() -> dict[str, list[str]]:
    return {"reward_kinds": list(REWARD_KINDS)}


# --- spreadsheet form (owned by the spreadsheet intake; keep edits to this block) ---------------

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
               choices=REWARD_KINDS, choice_list="reward_kinds", closed=True,
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
