"""The roadmap's plan table drawn as a Word table, for the template's ``{{p plan_table }}`` paragraph.

python-docx builds the ``<w:tbl>``: column widths scaled to the landscape text width, a header row
repeated on every page (``w:tblHeader``), rows not split (``w:cantSplit``) unless taller than a third of a page, stage rows shaded,
bold, spanning the table and kept with the next row, vertical merges where the plan asks for them.
Elements are inserted in their schema order, which Word insists on.
"""
from __future__ import annotations

import re

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt
from docx.table import _Cell
from lxml import etree
from markupsafe import Markup

from .measure import PT_PER_CM, TABLE_PT, header_height
from .pagination import PAGE_PT, limit_kept_groups
from .plan import CellsRow, PlanColumn, SpanRow, lines_of

TEXT_WIDTH_CM = 26.2  # landscape A4 (29.7 cm) less the template's margins (2.0 cm + 1.5 cm)
STAGE_FILL = "E8E8E8"

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
TR_AFTER_CANTSPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del",
                      "w:trPrChange")
TC_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
                "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")
TBL_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                     "w:tblDescription", "w:tblPrChange")


def fitted_widths(columns: list[PlanColumn]) -> list[Emu]:
    """Column widths scaled so the table fills the text width of the landscape page."""
    total = sum(c.width for c in columns)
    return [Emu(int(Cm(TEXT_WIDTH_CM) * c.width / total)) for c in columns]


def row_property(tr, tag: str, successors: tuple[str, ...]) -> None:
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    tr.get_or_add_trPr().insert_element_before(element, *successors)


def shade(tc) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), STAGE_FILL)
    tc.get_or_add_tcPr().insert_element_before(shd, *TC_AFTER_SHD)


def write_paragraphs(cell: _Cell, paragraphs: list[list[tuple[str, bool]]], align, keep_next=False) -> None:
    for index, runs in enumerate(paragraphs or [[]]):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = align
        if keep_next:
            paragraph.paragraph_format.keep_with_next = True
        for text, bold in runs:
            run = paragraph.add_run(text)
            run.font.size = Pt(TABLE_PT)
            run.bold = bold or None


def grid_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for attr, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            element.set(qn(f"w:{attr}"), value)
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, *TBL_AFTER_BORDERS)


def cell_margins(table) -> None:
    """A little air above and below the text of every cell; the usual 0.19 cm at the sides."""
    margins = OxmlElement("w:tblCellMar")
    for edge, twips in (("top", 28), ("left", 108), ("bottom", 28), ("right", 108)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, *TBL_AFTER_BORDERS[2:])


def new_table(columns: list[PlanColumn]):
    table = Document().add_table(rows=0, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = fitted_widths(columns)
    for column, width in zip(table.columns, widths):
        column.width = width
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(w.twips for w in widths)))
    grid_borders(table)
    cell_margins(table)
    return table


def add_header(table, columns: list[PlanColumn]) -> None:
    row = table.add_row()
    row_property(row._tr, "w:cantSplit", TR_AFTER_CANTSPLIT)
    row_property(row._tr, "w:tblHeader", TR_AFTER_CANTSPLIT[2:])
    for tc, column in zip(row._tr.tc_lst, columns):
        cell = _Cell(tc, table)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        write_paragraphs(cell, [[(line, True)] for line in lines_of(column.title)], ALIGN["center"])


def add_span_row(table, span: SpanRow, columns: list[PlanColumn]) -> None:
    """A row across the table; with ``span.lead`` the first column keeps its own cell (the stage number)."""
    row = table.add_row()
    tr = row._tr
    if not span.splittable:
        row_property(tr, "w:cantSplit", TR_AFTER_CANTSPLIT)
    cells = list(tr.tc_lst)
    if span.lead is not None:
        lead, first, *rest = cells
        write_paragraphs(_Cell(lead, table), [[(line, True)] for line in span.lead],
                         ALIGN.get(columns[0].align, ALIGN["left"]), span.keep_next)
        if span.shaded:
            shade(lead)
    else:
        first, *rest = cells
    for tc in rest:
        tr.remove(tc)
    widths = [gc.w for gc in table._tbl.tblGrid.gridCol_lst]
    first.width = Emu(sum(widths[1:] if span.lead is not None else widths))
    first.grid_span = len(rest) + 1
    if span.shaded:
        shade(first)
    write_paragraphs(_Cell(first, table), span.paragraphs, ALIGN["left"], keep_next=span.keep_next)


def add_cells_row(table, cells_row: CellsRow, columns: list[PlanColumn]) -> None:
    row = table.add_row()
    if not cells_row.splittable:
        row_property(row._tr, "w:cantSplit", TR_AFTER_CANTSPLIT)
    for tc, cell, column in zip(row._tr.tc_lst, cells_row.cells, columns):
        if cell.merge:
            tc.vMerge = cell.merge
        paragraphs = [[(line, cell.bold_first and i == 0)] for i, line in enumerate(cell.lines)]
        write_paragraphs(_Cell(tc, table), paragraphs, ALIGN.get(column.align, ALIGN["left"]), cells_row.keep_next)


def plan_table_xml(columns: list[PlanColumn], rows: list, above_pt: float = 0.0) -> Markup:
    """The whole plan table as a ``<w:tbl>`` element, ready for a ``{{p … }}`` paragraph; ``above_pt``: the
    height of what stands above it on page 1."""
    table = new_table(columns)
    widths = [width.cm * PT_PER_CM for width in fitted_widths(columns)]
    limit_kept_groups(rows, widths, PAGE_PT - above_pt, header_height(columns, widths))
    add_header(table, columns)
    for row in rows:
        if isinstance(row, SpanRow):
            add_span_row(table, row, columns)
        else:
            add_cells_row(table, row, columns)
    xml = etree.tostring(table._tbl, encoding="unicode")
    return Markup(re.sub(r"^<w:tbl[^>]*>", "<w:tbl>", xml))
