"""The walking skeleton end to end: a JSON input becomes a numbered DOCX and PDF; bad input is set aside."""
from __future__ import annotations

import zipfile

import pytest
from docx import Document

from helpers import drop, load_example
from docgen.testing import docx_text, pdf_text


@pytest.mark.libreoffice
def test_pair_order_becomes_numbered_docx_and_pdf(docgen_workspace, docgen_pipeline):
    path = drop(docgen_workspace, "pair_order.json", load_example("pair_order.json"))
    outcome = docgen_pipeline.process(path)
    assert outcome.ok, outcome.message
    [doc] = outcome.documents
    assert doc["number"] == "1-од"
    text = docx_text(doc["docx"])
    for expected in ("ПРИКАЗ", "31.08.2023", "1-од", "ПРИКАЗЫВАЮ:", "Управление образования администрации города Светлогорска",
                     "Иванова Мария Петровна", "Петров Сергей Олегович", "Кузнецова Алёна Игоревна", "Бондаренко Кирилл Сергеевич"):
        assert expected in text, expected
    pdf = pdf_text(doc["pdf"])
    for expected in ("ПРИКАЗ", "ПРИКАЗЫВАЮ:", "1-од", "Магомедов Магомед"):
        assert expected in pdf, expected
    assert "{{" not in pdf and "{%" not in pdf
    assert (docgen_workspace.processed / "pair_order.json").exists()
    assert not list(docgen_workspace.inbox.glob("*.json"))
    entries = docgen_pipeline.register.entries()
    assert [(e.number, e.status) for e in entries] == [("1-од", "published")]
    assert sorted(entries[0].outputs) == sorted([doc["docx"].split("/")[-1], doc["pdf"].split("/")[-1]])


@pytest.mark.libreoffice
def test_markup_and_template_code_in_data_print_literally(docgen_workspace, docgen_pipeline):
    data = load_example("pair_order.json")
    data["pairs"][0]["form"] = "Учитель & ученик <b>{{ 7*7 }}</b> {% if true %}x{% endif %}"
    data["pairs"][0]["mentor"]["position"] = "учитель ООО «Рога & Копыта» \"кавычки\" 'апостроф'"
    outcome = docgen_pipeline.process(drop(docgen_workspace, "tricky.json", data))
    assert outcome.ok, outcome.message
    docx_path = outcome.documents[0]["docx"]
    Document(docx_path)  # opens: the XML is well formed
    text = docx_text(docx_path)
    assert "Учитель & ученик <b>{{ 7*7 }}</b> {% if true %}x{% endif %}" in text
    assert "ООО «Рога & Копыта» «кавычки» \u2019апостроф\u2019" in text  # typeset, still escaped
    assert "49" not in text
    assert "{{ 7*7 }}" in " ".join(pdf_text(outcome.documents[0]["pdf"]).split())


@pytest.mark.libreoffice
def test_same_bytes_again_issue_no_new_number(docgen_workspace, docgen_pipeline):
    payload = load_example("pair_order.json")
    first = docgen_pipeline.process(drop(docgen_workspace, "a.json", payload))
    second = docgen_pipeline.process(drop(docgen_workspace, "copy of a.json", payload))
    assert first.ok and not second.ok and second.duplicate
    assert [e.number for e in docgen_pipeline.register.entries()] == ["1-од"]
    report = (docgen_workspace.failed / "copy of a.json — ОШИБКИ.txt").read_text(encoding="utf-8-sig")
    assert "уже был обработан" in report and "a.json" in report and "1-од" in report
    assert (docgen_workspace.failed / "copy of a.json").exists()


@pytest.mark.parametrize("content, expected", [
    ("{\"type\": \"pair_order\", ", "файл обрывается"),
    ("{\"type\": \"pair_order\" \"date\": \"2023-08-31\"}", "не хватает запятой"),
    ("[1, 2]", "ожидается объект"),
    ("{\"type\": \"unknown_kind\"}", "неизвестный тип документа «unknown_kind»"),
    ("{\"type\": \"pair_order\", \"date\": \"31.02.2023\", \"pairs\": []}", "такой даты нет"),
])
def test_bad_input_is_set_aside_with_russian_report_and_no_number(docgen_workspace, docgen_pipeline, content, expected):
    path = docgen_workspace.inbox / "bad.json"
    path.write_text(content, encoding="utf-8")
    outcome = docgen_pipeline.process(path)
    assert not outcome.ok
    report = (docgen_workspace.failed / "bad.json — ОШИБКИ.txt").read_text(encoding="utf-8-sig")
    assert expected in report
    assert "номера НЕ выдавались" in report
    assert (docgen_workspace.failed / "bad.json").read_text(encoding="utf-8") == content
    assert docgen_pipeline.register.entries() == []
    assert not list(docgen_workspace.outbox.iterdir())


def test_schema_errors_name_every_field_at_once(docgen_workspace, docgen_pipeline):
    data = load_example("pair_order.json")
    del data["pairs"][0]["mentor"]["name"]
    data["pairs"][1]["period"] = {"from": "2024-05-31", "to": "2023-09-01"}
    data["date"] = "2023-13-01"
    outcome = docgen_pipeline.process(drop(docgen_workspace, "bad.json", data))
    assert not outcome.ok
    assert "pairs[1].mentor.name" in outcome.message and "не заполнено" in outcome.message
    assert "«date»" in outcome.message and "не дата" in outcome.message
    assert docgen_pipeline.register.entries() == []


def test_stray_files_are_not_inputs(docgen_workspace, docgen_pipeline):
    path = docgen_workspace.inbox / "notes.docx"
    path.write_bytes(b"PK\x03\x04")
    outcome = docgen_pipeline.process(path)
    assert outcome.skipped
    assert path.exists()
    assert not list(docgen_workspace.failed.iterdir())


def test_docx_template_renders_without_libreoffice(docgen_workspace, docgen_pipeline, monkeypatch):
    from concurrent.futures import Future

    from docgen.errors import ConversionError

    def broken(docx, pdf, *info):
        future = Future()
        future.set_exception(ConversionError("LibreOffice не найден."))
        return future

    monkeypatch.setattr(docgen_pipeline.converter, "submit", broken)
    outcome = docgen_pipeline.process(drop(docgen_workspace, "p.json", load_example("pair_order.json")))
    assert outcome.ok and outcome.documents[0]["pdf"] is None
    assert "LibreOffice" in outcome.message
    with zipfile.ZipFile(outcome.documents[0]["docx"]) as archive:
        assert "word/document.xml" in archive.namelist()
