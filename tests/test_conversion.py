"""The warm LibreOffice converter: PDFs, metadata, PDF/A, hangs, crashes, restarts, fallback, no orphans."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from helpers import drop, load_example
from docgen.pdf.converter import Converter
from docgen.errors import ConversionError
from docgen.pipeline import Pipeline
from docgen.publishing import set_pdf_metadata
from docgen.settings import ConversionOptions
from docgen.testing import pdf_text

PDFAID = "http://www.aiim.org/pdfa/ns/id/"


def make_docx(path: Path, text: str, rows: int = 0) -> Path:
    document = Document()
    document.add_paragraph(text)
    if rows:
        table = document.add_table(rows=rows, cols=3)
        for i, row in enumerate(table.rows):
            for j, cell in enumerate(row.cells):
                cell.text = f"Строка {i + 1}, столбец {j + 1}: наставник и наставляемый"
    document.save(str(path))
    return path


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def offices_using(folder: Path) -> list[int]:
    """Live processes whose command line mentions ``folder`` (their LibreOffice profile lives there)."""
    needle = str(folder.resolve()).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if needle in (entry / "cmdline").read_bytes() and alive(int(entry.name)):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def wait_until(condition, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def state(tmp_path):
    folder = tmp_path / ".docgen"
    folder.mkdir()
    yield folder
    assert wait_until(lambda: not offices_using(folder), 10), f"orphan LibreOffice: {offices_using(folder)}"


@pytest.fixture
def converter_for(state):
    made = []

    def make(**options) -> Converter:
        converter = Converter(ConversionOptions(**{"workers": 1, **options}), state)
        made.append(converter)
        return converter

    yield make
    for converter in made:
        converter.close()


@pytest.mark.libreoffice
def test_warm_conversion_keeps_one_instance_and_embeds_metadata(tmp_path, converter_for):
    converter = converter_for()
    first = converter.convert(make_docx(tmp_path / "a.docx", "Первый документ"), tmp_path / "a.pdf",
                              "Приказ О закреплении", "МБОУ «СОШ № 7»", "1-од")
    [pid] = converter.office_pids()
    second = converter.convert(make_docx(tmp_path / "b.docx", "Второй документ"), tmp_path / "b.pdf")
    assert (first.method, second.method) == ("warm", "warm")
    assert converter.office_pids() == [pid]
    assert "Первый документ" in pdf_text(tmp_path / "a.pdf") and "Второй документ" in pdf_text(tmp_path / "b.pdf")
    meta = PdfReader(str(tmp_path / "a.pdf")).metadata
    assert (meta.title, meta.author, meta.subject) == ("Приказ О закреплении", "МБОУ «СОШ № 7»", "1-од")


def test_set_pdf_metadata_writes_title_author_subject(tmp_path):
    from pypdf import PdfWriter

    pdf = tmp_path / "x.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with open(pdf, "wb") as handle:
        writer.write(handle)
    set_pdf_metadata(pdf, "Благодарственное письмо", "МБОУ «СОШ № 7»", "01-12/5")
    meta = PdfReader(str(pdf)).metadata
    assert (meta.title, meta.author, meta.subject) == ("Благодарственное письмо", "МБОУ «СОШ № 7»", "01-12/5")


def pdfa_part(pdf: Path) -> str | None:
    xmp = PdfReader(str(pdf)).xmp_metadata
    if xmp is None:
        return None
    for node in xmp.rdf_root.getElementsByTagNameNS(PDFAID, "part"):
        return node.firstChild.data.strip()
    for node in xmp.rdf_root.getElementsByTagNameNS("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description"):
        if node.getAttributeNS(PDFAID, "part"):
            return node.getAttributeNS(PDFAID, "part")
    return None


@pytest.mark.libreoffice
@pytest.mark.parametrize("warm", [True, False], ids=["warm", "cold"])
def test_pdfa_option_declares_pdfa_2(tmp_path, converter_for, warm):
    converter = converter_for(pdfa=True, warm=warm)
    converter.convert(make_docx(tmp_path / "a.docx", "Архивный экземпляр"), tmp_path / "a.pdf", "Т", "А", "1")
    assert pdfa_part(tmp_path / "a.pdf") == "2"
    plain = converter_for(pdfa=False, warm=warm)
    plain.convert(make_docx(tmp_path / "b.docx", "Обычный экземпляр"), tmp_path / "b.pdf")
    assert pdfa_part(tmp_path / "b.pdf") is None


@pytest.mark.libreoffice
def test_hang_is_killed_after_timeout_and_next_document_converts(tmp_path, converter_for):
    converter = converter_for(timeout=3)
    converter.convert(make_docx(tmp_path / "a.docx", "До зависания"), tmp_path / "a.pdf")
    [hung] = converter.office_pids()
    os.kill(hung, signal.SIGSTOP)  # LibreOffice stops answering, as on a hang
    started = time.monotonic()
    with pytest.raises(ConversionError, match="не ответил за 3 с"):
        converter.convert(make_docx(tmp_path / "b.docx", "Во время зависания"), tmp_path / "b.pdf")
    assert time.monotonic() - started < 10
    assert wait_until(lambda: not alive(hung))
    result = converter.convert(make_docx(tmp_path / "c.docx", "После зависания"), tmp_path / "c.pdf")
    assert result.method == "warm" and "После зависания" in pdf_text(tmp_path / "c.pdf")
    assert converter.office_pids() and converter.office_pids() != [hung]


@pytest.mark.libreoffice
def test_crash_mid_document_restarts_and_retries(tmp_path, converter_for):
    converter = converter_for()
    converter.convert(make_docx(tmp_path / "warm.docx", "Разогрев"), tmp_path / "warm.pdf")
    [crashed] = converter.office_pids()
    # big enough that even a fast, idle machine is still converting it when LibreOffice is killed
    big = make_docx(tmp_path / "big.docx", "Большой документ", rows=2500)
    future = converter.submit(big, tmp_path / "big.pdf")
    time.sleep(0.3)
    assert not future.done(), "the document finished before LibreOffice could be killed"
    os.kill(crashed, signal.SIGKILL)
    result = future.result(timeout=120)
    assert result.method == "warm" and "Строка 2500" in pdf_text(tmp_path / "big.pdf")
    assert converter.office_pids() and converter.office_pids() != [crashed]
    converter.convert(make_docx(tmp_path / "next.docx", "Следующий документ"), tmp_path / "next.pdf")
    assert "Следующий документ" in pdf_text(tmp_path / "next.pdf")


@pytest.mark.libreoffice
def test_instance_restarts_after_n_documents(tmp_path, converter_for):
    converter = converter_for(restart_after=2)
    pids = []
    for i in range(3):
        converter.convert(make_docx(tmp_path / f"{i}.docx", f"Документ {i}"), tmp_path / f"{i}.pdf")
        pids.append(converter.office_pids())
    assert pids[0] != pids[1] and pids[1] == pids[2]  # restarted right after the second document
    assert not alive(pids[0][0])
    assert "Документ 2" in pdf_text(tmp_path / "2.pdf")


@pytest.mark.libreoffice
def test_falls_back_to_cold_soffice_without_a_uno_python(tmp_path, converter_for):
    converter = converter_for(uno_python=str(tmp_path / "no-such-python"))
    result = converter.convert(make_docx(tmp_path / "a.docx", "Холодный запуск"), tmp_path / "a.pdf")
    assert result == type(result)("cold", metadata_embedded=False)
    assert converter.office_pids() == []
    assert "Холодный запуск" in pdf_text(tmp_path / "a.pdf")


def pipeline_with(workspace, **conversion) -> Pipeline:
    settings = workspace.load_settings()
    settings.conversion = replace(settings.conversion, **conversion)
    return Pipeline(workspace, settings)


def test_missing_libreoffice_delivers_docx_with_russian_message(docgen_workspace):
    pipeline = pipeline_with(docgen_workspace, soffice=str(docgen_workspace.root / "нет" / "soffice"))
    try:
        outcome = pipeline.process(drop(docgen_workspace, "p.json", load_example("pair_order.json")))
    finally:
        pipeline.close()
    assert outcome.ok
    [doc] = outcome.documents
    assert doc["pdf"] is None and Path(doc["docx"]).is_file()
    assert "LibreOffice не найден по пути" in outcome.message and "PDF не сделан" in outcome.message
    assert [p.suffix for p in docgen_workspace.outbox.iterdir()] == [".docx"]
    [entry] = pipeline.register.entries()
    assert entry.status == "published" and entry.outputs == [Path(doc["docx"]).name]


@pytest.mark.libreoffice
@pytest.mark.parametrize("warm", [True, False], ids=["warm", "cold"])
def test_pipeline_pdf_carries_title_author_and_number(docgen_workspace, warm):
    pipeline = pipeline_with(docgen_workspace, warm=warm, workers=1)
    try:
        outcome = pipeline.process(drop(docgen_workspace, "p.json", load_example("pair_order.json")))
    finally:
        pipeline.close()
    meta = PdfReader(outcome.documents[0]["pdf"]).metadata
    assert meta.title == "Приказ О закреплении наставнических пар (групп)"
    assert meta.author == pipeline.settings.organization["name"]
    assert meta.subject == "1-од"


@pytest.mark.libreoffice
def test_batch_publishes_every_document_in_order(docgen_workspace):
    orders = []
    for i in range(4):
        order = load_example("pair_order.json")
        order["pairs"][0]["mentor"]["name"] = f"Наставник{i} Иван Иванович"
        orders.append(order)
    pipeline = pipeline_with(docgen_workspace, workers=2)
    try:
        outcome = pipeline.process(drop(docgen_workspace, "batch.json", orders))
    finally:
        pipeline.close()
    assert outcome.ok, outcome.message
    assert [d["number"] for d in outcome.documents] == ["1-од", "2-од", "3-од", "4-од"]
    for i, doc in enumerate(outcome.documents):
        text = pdf_text(doc["pdf"])
        assert f"Наставник{i} Иван" in text and f"{i + 1}-од" in text
    assert outcome.pack and "Наставник3" in pdf_text(outcome.pack)
    assert [e.status for e in pipeline.register.entries()] == ["published"] * 4


@pytest.mark.libreoffice
def test_template_failure_mid_batch_publishes_earlier_and_voids_its_number(docgen_workspace, monkeypatch):
    pipeline = pipeline_with(docgen_workspace, workers=1)
    render = pipeline.render

    def failing_second(doc, entry, target):
        if doc.index == 1:
            raise ValueError("broken template")
        render(doc, entry, target)

    monkeypatch.setattr(pipeline, "render", failing_second)
    try:
        outcome = pipeline.process(drop(docgen_workspace, "b.json", [load_example("pair_order.json")] * 3))
    finally:
        pipeline.close()
    assert not outcome.ok and "ошибка шаблона" in outcome.message
    statuses = [e.status for e in pipeline.register.entries()]
    assert statuses[:2] == ["published", "void"]
    assert sorted(p.suffix for p in docgen_workspace.outbox.iterdir()) == [".docx", ".pdf"]


@pytest.mark.libreoffice
def test_close_leaves_no_libreoffice_running(tmp_path, state):
    converter = Converter(ConversionOptions(workers=2), state)
    futures = [converter.submit(make_docx(tmp_path / f"{i}.docx", f"Документ {i}"), tmp_path / f"{i}.pdf")
               for i in range(4)]
    [future.result(timeout=120) for future in futures]
    assert wait_until(lambda: len(converter.office_pids()) == 2)
    pids = converter.office_pids()
    converter.close()
    assert not any(alive(pid) for pid in pids)
    assert offices_using(state) == []


@pytest.mark.libreoffice
def test_killed_parent_leaves_no_libreoffice_running(tmp_path, state):
    docx = make_docx(tmp_path / "a.docx", "Родитель будет убит")
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from docgen.pdf.converter import Converter
        from docgen.settings import ConversionOptions
        converter = Converter(ConversionOptions(workers=1), Path({str(state)!r}))
        converter.convert(Path({str(docx)!r}), Path({str(tmp_path / 'a.pdf')!r}))
        print(*converter.office_pids(), flush=True)
        time.sleep(600)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert pids and all(alive(pid) for pid in pids)
    finally:
        parent.kill()
        parent.wait()
    assert wait_until(lambda: not any(alive(pid) for pid in pids), 10)
    assert wait_until(lambda: not offices_using(state), 10)


@pytest.mark.libreoffice
def test_busy_instance_is_interrupted_by_close(tmp_path, state):
    converter = Converter(ConversionOptions(workers=1), state)
    converter.convert(make_docx(tmp_path / "warm.docx", "Разогрев"), tmp_path / "warm.pdf")
    future = converter.submit(make_docx(tmp_path / "big.docx", "Большой", rows=4000), tmp_path / "big.pdf")
    queued = converter.submit(make_docx(tmp_path / "q.docx", "В очереди"), tmp_path / "q.pdf")
    time.sleep(0.5)
    closer = threading.Thread(target=converter.close)
    closer.start()
    closer.join(timeout=30)
    assert not closer.is_alive()
    with pytest.raises(ConversionError, match="прервано"):
        queued.result(timeout=1)
    assert future.done()
    assert offices_using(state) == []
