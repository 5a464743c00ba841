"""Reading input files into raw documents: JSON here, spreadsheets in ``docgen.sheets.intake``.

Every reader gives ``RawDocument``s (``docgen.rawdocument``). This module is also the default
``docgen_read_input`` implementation (JSON, xlsx, xlsm, ods, csv) and declares those suffixes
(``docgen_input_suffixes``), so the inbox watches them; it declares ``.xls`` too, only to set such a file
aside with a report saying how to save it as .xlsx (a file of an undeclared suffix is left alone, unreported).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import InputError, NotAnInput, Problem
from .hookspecs import hookimpl
from .rawdocument import RawDocument, json_location
from .sandbox import Limits, run_parser
from .sheets.files import OLD_EXCEL
from .sheets.intake import read_spreadsheet

JSON_SUFFIXES = {".json"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".ods", ".csv"}
REFUSED_SUFFIXES = {".xls": OLD_EXCEL}  # taken so the secretary gets a report saying what to do, never read
INPUT_SUFFIXES = JSON_SUFFIXES | SHEET_SUFFIXES | set(REFUSED_SUFFIXES)


def read_json_documents(path: Path, limits: Limits | None = None) -> list[RawDocument]:
    """Parse a JSON file holding one document object or an array of them (in a limited child process)."""
    payload: Any = run_parser("json", path, limits or Limits())
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise InputError("В файле нет ни одного документа (пустой список).")
    problems = [
        Problem(f"Документ {i + 1}", "ожидается объект в фигурных скобках { … } с полем \"type\".")
        for i, item in enumerate(items) if not isinstance(item, dict)
    ]
    if problems:
        raise InputError(problems)
    return [RawDocument(item, i, json_location(i, len(items))) for i, item in enumerate(items)]


def size_limit(max_mb: float) -> float:
    """The largest input in bytes for ``[inbox] max_file_mb``."""
    return max_mb * 1024 * 1024


def check_size(path: Path, max_mb: float) -> None:
    size = path.stat().st_size
    if size > size_limit(max_mb):
        raise InputError(
            f"Файл слишком большой ({size / 1024 / 1024:.1f} МБ; допускается до {max_mb:g} МБ). "
            "Разделите его на несколько файлов."
        )


@hookimpl(trylast=True)
def docgen_input_suffixes() -> list[str]:
    return sorted(INPUT_SUFFIXES)


@hookimpl(trylast=True)
def docgen_read_input(path: Path, name: str, registry: Any, settings: Any) -> list[RawDocument] | None:
    suffix = path.suffix.lower()
    if suffix not in INPUT_SUFFIXES:
        raise NotAnInput(f"{path.name}: не входной файл docgen")
    if suffix in REFUSED_SUFFIXES:
        raise InputError(REFUSED_SUFFIXES[suffix])
    check_size(path, settings.inbox.max_file_mb)
    if suffix in JSON_SUFFIXES:
        return read_json_documents(path, Limits.from_settings(settings))
    return read_spreadsheet(path, registry, settings, name)
