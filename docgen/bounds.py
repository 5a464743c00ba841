"""The bounds every input value keeps before a template or the register may touch it.

Owns the type-agnostic half of validation (the schema is the other half):
every text is checked for lone surrogates, control characters, direction
overrides and other invisible format characters (the harmless invisible ones
— zero-width spaces, soft hyphens, a stray BOM — are removed), and for its
length; every number must be finite and of a sane size; lists, keys and
nesting are bounded; a file holds a bounded number of documents. ``harden``
gives a type's schema the defaults it may lack: no negative numbers, a bounded
list length, the organisation's fields as text. Messages never quote a value.
"""
from __future__ import annotations

import copy
import math
import re
from datetime import date, datetime, time, timedelta
from typing import Any

MAX_TEXT = 10_000  # characters of one text value
MAX_KEY = 100  # characters of one field name
MAX_NUMBER = 10**12
MAX_DEPTH = 20
MAX_LIST_ITEMS = 5000  # default maxItems of every list a schema leaves unbounded
MAX_DOCUMENTS = 1000  # documents in one input file
YEARS = (1900, 2100)  # a date outside these years is a typing error

CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
SURROGATE_RE = re.compile("[\ud800-\udfff]")
BIDI_RE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
HARMLESS_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
FORMAT_RE = re.compile(  # Unicode category Cf, except the ones above
    "[\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u2061-\u2064\u206a-\u206f\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
SCALARS = (str, int, float, bool, type(None), date, datetime, time, timedelta)

ORGANIZATION_FIELDS = {
    "name": "полное наименование организации", "short_name": "краткое наименование", "parent": "учредитель",
    "address": "адрес", "place": "место составления (город)", "inn": "ИНН", "ogrn": "ОГРН", "phone": "телефон",
    "email": "электронная почта", "site": "сайт",
}


def code_point(character: str) -> str:
    return f"U+{ord(character):04X}"


def text_problem(text: str) -> str | None:
    """What is wrong with one text value (never quoting it), or None."""
    if SURROGATE_RE.search(text):
        return "в тексте повреждённый символ (одиночный суррогат UTF-16): сохраните файл в UTF-8 заново"
    found = CONTROL_RE.search(text)
    if found:
        return f"в тексте управляющий символ {code_point(found.group())}: удалите его"
    found = BIDI_RE.search(text)
    if found:
        return (f"в тексте невидимый знак смены направления письма {code_point(found.group())}: "
                "он искажает текст на экране, удалите его")
    found = FORMAT_RE.search(text)
    if found:
        return f"в тексте невидимый служебный символ {code_point(found.group())}: удалите его"
    if len(text) > MAX_TEXT:
        return f"слишком длинный текст ({len(text)} знаков; допускается до {MAX_TEXT})"
    return None


def number_problem(value: int | float) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return "не число (NaN или бесконечность): укажите число цифрами"
    if abs(value) > MAX_NUMBER:
        return "слишком большое число"
    return None


def clean_text(text: str) -> str:
    return HARMLESS_INVISIBLE_RE.sub("", text) if HARMLESS_INVISIBLE_RE.search(text) else text


def value_problems(data: Any) -> tuple[Any, list[tuple[tuple, str]]]:
    """``data`` with harmless invisible characters removed, and every (path, message) out of bounds."""
    problems: list[tuple[tuple, str]] = []

    def walk(value: Any, path: tuple, depth: int) -> Any:
        if depth > MAX_DEPTH:
            problems.append((path, f"вложенность данных глубже {MAX_DEPTH} уровней"))
            return value
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                problems.append((path, problem))
                return value
            return clean_text(value)
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, (int, float)):
            problem = number_problem(value)
            if problem:
                problems.append((path, problem))
            return value
        if isinstance(value, dict):
            result = type(value)() if type(value) is not dict else {}
            for key, item in value.items():
                if not isinstance(key, str) or len(key) > MAX_KEY or text_problem(key):
                    problems.append((path, "недопустимое имя поля (слишком длинное или со служебными символами)"))
                    continue
                result[key] = walk(item, path + (key,), depth + 1)
            return result
        if isinstance(value, list):
            if len(value) > MAX_LIST_ITEMS:
                problems.append((path, f"список слишком длинный ({len(value)}; допускается до {MAX_LIST_ITEMS})"))
                return value
            return [walk(item, path + (index,), depth + 1) for index, item in enumerate(value)]
        if isinstance(value, SCALARS):
            return value
        problems.append((path, "значение неподдерживаемого вида"))
        return value

    cleaned = walk(data, (), 1)
    return cleaned, problems


def date_in_range(value: date) -> bool:
    return YEARS[0] <= value.year <= YEARS[1]


# --- schema defaults ----------------------------------------------------------------------------------------


def organization_schema(existing: dict) -> dict:
    schema = copy.deepcopy(existing)
    properties = schema.setdefault("properties", {})
    for key, title in ORGANIZATION_FIELDS.items():
        properties.setdefault(key, {"type": "string", "title": title})
    return schema


def harden(schema: dict) -> dict:
    """A copy of a type's schema with safe defaults: numbers ≥ 0, lists bounded, organisation fields as text."""
    hardened = copy.deepcopy(schema)
    organization = hardened.get("properties", {}).get("organization")
    if isinstance(organization, dict):
        hardened["properties"]["organization"] = organization_schema(organization)
    stack = [hardened]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        types = node.get("type")
        types = set(types) if isinstance(types, list) else {types}
        if types & {"number", "integer"} and "minimum" not in node and "exclusiveMinimum" not in node:
            node["minimum"] = 0
        if "array" in types and "maxItems" not in node:
            node["maxItems"] = MAX_LIST_ITEMS
        for key in ("properties", "patternProperties", "$defs", "definitions"):
            if isinstance(node.get(key), dict):
                stack.extend(node[key].values())
        for key in ("items", "additionalProperties", "not", "if", "then", "else", "contains"):
            if isinstance(node.get(key), dict):
                stack.append(node[key])
        for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
            if isinstance(node.get(key), list):
                stack.extend(node[key])
    return hardened
