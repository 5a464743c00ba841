"""The register: yearly series, given numbers, idempotency by input fingerprint."""
from __future__ import annotations

from datetime import date

import pytest

from docgen.errors import RegisterError
from docgen.register import NumberRequest, Register, register_year


def request(index: int, day: date, series: str = "orders", given: str | None = None, year_start: str = "01-01"):
    return NumberRequest(doc_index=index, type_id="pair_order", doc_date=day, series=series, pattern="{n}-од",
                         year_start=year_start, heading="О закреплении", signer="Директор", executor="",
                         given_number=given)


def fmt(req, year, sequence):
    return req.pattern.format(n=sequence)


def test_numbers_count_per_series_and_restart_each_year(tmp_path, new_register):
    register = new_register(tmp_path / "r.sqlite")
    a = register.issue("sha-a", "a.json", [request(0, date(2023, 12, 30)), request(1, date(2023, 12, 31))], fmt)
    b = register.issue("sha-b", "b.json", [request(0, date(2024, 1, 9)), request(1, date(2024, 1, 9), series="letters")], fmt)
    c = register.issue("sha-c", "c.json", [request(0, date(2023, 12, 31))], fmt)  # dated last year: last year's series
    assert [e.number for e in a] == ["1-од", "2-од"]
    assert [(e.number, e.year) for e in b] == [("1-од", 2024), ("1-од", 2024)]
    assert [(e.number, e.year) for e in c] == [("3-од", 2023)]


def test_same_input_gets_the_same_numbers(tmp_path, new_register):
    register = new_register(tmp_path / "r.sqlite")
    first = register.issue("sha", "a.json", [request(0, date(2024, 3, 1))], fmt)
    again = register.issue("sha", "a.json", [request(0, date(2024, 3, 1))], fmt)
    assert [e.id for e in first] == [e.id for e in again]
    assert len(register.entries()) == 1


def test_given_number_is_recorded_and_a_taken_one_refused(tmp_path, new_register):
    register = new_register(tmp_path / "r.sqlite")
    [given] = register.issue("sha-1", "a.json", [request(0, date(2024, 3, 1), given="53-од")], fmt)
    assert given.number == "53-од" and given.sequence == 53 and given.origin == "given"
    letter = NumberRequest(doc_index=0, type_id="thank_you_letter", doc_date=date(2024, 4, 1), series="orders",
                           pattern="{n}-од", year_start="01-01", heading="", signer="", executor="", given_number="53-од")
    with pytest.raises(RegisterError, match="53-од уже есть"):  # another type of document: never a correction
        register.issue("sha-2", "b.json", [letter], fmt)
    assert len(register.entries()) == 1  # the refused transaction left nothing behind


def test_void_keeps_the_number_and_it_is_never_reused(tmp_path, new_register):
    register = new_register(tmp_path / "r.sqlite")
    [entry] = register.issue("sha-1", "a.json", [request(0, date(2024, 3, 1))], fmt)
    register.void_number("1-од", "ошибка в приказе")
    [next_entry] = register.issue("sha-2", "b.json", [request(0, date(2024, 3, 2))], fmt)
    assert next_entry.number == "2-од"
    assert register.entry(entry.id).status == "void" and register.entry(entry.id).void_reason == "ошибка в приказе"


def test_school_year_boundary():
    assert register_year(date(2023, 8, 31), "09-01") == 2022
    assert register_year(date(2023, 9, 1), "09-01") == 2023
    assert register_year(date(2023, 1, 1)) == 2023


def test_a_voided_document_gets_a_fresh_number_and_the_void_stays(tmp_path, new_register):
    register = new_register(tmp_path / "r.sqlite")
    [first] = register.issue("sha", "a.json", [request(0, date(2024, 3, 1))], fmt)
    assert register.void(first.id, "диск переполнен")
    [again] = register.issue("sha", "a.json", [request(0, date(2024, 3, 1))], fmt)
    assert again.number == "2-од" and again.id != first.id
    assert [(e.number, e.status) for e in register.entries()] == [("1-од", "void"), ("2-од", "issued")]


def test_void_needs_a_reason_and_only_unfinished_leaves_published_alone(tmp_path, new_register):
    register = new_register(tmp_path / "r.sqlite")
    [entry] = register.issue("sha", "a.json", [request(0, date(2024, 3, 1))], fmt)
    with pytest.raises(RegisterError, match="причину"):
        register.void(entry.id, "  ")
    register.mark_published(entry.id, ["a.docx"])
    assert not register.void(entry.id, "сбой", only_unfinished=True)
    assert register.entry(entry.id).status == "published"


def test_outputs_are_recorded_one_by_one(tmp_path, new_register):
    register = new_register(tmp_path / "r.sqlite")
    [entry] = register.issue("sha", "a.json", [request(0, date(2024, 3, 1))], fmt)
    register.add_output(entry.id, "x.docx")
    assert register.entry(entry.id).outputs == ["x.docx"] and register.entry(entry.id).status == "issued"
    register.clear_outputs(entry.id)
    assert register.entry(entry.id).outputs == []


def test_register_uses_wal_and_full_sync(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    conn = register._connect()
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        conn.close()
    assert register.integrity_ok()


# --- the command line -----------------------------------------------------------------

def cli_workspace(docgen_workspace):
    register = Register(docgen_workspace.register)
    register.issue("a" * 64, "Приказ о парах.json", [request(0, date(2024, 3, 1)), request(1, date(2024, 3, 2))], fmt)
    [letter] = register.issue("b" * 64, "письмо.json", [request(0, date(2024, 3, 3), series="letters")], fmt)
    register.mark_published(letter.id, ["2024-03-03 Письмо № 1.docx", "2024-03-03 Письмо № 1.pdf"])
    return register


def test_cli_void_marks_the_number_with_its_reason(backend_workspace, capsys):
    from docgen.cli import main

    docgen_workspace = backend_workspace
    register = cli_workspace(docgen_workspace)
    code = main(["-w", str(docgen_workspace.root), "register", "void", "2-од", "--reason", "приказ отменён"])
    assert code == 0
    assert "2-од аннулирован: приказ отменён" in capsys.readouterr().out
    [entry] = [e for e in register.entries() if e.number == "2-од"]
    assert (entry.status, entry.void_reason) == ("void", "приказ отменён")
    assert main(["-w", str(docgen_workspace.root), "register", "void", "2-од", "--reason", "ещё раз"]) == 2
    assert main(["-w", str(docgen_workspace.root), "register", "void", "1-од"]) == 2  # no reason: refused
    assert main(["-w", str(docgen_workspace.root), "register", "void", "77-од", "--reason", "нет"]) == 2
    assert "не найден" in capsys.readouterr().err
    assert [e.status for e in register.entries()] == ["issued", "void", "published"]


def test_cli_export_writes_a_real_journal_workbook(backend_workspace, tmp_path):
    from openpyxl import load_workbook

    from docgen.cli import main

    docgen_workspace = backend_workspace
    register = cli_workspace(docgen_workspace)
    register.void_number("2-од", "ошибка в дате")
    target = tmp_path / "journal.xlsx"
    assert main(["-w", str(docgen_workspace.root), "register", "export", "-o", str(target)]) == 0
    book = load_workbook(target)
    assert book.sheetnames == ["Исходящие письма 2024", "Приказы по основной… 2024"]
    orders = book["Приказы по основной… 2024"]
    assert orders["A1"].value == "Журнал регистрации: Приказы по основной деятельности, 2024 год"
    headers = [c.value for c in orders[3]]
    assert headers == ["№ п/п", "Регистрационный номер", "Дата", "Заголовок (краткое содержание)", "Кем подписан",
                       "Исполнитель", "Отметка", "Исходный файл", "SHA-256 исходного файла", "Файлы документов"]
    rows = [[c.value for c in row] for row in orders.iter_rows(min_row=4)]
    assert [r[:2] for r in rows] == [[1, "1-од"], [2, "2-од"]]
    assert rows[0][2].date() == date(2024, 3, 1) and orders["C4"].number_format == "DD.MM.YYYY"
    assert rows[0][3] == "О закреплении" and rows[0][4] == "Директор"
    assert rows[0][6] == "номер выдан, документ не выпущен"
    assert rows[1][6] == "аннулирован: ошибка в дате"
    assert rows[0][7] == "Приказ о парах.json" and rows[0][8] == "a" * 64
    assert orders.auto_filter.ref == "A3:J5"
    assert orders.freeze_panes == "A4"
    assert orders.column_dimensions["D"].width == 50
    letters = book["Исходящие письма 2024"]
    assert letters["J4"].value == "2024-03-03 Письмо № 1.docx\n2024-03-03 Письмо № 1.pdf"
    assert letters["G4"].value in (None, "")
