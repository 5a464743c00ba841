"""Reports for the secretary: the Russian text set beside a failed input, and run summaries."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .errors import DocgenError, InputError

REPORT_SUFFIX = " — ОШИБКИ.txt"


def report_path(failed_input: Path) -> Path:
    return failed_input.with_name(failed_input.name + REPORT_SUFFIX)


def failure_text(name: str, error: DocgenError, duplicate: bool = False) -> str:
    lines = [f"Файл: {name}", f"Проверен: {datetime.now():%d.%m.%Y %H:%M}", ""]
    if duplicate:
        lines += ["ПОВТОРНЫЙ ФАЙЛ.", error.russian(), ""]
    else:
        lines += ["Документы по этому файлу НЕ созданы, регистрационные номера НЕ выдавались.", ""]
        if isinstance(error, InputError):
            lines += ["Что исправить:"] + [f"  {i}. {p.russian()}" for i, p in enumerate(error.problems, 1)]
        else:
            lines += ["Причина:", f"  {error.russian()}"]
        lines += ["", "Исправьте файл и положите его в папку inbox снова."]
    return "\r\n".join(lines) + "\r\n"


def write_failure_report(failed_input: Path, error: DocgenError, duplicate: bool = False) -> Path:
    """Write the report beside the failed input (UTF-8 with BOM so Notepad shows Cyrillic)."""
    path = report_path(failed_input)
    path.write_text(failure_text(failed_input.name, error, duplicate), encoding="utf-8-sig")
    return path
