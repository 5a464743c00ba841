"""A ``RawDocument``: one document's data as read from an input, before validation, and where its fields came from.

Every reader makes them (JSON in ``docgen.reading``, spreadsheets in ``docgen.sheets.intake``, a plugin's
``docgen_read_input``); ``where(path)`` says in Russian where a field was typed (a JSON path, or a sheet,
row and column), so a problem names the place to fix.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .errors import Problem


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
