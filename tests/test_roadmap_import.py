"""`docgen import roadmap`: an existing roadmap DOCX back into JSON or a filled form, as a round trip.

Every reference plan and every shape rendered by docgen, imported back (to JSON and to the form), rendered
again → the same plan-table cells, the same grifs, the same title. And DOCX files built here with python-docx
in shapes docgen does not write: stage cells merged by hand, a header of two rows, nested numbering 1.1, 1.2.
"""
from __future__ import annotations

import copy
import json
from types import SimpleNamespace

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from helpers import load_example
from docgen.cli import main
from docgen.errors import DocgenError
from docgen.reading import RawDocument
from docgen.sheets.intake import read_spreadsheet
from docgen.validation import validate_all
from roadmapshapes import SHAPES
from test_roadmap import docx_rows, docx_rows_once, grif_cells

EXAMPLES = ["roadmap.json", "roadmap_kerch.json", "roadmap_progymnasium.json", "roadmap_school4.json"]
CASES = [(name, None) for name in EXAMPLES] + [(None, shape) for shape in SHAPES]
IDS = [name.removesuffix(".json") for name in EXAMPLES] + list(SHAPES)


@pytest.fixture
def roadmaps(docgen_hooks, docgen_pipeline, tmp_path):
    registry = docgen_hooks.registry()
    counter = iter(range(1000))

    class Roadmaps:
        doc_type = registry.get("roadmap")

        @staticmethod
        def validate(data):
            [document] = validate_all([RawDocument(copy.deepcopy(data), 0)], registry, docgen_hooks)
            return document

        @staticmethod
        def render(document):
            target = tmp_path / f"render-{next(counter)}.docx"
            docgen_pipeline.render(document, SimpleNamespace(number=None), target)
            return target

        @classmethod
        def render_data(cls, data):
            return cls.render(cls.validate(data))

        @classmethod
        def import_to(cls, source, suffix):
            target = tmp_path / f"imported-{next(counter)}{suffix}"
            cls.doc_type.import_document(source, target, cls.doc_type, docgen_hooks.closed_lists())
            return target

        @staticmethod
        def from_form(path):
            [document] = validate_all(read_spreadsheet(path, registry, docgen_pipeline.settings), registry, docgen_hooks)
            return document

    return Roadmaps


def title_lines(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text and p.runs and p.runs[0].bold]


def plain_lines(path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text]


def source_data(name, shape):
    return load_example(name) if name else SHAPES[shape][0]


@pytest.mark.parametrize("name, shape", CASES, ids=IDS)
@pytest.mark.slow
def test_rendered_imported_to_json_rendered_again_gives_the_same_cells(roadmaps, name, shape):
    source = source_data(name, shape)
    first = roadmaps.render_data(source)
    data = json.loads(roadmaps.import_to(first, ".json").read_text(encoding="utf-8"))
    # a merged cell docgen started again on a new page is read back once: the same stages and items
    assert [len(stage["items"]) for stage in data.get("stages", [])] == \
        [len(stage["items"]) for stage in source.get("stages", [])]
    second = roadmaps.render_data(data)
    assert docx_rows(second) == docx_rows(first)
    assert grif_cells(second) == grif_cells(first)
    assert plain_lines(second) == plain_lines(first)  # title and author lines


@pytest.mark.parametrize("name, shape", CASES, ids=IDS)
@pytest.mark.slow
def test_rendered_imported_to_the_form_read_and_rendered_again_gives_the_same_cells(roadmaps, name, shape):
    original = roadmaps.validate(source_data(name, shape))
    first = roadmaps.render(original)
    form = roadmaps.import_to(first, ".xlsx")
    again = roadmaps.from_form(form)
    second = roadmaps.render(again)
    assert docx_rows_once(second) == docx_rows_once(first)  # a merged cell restarted at a page end: layout
    assert grif_cells(second) == grif_cells(first)
    assert plain_lines(second) == plain_lines(first)
    assert again.date == original.date or not original.data.get("approval")


# --- DOCX files made by hand, in shapes docgen does not write ------------------------------------------


def shade(cell) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:fill"), "D9D9D9")
    cell._tc.get_or_add_tcPr().append(shd)


def bold_paragraph(document, text: str):
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = True
    return paragraph


def hand_made_plan(path, header_rows: int = 1):
    """A school's own DOCX: a grif in paragraphs, a bold title, stage rows merged by hand across the table,
    a two-row header (or one), items numbered 1.1, 1.2 in the № column."""
    document = Document()
    for line in ("Утверждаю", "Директор МБОУ «Лицей № 2»", "_________ О.В. Смирнова", "Приказ № 45 от 29.08.2022"):
        document.add_paragraph(line)
    document.add_paragraph("")
    bold_paragraph(document, "План мероприятий (дорожная карта)")
    bold_paragraph(document, "по реализации программы наставничества на 2022–2023 учебный год")
    table = document.add_table(rows=0, cols=5)
    if header_rows == 2:
        top, bottom = table.add_row().cells, table.add_row().cells
        for i, title in enumerate(("№ п/п", "Наименование мероприятия", "Сроки", "", "Ответственный")):
            top[i].text = title
        top[2].merge(top[3])
        bottom[2].text, bottom[3].text = "начало", "окончание"
        for i in (0, 1, 4):
            top[i].merge(bottom[i])
        top[0].text, top[1].text, top[4].text = "№ п/п", "Наименование мероприятия", "Ответственный"
        numbers = table.add_row().cells
        for i in range(5):
            numbers[i].text = str(i + 1)
    else:
        for cell, title in zip(table.add_row().cells, ("№ п/п", "Наименование мероприятия", "Начало", "Окончание",
                                                        "Ответственный")):
            cell.text = title
    plan = [("1", "Организационный этап", [("1.1", "Издание приказа", "август", "август", "Директор"),
                                           ("1.2", "Назначение куратора", "август", "сентябрь", "Директор")]),
            ("2", "Основной этап", [("2.1", "Обучение наставников", "октябрь", "декабрь", "Куратор"),
                                    ("2.2", "Встречи пар", "октябрь", "май", "Наставники")])]
    for number, title, items in plan:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[4])
        merged.text = f"{number}. {title}"
        shade(merged)
        for item in items:
            for cell, text in zip(table.add_row().cells, item):
                cell.text = text
    result = table.add_row().cells
    result[0].merge(result[4]).text = "Результат: пары закреплены и работают"
    for column, width in zip(table.columns, (1.2, 9, 3, 3, 6)):
        column.width = Cm(width)
    document.save(path)
    return path


def test_hand_made_plan_with_merged_stage_cells_and_nested_numbers(roadmaps, tmp_path):
    source = hand_made_plan(tmp_path / "plan.docx")
    data = json.loads(roadmaps.import_to(source, ".json").read_text(encoding="utf-8"))
    assert data["approval"] == {"lines": ["Утверждаю", "Директор МБОУ «Лицей № 2»", "_________ О.В. Смирнова",
                                          "Приказ № 45 от 29.08.2022"]}
    assert data["title"] == "План мероприятий (дорожная карта)\nпо реализации программы наставничества на 2022–2023 учебный год"
    assert [c["key"] for c in data["columns"]] == ["number", "activity", "column3", "column4", "responsible"]
    assert [(s["number"], s["title"], [i["number"] for i in s["items"]]) for s in data["stages"]] == [
        ("1", "Организационный этап", ["1.1", "1.2"]), ("2", "Основной этап", ["2.1", "2.2"])]
    assert data["stages"][1]["result"] == "пары закреплены и работают"
    assert data.get("stage_label") == ""
    rows = docx_rows(roadmaps.render_data(data))
    assert rows == docx_rows(source)


def test_hand_made_plan_with_a_two_row_header_and_a_column_numbers_row(roadmaps, tmp_path):
    source = hand_made_plan(tmp_path / "plan2.docx", header_rows=2)
    data = json.loads(roadmaps.import_to(source, ".json").read_text(encoding="utf-8"))
    assert [c["title"] for c in data["columns"]] == ["№ п/п", "Наименование мероприятия", "Сроки (начало)",
                                                     "Сроки (окончание)", "Ответственный"]
    assert [c["key"] for c in data["columns"]][:3] == ["number", "activity", "deadline"]
    rows = docx_rows(roadmaps.render_data(data))
    source_rows = docx_rows(source)
    assert rows[1:] == source_rows[3:]  # the body, cell by cell (the header is one row in docgen)
    assert rows[0] == ["№ п/п", "Наименование мероприятия", "Сроки (начало)", "Сроки (окончание)", "Ответственный"]
    form = roadmaps.import_to(source, ".xlsx")
    assert docx_rows(roadmaps.render(roadmaps.from_form(form))) == rows


def test_hand_made_plan_with_a_stage_number_cell_beside_its_title(roadmaps, tmp_path):
    """«1 | Нормативно-правовое регулирование» with the other cells left empty, then 1.1, 1.2."""
    document = Document()
    table = document.add_table(rows=0, cols=4)
    for cell, title in zip(table.add_row().cells, ("№", "Мероприятие", "Срок", "Исполнитель")):
        cell.text = title
    for row in (("1", "Нормативно-правовое регулирование", "", ""), ("1.1", "Приказ", "август", "Директор"),
                ("1.2", "Положение", "август", "Заместитель"), ("2", "Кадровое обеспечение", "", ""),
                ("2.1", "Обучение", "октябрь", "ИМЦ")):
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    source = tmp_path / "municipal.docx"
    document.save(source)
    data = json.loads(roadmaps.import_to(source, ".json").read_text(encoding="utf-8"))
    assert data["approval"] is False and data["stage_layout"] == "number_cell"
    assert [s["title"] for s in data["stages"]] == ["Нормативно-правовое регулирование", "Кадровое обеспечение"]
    assert docx_rows(roadmaps.render_data(data)) == docx_rows(source)


def test_a_file_that_is_not_a_docx_is_refused_in_russian(roadmaps, tmp_path):
    bad = tmp_path / "plan.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DocgenError) as caught:
        roadmaps.import_to(bad, ".json")
    assert "не открывается как документ Word" in str(caught.value)
    empty = tmp_path / "empty.docx"
    Document().save(empty)
    with pytest.raises(DocgenError) as caught:
        roadmaps.import_to(empty, ".json")
    assert "нет таблицы" in str(caught.value)


def test_docgen_import_command_writes_the_form_and_refuses_to_overwrite(roadmaps, tmp_path, capsys):
    source = hand_made_plan(tmp_path / "Дорожная карта лицея.docx")
    target = tmp_path / "out.xlsx"
    assert main(["--workspace", str(tmp_path), "import", "roadmap", str(source), "-o", str(target)]) == 0
    assert "перенесена" in capsys.readouterr().out
    assert docx_rows(roadmaps.render(roadmaps.from_form(target))) == docx_rows(source)
    assert main(["--workspace", str(tmp_path), "import", "roadmap", str(source), "-o", str(target)]) == 2
    assert "уже есть" in capsys.readouterr().err
    assert main(["--workspace", str(tmp_path), "import", "roadmap", str(source), "-o", str(tmp_path / "x.txt")]) == 2


def test_grif_lines_spaced_by_empty_paragraphs_and_a_title_right_after(roadmaps, tmp_path):
    """«Утверждаю» with an empty paragraph between its lines (as schools space them), a СОГЛАСОВАНО in a
    two-cell table of its own, the bold title straight after the grif."""
    document = Document()
    grifs = document.add_table(rows=1, cols=2)
    grifs.rows[0].cells[0].text = "СОГЛАСОВАНО\nПредседатель Управляющего совета\n_______ Н.Н. Петрова"
    grifs.rows[0].cells[1].text = ""
    for line in ("«Утверждаю»", "", "Директор МКОУ", "", "«Прогимназия №66/1»", "", "З.А. Сарахова",
                 "Приказ №53 от 31.08.2023г."):
        document.add_paragraph(line)
    bold_paragraph(document, "«Дорожная карта» реализации целевой модели наставничества")
    table = document.add_table(rows=0, cols=3)
    for row in (("№", "Мероприятия", "Сроки"), ("1.", "Приказ", "Август"), ("2.", "Анкетирование", "Сентябрь")):
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    source = tmp_path / "progymnasium.docx"
    document.save(source)
    data = json.loads(roadmaps.import_to(source, ".json").read_text(encoding="utf-8"))
    assert data["approval"] == {"lines": ["«Утверждаю»", "Директор МКОУ", "«Прогимназия №66/1»", "З.А. Сарахова",
                                          "Приказ №53 от 31.08.2023г."]}
    assert data["agreement"] == {"lines": ["СОГЛАСОВАНО", "Председатель Управляющего совета", "_______ Н.Н. Петрова"]}
    assert data["title"] == "«Дорожная карта» реализации целевой модели наставничества"
    assert data["date"] == "2023-08-31"  # the approval's date is the plan's
    assert docx_rows(roadmaps.render_data(data)) == docx_rows(source)


def test_docgen_import_without_output_writes_a_form_named_after_the_docx_here(roadmaps, tmp_path, monkeypatch, capsys):
    source = hand_made_plan(tmp_path / "Карта.docx")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert main(["--workspace", str(tmp_path), "import", "roadmap", str(source)]) == 0
    written = here / "Карта (docgen).xlsx"
    assert written.exists() and str(written) in capsys.readouterr().out
    assert main(["--workspace", str(tmp_path), "import", "roadmap", str(tmp_path / "нет такого.docx")]) == 2
    assert "нет" in capsys.readouterr().err


def test_a_title_typed_into_the_first_row_of_the_table_is_the_title(roadmaps, tmp_path):
    document = Document()
    table = document.add_table(rows=0, cols=3)
    caption = table.add_row().cells
    caption[0].merge(caption[2]).text = "План мероприятий на 2023 год"
    for row in (("№ п/п", "Мероприятие", "Срок"), ("1", "Приказ", "август"), ("2", "Анкетирование", "сентябрь")):
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    source = tmp_path / "caption.docx"
    document.save(source)
    data = json.loads(roadmaps.import_to(source, ".json").read_text(encoding="utf-8"))
    assert data["title"] == "План мероприятий на 2023 год"
    assert docx_rows(roadmaps.render_data(data)) == docx_rows(source)[1:]
