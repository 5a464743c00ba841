"""A draft of a filled form: validated like any input, rendered without a number, marked «ПРОЕКТ».

Nothing is written to the register: the entry handed to the template has no
number and no id. Every page header gets the red mark «ПРОЕКТ — номер не
присвоен, не подписывать». The PDF comes from the same converter as the
pipeline's; when PDFs are switched off the DOCX is the preview.
"""
from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from ..pipeline import Pipeline
from ..publishing import merge_pdfs
from ..register import Entry
from ..validation import ValidDocument

DRAFT_MARK = "ПРОЕКТ — номер не присвоен, не подписывать"


def validate_document(pipeline: Pipeline, document: dict, name: str) -> list[ValidDocument]:
    """Validate a form's document exactly as a file of that name in the inbox would be."""
    with tempfile.TemporaryDirectory(dir=pipeline.workspace.state, prefix="form-") as tmp:
        path = Path(tmp) / name
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        return pipeline.read_and_validate(path, name)


def draft_entry(doc: ValidDocument) -> Entry:
    return Entry(id=0, series=None, year=None, sequence=None, number=None, doc_date=doc.date.isoformat(),
                 type_id=doc.type.id, heading=doc.type.heading(doc.data), signer="", executor="",
                 input_sha256="", input_name="", doc_index=doc.index, status="draft", void_reason=None,
                 outputs=[], created_at=date.today().isoformat())


def mark_draft(docx: Path) -> None:
    """The red mark at the top of every page: the headers of all pages, the first page's own too."""
    word = WordDocument(str(docx))
    for section in word.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0].insert_paragraph_before() if header.paragraphs else header.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(DRAFT_MARK)
            run.bold = True
            run.font.size = Pt(14)
            run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    word.save(str(docx))


def render_preview(pipeline: Pipeline, documents: list[ValidDocument], folder: Path) -> Path:
    """The draft as one PDF (all documents of the form), or a DOCX when PDFs are off."""
    docx_files = []
    for doc in documents:
        docx = folder / f"draft-{doc.index + 1}.docx"
        pipeline.render(doc, draft_entry(doc), docx)
        mark_draft(docx)
        docx_files.append(docx)
    if not pipeline.converter.enabled:
        return docx_files[0]
    pdfs = []
    for docx in docx_files:
        pdf = docx.with_suffix(".pdf")
        pipeline.converter.convert(docx, pdf, "ПРОЕКТ", "", "")
        pdfs.append(pdf)
    if len(pdfs) == 1:
        return pdfs[0]
    merged = folder / "draft.pdf"
    merge_pdfs(pdfs, merged, "ПРОЕКТ")
    return merged
