"""Validation: which type a raw document is, whether its data fits the type's schema.

Every problem in a file is collected (not just the first) and said in Russian
with its place. Dates are normalised to ISO here, and names typed in capitals or small letters to
«Иванова Мария Петровна», so later steps see one form.
"""
from __future__ import annotations

import re

from dataclasses import dataclass
from datetime import date
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from .doctypes import DocumentType, TypeRegistry
from .errors import InputError, Problem
from .rawdocument import RawDocument
from .russian import name_letters
from .schemas import parse_date
from .bounds import MAX_DOCUMENTS, YEARS, date_in_range, harden, value_problems

FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("date")
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parsed = parse_date(value)
    return parsed is not None and date_in_range(parsed)


TYPE_NAMES = {
    "string": "текст", "integer": "целое число", "number": "число", "object": "группа полей",
    "array": "список", "boolean": "да/нет", "null": "пусто",
}


@dataclass
class ValidDocument:
    """One valid document, ready to be numbered and rendered."""

    type: DocumentType
    data: dict
    raw: RawDocument
    date: date

    @property
    def index(self) -> int:
        return self.raw.index


def type_of_document(raw: RawDocument, registry: TypeRegistry) -> DocumentType:
    """The type a document names in its «type» field (else its reader's hint), by id, title or alias."""
    name = raw.data.get("type") or raw.type_hint
    if not name:
        raise InputError(raw.problem(("type",), f"не указан тип документа. {registry.known_list()}"))
    doc_type = registry.find(str(name))
    refusal = registry.refusal(str(name)) if doc_type is None else None
    if refusal:
        raise InputError(raw.problem(("type",), f"{refusal}. Номер не выдан; когда шаблон исправят, положите файл снова"))
    if doc_type is None:
        raise InputError(raw.problem(("type",), f"неизвестный тип документа «{name}». {registry.known_list()}"))
    return doc_type


def normalize_values(schema: dict, value: Any) -> Any:
    """Walk the data along its schema and normalise each leaf (:func:`normalized_leaf`)."""
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        for key, sub in schema["properties"].items():
            if key in value:
                value[key] = normalize_values(sub, value[key])
        return value
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [normalize_values(schema["items"], item) for item in value]
    return normalized_leaf(schema, value)


def normalized_leaf(schema: dict, value: Any) -> Any:
    """A date the schema marks ``format: date`` → ISO text when it is a real date; a ФИО (a string field titled
    «ФИО…») typed in capitals or small letters → «Иванова Мария Петровна» (``russian.name_letters``)."""
    if schema.get("format") == "date" and value is not None and not isinstance(value, (int, float, bool)):
        parsed = parse_date(value)
        return parsed.isoformat() if parsed else value
    if isinstance(value, str) and str(schema.get("title", "")).startswith("ФИО"):
        return name_letters(value)
    return value


def field_title(schema: dict, path: tuple) -> str:
    """The Russian title of the schema node a path leads to, if it has one."""
    node: Any = schema
    for part in path:
        if not isinstance(node, dict):
            return ""
        node = node.get("items") if isinstance(part, int) else node.get("properties", {}).get(part)
    return node.get("title", "") if isinstance(node, dict) else ""


def is_personal(schema: dict, path: tuple) -> bool:
    """Whether the field a path leads to, or any group it is in, is marked ``x-personal``."""
    node: Any = schema
    for part in path:
        if not isinstance(node, dict):
            return False
        if node.get("x-personal"):
            return True
        node = node.get("items") if isinstance(part, int) else (node.get("properties") or {}).get(part)
    return isinstance(node, dict) and bool(node.get("x-personal"))


def russian_choices(values: list) -> list:
    """The choices to name to the secretary: the Russian ones when a list also accepts English ids («bonus»)."""
    russian = [v for v in values if isinstance(v, str) and re.search("[а-яё]", v, re.IGNORECASE)]
    return russian or list(values)


HIDDEN = "значение (скрыто: персональные данные)"


def quoted(error: Any, schema: dict | None = None, personal_type: bool = False) -> str:
    """The offending value as quoted in a message, unless the field (or the whole type) holds personal data."""
    if (isinstance(error.schema, dict) and error.schema.get("x-personal")) or (
            schema is not None and is_personal(schema, tuple(error.absolute_path))):
        return HIDDEN
    if personal_type:  # a file of personal data: no value of it is quoted, not even a date or a choice
        return "значение (не показано: в файле персональные данные)"
    if not isinstance(error.instance, (str, int, float)) or isinstance(error.instance, bool):
        return "значение"
    text = str(error.instance)
    return f"«{text[:80]}…»" if len(text) > 80 else f"«{text}»"


def schema_error_russian(error: Any, schema: dict, personal_type: bool = False) -> tuple[tuple, str]:
    """One jsonschema error as (path, Russian message); personal data is never quoted."""
    def shown(error: Any) -> str:
        return quoted(error, schema, personal_type)

    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        title = field_title(schema, path + (missing,))
        return path + (missing,), "не заполнено" + (f" ({title})" if title else "")
    title = field_title(schema, path)
    suffix = f" ({title})" if title else ""
    if kind == "format" and error.validator_value == "date":
        return path, (f"{shown(error)} — не дата или такой даты нет (год — от {YEARS[0]} до {YEARS[1]}); "
                      f"нужна дата вида 31.08.2023{suffix}")
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = " или ".join(TYPE_NAMES.get(w, w) for w in wanted)
        return path, f"ожидается {names}{suffix}"
    if kind == "enum":
        allowed = ", ".join(f"«{v}»" for v in russian_choices(error.validator_value))
        return path, f"{shown(error)} — недопустимое значение; допустимы: {allowed}{suffix}"
    if kind in ("minLength", "pattern") and isinstance(error.instance, str) and not error.instance.strip():
        return path, "не заполнено" + suffix
    if kind == "pattern":
        return path, f"{shown(error)} — неверный формат{suffix}"
    if kind == "maxItems":
        return path, f"список слишком длинный (допускается до {error.validator_value}){suffix}"
    if kind == "minItems":
        return path, f"список пуст, нужен хотя бы {error.validator_value} элемент{suffix}"
    if kind in ("minimum", "exclusiveMinimum"):
        return path, f"значение {shown(error)} слишком мало (не меньше {error.validator_value}){suffix}"
    if kind in ("maximum", "exclusiveMaximum"):
        return path, f"значение {shown(error)} слишком велико (не больше {error.validator_value}){suffix}"
    if kind == "maxLength":
        return path, f"слишком длинный текст (не больше {error.validator_value} знаков){suffix}"
    if kind in ("oneOf", "anyOf"):
        return path, f"данные не подходят ни под один из вариантов{suffix}"
    return path, f"ошибка в данных (правило «{kind}»){suffix}"


_VALIDATORS: dict[int, tuple[dict, Draft202012Validator]] = {}


def schema_problems(raw: RawDocument, schema: dict, personal_type: bool = False) -> list[Problem]:
    cached = _VALIDATORS.get(id(schema))
    if cached is None or cached[0] is not schema:  # a freed schema's id may be reused
        cached = _VALIDATORS[id(schema)] = (schema, Draft202012Validator(harden(schema), format_checker=FORMAT_CHECKER))
    problems = []
    for error in sorted(cached[1].iter_errors(raw.data), key=lambda e: list(map(str, e.absolute_path))):
        path, message = schema_error_russian(error, schema, personal_type)
        problems.append(raw.problem(path, message))
    return problems


def personal_values(schema: dict, data: Any, personal_type: bool) -> set[str]:
    """Texts of personal fields (all texts of a personal type) that a message must never repeat."""
    found: set[str] = set()
    stack = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((path + (k,), v) for k, v in value.items() if k != "type")
        elif isinstance(value, list):
            stack.extend((path + (i,), v) for i, v in enumerate(value))
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            text = str(value).strip()
            if len(text) >= 4 and (personal_type or is_personal(schema, path)):
                found.add(text)
    return found


def redact(message: str, secrets: set[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in message:
            message = message.replace(secret, "… (скрыто: персональные данные)")
    return message


def validate_raw(raw: RawDocument, registry: TypeRegistry, hooks: Any) -> ValidDocument:
    """Type, normalise and check one raw document; raise InputError with every problem."""
    doc_type = type_of_document(raw, registry)
    raw.data["type"] = doc_type.id
    raw.data, out_of_bounds = value_problems(raw.data)
    bounded = [raw.problem(path, message) for path, message in out_of_bounds]
    raw.data = normalize_values(doc_type.schema, raw.data)
    problems = schema_problems(raw, doc_type.schema, doc_type.personal_data)
    problems = bounded + [p for p in problems if p.where not in {b.where for b in bounded}]
    if not problems:
        found = list(doc_type.check(raw.data)) if doc_type.check else []
        found += hooks.check_document(doc_type, raw.data)
        problems = [raw.problem(tuple(path), message) for path, message in found]
        secrets = personal_values(doc_type.schema, raw.data, doc_type.personal_data)
        problems = [Problem(p.where, redact(p.message, secrets)) for p in problems]
    if problems:
        raise InputError(problems)
    given = raw.data.get("date") or (doc_type.document_date(raw.data) if doc_type.document_date else None)
    doc_date = parse_date(given) if given else date.today()
    return ValidDocument(doc_type, raw.data, raw, doc_date)


def validate_all(raws: list[RawDocument], registry: TypeRegistry, hooks: Any) -> list[ValidDocument]:
    """Validate every document of one file; the file fails whole if any one fails."""
    if len(raws) > MAX_DOCUMENTS:
        raise InputError(f"В файле {len(raws)} документов; за один раз принимается до {MAX_DOCUMENTS}. "
                         "Разделите файл на несколько.")
    documents, problems = [], []
    for raw in raws:
        try:
            documents.append(validate_raw(raw, registry, hooks))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(list(dict.fromkeys(problems)))  # a shared field (one cell) is reported once, not per document
    return documents
