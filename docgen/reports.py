"""Reports for the secretary: the Russian text set beside a failed input, and run summaries."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from .errors import DocgenError, InputError

REPORT_SUFFIX = " — ОШИБКИ.txt"


def report_path(failed_input: Path) -> Path:
    return failed_input.with_name(failed_input.name + REPORT_SUFFIX)


def numbers_text(numbers: list[str]) -> str:
    return ", ".join(f"№\u00a0{n}" for n in numbers)


def outcome_lines(voided: list[str], published: list[str]) -> list[str]:
    """What happened to registration numbers: none drawn, or which were issued and which voided."""
    if not voided and not published:
        return ["Документы по этому файлу НЕ созданы, регистрационные номера НЕ выдавались."]
    lines = []
    if published:
        lines.append(f"Выпущены и остаются в силе: {numbers_text(published)}.")
    if voided:
        lines.append(f"Не выпущены; их номера аннулированы в журнале регистрации с указанием причины: "
                     f"{numbers_text(voided)}. При повторной обработке будут выданы новые номера.")
    return lines


def failure_text(name: str, error: DocgenError, duplicate: bool = False,
                 voided: list[str] | None = None, published: list[str] | None = None) -> str:
    lines = [f"Файл: {name}", f"Проверен: {datetime.now():%d.%m.%Y %H:%M}", ""]
    if duplicate:
        lines += ["ПОВТОРНЫЙ ФАЙЛ.", error.russian(), ""]
    else:
        lines += outcome_lines(voided or [], published or []) + [""]
        if isinstance(error, InputError):
            lines += ["Что исправить:"] + [f"  {i}. {p.russian()}" for i, p in enumerate(error.problems, 1)]
        else:
            lines += ["Причина:", f"  {error.russian()}"]
        lines += ["", "Исправьте файл и положите его в папку inbox снова."]
    return "\r\n".join(lines) + "\r\n"


def write_failure_report(failed_input: Path, error: DocgenError, duplicate: bool = False,
                         voided: list[str] | None = None, published: list[str] | None = None) -> Path:
    """Write the report beside the failed input (UTF-8 with BOM so Notepad shows Cyrillic)."""
    path = report_path(failed_input)
    path.write_text(failure_text(failed_input.name, error, duplicate, voided, published), encoding="utf-8-sig")
    return path


FIXED_FOLDER = "Исправлено"


def failed_copies(failed: Path, name: str) -> list[Path]:
    """The set-aside inputs of that name in failed/: «name» and its «name (2)» copies."""
    stem, suffix = Path(name).stem, Path(name).suffix
    pattern = re.compile(re.escape(stem) + r"( \(\d+\))?" + re.escape(suffix) + "$")
    if not failed.is_dir():
        return []
    return [p for p in failed.iterdir() if p.is_file() and pattern.fullmatch(p.name)]


def move_fixed(failed: Path, name: str) -> list[Path]:
    """An input of this name went through: its earlier failures and their reports go to failed/Исправлено/.

    So failed/ shows only what is still to fix. Never overwrites: a name
    taken in Исправлено/ gets « (2)». A file that cannot be moved stays.
    """
    from .pipeline import move_free

    moved = []
    for path in failed_copies(failed, name):
        try:
            report = report_path(path)
            target = move_free(path, failed / FIXED_FOLDER)
            if report.exists():
                move_free(report, failed / FIXED_FOLDER, report_path(target).name)
            moved.append(target)
        except OSError:
            continue
    return moved
