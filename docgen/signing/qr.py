"""The QR code of a document (ГОСТ Р 7.0.97-2025 allows one at the bottom right of the first page).

It holds the organisation, the document kind, number, date and heading, and
— when ``[signing] check_url`` is set — a link to the page that says whether
that number exists and is signed (``check_url?number=…&date=YYYY-MM-DD``:
only the number and date, never personal data). Made with segno; placed by
the template through the ``qr`` context variable (a docxtpl ``InlineImage``
in a frame at the bottom right of page 1), so a region's template can move
or drop it. Optional per type: ``[signing] qr = true`` or a list of type ids.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import segno

QR_WIDTH_MM = 25.0


@dataclass(frozen=True)
class QrImage:
    """A QR code waiting for its template: ``rendering`` turns it into a docxtpl InlineImage."""

    text: str
    width_mm: float = QR_WIDTH_MM

    def png(self) -> bytes:
        code = segno.make(self.text, error="m", micro=False)
        buffer = io.BytesIO()
        code.save(buffer, kind="png", scale=8, border=2)
        return buffer.getvalue()

    def __str__(self) -> str:  # a renderer that knows no images prints nothing rather than the object
        return ""


def qr_enabled(raw: dict, type_id: str) -> bool:
    setting = (raw.get("signing", {}) or {}).get("qr", False)
    if isinstance(setting, list):
        return type_id in setting
    return bool(setting)


def check_link(check_url: str, number: str, doc_date: date) -> str:
    separator = "&" if "?" in check_url else "?"
    return check_url + separator + urlencode({"number": number, "date": doc_date.isoformat()})


def qr_text(organization: dict, kind: str, number: str, doc_date: date, heading: str, check_url: str = "") -> str:
    """«МБОУ «СОШ № 7»\\nПриказ № 1-од от 31.08.2023\\nО закреплении…\\nhttps://…?number=1-од&date=2023-08-31»."""
    org = organization.get("short_name") or organization.get("name", "")
    title = f"{kind} № {number} от {doc_date:%d.%m.%Y}" if number else f"{kind} от {doc_date:%d.%m.%Y}"
    lines = [org, title, heading]
    if check_url and number:
        lines.append(check_link(check_url, number, doc_date))
    return "\n".join(line for line in lines if line)


def qr_for(raw: dict, type_id: str, kind: str, context: dict) -> QrImage | str:
    """The ``qr`` context value of one document: a ``QrImage``, or "" when this type has none."""
    if not qr_enabled(raw, type_id):
        return ""
    check_url = str((raw.get("signing", {}) or {}).get("check_url", ""))
    return QrImage(qr_text(context.get("org") or {}, kind, context.get("number", ""), context["date"],
                           context.get("heading", ""), check_url))
