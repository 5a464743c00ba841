"""Blank forms: what `docgen blank` writes, and every owned type round-tripped blank → filled → documents.

Round trips go through the real pipeline (read, validate, number, render DOCX,
publish); PDF conversion is switched off here (it has its own tests) so the
suite stays fast. The same filled data also travels as .ods and as a
Windows-1251 «;» CSV.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from docgen.cli import main
from docgen.errors import ConversionError
from docgen.sheets.forms import build_blank_form
from docgen.testing import docx_text
from sheethelpers import fill_form, workbook_to_ods, write_csv

OWNED_TYPES = ("pair_order", "reward_order", "consent", "thank_you_letter")


class NoPdf:
    """A converter that makes no PDF: the pipeline then delivers the DOCX only."""

    enabled = False

    def convert(self, docx: Path, pdf: Path) -> None:
        raise ConversionError("PDF в этом тесте не делается")

    def close(self) -> None:
        pass


@pytest.fixture
def pipeline(docgen_pipeline):
    docgen_pipeline.converter = NoPdf()
    return docgen_pipeline


def blank(hooks, type_id: str) -> openpyxl.Workbook:
    return build_blank_form(hooks.registry().get(type_id), hooks.closed_lists())


def reopen(workbook: openpyxl.Workbook, path: Path) -> openpyxl.Workbook:
    workbook.save(path)
    return openpyxl.load_workbook(path)


# --- what a blank form holds ------------------------------------------------------------


@pytest.mark.parametrize("type_id", OWNED_TYPES)
def test_blank_form_has_fields_list_instructions_and_hidden_type_mark(docgen_hooks, tmp_path, type_id):
    doc_type = docgen_hooks.registry().get(type_id)
    spec = doc_type.sheet
    workbook = reopen(blank(docgen_hooks, type_id), tmp_path / "form.xlsx")
    assert workbook.sheetnames == ["Документ", spec.list_sheet, "Инструкция", "docgen"]
    mark = workbook["docgen"]
    assert mark.sheet_state == "hidden"
    assert (mark["A1"].value, mark["B1"].value) == ("docgen-type", type_id)
    listing = workbook[spec.list_sheet]
    assert [c.value for c in listing[1]] == [c.title for c in spec.columns]
    assert listing.freeze_panes == "A2"
    assert all(listing.column_dimensions[chr(65 + i)].width == c.width for i, c in enumerate(spec.columns))
    labels = [row[0].value for row in workbook["Документ"].iter_rows(min_row=2)]
    assert labels == [f.title for f in spec.fields]
    assert workbook["Документ"]["A1"].value == "Поле"
    instruction = "\n".join(str(c.value) for row in workbook["Инструкция"].iter_rows() for c in row if c.value)
    assert "Скрытые строки" in instruction and "Пример заполнения" in instruction
    example = spec.examples[0]
    first_key = spec.columns[0].key
    assert example[first_key] in instruction


def drop_down_values(workbook: openpyxl.Workbook, sheet: str, column_title: str) -> tuple[list[str], str]:
    """The values offered in a column's drop-down (resolved from the hidden list) and its error style."""
    listing = workbook[sheet]
    letter = next(c.column_letter for c in listing[1] if c.value == column_title)
    for validation in listing.data_validations.dataValidation:
        if any(str(r).startswith(f"{letter}2:") for r in validation.sqref.ranges):
            target = validation.formula1.split("!")[1].replace("$", "")
            first, last = target.split(":")
            mark = workbook["docgen"]
            return [c.value for row in mark[first:last] for c in row], validation.errorStyle
    raise AssertionError(f"no drop-down on {column_title}")


def test_drop_downs_offer_forms_kinds_genders_and_addressee_kinds(docgen_hooks, tmp_path):
    pairs = reopen(blank(docgen_hooks, "pair_order"), tmp_path / "p.xlsx")
    forms, style = drop_down_values(pairs, "Пары", "Форма наставничества")
    builtin_forms = next(c for c in docgen_hooks.registry().get("pair_order").sheet.columns if c.key == "form").choices
    assert len(builtin_forms) > 5 and forms[:len(builtin_forms)] == list(builtin_forms) and "Педагог – педагог" in forms
    assert style == "warning"  # a region's own form may still be typed
    assert drop_down_values(pairs, "Пары", "Пол наставника")[0] == ["м", "ж"]
    rewards = reopen(blank(docgen_hooks, "reward_order"), tmp_path / "r.xlsx")
    assert drop_down_values(rewards, "Поощрения", "Вид поощрения") == (["благодарность", "грамота", "премия"], "stop")
    letters = reopen(blank(docgen_hooks, "thank_you_letter"), tmp_path / "l.xlsx")
    assert drop_down_values(letters, "Адресаты", "Кому")[0] == ["человек", "родители", "организация"]


def test_region_closed_list_joins_the_form_drop_down(docgen_workspace, tmp_path):
    from docgen.plugins import get_plugin_manager

    (docgen_workspace.plugins).mkdir(exist_ok=True)
    (docgen_workspace.plugins / "region_forms.py").write_text(
        "from docgen import hookimpl\n\n"
        "@hookimpl\n"
        "def docgen_closed_lists():\n"
        "    return {'mentoring_forms': ['Выпускник – первокурсник']}\n", encoding="utf-8")
    hooks = get_plugin_manager(docgen_workspace.plugins)
    workbook = reopen(blank(hooks, "pair_order"), tmp_path / "p.xlsx")
    forms, _ = drop_down_values(workbook, "Пары", "Форма наставничества")
    assert forms[-1] == "Выпускник – первокурсник" and "Учитель – учитель" in forms


def test_blank_form_columns_are_typed_so_leading_zeros_and_dates_survive(docgen_hooks, tmp_path):
    workbook = reopen(blank(docgen_hooks, "consent"), tmp_path / "c.xlsx")
    listing = workbook["Участники"]
    letters = {c.value: c.column_letter for c in listing[1]}
    assert listing.column_dimensions[letters["Серия документа представителя"]].number_format == "@"
    assert listing.column_dimensions[letters["Дата рождения"]].number_format == "DD.MM.YYYY"


@pytest.fixture
def keep_logging():
    """The CLI reconfigures logging onto the captured stderr; put the handlers back afterwards."""
    import logging

    handlers, level = logging.root.handlers[:], logging.root.level
    yield
    logging.root.handlers[:] = handlers
    logging.root.setLevel(level)


def test_cli_blank_writes_the_form_and_never_overwrites(tmp_path, capsys, monkeypatch, keep_logging):
    monkeypatch.chdir(tmp_path)
    assert main(["--workspace", str(tmp_path), "blank", "pair_order", "-o", str(tmp_path / "пары.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "пары.xlsx")["docgen"]["B1"].value == "pair_order"
    assert main(["--workspace", str(tmp_path), "blank", "pair_order", "-o", str(tmp_path / "пары.xlsx")]) == 2
    assert "уже есть" in capsys.readouterr().err
    assert main(["--workspace", str(tmp_path), "blank", "Согласие на обработку персональных данных"]) == 0
    [made] = tmp_path.glob("Участники — бланк*.xlsx")
    assert openpyxl.load_workbook(made)["docgen"]["B1"].value == "consent"
    assert main(["--workspace", str(tmp_path), "blank", "consent"]) == 0
    assert len(list(tmp_path.glob("Участники — бланк*.xlsx"))) == 2
    assert main(["--workspace", str(tmp_path), "blank", "no_such_type"]) == 2
    assert "Неизвестный тип документа" in capsys.readouterr().err


# --- round trips: blank → filled → documents -----------------------------------------------------

PAIR_FIELDS = {
    "Дата приказа": datetime(2023, 8, 31), "Программа наставничества": "Программа наставничества МОУ СОШ № 4",
    "Срок наставничества с": "01.09.2023", "Срок наставничества по": "31.05.2024",
    "Куратор (ФИО)": "Гурьева Ирина Владимировна", "Должность куратора": "заместитель директора по ВР",
}
PAIR_ROWS = [
    {"Наставник (ФИО)": "Иванова Мария Петровна", "Должность наставника": "учитель математики",
     "Наставляемый (ФИО)": "Петров Сергей Олегович", "Должность/класс наставляемого": "учитель математики",
     "Форма наставничества": "Учитель – учитель"},
    {"Наставляемый (ФИО)": "Кузнецова Алёна Игоревна", "Должность/класс наставляемого": "учитель физики"},
    {"Наставник (ФИО)": "Бондаренко Кирилл Сергеевич", "Должность наставника": "10 «А» класс",
     "Наставляемый (ФИО)": "Смирнов Артём Павлович", "Должность/класс наставляемого": "7 «Б» класс",
     "Форма наставничества": "Ученик – ученик", "Срок с": datetime(2023, 10, 1), "Срок по": "20.12.2023",
     "Пол наставляемого": "м"},
]
REWARD_FIELDS = {"Дата приказа": datetime(2024, 5, 31),
                 "За что (общее для всех)": "за успешную реализацию программы наставничества"}
REWARD_ROWS = [
    {"ФИО": "Иванова Мария Петровна", "Должность": "учитель математики", "Вид поощрения": "благодарность"},
    {"ФИО": "Ковальчук Дмитрий Викторович", "Должность": "преподаватель", "Вид поощрения": "грамота"},
    {"ФИО": "Шевчук Ольга Ивановна", "Должность": "учитель истории", "Вид поощрения": "премия", "Сумма": 5000,
     "Пол": "ж", "За что": "за подготовку призёров олимпиады"},
]
CONSENT_FIELDS = {"Дата согласия": datetime(2023, 8, 25)}
CONSENT_ROWS = [
    {"ФИО": "Петров Иван Сергеевич", "Дата рождения": datetime(2012, 3, 14), "Адрес": "г. Светлогорск, ул. Мира, д. 5",
     "Роль": "наставляемый", "Документ": "свидетельство о рождении", "Серия": "II-ДН", "Номер": "123456",
     "Представитель ФИО": "Петрова Анна Викторовна", "Основание полномочий": "мать",
     "Документ представителя": "паспорт", "Серия документа представителя": "0712",
     "Номер документа представителя": "345678"},
    {"ФИО": "Иванова Мария Петровна", "Дата рождения": "02.11.1985", "Роль": "наставник", "Документ": "паспорт"},
]
LETTER_FIELDS = {"Дата письма": datetime(2024, 5, 31),
                 "За что (общее для всех)": "за активное участие в программе наставничества"}
LETTER_ROWS = [
    {"ФИО": "Иванова Мария Петровна", "Должность": "учитель математики", "Кому": "человек"},
    {"ФИО": "Бондаренко Александр Иванович, Бондаренко Елена Сергеевна", "Кому": "родители",
     "Ребёнок (ФИО)": "Бондаренко Кирилл Александрович"},
    {"ФИО": "Петров Пётр Петрович", "Должность": "директор", "Кому": "организация", "Организация": "ООО «Ромашка»",
     "За что": "за помощь в организации профессиональных проб"},
]

CASES = {
    "pair_order": ("Пары", PAIR_FIELDS, PAIR_ROWS),
    "reward_order": ("Поощрения", REWARD_FIELDS, REWARD_ROWS),
    "consent": ("Участники", CONSENT_FIELDS, CONSENT_ROWS),
    "thank_you_letter": ("Адресаты", LETTER_FIELDS, LETTER_ROWS),
}


def check_pair_order(docs, with_fields=True):
    [doc] = docs
    pairs = doc.data["pairs"]
    assert [p["mentor"]["name"] for p in pairs] == ["Иванова Мария Петровна", "Бондаренко Кирилл Сергеевич"]
    assert [m["name"] for m in pairs[0]["mentees"]] == ["Петров Сергей Олегович", "Кузнецова Алёна Игоревна"]
    assert pairs[0]["form"] == "Учитель – учитель"
    assert pairs[1]["period"] == {"from": "2023-10-01", "to": "2023-12-20"}
    assert pairs[1]["mentees"][0]["gender"] == "m"
    if with_fields:
        assert doc.data["date"] == "2023-08-31" and doc.data["period"] == {"from": "2023-09-01", "to": "2024-05-31"}
        assert doc.data["curator"]["name"] == "Гурьева Ирина Владимировна"
    return ["Иванов", "Петров", "Кузнецов", "Бондаренко", "Смирнов"]


def check_reward_order(docs, with_fields=True):
    [doc] = docs
    rewards = doc.data["rewards"]
    assert [(r["person"]["name"], r["kind"]) for r in rewards] == [
        ("Иванова Мария Петровна", "благодарность"), ("Ковальчук Дмитрий Викторович", "грамота"),
        ("Шевчук Ольга Ивановна", "премия")]
    assert rewards[2]["amount"] == 5000 and rewards[2]["person"]["gender"] == "f"
    assert rewards[2]["reason"] == "за подготовку призёров олимпиады" and "reason" not in rewards[0]
    if with_fields:
        assert doc.data["reason"] == "за успешную реализацию программы наставничества"
    return ["Иванов", "Ковальчук", "Шевчук"]


def check_consent(docs, with_fields=True):
    assert len(docs) == 2
    child, mentor = docs[0].data, docs[1].data
    assert child["subject"]["name"] == "Петров Иван Сергеевич" and child["subject"]["birth_date"] == "2012-03-14"
    assert child["representative"]["document"] == {"kind": "паспорт", "series": "0712", "number": "345678"}
    assert child["subject"]["document"]["series"] == "II-ДН" and child["role"] == "наставляемый"
    assert mentor["subject"]["birth_date"] == "1985-11-02" and "representative" not in mentor
    if with_fields:
        assert child["date"] == mentor["date"] == "2023-08-25"
    return ["Петров", "Петрова"]


def check_thank_you_letter(docs, with_fields=True):
    assert len(docs) == 3
    person, parents, organization = (d.data["addressee"] for d in docs)
    assert person["name"] == "Иванова Мария Петровна" and person.get("kind", "person") == "person"
    assert parents["kind"] == "parents" and "name" not in parents
    assert [p["name"] for p in parents["names"]] == ["Бондаренко Александр Иванович", "Бондаренко Елена Сергеевна"]
    assert parents["child"]["name"] == "Бондаренко Кирилл Александрович"
    assert organization == {"name": "Петров Пётр Петрович", "position": "директор", "kind": "organization",
                            "organization": "ООО «Ромашка»"}
    assert docs[2].data["text"] == "за помощь в организации профессиональных проб"
    if with_fields:
        assert docs[0].data["text"] == "за активное участие в программе наставничества"
        assert docs[0].data["date"] == "2024-05-31"
    return ["Иванов", "Бондаренко", "Петров"]


CHECKS = {"pair_order": check_pair_order, "reward_order": check_reward_order, "consent": check_consent,
          "thank_you_letter": check_thank_you_letter}


def filled_form(hooks, type_id: str) -> openpyxl.Workbook:
    sheet, fields, rows = CASES[type_id]
    return fill_form(blank(hooks, type_id), sheet, rows, fields)


def process_and_check(pipeline, path: Path, type_id: str, with_fields: bool = True) -> None:
    documents = pipeline.read_and_validate(path)
    assert {d.type.id for d in documents} == {type_id}
    surnames = CHECKS[type_id](documents, with_fields)
    outcome = pipeline.process(path)
    assert outcome.ok, outcome.message
    assert len(outcome.documents) == len(documents)
    text = "\n".join(docx_text(d["docx"]) for d in outcome.documents)
    for surname in surnames:
        assert surname in text, surname
    assert all(e.status == "published" for e in pipeline.register.entries())
    assert len(pipeline.register.entries()) == len(documents)


@pytest.mark.parametrize("type_id", OWNED_TYPES)
def test_filled_blank_xlsx_becomes_documents(pipeline, docgen_workspace, docgen_hooks, type_id):
    path = docgen_workspace.inbox / "заполнено.xlsx"  # a name that says nothing: the hidden mark tells the type
    filled_form(docgen_hooks, type_id).save(path)
    process_and_check(pipeline, path, type_id)
    assert (docgen_workspace.processed / "заполнено.xlsx").exists()


@pytest.mark.parametrize("type_id", OWNED_TYPES)
def test_filled_blank_saved_as_ods_becomes_documents(pipeline, docgen_workspace, docgen_hooks, type_id, tmp_path):
    workbook = reopen(filled_form(docgen_hooks, type_id), tmp_path / "filled.xlsx")
    path = workbook_to_ods(workbook, docgen_workspace.inbox / "данные.ods")
    process_and_check(pipeline, path, type_id)


CSV_NAMES = {"pair_order": "Пары 2023.csv", "reward_order": "Поощрения.csv", "consent": "Согласия.csv",
             "thank_you_letter": "Благодарности выпуск.csv"}


@pytest.mark.parametrize("type_id", OWNED_TYPES)
def test_list_exported_as_windows_1251_semicolon_csv_becomes_documents(pipeline, docgen_workspace, docgen_hooks,
                                                                        type_id, tmp_path):
    sheet_name = CASES[type_id][0]
    workbook = reopen(filled_form(docgen_hooks, type_id), tmp_path / "filled.xlsx")
    rows = [list(r) for r in workbook[sheet_name].iter_rows(values_only=True)]
    path = write_csv(docgen_workspace.inbox / CSV_NAMES[type_id], rows, encoding="cp1251", delimiter=";")
    raw = path.read_bytes()
    assert b";" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    process_and_check(pipeline, path, type_id, with_fields=False)


@pytest.mark.libreoffice("calc")
def test_form_converted_to_ods_by_libreoffice_is_read_the_same(docgen_hooks, docgen_pipeline, tmp_path):
    from docgen.testing import soffice_convert

    source = tmp_path / "filled.xlsx"
    filled_form(docgen_hooks, "pair_order").save(source)
    converted = soffice_convert(source, "ods", tmp_path, "calc")
    documents = docgen_pipeline.read_and_validate(converted)
    check_pair_order(documents)
