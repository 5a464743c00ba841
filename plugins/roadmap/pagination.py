"""How much of the plan table is kept on one page: kept-together groups no taller than a third of a page.

Rows are chained by ``keep_next`` (a stage row with its first activity, the rows of a vertically merged
cell, a result row with the stage's last row). A chain taller than a third of the page would, when it
does not fit, leave up to a whole page empty; such a chain is cut at row boundaries into pieces no
taller than that, never right after a line across the table (a stage row stays with what it heads). Heights are estimated from the
text length and the column widths (Times New Roman 12 pt), which is enough to choose where a cut may go.

A chain holding a cell merged down (a stage cell of the stage column, an activity over its lines of content)
is kept whole while it fits on a page: a merged cell broken by a page shows its text on the first page only.
A longer one is cut as any other, and a merged cell across a cut starts again below it with its text
repeated, so each piece — and so each page, as pieces are kept whole — shows the stage or activity its rows
belong to. A row taller than that third may itself break across pages
(``splittable``): kept whole, it would leave most of a page empty, and a row taller than a page would be cut
off at the page's foot.
"""
from __future__ import annotations

import math

from .plan import Cell, CellsRow, SpanRow

PAGE_TEXT_HEIGHT_CM = 17.0  # landscape A4 (21 cm) less the template's top and bottom margins (2 cm + 2 cm)
KEPT_SHARE = 1 / 3
MERGED_SHARE = 0.85  # a page less the repeated header row and some slack for the estimate
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


def merged_text(rows: list, index: int, column: int) -> Cell:
    """The cell a merge continuing at ``rows[index]`` started with (walking up the column)."""
    while index > 0 and rows[index].cells[column].merge == "continue":
        index -= 1
    return rows[index].cells[column]


def restart_merges(rows: list, index: int) -> None:
    """Cells of ``rows[index]`` that continue a merge from above the cut start it again, text repeated."""
    row = rows[index]
    if not isinstance(row, CellsRow):
        return
    below = rows[index + 1] if index + 1 < len(rows) and isinstance(rows[index + 1], CellsRow) else None
    for column, cell in enumerate(row.cells):
        if cell.merge != "continue":
            continue
        first = merged_text(rows, index - 1, column)
        goes_on = below is not None and below.cells[column].merge == "continue"
        row.cells[column] = Cell(list(first.lines), "restart" if goes_on else None, first.bold_first)


def limit_kept_groups(rows: list, widths_cm: list[float], budget_cm: float = PAGE_TEXT_HEIGHT_CM * KEPT_SHARE) -> None:
    """Cut every kept-together chain taller than ``budget_cm`` into pieces that are not (in place); mark rows
    taller than ``budget_cm`` splittable."""
    for chain in chains(rows):
        heights = [row_height(rows[i], widths_cm) for i in chain]
        for index, height in zip(chain, heights):
            rows[index].splittable = height > budget_cm
        merged = any(isinstance(rows[i], CellsRow) and any(cell.merge for cell in rows[i].cells) for i in chain)
        if sum(heights) <= (PAGE_TEXT_HEIGHT_CM * MERGED_SHARE if merged else budget_cm):
            continue
        piece = 0.0
        for position, height in enumerate(heights):
            if position and piece + height > budget_cm and not isinstance(rows[chain[position - 1]], SpanRow):
                rows[chain[position - 1]].keep_next = False
                restart_merges(rows, chain[position])
                piece = 0.0
            piece += height

