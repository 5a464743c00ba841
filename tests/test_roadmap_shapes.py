"""Roadmap shapes of real plans (municipal, lyceum, college), each typed by JSON and by spreadsheet and compared
cell by cell with the original's table; grifs in every shape; the spreadsheet route refusing what it cannot place.
"""
from __future__ import annotations

import copy
from datetime import date
from types import SimpleNamespace

import pytest
from docx.oxml.ns import qn

from helpers import drop
from docgen.errors import InputError
from docgen.reading import RawDocument
from docgen.sheets.intake import read_spreadsheet
from docgen.validation import validate_all
from docgen.typography import typography
from roadmapshapes import (LYCEUM_AGREEMENT, LYCEUM_APPROVAL, MUNICIPAL_AUTHOR, MUNICIPAL_SHEET, NBSP, SHAPES,
                           write_roadmap_sheet)
from test_roadmap import docx_rows, grif_cells, plan_table


@pytest.fixture
def validate(docgen_hooks):
    def validated(raws):
        return validate_all(raws, docgen_hooks.registry(), docgen_hooks)
    return validated


@pytest.fixture
def render_doc(docgen_pipeline, tmp_path):
    counter = iter(range(1000))

    def render(document):
        target = tmp_path / f"shape-{next(counter)}.docx"
        docgen_pipeline.render(document, SimpleNamespace(number=None), target)
        return target
    return render


@pytest.fixture
def from_json(validate):
    def read(data):
        [document] = validate([RawDocument(copy.deepcopy(data), 0)])
        return document
    return read


@pytest.fixture
def from_sheet(validate, docgen_hooks, docgen_pipeline, tmp_path):
    def read(shape, fields=None, name="Дорожная карта.xlsx"):
        path = write_roadmap_sheet(tmp_path / name, shape, fields)
        raws = read_spreadsheet(path, docgen_hooks.registry(), docgen_pipeline.settings)
        [document] = validate(raws)
        return document
    return read


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_by_json_and_by_spreadsheet_gives_the_original_cells(shape, from_json, from_sheet, render_doc):
    data, sheet, cells = SHAPES[shape]
    by_json, by_sheet = render_doc(from_json(data)), render_doc(from_sheet(sheet))
    assert docx_rows(by_json) == cells
    assert docx_rows(by_sheet) == cells
    assert grif_cells(by_json) == grif_cells(by_sheet)


def test_municipal_stage_row_is_its_number_beside_a_title_spanning_the_rest(from_json, render_doc):
    table = plan_table(render_doc(from_json(SHAPES["municipal"][0])))
    stage = table._tbl.tr_lst[1]
    number, title = stage.tc_lst
    assert title.grid_span == 4 and number.grid_span == 1
    assert "Этап" not in "".join(t.text or "" for t in stage.iter(qn("w:t")))


def test_municipal_plan_has_no_grif_and_its_author_above_the_title(from_json, render_doc):
    path = render_doc(from_json(SHAPES["municipal"][0]))
    left, right = grif_cells(path)
    assert left == [""] and right == [""]  # not the configured director's УТВЕРЖДАЮ
    from docx import Document
    texts = [p.text for p in Document(str(path)).paragraphs if p.text]
    assert texts[0] == MUNICIPAL_AUTHOR
    assert texts[1].startswith("План мероприятий")
    assert "Сафарова" not in " ".join(texts)


def test_lyceum_grifs_in_their_own_order_with_a_year_in_the_blank_date(from_json, from_sheet, render_doc):
    for document in (from_json(SHAPES["lyceum"][0]), from_sheet(SHAPES["lyceum"][1])):
        left, right = grif_cells(render_doc(document))
        assert right == LYCEUM_APPROVAL
        assert left == LYCEUM_AGREEMENT
        assert document.date == date(2021, 8, 30)  # the approving order's date is the plan's date


def test_grif_lines_are_printed_as_given_by_json_and_by_spreadsheet(from_json, from_sheet, render_doc):
    approval = ["УТВЕРЖДЕНО", "Приказом МБОУ «СОШ № 3»", "№ 376/а от « 30 » августа 2021 г", "Директор МБОУ «СОШ № 3»",
                "И.А. Первенкова"]
    agreement = ["СОГЛАСОВАНО", "От « _____ » 2021 г.", "Председатель профкома", "М.П. Иванова"]
    data = {**SHAPES["college"][0], "approval": {"lines": approval}, "agreement": {"lines": agreement}}
    fields = [f for f in SHAPES["college"][1]["fields"] if not f[0].startswith("Утверждает")
              and f[0] != "Дата утверждения"]
    fields += [("Гриф утверждения: строки", "\n".join(approval)), ("Согласовано: строки", "\n".join(agreement))]
    tied = [typography(line) for line in approval + agreement]  # printed as typed, typeset like every value
    assert tied[2] == f"№{NBSP}376/а от « 30 » августа 2021{NBSP}г" and tied[4] == f"И.А.{NBSP}Первенкова"
    for document in (from_json(data), from_sheet(SHAPES["college"][1], fields)):
        left, right = grif_cells(render_doc(document))
        assert right == tied[:len(approval)] and left == tied[len(approval):]


def test_college_approval_date_is_the_document_date(from_json, from_sheet):
    assert from_json(SHAPES["college"][0]).date == date(2022, 9, 1)
    assert from_sheet(SHAPES["college"][1]).date == date(2022, 9, 1)


def test_an_explicit_document_date_wins_over_the_approval_date(from_json):
    assert from_json({**SHAPES["college"][0], "date": "2022-08-25"}).date == date(2022, 8, 25)


def test_without_author_and_approval_the_configured_director_still_approves(from_json, render_doc):
    data = {k: v for k, v in SHAPES["municipal"][0].items() if k not in ("author", "approval")}
    _, right = grif_cells(render_doc(from_json(data)))
    assert right[0] == "УТВЕРЖДАЮ" and right[2].endswith("Сафарова")


# --- the spreadsheet refuses what it cannot place --------------------------------------------------------


def refusal(from_sheet, shape, fields=None) -> str:
    with pytest.raises(InputError) as caught:
        from_sheet(shape, fields)
    return str(caught.value)


def test_unknown_document_field_is_refused_by_name(from_sheet):
    fields = SHAPES["college"][1]["fields"] + [("Цвет шапки", "синий")]
    text = refusal(from_sheet, SHAPES["college"][1], fields)
    assert "поле «Цвет шапки» программе неизвестно" in text and "строка" in text


def test_values_under_no_header_are_refused_with_the_column_letter(from_sheet):
    shape = copy.deepcopy(MUNICIPAL_SHEET)
    shape["rows"][1] = shape["rows"][1] + ["забытое примечание"]
    text = refusal(from_sheet, shape)
    assert "в столбце G есть значения, но нет заголовка" in text and "строка 3" in text


def test_a_row_with_a_deadline_but_no_activity_is_refused_with_its_row(from_sheet):
    shape = copy.deepcopy(MUNICIPAL_SHEET)
    shape["rows"][2][2] = None
    text = refusal(from_sheet, shape)
    assert "не заполнено «Мероприятие»" in text and "строка 4" in text


def test_no_grif_with_grif_fields_filled_is_refused(from_sheet):
    fields = MUNICIPAL_SHEET["fields"] + [("Утверждает: ФИО", "Иванов Иван Иванович")]
    assert "«нет грифа», но заполнены поля грифа" in refusal(from_sheet, MUNICIPAL_SHEET, fields)


def test_numbers_typed_in_number_cells_keep_their_dot(from_sheet, render_doc):
    shape = copy.deepcopy(MUNICIPAL_SHEET)
    shape["rows"][1][0] = 1.1  # typed into a General cell: Excel keeps a number
    shape["rows"][2][0] = 7
    rows = docx_rows(render_doc(from_sheet(shape)))
    assert [rows[2][0], rows[3][0]] == ["1.1", "7"]


def test_own_columns_keep_their_header_and_an_empty_own_column_stays_to_fill_by_hand(from_sheet, render_doc):
    document = from_sheet(SHAPES["college"][1])
    titles = [c.get("title") if isinstance(c, dict) else c for c in document.data["columns"]]
    assert titles == ["number", "activity", "deadline", "Целевая аудитория", "Отметка о выполнении"]
    table = plan_table(render_doc(document))
    assert len(table._tbl.tblGrid.gridCol_lst) == 5


@pytest.mark.libreoffice
def test_lyceum_sheet_end_to_end_file_named_by_its_approval_date_and_pdf_title_said_once(
        docgen_workspace, docgen_pipeline):
    from pypdf import PdfReader

    path = write_roadmap_sheet(docgen_workspace.inbox / "Дорожная карта лицея.xlsx", SHAPES["lyceum"][1])
    outcome = docgen_pipeline.process(path)
    assert outcome.ok, outcome.message
    [document] = outcome.documents
    assert document["pdf"].split("/")[-1].startswith("2021-08-30 Дорожная карта")
    reader = PdfReader(document["pdf"])
    title = reader.metadata.title
    assert title.count("Дорожная карта") == 1, title
    text = " ".join(reader.pages[0].extract_text().split())
    assert "УТВЕРЖДЕНО" in text and "Первенкова" in text and "Задача этапа:" in text


@pytest.mark.libreoffice
def test_municipal_json_end_to_end_without_grif(docgen_workspace, docgen_pipeline):
    from pypdf import PdfReader

    outcome = docgen_pipeline.process(drop(docgen_workspace, "municipal.json", SHAPES["municipal"][0]))
    assert outcome.ok, outcome.message
    text = " ".join(PdfReader(outcome.documents[0]["pdf"]).pages[0].extract_text().split())
    assert MUNICIPAL_AUTHOR in text and "УТВЕРЖД" not in text


# --- pages: no page left more than a third empty because a group is kept together ---------------------


def long_merged_group(rows: int = 40) -> dict:
    """One activity merged down over many lines of «Содержание деятельности», after a short stage."""
    content = [{"activity": "Сопровождение наставнических пар" if i == 0 else None,
                "content": f"{i + 1}. Встреча наставника и наставляемого по плану персонализированной программы, "
                           f"обсуждение результатов, запись в журнале наставничества",
                "deadline": "в течение года"} for i in range(rows)]
    for item in content:
        if item["activity"] is None:
            del item["activity"]
    return {"type": "roadmap", "date": "2023-08-31", "title": "План с длинной группой",
            "columns": ["number", {"key": "activity", "merge": True}, "content", "deadline"],
            "stages": [{"title": "Короткий этап", "items": [
                {"activity": f"Мероприятие {i}", "content": "Подготовка", "deadline": "август"} for i in range(8)]},
                {"title": "Длинный этап", "items": content}]}


def test_a_long_kept_group_is_cut_at_row_boundaries_its_merged_cell_restarted_short_ones_stay_whole(from_json, render_doc):
    table = plan_table(render_doc(from_json(long_merged_group())))
    kept = [all(p.paragraph_format.keep_with_next for p in
                [paragraph for tc in tr.tc_lst for paragraph in
                 __import__("docx").table._Cell(tc, table).paragraphs]) for tr in table._tbl.tr_lst[1:]]
    # the long stage: a stage row kept with its first row, then the merged group cut into several pieces
    long_part = kept[10:]
    assert kept[9] is True  # «Этап 2» stays with its first activity
    cuts = [i for i, k in enumerate(long_part[:-1]) if not k]
    assert len(cuts) >= 3 and all(b - a >= 2 for a, b in zip(cuts, cuts[1:]))
    # the merged activity starts again, its text repeated, right after every cut: each piece shows it
    trs = table._tbl.tr_lst[11:]
    starts = [i for i, tr in enumerate(trs) if tr.tc_lst[1].vMerge != "continue"]
    assert starts == [0] + [cut + 1 for cut in cuts]
    for i in starts:
        assert __import__("docx").table._Cell(trs[i].tc_lst[1], table).text == "Сопровождение наставнических пар"


@pytest.mark.libreoffice
def test_no_page_is_left_more_than_a_third_empty_by_a_kept_group(docgen_workspace, docgen_pipeline):
    from pypdf import PdfReader

    outcome = docgen_pipeline.process(drop(docgen_workspace, "long.json", long_merged_group()))
    assert outcome.ok, outcome.message
    pages = PdfReader(outcome.documents[0]["pdf"]).pages
    assert len(pages) >= 2
    for page in pages[:-1]:
        lowest = []
        page.extract_text(visitor_text=lambda text, cm, tm, *_: lowest.append(tm[5]) if text.strip() else None)
        height = float(page.mediabox.height)
        bottom_margin = 20 / 25.4 * 72
        text_height = height - 2 * bottom_margin
        assert min(lowest) - bottom_margin < text_height / 3, (min(lowest), height)


# --- JSON refuses empty activities; the blank form itself --------------------------------------------------


def json_refusal(from_json, data) -> str:
    with pytest.raises(InputError) as caught:
        from_json(data)
    return str(caught.value)


def test_json_items_without_activity_or_without_anything_are_refused(from_json):
    data = copy.deepcopy(SHAPES["college"][0])
    data["stages"][0]["items"].append({"deadline": "май", "audience": "Педагоги"})
    data["stages"][1]["items"].append({"number": "9.", "activity": "  "})
    text = json_refusal(from_json, data)
    assert "не заполнено мероприятие (activity)" in text and "пустое мероприятие" in text


def test_the_blank_form_filled_keeps_typed_numbers_renamed_and_own_columns(docgen_hooks, docgen_pipeline, validate,
                                                                           render_doc, tmp_path):
    from docgen.sheets.forms import build_blank_form
    from sheethelpers import fill_form

    workbook = build_blank_form(docgen_hooks.registry().get("roadmap"), docgen_hooks.closed_lists())
    sheet = workbook["Мероприятия"]
    headers = {cell.value: cell for cell in sheet[1]}
    headers["Сроки"].value = "Срок реализации"
    headers["Мероприятие"].value = "Наименование мероприятий"
    sheet.cell(1, sheet.max_column + 1, "Отметка о выполнении")
    rows = [{"Этап": "1. Подготовка", "№": "1", "Наименование мероприятий": "Приказ", "Срок реализации": "август"},
            {"№": "1", "Наименование мероприятий": "Положение", "Срок реализации": "август"},
            {"№": "3", "Наименование мероприятий": "Куратор", "Срок реализации": "сентябрь"}]
    fill_form(workbook, "Мероприятия", rows, {"Дата утверждения": "01.09.2023", "Утверждает: должность": "Директор",
                                             "Утверждает: ФИО": "Сафарова Зарина Алиевна"})
    path = tmp_path / "form.xlsx"
    workbook.save(path)
    [document] = validate(read_spreadsheet(path, docgen_hooks.registry(), docgen_pipeline.settings))
    assert document.date == date(2023, 9, 1)
    assert docx_rows(render_doc(document)) == [
        ["№", "Наименование мероприятий", "Срок реализации", "Отметка о выполнении"], ["Этап 1. Подготовка"],
        ["1", "Приказ", "август"], ["1", "Положение", "август"], ["3", "Куратор", "сентябрь"]]


def test_the_instruction_sheet_lists_every_document_option(docgen_hooks):
    from docgen.sheets.forms import build_blank_form

    doc_type = docgen_hooks.registry().get("roadmap")
    workbook = build_blank_form(doc_type, docgen_hooks.closed_lists())
    text = " ".join(str(c.value) for row in workbook["Инструкция"].iter_rows() for c in row if c.value)
    labels = [f.title for f in doc_type.sheet.fields if not f.title.startswith("Заголовок столбца")]
    assert len(labels) >= 25
    assert all(f"«{label}»" in text for label in labels), [label for label in labels if f"«{label}»" not in text]
    document = [row[0].value for row in workbook["Документ"].iter_rows(min_row=2)]
    assert document == [f.title for f in doc_type.sheet.fields]


def test_a_misspelt_grif_field_is_refused_by_name(from_json):
    data = {**SHAPES["college"][0], "approval": {"positon": "Директор", "name": "Орлов Пётр Сергеевич"}}
    text = json_refusal(from_json, data)
    assert "неизвестное поле грифа «positon»" in text and "допустимы: preset, lines" in text


def test_a_misspelt_document_option_is_refused_by_name(from_json):
    text = json_refusal(from_json, {**SHAPES["college"][0], "stagelayout": "number_cell"})
    assert "неизвестное поле «stagelayout»" in text and "stage_layout" in text


def test_a_date_row_on_the_document_sheet_is_the_plans_date_and_wins_over_approval(from_sheet):
    fields = SHAPES["college"][1]["fields"] + [("Дата", "05.09.2022")]
    assert from_sheet(SHAPES["college"][1], fields).date == date(2022, 9, 5)
