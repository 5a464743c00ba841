"""A roadmap kept in a spreadsheet: the blank form filled in Excel becomes the approved roadmap."""
from __future__ import annotations

import pytest

from docgen.sheets.forms import build_blank_form
from docgen.testing import docx_text, pdf_text
from sheethelpers import fill_form

ROWS = [
    {"Этап": "Этап 1. Подготовка условий", "Задача этапа": "создать нормативную базу",
     "Мероприятие": "Издать приказ о внедрении целевой модели наставничества", "Сроки": "сентябрь 2023 г.",
     "Ответственные": "Директор", "Результат": "Приказ"},
    {"Мероприятие": "Разработать Положение о наставничестве", "Сроки": "сентябрь 2023 г.",
     "Ответственные": "Заместитель директора по ВР\nКуратор", "Результат": "Положение"},
    {"Этап": "Этап 2. Формирование базы наставляемых", "Мероприятие": "Провести анкетирование обучающихся",
     "Сроки": "октябрь 2023 г.", "Ответственные": "Педагог-психолог", "Результат": "База наставляемых"},
]


@pytest.mark.libreoffice
def test_filled_roadmap_form_becomes_a_landscape_roadmap(docgen_hooks, docgen_pipeline, docgen_workspace):
    workbook = build_blank_form(docgen_hooks.registry().get("roadmap"), docgen_hooks.closed_lists())
    fill_form(workbook, "Мероприятия", ROWS, {"Заголовок": "Дорожная карта реализации программы наставничества",
                                            "Утверждает: должность": "Директор", "Утверждает: ФИО": "Сафарова Зарина Алиевна"})
    path = docgen_workspace.inbox / "Дорожная карта 2023.xlsx"
    workbook.save(path)
    outcome = docgen_pipeline.process(path)
    assert outcome.ok, outcome.message
    [doc] = outcome.documents
    assert doc["number"] is None  # a roadmap is not numbered itself
    text = docx_text(doc["docx"])
    for expected in ("УТВЕРЖДАЮ", "З.А.\u00a0Сафарова", "Этап 1. Подготовка условий", "создать нормативную базу",
                     "1.1", "1.2", "2.1", "Разработать Положение о наставничестве", "Педагог-психолог"):
        assert expected in text, expected
    assert text.index("Издать приказ") < text.index("Разработать Положение") < text.index("Провести анкетирование")
    pdf = " ".join(pdf_text(doc["pdf"]).split())
    assert "Провести анкетирование обучающихся" in pdf and "{{" not in pdf
    from pypdf import PdfReader

    page = PdfReader(doc["pdf"]).pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
