"""Helpers of the proofreader tests: render a built-in type to DOCX without the pipeline or LibreOffice.

The detector of words agreeing with a person lives in ``docgen.proofreading``."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from docgen.doctypes import RenderInfo
from docgen.pipeline import ORGANIZATION_KEYS
from docgen.rendering import find_template, render_docx
from docgen.signing.qr import qr_for
from docgen.testing import docx_text

def render(hooks, settings, type_id: str, data: dict, out: Path, number: str = "7-од") -> str:
    """Render one document of ``type_id`` to ``out`` exactly as the pipeline would, and return its text."""
    doc_type = hooks.registry().get(type_id)
    organization = {**dict.fromkeys(ORGANIZATION_KEYS, ""), **settings.organization}
    info = RenderInfo(number=number, date=date(2025, 9, 1), settings=settings, organization=organization,
                      signer=dict(settings.director), executor=data.get("executor"))
    context = {"org": organization, "signer": info.signer, "executor": info.executor, "number": number,
               "date": info.date, "heading": doc_type.heading(data), "data": data}
    context["qr"] = qr_for(settings.raw, doc_type.id, doc_type.kind_label, context)
    context.update(doc_type.build_context(data, info))
    template = find_template(doc_type.template, hooks.template_dirs())
    render_docx(template, context, out, hooks.jinja_filters())
    return docx_text(out)
