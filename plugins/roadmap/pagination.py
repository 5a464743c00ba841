"""Where the plan table's pages end, by estimate, and how kept-together rows are cut there so pages are full.

Rows are chained by ``keep_next``: a stage row (and a task row before the items) with the next row, the
rows of a cell merged down (a stage cell of the stage column, an activity over its lines of content), a
result row after the items with the stage's last row. The table is followed page by page with the row
heights ``measure`` gives (the grifs and title on page 1 included). A chain that fits in what is left of
its page stays whole; one that does not is cut at the row where the page is estimated to end, so the page
is filled instead of left half empty: the rows above the cut end the page, a cell merged across the cut
starts again below it with its text repeated (each page shows the stage or activity its rows belong to),
and the rest goes on at the top of the next page, cut again where that one ends. A cut is made a few
points before the estimated end (``SAFETY_PT``; more without the font files, when widths are a guess): a
cut after the real end would let LibreOffice break the piece, and a merged cell would cross the page with
its text on one side only. A cut never falls right after a stage or task row (it stays with its first
activity), and does not leave the last row of a chain alone at the top of the next page when a cut one
row earlier is possible. A row taller than a third of a page may break across pages (``splittable``);
shorter ones never do.
"""
from __future__ import annotations

from docgen.api import serif_available

from .measure import grown, merged_needs, row_height
from .plan import Cell, CellsRow, SpanRow

PAGE_PT = (11906 - 2 * 1134) / 20  # landscape A4 less the template's top and bottom margins (2 cm each)
SPLITTABLE_SHARE = 1 / 3  # a row taller than this share of a page may break across pages
SAFETY_PT = 6.0  # how far before its estimated end a page is cut (the estimate is within a few points)
TOLERANCE_PT = 2.0  # rows estimated to end closer than this to the page's end may not fit there
ROUGH_SHARE = 0.12  # both without the font files, as a share of the page
FULL_SHARE = 0.85  # a page this full may give up a row to keep a chain's last row company


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


class Heights:
    """The estimated height of any run of rows as it prints after a cut before its first row."""

    def __init__(self, rows: list, widths_pt: list[float]):
        self.own = [row_height(row, widths_pt) for row in rows]
        self.needs = merged_needs(rows, widths_pt)

    def of(self, start: int, end: int) -> float:
        """Rows ``start`` to ``end`` (excluded)."""
        return sum(grown(self.own[start:end], self.needs, start))


class Page:
    """Where the table has got to on its page, by the height estimates."""

    def __init__(self, first_free_pt: float, header_pt: float):
        self.fresh = PAGE_PT - header_pt
        self.free = max(0.0, first_free_pt - header_pt)
        rough = not serif_available()
        self.safety = PAGE_PT * ROUGH_SHARE if rough else SAFETY_PT
        self.tolerance = PAGE_PT * ROUGH_SHARE if rough else TOLERANCE_PT
        self.starts = [0]  # the row each page is estimated to begin with

    @property
    def room(self) -> float:
        """How much a piece cut here may fill of this page without risking a row past its real end."""
        return self.free - self.safety

    def fits(self, height: float) -> bool:
        """Whether rows this tall stand on this page as LibreOffice lays them out (by the estimate)."""
        return height <= self.free - self.tolerance

    def new(self, row: int) -> None:
        """``row`` begins the next page."""
        self.free = self.fresh
        self.starts.append(row)

    def place(self, height: float, row: int) -> None:
        """Rows from ``row`` on, ``height`` tall, from here on; rows that may break run on to the next pages."""
        self.free -= height
        while self.free < 0:
            self.free += self.fresh
            self.starts.append(row)


def can_cut(rows: list, index: int) -> bool:
    """Whether a page may end right before ``rows[index]`` (never right after a stage or task row)."""
    return not isinstance(rows[index - 1], SpanRow)


def widowless(rows: list, heights: Heights, start: int, cut: int, end: int, page: Page) -> int:
    """``cut``, or a row earlier when ``cut`` would leave a chain's last, short row alone on the next page
    and the page stays full enough without the row above it."""
    if end - cut > 1 or heights.own[cut] >= PAGE_PT * SPLITTABLE_SHARE or cut - 1 <= start \
            or not can_cut(rows, cut - 1):
        return cut
    left = page.free - heights.of(start, cut - 1)
    return cut - 1 if left <= PAGE_PT * (1 - FULL_SHARE) else cut


def last_cut(rows: list, heights: Heights, start: int, end: int, page: Page) -> int | None:
    """The latest row before which the chain from ``start`` may be cut with its first piece on this page."""
    found = None
    for cut in range(start + 1, end):
        if heights.of(start, cut) > page.room:
            break
        if can_cut(rows, cut):
            found = cut
    return widowless(rows, heights, start, found, end, page) if found is not None else None


def first_cut(rows: list, start: int, end: int) -> int | None:
    return next((cut for cut in range(start + 1, end) if can_cut(rows, cut)), None)


def place_chain(rows: list, heights: Heights, chain: list[int], page: Page) -> None:
    """Lay one kept chain on the pages: whole where it fits, else cut where each page ends."""
    start, end = chain[0], chain[-1] + 1
    while True:
        total = heights.of(start, end)
        if page.fits(total) or (end - start == 1 and rows[start].splittable):  # a tall row breaks where it is
            page.place(total, start)
            return
        cut = last_cut(rows, heights, start, end, page)
        if cut is None and page.free < page.fresh:
            page.new(start)  # its first rows do not fit here: LibreOffice moves them to the next page
            continue
        if cut is None:  # taller than a page from its first rows on: they run on (they may break)
            cut = first_cut(rows, start, end)
            if cut is None:
                page.place(total, start)
                return
            page.place(heights.of(start, cut), start)
        else:
            page.new(cut)
        cut_before(rows, cut)
        start = cut


def limit_kept_groups(rows: list, widths_pt: list[float], first_free_pt: float = PAGE_PT,
                      header_pt: float = 0.0) -> list[int]:
    """Cut the kept-together chains (in place) where their pages are estimated to end, merged cells restarted
    below each cut; mark rows taller than a third of a page splittable. ``first_free_pt``: the room the
    table has on its first page (under grifs and title); ``header_pt``: its header row, repeated on every
    page. Returns the row each page is estimated to begin with."""
    heights = Heights(rows, widths_pt)
    for row, height in zip(rows, heights.own):
        row.splittable = height > PAGE_PT * SPLITTABLE_SHARE
    page = Page(first_free_pt, header_pt)
    for chain in chains(rows):
        place_chain(rows, heights, chain, page)
    return page.starts
