"""The schema of ``docgen.toml``: every section and key it may hold, and its errors in Russian.

This is the one place a setting is declared. To add one, add its key to
``CONFIG_SCHEMA`` (a section: ``section(title, {...})``; a key: ``text``,
``number``, ``integer``, ``flag``, each with a Russian title). Anything not
declared here is refused with «возможно, вы имели в виду …». A plugin keeps
its own settings in a top-level section named as the plugin (its entry point
name, or its file's name in the workspace's ``plugins/``): such a section is
accepted as it is, and the plugin checks its content.

``check_config(raw)`` validates a parsed ``docgen.toml`` and raises
``ConfigError`` listing every problem as «docgen.toml, [section] key: what is
wrong». Series patterns, year starts and conversion servers' addresses are checked by
custom keywords (``seriesFormat``, ``monthDay``, ``serverAddress``); that each ``[documents]`` series exists is a
cross-check after the schema.
"""
from __future__ import annotations

import datetime
import difflib
import re
import string
from typing import Any, Iterator

import jsonschema
from jsonschema import Draft202012Validator, ValidationError

from .errors import DocgenError

CONFIG_NAME = "docgen.toml"
SERIES_FIELDS = {"n": "порядковый номер в году", "year": "год (2023)", "yy": "две последние цифры года (23)"}
RUSSIAN_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
                  "ноября", "декабря")


class ConfigError(DocgenError):
    """``docgen.toml`` cannot be used; carries every problem, each with its key path."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"Настройки {CONFIG_NAME} содержат ошибки (исправьте и запустите снова):\n"
                         + "\n".join(f"  - {p}" for p in problems))


# --- building blocks ----------------------------------------------------------------------------

def section(title: str, properties: dict, required: tuple[str, ...] = ()) -> dict:
    return {"type": "object", "title": title, "properties": properties, "required": list(required),
            "additionalProperties": False}


def text(title: str, **extra: Any) -> dict:
    return {"type": "string", "title": title, **extra}


def number(title: str, **extra: Any) -> dict:
    return {"type": "number", "title": title, **extra}


def integer(title: str, **extra: Any) -> dict:
    return {"type": "integer", "title": title, **extra}


def flag(title: str) -> dict:
    return {"type": "boolean", "title": title}


SERIES = section("серия регистрационных номеров", {
    "title": text("название журнала"),
    "format": text("формат номера", seriesFormat=True),
    "year_start": text("день начала года нумерации (ММ-ДД)", monthDay=True),
    "start": {"type": "object", "title": "с какого номера продолжить, по годам: start = { 2026 = 53 }",
              "propertyNames": {"pattern": "^[0-9]{4}$", "hint": "нужен год из четырёх цифр, например 2026"}, "additionalProperties": integer("первый номер", minimum=1)},
    "allow_out_of_order": flag("регистрировать документы, датированные раньше последнего"),
})
CASES = ("nominative", "genitive", "dative", "accusative", "instrumental", "prepositional")


def text_list(title: str) -> dict:
    return {"type": "array", "title": title, "items": {"type": "string"}}


def server_list(title: str) -> dict:
    return {"type": "array", "title": title, "items": {"type": "string", "serverAddress": True}}

CONFIG_SCHEMA: dict = section(CONFIG_NAME, {
    "demo": flag("демонстрационная рабочая папка вымышленной школы"),
    "organization": section("реквизиты организации", {
        "name": text("полное наименование по уставу", minLength=1),
        "short_name": text("сокращённое наименование"),
        "parent": text("вышестоящий орган"),
        "address": text("адрес"),
        "place": text("место издания документов"),
        "inn": text("ИНН"),
        "ogrn": text("ОГРН"),
        "phone": text("телефон"),
        "email": text("электронная почта"),
        "site": text("сайт"),
        "cases": section("полное наименование в падежах", {case: text(case) for case in CASES}),
    }, required=("name",)),
    "director": section("руководитель", {
        "name": text("ФИО руководителя", minLength=1),
        "position": text("должность руководителя"),
    }, required=("name",)),
    "series": {"type": "object", "title": "серии регистрационных номеров", "additionalProperties": SERIES},
    "documents": {"type": "object", "title": "серия каждого типа документа",
                  "additionalProperties": text("серия (\"\" — без номера)")},
    "inbox": section("папка inbox", {
        "polling": flag("опрашивать папку"),
        "poll_interval": number("интервал опроса, с", exclusiveMinimum=0),
        "stability_delay": number("сколько секунд файл не должен меняться", minimum=0),
        "rescan_interval": number("интервал полной проверки папки, с", exclusiveMinimum=0),
        "empty_file_timeout": number("срок для пустого файла, с", minimum=0),
        "max_file_mb": number("наибольший размер входного файла, МБ", exclusiveMinimum=0),
        "parse_timeout": number("сколько секунд может длиться чтение одного файла", exclusiveMinimum=0),
        "parse_memory_mb": integer("сколько памяти, МБ, может занять чтение одного файла", minimum=1),
    }),
    "conversion": section("создание PDF", {
        "enabled": flag("делать PDF"),
        "workers": integer("число процессов LibreOffice (0 — по числу ядер)", minimum=0),
        "timeout": number("сколько секунд ждать PDF одного документа", exclusiveMinimum=0),
        "restart_after": integer("перезапуск LibreOffice после стольких документов", minimum=1),
        "pdfa": flag("PDF/A-2b"),
        "combine": integer("сколько документов одного шаблона преобразовывать в PDF вместе (1 — по одному)",
                           minimum=1),
        "soffice": text("путь к soffice"),
        "warm": flag("держать LibreOffice запущенным"),
        "uno_python": text("Python с модулем uno"),
        "servers": server_list("серверы преобразования unoserver («адрес:порт»), в помощь своим LibreOffice"),
    }),
    "signing": section("электронные подписи", {
        "trusted_roots": text("папка сертификатов доверенных удостоверяющих центров"),
        "mark_signing_time": flag("печатать время подписания"),
        "qr": {"type": ["boolean", "array"], "title": "QR-код: true — у всех типов, список — у этих",
               "items": {"type": "string"}},
        "check_url": text("адрес страницы проверки"),
    }),
    "register": section("журнал регистрации", {
        "url": text("адрес базы PostgreSQL (без пароля); пусто — файл register.sqlite в рабочей папке"),
        "school": text("ключ школы в общей базе (по умолчанию — имя рабочей папки)", minLength=1),
        "password_file": text("файл с паролем к базе (иначе PGPASSWORD или ~/.pgpass)"),
        "retry_seconds": number("сколько секунд ждать занятую или недоступную базу, прежде чем вернуть файл в inbox",
                                minimum=0),
        "lease_seconds": number("срок аренды файла обработчиком без продления, с (другой обработчик заберёт файл)",
                                exclusiveMinimum=0),
    }),
    "service": section("много школ одним процессом (docgen watch --workspaces)", {
        "workspaces": text_list("рабочие папки школ или папки, в которых они лежат"),
        "rescan": number("через сколько секунд искать новые рабочие папки", exclusiveMinimum=0),
    }),
    "web": section("веб-кабинет", {
        "host": text("адрес, на котором слушает кабинет"),
        "port": integer("порт", minimum=1, maximum=65535),
        "consent_roles": text_list("кто открывает согласия"),
        "secure_cookies": flag("cookie только по HTTPS"),
    }),
}, required=("organization", "director"))


def schema_with_plugins(plugin_sections) -> dict:
    """The schema, with a free-form section for each plugin's own settings (``[region_example]``)."""
    if not plugin_sections:
        return CONFIG_SCHEMA
    extra = {name: {"type": "object", "title": f"настройки плагина {name}"}
             for name in plugin_sections if name not in CONFIG_SCHEMA["properties"]}
    return {**CONFIG_SCHEMA, "properties": {**CONFIG_SCHEMA["properties"], **extra}}


# --- custom keywords ----------------------------------------------------------------------------------

def series_format_problem(pattern: str) -> str | None:
    """Why a series pattern cannot number documents, or None."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError:
        return f"непарная фигурная скобка в формате номера «{pattern}»; подстановки пишутся так: {{n}}"
    unknown = [f for f in dict.fromkeys(fields) if f not in SERIES_FIELDS]
    allowed = ", ".join(f"{{{name}}} — {meaning}" for name, meaning in SERIES_FIELDS.items())
    if unknown:
        return (f"неизвестная подстановка {', '.join('{' + f + '}' for f in unknown)} в формате номера «{pattern}»; "
                f"можно: {allowed}")
    if "n" not in fields:
        return f"в формате номера «{pattern}» нет {{n}} — порядкового номера, без него номера совпадут; например \"{{n}}-од\""
    try:
        pattern.format(n=1, year=2023, yy="23")
    except (ValueError, IndexError) as exc:
        return f"формат номера «{pattern}» не применить: {exc}"
    return None


def month_day_problem(value: str) -> str | None:
    """Why a year start is not a day of the year written MM-DD, or None."""
    match = re.fullmatch(r"(\d{2})-(\d{2})", value)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            datetime.date(2024, month, day)  # a leap year: 02-29 is a day
            return None
        except ValueError:
            return f"«{value}»: такого дня нет; нужен день в виде ММ-ДД, например \"09-01\" для 1 сентября"
    hint = "\"09-01\" для 1 сентября"
    spoken = re.fullmatch(r"\s*(\d{1,2})\s+([а-яё]+)\s*", value.lower())
    if spoken and spoken.group(2) in RUSSIAN_MONTHS:
        hint = f"\"{RUSSIAN_MONTHS.index(spoken.group(2)) + 1:02d}-{int(spoken.group(1)):02d}\" для {value.strip()}"
    return f"«{value}» — не день в виде ММ-ДД (месяц-день); напишите, например, {hint}"


def server_address_problem(value: str) -> str | None:
    """Why «host:port» of a conversion server is not one, or None."""
    host, _, port = value.strip().rpartition(":")
    if host.strip("[]") and port.isdigit() and 0 < int(port) < 65536:
        return None
    return f"«{value}» — не адрес сервера; нужен «адрес:порт», например \"10.0.0.5:2003\""


def _custom(problem):
    def check(validator, enabled, instance, schema):
        if enabled and isinstance(instance, str):
            message = problem(instance)
            if message:
                yield ValidationError(message)
    return check


ConfigValidator = jsonschema.validators.extend(Draft202012Validator, {
    "seriesFormat": _custom(series_format_problem),
    "monthDay": _custom(month_day_problem),
    "serverAddress": _custom(server_address_problem),
})


# --- Russian messages -------------------------------------------------------------------------------------

TYPE_NAMES = {"string": "текст в кавычках", "number": "число", "integer": "целое число", "boolean": "true или false",
              "object": "раздел (таблица)", "array": "список"}


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"\"{value}\""
    if isinstance(value, dict):
        return "раздел"
    if isinstance(value, list):
        return "список"
    return str(value)


def key_path(raw: dict, path: list) -> str:
    """«[series.orders] format», «[inbox]», «demo»: where a key is, as the admin sees it in the file."""
    tables, node = [], raw
    for index, part in enumerate(path):
        value = node.get(part) if isinstance(node, dict) else None
        if isinstance(value, dict):
            tables.append(str(part))
            node = value
            continue
        rest = " ".join(str(p) for p in path[index:])
        return f"[{'.'.join(tables)}] {rest}" if tables else rest
    return f"[{'.'.join(tables)}]" if tables else CONFIG_NAME


def _suggest(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"; возможно, вы имели в виду «{close[0]}»" if close else ""


def russian_problems(error: ValidationError, raw: dict) -> Iterator[str]:
    """One ``jsonschema`` error as Russian lines «docgen.toml, [section] key: what is wrong»."""
    path = list(error.absolute_path)
    where = f"{CONFIG_NAME}, {key_path(raw, path)}"
    schema, keyword, instance = error.schema, error.validator, error.instance
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = schema.get("properties", {})
        for key in instance:
            if key not in known:
                kind = "раздел" if not path else "параметр"
                yield f"{CONFIG_NAME}, {key_path(raw, path + [key])}: неизвестный {kind}{_suggest(key, known)}"
        return
    if keyword == "required":
        for key in error.validator_value:
            if key not in instance:
                spec = schema.get("properties", {}).get(key, {})
                title = f" ({spec['title']})" if spec.get("title") else ""
                if spec.get("type") == "object":
                    yield f"{CONFIG_NAME}: нет обязательного раздела [{key}]{title}"
                else:
                    yield f"{where}: не указан обязательный параметр {key}{title}"
        return
    if keyword == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        expected = " или ".join(TYPE_NAMES.get(name, name) for name in wanted)
        yield f"{where}: должно быть {expected}, а указано {describe(instance)}"
        return
    bounds = {"minimum": "не меньше", "exclusiveMinimum": "больше", "maximum": "не больше", "exclusiveMaximum": "меньше"}
    if keyword in bounds:
        yield f"{where}: должно быть {bounds[keyword]} {error.validator_value:g}, а указано {describe(instance)}"
        return
    if keyword == "minLength":
        yield f"{where}: не заполнено"
        return
    if keyword == "enum":
        yield f"{where}: {describe(instance)} — недопустимое значение; можно: {', '.join(map(describe, error.validator_value))}"
        return
    if keyword == "pattern":
        yield f"{where}: «{instance}» — {schema.get('hint', 'неверный вид')}"
        return
    if keyword in ("seriesFormat", "monthDay", "serverAddress"):
        yield f"{where}: {error.message}"
        return
    yield f"{where}: недопустимое значение {describe(instance)}"


def cross_check(raw: dict) -> Iterator[str]:
    """What the schema alone cannot see: each ``[documents]`` series is described under ``[series]``."""
    series = raw.get("series", {})
    for type_id, key in raw.get("documents", {}).items():
        if key and key not in series:
            yield (f"{CONFIG_NAME}, [documents] {type_id}: серия «{key}» не описана (нет раздела [series.{key}])"
                   + _suggest(key, series))


def unknown_document_types(raw: dict, type_ids) -> list[str]:
    """``[documents]`` keys no loaded plugin registers (a typo numbers that type in its default series)."""
    known = list(type_ids)
    return [f"{CONFIG_NAME}, [documents] {type_id}: такого типа документа нет{_suggest(type_id, known)}"
            for type_id in raw.get("documents", {}) if type_id not in known]


def config_problems(raw: dict, plugin_sections=()) -> list[str]:
    """Every problem of a parsed ``docgen.toml`` as Russian lines, sorted by key path."""
    validator = ConfigValidator(schema_with_plugins(plugin_sections))
    errors = sorted(validator.iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path])
    problems = [line for error in errors for line in russian_problems(error, raw)]
    if not problems:
        problems = list(cross_check(raw))
    return list(dict.fromkeys(problems))


def check_config(raw: dict, plugin_sections=()) -> None:
    """Raise ``ConfigError`` unless ``raw`` (a parsed ``docgen.toml``) is a configuration docgen can use.

    ``plugin_sections``: names of plugins whose own top-level section is allowed.
    """
    problems = config_problems(raw, plugin_sections)
    if problems:
        raise ConfigError(problems)
