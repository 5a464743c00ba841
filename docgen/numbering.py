"""Registration numbers: the default format (``{n}-од``) and the requests the register serves.

The pattern of a series comes from ``docgen.toml``; fields: ``n`` (sequence
in the year), ``year`` (2023), ``yy`` (23). A plugin may return its own format
from ``docgen_format_number``.
"""
from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass

from .hookspecs import hookimpl
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


# --- one canonical form per number ---------------------------------------------------------------------------------

DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad\ufe58\ufe63\uff0d\u2043"), "-")
# Latin letters that look like Cyrillic ones, mapped to the Cyrillic letter (upper case first, before casefold)
LOOK_ALIKES = str.maketrans("ABCEHKMOPTXYaceopxyk", "АВСЕНКМОРТХУасеорхук")
SPACES = re.compile(r"\s+")
LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")
NUMBER_SIGN = re.compile(r"^\s*(№|N[°oо]?\.?)\s*", re.IGNORECASE)


def canonical(number: str) -> str:
    """The form two numbers are compared in: «1-ОД», «1‑од» (non-breaking hyphen), «1 - од», «1-oд» are one number.

    Case, hyphen and dash variants (U+2010–U+2015, U+2212, soft hyphen), every kind of space,
    Latin letters that look like Cyrillic ones, and leading zeros («053-од» is «53-од») do not count.
    """
    text = unicodedata.normalize("NFKC", strip_number_sign(number)).translate(DASHES).translate(LOOK_ALIKES)
    text = SPACES.sub("", text.replace("\u00a0", " ")).casefold().replace("ё", "е")
    return LEADING_ZEROS.sub("", text)


def strip_number_sign(number: str) -> str:
    """«№ 5-од» → «5-од»: the sign is printed by the template, not part of the number."""
    return NUMBER_SIGN.sub("", str(number)).strip()


@dataclass(frozen=True)
class ParsedNumber:
    sequence: int
    year: int | None = None


def pattern_regex(pattern: str) -> re.Pattern:
    """A regular expression over canonical forms that matches what ``pattern`` produces."""
    parts = []
    for literal, field, _spec, _conv in string.Formatter().parse(pattern):
        parts.append(re.escape(canonical(literal)) if literal else "")
        if field == "n":
            parts.append(r"(?P<n>\d+)")
        elif field == "year":
            parts.append(r"(?P<year>\d{4})")
        elif field == "yy":
            parts.append(r"(?P<yy>\d{2})")
        elif field is not None:
            parts.append(r".+?")
    return re.compile("".join(parts) + r"\Z")


def parse_number(number: str, pattern: str) -> ParsedNumber | None:
    """The sequence (and year) of a number written by hand, or None if the pattern cannot produce it.

    A bare integer («53») is taken as the sequence itself.
    """
    text = canonical(number)
    if text.isdigit():
        return ParsedNumber(int(text))
    match = pattern_regex(pattern).match(text)
    if match is None or "n" not in match.groupdict():
        return None
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    if year is None and groups.get("yy"):
        year = 2000 + int(groups["yy"])
    return ParsedNumber(int(groups["n"]), year)


def example_number(pattern: str, year: int, sequence: int = 53) -> str:
    try:
        return pattern.format(n=sequence, year=year, yy=f"{year % 100:02d}")
    except (KeyError, IndexError, ValueError):
        return pattern
