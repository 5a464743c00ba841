"""How much of the plan table is kept on one page: kept-together groups no taller than a third of a page.

Rows are chained by ``keep_next`` (a stage row with its first activity, the rows of a vertically merged
cell, a result row with the stage's last row). A chain taller than a third of the page would, when it
does not fit, leave up to a whole page empty; such a chain is cut at row boundaries into pieces no
taller than that, never right after a line across the table (a stage row stays with what it heads). Heights are estimated from the
text length and the column widths (Times New Roman 12 pt), which is enough to choose where a cut may go.
"""
from __future__ import annotations

import math

from .plan import CellsRow, SpanRow

PAGE_TEXT_HEIGHT_CM = 17.0  # landscape A4 (21 cm) less the template's top and bottom margins (2 cm + 2 cm)
KEPT_SHARE = 1 / 3
LINE_CM = 0.49  # one 12-pt line with single spacing
CELL_PADDING_CM = 0.1  # the cell margins above and below (28 twips each)
CHAR_CM = 0.2  # the average width of a 12-pt Times New Roman character
SIDE_PADDING_CM = 0.38  # 0.19 cm at each side of a cell


def text_height(lines: list[str], width_cm: float) -> float:
    per_line = max(1, int((width_cm - SIDE_PADDING_CM) / CHAR_CM))
    count = sum(max(1, math.ceil(len(line) / per_line)) for line in lines) or 1
    return count * LINE_CM + CELL_PADDING_CM


def row_height(row, widths_cm: list[float]) -> float:
    if isinstance(row, SpanRow):
        span = sum(widths_cm[1:]) if row.lead is not None else sum(widths_cm)
        return text_height(["".join(text for text, _ in runs) for runs in row.paragraphs], span)
    assert isinstance(row, CellsRow)
    return max(text_height(cell.lines, width) for cell, width in zip(row.cells, widths_cm))


def chains(rows: list) -> list[list[int]]:
    """Indexes of rows kept together: each chain ends at the first row that is not kept with the next."""
    result, current = [], []
    for index, row in enumerate(rows):
        current.append(index)
        if not row.keep_next:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def limit_kept_groups(rows: list, widths_cm: list[float], budget_cm: float = PAGE_TEXT_HEIGHT_CM * KEPT_SHARE) -> None:
    """Cut every kept-together chain taller than ``budget_cm`` into pieces that are not (in place)."""
    for chain in chains(rows):
        heights = [row_height(rows[i], widths_cm) for i in chain]
        if sum(heights) <= budget_cm:
            continue
        piece = 0.0
        for position, height in enumerate(heights):
            if position and piece + height > budget_cm and not isinstance(rows[chain[position - 1]], SpanRow):
                rows[chain[position - 1]].keep_next = False
                piece = 0.0
            piece += height

