"""What stands above a roadmap's table, read from lines of text: the grif blocks (УТВЕРЖДАЮ, УТВЕРЖДЕНА …,
СОГЛАСОВАНО …), the plan's date in the approval grif, and the title right above the table.

Shared by the DOCX importer (paragraphs above the plan table) and the spreadsheet route (the rows above the
header row of a sheet a secretary made herself: school name, grif, title).
"""
from __future__ import annotations

import re

GRIF_START = re.compile(r"^\W*(УТВЕРЖДА|УТВЕРЖД[ЕЁ]Н|СОГЛАСОВА|ПРИНЯТ|РАССМОТРЕН)", re.IGNORECASE)
AGREEMENT_WORD = re.compile(r"^\W*(СОГЛАСОВА|ПРИНЯТ|РАССМОТРЕН)", re.IGNORECASE)
DATE_TEXT = re.compile(r"(?<!\d)(\d{2})\.(\d{2})\.(\d{4})(?!\d)")
GRIF_LINE_CHARS = 90


def grif_groups(lines: list[tuple[str, bool]]) -> list[list[str]]:
    """(text, bold) lines cut into grif blocks, each starting with its word (УТВЕРЖДАЮ, СОГЛАСОВАНО…).

    A block goes on over single empty lines (schools space grif lines with empty paragraphs) and ends at
    two empty lines in a row, a bold line (the title), a long line (the text) or the next grif word."""
    groups: list[list[str]] = []
    current, empty = None, 0
    for text, bold in lines:
        if GRIF_START.match(text):
            current, empty = [text], 0
            groups.append(current)
        elif not text.strip():
            empty += 1
            if empty >= 2:
                current = None
        elif current is not None and not bold and len(text) <= GRIF_LINE_CHARS:
            current.append(text)
            empty = 0
        else:
            current = None
    return groups


def split_grifs(groups: list[list[str]]) -> tuple[list[str] | None, list[str] | None]:
    """(approval lines, agreement lines): the first block of each kind."""
    approval = agreement = None
    for group in groups:
        if AGREEMENT_WORD.match(group[0]):
            agreement = agreement or group
        else:
            approval = approval or group
    return approval, agreement


def grif_date(lines: list[str] | None) -> str | None:
    """The ISO date written in the approval grif («Приказ № 53 от 31.08.2023») — the plan's date."""
    dated = DATE_TEXT.search(" ".join(lines or []))
    return f"{dated[3]}-{dated[2]}-{dated[1]}" if dated else None
