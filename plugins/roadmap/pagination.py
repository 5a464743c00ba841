"""How much of the plan table is kept on one page: kept-together groups no taller than a third of a page.

Rows are chained by ``keep_next`` (a stage row with its first activity, the rows of a vertically merged
cell, a result row with the stage's last row). A chain taller than a third of the page would, when it
does not fit, leave up to a whole page empty; such a chain is cut at row boundaries into pieces no
taller than that, never right after a line across the table (a stage row stays with what it heads). Heights are estimated from the
text length and the column widths (Times New Roman 12 pt), which is enough to choose where a cut may go.

A chain holding a cell merged down (a stage cell of the stage column, an activity over its lines of content)
is kept whole while it fits where it stands (or on the next page, when less than a third is left): a merged
cell broken by a page shows its text on the first page only. A longer one is cut only where its page is
estimated to end (a page position is followed from the grifs and title on page 1 on), and a merged cell
across a cut starts again below it with its text repeated, so each page shows the stage or activity its
rows belong to. A row taller than that third may itself break across pages
(``splittable``): kept whole, it would leave most of a page empty, and a row taller than a page would be cut
off at the page's foot.
"""
from __future__ import annotations

import math

from .plan import Cell, CellsRow, SpanRow

PAGE_TEXT_HEIGHT_CM = 17.0  # landscape A4 (21 cm) less the template's top and bottom margins (2 cm + 2 cm)
KEPT_SHARE = 1 / 3
MERGED_SHARE = 0.9  # slack for the height estimate where a page is expected to end
LINE_CM = 0.49  # one 12-pt line with single spacing
CELL_PADDING_CM = 0.1  # the cell margins above and below (28 twips each)
CHAR_CM = 0.2  # the average width of a 12-pt Times New Roman character
SIDE_PADDING_CM = 0.38  # 0.19 cm at each side of a cell
TEXT_WIDTH_CM = 25.7  # landscape A4 (29.7 cm) less the left and right margins
HEADING_LINE_CM = 0.62  # one 14-pt line
HEADING_CHAR_CM = 0.27  # the average width of a 14-pt bold character
HEADING_SPACING_CM = 1.5  # the space between grifs, title and table


def heading_height(lines: int, title: list[str]) -> float:
    """The grifs, author and title above the table on page 1 (14 pt lines on the full text width)."""
    per_line = int(TEXT_WIDTH_CM / HEADING_CHAR_CM)
    title_lines = sum(max(1, math.ceil(len(line) / per_line)) for line in title)
    return (lines + title_lines) * HEADING_LINE_CM + HEADING_SPACING_CM


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


def cut_before(rows: list, index: int) -> None:
    """End a kept piece before ``rows[index]``; merged cells crossing the cut start again below it."""
    rows[index - 1].keep_next = False
    restart_merges(rows, index)


class Page:
    """Where the table has got to on its page, by the height estimates (enough to see where a page ends)."""

    def __init__(self, first_free_cm: float, header_cm: float):
        self.fresh = PAGE_TEXT_HEIGHT_CM - header_cm
        self.free = max(0.0, first_free_cm - header_cm)

    def place(self, height: float) -> None:
        """A kept piece: on this page if it fits, else from the top of the next (a tall one runs on)."""
        if height <= self.free:
            self.free -= height
        elif height <= self.fresh:
            self.free = self.fresh - height
        else:
            self.free = self.fresh - (height - self.free) % self.fresh


def cut_by_budget(rows: list, chain: list[int], heights: list[float], budget_cm: float, page: Page) -> None:
    """A chain without merged cells: pieces no taller than ``budget_cm``, never cut right after a stage row."""
    piece = 0.0
    for position, height in enumerate(heights):
        if position and piece + height > budget_cm and not isinstance(rows[chain[position - 1]], SpanRow):
            cut_before(rows, chain[position])
            page.place(piece)
            piece = 0.0
        piece += height
    page.place(piece)


def cut_at_page_ends(rows: list, chain: list[int], heights: list[float], budget_cm: float, page: Page) -> None:
    """A chain holding merged cells: whole when it fits where it stands, or on the next page when little room
    is left there; else cut only where the page is estimated to end, so a merged cell restarts (its text
    repeated) once per page and not in the middle of one."""
    total = sum(heights)
    if total <= page.free or (total <= page.fresh * MERGED_SHARE and page.free < budget_cm):
        page.place(total)
        return
    if page.free < heights[0]:
        page.free = page.fresh  # its first row starts the next page
    piece = 0.0
    for position, height in enumerate(heights):
        if position and piece + height > page.free * MERGED_SHARE and not isinstance(rows[chain[position - 1]], SpanRow):
            cut_before(rows, chain[position])
            page.free, piece = page.fresh, 0.0
        piece += height
    page.place(piece)


def limit_kept_groups(rows: list, widths_cm: list[float], first_free_cm: float = PAGE_TEXT_HEIGHT_CM,
                      header_cm: float = 0.0, budget_cm: float = PAGE_TEXT_HEIGHT_CM * KEPT_SHARE) -> None:
    """Cut the kept-together chains (in place): a chain without merged cells taller than ``budget_cm`` into
    pieces that are not, one with merged cells where its pages end; mark rows taller than ``budget_cm``
    splittable. ``first_free_cm``: the room the table has on its first page (under grifs and title)."""
    page = Page(first_free_cm, header_cm)
    for chain in chains(rows):
        heights = [row_height(rows[i], widths_cm) for i in chain]
        for index, height in zip(chain, heights):
            rows[index].splittable = height > budget_cm
        merged = any(isinstance(rows[i], CellsRow) and any(cell.merge for cell in rows[i].cells) for i in chain)
        if merged:
            cut_at_page_ends(rows, chain, heights, budget_cm, page)
        elif sum(heights) > budget_cm:
            cut_by_budget(rows, chain, heights, budget_cm, page)
        else:
            page.place(sum(heights))
