"""Built-in consents to personal data processing (152-ФЗ), one document per person.

Two types live here:

* ``consent`` — «Согласие на обработку персональных данных» (ст. 9 ч. 4): the
  subject, the legal representative when the subject is a minor (required under
  18 on the document date; under 14 the parent consents alone, from 14 to 18 the
  teenager countersigns), the operator with ИНН/ОГРН, purpose, data list, third
  party, actions and methods, validity and revocation, signature and date;
* ``consent_dissemination`` — «Согласие на обработку персональных данных,
  разрешённых субъектом для распространения» (ст. 10.1): a separate form with
  the subject's contacts, the operator's ИНН/ОГРН and web resources, the data
  allowed for dissemination, the subject's prohibitions and conditions, validity.

Identity details the secretary does not have are printed as blank lines to be
filled by hand. Every identity field is marked ``x-personal`` so validation
never quotes it; the heading (the only text the register keeps) holds no
personal data, and outputs get restrictive file permissions
(``personal_data=True``).
"""
from __future__ import annotations

import re
from datetime import date

from docgen.api import (CASES, Column, DATE, DOCUMENT_KINDS, DocumentType, Field, GENDER, RenderInfo, SheetSpec,
                        agree_phrase, common_fields, detect_gender, document_schema, format_date_long,
                        format_date_short, hookimpl, in_sentence, inflect_name, inflect_position, initials_before,
                        issued_word, normalize_spaces, organization_name, parse_date)

TYPE_ID = "consent"
DISSEMINATION_ID = "consent_dissemination"
HEADING = "Согласие на обработку персональных данных"
DISSEMINATION_HEADING = "Согласие на обработку персональных данных, разрешённых для распространения"

ADULT_AGE, TEEN_AGE = 18, 14
BLANK_SHORT, BLANK_MEDIUM, BLANK_LONG = "_" * 8, "_" * 12, "_" * 30

DEFAULT_PURPOSE = (
    "участие в программе наставничества Оператора; персонифицированный учёт наставников и наставляемых; "
    "мониторинг реализации программы наставничества"
)
DEFAULT_DATA = (
    "фамилия, имя, отчество",
    "дата рождения",
    "адрес места жительства",
    "данные документа, удостоверяющего личность",
    "место учёбы (класс) или работы, должность",
    "телефон, адрес электронной почты",
    "сведения об участии в программе наставничества (роль, форма, наставническая пара или группа, результаты)",
)
DEFAULT_DISSEMINATION_DATA = ("фамилия, имя, отчество", "класс или должность", "роль в программе наставничества",
                              "фотографии и видеозаписи с мероприятий программы наставничества")
PARENT_RELATIONS = ("мать", "отец", "родитель")
RELATIONS = PARENT_RELATIONS + ("опекун", "попечитель", "усыновитель", "усыновительница", "приёмный родитель",
                                "приёмная мать", "приёмный отец")
DEFAULT_DISSEMINATION_PURPOSE = (
    "информирование о ходе и результатах программы наставничества на официальных информационных ресурсах Оператора"
)

PERSONAL_TEXT = {"type": "string", "x-personal": True}

IDENTITY_DOCUMENT = {
    "type": "object",
    "title": "документ, удостоверяющий личность (паспорт, свидетельство о рождении, вид на жительство, паспорт "
             "иностранного гражданина, удостоверение беженца …); пустые поля печатаются линиями",
    "x-personal": True,
    "properties": {
        "kind": {"type": "string", "title": "вид документа (паспорт, свидетельство о рождении, вид на жительство …)"},
        "series": {**PERSONAL_TEXT, "title": "серия"},
        "number": {**PERSONAL_TEXT, "title": "номер"},
        "issued_by": {**PERSONAL_TEXT, "title": "кем выдан"},
        "issued_on": {**DATE, "title": "дата выдачи", "x-personal": True},
    },
}

CONTACTS = {
    "type": "object",
    "title": "контакты субъекта (телефон, электронная почта или почтовый адрес)",
    "x-personal": True,
    "properties": {
        "phone": {**PERSONAL_TEXT, "title": "телефон"},
        "email": {**PERSONAL_TEXT, "title": "электронная почта"},
        "address": {**PERSONAL_TEXT, "title": "почтовый адрес"},
    },
}


def person_schema(title: str, **extra: dict) -> dict:
    """A data subject or representative: ФИО plus identity details, every one hidden in messages."""
    return {
        "type": "object",
        "title": title,
        "properties": {
            "name": {"type": "string", "minLength": 1, "pattern": r"\S", "title": "ФИО"},
            "gender": GENDER,
            "cases": CASES,
            "birth_date": {**DATE, "title": "дата рождения", "x-personal": True},
            "address": {**PERSONAL_TEXT, "title": "адрес места жительства"},
            "document": IDENTITY_DOCUMENT,
            "contacts": CONTACTS,
            **extra,
        },
        "required": ["name"],
    }


SUBJECT = person_schema("субъект персональных данных (чьи данные обрабатываются)")
AUTHORITY_DOCUMENT = {**IDENTITY_DOCUMENT,
                      "title": "документ, подтверждающий полномочия представителя (свидетельство о рождении ребёнка, "
                               "акт органа опеки о назначении опекуна, доверенность …)"}
REPRESENTATIVE = person_schema(
    "законный представитель (обязателен, если субъекту нет 18 лет на дату согласия)",
    relation={"type": "string", "title": "кем приходится субъекту (мать, отец, опекун, попечитель, усыновитель)"},
    authority={**PERSONAL_TEXT, "title": "основание полномочий одной строкой (например: мать, свидетельство о рождении "
                                         "серия … № …) — если не заполнены «relation» и «authority_document»"},
    authority_document=AUTHORITY_DOCUMENT,
)
THIRD_PARTY = {
    "type": "object",
    "title": "третье лицо, обрабатывающее данные по поручению оператора (если есть)",
    "properties": {"name": {"type": "string", "minLength": 1, "title": "наименование"},
                   "address": {"type": "string", "title": "адрес"}},
    "required": ["name"],
}
DATA_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}

SCHEMA = document_schema(
    TYPE_ID,
    HEADING + " (152-ФЗ, ст. 9); одно согласие на человека. Согласие на распространение (ст. 10.1) — "
              "отдельный тип consent_dissemination",
    {
        "role": {"type": "string", "title": "роль в программе (наставник, наставляемый, куратор)"},
        "subject": SUBJECT,
        "representative": REPRESENTATIVE,
        "purpose": {"type": "string", "minLength": 1, "title": "цель обработки (по умолчанию — программа наставничества)"},
        "personal_data": {**DATA_LIST, "title": "перечень обрабатываемых персональных данных (по умолчанию — типовой)"},
        "third_party": THIRD_PARTY,
        "valid_until": {**DATE, "title": "срок действия согласия (по умолчанию — до окончания участия в программе)"},
    },
    ["subject"],
)

DISSEMINATION_SCHEMA = document_schema(
    DISSEMINATION_ID,
    DISSEMINATION_HEADING + " (152-ФЗ, ст. 10.1): отдельный документ, напр. для публикации ФИО и фото на сайте школы",
    {
        "role": SCHEMA["properties"]["role"],
        "subject": SUBJECT,
        "representative": REPRESENTATIVE,
        "purpose": {"type": "string", "minLength": 1, "title": "цель распространения"},
        "allowed_data": {**DATA_LIST, "title": "категории и перечень данных, разрешённых к распространению"},
        "resources": {**DATA_LIST, "title": "информационные ресурсы оператора (по умолчанию — сайт из docgen.toml)"},
        "prohibitions": {"type": "string", "title": "запреты и условия обработки, установленные субъектом "
                                                    "(по умолчанию — не установлены)"},
        "valid_until": {**DATE, "title": "срок действия согласия"},
    },
    ["subject"],
)


# --- ages and checks -------------------------------------------------------------------


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def subject_age(data: dict) -> int | None:
    birth = parse_date(data["subject"].get("birth_date"))
    on = parse_date(data.get("date")) or date.today()
    return age_on(birth, on) if birth else None


def check(data: dict) -> list[tuple[tuple, str]]:
    """A minor needs a representative; genders must be known. Messages never quote personal data."""
    problems = []
    age = subject_age(data)
    if age is not None and age < 0:
        problems.append((("subject", "birth_date"), "дата рождения позже даты согласия — проверьте даты"))
    elif age is not None and age < ADULT_AGE and not data.get("representative"):
        problems.append((("representative",),
                         "субъекту на дату согласия нет 18 лет: согласие даёт законный представитель (родитель, "
                         "усыновитель, опекун). Заполните сведения о законном представителе (поле representative): ФИО, "
                         "адрес, документ и основание полномочий"))
    for key in ("subject", "representative"):
        person = data.get(key)
        if person and detect_gender(person["name"], person.get("gender")) is None:
            problems.append(((key, "gender"), "по ФИО не удалось определить пол: укажите пол — «м» или «ж»"))
    return problems


# --- the pieces of text ----------------------------------------------------------------------


def identity(person: dict) -> str:
    """«паспорт серия 4510 № 123456, выдан 14.05.2015, кем выдан: …»: the verb follows the document's gender
    (свидетельство — выдано); what is missing is a labelled blank line."""
    return document_requisites(person.get("document") or {}, f"документ {BLANK_MEDIUM} (вид)")


def document_requisites(doc: dict, blank_kind: str) -> str:
    issued_on = parse_date(doc.get("issued_on"))
    kind = normalize_spaces(doc.get("kind") or "") or blank_kind
    issued = issued_word(kind)
    when = format_date_short(issued_on) if issued_on else f"{BLANK_SHORT} (дата)"
    issuer = normalize_spaces(doc.get("issued_by") or "") or BLANK_LONG
    series = f" серия {doc.get('series') or BLANK_SHORT}" if doc.get("series") or not doc.get("number") else ""
    return (f"{kind}{series} №\u00a0{doc.get('number') or BLANK_MEDIUM}, {issued} {when}, "
            f"кем {issued}: {issuer}")


def split_authority(text: str) -> tuple[str, str]:
    """«мать, свидетельство о рождении II-ДН № 1» → («мать», «свидетельство о рождении II-ДН № 1»)."""
    head, _, rest = normalize_spaces(text or "").partition(",")
    if head.strip().casefold() in RELATIONS:
        return head.strip(), rest.strip()
    if normalize_spaces(text or "").casefold() in RELATIONS:
        return normalize_spaces(text), ""
    return "", normalize_spaces(text or "")


def relation_phrase(relation: str) -> str:
    """«(матерью)», «(опекуном)»: the relation in the instrumental, after «являясь законным представителем»."""
    return f" ({inflect_position(in_sentence(relation), 'instrumental')})" if relation else ""


def authority_phrase(representative: dict, subject: dict) -> str:
    """«полномочия законного представителя подтверждаются свидетельством о рождении …» (ст. 9 ч. 4 п. 2).

    The confirming document is named in the instrumental with its requisites;
    a parent without one refers to the subject's birth certificate; otherwise a
    labelled blank line is left for the document's name and requisites.
    """
    relation, typed = split_authority(representative.get("authority") or "")
    relation = normalize_spaces(representative.get("relation") or "") or relation
    lead = "полномочия законного представителя подтверждаются"
    document = representative.get("authority_document")
    if document and document.get("kind"):
        kind = normalize_spaces(document["kind"])
        requisites = document_requisites(document, kind)[len(kind):]
        return f"{lead} {inflect_position(kind, 'instrumental')}{requisites}"
    if typed:
        return f"{lead} {inflect_position(typed, 'instrumental')}"
    subject_kind = normalize_spaces((subject.get("document") or {}).get("kind") or "").casefold()
    if relation.casefold() in PARENT_RELATIONS:
        if subject_kind.startswith("свидетельство о рождении"):
            return f"{lead} свидетельством о рождении Субъекта, указанным выше"
        return f"{lead} свидетельством о рождении Субъекта серия {BLANK_SHORT} №\u00a0{BLANK_MEDIUM}"
    return f"{lead} документом: {BLANK_LONG} (наименование и реквизиты документа)"


def contacts(person: dict) -> str:
    given = person.get("contacts") or {}
    parts = [f"телефон {given.get('phone') or BLANK_MEDIUM}", f"электронная почта {given.get('email') or BLANK_MEDIUM}"]
    if given.get("address"):
        parts.append(f"почтовый адрес {given['address']}")
    return ", ".join(parts)


def person_context(person: dict) -> dict:
    gender = detect_gender(person["name"], person.get("gender"))
    birth = parse_date(person.get("birth_date"))
    given = person.get("contacts") or {}
    return {
        "name": normalize_spaces(person["name"]),
        "genitive": inflect_name(person["name"], "genitive", gender, person.get("cases")),
        "gender": gender,
        "signature": initials_before(person["name"], "nominative", gender),
        "birth": format_date_short(birth) if birth else BLANK_MEDIUM,
        "address": person.get("address") or BLANK_LONG,
        "has_address": bool(person.get("address")),
        "document": identity(person),
        "has_document": bool(person.get("document")),
        "contacts": contacts(person),
        "has_contacts": bool(given.get("phone") or given.get("email") or given.get("address")),
        "relation": relation_phrase(normalize_spaces(person.get("relation") or "")
                                    or split_authority(person.get("authority") or "")[0]),
    }


def variant(data: dict) -> str:
    """adult | under14 | teen | represented (an adult for whom a representative signs)."""
    if not data.get("representative"):
        return "adult"
    age = subject_age(data)
    if age is None or age >= ADULT_AGE:
        return "represented"
    return "under14" if age < TEEN_AGE else "teen"


def operator(org: dict) -> str:
    """«Муниципальному бюджетному … учреждению «…» (МБОУ «…»), ИНН …, ОГРН …, адрес: …» — in the dative,
    an apposition to «даю согласие оператору»."""
    parts = [organization_name(org, "dative") + (f" ({org['short_name']})" if org.get("short_name") else "")]
    if org.get("inn"):
        parts.append(f"ИНН {org['inn']}")
    if org.get("ogrn"):
        parts.append(f"ОГРН {org['ogrn']}")
    parts.append(f"адрес: {org.get('address') or BLANK_LONG}")
    return ", ".join(parts)


def role_phrase(data: dict) -> str:
    """« в качестве наставляемой»: the role in the genitive, agreeing with the subject («наставник» stays)."""
    role = in_sentence(data.get("role") or "")
    if not role:
        return ""
    subject = data["subject"]
    gender = detect_gender(subject["name"], subject.get("gender"))
    return f" в качестве {agree_phrase(inflect_position(role, 'genitive'), gender)}"


def validity(data: dict, default: str) -> str:
    until = parse_date(data.get("valid_until"))
    return f"до {format_date_long(until)}" if until else default


def common_context(data: dict, info: RenderInfo) -> dict:
    subject = person_context(data["subject"])
    representative = person_context(data["representative"]) if data.get("representative") else None
    kind = variant(data)
    signer = representative or subject
    return {
        "variant": kind,
        "subject": subject,
        "representative": representative,
        "signer_person": signer,
        "countersign": kind == "teen",
        "authority": authority_phrase(data["representative"], data["subject"]) if representative else "",
        "operator": operator(info.organization),
        "role_phrase": role_phrase(data),
        "place": info.organization.get("place", ""),
    }


def build_context(data: dict, info: RenderInfo) -> dict:
    third = data.get("third_party")
    return {
        **common_context(data, info),
        "purpose": in_sentence(data.get("purpose") or DEFAULT_PURPOSE).rstrip(".;, "),
        "data_list": list(data.get("personal_data") or DEFAULT_DATA),
        "third_party": f"{third['name']}" + (f", адрес: {third['address']}" if third.get("address") else "") if third else "",
        "validity": validity(data, "до окончания участия в программе наставничества и истечения установленных "
                                   "законодательством сроков хранения документов"),
        "revoke_address": info.organization.get("address") or BLANK_LONG,
    }


def purpose_after_in_order_to(purpose: str) -> str:
    """«информирование о …» → «информирования о …»: each listed purpose in the genitive after «в целях»."""
    parts = [in_sentence(p) for p in re.split(r";", purpose) if p.strip()]
    declined = []
    for part in parts:
        part = part.rstrip(".,: ")
        first, _, rest = part.partition(" ")
        if first.casefold() in ("цель", "цели", "целях"):
            part = in_sentence(rest)
        declined.append(inflect_position(part, "genitive"))
    return "; ".join(declined)


def build_dissemination_context(data: dict, info: RenderInfo) -> dict:
    org = info.organization
    resources = list(data.get("resources") or ([f"https://{org['site']}".replace("https://http", "http")]
                                               if org.get("site") else [BLANK_LONG]))
    return {
        **common_context(data, info),
        "purpose": purpose_after_in_order_to(data.get("purpose") or DEFAULT_DISSEMINATION_PURPOSE),
        "allowed_data": list(data.get("allowed_data") or DEFAULT_DISSEMINATION_DATA),
        "resources": resources,
        "prohibitions": data.get("prohibitions") or "не устанавливаю",
        "validity": validity(data, "до окончания участия в программе наставничества или до дня отзыва согласия"),
    }


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(DocumentType(
        order=3,
        id=TYPE_ID, title=HEADING, schema=SCHEMA, template="consent.docx",
        build_context=build_context, heading=lambda data: HEADING, check=check,
        kind_label="Согласие", series="consents", aliases=("согласие", "согласие на обработку пд"),
        personal_data=True, sheet=SHEET,
    ))
    registry.add(DocumentType(
        order=6,
        id=DISSEMINATION_ID, title=DISSEMINATION_HEADING, schema=DISSEMINATION_SCHEMA,
        template="consent_dissemination.docx", build_context=build_dissemination_context,
        heading=lambda data: DISSEMINATION_HEADING, check=check,
        kind_label="Согласие на распространение", series="consents",
        aliases=("согласие на распространение", "согласие на распространение пд"),
        personal_data=True,
    ))


# --- spreadsheet form (owned by the spreadsheet intake; keep edits to this block) ---------------

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
        Column("representative.relation", "Кем приходится", ("Степень родства", "Кем приходится ребёнку"),
               choices=RELATIONS, width=18, example="мать"),
        Column("representative.authority", "Основание полномочий", ("Документ, подтверждающий полномочия",), width=36,
               example="свидетельство о рождении II-ДН № 123456",
               hint="документ, подтверждающий полномочия; для родителя можно не заполнять — подойдёт свидетельство "
                    "о рождении ребёнка"),
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
         "representative.name": "Петрова Анна Викторовна", "representative.relation": "мать",
         "representative.document.kind": "паспорт"},
        {"subject.name": "Иванова Мария Петровна", "subject.birth_date": "02.11.1985", "role": "наставник",
         "subject.document.kind": "паспорт"},
    ),
)
