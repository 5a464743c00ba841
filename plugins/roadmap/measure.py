"""How tall the plan table's rows print: Liberation Serif text wrapped in the column widths as LibreOffice does.

Measured on LibreOffice's PDFs of the template (tests/test_roadmap_pages.py keeps the estimate honest): a
12-pt line is 13.8 pt high (Times New Roman / Liberation Serif: ascender, descender and line gap are 1.15 of
the size), a paragraph without text takes the template's 14-pt Normal size (16.1 pt), a row adds its cell
margins (28 twips above and below) and a border to its tallest cell. Lines are wrapped word by word at
spaces and after a hyphen, dash or slash, with the real advance widths of the font
(``docgen.api.text_width``); a word longer than the line is broken where it no longer fits. Without the
font files the width of a character is taken as an average. A cell merged down over several rows prints its
text over all of them: when its text is taller than those rows, the last of them grows.
"""
from __future__ import annotations

import math
import re

from docgen.api import serif_available, text_width

from .plan import CellsRow, SpanRow, lines_of

PT_PER_CM = 72 / 2.54
TABLE_PT = 12
LINE_PT = TABLE_PT * 1.15  # one line of a paragraph in the table
EMPTY_LINE_PT = 14 * 1.15  # a paragraph with no text: the template's Normal size
ROW_PAD_PT = 3.3  # the cell margins above and below (28 twips each) and the border
SIDE_PT = 2 * 108 / 20  # the cell margins at the sides (108 twips each)
AVERAGE_CHAR_PT = 5.6  # a 12-pt character of Times New Roman on average, when the font files are missing
BREAK_AFTER = re.compile(r"(?<=[-–—/])(?=\w)")  # a line may also break after a hyphen, dash or slash


def width_of(text: str, bold: bool) -> float:
    if serif_available():
        return text_width(text, TABLE_PT, bold)
    return len(text) * AVERAGE_CHAR_PT * (1.05 if bold else 1.0)


def pieces(text: str) -> list[str]:
    """The unbreakable pieces of a line, each with the space before it (none for the first)."""
    result = []
    for index, word in enumerate(text.split()):
        parts = BREAK_AFTER.split(word)
        result.append((" " if index else "") + parts[0])
        result += parts[1:]
    return result


def wrapped_lines(text: str, width_pt: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a paragraph ``width_pt`` wide."""
    lines, used = 1, 0.0
    for piece in pieces(text):
        width = width_of(piece, bold)
        if used + width <= width_pt or used == 0.0:
            used += width
            if used > width_pt:  # one word longer than the line: broken where it no longer fits
                extra = math.ceil(used / width_pt) - 1
                lines += extra
                used -= extra * width_pt
            continue
        lines += 1
        used = width_of(piece.lstrip(), bold)
        if used > width_pt:
            extra = math.ceil(used / width_pt) - 1
            lines += extra
            used -= extra * width_pt
    return lines


def paragraphs_height(paragraphs: list[tuple[str, bool]], width_pt: float) -> float:
    """The height of a cell's text: (text, bold) per paragraph."""
    if not any(text.strip() for text, _ in paragraphs):
        return EMPTY_LINE_PT * max(1, len(paragraphs))
    return sum(wrapped_lines(text, width_pt - SIDE_PT, bold) * LINE_PT if text.strip() else EMPTY_LINE_PT
               for text, bold in paragraphs)


def cell_height(cell, width_pt: float) -> float:
    return paragraphs_height([(line, cell.bold_first and i == 0) for i, line in enumerate(cell.lines)], width_pt)


def span_text(runs: list[tuple[str, bool]]) -> tuple[str, bool]:
    """A paragraph of (text, bold) runs as one text, bold when most of it is."""
    text = "".join(part for part, _ in runs)
    bold = sum(len(part) for part, b in runs if b) * 2 > len(text)
    return text, bold


def row_height(row, widths_pt: list[float]) -> float:
    """The height of one row by its own cells (a cell merged down is spread over its rows: ``row_heights``)."""
    if isinstance(row, SpanRow):
        span = sum(widths_pt[1:]) if row.lead is not None else sum(widths_pt)
        height = paragraphs_height([span_text(runs) for runs in row.paragraphs], span)
        if row.lead is not None:
            height = max(height, paragraphs_height([(line, True) for line in row.lead], widths_pt[0]))
        return height + ROW_PAD_PT
    assert isinstance(row, CellsRow)
    own = [cell_height(cell, width) for cell, width in zip(row.cells, widths_pt) if not cell.merge]
    return max(own or [EMPTY_LINE_PT]) + ROW_PAD_PT


def merge_spans(rows: list) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of every cell merged down over several rows."""
    spans, open_at = [], {}
    for index, row in enumerate(rows):
        cells = row.cells if isinstance(row, CellsRow) else []
        for column in list(open_at):
            if column >= len(cells) or cells[column].merge != "continue":
                spans.append((column, open_at.pop(column), index - 1))
        for column, cell in enumerate(cells):
            if cell.merge == "restart":
                if column in open_at:
                    spans.append((column, open_at[column], index - 1))
                open_at[column] = index
    spans += [(column, start, len(rows) - 1) for column, start in open_at.items()]
    return spans


def merged_needs(rows: list, widths_pt: list[float]) -> list[tuple[int, int, float]]:
    """(first row, last row, height its text needs) of every cell merged down over several rows."""
    return [(first, last, cell_height(rows[first].cells[column], widths_pt[column]) + ROW_PAD_PT)
            for column, first, last in merge_spans(rows)]


def grown(heights: list[float], needs: list[tuple[int, int, float]], start: int = 0) -> list[float]:
    """``heights`` of rows from ``start`` on, the last row of a merged cell taller where its text needs it
    (a merge begun above ``start`` counts from there: its text is repeated after a cut)."""
    heights = list(heights)
    end = start + len(heights)
    for first, last, need in needs:
        top, bottom = max(first, start), min(last, end - 1)
        if top <= bottom:
            have = sum(heights[top - start:bottom - start + 1])
            if need > have:
                heights[bottom - start] += need - have
    return heights


def row_heights(rows: list, widths_pt: list[float]) -> list[float]:
    """Every row's printed height."""
    return grown([row_height(row, widths_pt) for row in rows], merged_needs(rows, widths_pt))


def header_height(columns, widths_pt: list[float]) -> float:
    """The header row: every column's title in bold, a line of its own per line of the title."""
    return max(paragraphs_height([(line, True) for line in lines_of(column.title)], width)
               for column, width in zip(columns, widths_pt)) + ROW_PAD_PT


HEADING_PT = 14
HEADING_LINE_PT = HEADING_PT * 1.15
GRIF_WIDTH_PT = (5669 - 2 * 108) / 20  # each grif's cell of the template (the agreement's is indented to it)
FULL_WIDTH_PT = (16838 - 1134 - 850) / 20  # the landscape text width
HEADING_SPACING_PT = (280 + 120) / 20 + 2 * HEADING_LINE_PT  # the empty paragraphs around author and title


def heading_lines(lines: list[str], width_pt: float, bold: bool = False) -> int:
    if not serif_available():
        per_line = max(1, int(width_pt / (AVERAGE_CHAR_PT * HEADING_PT / TABLE_PT)))
        return sum(max(1, math.ceil(len(line) / per_line)) for line in lines)
    return sum(wrapped_lines(line, width_pt * TABLE_PT / HEADING_PT, bold) for line in lines)


def heading_height(grifs: list[list[str]], author: list[str], title: list[str]) -> float:
    """What stands above the table on page 1 (the template's 14-pt grifs side by side, author, bold title)."""
    grif = max(heading_lines(lines, GRIF_WIDTH_PT) for lines in grifs)
    text = heading_lines(author, FULL_WIDTH_PT) + heading_lines(title, FULL_WIDTH_PT, bold=True)
    return (grif + text) * HEADING_LINE_PT + HEADING_SPACING_PT
