"""Reading input files into raw documents: JSON here, spreadsheets in ``spreadsheets``.

A ``RawDocument`` is one document's data as typed, plus a way to say in
Russian where a field came from (a JSON path or a sheet, row and column).
This module is also the default ``docgen_read_input`` implementation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .hookspecs import hookimpl
from .errors import InputError, NotAnInput, Problem
from .sandbox import Limits, run_parser

JSON_SUFFIXES = {".json"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".ods", ".csv"}
INPUT_SUFFIXES = JSON_SUFFIXES | SHEET_SUFFIXES


def json_location(index: int, total: int) -> Callable[[tuple], str]:
    """Where a JSON field is, as a secretary reads it: «Документ 2, поле pairs[1].mentor.name»."""

    def where(path: tuple) -> str:
        parts = ""
        for item in path:
            parts += f"[{item + 1}]" if isinstance(item, int) else (f".{item}" if parts else str(item))
        prefix = f"Документ {index + 1}" if total > 1 else ""
        if parts:
            return f"{prefix}, поле «{parts}»" if prefix else f"Поле «{parts}»"
        return prefix

    return where


@dataclass
class RawDocument:
    """One document's data as read from an input, before validation."""

    data: dict
    index: int
    where: Callable[[tuple], str] = field(default=lambda path: "")
    type_hint: str | None = None

    def problem(self, path: tuple, message: str) -> Problem:
        return Problem(self.where(path), message)


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


def check_size(path: Path, max_mb: float) -> None:
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise InputError(
            f"Файл слишком большой ({size / 1024 / 1024:.1f} МБ; допускается до {max_mb:g} МБ). "
            "Разделите его на несколько файлов."
        )


@hookimpl(trylast=True)
def docgen_read_input(path: Path, name: str, registry: Any, settings: Any) -> list[RawDocument] | None:
    suffix = path.suffix.lower()
    if suffix not in INPUT_SUFFIXES:
        raise NotAnInput(f"{path.name}: не входной файл docgen")
    check_size(path, settings.inbox.max_file_mb)
    if suffix in JSON_SUFFIXES:
        return read_json_documents(path, Limits.from_settings(settings))
    from .sheets.intake import read_spreadsheet

    return read_spreadsheet(path, registry, settings, name)
