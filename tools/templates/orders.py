"""Templates of the two orders: the pair order (with its annex table) and the reward order.

Both follow ГОСТ Р 7.0.97-2025: letterhead with the parent body and the short
name, ПРИКАЗ, date and number, place, heading, preamble, «ПРИКАЗЫВАЮ:», the
numbered points (their text, grammar included, comes from the plugins), the
signature and the «С приказом ознакомлены:» list. The wording lives in the
plugins; the templates only lay it out.
"""
from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from . import (CENTER, JUSTIFY, LEFT, RIGHT, TABLE_PT, cant_split, cell_text, date_number_line, executor_mark,
               grid_table, letterhead, new_document, no_borders, page_break, para, repeat_header, set_widths)
from . import qr_code

ANNEX_HEADERS = ["№ п/п", "Наставник (ФИО, должность)", "Наставляемый (ФИО, должность или класс)",
                 "Форма наставничества", "Срок"]
ANNEX_WIDTHS = [1.1, 4.6, 4.6, 3.6, 3.1]  # 17 cm: A4 less the 30 + 10 mm margins
ACKNOWLEDGEMENT_WIDTHS = [8.0, 4.5, 4.5]
TEXT_WIDTH_CM = 17.0  # A4 less the 30 + 10 mm margins


def order_opening(doc) -> None:
    letterhead(doc, "ПРИКАЗ")
    date_number_line(doc)
    qr_code(doc)
    para(doc, "{{ heading }}", LEFT, bold=True, space_before=12, space_after=12)
    para(doc, "{{ preamble }}", JUSTIFY, indent=True)
    para(doc, "ПРИКАЗЫВАЮ:", LEFT, space_before=6, space_after=6, keep_next=True)
    para(doc, "{%p for point in points[:-1] %}")
    para(doc, "{{ point }}", JUSTIFY, indent=True)
    para(doc, "{%p endfor %}")


def closing_block(doc) -> None:
    """The last point, the basis line and the signature, which never part across pages.

    They sit in one borderless, unsplittable table row: LibreOffice does not
    reliably honour «keep with next» on a paragraph when tables follow later
    in the document (measured: the signature ended alone on page 2).
    """
    table = doc.add_table(rows=1, cols=1)
    no_borders(table)
    zero_cell_margins(table)
    cant_split(table.rows[0])
    set_widths(table, [TEXT_WIDTH_CM])
    cell = table.rows[0].cells[0]
    last_point = cell.paragraphs[0]
    last_point.alignment = JUSTIFY
    last_point.paragraph_format.first_line_indent = Cm(1.25)
    last_point.add_run("{{ points[-1] }}")
    para(cell, "{%p if grounds %}")
    para(cell, "Основание: {{ grounds }}", JUSTIFY, space_before=6)
    para(cell, "{%p endif %}")
    signature_line(cell)


def zero_cell_margins(table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def signature_line(container) -> None:
    """«Директор ____________ З.А. Сафарова»: one paragraph, position left, initials and surname right."""
    paragraph = para(container, "{{ signer.position }}\t____________\t{{ signer|initials }}", LEFT, space_before=36)
    tabs = paragraph.paragraph_format.tab_stops
    tabs.add_tab_stop(Cm(10.5), WD_TAB_ALIGNMENT.CENTER)
    tabs.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)


def acknowledgement(doc) -> None:
    """«С приказом ознакомлены:»: one row per person named, signature and date blank."""
    para(doc, "{%p if acquainted %}")
    para(doc, "С приказом ознакомлены:", LEFT, space_before=18, space_after=6, keep_next=True)
    table = grid_table(doc, ["Фамилия, инициалы", "Подпись", "Дата"], ACKNOWLEDGEMENT_WIDTHS,
                       ["{{ person }}", "", ""], "person in acquainted")
    signing_row = table.rows[2]  # room for a handwritten signature
    signing_row.height = Cm(0.8)
    signing_row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell in signing_row.cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    para(doc, "{%p endif %}")


def annex_mark(doc) -> None:
    """«Приложение № 1 к приказу от 31.08.2023 № 53-од», top right of the annex."""
    para(doc, "Приложение №\u00a01", RIGHT, size=12)
    para(doc, "к приказу от {{ date|date_short }} №\u00a0{{ number }}", RIGHT, size=12, space_after=12)


def groups_table(doc):
    """The annex table: one row per mentee; a group's mentor, number, form and period cells merged.

    Rows: header (repeated on every page), ``{%tr for group %}``, ``{%tr for
    mentee %}``, the data row, and the two ``endfor`` rows. ``{% vm %}`` merges a
    cell vertically over the inner loop, i.e. over one group.
    """
    table = doc.add_table(rows=6, cols=len(ANNEX_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header, outer, inner, data, inner_end, outer_end = table.rows
    for cell, title in zip(header.cells, ANNEX_HEADERS):
        cell_text(cell, title, CENTER, bold=True)
    repeat_header(header)
    cant_split(header)
    outer.cells[0].paragraphs[0].add_run("{%tr for group in groups %}")
    inner.cells[0].paragraphs[0].add_run("{%tr for mentee in group.mentees %}")
    cells = ["{% vm %}{{ group.n }}", "{% vm %}{{ group.mentor }}", "{{ mentee }}",
             "{% vm %}{{ group.form }}", "{% vm %}{{ group.period }}"]
    aligns = [CENTER, LEFT, LEFT, LEFT, CENTER]
    for cell, text, align in zip(data.cells, cells, aligns):
        cell_text(cell, text, align, size=TABLE_PT)
    cant_split(data)
    inner_end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    outer_end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    set_widths(table, ANNEX_WIDTHS)
    return table


def pair_order():
    doc = new_document()
    order_opening(doc)
    closing_block(doc)
    acknowledgement(doc)
    page_break(doc)
    annex_mark(doc)
    para(doc, "{{ annex_title }}", CENTER, bold=True, space_after=12)
    groups_table(doc)
    executor_mark(doc, at_page_bottom=True)
    return doc


def reward_order():
    doc = new_document()
    order_opening(doc)
    closing_block(doc)
    acknowledgement(doc)
    executor_mark(doc, at_page_bottom=True)
    return doc


BUILDERS = {"pair_order": pair_order, "reward_order": reward_order}
