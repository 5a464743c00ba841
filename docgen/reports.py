"""Reports for the secretary: the Russian text set beside a failed input, and run summaries."""
from __future__ import annotations

import os
import re
import uuid
from datetime import datetime
from pathlib import Path

from .claims import TMP_PREFIX, owner_tag
from .errors import DocgenError, InputError
from .faults import durable
from .moves import move_free

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
                 voided: list[str] | None = None, published: list[str] | None = None,
                 restored: list[str] | None = None) -> str:
    lines = [f"Файл: {name}", f"Проверен: {datetime.now():%d.%m.%Y %H:%M}", ""]
    if duplicate:
        lines += ["ПОВТОРНЫЙ ФАЙЛ.", error.russian(), ""]
    elif restored:
        lines += [f"Исправленная версия документов {numbers_text(restored)} НЕ выпущена; в силе остаётся прежняя "
                  "версия с тем же номером, новые номера не выдавались."]
        lines += outcome_lines(voided or [], published or []) if (voided or published) else []
        lines += [""]
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
                         voided: list[str] | None = None, published: list[str] | None = None,
                         restored: list[str] | None = None) -> Path:
    """Write the report beside the failed input (UTF-8 with BOM so Notepad shows Cyrillic).

    Written whole under a temporary name, then renamed: a crash never leaves half a report. It is
    written before the input is moved beside it, so an input in failed/ always has its report."""
    return write_text_whole(report_path(failed_input),
                            failure_text(failed_input.name, error, duplicate, voided, published, restored))


def write_text_whole(path: Path, text: str, point: str = "report.write") -> Path:
    """Write a text under a temporary name, then rename it: a crash never leaves half of it under ``path``."""
    tmp = path.with_name(f"{TMP_PREFIX}{owner_tag()}-{uuid.uuid4().hex}.txt")
    try:
        tmp.write_text(text, encoding="utf-8-sig", errors="replace")
        with durable(point):
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
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
