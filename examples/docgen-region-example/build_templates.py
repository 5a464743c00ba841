"""Generate this plugin's .docx templates with python-docx (run: python build_templates.py).

- ``mentoring_report.docx``: the report to the municipal department, built here;
- ``pair_order.docx``: docgen's built-in pair order with the region's ministry
  line on top of the letterhead. It starts from the built-in template, so
  rebuild it when docgen's own template changes.
Both are ordinary Word files afterwards: a region may keep editing them in Word.
"""
from __future__ import annotations

import copy
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from docgen.plugins import BUILTIN_TEMPLATES_DIR

TEMPLATES = Path(__file__).resolve().parent / "docgen_region_example" / "doc_templates"
FONT = "Times New Roman"
LEFT, CENTER, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER,
                                WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY)


def new_document():
    """A4, margins 30/10/20/20 mm, Times New Roman 14 pt, single spacing, page numbers from page 2."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    style.paragraph_format.space_after = Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin = section.bottom_margin = Mm(20)
    page_numbers_from_page_two(section)
    return doc


def page_numbers_from_page_two(section) -> None:
    """A PAGE field top centre on every page but the first (ГОСТ Р 7.0.97)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        element = OxmlElement("w:fldChar" if kind else "w:instrText")
        if kind:
            element.set(qn("w:fldCharType"), kind)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(12)


def para(target, text: str = "", align=LEFT, bold: bool = False, size: int | None = None, indent: bool = False,
         before: int = 0, after: int = 0, keep_next: bool = False):
    paragraph = target.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(before), Pt(after), keep_next
    if indent:
        fmt.first_line_indent = Cm(1.25)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    return paragraph


def bottom_rule(paragraph) -> None:
    """A thin line under a paragraph (the edge of the letterhead)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "4"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def plain_table(doc, widths: list[float], borders: bool = True):
    table = doc.add_table(rows=1, cols=len(widths))
    if borders:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)  # the grid LibreOffice reads
    for cell_, width in zip(table.rows[0].cells, widths):
        cell_.width = Cm(width)  # the cell widths Word reads
    return table


def cell(cell_, text: str, align=LEFT, bold: bool = False) -> None:
    paragraph = cell_.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(12)


def repeat_header(row) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def cant_split(row) -> None:
    """A row never breaks across pages."""
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def loop_table(doc, headers: list[str], widths: list[float], cells: list[str], loop: str, total: list[str] | None = None,
               aligns: str = ""):
    """Header row, one row repeated by ``{%tr for loop %}``, an optional totals row; ``aligns``: L/C per column."""
    aligns = aligns or "C" + "L" * (len(widths) - 1)
    table = plain_table(doc, widths)
    for c, text in zip(table.rows[0].cells, headers):
        cell(c, text, CENTER, bold=True)
    repeat_header(table.rows[0])
    rows = [[f"{{%tr for {loop} %}}"], cells, ["{%tr endfor %}"]] + ([total] if total else [])
    for values in rows:
        row = table.add_row()
        cant_split(row)
        for c, text, width, align in zip(row.cells, values, widths, aligns):
            c.width = Cm(width)
            cell(c, text, CENTER if align == "C" else LEFT, bold=values is total)
    return table


def letterhead(doc) -> None:
    para(doc, "{{ region_ministry }}", CENTER, size=12)
    para(doc, "{{ org.parent }}", CENTER, size=12)
    para(doc, "{{ org.name }}", CENTER, bold=True)
    para(doc, "{%p if org.short_name %}")
    para(doc, "({{ org.short_name }})", CENTER)
    para(doc, "{%p endif %}")
    bottom_rule(para(doc, "{{ org.address }}{% if org.phone %}, тел. {{ org.phone }}{% endif %}", CENTER, size=10))


def addressee_and_number(doc) -> None:
    table = plain_table(doc, [7.5, 9.5], borders=False)
    left, right = table.rows[0].cells
    cell(left, "{{ date|date_short }} №\u00a0{{ number }}")
    cell(right, "{{ recipient.position }}")
    para(right, "{{ recipient.name }}", LEFT)
    for paragraph in left.paragraphs + right.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(14)


def mentoring_report():
    doc = new_document()
    letterhead(doc)
    para(doc, before=12)
    addressee_and_number(doc)
    para(doc, "{{ heading }}", LEFT, bold=True, before=18, after=12)
    para(doc, "{{ intro }}", JUSTIFY, indent=True, after=6)
    para(doc, "1. Основные показатели", LEFT, bold=True, before=6, after=6, keep_next=True)
    loop_table(doc, ["№ п/п", "Показатель", "Значение"], [1.5, 12.0, 3.5],
               ["{{ row.n }}", "{{ row.name }}", "{{ row.value }}"], "row in indicators", aligns="CLC")
    para(doc, "2. Формы наставничества", LEFT, bold=True, before=12, after=6, keep_next=True)
    loop_table(doc, ["№ п/п", "Форма наставничества", "Пар (групп)", "Наставников", "Наставляемых"],
               [1.5, 5.9, 2.9, 3.3, 3.4],
               ["{{ row.n }}", "{{ row.form }}", "{{ row.pairs }}", "{{ row.mentors }}", "{{ row.mentees }}"],
               "row in forms", ["", "Итого", "{{ totals.pairs }}", "{{ totals.mentors }}", "{{ totals.mentees }}"], aligns="CLCCC")
    para(doc, "{%p if events %}")
    para(doc, "3. Проведённые мероприятия", LEFT, bold=True, before=12, after=6, keep_next=True)
    loop_table(doc, ["№ п/п", "Мероприятие", "Дата", "Участников"], [1.5, 9.5, 2.8, 3.2],
               ["{{ row.n }}", "{{ row.title }}", "{{ row.date }}", "{{ row.participants }}"], "row in events",
               aligns="CLCC")
    para(doc, "{%p endif %}")
    para(doc, "{%p if results %}")
    para(doc, "{% if events %}4{% else %}3{% endif %}. Итоги", LEFT, bold=True, before=12, after=6, keep_next=True)
    para(doc, "{%p for line in results %}")
    para(doc, "{{ line }}", JUSTIFY, indent=True)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    para(doc, before=24)
    signature = plain_table(doc, [7.0, 4.5, 5.5], borders=False)
    for c, text, align in zip(signature.rows[0].cells, ["{{ signer.position }}", "____________", "{{ signer|initials }}"],
                              [LEFT, CENTER, RIGHT]):
        cell(c, text, align)
        c.paragraphs[0].runs[0].font.size = Pt(14)
    para(doc, "{%p if executor %}")
    para(doc, "{{ executor.name }}", size=10, before=24)
    para(doc, "{{ executor.phone or '' }}", size=10)
    para(doc, "{%p endif %}")
    return doc


def pair_order():
    """The built-in pair order with «{{ region_ministry }}» above the parent body and a rule under the letterhead."""
    doc = Document(str(BUILTIN_TEMPLATES_DIR / "pair_order.docx"))
    first = doc.paragraphs[0]
    ministry = copy.deepcopy(first._p)
    first._p.addprevious(ministry)
    line = doc.paragraphs[0]
    for run in line.runs[1:]:
        run._r.getparent().remove(run._r)
    line.runs[0].text = "{{ region_ministry }}"
    line.runs[0].bold = True
    short_name_end = next(p for p in doc.paragraphs if p.text.strip() == "{%p endif %}")
    rule = copy.deepcopy(short_name_end._p)
    short_name_end._p.addnext(rule)
    rule_paragraph = next(p for p in doc.paragraphs if p._p is rule)
    for run in rule_paragraph.runs:
        run._r.getparent().remove(run._r)
    bottom_rule(rule_paragraph)
    return doc


BUILDERS = {"mentoring_report": mentoring_report, "pair_order": pair_order}


def main() -> None:
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        target = TEMPLATES / f"{name}.docx"
        build().save(str(target))
        print(f"written {target}")


if __name__ == "__main__":
    main()
