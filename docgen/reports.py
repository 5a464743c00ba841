"""Reports for the secretary: the Russian text set beside a failed input, and run summaries."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .errors import DocgenError, InputError

REPORT_SUFFIX = " — ОШИБКИ.txt"
MAX_PROBLEMS_SHOWN = 50  # a report of thousands of problems lists the first ones and counts the rest


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


def problem_lines(error: InputError, limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
    """The first ``limit`` problems in full, then how many more there are."""
    lines = [f"  {i}. {p.russian()}" for i, p in enumerate(error.problems[:limit], 1)]
    rest = len(error.problems) - limit
    if rest > 0:
        lines.append(f"  … и ещё {rest} (всего {len(error.problems)}). Исправьте показанные и положите файл снова — "
                     "программа покажет оставшиеся.")
    return lines


def short_text(error: DocgenError, limit: int = MAX_PROBLEMS_SHOWN) -> str:
    """The error's Russian text, at most ``limit`` problems of it."""
    if isinstance(error, InputError) and len(error.problems) > limit:
        return "\n".join(line.strip() for line in problem_lines(error, limit))
    return error.russian()


def void_cause(error: DocgenError) -> str:
    """Why a number is voided, for the register: a short cause in Russian, never the file's data."""
    if isinstance(error, InputError):
        return "в файле ошибки (см. отчёт в папке inbox/failed)"
    first = error.russian().split("\n", 1)[0]
    return first if len(first) <= 300 else first[:299] + "…"


def failure_text(name: str, error: DocgenError, duplicate: bool = False,
                 voided: list[str] | None = None, published: list[str] | None = None) -> str:
    lines = [f"Файл: {name}", f"Проверен: {datetime.now():%d.%m.%Y %H:%M}", ""]
    if duplicate:
        lines += ["ПОВТОРНЫЙ ФАЙЛ.", error.russian(), ""]
    else:
        lines += outcome_lines(voided or [], published or []) + [""]
        if isinstance(error, InputError):
            lines += ["Что исправить:"] + problem_lines(error)
            lines += ["", "Исправьте файл и положите его в папку inbox снова."]
        else:
            lines += ["Причина:", f"  {error.russian()}"]
            lines += ["", "Когда причина будет устранена, положите файл в папку inbox снова."]
    return "\r\n".join(lines) + "\r\n"


def write_failure_report(failed_input: Path, error: DocgenError, duplicate: bool = False,
                         voided: list[str] | None = None, published: list[str] | None = None) -> Path:
    """Write the report beside the failed input (UTF-8 with BOM so Notepad shows Cyrillic)."""
    path = report_path(failed_input)
    path.write_text(failure_text(failed_input.name, error, duplicate, voided, published), encoding="utf-8-sig",
                    errors="replace")
    return path
