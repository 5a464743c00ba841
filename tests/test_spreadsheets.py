"""Spreadsheets read as a person reads them, and errors that point at the cell.

Each quirk of real sheets gets its own test: date cells and text dates,
numbers typed as text, formula results, merged cells, hidden and empty rows,
stray spaces, header spelling; sheets a secretary made herself; files that are
not spreadsheets, broken or oversized. Nothing here needs LibreOffice.
"""
from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from docgen.errors import InputError
from sheethelpers import new_workbook, write_csv, write_ods

PAIR_HEADER = ["Наставник (ФИО)", "Должность наставника", "Наставляемый (ФИО)", "Должность/класс наставляемого",
               "Форма наставничества", "Срок с", "Срок по", "Пол наставника"]


def read(pipeline, path: Path):
    return pipeline.read_and_validate(path)


def problems(pipeline, path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        pipeline.read_and_validate(path)
    return [p.russian() for p in caught.value.problems]


def save(workbook, folder: Path, name: str) -> Path:
    path = folder / name
    workbook.save(path)
    return path


def set_cached_values(path: Path, values: dict[str, str]) -> None:
    """Give formula cells the value Excel would have saved with them (openpyxl writes formulas without one)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    xml = members["xl/worksheets/sheet1.xml"].decode("utf-8")
    for reference, value in values.items():
        kind = "" if re.fullmatch(r"-?\d+(\.\d+)?", value) else ' t="str"'
        xml, count = re.subn(rf'<c r="{reference}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?</c>',
                             rf'<c r="{reference}"\1{kind}><f>\2</f><v>{value}</v></c>', xml)
        assert count == 1, reference
    members["xl/worksheets/sheet1.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


# --- values as a person reads them ---------------------------------------------------------


def test_date_cells_and_text_dates_are_read_as_dates(docgen_pipeline, tmp_path):
    rows = [
        ["Иванова Мария Петровна", "учитель", "Петров Сергей Олегович", "учитель", "", datetime(2023, 8, 31), date(2024, 5, 31)],
        ["Сидорова Анна Ивановна", "учитель", "Орлов Пётр Ильич", "учитель", "", "31.08.2023", "2024-05-31"],
        ["Козлова Вера Павловна", "учитель", "Титов Олег Юрьевич", "учитель", "", "31.08.23", "31/05/2024"],
        ["Зуева Нина Олеговна", "учитель", "Рябов Иван Ильич", "учитель", "", " 31.08.2023 г. ", "2024-05-31 00:00:00"],
    ]
    path = save(new_workbook([("Пары", [PAIR_HEADER[:7], *rows])]), tmp_path, "Пары.xlsx")
    [doc] = read(docgen_pipeline, path)
    assert [p["period"] for p in doc.data["pairs"]] == [{"from": "2023-08-31", "to": "2024-05-31"}] * 4


def test_date_cells_of_an_ods_are_dates(docgen_pipeline, tmp_path):
    path = write_ods(tmp_path / "Пары.ods", [("Пары", [PAIR_HEADER[:7], [
        "Иванова Мария Петровна", "учитель", "Петров Сергей Олегович", "учитель", "", date(2023, 9, 1), date(2024, 5, 31)]])])
    [doc] = read(docgen_pipeline, path)
    assert doc.data["pairs"][0]["period"] == {"from": "2023-09-01", "to": "2024-05-31"}


def test_numbers_typed_as_text_are_numbers_and_numbers_in_text_columns_read_as_typed(docgen_pipeline, tmp_path):
    rewards = new_workbook([("Поощрения", [
        ["ФИО", "Должность", "Вид поощрения", "Сумма"],
        ["Шевчук Ольга Ивановна", "учитель", "премия", "5 000"],
        ["Иванова Мария Петровна", "учитель", "Премия", "2500,50"],
        ["Петров Сергей Олегович", "учитель", "премия", "7\u00a0500 руб."],
        ["Орлов Пётр Ильич", "учитель", "премия", 3000.0],
    ])])
    [doc] = read(docgen_pipeline, save(rewards, tmp_path, "Поощрения.xlsx"))
    assert [r["amount"] for r in doc.data["rewards"]] == [5000, 2500.5, 7500, 3000]
    assert isinstance(doc.data["rewards"][0]["amount"], int)
    assert doc.data["rewards"][1]["kind"] == "премия"  # «Премия» spelt as the list has it
    consents = new_workbook([("Участники", [
        ["ФИО", "Документ", "Серия", "Номер", "Дата выдачи"],
        ["Иванова Мария Петровна", "паспорт", "0712", 345678, 45000],
    ])])
    [consent] = read(docgen_pipeline, save(consents, tmp_path, "Согласия.xlsx"))
    assert consent.data["subject"]["document"] == {"kind": "паспорт", "series": "0712", "number": "345678",
                                                   "issued_on": "2023-03-15"}


def test_formula_cells_give_their_computed_values(docgen_pipeline, tmp_path):
    workbook = new_workbook([("Поощрения", [
        ["Фамилия", "Имя Отчество", "ФИО", "Вид поощрения", "Сумма"],
        ["Шевчук", "Ольга Ивановна", '=A2&" "&B2', "премия", "=2500*2"],
    ])])
    path = save(workbook, tmp_path, "Поощрения.xlsx")
    set_cached_values(path, {"C2": "Шевчук Ольга Ивановна", "E2": "5000"})
    [doc] = read(docgen_pipeline, path)
    assert doc.data["rewards"][0]["person"]["name"] == "Шевчук Ольга Ивановна"
    assert doc.data["rewards"][0]["amount"] == 5000


def test_formula_without_a_saved_value_is_reported_at_its_cell(docgen_pipeline, tmp_path):
    workbook = new_workbook([("Поощрения", [
        ["Фамилия", "Имя Отчество", "ФИО", "Вид поощрения"],
        ["Шевчук", "Ольга Ивановна", '=A2&" "&B2', "грамота"],
    ])])
    found = problems(docgen_pipeline, save(workbook, tmp_path, "Поощрения.xlsx"))
    assert found == ["Лист «Поощрения», строка 2, столбец «ФИО»: в ячейке формула, но её значение не сохранено. "
                     "Откройте файл в Excel или LibreOffice Calc и сохраните его заново."]


def test_mentor_merged_over_his_mentees_is_one_group_in_xlsx(docgen_pipeline, tmp_path):
    workbook = new_workbook([("Пары", [
        PAIR_HEADER[:5],
        ["Иванова Мария Петровна", "учитель математики", "Петров Сергей Олегович", "учитель", "Учитель – учитель"],
        [None, None, "Кузнецова Алёна Игоревна", "учитель", None],
        [None, None, "Орлов Пётр Ильич", "учитель", None],
        ["Бондаренко Кирилл Сергеевич", "10 «А» класс", "Смирнов Артём Павлович", "7 «Б» класс", "Ученик – ученик"],
    ])])
    sheet = workbook["Пары"]
    for column in "ABE":
        sheet.merge_cells(f"{column}2:{column}4")
    [doc] = read(docgen_pipeline, save(workbook, tmp_path, "Пары.xlsx"))
    pairs = doc.data["pairs"]
    assert len(pairs) == 2
    assert [m["name"] for m in pairs[0]["mentees"]] == ["Петров Сергей Олегович", "Кузнецова Алёна Игоревна", "Орлов Пётр Ильич"]
    assert pairs[0]["mentor"] == {"name": "Иванова Мария Петровна", "position": "учитель математики"}


def test_merged_cells_of_an_ods_count_for_every_row_they_cover(docgen_pipeline, tmp_path):
    rows = [["ФИО", "Должность", "Вид поощрения", "За что"],
            ["Иванова Мария Петровна", "учитель", "грамота", "за наставничество"],
            ["Петров Сергей Олегович", "учитель", None, None],
            ["Орлов Пётр Ильич", "учитель", "благодарность", "за помощь"]]
    path = write_ods(tmp_path / "Поощрения.ods", [("Поощрения", rows)], merges={"Поощрения": [(1, 2, 2, 2), (1, 3, 2, 3)]})
    [doc] = read(docgen_pipeline, path)
    assert [(r["kind"], r["reason"]) for r in doc.data["rewards"]] == [
        ("грамота", "за наставничество"), ("грамота", "за наставничество"), ("благодарность", "за помощь")]


def test_group_rules_empty_or_repeated_mentor_joins_a_different_form_splits(docgen_pipeline, tmp_path):
    csv_rows = [
        PAIR_HEADER[:5],
        ["Иванова Мария Петровна", "учитель", "Петров Сергей Олегович", "учитель", "Учитель – учитель"],
        ["", "", "Кузнецова Алёна Игоревна", "учитель", ""],
        ["Иванова  Мария Петровна", "учитель", "Орлов Пётр Ильич", "учитель", "учитель-учитель"],
        ["Иванова Мария Петровна", "учитель", "Смирнов Артём Павлович", "7 «Б» класс", "Учитель – ученик"],
        ["Бондаренко Кирилл Сергеевич", "10 «А» класс", "Титов Олег Юрьевич", "7 «Б» класс", "Ученик – ученик"],
    ]
    [doc] = read(docgen_pipeline, write_csv(tmp_path / "pairs.csv", csv_rows, encoding="utf-8"))
    groups = [[m["name"].split()[0] for m in p["mentees"]] for p in doc.data["pairs"]]
    assert groups == [["Петров", "Кузнецова", "Орлов"], ["Смирнов"], ["Титов"]]
    assert doc.data["pairs"][0]["form"] == "Учитель – учитель"


def test_hidden_rows_are_not_read_in_xlsx_and_ods(docgen_pipeline, tmp_path):
    rows = [["ФИО", "Должность", "Вид поощрения"],
            ["Иванова Мария Петровна", "учитель", "грамота"],
            ["Скрытова Анна Ивановна", "учитель", "грамота"],
            ["Петров Сергей Олегович", "учитель", "благодарность"]]
    workbook = new_workbook([("Поощрения", rows)])
    workbook["Поощрения"].row_dimensions[3].hidden = True
    ods = write_ods(tmp_path / "Поощрения.ods", [("Поощрения", rows)], hidden_rows={"Поощрения": {2}})
    for path in (save(workbook, tmp_path, "Поощрения.xlsx"), ods):
        [doc] = read(docgen_pipeline, path)
        assert [r["person"]["name"] for r in doc.data["rewards"]] == ["Иванова Мария Петровна", "Петров Сергей Олегович"]


def test_empty_rows_and_rows_with_only_a_running_number_are_skipped(docgen_pipeline, tmp_path):
    workbook = new_workbook([("Поощрения", [
        ["№ п/п", "ФИО", "Должность", "Вид поощрения"],
        [1, "Иванова Мария Петровна", "учитель", "грамота"],
        [None, None, None, None],
        [2, "   ", "", None],
        [3, "Петров Сергей Олегович", "учитель", "благодарность"],
        [4], [5], [6],
    ])])
    [doc] = read(docgen_pipeline, save(workbook, tmp_path, "Поощрения.xlsx"))
    assert [r["person"]["name"] for r in doc.data["rewards"]] == ["Иванова Мария Петровна", "Петров Сергей Олегович"]


def test_non_breaking_and_double_spaces_are_cleaned(docgen_pipeline, tmp_path):
    workbook = new_workbook([("Поощрения", [
        ["ФИО", "Должность", "Вид поощрения"],
        ["  Иванова\u00a0Мария  Петровна ", "учитель\u00a0\u00a0математики\t", " грамота\u00a0"],
    ])])
    [doc] = read(docgen_pipeline, save(workbook, tmp_path, "Поощрения.xlsx"))
    assert doc.data["rewards"][0] == {"person": {"name": "Иванова Мария Петровна", "position": "учитель математики"},
                                      "kind": "грамота"}


def test_headers_match_despite_case_yo_spaces_punctuation_synonyms_and_a_title_above(docgen_pipeline, tmp_path):
    workbook = new_workbook([("Лист1", [
        ["Список наставнических пар на 2023/2024 учебный год"],
        [],
        ["  ФИО  НАСТАВНИКА ", "Должность наставника:", "наставляемый (фио)", "Должность / класс наставляемого",
         "Форма", "срок  С", "Срок по."],
        ["Иванова Мария Петровна", "учитель", "Петров Сергей Олегович", "учитель", "учитель - учитель",
         "01.09.2023", "31.05.2024"],
    ])])
    [doc] = read(docgen_pipeline, save(workbook, tmp_path, "Пары.xlsx"))
    pair = doc.data["pairs"][0]
    assert pair["mentor"]["position"] == "учитель" and pair["mentees"][0]["position"] == "учитель"
    assert pair["form"] == "Учитель – учитель" and pair["period"]["to"] == "2024-05-31"
    letters = new_workbook([("Лист1", [["Фио", "Ребенок", "Кому"],
                                       ["Бондаренко Александр Иванович и Бондаренко Елена Сергеевна",
                                        "Бондаренко Кирилл Александрович", "Родителям"]])])
    [letter] = read(docgen_pipeline, save(letters, tmp_path, "Благодарности.xlsx"))
    assert letter.data["addressee"]["kind"] == "parents" and len(letter.data["addressee"]["names"]) == 2
    assert letter.data["addressee"]["child"]["name"] == "Бондаренко Кирилл Александрович"


# --- errors that point at the cell -----------------------------------------------------------


def test_three_errors_in_one_sheet_are_reported_together_each_with_its_cell(docgen_pipeline, docgen_workspace):
    workbook = new_workbook([("Пары", [
        PAIR_HEADER,
        ["Иванова Мария Петровна", "учитель", "Петров Сергей Олегович", "учитель", "Учитель – учитель", "", "", ""],
        ["Сидорова Анна Ивановна", "учитель", "", "учитель", "Учитель – учитель", "", "", ""],
        ["Козлова Вера Павловна", "учитель", "Титов Олег Юрьевич", "учитель", "", "31.02.2023", "31.05.2024", ""],
        ["Зуева Нина", "учитель", "Рябов Иван Ильич", "учитель", "", "", "", "средний"],
    ])])
    path = save(workbook, docgen_workspace.inbox, "Пары сентябрь.xlsx")
    outcome = docgen_pipeline.process(path)
    assert not outcome.ok
    lines = outcome.message.splitlines()
    assert len(lines) == 3, lines
    assert lines[0].startswith("Лист «Пары», строка 3, столбец «Наставляемый (ФИО)»: не заполнено")
    assert lines[1].startswith("Лист «Пары», строка 4, столбец «Срок с»: «31.02.2023» — не дата или такой даты нет")
    assert lines[2].startswith("Лист «Пары», строка 5, столбец «Пол наставника»: «средний» — неверный формат")
    report = (docgen_workspace.failed / "Пары сентябрь.xlsx — ОШИБКИ.txt").read_text(encoding="utf-8-sig")
    assert "строка 3" in report and "строка 4" in report and "строка 5" in report
    assert docgen_pipeline.register.entries() == []


def test_document_sheet_errors_name_the_field_and_personal_values_stay_hidden(docgen_pipeline, docgen_hooks, tmp_path):
    from docgen.sheets.forms import build_blank_form
    from sheethelpers import fill_form

    form = build_blank_form(docgen_hooks.registry().get("consent"), {})
    fill_form(form, "Участники", [{"ФИО": "Петров Иван Сергеевич", "Дата рождения": "31.02.2012"},
                                  {"ФИО": "Орлова Анна Ильинична", "Дата выдачи": "45.01.2020"}],
              {"Дата согласия": "32.13.2023"})
    found = problems(docgen_pipeline, save(form, tmp_path, "x.xlsx"))
    assert len(found) == 3, found  # the shared «Документ» date is reported once, not per consent
    assert found[1].startswith("Лист «Участники», строка 2, столбец «Дата рождения»: значение (скрыто: персональные данные) — не дата")
    # a file of personal data quotes none of its cells (RELIABILITY.md 37), not even the consent's date
    assert found[0].startswith("Лист «Документ», строка 2, поле «Дата согласия»: значение (не показано: в файле "
                               "персональные данные) — не дата")
    assert any(p.startswith("Лист «Участники», строка 3, столбец «Дата выдачи»: значение (скрыто") for p in found)
    assert not any("31.02.2012" in p or "45.01.2020" in p for p in found)


def test_missing_required_column_is_named_with_the_headers_found(docgen_pipeline, tmp_path):
    workbook = new_workbook([("Пары", [["Наставник", "Должность наставника", "Класс"], ["Иванова М.П.", "учитель", "7 А"]])])
    [problem] = problems(docgen_pipeline, save(workbook, tmp_path, "Пары.xlsx"))
    assert problem.startswith("Лист «Пары»: нет столбца «Наставляемый (ФИО)» (строка заголовков — 1)")
    assert "«Наставник», «Должность наставника», «Класс»" in problem


def test_a_header_with_nothing_under_it_is_refused(docgen_pipeline, tmp_path):
    workbook = new_workbook([("Поощрения", [["ФИО", "Вид поощрения"], [None, None]])])
    [problem] = problems(docgen_pipeline, save(workbook, tmp_path, "Поощрения.xlsx"))
    assert "нет ни одной заполненной строки" in problem


# --- which type: mark, file name, headers ------------------------------------------------------


def test_secretarys_own_letters_sheet_works_by_file_name_and_by_headers(docgen_pipeline, tmp_path):
    rows = [["ФИО", "Должность", "За что"],
            ["Иванова Мария Петровна", "учитель математики", "за помощь молодым педагогам"],
            ["Петров Сергей Олегович", "учитель физики", "за активное участие в программе наставничества"]]
    for name in ("Благодарственные письма.xlsx", "список к выпускному.xlsx"):
        docs = read(docgen_pipeline, save(new_workbook([("Лист1", rows)]), tmp_path, name))
        assert [d.type.id for d in docs] == ["thank_you_letter"] * 2, name
        assert docs[1].data["addressee"] == {"name": "Петров Сергей Олегович", "position": "учитель физики"}
        assert docs[1].data["text"] == "за активное участие в программе наставничества"


def test_secretarys_own_consent_sheet_works_by_file_name_and_by_headers(docgen_pipeline, tmp_path):
    rows = [["ФИО", "Дата рождения", "Адрес", "Роль", "Представитель"],  # a minor needs a representative (152-ФЗ)
            ["Петров Иван Сергеевич", "14.03.2012", "г. Светлогорск, ул. Мира, д. 5", "наставляемый",
             "Петрова Анна Викторовна"],
            ["Иванова Мария Петровна", "02.11.1985", "г. Светлогорск, ул. Ленина, д. 1", "Наставник", None]]
    csv_path = write_csv(tmp_path / "consent_2023.csv", rows, encoding="utf-8", delimiter=",", bom=True)
    xlsx_path = save(new_workbook([("Лист1", rows)]), tmp_path, "данные.xlsx")
    for path in (csv_path, xlsx_path):
        docs = read(docgen_pipeline, path)
        assert [d.type.id for d in docs] == ["consent", "consent"]
        assert docs[0].data["subject"] == {"name": "Петров Иван Сергеевич", "birth_date": "2012-03-14",
                                           "address": "г. Светлогорск, ул. Мира, д. 5"}
        assert docs[1].data["role"] == "наставник"


def test_the_blank_forms_mark_wins_over_a_misleading_file_name(docgen_pipeline, docgen_hooks, tmp_path):
    from docgen.sheets.forms import build_blank_form
    from sheethelpers import fill_form

    form = fill_form(build_blank_form(docgen_hooks.registry().get("consent"), {}), "Участники",
                     [{"ФИО": "Петров Иван Сергеевич"}])
    [doc] = read(docgen_pipeline, save(form, tmp_path, "Пары.xlsx"))
    assert doc.type.id == "consent"


def test_an_unknown_type_mark_is_refused(docgen_pipeline, tmp_path):
    workbook = new_workbook([("Пары", [PAIR_HEADER]), ("docgen", [["docgen-type", "staff_order"]])])
    [problem] = problems(docgen_pipeline, save(workbook, tmp_path, "Пары.xlsx"))
    assert "Бланк сделан для типа документа «staff_order», которого нет" in problem


def test_a_sheet_whose_type_nothing_settles_fails_with_the_types_and_how_to_name_one(docgen_pipeline, tmp_path):
    path = write_csv(tmp_path / "data.csv", [["ФИО", "Примечание"], ["Иванова Мария Петровна", "—"]])
    [problem] = problems(docgen_pipeline, path)
    assert problem.startswith("Не удалось понять, какой это документ")
    for hint in ("pair_order", "reward_order", "consent", "thank_you_letter", "«Пары»", "«Участники»", "docgen blank"):
        assert hint in problem, hint


# --- CSV flavours ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding, delimiter, bom", [
    ("cp1251", ";", False), ("utf-8", ";", True), ("utf-8", ",", False), ("utf-8", "\t", True), ("cp1251", "\t", False),
    ("utf-16", "\t", False),
])
def test_csv_in_every_usual_encoding_and_delimiter(docgen_pipeline, tmp_path, encoding, delimiter, bom):
    rows = [["ФИО", "Должность", "Вид поощрения", "Сумма", "За что"],
            ["Шевчук Ольга Ивановна", "учитель истории, классный руководитель", "премия", "5 000,00",
             "за подготовку призёров; «лучший наставник»"],
            ["Ёлкина Алёна Игоревна", "учитель", "грамота", "", "за \"вклад\" в программу"]]
    path = write_csv(tmp_path / "Поощрения.csv", rows, encoding=encoding, delimiter=delimiter, bom=bom)
    [doc] = read(docgen_pipeline, path)
    first, second = doc.data["rewards"]
    assert first["person"]["position"] == "учитель истории, классный руководитель"
    assert first["amount"] == 5000 and first["reason"] == "за подготовку призёров; «лучший наставник»"
    assert second["person"]["name"] == "Ёлкина Алёна Игоревна" and second["reason"] == "за \"вклад\" в программу"


# --- files that are not spreadsheets, broken or too big -------------------------------------------


def zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("name, content, expected", [
    ("Пары.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "Это не таблица, а PDF-документ"),
    ("Пары.xlsx", bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600, "защищён паролем"),
    ("Пары.ods", b"just some text, not a spreadsheet", "не является таблицей .ods"),
    ("Пары.xlsx", b"", "Файл пустой"),
    ("Пары.csv", b"%PDF-1.4 binary", "Это не CSV-файл"),
    ("Пары.csv", b"\x00\x01\x02\x03 binary \x00", "Это не CSV-файл"),
])
def test_files_that_are_not_spreadsheets_are_refused_in_russian(docgen_pipeline, docgen_workspace, name, content, expected):
    path = docgen_workspace.inbox / name
    path.write_bytes(content)
    outcome = docgen_pipeline.process(path)
    assert not outcome.ok and expected in outcome.message, outcome.message
    assert (docgen_workspace.failed / name).exists()
    assert docgen_pipeline.register.entries() == []


def test_a_truncated_xlsx_is_refused_as_damaged(docgen_pipeline, docgen_hooks, tmp_path):
    from docgen.sheets.forms import build_blank_form

    whole = save(build_blank_form(docgen_hooks.registry().get("pair_order"), {}), tmp_path, "whole.xlsx")
    cut = tmp_path / "Пары.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])
    [problem] = problems(docgen_pipeline, cut)
    assert "повреждён" in problem


def test_a_zip_member_that_inflates_too_much_is_refused_before_reading(docgen_pipeline, tmp_path):
    path = zip_with(tmp_path / "Пары.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\0" * (64 << 20)})
    assert path.stat().st_size < 1 << 20
    [problem] = problems(docgen_pipeline, path)
    assert "zip-бомбу" in problem


def test_an_xlsx_larger_than_the_limit_when_unpacked_is_refused(docgen_pipeline, tmp_path, monkeypatch):
    import docgen.sheets.files as sheetfiles

    monkeypatch.setattr(sheetfiles, "MAX_UNCOMPRESSED", 10_000)
    workbook = new_workbook([("Поощрения", [["ФИО", "Вид поощрения"]] + [[f"Работник {i}", "грамота"] for i in range(500)])])
    [problem] = problems(docgen_pipeline, save(workbook, tmp_path, "Поощрения.xlsx"))
    assert "слишком велика" in problem


def test_a_cell_filled_far_away_is_refused_before_the_sheet_is_loaded(docgen_pipeline, tmp_path):
    workbook = new_workbook([("Поощрения", [["ФИО", "Вид поощрения"], ["Иванова Мария Петровна", "грамота"]])])
    workbook["Поощрения"].cell(1048576, 16384, "x")  # loaded densely this would be 17 billion cells
    [problem] = problems(docgen_pipeline, save(workbook, tmp_path, "Поощрения.xlsx"))
    assert problem.startswith("Лист «Поощрения»: заполнены ячейки слишком далеко (до строки 1048576, столбца 16384")


def test_a_thousand_rows_are_all_read(docgen_pipeline, tmp_path):
    rows = [["ФИО", "Должность", "Вид поощрения"]] + [[f"Работникова Анна Ивановна {i}", "учитель", "грамота"] for i in range(1000)]
    [doc] = read(docgen_pipeline, save(new_workbook([("Поощрения", rows)]), tmp_path, "Поощрения.xlsx"))
    assert len(doc.data["rewards"]) == 1000
    assert doc.data["rewards"][-1]["person"]["name"] == "Работникова Анна Ивановна 999"


def test_a_header_merged_down_or_repeated_on_a_later_page_is_not_read_as_data(docgen_pipeline, tmp_path):
    workbook = new_workbook([("Поощрения", [
        ["ФИО", "Должность", "Вид поощрения"],
        [None, None, None],
        ["Иванова Мария Петровна", "учитель", "грамота"],
        ["ФИО", "Должность", "Вид поощрения"],
        ["Петров Сергей Олегович", "учитель", "благодарность"],
    ])])
    workbook["Поощрения"].merge_cells("A1:A2")
    [doc] = read(docgen_pipeline, save(workbook, tmp_path, "Поощрения.xlsx"))
    assert [r["person"]["name"] for r in doc.data["rewards"]] == ["Иванова Мария Петровна", "Петров Сергей Олегович"]


def test_a_consent_sheet_without_headers_is_refused_without_quoting_its_cells(docgen_pipeline, tmp_path):
    path = write_csv(tmp_path / "Согласия.csv", [["Петров Иван Сергеевич", "14.03.2012", "II-ДН", "123456"]])
    [problem] = problems(docgen_pipeline, path)
    assert problem.startswith("Файл: не найдена строка заголовков")
    assert "123456" not in problem and "Петров" not in problem


def test_the_type_comes_from_the_secretarys_file_name_in_the_inbox(docgen_workspace, docgen_pipeline):
    """The file is read from its claimed copy in inbox/.processing; its own name still decides the type."""
    path = docgen_workspace.inbox / "Поощрения май.csv"
    path.write_text("ФИО;Должность;За что\nИванова Мария Петровна;учитель математики;\n", encoding="utf-8")
    outcome = docgen_pipeline.process(path)
    assert not outcome.ok  # a reward sheet without «Вид поощрения», not a thank-you letter
    assert "Вид поощрения" in outcome.message
    assert docgen_pipeline.register.entries() == []
