"""An example regional plugin for docgen (Калининградская область).

What it adds, each through one documented hook:
- the type «Отчёт о реализации программы наставничества» for the municipal
  department (``docgen_register_types``; template ``doc_templates/mentoring_report.docx``);
- its own letterhead for the pair order: ``doc_templates/pair_order.docx``
  overrides the built-in template, found because it sits in this package's
  ``doc_templates/`` folder; the ministry's line comes from ``docgen_update_context``;
- the form of mentoring «Наставник – молодой специалист» (``docgen_closed_lists``);
- an optional СНИЛС in consents, its check digits verified
  (``docgen_extend_schema``, ``docgen_check_document``);
- a copy of each published report to the department's share, when
  ``docgen.toml`` says where (``docgen_document_published``)::

      [region_example]
      share = "/mnt/uo/nastavnichestvo"
      types = ["mentoring_report"]
"""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from docgen.api import hookimpl

from .report import TYPE_ID, mentoring_report

log = logging.getLogger("docgen.region_example")

REGION_MINISTRY = "Министерство образования Калининградской области"
MENTORING_FORMS = ["Наставник – молодой специалист"]
SNILS = {"type": "string", "pattern": r"^\d{3}-\d{3}-\d{3} \d{2}$", "title": "СНИЛС (123-456-789 01)",
         "x-personal": True}
SETTINGS_SECTION = "region_example"


@hookimpl
def docgen_register_types(registry) -> None:
    registry.add(mentoring_report())


@hookimpl
def docgen_update_context(doc_type, data: dict, context: dict) -> None:
    context["region_ministry"] = REGION_MINISTRY


@hookimpl
def docgen_closed_lists() -> dict[str, list[str]]:
    return {"mentoring_forms": MENTORING_FORMS}


@hookimpl
def docgen_extend_schema(doc_type, schema: dict) -> None:
    if doc_type.id != "consent":
        return
    for person in ("subject", "representative"):
        node = schema["properties"].get(person)
        if node is not None:
            node["properties"]["snils"] = dict(SNILS)


def snils_is_valid(snils: str) -> bool:
    """The check digits of a СНИЛС (numbers up to 001-001-998 carry none)."""
    digits = [int(c) for c in snils if c.isdigit()]
    number, control = digits[:9], digits[9] * 10 + digits[10]
    if int("".join(map(str, number))) <= 1001998:
        return True
    total = sum(d * (9 - i) for i, d in enumerate(number))
    expected = total if total < 100 else (0 if total in (100, 101) else total % 101 % 100)
    return control == expected


@hookimpl
def docgen_check_document(doc_type, data: dict) -> list[tuple[tuple, str]]:
    if doc_type.id != "consent":
        return []
    return [((person, "snils"), "СНИЛС с неверными контрольными цифрами: проверьте номер по карточке СНИЛС")
            for person in ("subject", "representative")
            if (data.get(person) or {}).get("snils") and not snils_is_valid(data[person]["snils"])]


@hookimpl
def docgen_document_published(document: dict, files: list[Path], settings) -> None:
    options = settings.plugin_config(SETTINGS_SECTION)
    share = options.get("share")
    if not share or document["type"] not in options.get("types", [TYPE_ID]):
        return
    target = Path(share)
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        partial = target / f".{path.name}.part"
        shutil.copyfile(path, partial)
        os.replace(partial, target / path.name)
    log.info("скопирован в %s: %s № %s", target, document["type"], document["number"])
