"""Several DOCX of one template as one LibreOffice document, and its PDF split back per document.

LibreOffice's cost for a one-page document is mostly fixed (loading the
template's styles, laying out, starting an export): converting ten such
documents as one costs little more than converting one. ``combinable`` says
whether documents can be joined without changing what each one prints:
rendered from the same template (every package part but the body byte for
byte the same: styles, headers, pictures), one section each, no list
numbering, footnotes or total-page fields that would run on from one document
into the next. ``combine`` writes their bodies one after another, each ending
its own section with page numbering restarted at 1 and beginning with a
bookmark; LibreOffice exports the bookmarks as named destinations, so
``split`` finds each document's first page in the PDF and writes each
document's pages to its own file with its own title, author and subject.
Anything unexpected (a destination missing, pages out of order) raises
``SplitFailed`` and the caller converts the documents one by one instead.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter

BODY_PART = "word/document.xml"
MARK = "docgenpart"  # bookmark names: docgenpart0, docgenpart1, … (letters only: PDF names stay unescaped)
MARK_ID_BASE = 900000  # bookmark ids far above any a template uses
SECTION = re.compile(r"<w:sectPr\b.*?</w:sectPr>", re.S)
PAGE_NUMBERING = re.compile(r"<w:pgNumType\b[^>]*/>")
PARAGRAPH = re.compile(r"<w:p[ >]")
# What would run on from one document into the next, or count the pages of all of them.
RUNS_ON = re.compile(r"<w:numPr>|<w:footnoteReference|<w:endnoteReference|<w:commentReference|"
                     r"NUMPAGES|SECTIONPAGES|" + MARK)
HEADER_OR_FOOTER = re.compile(r"word/(header|footer)\d*\.xml")


class SplitFailed(Exception):
    """The combined PDF does not show where each document starts: convert them one by one."""


@dataclass(frozen=True)
class Part:
    """One document of a combined conversion: its PDF and the metadata it carries."""

    pdf: Path
    title: str
    author: str
    subject: str


def package_parts(docx: Path) -> dict[str, int]:
    """CRC-32 of every part but the body (read from the zip directory: nothing is decompressed)."""
    with zipfile.ZipFile(docx) as package:
        return {info.filename: info.CRC for info in package.infolist() if info.filename != BODY_PART}


def read_body(docx: Path) -> str:
    with zipfile.ZipFile(docx) as package:
        return package.read(BODY_PART).decode("utf-8")


def body_parts(xml: str) -> tuple[str, str, str, str]:
    """``(before, content, section, after)`` of a document.xml: the body's content and its last sectPr."""
    start = xml.index("<w:body>") + len("<w:body>")
    end = xml.rindex("</w:body>")
    body = xml[start:end]
    sections = list(SECTION.finditer(body))
    if len(sections) != 1 or body[sections[0].end():].strip():
        raise ValueError("not one section at the end of the body")
    return xml[:start], body[:sections[0].start()], sections[0].group(0), xml[end:]


def body_fits(xml: str) -> bool:
    """One section, no numbering or fields that run on, a paragraph, a paragraph or a table at the end."""
    if RUNS_ON.search(xml):
        return False
    try:
        _, content, _, _ = body_parts(xml)
    except ValueError:
        return False
    content = content.strip()
    return bool(PARAGRAPH.search(content)) and content.endswith(("</w:p>", "</w:tbl>"))


def combinable(docx_paths: list[Path]) -> bool:
    """Whether these DOCX can be converted as one document without changing any one's pages."""
    if len(docx_paths) < 2:
        return False
    try:
        first = package_parts(docx_paths[0])
        if any(package_parts(path) != first for path in docx_paths[1:]) or counts_all_pages(docx_paths[0]):
            return False
        return all(body_fits(read_body(path)) for path in docx_paths)
    except (OSError, zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        return False


def counts_all_pages(docx: Path) -> bool:
    """Whether a header or footer prints the number of pages (which would count every document)."""
    with zipfile.ZipFile(docx) as package:
        return any(RUNS_ON.search(package.read(name).decode("utf-8", "replace"))
                   for name in package.namelist() if HEADER_OR_FOOTER.fullmatch(name))


def restarted(section: str) -> str:
    """The section's properties with page numbers starting again at 1."""
    section = PAGE_NUMBERING.sub("", section)
    return section.replace("</w:sectPr>", '<w:pgNumType w:start="1"/></w:sectPr>')


def bookmark(index: int) -> str:
    mark_id = MARK_ID_BASE + index
    return f'<w:bookmarkStart w:id="{mark_id}" w:name="{MARK}{index}"/><w:bookmarkEnd w:id="{mark_id}"/>'


def after_paragraph_properties(content: str, paragraph_start: int) -> int:
    """Where a paragraph's runs begin: after its ``<w:pPr>`` if it has one."""
    position = content.index(">", paragraph_start) + 1
    if content.startswith("<w:pPr>", position):
        return content.index("</w:pPr>", position) + len("</w:pPr>")
    return position


def ending_its_section(content: str, section: str) -> str:
    """The content with its last paragraph carrying the section's properties (a section break).

    A body ending with a table or a framed paragraph gets an empty paragraph for it: the one
    LibreOffice adds after a final table, or to anchor a final frame, of a lone document anyway."""
    last = max(m.start() for m in PARAGRAPH.finditer(content))
    if content.endswith("</w:tbl>") or "<w:framePr" in content[last:]:
        return content + "<w:p><w:pPr>" + section + "</w:pPr></w:p>"
    position = content.index(">", last) + 1
    if content.startswith("<w:pPr>", position):
        close = content.index("</w:pPr>", position)
        return content[:close] + section + content[close:]
    return content[:position] + "<w:pPr>" + section + "</w:pPr>" + content[position:]


def combined_body(bodies: list[str]) -> str:
    pieces = []
    for index, xml in enumerate(bodies):
        _, content, section, _ = body_parts(xml)
        content = content.strip()
        start = after_paragraph_properties(content, PARAGRAPH.search(content).start())
        content = content[:start] + bookmark(index) + content[start:]
        section = restarted(section)
        last = index == len(bodies) - 1
        pieces.append(content + section if last else ending_its_section(content, section))
    return "".join(pieces)


def combine(docx_paths: list[Path], target: Path) -> None:
    """One DOCX holding the documents one after another, each its own section starting on a new page."""
    bodies = [read_body(path) for path in docx_paths]
    before, _, _, after = body_parts(bodies[0])
    xml = before + combined_body(bodies) + after
    with zipfile.ZipFile(docx_paths[0]) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for info in source.infolist():
            data = xml.encode("utf-8") if info.filename == BODY_PART else source.read(info)
            out.writestr(info.filename, data)


def first_pages(reader: PdfReader, count: int) -> list[int]:
    """The first page (0-based) of each of ``count`` documents, from the bookmarks' named destinations."""
    pages: dict[int, int] = {}
    for name, destination in reader.named_destinations.items():
        match = re.fullmatch(rf"/?{MARK}(\d+)", str(name))
        if match:
            pages[int(match[1])] = reader.get_destination_page_number(destination)
    starts = [pages.get(index) for index in range(count)]
    if None in starts or starts[0] != 0 or any(b <= a for a, b in zip(starts, starts[1:])):
        raise SplitFailed(f"document starts not found in the combined PDF: {starts}")
    return starts


def metadata(reader: PdfReader, part: Part) -> dict:
    """The combined PDF's information (producer, dates) with this document's title, author and subject;
    an empty one left out, as LibreOffice leaves it out of a lone document."""
    own = {"/Title": part.title, "/Author": part.author, "/Subject": part.subject}
    shared = {key: value for key, value in (reader.metadata or {}).items() if key not in own}
    return {**shared, **{key: value for key, value in own.items() if value}}


def split(combined: Path, parts: list[Part]) -> None:
    """Write each document's pages of the combined PDF to its own file, with its own metadata."""
    reader = PdfReader(str(combined))
    starts = first_pages(reader, len(parts))
    ends = starts[1:] + [len(reader.pages)]
    for part, start, end in zip(parts, starts, ends):
        writer = PdfWriter()
        for number in range(start, end):
            writer.add_page(reader.pages[number])
        writer.add_metadata(metadata(reader, part))
        with open(part.pdf, "wb") as handle:
            writer.write(handle)
