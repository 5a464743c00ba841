"""Cell values as a person reads them, each remembering the cell it came from.

A spreadsheet cell becomes a ``CellText`` (a ``str``), ``CellInt`` or
``CellFloat`` carrying its ``Origin`` (sheet, row, column title). Plugins'
``assemble`` functions move these values around like ordinary ones; ``settle``
then turns the assembled documents into plain data and a map from each data
path to its cell, which ``locator`` uses to say «Лист «Пары», строка 7,
столбец «Наставник»».

Reading rules owned here: non-breaking and repeated spaces are cleaned; date
cells, Excel serial numbers and text dates (31.08.2023, 2023-08-31, 31.08.23,
31/08/2023, «31.08.2023 г.») become ISO dates; numbers typed as text
(«5 000», «5000,50 руб.») become numbers; a number typed into a text column
reads as typed («345678», not «345678.0»); choices are spelt as the list has them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Callable, Iterable

from ..doctypes import normalize_title
from ..schemas import gender_code, parse_date

SPACES_RE = re.compile(r"[ \t\u00a0\u2007\u2009\u202f\u3000]+")
INVISIBLE_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
EXCEL_EPOCH = date(1899, 12, 30)
SERIAL_DATES = range(1, 2958466)  # Excel serial numbers 1900-01-01 … 9999-12-31


@dataclass(frozen=True)
class Origin:
    """The place of a value: a list cell (``column`` set) or a labelled field of the «Документ» sheet."""

    sheet: str | None  # None for a CSV file: it has no sheets
    row: int  # 1-based, as the spreadsheet shows it
    column: str | None = None
    field: str | None = None

    def russian(self, with_column: bool = True) -> str:
        parts = [f"Лист «{self.sheet}»"] if self.sheet else []
        parts.append(f"строка {self.row}")
        if with_column and self.column:
            parts.append(f"столбец «{self.column}»")
        if with_column and self.field:
            parts.append(f"поле «{self.field}»")
        text = ", ".join(parts)
        return text[0].upper() + text[1:]


class _Located:
    """A cell value that remembers its cell (``origin``), so a later error can point at it."""

    origin: Origin

    def __new__(cls, value, origin: Origin):
        obj = super().__new__(cls, value)
        obj.origin = origin
        return obj


class CellText(_Located, str):
    """Text read from a cell."""


class CellInt(_Located, int):
    """A whole number read from a cell."""


class CellFloat(_Located, float):
    """A number read from a cell."""


TRACKED = (CellText, CellInt, CellFloat)


def derive(text: str, source: Any) -> Any:
    """``text`` made from ``source`` (e.g. one name split off a cell), keeping the source's cell."""
    origin = getattr(source, "origin", None)
    return CellText(text, origin) if origin is not None else text


# --- cleaning and conversion ---------------------------------------------------------


NEEDS_CLEANING_RE = re.compile(r"[\t\r\n\u00a0\u2007\u2009\u202f\u3000\u200b\u200c\u200d\u2060\ufeff\u00ad]|  ")


def clean_text(text: str) -> str:
    """NBSP, tabs and repeated spaces → one space; each line trimmed; invisible characters removed."""
    if not NEEDS_CLEANING_RE.search(text):
        return text.strip()
    text = INVISIBLE_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def number_as_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def as_text(raw: Any) -> str:
    """A cell value as a person sees it written."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "да" if raw else "нет"
    if isinstance(raw, (int, float)):
        return number_as_text(raw)
    if isinstance(raw, datetime):
        return raw.strftime("%d.%m.%Y") if raw.time() == time() else raw.strftime("%d.%m.%Y %H:%M")
    if isinstance(raw, date):
        return raw.strftime("%d.%m.%Y")
    if isinstance(raw, (time, timedelta)):
        return str(raw)
    return clean_text(str(raw))


def read_date(raw: Any) -> str:
    """ISO text for a date cell, serial number or date text; otherwise the text as typed (the schema objects)."""
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer() and int(raw) in SERIAL_DATES:
        return (EXCEL_EPOCH + timedelta(days=int(raw))).isoformat()
    text = as_text(raw)
    candidate = re.sub(r"\s*(г\.?|года?)$", "", text, flags=re.IGNORECASE).replace("/", ".").strip()
    iso_with_time = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(:\d{2})?", candidate)
    if iso_with_time:
        candidate = iso_with_time.group(1)
    parsed = parse_date(candidate)
    return parsed.isoformat() if parsed else text


NUMBER_RE = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def read_number(raw: Any) -> int | float | str:
    """A number from a number cell or from text such as «5 000», «5000,50», «5 000 руб.»; else the text."""
    if isinstance(raw, bool):
        return as_text(raw)
    if isinstance(raw, (int, float)):
        return int(raw) if float(raw).is_integer() else raw
    text = as_text(raw)
    compact = re.sub(r"\s+", "", text)
    compact = re.sub(r"(руб(лей|ля|ль)?\.?|р\.|₽)$", "", compact, flags=re.IGNORECASE)
    if not NUMBER_RE.match(compact):
        return text
    value = float(compact.replace(",", "."))
    return int(value) if value.is_integer() else value


def choice_reader(choices: Iterable[str], values: dict[str, str]) -> Callable[[str], str]:
    """Spell a typed choice as the list has it, or map it to its data value; unknown text unchanged."""
    known = {normalize_title(c): values.get(c, c) for c in choices}
    known.update({normalize_title(k): v for k, v in values.items()})
    known.pop("", None)

    def read(text: str) -> str:
        return known.get(normalize_title(text), text)

    return read


def cell_value(raw: Any, kind: str, origin: Origin, choose: Callable[[str], str] | None = None) -> Any:
    """A tracked value for one cell, read by the column's kind."""
    if raw is None or raw == "":
        return CellText("", origin)
    if kind == "date":
        return CellText(read_date(raw), origin)
    if kind == "number":
        number = read_number(raw)
        if isinstance(number, str):
            return CellText(number, origin)
        return CellInt(number, origin) if isinstance(number, int) else CellFloat(number, origin)
    text = as_text(raw)
    if not text:
        return CellText("", origin)
    if kind == "gender":
        return CellText(gender_code(text) or text, origin)
    if choose is not None:
        text = choose(text)
    return CellText(text, origin)


# --- from assembled documents to plain data and places ------------------------------------

_DROP = object()


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value)


def plain(value: Any) -> Any:
    if isinstance(value, CellText):
        return str(value)
    if isinstance(value, CellInt):
        return int(value)
    if isinstance(value, CellFloat):
        return float(value)
    return value


def settle(value: Any, path: tuple, places: dict[tuple, Origin], in_list: bool = False) -> Any:
    """Plain data from assembled data: empty cells and empty sub-objects dropped, each cell's path recorded.

    An empty cell is dropped from the data but its place is kept, so «не
    заполнено» at that path still names the cell. Items of a list are kept
    even when empty (``{}``), so a row with no name is reported, not lost.
    """
    origin = getattr(value, "origin", None)
    if isinstance(origin, Origin):
        places.setdefault(path, origin)
    if isinstance(value, dict):
        settled = {}
        for key, item in value.items():
            result = settle(item, path + (key,), places)
            if result is not _DROP:
                settled[key] = result
        return settled if settled or in_list else _DROP
    if isinstance(value, list):
        items = [settle(item, path + (i,), places, in_list=True) for i, item in enumerate(value)]
        return [item for item in items if item is not _DROP]
    if is_empty(value) and origin is not None:
        return _DROP
    if value is None:
        return _DROP
    return plain(value)


def settle_document(document: dict) -> tuple[dict, dict[tuple, Origin]]:
    places: dict[tuple, Origin] = {}
    data = settle(document, (), places, in_list=True)
    return data, places


def locator(places: dict[tuple, Origin], fallback: str) -> Callable[[tuple], str]:
    """A ``where(path)`` for one document: the cell of a path, else the row its fields share, else ``fallback``."""

    def where(path: tuple) -> str:
        path = tuple(path)
        if path in places:
            return places[path].russian()
        below = [o for p, o in places.items() if p[:len(path)] == path]
        if below:
            same_row = all((o.sheet, o.row) == (below[0].sheet, below[0].row) for o in below)
            return below[0].russian(with_column=same_row)
        best, best_len = None, 0
        for p, o in places.items():
            common = 0
            for a, b in zip(p, path):
                if a != b:
                    break
                common += 1
            if common > best_len:
                best, best_len = o, common
        if best is not None and best_len >= 2:
            return best.russian(with_column=False)
        return fallback

    return where
