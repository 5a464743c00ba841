"""Long tables of a rendered DOCX cut into several, so that LibreOffice lays them out in linear time.

LibreOffice's layout of one table grows faster than its rows (a 2,000-row table takes about
four times a 1,000-row one; see docs/speed.md), while the same rows as tables of a few hundred
rows take time in proportion. After rendering, every body table longer than ``WHOLE_UP_TO`` rows
(tables of ordinary documents — roadmaps, orders of a few hundred pairs — stay whole, so no header
row ever stands in the middle of their pages) is cut into tables of at most ``ROWS`` rows: each new table repeats the original's header rows
(``w:tblHeader``), keeps its properties and column grid, and is separated from the previous one
by a paragraph one point high (with nothing between them, Word and LibreOffice join two tables
again). The numbering in the rows is text, so it simply runs on. A cut never falls inside
vertically merged cells (a mentor spanning several mentees).
"""
from __future__ import annotations

import copy

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

WHOLE_UP_TO = 500  # a table of at most this many rows is never cut
ROWS = 250  # rows of one part of a cut table at most (header rows not counted)
SEPARATOR_TWIPS = "20"  # one point: the paragraph between two parts of a table


def is_header(row) -> bool:
    properties = row.find(qn("w:trPr"))
    return properties is not None and properties.find(qn("w:tblHeader")) is not None


def continues_merge(row) -> bool:
    """Whether the row continues a vertical merge from the row above (a cut there would break it)."""
    for cell in row.findall(qn("w:tc")):
        properties = cell.find(qn("w:tcPr"))
        merge = properties.find(qn("w:vMerge")) if properties is not None else None
        if merge is not None and merge.get(qn("w:val"), "continue") == "continue":
            return True
    return False


def cut_points(rows: list) -> list[int]:
    """Indexes of the rows that start a new table: about every ``ROWS`` rows, never inside a merge."""
    points, since = [], 0
    for index, row in enumerate(rows):
        if since >= ROWS and not continues_merge(row):
            points.append(index)
            since = 0
        since += 1
    return points


def separator():
    paragraph = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    for key, value in (("before", "0"), ("after", "0"), ("line", SEPARATOR_TWIPS), ("lineRule", "exact")):
        spacing.set(qn(f"w:{key}"), value)
    run_properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    run_properties.append(size)
    properties.extend([spacing, run_properties])
    paragraph.append(properties)
    return paragraph


def is_separator(element) -> bool:
    """Whether ``element`` is the paragraph ``separator`` makes (one point high, no text)."""
    if element is None or element.tag != qn("w:p") or element.find(qn("w:r")) is not None:
        return False
    spacing = element.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    return spacing is not None and spacing.get(qn("w:line")) == SEPARATOR_TWIPS \
        and spacing.get(qn("w:lineRule")) == "exact"


def cut_table(table) -> int:
    """Cut one ``w:tbl`` element in place; return how many tables were added after it."""
    rows = table.findall(qn("w:tr"))
    headers = [row for row in rows if is_header(row)]
    body = [row for row in rows if not is_header(row)]
    points = cut_points(body)
    anchor = table
    for start, end in zip(points, points[1:] + [len(body)]):
        part = OxmlElement("w:tbl")
        for tag in ("w:tblPr", "w:tblGrid"):
            element = table.find(qn(tag))
            if element is not None:
                part.append(copy.deepcopy(element))
        part.extend(copy.deepcopy(row) for row in headers)
        part.extend(body[start:end])  # moved out of the first table
        gap = separator()
        anchor.addnext(gap)
        gap.addnext(part)
        anchor = part
    return len(points)


def cut_long_tables(body) -> int:
    """Cut every table of the document body (not nested ones) longer than ``WHOLE_UP_TO`` rows."""
    return sum(cut_table(table) for table in body.findall(qn("w:tbl"))
               if len(table.findall(qn("w:tr"))) > WHOLE_UP_TO)
