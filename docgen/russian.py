"""Russian grammar for documents (placeholder until the grammar module lands)."""
from __future__ import annotations

from datetime import date

from babel.dates import format_date

from .schemas import parse_date


def format_date_long(d) -> str:
    d = parse_date(d) if not isinstance(d, date) else d
    return format_date(d, "long", locale="ru")


def format_date_short(d) -> str:
    d = parse_date(d) if not isinstance(d, date) else d
    return d.strftime("%d.%m.%Y")


def jinja_filters() -> dict:
    return {"date_long": format_date_long, "date_short": format_date_short}


def initials(person) -> str:
    name = person["name"] if isinstance(person, dict) else str(person)
    parts = name.split()
    return "".join(p[0] + "." for p in parts[1:3]) + "\u00a0" + parts[0]


_base_filters = jinja_filters


def jinja_filters() -> dict:  # noqa: F811 - placeholder until the grammar module lands
    return {**_base_filters(), "initials": initials}
