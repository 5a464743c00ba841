"""JSON Schema building blocks shared by document types: dates, persons, periods, common fields.

Plugins compose their type's schema with ``document_schema``; every type thus
accepts the common fields of INPUT.md (date, number, organization, signer,
executor). Titles are Russian: validation messages quote them.
"""
from __future__ import annotations

import copy
import re
from datetime import date, datetime

from .bounds import ORGANIZATION_FIELDS

DATE_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\s*$")

DATE = {"type": "string", "format": "date", "title": "дата (ДД.ММ.ГГГГ)"}

GENDER = {
    "type": "string",
    "pattern": r"^\s*(?i:m|f|м|ж|муж|жен|мужской|женский)\s*$",
    "title": "пол (м или ж)",
}

CASES = {
    "type": "object",
    "title": "формы ФИО в падежах",
    "properties": {
        case: {"type": "string", "minLength": 1}
        for case in ("genitive", "dative", "accusative", "instrumental", "prepositional")
    },
}


def person(title: str = "лицо", position_required: bool = False) -> dict:
    """A person: ФИО, position (or a pupil's class), optional gender and case forms."""
    schema = {
        "type": "object",
        "title": title,
        "properties": {
            "name": {"type": "string", "minLength": 1, "pattern": r"\S", "title": "ФИО"},
            "position": {"type": "string", "title": "должность или класс"},
            "gender": GENDER,
            "cases": CASES,
        },
        "required": ["name"],
    }
    if position_required:
        schema["required"] = ["name", "position"]
    return schema


PERIOD = {
    "type": "object",
    "title": "срок",
    "properties": {"from": {**DATE, "title": "дата начала"}, "to": {**DATE, "title": "дата окончания"}},
    "required": ["from", "to"],
}

EXECUTOR = {
    "type": "object",
    "title": "исполнитель",
    "properties": {"name": {"type": "string", "title": "ФИО исполнителя"}, "phone": {"type": "string", "title": "телефон"}},
    "required": ["name"],
}

COMMON_PROPERTIES = {
    "type": {"type": "string", "title": "тип документа"},
    "date": {**DATE, "title": "дата документа"},
    "number": {"type": ["string", "integer"], "title": "регистрационный номер, присвоенный ранее"},
    "organization": {
        "type": "object", "title": "реквизиты организации (замена настроек)",
        "properties": {key: {"type": "string", "title": title} for key, title in ORGANIZATION_FIELDS.items()},
    },
    "signer": person("подписывающее лицо"),
    "executor": EXECUTOR,
}


def document_schema(type_id: str, title: str, properties: dict, required: list[str]) -> dict:
    """A complete schema for one document type: its own properties plus the common ones."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"docgen:{type_id}",
        "title": title,
        "type": "object",
        "properties": {**copy.deepcopy(COMMON_PROPERTIES), **properties},
        "required": ["type", *required],
    }


def parse_date(value: object) -> date | None:
    """A date from ISO text, «31.08.2023», «31.08.23», or a date/datetime; None if not a real date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = DATE_RE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000
            return date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        return None
    except ValueError:
        return None


def gender_code(value: object) -> str | None:
    """Normalise «m/f/м/ж» (any case) to "m" or "f"."""
    if not isinstance(value, str):
        return None
    folded = value.strip().lower()
    if folded in ("m", "м", "муж", "мужской", "male"):
        return "m"
    if folded in ("f", "ж", "жен", "женский", "female"):
        return "f"
    return None
