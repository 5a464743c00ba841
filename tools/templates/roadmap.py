"""Template of the roadmap (дорожная карта): landscape A4, the grifs, the title, the plan table.

The author's lines (when the plan is not the configured school's own, e.g. a municipal department's)
stand centred above the title. The agreement grif (СОГЛАСОВАНО, top left) and the approval grif (УТВЕРЖДАЮ or УТВЕРЖДЕНА, top
right) share one line: a borderless two-column table. The plan table is generated per document by
``plugins/roadmap.py`` (its columns are the school's choice) and replaces the ``{{p plan_table }}``
paragraph; the template keeps the page (margins, fonts, page numbers from page 2) and the blocks
around it, so they can be edited in Word.
"""
from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import BODY_PT, CENTER, LEFT, executor_mark, new_document, para, set_widths

GRIF_WIDTHS_CM = [16.2, 10.0]  # together the text width of the landscape page (26.2 cm)
AGREEMENT_BLOCK_CM = 10.0


def line_loop(cell, lines_expr: str, right_indent_cm: float = 0.0) -> None:
    """Paragraphs of a cell repeated for each line of ``lines_expr``."""
    cell.paragraphs[0].add_run(f"{{%p for line in {lines_expr} %}}")
    line = para(cell, "{{ line }}", LEFT)
    line.runs[0].font.size = None
    if right_indent_cm:
        line.paragraph_format.right_indent = Cm(right_indent_cm)
    para(cell, "{%p endfor %}")


def borderless(table) -> None:
    """No borders, with ``w:tblBorders`` in its schema place (before the layout) and a fitting grid."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def grifs(doc) -> None:
    table = doc.add_table(rows=1, cols=2)
    agreement, approval = table.rows[0].cells
    line_loop(agreement, "agreement_lines", GRIF_WIDTHS_CM[0] - AGREEMENT_BLOCK_CM)
    line_loop(approval, "approval_lines")
    set_widths(table, GRIF_WIDTHS_CM)
    borderless(table)
    for column, width in zip(table.columns, GRIF_WIDTHS_CM):
        column.width = Cm(width)


def closing_paragraph(doc) -> None:
    """A 1-pt paragraph after the table: the body must end with a paragraph, and a full-height one
    after a table that fills the last page would push an empty page out."""
    paragraph = para(doc)
    paragraph.paragraph_format.line_spacing = Pt(1)  # exactly 1 pt high
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    paragraph.paragraph_format.element.get_or_add_pPr().append(mark)


def roadmap():
    doc = new_document(landscape=True)
    grifs(doc)
    para(doc, "", space_before=BODY_PT)
    para(doc, "{%p for line in author_lines %}")
    para(doc, "{{ line }}", CENTER)
    para(doc, "{%p endfor %}")
    para(doc, "{%p for line in title_lines %}")
    para(doc, "{{ line }}", CENTER, bold=True)
    para(doc, "{%p endfor %}")
    para(doc, "", space_after=6)
    para(doc, "{{p plan_table }}")
    executor_mark(doc)
    closing_paragraph(doc)
    return doc


BUILDERS = {"roadmap": roadmap}
