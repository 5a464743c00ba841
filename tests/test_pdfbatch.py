"""Documents converted together (docgen.pdf.batch): which may be joined, and that each PDF is the lone one's."""
from __future__ import annotations

import copy
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

import docgen.pdf.converter
from helpers import drop, load_example
from docgen.pdf.batch import MARK, combinable, combine
from docgen.pipeline import Pipeline
from docgen.plugins import BUILTIN_TEMPLATES_DIR


def rewrite_part(docx: Path, part: str, change) -> Path:
    """A copy of ``docx`` with one part's XML changed by ``change``."""
    target = docx.with_name(docx.stem + "-changed.docx")
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            out.writestr(info, change(data.decode("utf-8")).encode("utf-8") if info.filename == part else data)
    return target


@pytest.fixture
def consents(tmp_path) -> list[Path]:
    template = BUILTIN_TEMPLATES_DIR / "consent.docx"
    return [Path(shutil.copy(template, tmp_path / f"{i}.docx")) for i in range(3)]


def test_copies_of_one_template_can_be_joined(consents):
    assert combinable(consents)
    assert not combinable(consents[:1])


def test_a_different_header_or_a_total_page_count_keeps_documents_apart(consents):
    other_header = rewrite_part(consents[1], "word/header1.xml", lambda xml: xml.replace("PAGE", "PAGE \\* roman"))
    assert not combinable([consents[0], other_header])
    total = rewrite_part(consents[0], "word/header1.xml", lambda xml: xml.replace(" PAGE ", " NUMPAGES "))
    assert not combinable([total, rewrite_part(consents[1], "word/header1.xml",
                                               lambda xml: xml.replace(" PAGE ", " NUMPAGES "))])
    numbered = rewrite_part(consents[0], "word/document.xml",
                            lambda xml: xml.replace("<w:pPr>", '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>', 1))
    assert not combinable([numbered, consents[1]])


def test_combined_document_gives_each_its_section_restarted_and_its_bookmark(tmp_path, consents):
    target = tmp_path / "together.docx"
    combine(consents, target)
    joined = Document(str(target))
    assert len(joined.sections) == 3
    body = joined.element.body.xml
    assert body.count('w:start="1"') == 3
    assert [f"{MARK}{i}" in body for i in range(3)] == [True] * 3
    lone_paragraphs = len(Document(str(consents[0])).paragraphs)
    assert len(joined.paragraphs) == 3 * lone_paragraphs  # nothing added between the documents


def pages_text(pdf: str) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def run_batch(workspace_root: Path, payload: list, combine_count: int, monkeypatch) -> tuple[list[dict], int]:
    """Process ``payload`` in a fresh demo workspace; return its documents and how many PDFs were split."""
    from docgen.settings import Workspace
    from docgen.workspace_init import init_workspace

    init_workspace(workspace_root, demo=True)
    workspace = Workspace(workspace_root)
    settings = workspace.load_settings()
    settings.conversion = replace(settings.conversion, combine=combine_count, workers=2)
    splits = []
    real_split = docgen.pdf.converter.split
    monkeypatch.setattr(docgen.pdf.converter, "split", lambda pdf, parts: (splits.append(len(parts)), real_split(pdf, parts)))
    pipeline = Pipeline(workspace, settings)
    try:
        outcome = pipeline.process(drop(workspace, "batch.json", payload))
    finally:
        pipeline.close()
    assert outcome.ok and all(d["pdf"] for d in outcome.documents), outcome.message
    return outcome.documents, sum(splits)


def varied_batch() -> list:
    """Consents, pair orders of one page and of several (headers with page numbers from page 2),
    then two of each other built-in type."""
    batch = []
    for _ in range(2):
        batch.extend(load_example("consent.json"))  # two consents: an adult's and a minor's
    base = load_example("pair_order.json")
    for pairs in (1, 70, 2, 40):
        order = copy.deepcopy(base)
        order["pairs"] = [copy.deepcopy(base["pairs"][i % len(base["pairs"])]) for i in range(pairs)]
        batch.append(order)
    for name in ("reward_order.json", "thank_you_letter.json", "roadmap.json"):
        example = load_example(name)
        batch.extend((example if isinstance(example, list) else [example]) * 2)
    return batch


@pytest.mark.libreoffice
def test_documents_converted_together_match_lone_conversions(tmp_path, monkeypatch):
    batch = varied_batch()
    together, split_documents = run_batch(tmp_path / "together", batch, 10, monkeypatch)
    alone, alone_split = run_batch(tmp_path / "alone", batch, 1, monkeypatch)
    assert split_documents >= 8 and alone_split == 0
    assert max(len(PdfReader(d["pdf"]).pages) for d in alone) >= 3  # a long order with numbered pages is there
    for joined, lone in zip(together, alone):
        assert pages_text(joined["pdf"]) == pages_text(lone["pdf"])
        meta_joined, meta_lone = PdfReader(joined["pdf"]).metadata, PdfReader(lone["pdf"]).metadata
        assert (meta_joined.title, meta_joined.author, meta_joined.subject) == \
            (meta_lone.title, meta_lone.author, meta_lone.subject)
        assert meta_joined.subject == joined["number"]


@pytest.mark.libreoffice
def test_pdfa_documents_are_converted_one_by_one(tmp_path, consents):
    from docgen.pdf.converter import Converter
    from docgen.settings import ConversionOptions

    items = [(path, path.with_suffix(".pdf"), "Согласие", "Школа", str(i)) for i, path in enumerate(consents)]
    assert Converter(ConversionOptions(), tmp_path / "state").combines(items)
    assert not Converter(ConversionOptions(pdfa=True), tmp_path / "state").combines(items)
    assert not Converter(ConversionOptions(combine=1), tmp_path / "state").combines(items)


@pytest.mark.libreoffice
def test_a_combined_pdf_that_cannot_be_split_falls_back_to_one_by_one(tmp_path, monkeypatch):
    from docgen.pdf.batch import SplitFailed

    def refuse(pdf, parts):
        raise SplitFailed("no destinations")

    monkeypatch.setattr(docgen.pdf.converter, "split", refuse)
    from docgen.settings import Workspace
    from docgen.workspace_init import init_workspace

    init_workspace(tmp_path, demo=True)
    workspace = Workspace(tmp_path)
    pipeline = Pipeline(workspace)
    try:
        outcome = pipeline.process(drop(workspace, "two.json", load_example("consent.json")))
    finally:
        pipeline.close()
    assert outcome.ok and outcome.message == ""
    for doc in outcome.documents:
        assert len(PdfReader(doc["pdf"]).pages) >= 1 and PdfReader(doc["pdf"]).metadata.subject == doc["number"]
    assert [e.status for e in pipeline.register.entries()] == ["published", "published"]
