"""Registration numbers: the default format (``{n}-од``) and the requests the register serves.

The pattern of a series comes from ``docgen.toml``; fields: ``n`` (sequence
in the year), ``year`` (2023), ``yy`` (23). A plugin may return its own format
from ``docgen_format_number``.
"""
from __future__ import annotations

from . import hookimpl
from .errors import DocgenError


@hookimpl(trylast=True)
def docgen_format_number(series: str, year: int, sequence: int, pattern: str, data: dict) -> str:
    try:
        return pattern.format(n=sequence, year=year, yy=f"{year % 100:02d}")
    except (KeyError, IndexError, ValueError) as exc:
        raise DocgenError(
            f"Неверный формат номера «{pattern}» в серии «{series}» (docgen.toml): {exc}. "
            "Допустимые поля: {n}, {year}, {yy}."
        ) from None
