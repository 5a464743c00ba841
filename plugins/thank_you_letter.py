"""Built-in type «Благодарственное письмо» (thank_you_letter), one document per addressee.

Owns the wording of the letter: the address block in the dative («Учителю
математики МБОУ … Ивановой Марии Петровне», «Директору ООО «Ромашка»
П.П. Петрову»), the greeting agreed with gender («Уважаемая Мария Петровна!»,
«Уважаемые Магомед Расулович и Патимат Гаджиевна!»), and the body built
around the reason (``text``) unless ``body`` replaces it. The letter is
registered as an outgoing letter (series «letters»). Layout lives in
``doc_templates/thank_you_letter.docx``.
"""
from __future__ import annotations

import re

from docgen.api import (Column, DocumentType, Field, RenderInfo, SheetSpec, agree_phrase, common_fields, dear,
                        dear_plural, derive, detect_gender, document_schema, first_and_patronymic, gendered, hookimpl,
                        in_sentence, inflect_name, inflect_position, initials_before, normalize_spaces,
                        organization_name, organization_short_or_full, person)

TYPE_ID = "thank_you_letter"
KINDS = ("person", "parents", "organization")
DEFAULT_REASONS = {
    "person": "за участие в программе наставничества",
    "parents": "за поддержку программы наставничества",
    "organization": "за сотрудничество и участие в программе наставничества",
}
CLASS_LABEL = re.compile(r"^(.+?)\s+класс$", re.IGNORECASE)

ADDRESSEE = {
    **person("адресат"),
    "title": "адресат: человек (kind=person, по умолчанию), родители (kind=parents, names — один или двое, "
             "child — ребёнок) или организация (kind=organization, organization — название, name и position — "
             "её руководитель)",
    "properties": {
        **person("адресат")["properties"],
        "kind": {"type": "string", "enum": list(KINDS), "title": "кому: person, parents или organization"},
        "names": {"type": "array", "items": person("родитель"), "minItems": 1, "maxItems": 2,
                  "title": "родители (один или двое)"},
        "child": person("ребёнок"),
        "organization": {"type": "string", "minLength": 1, "pattern": r"\S",
                         "title": "организация (для человека — место работы; по умолчанию — наша организация)"},
    },
    "required": [],
}

SCHEMA = document_schema(
    TYPE_ID,
    "Благодарственное письмо (одно письмо на адресата; регистрируется как исходящее)",
    {
        "addressee": ADDRESSEE,
        "text": {"type": "string", "minLength": 1, "pattern": r"\S",
                 "title": "за что благодарим («за высокий профессионализм …»); если пусто — «за участие в программе "
                          "наставничества» (родителям — «за поддержку программы наставничества»)"},
        "body": {"type": "string", "minLength": 1, "pattern": r"\S",
                 "title": "текст письма целиком (заменяет текст, построенный из «за что»; абзацы — с новой строки)"},
    },
    ["addressee"],
)


def kind_of(addressee: dict) -> str:
    return addressee.get("kind") or "person"


def persons_of(addressee: dict) -> list[tuple[tuple, dict]]:
    """Every named person of an addressee with the path of its record (for messages)."""
    kind = kind_of(addressee)
    if kind == "parents":
        found = [(("addressee", "names", i), p) for i, p in enumerate(addressee.get("names") or [])]
        if addressee.get("child"):
            found.append((("addressee", "child"), addressee["child"]))
        return found
    return [(("addressee",), addressee)] if addressee.get("name") else []


def check(data: dict) -> list[tuple[tuple, str]]:
    addressee = data["addressee"]
    kind = kind_of(addressee)
    problems: list[tuple[tuple, str]] = []
    if kind == "person" and not addressee.get("name"):
        problems.append((("addressee", "name"), "не заполнено ФИО адресата"))
    if kind == "parents" and not addressee.get("names"):
        problems.append((("addressee", "names"), "для письма родителям укажите ФИО одного или двух родителей"))
    if kind == "organization" and not addressee.get("organization"):
        problems.append((("addressee", "organization"), "для письма организации укажите её название"))
    for path, who in persons_of(addressee):
        if detect_gender(who["name"], who.get("gender")) is None:
            problems.append((path + ("gender",), "по ФИО не удалось определить пол: укажите пол — «м» или «ж»"))
    return problems


# --- address block and greeting ---------------------------------------------------------


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def gender_of(who: dict) -> str | None:
    return detect_gender(who["name"], who.get("gender"))


def dative_name(who: dict) -> str:
    return inflect_name(who["name"], "dative", who.get("gender"), who.get("cases"))


def address_block(addressee: dict, org: dict) -> list[str]:
    kind = kind_of(addressee)
    if kind == "parents":
        return [dative_name(p) for p in addressee["names"]]
    if kind == "organization":
        head = capitalized(inflect_position(addressee.get("position") or "руководитель", "dative"))
        lines = [f"{head} {organization_name(addressee['organization'], 'genitive')}"]
        if addressee.get("name"):
            lines.append(initials_before(addressee["name"], "dative", addressee.get("gender"),
                                                 addressee.get("cases")))
        return lines
    workplace = (organization_name(addressee["organization"], "genitive") if addressee.get("organization")
                 else organization_short_or_full(org, "genitive"))
    lines = []
    if addressee.get("position"):
        position = inflect_position(addressee["position"], "dative", gender_of(addressee))
        lines.append(capitalized(f"{position} {workplace}".strip()))
    lines.append(dative_name(addressee))
    return lines


def called(who: dict, adult: bool) -> str:
    """How the greeting names a person: «Мария Петровна»; an adult without a patronymic by first name and
    surname («Анна Мюллер», as a letter to a foreign colleague is written), a pupil by first name («Саша»)."""
    name = normalize_spaces(who["name"])
    words = name.split(" ")
    if adult and len(words) == 2:
        return f"{words[1]} {words[0]}"
    return first_and_patronymic(name)


def is_adult(addressee: dict) -> bool:
    """Parents and an organisation's head are adults; a person is one when a position (not a class) is given."""
    if kind_of(addressee) != "person":
        return True
    position = normalize_spaces(addressee.get("position") or "")
    return bool(position) and not CLASS_LABEL.match(position)


def greeting(addressee: dict) -> str:
    kind = kind_of(addressee)
    if kind == "parents":
        names = addressee["names"]
        if len(names) == 1:
            return f"{dear(gender_of(names[0]))} {called(names[0], True)}!"
        both = " и ".join(called(p, True) for p in names)
        return f"{dear_plural()} {both}!"
    if kind == "organization" and not addressee.get("name"):
        return "Уважаемые коллеги!"
    return f"{dear(gender_of(addressee))} {called(addressee, is_adult(addressee))}!"


# --- body ---------------------------------------------------------------------------------


def child_sentence(child: dict, thanks: bool = True) -> str:
    """«Ваш сын Али, обучающийся 9 «А» класса, — пример …»; neutral wording when the gender is unknown.

    ``thanks`` adds «Спасибо Вам за его воспитание!»; a letter with its own
    reason leaves it out, so the thanks are never said twice.
    """
    gender = gender_of(child)
    who = gendered(gender, "Ваш сын", "Ваша дочь") if gender else "Ваш ребёнок"
    pupil = agree_phrase("обучающийся", gender) if gender else "обучающийся"
    position = inflect_position(in_sentence(child.get("position") or ""), "nominative", gender)
    label = CLASS_LABEL.match(position)
    where = f", {pupil} {label.group(1)} класса," if label else (f", {position}," if position else "")
    pronoun = gendered(gender, "его", "её") if gender else "его"
    sentence = (f"{who} {normalize_spaces(child['name'])}{where} — пример ответственности, доброты и "
                f"готовности помогать другим.")
    return f"{sentence} Спасибо Вам за {pronoun} воспитание!" if thanks else sentence


def body_paragraphs(data: dict, org: dict) -> list[str]:
    if data.get("body"):
        return [line.strip() for line in data["body"].splitlines() if line.strip()]
    addressee = data["addressee"]
    kind = kind_of(addressee)
    sender = f"Администрация {organization_short_or_full(org, 'genitive')}"
    reason = in_sentence((data.get("text") or DEFAULT_REASONS[kind]).strip().rstrip(".;, "))
    if kind == "organization":
        collective = organization_name(addressee["organization"], "genitive")
        return [f"{sender} выражает Вам и коллективу {collective} искреннюю благодарность {reason}.",
                "Надеемся на дальнейшее плодотворное сотрудничество!"]
    paragraphs = [f"{sender} выражает Вам искреннюю благодарность {reason}."]
    if kind == "parents" and addressee.get("child"):
        paragraphs.append(child_sentence(addressee["child"], thanks=not data.get("text")))
    wish = ("Желаем Вам крепкого здоровья, благополучия и успехов во всех делах!" if kind == "parents" else
            "Желаем Вам крепкого здоровья, профессиональных успехов и новых творческих достижений!")
    paragraphs.append(wish)
    return paragraphs


def org_lines(org: dict) -> tuple[str, str]:
    contacts = ", ".join(part for part in (
        f"тел. {org['phone']}" if org.get("phone") else "",
        f"e-mail: {org['email']}" if org.get("email") else "",
        org.get("site", ""),
    ) if part)
    requisites = ", ".join(part for part in (
        f"ОГРН {org['ogrn']}" if org.get("ogrn") else "",
        f"ИНН {org['inn']}" if org.get("inn") else "",
    ) if part)
    return contacts, requisites


def keep_together(text: str) -> str:
    """Non-breaking spaces where a line must not break: «№ 7», «ООО «Ромашка»»."""
    text = re.sub(r"№\s+", "№\u00a0", text)
    return re.sub(r"\b([А-ЯЁ]{2,})\s+«", "\\1\u00a0«", text)


def build_context(data: dict, info: RenderInfo) -> dict:
    addressee = data["addressee"]
    contacts, requisites = org_lines(info.organization)
    return {
        "address": [keep_together(line) for line in address_block(addressee, info.organization)],
        "greeting": greeting(addressee),
        "body": [keep_together(paragraph) for paragraph in body_paragraphs(data, info.organization)],
        "contacts_line": contacts,
        "requisites_line": requisites,
    }


def label(data: dict) -> str:
    """An organisation addressee names the file («ООО «Ромашка»»); a person never does (152-ФЗ)."""
    addressee = data["addressee"]
    return addressee["organization"] if kind_of(addressee) == "organization" else ""


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=5,
        id=TYPE_ID, title="Благодарственное письмо", schema=SCHEMA, template="thank_you_letter.docx",
        build_context=build_context, heading=lambda data: "Благодарственное письмо", check=check,
        kind_label="Благодарственное письмо", series="letters", aliases=("благодарность",), file_label=label,
        sheet=SHEET,
    ))


# --- spreadsheet form (owned by the spreadsheet intake; keep edits to this block) ---------------

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
