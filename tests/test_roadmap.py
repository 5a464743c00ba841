"""Roadmaps (дорожные карты): the reference plans reproduced cell by cell, any column set, long plans,
the approval and agreement grifs, the register's order dates, and the spreadsheet shape.

The reference texts in tests/data/roadmaps/ are the plans as published by three schools (copies of
/work/shared/reference/). Their tables are tab-separated rows; a blank line is a page break of the
source, where a row of the source that was split across pages continues.
"""
from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import _Cell

from helpers import drop, load_example
from docgen.errors import InputError
from docgen.reading import RawDocument
from docgen.register import NumberRequest
from docgen.validation import validate_all

REFERENCE = Path(__file__).parent / "data" / "roadmaps"
NBSP = "\u00a0"


# --- helpers ------------------------------------------------------------------------------------

def squeeze(text: str) -> str:
    return " ".join(re.sub(r"</?b>", "", text).split())


def reference_rows(name: str, header_start: str) -> list[list[str]]:
    """The plan table of a reference text: rows of non-empty cell texts, page-split rows joined."""
    lines = (REFERENCE / name).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows, after_break = [], False
    for line in lines[start:]:
        if not line.strip():
            after_break = True
            continue
        rows.append(([squeeze(c) for c in line.split("\t")], after_break))
        after_break = False
    return [[c for c in cells if c] for cells in join_page_split_rows(rows)]


def join_page_split_rows(rows: list[tuple[list[str], bool]]) -> list[list[str]]:
    """In a table whose every row starts with its number («1.1.», «Этап 2.», «7»), a row right after a
    page break that does not is the rest of the row above, cut by the page break."""
    numbered = re.compile(r"^(Этап\s+)?\d")
    header, body = rows[0], rows[1:]
    rests = {i for i, (cells, after_break) in enumerate(body) if after_break and not numbered.match(cells[0])}
    if not rests or not all(numbered.match(cells[0]) for i, (cells, _) in enumerate(body) if i not in rests):
        return [cells for cells, _ in rows]
    joined = [header[0]]
    for i, (cells, _) in enumerate(body):
        if i in rests:
            above = joined[-1] + [""] * (len(cells) - len(joined[-1]))
            joined[-1] = [" ".join(p for p in pair if p) for pair in zip(above, cells + [""] * len(above))]
        else:
            joined.append(cells)
    return joined


def plan_table(path: Path):
    return max(Document(str(path)).tables, key=lambda t: len(t.rows))


def docx_rows(path: Path) -> list[list[str]]:
    """The plan table's rows as non-empty cell texts; a vertically merged cell counts in its first row."""
    table = plan_table(path)
    rows = []
    for tr in table._tbl.tr_lst:
        texts = [squeeze(_Cell(tc, table).text) for tc in tr.tc_lst if tc.vMerge != "continue"]
        rows.append([t for t in texts if t])
    return rows


def docx_rows_once(path: Path) -> list[list[str]]:
    """As ``docx_rows``, a merged cell started again after a page end (its text repeated) counted once."""
    table = plan_table(path)
    rows, last = [], {}  # column position → (text of the merged cell, the row above was in a merge)
    for tr in table._tbl.tr_lst:
        texts = []
        for position, tc in enumerate(tr.tc_lst):
            text = squeeze(_Cell(tc, table).text)
            seen = last.get(position)
            if tc.vMerge == "continue":
                last[position] = (seen[0] if seen else "", True)
                continue
            repeated = seen is not None and seen[1] and seen[0] == text
            last[position] = (text, tc.vMerge == "restart")
            if not repeated:
                texts.append(text)
        rows.append([t for t in texts if t])
    return rows


def grif_cells(path: Path) -> tuple[list[str], list[str]]:
    first = Document(str(path)).tables[0]
    left, right = first.rows[0].cells
    return [p.text for p in left.paragraphs], [p.text for p in right.paragraphs]


@pytest.fixture
def render(docgen_hooks, docgen_pipeline, tmp_path):
    """Validate a roadmap as the pipeline does and render its DOCX (no number, no PDF)."""
    counter = iter(range(1000))

    def render_roadmap(data: dict) -> Path:
        [document] = validate_all([RawDocument(copy.deepcopy(data), 0)], docgen_hooks.registry(), docgen_hooks)
        target = tmp_path / f"roadmap-{next(counter)}.docx"
        docgen_pipeline.render(document, SimpleNamespace(number=None), target)
        return target

    return render_roadmap


def minimal(**changes) -> dict:
    data = {"type": "roadmap", "date": "2023-08-31", "title": "План мероприятий",
            "stages": [{"title": "Подготовка", "items": [{"activity": "Приказ", "deadline": "август",
                                                           "responsible": "Директор", "result": "Приказ"}]}]}
    data.update(changes)
    return data


def record_order(pipeline, number: str, when: date) -> None:
    """An order already in the register, as a pair order processed earlier would have left it."""
    request = NumberRequest(doc_index=0, type_id="pair_order", doc_date=when, series="orders", pattern="{n}-од",
                            year_start="01-01", heading="О закреплении наставнических пар", signer="Директор",
                            executor="", given_number=number)
    pipeline.register.issue(f"sha-{number}", "order.json", [request], lambda *_: number)


# --- the reference plans --------------------------------------------------------------------------

REFERENCES = [
    ("roadmap_kerch.json", "roadmap_kerch_college.txt", "Этап, мероприятия этапа"),
    ("roadmap_progymnasium.json", "roadmap_progymnasium_66-1.txt", "№\tНаименование этапа"),
    ("roadmap_school4.json", "programme_school_4.txt", "№ п/п\tМероприятие"),
]


@pytest.mark.parametrize("example, reference, header", REFERENCES, ids=["kerch", "progymnasium", "school4"])
def test_reference_plan_is_reproduced_cell_by_cell(render, example, reference, header):
    expected = reference_rows(reference, header)
    assert len(expected) > 20
    assert docx_rows_once(render(load_example(example))) == expected


@pytest.mark.libreoffice
@pytest.mark.parametrize("example, reference, header", REFERENCES, ids=["kerch", "progymnasium", "school4"])
def test_reference_plan_pdf_has_the_header_on_every_page_and_no_empty_page(
        docgen_workspace, docgen_pipeline, example, reference, header):
    from pypdf import PdfReader

    outcome = docgen_pipeline.process(drop(docgen_workspace, example, load_example(example)))
    assert outcome.ok, outcome.message
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(outcome.documents[0]["pdf"]).pages]
    expected = reference_rows(reference, header)
    assert len(pages) > 1
    assert all(expected[0][1] in page for page in pages)
    assert expected[-1][-1] in pages[-1]
    assert "УТВЕРЖД" in pages[0]


def test_reference_parsing_joins_rows_split_by_a_page_break():
    kerch = reference_rows("roadmap_kerch_college.txt", "Этап, мероприятия этапа")
    [row] = [r for r in kerch if r[0].startswith("3.4.")]
    assert row[0].endswith("по их участию в программе наставничества (в некоторых случаях с привлечением психолога)")
    school = reference_rows("programme_school_4.txt", "№ п/п\tМероприятие")
    assert school[3][-1] == "Директор. Заместитель директора по УВР. Заместитель директора по ВР. Классные руководители"
    assert len(school) == 36


def test_kerch_numbers_lead_the_activity_and_stages_span_the_table(render):
    table = plan_table(render(load_example("roadmap_kerch.json")))
    stage = table._tbl.tr_lst[1]
    [tc] = stage.tc_lst
    assert tc.grid_span == 4
    assert tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "E8E8E8"
    paragraph = _Cell(tc, table).paragraphs[0]
    assert paragraph.text == "Этап 1. Подготовка условий для запуска программы наставничества"
    assert paragraph.runs[0].bold and paragraph.paragraph_format.keep_with_next
    assert _Cell(table._tbl.tr_lst[2].tc_lst[0], table).text.startswith("1.1. Обеспечить")
    deadline = _Cell(table._tbl.tr_lst[2].tc_lst[1], table)
    assert [p.text for p in deadline.paragraphs] == ["июнь 2021г.", "сентябрь 2021г."]


def test_progymnasium_stage_and_activity_cells_are_merged_down(render):
    table = plan_table(render(load_example("roadmap_progymnasium.json")))
    rows = table._tbl.tr_lst
    merges = [[tc.vMerge for tc in tr.tc_lst[:3]] for tr in rows[1:4]]
    assert merges == [["restart", "restart", "restart"], ["continue", "continue", "continue"],
                      ["continue", "continue", "restart"]]
    assert _Cell(rows[1].tc_lst[0], table).text == "1."


# --- columns ---------------------------------------------------------------------------------------

def test_columns_docgen_never_saw_get_their_titles_widths_and_cells(render):
    data = minimal(columns=[
        "number", "activity",
        {"key": "audience", "title": "Целевая аудитория", "width": 4},
        {"key": "report", "title": "Форма отчётности", "width": 4},
        "deadline",
    ], stages=[{"title": "Информирование", "items": [
        {"activity": "Родительское собрание", "audience": ["Родители", "Классные руководители"],
         "report": "Протокол собрания", "deadline": "сентябрь"},
        {"activity": "Классный час", "audience": "Обучающиеся 5–9 классов", "report": "Фотоотчёт"},
    ]}])
    path = render(data)
    rows = docx_rows(path)
    assert rows[0] == ["№ п/п", "Мероприятие", "Целевая аудитория", "Форма отчётности", "Сроки"]
    assert rows[2] == ["1.1", "Родительское собрание", "Родители Классные руководители", "Протокол собрания", "сентябрь"]
    assert rows[3] == ["1.2", "Классный час", "Обучающиеся 5–9 классов", "Фотоотчёт"]
    table = plan_table(path)
    widths = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    assert widths[2] == widths[3] and abs(widths[2] / widths[1] - 4 / 8) < 0.01
    assert abs(sum(widths) / 360000 - 26.2) < 0.01  # the landscape text width, in cm


def test_default_columns_and_continuous_numbering(render):
    data = minimal(numbering="continuous", stages=[
        {"title": "Первый", "items": [{"activity": "А"}, {"activity": "Б"}]},
        {"title": "Второй", "items": [{"activity": "В"}]},
    ])
    rows = docx_rows(render(data))
    assert rows[0] == ["№ п/п", "Мероприятие", "Сроки", "Ответственные", "Результат"]
    assert [r[:2] for r in rows[1:]] == [["Этап 1. Первый"], ["1", "А"], ["2", "Б"], ["Этап 2. Второй"], ["3", "В"]]


@pytest.mark.parametrize("titles, label, rows", [
    (["Этап 1", "Этап 2. Основной", "3. Итоговый"], None, ["Этап 1", "Этап 2. Основной", "Этап 3. Итоговый"]),
    (["1 сентября – день знаний", "этап 2: Подготовка"], None, ["Этап 1. 1 сентября – день знаний", "Этап 2. Подготовка"]),
    (["Раздел 1. Нормативная база", "Раздел 2"], "Раздел", ["Раздел 1. Нормативная база", "Раздел 2"]),
    (["1. Подготовка", "2) Реализация"], "", ["1. Подготовка", "2. Реализация"]),
])
def test_a_stage_heading_typed_into_the_title_is_printed_once(render, titles, label, rows):
    changes = {"stages": [{"title": title, "items": [{"activity": f"Мероприятие {i}"}]}
                          for i, title in enumerate(titles, 1)]}
    if label is not None:
        changes["stage_label"] = label
    table = docx_rows(render(minimal(**changes)))
    assert [row[0] for row in table[1:] if len(row) == 1] == rows


@pytest.mark.parametrize("title, word", [
    ("Дорожная карта реализации программы наставничества", "УТВЕРЖДЕНА"),
    ("«Дорожная карта» реализации целевой модели наставничества", "УТВЕРЖДЕНА"),
    ("План мероприятий по реализации программы наставничества", "УТВЕРЖДЕН"),
    ("Календарный план-график наставнической деятельности", "УТВЕРЖДЕН"),
    ("Мероприятия по внедрению целевой модели наставничества", "УТВЕРЖДЕНЫ"),
    (None, "УТВЕРЖДЕН"),  # the default title «План мероприятий (дорожная карта) …»
])
def test_the_approval_by_order_agrees_with_the_document_its_title_names(render, title, word):
    data = minimal(approval={"order": {"number": "88-од", "date": "2026-08-31"}})
    if title:
        data["title"] = title
    else:
        del data["title"]
    _, right = grif_cells(render(data))
    assert right[0] == word and "приказом" in " ".join(right[1:]) and "88-од" in " ".join(right)
    assert render(minimal(approval={"order": {"number": "1"}, "word": "УТВЕРЖДЕНО"}, title=title or "План"))


def test_stage_task_and_result_lines_span_the_table(render):
    data = minimal(stages=[{"number": "I", "title": "Подготовка", "task": "создать условия",
                            "result": ["Положение", "приказ"], "items": [{"activity": "Приказ"}]}])
    table = plan_table(render(data))
    texts = [[_Cell(tc, table).text for tc in tr.tc_lst] for tr in table._tbl.tr_lst[1:]]
    assert texts[:2] == [["Этап I. Подготовка"], ["Задача этапа: создать условия"]]
    assert texts[3] == ["Результат: Положение\nприказ"]  # the result sums the stage up: after its items
    assert all(len(table._tbl.tr_lst[i].tc_lst) == 1 for i in (1, 2, 4))
    table = plan_table(render({**data, "result_position": "до мероприятий", "task_position": "after"}))
    texts = [[_Cell(tc, table).text for tc in tr.tc_lst] for tr in table._tbl.tr_lst[1:]]
    assert [t[0] for t in texts] == ["Этап I. Подготовка", "Результат: Положение\nприказ", "I.1",
                                     "Задача этапа: создать условия"]


def test_multiline_cells_and_lists_of_responsible_persons_keep_their_lines(render):
    data = minimal(stages=[{"title": "Этап", "items": [
        {"activity": "Первая строка\nвторая строка", "responsible": ["Директор", "Куратор программы"]}]}])
    table = plan_table(render(data))
    cells = [_Cell(tc, table) for tc in table._tbl.tr_lst[2].tc_lst]
    assert cells[0].text == "1.1"
    assert [p.text for p in cells[1].paragraphs] == ["Первая строка", "вторая строка"]
    assert [p.text for p in cells[3].paragraphs] == ["Директор", "Куратор программы"]


def test_two_hundred_activities_all_present_rows_whole_and_header_repeated(render):
    stages = [{"title": f"Этап работы {s}", "items": [
        {"activity": f"Мероприятие {s}.{i}: " + "подробное описание " * (i % 4), "deadline": "в течение года",
         "responsible": ["Куратор программы", "Наставники"] if i % 3 else "Директор", "result": f"Отчёт {s}.{i}"}
        for i in range(1, 21)]} for s in range(1, 11)]
    path = render(minimal(stages=stages))
    rows = docx_rows(path)
    activities = [r[1] for r in rows if len(r) > 1 and r[1].startswith("Мероприятие ")]
    assert len(activities) == 200
    assert activities[0].startswith("Мероприятие 1.1:") and activities[-1].startswith("Мероприятие 10.20:")
    assert [r[0] for r in rows if r[0][0].isdigit()][-1] == "10.20"
    trs = plan_table(path)._tbl.tr_lst
    assert len(trs) == 1 + 10 + 200
    assert trs[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in trs[1:])
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in trs)


@pytest.mark.libreoffice
def test_two_hundred_activities_pdf_repeats_the_header_on_every_page(docgen_workspace, docgen_pipeline):
    from pypdf import PdfReader

    items = [{"activity": f"Мероприятие номер {i}", "deadline": "май", "responsible": "Куратор программы",
              "result": f"Итог {i}"} for i in range(1, 201)]
    data = minimal(title="Большой план", items=items)
    del data["stages"]
    outcome = docgen_pipeline.process(drop(docgen_workspace, "big.json", data))
    assert outcome.ok, outcome.message
    pages = [page.extract_text() for page in PdfReader(outcome.documents[0]["pdf"]).pages]
    assert len(pages) >= 5
    for page in pages:
        assert "Мероприятие" in page and "Ответственные" in page and "Результат" in page
    text = " ".join(pages)
    assert all(f"Мероприятие номер {i}" in text for i in range(1, 201))
    assert "Итог 200" in pages[-1]
    assert pages[1].split()[0] == "2"  # page numbers from page 2, at the top
    assert not pages[0].split()[0].isdigit()


# --- grifs ---------------------------------------------------------------------------------------------

def test_agreement_left_and_approval_right_on_one_line(render):
    left, right = grif_cells(render(load_example("roadmap.json")))
    assert left == ["СОГЛАСОВАНО", "Председатель комитета по образованию администрации города Светлогорска",
                    f"____________ И.С.{NBSP}Ковалёва", "30.08.2023"]
    assert right[0] == "УТВЕРЖДЕНА"
    assert right[-1] == f"от 31.08.2023 №{NBSP}53-од"


def test_approval_by_director_shows_initials_signature_blank_and_date(render):
    data = minimal(approval={"position": "Директор МКОУ «Прогимназия №66/1»", "name": "Сарахова Зарема Алиевна",
                             "date": "2023-08-31"})
    left, right = grif_cells(render(data))
    assert right == ["УТВЕРЖДАЮ", f"Директор МКОУ «Прогимназия №{NBSP}66/1»", f"____________ З.А.{NBSP}Сарахова",
                     "31.08.2023"]  # the typography of every printed value (docgen.typography)
    assert left == [""]


def test_without_approval_the_configured_director_approves_on_the_document_date(render):
    _, right = grif_cells(render(minimal()))
    assert right == ["УТВЕРЖДАЮ", f"Директор МБОУ «СОШ №{NBSP}7 им.{NBSP}А.С.{NBSP}Пушкина»",
                     f"____________ З.А.{NBSP}Сафарова", "31.08.2023"]


@pytest.mark.parametrize("name", ["Колесник Д.В.", "Д.В. Колесник", "Д. В. Колесник"])
def test_names_already_written_with_initials_are_kept(render, name):
    _, right = grif_cells(render(minimal(approval={"position": "Директор", "name": name})))
    assert right[2] == f"____________ Д.В.{NBSP}Колесник"


def test_approving_order_takes_its_date_from_the_register(render, docgen_pipeline):
    record_order(docgen_pipeline, "12-од", date(2023, 8, 29))
    _, right = grif_cells(render(minimal(approval={"order": "12-од"})))
    assert right == ["УТВЕРЖДЕН", f"приказом МБОУ «СОШ №{NBSP}7 им.{NBSP}А.С.{NBSP}Пушкина»",
                     f"от 29.08.2023 №{NBSP}12-од"]


def test_approving_order_not_in_the_register_is_printed_as_given(render):
    _, right = grif_cells(render(minimal(approval={"word": "УТВЕРЖДЕНО", "issuer": "", "order": "№ 376/а"})))
    assert right == ["УТВЕРЖДЕНО", f"приказом №{NBSP}376/а"]
    _, right = grif_cells(render(minimal(approval={"order": {"number": "99-од", "date": "01.09.2023"}, "issuer": ""})))
    assert right == ["УТВЕРЖДЕН", f"приказом от 01.09.2023 №{NBSP}99-од"]  # «План мероприятий» — УТВЕРЖДЕН


def test_agreement_without_date_leaves_a_line_to_fill_by_hand(render):
    data = minimal(agreement={"position": "Председатель комитета по образованию", "organization": "администрации г. Ухты",
                              "name": "Петрова Анна Викторовна"})
    left, _ = grif_cells(render(data))
    assert left == ["СОГЛАСОВАНО", "Председатель комитета по образованию", f"администрации г.{NBSP}Ухты",
                    f"____________ А.В.{NBSP}Петрова", "«___» ____________ 20___ г."]


# --- bad input ----------------------------------------------------------------------------------------

def problems_of(docgen_hooks, data: dict) -> str:
    with pytest.raises(InputError) as caught:
        validate_all([RawDocument(data, 0, where=lambda path: "/".join(map(str, path)))],
                     docgen_hooks.registry(), docgen_hooks)
    return str(caught.value) + " ".join(p.message for p in caught.value.problems)


def test_a_cell_for_a_column_that_is_not_in_the_table_is_refused_with_its_place(docgen_hooks):
    data = minimal(stages=[{"title": "Этап", "items": [{"activity": "А", "responsibel": "Директор"}]}])
    text = problems_of(docgen_hooks, data)
    assert "stages/0/items/0/responsibel" in text and "нет среди столбцов" in text


def test_unknown_column_key_and_missing_title_are_refused(docgen_hooks):
    text = problems_of(docgen_hooks, minimal(columns=["number", "audience", {"key": "report"}]))
    assert "неизвестный столбец «audience»" in text and "у столбца «report» не указан заголовок" in text


def test_approval_needs_a_name_or_an_order(docgen_hooks):
    text = problems_of(docgen_hooks, minimal(approval={"position": "Директор"}))
    assert "ФИО утверждающего" in text


# --- the whole pipeline -----------------------------------------------------------------------------

@pytest.mark.libreoffice
def test_example_roadmap_becomes_landscape_docx_and_pdf(docgen_workspace, docgen_pipeline):
    from pypdf import PdfReader

    outcome = docgen_pipeline.process(drop(docgen_workspace, "roadmap.json", load_example("roadmap.json")))
    assert outcome.ok, outcome.message
    [document] = outcome.documents
    assert document["number"] is None
    section = Document(document["docx"]).sections[0]
    assert section.page_width > section.page_height
    reader = PdfReader(document["pdf"])
    box = reader.pages[0].mediabox
    assert box.width > box.height
    first = " ".join(reader.pages[0].extract_text().split())
    for expected in ("СОГЛАСОВАНО", "УТВЕРЖДЕНА", "53-од", "Этап 1. Подготовка условий",
                     "Задача этапа:", "Результат, вид документа", "1.1"):
        assert expected in first, expected
    assert "{{" not in first and "{%" not in first


# --- spreadsheets ---------------------------------------------------------------------------------------

def roadmap_type(docgen_hooks):
    return docgen_hooks.registry().get("roadmap")


SHEET_FIELDS = {
    "date": "31.08.2023", "title": "План мероприятий на 2023–2024 учебный год",
    "approval_position": "Директор МБОУ «СОШ № 7»", "approval_name": "Сафарова Зарина Алиевна",
    "order_number": 53.0, "order_date": date(2023, 8, 31),
    "agreement_position": "Председатель комитета по образованию", "agreement_name": None, "numbering": "Сквозная",
}


def sheet_row(**cells) -> dict:
    row = dict.fromkeys(("stage", "stage_task", "stage_result", "number", "activity", "content", "deadline",
                         "responsible", "result"))
    row["number"] = ""  # the form's «№» column, left blank: numbered automatically
    row.update(cells)
    return row


def test_sheet_rows_fold_into_stages_with_their_task_result_and_own_columns(docgen_hooks, render):
    rows = [
        sheet_row(stage="Этап 1. Подготовка условий", stage_task="создать условия", activity="Приказ о внедрении",
                  deadline=date(2023, 9, 1), responsible="Директор\nКуратор программы", result="Приказ",
                  **{"Целевая аудитория": "Педагоги"}),
        sheet_row(activity="Положение о наставничестве", deadline="сентябрь", result="Положение"),
        sheet_row(),
        sheet_row(stage="Этап 2. Формирование базы наставляемых", stage_result="база наставляемых",
                  activity="Анкетирование", deadline="октябрь", **{"Целевая аудитория": "Обучающиеся"}),
        sheet_row(stage_task="собрать запросы", activity="Сбор согласий", deadline="октябрь"),
    ]
    [doc] = roadmap_type(docgen_hooks).sheet.assemble(SHEET_FIELDS, rows)
    assert doc["columns"] == ["number", "activity", "deadline", "responsible", "result",
                              {"key": "Целевая аудитория", "title": "Целевая аудитория"}]
    assert [(s["number"], s["title"], s.get("task"), s.get("result"), len(s["items"])) for s in doc["stages"]] == [
        ("1", "Подготовка условий", "создать условия", None, 2),
        ("2", "Формирование базы наставляемых", "собрать запросы", "база наставляемых", 2)]
    assert doc["approval"] == {"position": "Директор МБОУ «СОШ № 7»", "name": "Сафарова Зарина Алиевна",
                               "order": {"number": "53", "date": date(2023, 8, 31)}}
    assert doc["agreement"] == {"position": "Председатель комитета по образованию"}
    assert doc["stages"][0]["items"][0]["deadline"] == "01.09.2023"
    table_rows = docx_rows(render(doc))
    assert table_rows[1:4] == [
        ["Этап 1. Подготовка условий"], ["Задача этапа: создать условия"],
        ["1", "Приказ о внедрении", "01.09.2023", "Директор Куратор программы", "Приказ", "Педагоги"]]
    assert table_rows[-2:] == [["4", "Сбор согласий", "октябрь"], ["Результат: база наставляемых"]]


def test_sheet_without_stages_gives_plain_items_and_blank_activity_merges_with_content(docgen_hooks, render):
    rows = [sheet_row(activity="Сбор данных о наставляемых", content="1. Анкетирование", deadline="август"),
            sheet_row(content="2. Сбор согласий", deadline="август"),
            sheet_row(number=7, activity="Обучение наставников", content="1. Семинар")]
    [doc] = roadmap_type(docgen_hooks).sheet.assemble({"title": "План"}, rows)
    assert "stages" not in doc and len(doc["items"]) == 3
    assert doc["columns"][1] == {"key": "activity", "merge": True}
    table = plan_table(render(doc))
    activity_merges = [tr.tc_lst[1].vMerge for tr in table._tbl.tr_lst[1:]]
    assert activity_merges == ["restart", "continue", None]
    assert docx_rows(render(doc))[1:] == [["1", "Сбор данных о наставляемых", "1. Анкетирование", "август"],
                                          ["2. Сбор согласий", "август"],  # a line of activity 1, no number
                                          ["7", "Обучение наставников", "1. Семинар"]]


def test_roadmap_sheet_spec_names_the_list_and_its_columns(docgen_hooks):
    sheet = roadmap_type(docgen_hooks).sheet
    assert sheet.list_sheet == "Мероприятия" and not sheet.rows_are_documents
    titles = [c.title for c in sheet.columns]
    assert titles[:3] == ["Этап", "Задача этапа", "Результат этапа"] and "Ответственные" in titles
    assert "по этапам" in next(f for f in sheet.fields if f.key == "numbering").choices
