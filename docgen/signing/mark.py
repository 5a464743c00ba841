"""The «Отметка об электронной подписи» (ГОСТ Р 7.0.97-2025, п. 5.23) on a visualisation copy of a PDF.

The mark is a framed block — «Документ подписан электронной подписью»,
«Сертификат: …», «Владелец: …», «Действителен: с … по …» and, when known,
the signing time — in Liberation Serif (Times New Roman metrics), 8 pt and
up, drawn by reportlab into a one-page overlay and merged by pypdf onto the
page that carries the signature block: in the gap of the signature line
between the position and the name when it fits, else just above or below it,
never over other text. The original PDF is never changed, so its detached
signature still verifies; the copy is a new file.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.colors import Color, white
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from ..errors import DocgenError
from ..fonts import BOLD, REGULAR, serif_available

FONT_SIZE = 8.5
LEADING = 10.5
PADDING = 4.0
GAP = 3.0  # between the frame and any text around it
INK = Color(0.09, 0.20, 0.52)  # the dark blue of signature stamps
MARK_TITLE = "Документ подписан электронной подписью"


@dataclass(frozen=True)
class MarkText:
    serial: str
    owner: str
    valid_from: str  # dd.mm.yyyy
    valid_to: str
    signed_at: str | None = None  # dd.mm.yyyy hh:mm

    def lines(self, compact: bool = False, with_time: bool = True) -> list[str]:
        validity = f"Действителен: с {self.valid_from} по {self.valid_to}"
        signed = f"Подписан: {self.signed_at}" if with_time and self.signed_at else ""
        if compact:  # three lines for a tight signature area
            certificate = f"Сертификат: {self.serial}" + (f".  {signed}" if signed else "")
            return [MARK_TITLE, certificate, f"Владелец: {self.owner}.  {validity}"]
        return [MARK_TITLE, f"Сертификат: {self.serial}", f"Владелец: {self.owner}", validity] + ([signed] if signed else [])


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box") -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass(frozen=True)
class TextItem:
    text: str
    box: Box
    baseline: float


def register_fonts() -> None:
    if not serif_available():
        raise DocgenError("Не найден шрифт Liberation Serif (пакет fonts-liberation2): отметку о подписи не нарисовать.")


def text_items(page) -> list[TextItem]:
    """Every piece of text on a page with an estimate of its box (from its origin, size and Liberation metrics)."""
    register_fonts()
    items: list[TextItem] = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
        height = (size or 12) * scale
        width = pdfmetrics.stringWidth(text.rstrip("\n"), REGULAR, height)
        items.append(TextItem(text.strip(), Box(x, y - 0.25 * height, x + width, y + 0.8 * height), y))

    page.extract_text(visitor_text=visit)
    return items


def signature_page(reader: PdfReader, surname: str) -> tuple[int, TextItem | None]:
    """The (last) page and text item with the signer's surname; the last page when the name is not found."""
    key = surname.lower().replace("ё", "е")
    found = (len(reader.pages) - 1, None)
    for index, page in enumerate(reader.pages):
        for item in text_items(page):
            if key and key in item.text.lower().replace("ё", "е"):
                found = (index, item)
    return found


def mark_size(lines: list[str]) -> tuple[float, float]:
    register_fonts()
    width = max(pdfmetrics.stringWidth(line, BOLD if i == 0 else REGULAR, FONT_SIZE) for i, line in enumerate(lines))
    return width + 2 * PADDING, len(lines) * LEADING + 2 * PADDING - (LEADING - FONT_SIZE)


def place_mark(text: MarkText, items: list[TextItem], anchor: TextItem | None, page_box: Box) -> tuple[Box, list[str]]:
    """Where the frame goes and which layout it has: the first candidate that covers no text."""
    line_items = [i for i in items if anchor and abs(i.baseline - anchor.baseline) < 2]
    others = [i.box for i in items if i not in line_items]
    left_end = max((i.box.x1 for i in line_items if anchor and i.box.x1 <= anchor.box.x0 + 1 and "__" not in i.text),
                   default=page_box.x0 + 56)
    right_start = anchor.box.x0 if anchor else page_box.x1 - 56
    middle = anchor.baseline + 0.3 * FONT_SIZE if anchor else page_box.y0 + 200
    layouts = [text.lines(), text.lines(compact=True), text.lines(compact=True, with_time=False)]
    candidates = []
    for lines in layouts:
        width, height = mark_size(lines)
        centre_x = (left_end + right_start) / 2 if right_start - left_end > width + 2 * GAP else (
            min(max((page_box.x0 + page_box.x1) / 2, page_box.x0 + 40 + width / 2), page_box.x1 - 40 - width / 2))
        x0 = centre_x - width / 2
        for y0 in (middle - height / 2, (anchor.box.y1 + GAP) if anchor else middle,
                   (anchor.box.y0 - GAP - height) if anchor else middle - height):
            candidates.append((Box(x0, y0, x0 + width, y0 + height), lines))
    inside = [c for c in candidates if c[0].y0 >= page_box.y0 + 20 and c[0].y1 <= page_box.y1 - 20]
    for box, lines in inside:
        blocked = [b for b in others if b.overlaps(Box(box.x0 - GAP, box.y0 - GAP, box.x1 + GAP, box.y1 + GAP))]
        if not blocked and not any(b.overlaps(box) for b in (i.box for i in line_items if "__" not in i.text)):
            return box, lines
    return (inside or candidates)[-1]


def overlay_pdf(page_width: float, page_height: float, box: Box, lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(page_width, page_height))
    pdf.setFillColor(white)
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(0.9)
    pdf.roundRect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0, 3, stroke=1, fill=1)
    pdf.setFillColor(INK)
    y = box.y1 - PADDING - FONT_SIZE * 0.8
    for index, line in enumerate(lines):
        if index == 0:
            pdf.setFont(BOLD, FONT_SIZE)
            pdf.drawCentredString((box.x0 + box.x1) / 2, y, line)
        else:
            pdf.setFont(REGULAR, FONT_SIZE)
            pdf.drawString(box.x0 + PADDING, y, line)
        y -= LEADING
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def marked_copy(original: Path, target: Path, text: MarkText, surname: str) -> int:
    """Write ``target``: ``original`` with the mark on its signature page; return that page's index."""
    register_fonts()
    reader = PdfReader(str(original))
    index, anchor = signature_page(reader, surname)
    page = reader.pages[index]
    media = page.mediabox
    page_box = Box(float(media.left), float(media.bottom), float(media.right), float(media.top))
    box, lines = place_mark(text, text_items(page), anchor, page_box)
    overlay = PdfReader(io.BytesIO(overlay_pdf(float(media.right), float(media.top), box, lines))).pages[0]
    writer = PdfWriter(clone_from=reader)
    writer.pages[index].merge_page(overlay)
    title = reader.metadata.get("/Title") if reader.metadata else None
    writer.add_metadata({"/Title": f"{title or original.stem} (подписан ЭП)", "/Creator": "docgen"})
    with open(target, "wb") as handle:
        writer.write(handle)
    return index
