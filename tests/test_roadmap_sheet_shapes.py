"""Roadmaps as secretaries keep them in their own spreadsheets (not docgen's form): a title block with the grif
over the table, two-row headers, a row numbering the columns, stage rows typed across the table (merged or
not), «Содержание деятельности» as the only text column, CSV; and the page layout of tall rows and merged
stage cells. Each kind of shape is read through ``read_spreadsheet`` and rendered; the DOCX cells are compared.
"""
from __future__ import annotations

import copy
import csv
import datetime
import re
from types import SimpleNamespace

import pytest
from docx.oxml.ns import qn
from openpyxl import Workbook

from docgen.errors import InputError
from docgen.reading import RawDocument
from docgen.sheets.intake import read_spreadsheet
from docgen.validation import validate_all
from test_roadmap import docx_rows, grif_cells, plan_table

HEADER = ["№ п/п", "Наименование мероприятия", "Сроки", "Ответственный", "Ожидаемый результат"]
ITEMS_1 = [["1.1", "Издание приказа о внедрении", "август 2026", "Директор", "Приказ"],
           ["1.2", "Анкетирование педагогов", "в течение года", "Куратор,\nпедагог-психолог", "- анкеты;\n- справка"]]
ITEMS_2 = [["2.1", "Встречи наставнических пар", "ежемесячно", "Наставники", "Журнал"]]
CELLS = [HEADER, ["I. Подготовительный этап"], ["1.1", "Издание приказа о внедрении", "август 2026", "Директор", "Приказ"],
         ["1.2", "Анкетирование педагогов", "в течение года", "Куратор, педагог-психолог", "- анкеты; - справка"],
         ["II. Основной этап"], ["2.1", "Встречи наставнических пар", "ежемесячно", "Наставники", "Журнал"]]
TITLE_BLOCK = [["МБОУ «СОШ № 12»"], [], [None, None, None, "УТВЕРЖДАЮ"], [None, None, None, "Директор МБОУ «СОШ № 12»"],
               [None, None, None, "____________ Е.В. Смирнова"], [None, None, None, "Приказ № 115-од от 29.08.2026"],
               [], ["Дорожная карта реализации программы наставничества на 2026–2027 учебный год"], []]


def put(sheet, rows, start=1):
    for r, row in enumerate(rows, start):
        for c, value in enumerate(row, 1):
            if value is not None:
                sheet.cell(r, c, value)
    return start + len(rows)


def stage_across(sheet, row, text, width=5, merged=True):
    sheet.cell(row, 1, text)
    if merged:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    return row + 1


def plan_body(sheet, start, merged=True):
    r = stage_across(sheet, start, "I. Подготовительный этап", merged=merged)
    r = put(sheet, ITEMS_1, r)
    r = stage_across(sheet, r, "II. Основной этап", merged=merged)
    return put(sheet, ITEMS_2, r)


def title_block_sheet(workbook):
    sheet = workbook.active
    r = put(sheet, TITLE_BLOCK)
    plan_body(sheet, put(sheet, [HEADER], r))


def numbering_row_sheet(workbook):
    sheet = workbook.active
    plan_body(sheet, put(sheet, [HEADER, [1, 2, 3, 4, 5]]))


def unmerged_stage_rows_with_spacers_and_notes(workbook):
    sheet = workbook.active
    sheet.title = "План"
    r = stage_across(sheet, put(sheet, [HEADER]), "I. Подготовительный этап", merged=False)
    r = put(sheet, [ITEMS_1[0], [], ITEMS_1[1], []], r)
    r = stage_across(sheet, r, "II. Основной этап", merged=False)
    put(sheet, ITEMS_2, r)
    for row in range(1, r + 3):
        for column in range(6, 10):
            sheet.cell(row, column).number_format = "@"  # formatted, empty columns right of the table
    workbook.create_sheet("Примечания").append(["Согласовано на педсовете, протокол № 1"])


def two_row_header_sheet(workbook):
    sheet = workbook.active
    put(sheet, [["№ п/п", "Наименование мероприятия", "Сроки", None, "Ответственный"], [None, None, "начало", "окончание"]])
    for column in (1, 2, 5):
        sheet.merge_cells(start_row=1, start_column=column, end_row=2, end_column=column)
    sheet.merge_cells("C1:D1")
    r = stage_across(sheet, 3, "Раздел 1. Организационная работа")
    put(sheet, [["1.1.", "Приказ о кураторе", datetime.datetime(2026, 9, 1), datetime.datetime(2026, 9, 5), "Директор"]], r)


def content_only_sheet(workbook):
    put(workbook.active, [["№ п/п", "Содержание деятельности", "Срок исполнения", "Ответственные исполнители"],
                          ["1", "Мониторинг запросов", "сентябрь–октябрь 2026 г.", "Куратор"]])


def stage_number_over_nested_numbers(workbook):
    put(workbook.active, [HEADER[:3], ["1", "Нормативно-правовое обеспечение"], ["1.1", "Положение", "август"],
                          ["1.2", "Приказ", "по отдельному плану"]])


def activity_and_number_merged_down_over_content(workbook):
    sheet = workbook.active
    put(sheet, [["№", "Наименование мероприятия", "Содержание деятельности", "Сроки", "Ответственные"],
                ["1.", "Выбор форм наставничества", "1. Мониторинг запросов", "Август", "Директор."],
                [None, None, "2. Административное совещание", "Август", "Старший воспитатель."],
                ["2.", "Сбор данных о наставляемых", "1. Анкетирование", "В течение года", "Старший воспитатель."]])
    for column in ("A", "B"):
        sheet.merge_cells(f"{column}2:{column}3")


WORDED = ["п/п", "Содержание мероприятия", "Срок проведения", "Ответственный за исполнение", "Планируемый результат",
          "Целевая аудитория", "Примечание"]


def other_header_wordings(workbook):
    put(workbook.active, [WORDED, ["1", "Семинар для наставников", datetime.datetime(2026, 10, 14),
                                   "Куратор\nруководитель МО", "Протокол", "Наставники", "по отдельному плану"]])


SHAPES = {
    "title block, grif and title over the table, stages merged across": (title_block_sheet, CELLS),
    "numbering row under the header": (numbering_row_sheet, CELLS),
    "stage rows not merged, spacer rows, empty formatted columns, a notes sheet":
        (unmerged_stage_rows_with_spacers_and_notes, CELLS),
    "two-row header, Excel dates": (two_row_header_sheet, [
        ["№ п/п", "Наименование мероприятия", "Сроки (начало)", "Сроки (окончание)", "Ответственный"],
        ["Раздел 1. Организационная работа"], ["1.1.", "Приказ о кураторе", "01.09.2026", "05.09.2026", "Директор"]]),
    "«Содержание деятельности» as the only text column": (content_only_sheet, [
        ["№ п/п", "Содержание деятельности", "Срок исполнения", "Ответственные исполнители"],
        ["1", "Мониторинг запросов", "сентябрь–октябрь 2026 г.", "Куратор"]]),
    "activity and its number merged down over lines of content": (activity_and_number_merged_down_over_content, [
        ["№", "Наименование мероприятия", "Содержание деятельности", "Сроки", "Ответственные"],
        ["1.", "Выбор форм наставничества", "1. Мониторинг запросов", "Август", "Директор."],
        ["2. Административное совещание", "Август", "Старший воспитатель."],
        ["2.", "Сбор данных о наставляемых", "1. Анкетирование", "В течение года", "Старший воспитатель."]]),
    "other header wordings, own columns kept": (other_header_wordings, [
        WORDED, ["1", "Семинар для наставников", "14.10.2026", "Куратор руководитель МО", "Протокол", "Наставники",
                 "по отдельному плану"]]),
    "a stage number with its title over nested numbers": (stage_number_over_nested_numbers, [
        HEADER[:3], ["1", "Нормативно-правовое обеспечение"], ["1.1", "Положение", "август"],
        ["1.2", "Приказ", "по отдельному плану"]]),
}


@pytest.fixture
def sheet_plan(docgen_hooks, docgen_pipeline, tmp_path):
    counter = iter(range(1000))

    def read(build, name="Дорожная карта.xlsx"):
        path = tmp_path / name
        if callable(build):
            workbook = Workbook()
            build(workbook)
            workbook.save(path)
        raws = read_spreadsheet(path, docgen_hooks.registry(), docgen_pipeline.settings)
        [document] = validate_all(raws, docgen_hooks.registry(), docgen_hooks)
        target = tmp_path / f"plan-{next(counter)}.docx"
        docgen_pipeline.render(document, SimpleNamespace(number=None), target)
        return document, target
    return read


@pytest.mark.parametrize("kind", SHAPES)
@pytest.mark.slow
def test_each_kind_of_own_spreadsheet_gives_its_cells_in_order(kind, sheet_plan):
    build, cells = SHAPES[kind]
    _, path = sheet_plan(build)
    assert docx_rows(path) == cells


def test_stage_rows_typed_across_are_shaded_rows_across_the_table(sheet_plan):
    _, path = sheet_plan(title_block_sheet)
    stage = plan_table(path)._tbl.tr_lst[1]
    [cell] = stage.tc_lst
    assert cell.grid_span == 5 and cell.find(".//" + qn("w:shd")) is not None
    assert stage.find(".//" + qn("w:keepNext")) is not None  # kept with its first activity


def test_the_title_block_gives_the_grif_lines_the_title_and_the_plans_date(sheet_plan):
    document, path = sheet_plan(title_block_sheet)
    assert document.date == datetime.date(2026, 8, 29)
    _, right = grif_cells(path)
    assert [line.replace("\u00a0", " ") for line in right if line] == [line[3] for line in TITLE_BLOCK[2:6]]
    assert document.data["title"] == TITLE_BLOCK[7][0]


def test_a_csv_with_stage_rows_keeps_them(sheet_plan, tmp_path):
    path = tmp_path / "Дорожная карта.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerows([HEADER, ["I. Подготовительный этап", "", "", "", ""], *ITEMS_1,
                          ["II. Основной этап"], *ITEMS_2])
    _, docx_path = sheet_plan(path, name=path.name)
    assert docx_rows(docx_path) == CELLS


def test_a_sheet_without_any_activity_column_is_refused_naming_the_sheet_and_the_header_row(sheet_plan):
    def build(workbook):
        workbook.active.title = "План"
        put(workbook.active, [["Дорожная карта"], ["Колонка А", "Сроки", "Ответственный"], ["x", "август", "Директор"]])
    with pytest.raises(InputError) as caught:
        sheet_plan(build)
    message = str(caught.value)
    assert "Лист «План»" in message and "«Мероприятие»" in message and "строка заголовков — 2" in message


# --- pages: tall rows and merged stage cells -------------------------------------------------------------------

PARAGRAPH = ("Организация методических семинаров для наставников и наставляемых, изучение нормативной базы, "
             "разработка индивидуальных планов развития, посещение уроков с последующим анализом. ") * 8


def test_a_row_taller_than_a_third_of_a_page_may_break_across_pages_short_rows_may_not(sheet_plan):
    def build(workbook):
        put(workbook.active, [HEADER, ["1", PARAGRAPH, "в течение года", "Куратор", "Отчёт"],
                              ["2", "Коротко", "май", "Куратор", "Отчёт"]])
    _, path = sheet_plan(build)
    tall, short = plan_table(path)._tbl.tr_lst[1:3]
    assert tall.find(".//" + qn("w:cantSplit")) is None
    assert short.find(".//" + qn("w:cantSplit")) is not None
    assert docx_rows(path)[1][1] == " ".join(PARAGRAPH.split())


def stage_column_plan(rows: int) -> dict:
    return {"type": "roadmap", "date": "2026-08-29", "approval": False,
            "columns": ["number", "stage", "activity", "deadline"],
            "stages": [{"title": "Формирование банка наставляемых",
                        "items": [{"activity": f"Мероприятие {n}. " + PARAGRAPH[:300], "deadline": "август"}
                                  for n in range(1, rows + 1)]}]}


def test_a_stage_cell_merged_down_many_pages_starts_again_with_its_text_in_every_kept_piece(
        docgen_hooks, docgen_pipeline, tmp_path):
    [document] = validate_all([RawDocument(copy.deepcopy(stage_column_plan(30)), 0)], docgen_hooks.registry(),
                              docgen_hooks)
    path = tmp_path / "stage.docx"
    docgen_pipeline.render(document, SimpleNamespace(number=None), path)
    rows = docx_rows(path)
    starts = [row for row in rows[1:] if "Формирование банка наставляемых" in row]
    assert len(starts) > 3  # the merged stage cell is started again after every cut
    activities = [found[1] for row in rows[1:] for cell in row for found in [re.match(r"1\.\d+\. Мероприятие (\d+)\.", cell)]
                  if found]
    assert activities == [str(n) for n in range(1, 31)]  # every activity once, in order


@pytest.mark.libreoffice
def test_own_sheet_with_title_block_end_to_end_every_cell_in_the_pdf(docgen_workspace, docgen_pipeline):
    from pypdf import PdfReader

    workbook = Workbook()
    title_block_sheet(workbook)
    path = docgen_workspace.inbox / "План мероприятий наставничества.xlsx"
    workbook.save(path)
    outcome = docgen_pipeline.process(path)
    assert outcome.ok, outcome.message
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(outcome.documents[0]["pdf"]).pages).split())
    for row in CELLS:
        for cell in row:
            assert cell in text, cell
    assert text.index("I. Подготовительный этап") < text.index("1.1") < text.index("II. Основной этап")
    assert "Приказ № 115-од от 29.08.2026" in text


@pytest.mark.libreoffice
def test_a_stage_cell_over_many_pages_shows_its_title_on_every_page(docgen_workspace, docgen_pipeline):
    import json

    from pypdf import PdfReader

    path = docgen_workspace.inbox / "stage-column.json"
    path.write_text(json.dumps(stage_column_plan(30), ensure_ascii=False), encoding="utf-8")
    outcome = docgen_pipeline.process(path)
    assert outcome.ok, outcome.message
    pages = PdfReader(outcome.documents[0]["pdf"]).pages
    assert len(pages) >= 3
    for page in pages:
        assert "Формирование банка" in " ".join(page.extract_text().split())


def test_other_header_wordings_name_the_known_columns_and_print_as_typed(sheet_plan):
    document, _ = sheet_plan(other_header_wordings)
    keys = [c if isinstance(c, str) else c["key"] for c in document.data["columns"]]
    assert keys[:5] == ["number", "activity", "deadline", "responsible", "result"]
    assert [c["title"] for c in document.data["columns"] if isinstance(c, dict)][-2:] == WORDED[-2:]
