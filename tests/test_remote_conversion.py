"""Remote converters ([conversion] servers): unoserver instances on loopback beside the local warm pool.

Each server is a real unoserver with its own LibreOffice profile, started by
the tests; faults are real too: a server stopped with SIGSTOP (it hangs: the
connection is accepted, no answer comes) or killed (it vanishes).
"""
from __future__ import annotations

import logging
import os
import signal
import time
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document

from helpers import drop, load_example
from docgen.pdf import remote
from docgen.config_schema import check_config
from docgen.pdf.converter import Converter
from docgen.errors import ConversionError, DocgenError
from docgen.pipeline import Pipeline
from docgen.pdf.remote import PoolWithServers, RemoteWorker, parse_server
from docgen.settings import ConversionOptions
from docgen.testing import pdf_text, start_unoserver, stop_unoserver


@pytest.fixture
def unoservers(tmp_path):
    """Start unoservers on demand (``start(n)``); every one is killed at the end of the test."""
    started = []

    def start(count: int = 1, port: int | None = None) -> list[tuple[object, int]]:
        new = [start_unoserver(tmp_path / f"unoserver-{len(started) + i}" / "profile", port) for i in range(count)]
        started.extend(new)
        return new

    yield start
    for process, _ in started:
        stop_unoserver(process)


def wait_until(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def consents(count: int) -> list[dict]:
    """``count`` consents of different people (the example's first, renamed) in one input."""
    batch = []
    for i in range(count):
        consent = load_example("consent.json")[0]
        consent["subject"]["name"] = f"Иванова{i} Мария Петровна"
        batch.append(consent)
    return batch


def pipeline_with_servers(workspace, ports: list[int], **conversion) -> Pipeline:
    settings = workspace.load_settings()
    servers = tuple(f"127.0.0.1:{port}" for port in ports)
    # combine = 1: these tests follow single documents from converter to converter (docgen.pdf.batch
    # would send a file's consents as one job)
    settings.conversion = replace(settings.conversion, **{"workers": 1, "servers": servers, "combine": 1, **conversion})
    return Pipeline(workspace, settings)


def remote_workers(pipeline: Pipeline) -> list[RemoteWorker]:
    assert isinstance(pipeline.converter.pool, PoolWithServers)
    return [w for w in pipeline.converter.pool.workers if isinstance(w, RemoteWorker)]


def assert_published_with_text(outcome, count: int) -> None:
    assert outcome.ok, outcome.message
    assert len(outcome.documents) == count
    for document in outcome.documents:
        assert document["pdf"], f"no PDF for {document['number']}"
        text = pdf_text(document["pdf"])
        assert "СОГЛАСИЕ" in text.upper() and document["number"] in text


def test_a_server_address_is_host_and_port():
    assert parse_server("10.0.0.5:2003") == ("10.0.0.5", 2003)
    assert parse_server("[::1]:2003") == ("::1", 2003)
    with pytest.raises(ValueError):
        parse_server("10.0.0.5")


def test_a_bad_server_address_in_docgen_toml_is_named_in_russian():
    raw = {"organization": {"name": "Школа"}, "director": {"name": "Директор"},
           "conversion": {"servers": ["10.0.0.5:2003", "конвертер"]}}
    with pytest.raises(DocgenError) as caught:
        check_config(raw, set())
    message = caught.value.russian()
    assert "[conversion] servers" in message and "«конвертер» — не адрес сервера" in message
    assert "10.0.0.5:2003»" not in message


@pytest.mark.libreoffice
def test_documents_spread_over_the_local_pool_and_two_servers(docgen_workspace, unoservers):
    ports = [port for _, port in unoservers(2)]
    pipeline = pipeline_with_servers(docgen_workspace, ports)
    try:
        outcome = pipeline.process(drop(docgen_workspace, "c.json", consents(8)))
        workers = remote_workers(pipeline)
    finally:
        pipeline.close()
    assert_published_with_text(outcome, 8)
    assert [w.converted > 0 for w in workers] == [True, True], "each server converted some documents"


@pytest.mark.libreoffice
def test_a_hung_server_gives_its_document_to_another_converter(docgen_workspace, unoservers, caplog):
    [(process, port)] = unoservers(1)
    os.killpg(process.pid, signal.SIGSTOP)  # the server accepts connections and never answers
    pipeline = pipeline_with_servers(docgen_workspace, [port], timeout=4)
    try:
        with caplog.at_level(logging.INFO, logger="docgen"):
            outcome = pipeline.process(drop(docgen_workspace, "c.json", consents(2)))
        [worker] = remote_workers(pipeline)
    finally:
        pipeline.close()
    assert_published_with_text(outcome, 2)
    assert worker.down_since is not None and worker.converted == 0
    assert f"сервер преобразования 127.0.0.1:{port} не ответил за 4 с или недоступен" in caplog.text


@pytest.mark.libreoffice
def test_a_vanished_server_is_left_out_until_it_answers_again(docgen_workspace, unoservers, monkeypatch, caplog):
    monkeypatch.setattr(remote, "WARM_RETRY_AFTER", 1.0)
    [(process, port)] = unoservers(1)
    pipeline = pipeline_with_servers(docgen_workspace, [port])
    try:
        first = pipeline.process(drop(docgen_workspace, "a.json", consents(2)))
        [worker] = remote_workers(pipeline)
        assert worker.converted >= 1
        stop_unoserver(process)  # the server vanishes between two files
        with caplog.at_level(logging.INFO, logger="docgen"):
            second = pipeline.process(drop(docgen_workspace, "b.json", consents(3)))
        converted_while_gone = worker.converted
        unoservers(1, port=port)  # and comes back on the same address
        assert wait_until(lambda: worker.down_since is None)
        third = pipeline.process(drop(docgen_workspace, "c.json", consents(4)))
    finally:
        pipeline.close()
    for outcome, count in ((first, 2), (second, 3), (third, 4)):
        assert_published_with_text(outcome, count)
    assert "ConnectionRefusedError" in caplog.text
    assert worker.converted > converted_while_gone, "the server came back into rotation"


@pytest.mark.libreoffice
def test_with_every_server_gone_documents_are_converted_cold(docgen_workspace, unoservers):
    servers = unoservers(2)
    for process, _ in servers:
        stop_unoserver(process)  # both gone: a document handed back by one comes to the other
    pipeline = pipeline_with_servers(docgen_workspace, [port for _, port in servers], warm=False)
    try:
        outcome = pipeline.process(drop(docgen_workspace, "c.json", consents(3)))
    finally:
        pipeline.close()
    assert_published_with_text(outcome, 3)


@pytest.mark.libreoffice
def test_closing_interrupts_a_document_waiting_on_a_hung_server(tmp_path, unoservers):
    [(process, port)] = unoservers(1)
    os.killpg(process.pid, signal.SIGSTOP)
    converter = Converter(ConversionOptions(workers=1, timeout=120, servers=(f"127.0.0.1:{port}",)), tmp_path / "state")
    document = Document()
    document.add_paragraph("Приказ")
    document.save(str(tmp_path / "a.docx"))
    future = converter.submit(tmp_path / "a.docx", tmp_path / "a.pdf")
    [worker] = [w for w in converter.pool.workers if isinstance(w, RemoteWorker)]
    assert wait_until(worker.busy.is_set)
    started = time.monotonic()
    converter.close()
    with pytest.raises(ConversionError, match="программа завершает работу"):
        future.result(timeout=30)
    assert time.monotonic() - started < 30, "close() did not wait for the 120 s deadline"
    assert not worker.is_alive() and not (tmp_path / "a.pdf").exists()


@pytest.mark.libreoffice
def test_a_server_marks_where_each_combined_document_starts(tmp_path, unoservers):
    import shutil

    from pypdf import PdfReader

    from docgen.pdf.batch import combine, first_pages
    from docgen.plugins import BUILTIN_TEMPLATES_DIR

    [(_, port)] = unoservers(1)
    parts = [shutil.copy(BUILTIN_TEMPLATES_DIR / "thank_you_letter.docx", tmp_path / f"{i}.docx") for i in range(3)]
    combine([Path(p) for p in parts], tmp_path / "together.docx")
    pdf = tmp_path / "together.pdf"
    pdf.write_bytes(remote.UnoserverClient("127.0.0.1", port).convert(
        (tmp_path / "together.docx").read_bytes(), False, 120, destinations=True))
    reader = PdfReader(str(pdf))
    starts = first_pages(reader, 3)  # raises SplitFailed without the named destinations
    assert starts[0] == 0 and len(reader.pages) == 3 * starts[1]
