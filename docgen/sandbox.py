"""Parsing untrusted input files in a child process, where a crash cannot reach the service.

Owns: running a parser (JSON, or a spreadsheet's sheets through
``docgen.sheets.files.load_grids``) in a fresh Python process (``python -I``,
never a fork of a process holding LibreOffice or threads) under limits —
address space (``RLIMIT_AS``), CPU time (``RLIMIT_CPU``), the size of what it
writes back (``RLIMIT_FSIZE``), no core dumps — and a wall-clock timeout; the
child dies with its parent (``PR_SET_PDEATHSIG``). The result comes back as a
pickle of plain data only (dicts, lists, text, numbers, dates), read with an
unpickler that refuses every other class. A native abort, a limit hit or a
timeout becomes an ``InputError`` in Russian («файл повреждён или слишком
сложен…»); the caller sets the file aside like any bad input.

Run as a script, this module is the child: ``python -I sandbox.py KIND INPUT OUTPUT LIMITS``. The
child imports only what it parses with (``json``, ``pickle``, ``signal``, ``resource``): the parent's
tools (``subprocess``, ``tempfile``, ``pathlib``, ``dataclasses``, ``typing``) are imported where the
parent uses them, so a JSON file's child starts in about half the time.
"""
from __future__ import annotations

import io
import json
import os
import pickle
import signal
import sys
from collections import namedtuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing into every child
if TYPE_CHECKING:  # run as a script, this module imports nothing of docgen at its top
    from pathlib import Path
    from typing import Any

    from .errors import InputError

MAX_JSON_DEPTH = 20  # levels of nested objects/lists; docgen's deepest document needs about 6
MAX_JSON_NODES = 500_000  # values in one JSON file (objects, lists, texts, numbers)
OUTPUT_LIMIT = 512 * 1024 * 1024  # bytes of the pickled result
SAFE_CLASSES = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta"),
                ("datetime", "timezone")}
CHILD_FILE = os.path.realpath(__file__)
SHEET_LIMITS = ("MAX_UNCOMPRESSED", "MAX_RATIO", "RATIO_FLOOR", "MAX_MEMBERS", "MAX_ROWS", "MAX_COLUMNS", "MAX_SHEETS",
                "MAX_MERGES")


DEFAULT_SECONDS, DEFAULT_MEMORY_MB = 60.0, 1024


class Limits(namedtuple("Limits", "seconds memory_mb", defaults=(DEFAULT_SECONDS, DEFAULT_MEMORY_MB))):
    """What one parse may use: seconds (wall and CPU), megabytes of address space."""

    __slots__ = ()

    @classmethod
    def from_settings(cls, settings: Any) -> "Limits":
        inbox = getattr(settings, "inbox", None)
        return cls(float(getattr(inbox, "parse_timeout", DEFAULT_SECONDS)),
                   int(getattr(inbox, "parse_memory_mb", DEFAULT_MEMORY_MB)))


# --- the parent side -------------------------------------------------------------------------


class _PlainUnpickler(pickle.Unpickler):
    """Only plain data may come back from the child: no class outside SAFE_CLASSES is ever built."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in SAFE_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def too_complex(why: str, kind: str = "sheets") -> "InputError":
    from .errors import InputError

    advice = ("Откройте его в Excel или LibreOffice Calc, сохраните заново (или разделите данные на несколько "
              "файлов) и положите снова." if kind == "sheets" else
              "Проверьте его в текстовом редакторе или разделите на несколько файлов и положите снова.")
    return InputError(f"Файл повреждён или слишком сложен для чтения: {why}. {advice}")


def child_environment() -> dict[str, str]:
    import tempfile

    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "RUST_BACKTRACE": "0", "HOME": tempfile.gettempdir()}


def run_parser(kind: str, path: Path, limits: Limits, work_dir: Path | None = None) -> Any:
    """Parse ``path`` as ``kind`` ("json" or "sheets") in a limited child process; return its plain result.

    Raises ``InputError`` for a file the parser refused (its Russian problems)
    and for a file that crashed it, exhausted a limit or took too long.
    """
    import subprocess
    import tempfile
    import time
    from pathlib import Path

    from .errors import InputError, Problem

    with tempfile.TemporaryDirectory(dir=work_dir, prefix="parse-") as tmp:
        output = Path(tmp) / "result.pickle"
        errors = Path(tmp) / "stderr.txt"
        flags = ["-I", "-S"] if kind == "json" else ["-I"]  # JSON needs nothing beyond the standard library
        command = [sys.executable, *flags, CHILD_FILE, kind, str(Path(path).resolve()), str(output),
                   f"{limits.seconds}:{limits.memory_mb}", json.dumps(reader_limits() if kind == "sheets" else {})]
        started = time.monotonic()
        with open(errors, "wb") as stderr:
            child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                                     cwd=tmp, env=child_environment(), start_new_session=True)
            try:
                code = child.wait(timeout=limits.seconds)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
                raise too_complex(f"чтение заняло больше {limits.seconds:g} с и было остановлено", kind) from None
        result = read_result(output) if code == 0 else None
        if result is None:
            raise crash_error(code, errors.read_bytes()[-4000:], limits, time.monotonic() - started, kind)
    status, payload = result
    if status == "ok":
        return payload
    if status == "refused":
        raise InputError([Problem(where, message) for where, message in payload])
    raise too_complex(payload, kind)


def read_result(output: Path) -> tuple[str, Any] | None:
    try:
        with open(output, "rb") as handle:
            result = _PlainUnpickler(handle).load()
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, IndexError):
        return None
    if isinstance(result, tuple) and len(result) == 2 and result[0] in ("ok", "refused", "too_complex"):
        return result
    return None


def crash_error(code: int, stderr: bytes, limits: Limits, elapsed: float, kind: str = "sheets") -> "InputError":
    """The Russian reason for a child that did not finish normally."""
    text = stderr.decode("utf-8", "replace")
    if code in (-signal.SIGXCPU,) or (code == -signal.SIGKILL and elapsed >= limits.seconds * 0.9):
        return too_complex(f"чтение заняло больше {limits.seconds:g} с и было остановлено", kind)
    if "memory allocation" in text or "MemoryError" in text or "Cannot allocate memory" in text:
        return too_complex(f"для чтения нужно больше {limits.memory_mb} МБ памяти", kind)
    if code == -signal.SIGXFSZ:
        return too_complex("в нём слишком много данных", kind)
    return too_complex("программа чтения аварийно завершилась на этом файле", kind)


def reader_limits() -> dict[str, int]:
    """The spreadsheet reader's own limits as this process has them, so the child applies the same ones."""
    from .sheets import files as sheetfiles

    return {name: getattr(sheetfiles, name) for name in SHEET_LIMITS}


# --- the child side ----------------------------------------------------------------------------


def set_limits(seconds: float, memory_mb: int) -> None:
    import resource

    cpu = max(1, int(seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024, memory_mb * 1024 * 1024))
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT, OUTPUT_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def die_with_parent(parent: int) -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


JSON_REASONS = {
    "Expecting ',' delimiter": "не хватает запятой",
    "Expecting ':' delimiter": "не хватает двоеточия",
    "Expecting value": "ожидалось значение",
    "Expecting property name enclosed in double quotes": "имя поля должно быть в двойных кавычках",
    "Unterminated string starting at": "не закрыта кавычка",
    "Extra data": "лишний текст после конца данных",
    "Invalid control character at": "недопустимый символ",
    "Invalid \\escape": "неверная escape-последовательность после «\\»",
    "Invalid \\uXXXX escape": "неверная escape-последовательность \\uXXXX",
}


class NotFinite(ValueError):
    """NaN or Infinity in a JSON file: Python accepts them, JSON does not."""


def refuse_constant(name: str) -> Any:
    raise NotFinite(name)


class DuplicateKey(ValueError):
    """A key given twice in one JSON object: Python keeps the last value and hides the first."""


def unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def quoted_key(key: str) -> str:
    """A field name fit to quote in a report: short, of letters, digits, spaces and ``_ - .``; else nothing."""
    import re

    return f"«{key}» " if re.fullmatch(r"[\w .-]{1,60}", key) else ""


def position(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"Строка {line}, позиция {column}"


def not_finite_place(text: str) -> str:
    """Where the first bare NaN/Infinity token is (outside strings)."""
    import re

    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', text):
        if match.group(1):
            return position(text, match.start(1))
    return ""


def json_shape_problem(payload: Any) -> str | None:
    """Depth and size of parsed JSON, checked without recursion."""
    stack, nodes = [(payload, 1)], 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_JSON_NODES:
            return f"в файле больше {MAX_JSON_NODES:,} значений".replace(",", "\u00a0")
        if depth > MAX_JSON_DEPTH:
            return f"вложенность данных глубже {MAX_JSON_DEPTH} уровней"
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return None


def parse_json(path: str) -> tuple[str, Any]:
    with open(path, "rb") as handle:
        data = handle.read()
    encoding = json.detect_encoding(data)  # UTF-8 (a BOM allowed), UTF-16 or UTF-32 («Юникод» of Notepad)
    try:
        text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError:
        return "refused", [("", "Файл не в кодировке UTF-8. Сохраните его в UTF-8 и положите снова.")]
    text = text.removeprefix("\ufeff")
    try:
        payload = json.loads(text, parse_constant=refuse_constant, object_pairs_hook=unique_keys)
    except DuplicateKey as exc:
        return "refused", [("", f"Поле {quoted_key(str(exc))}указано в одном объекте дважды — docgen не знает, "
                                "какое из значений верное. Оставьте одно и положите файл снова.")]
    except NotFinite as exc:
        return "refused", [(not_finite_place(text), f"значение {exc} — это не число. Укажите число цифрами "
                                                    "(например, 5000) или уберите поле.")]
    except json.JSONDecodeError as exc:
        reason = next((v for k, v in JSON_REASONS.items() if exc.msg.startswith(k)), "неверная запись")
        if exc.pos >= len(text.rstrip()):
            reason = "файл обрывается: не закрыты скобки или кавычки — возможно, он скопирован не полностью"
        return "refused", [(f"Строка {exc.lineno}, позиция {exc.colno}",
                            f"ошибка в записи JSON ({reason}). Проверьте запятые, кавычки и скобки.")]
    except RecursionError:
        return "refused", [("", f"Слишком глубокая вложенность данных (больше {MAX_JSON_DEPTH} уровней скобок). "
                                "Проверьте структуру файла.")]
    except ValueError:  # an integer of thousands of digits
        return "refused", [("", "В файле есть число из тысяч цифр. Проверьте числа в файле.")]
    problem = json_shape_problem(payload)
    if problem:
        return "refused", [("", f"Файл слишком сложен: {problem}. Проверьте структуру файла или разделите его.")]
    return "ok", payload


def parse_sheets(path: str, limits: dict[str, int]) -> tuple[str, Any]:
    from dataclasses import fields
    from pathlib import Path

    from docgen.errors import InputError
    from docgen.sheets import files as sheetfiles
    from docgen.sheets.files import Grid, load_grids

    for name in SHEET_LIMITS:
        if isinstance(limits.get(name), int):
            setattr(sheetfiles, name, limits[name])

    try:
        grids = load_grids(Path(path))
    except InputError as exc:
        return "refused", [(p.where, p.message) for p in exc.problems]
    return "ok", [{f.name: getattr(grid, f.name) for f in fields(Grid)} for grid in grids]


def child_main(argv: list[str]) -> int:
    kind, source, output, limits, reader = argv
    seconds, memory = limits.split(":")
    parent = os.getppid()
    set_limits(float(seconds), int(memory))
    die_with_parent(parent)
    sys.setrecursionlimit(10_000)
    try:
        result = parse_json(source) if kind == "json" else parse_sheets(source, json.loads(reader))
    except MemoryError:
        result = "too_complex", f"для чтения нужно больше {memory} МБ памяти"
    except RecursionError:
        result = "too_complex", "слишком глубокая вложенность данных"
    buffer = io.BytesIO()
    try:
        pickle.dump(result, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    except RecursionError:
        buffer = io.BytesIO()
        pickle.dump(("too_complex", "слишком глубокая вложенность данных"), buffer)
    with open(output, "wb") as handle:
        handle.write(buffer.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
