"""The serif font documents are printed in (Liberation Serif, metric twin of Times New Roman): its files and widths.

LibreOffice prints Times New Roman with Liberation Serif (``fonts-liberation2``), whose glyphs have the same
advance widths. reportlab (a dependency already, for the signature mark) reads the TrueType files;
``text_width`` gives how long a text is at a size, so a layout estimate can wrap lines as LibreOffice does.
Without the files (a machine lacking the package) ``serif_available`` is False and callers estimate otherwise.
"""
from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
REGULAR, BOLD = "DocgenSerif", "DocgenSerif-Bold"
FILES = {REGULAR: "LiberationSerif-Regular.ttf", BOLD: "LiberationSerif-Bold.ttf"}
_found: list[bool] = []  # the answer, once looked for


def serif_available() -> bool:
    """Register Liberation Serif (regular and bold) with reportlab once; whether its files were found."""
    if not _found:
        _found.append(REGULAR in pdfmetrics.getRegisteredFontNames() or register_serif())
    return _found[0]


def register_serif() -> bool:
    for folder in FONT_DIRS:
        paths = {name: folder / file for name, file in FILES.items()}
        if all(path.is_file() for path in paths.values()):
            for name, path in paths.items():
                pdfmetrics.registerFont(TTFont(name, str(path)))
            return True
    return False


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """The advance width of ``text`` in points at ``size_pt`` (``serif_available()`` must be True)."""
    return pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size_pt)
