"""The journal a school can trust (issue 13): numbers step over taken ones, one canonical form, the calendar,
a paper journal continued, reserved and imported, corrections, voided files off the desk, signed documents."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from helpers import drop, load_example
from docgen.cli import main
from docgen.errors import RegisterError
from docgen.numbering import canonical, parse_number
from docgen.pipeline import Pipeline
from docgen.register import NumberRequest, Register
from docgen.settings import Workspace
from docgen.setaside import REPLACED_FOLDER, VOID_FOLDER
from docgen.testing import disable_conversion, docx_text
from docgen.workspace_init import init_workspace
from invariants import assert_nothing_lost

DAY = date(2026, 9, 3)


def request(index=0, day=DAY, given=None, type_id="pair_order", **extra):
    return NumberRequest(doc_index=index, type_id=type_id, doc_date=day, series="orders", pattern="{n}-од",
                         year_start="01-01", heading="О закреплении", signer="Директор", executor="",
                         given_number=given, series_title="Приказы по основной деятельности", **extra)


def fmt(req, year, sequence):
    return req.pattern.format(n=sequence)


def issue(register, sha, *requests):
    return register.issue(sha, f"{sha}.json", list(requests), fmt)


def numbers(register):
    return [e.number for e in register.entries()]


# --- 1. automatic numbers step over every taken number -------------------------------------------------------------

def test_a_given_number_no_longer_jams_the_automatic_ones(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    [given] = issue(register, "g", request(given="2-од"))
    autos = [issue(register, f"a{i}", request())[0] for i in range(3)]
    assert given.number == "2-од"
    assert [a.number for a in autos] == ["1-од", "3-од", "4-од"]  # the smallest free, never 2 again, no gap


def test_reserved_imported_and_void_numbers_are_all_taken(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    register.reserve("orders", 2026, 2, 3, "выданы вручную", DAY, lambda n: f"{n}-од")
    [first] = issue(register, "a", request())
    register.void(first.id, "ошибка")
    [second] = issue(register, "b", request())
    assert (first.number, second.number) == ("1-од", "4-од")
    assert [(e.number, e.status) for e in register.entries()] == [
        ("2-од", "reserved"), ("3-од", "reserved"), ("1-од", "void"), ("4-од", "issued")]


def test_pipeline_given_number_then_automatic_files_all_go_through(ws, pipeline):
    order = load_example("pair_order.json")
    assert pipeline.process(drop(ws, "с номером.json", {**order, "number": "2-од"})).ok
    outcomes = [pipeline.process(drop(ws, f"без номера {i}.json", {**order, "title": f"О парах {i}"}))
                for i in range(2)]
    assert all(o.ok for o in outcomes), [o.message for o in outcomes]
    assert [o.documents[0]["number"] for o in outcomes] == ["1-од", "3-од"]
    assert_nothing_lost(ws, ["с номером.json", "без номера 0.json", "без номера 1.json"])


# --- 3. one canonical form per number ------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", ["1-ОД", "1\u2011од", "1\u2013од", "1\u2212од", "1\u00ad од", "1\u00a0-\u00a0од",
                                     " 1 - од ", "1-oд", "1-OД", "№ 1-од", "01-од"])
def test_variants_of_a_number_are_one_number(tmp_path, variant):
    register = Register(tmp_path / "r.sqlite")
    issue(register, "a", request())
    assert canonical(variant) == canonical("1-од")
    with pytest.raises(RegisterError, match="1-од уже есть"):
        issue(register, "b", request(given=variant, type_id="reward_order"))
    assert numbers(register) == ["1-од"]


def test_a_given_number_is_printed_as_the_pattern_says(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    [upper] = issue(register, "a", request(given="7-ОД"))
    [bare] = issue(register, "b", request(given="8"))
    [signed] = issue(register, "c", request(given="№\u00a09\u2011од"))
    assert [upper.number, bare.number, signed.number] == ["7-од", "8-од", "9-од"]
    assert [upper.sequence, bare.sequence, signed.sequence] == [7, 8, 9]


@pytest.mark.parametrize("given", ["7-лс", "од-7", "7/од", "семь", "0-од"])
def test_a_number_the_series_cannot_produce_is_refused_before_anything_is_drawn(tmp_path, given):
    register = Register(tmp_path / "r.sqlite")
    with pytest.raises(RegisterError, match="не подходит к формату номеров серии «Приказы по основной деятельности»"
                                            r" \(\{n\}-од\).*53-од"):
        issue(register, "a", request(), request(1, given=given))
    assert register.entries() == []  # the first document of the file got no number either


def test_a_year_in_a_given_number_must_be_the_documents_year():
    assert parse_number("5/2025-к", "{n}/{year}-к").year == 2025
    assert parse_number("01-12/45", "01-12/{n}").sequence == 45
    assert parse_number("45", "01-12/{n}").sequence == 45


def test_pipeline_refuses_a_wrong_format_with_a_russian_report(ws, pipeline):
    order = load_example("pair_order.json")
    outcome = pipeline.process(drop(ws, "Приказ.json", [order, {**order, "number": "5-лс"}, {**order, "number": "од"}]))
    assert not outcome.ok and "не подходит к формату" in outcome.message
    assert pipeline.register.entries() == []
    report = (ws.failed / "Приказ.json — ОШИБКИ.txt").read_text(encoding="utf-8-sig")
    assert "номера НЕ выдавались" in report
    assert "1. Документ 2, поле «number» («Номер (если уже присвоен)»): номер «5-лс» не подходит" in report
    assert "2. Документ 3, поле «number»" in report and "пример: 53-од" in report


# --- 4. numbers follow dates ---------------------------------------------------------------------------------------

def test_a_document_dated_before_the_latest_is_refused_naming_it(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    issue(register, "a", request(day=date(2026, 9, 3)))
    with pytest.raises(RegisterError) as refused:
        issue(register, "b", request(day=date(2026, 9, 2)))
    text = str(refused.value)
    assert "02.09.2026" in text and "№ 1-од от 03.09.2026" in text and "«О закреплении»" in text
    assert "allow_out_of_order" in text
    assert numbers(register) == ["1-од"]
    [same_day] = issue(register, "c", request(day=date(2026, 9, 3)))
    [next_year] = issue(register, "d", request(day=date(2027, 1, 9)))
    assert (same_day.number, next_year.number, next_year.year) == ("2-од", "1-од", 2027)


def test_within_one_file_dates_must_not_go_back(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    with pytest.raises(RegisterError, match="более поздний документ № 1-од от 05.09.2026"):
        issue(register, "a", request(0, day=date(2026, 9, 5)), request(1, day=date(2026, 9, 4)))
    assert register.entries() == []


def test_a_series_may_allow_it_and_the_entry_is_marked(tmp_path):
    from docgen.journal import mark

    register = Register(tmp_path / "r.sqlite")
    issue(register, "a", request(day=date(2026, 9, 3)))
    [late] = issue(register, "b", request(day=date(2026, 9, 2), allow_out_of_order=True))
    assert late.number == "2-од" and late.out_of_order
    assert mark(late) == "номер выдан, документ не выпущен; зарегистрирован вне порядка дат"


def test_a_given_number_must_sit_among_its_neighbours_by_date(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    issue(register, "a", request(day=date(2026, 9, 1)), request(1, day=date(2026, 9, 10)))
    [between] = issue(register, "b", request(given="5-од", day=date(2026, 9, 12)))
    with pytest.raises(RegisterError, match="№ 5-од с большим номером датирован раньше — 12.09.2026"):
        issue(register, "c", request(given="4-од", day=date(2026, 9, 13)))
    with pytest.raises(RegisterError, match="более поздний документ № 2-од от 10.09.2026"):
        issue(register, "d", request(given="3-од", day=date(2026, 9, 5)))
    # an automatic number dated between two given ones takes the smallest free number that fits the calendar
    [auto] = issue(register, "e", request(day=date(2026, 9, 11)))
    assert (between.number, auto.number) == ("5-од", "3-од")
    [after] = issue(register, "f", request(day=date(2026, 9, 12)))
    assert after.number == "4-од"  # between 3-од of 11.09 and 5-од of 12.09


# --- 2. continue a paper journal: start, reserve, import -----------------------------------------------------------

def test_start_from_docgen_toml_and_by_command(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    [first] = issue(register, "a", request(starts=((2026, 53),)))
    [other_year] = issue(register, "b", request(day=date(2027, 1, 10), starts=((2026, 53),)))
    assert (first.number, other_year.number) == ("53-од", "1-од")
    register.set_start("orders", 2027, 20)
    [continued] = issue(register, "c", request(day=date(2027, 1, 11)))
    assert continued.number == "20-од"
    [given_low] = issue(register, "d", request(given="5-од", day=date(2026, 8, 1)))  # a paper number below start
    assert given_low.number == "5-од"
    register.set_start("orders", 2026, 40)  # docgen.toml says 53, the command 40: the larger wins
    assert issue(register, "e", request(starts=((2026, 53),)))[0].number == "54-од"
    register.set_start("orders", 2026, 60)
    assert issue(register, "f", request(starts=((2026, 53),)))[0].number == "60-од"


def test_start_in_docgen_toml_is_read_and_checked(ws):
    from docgen.errors import DocgenError

    text = ws.config.read_text(encoding="utf-8")
    ws.config.write_text(text.replace('format = "{n}-од"\n', 'format = "{n}-од"\nstart = { 2026 = 53 }\n'
                                      "allow_out_of_order = true\n", 1), encoding="utf-8")
    series = ws.load_settings().series["orders"]
    assert series.starts == ((2026, 53),) and series.allow_out_of_order
    ws.config.write_text(text.replace('format = "{n}-од"\n', 'format = "{n}-од"\nstart = 53\n', 1), encoding="utf-8")
    with pytest.raises(DocgenError, match=r"\[series\.orders\] start"):
        ws.load_settings()


def test_pipeline_continues_the_paper_journal_from_toml(ws):
    text = ws.config.read_text(encoding="utf-8")
    ws.config.write_text(text.replace('format = "{n}-од"\n', 'format = "{n}-од"\nstart = { 2023 = 53 }\n', 1),
                         encoding="utf-8")
    pipeline = Pipeline(ws)
    try:
        outcome = pipeline.process(drop(ws, "Приказ.json", load_example("pair_order.json")))  # dated 2023-08-31
    finally:
        pipeline.close()
    assert outcome.ok and outcome.documents[0]["number"] == "53-од"
    assert "Приказ № 53-од" in outcome.documents[0]["docx"]
    assert "53-од" in docx_text(ws.outbox / outcome.documents[0]["docx"].rsplit("/", 1)[1])


def test_reserve_is_all_or_nothing_and_refuses_overlaps_naming_them(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    issue(register, "a", request(), request(1))
    with pytest.raises(RegisterError, match=r"2-од — документ от 03\.09\.2026"):
        register.reserve("orders", 2026, 2, 5, "бумага", DAY, lambda n: f"{n}-од")
    assert numbers(register) == ["1-од", "2-од"]
    with pytest.raises(RegisterError, match="причину"):
        register.reserve("orders", 2026, 3, 5, " ", DAY, lambda n: f"{n}-од")
    with pytest.raises(RegisterError, match="Слишком большой"):
        register.reserve("orders", 2026, 3, 50000, "опечатка", DAY, lambda n: f"{n}-од")
    reserved = register.reserve("orders", 2026, 3, 5, "выданы вручную на выезде", DAY, lambda n: f"{n}-од")
    assert [(e.number, e.status, e.note) for e in reserved] == [(f"{n}-од", "reserved", "выданы вручную на выезде")
                                                                 for n in (3, 4, 5)]
    with pytest.raises(RegisterError, match="зарезервирован"):
        issue(register, "b", request(given="4-од"))
    assert issue(register, "c", request())[0].number == "6-од"


def test_cli_start_reserve_list_and_export(ws, tmp_path, capsys):
    root = ["-w", str(ws.root)]
    assert main(root + ["register", "start", "53", "--series", "orders", "--year", "2026"]) == 0
    assert "Следующий номер: 53-од" in capsys.readouterr().out
    assert main(root + ["register", "reserve", "60-62", "--series", "orders", "--year", "2026",
                        "--reason", "выданы вручную", "--date", "01.09.2026"]) == 0
    assert "Зарезервированы номера 60-од – 62-од (3 шт.)" in capsys.readouterr().out
    assert main(root + ["register", "reserve", "61–63", "--series", "orders", "--year", "2026", "--reason", "ещё"]) == 2
    assert "61-од — зарезервирован: выданы вручную" in capsys.readouterr().err
    assert main(root + ["register", "reserve", "1-2", "--reason", "x"]) == 2
    assert "--series" in capsys.readouterr().err
    assert main(root + ["register", "list"]) == 0
    listing = capsys.readouterr().out
    assert listing.count("зарезервирован: выданы вручную") == 3 and "62-од" in listing
    target = tmp_path / "j.xlsx"
    assert main(root + ["register", "export", "-o", str(target)]) == 0
    rows = [[c.value for c in r] for r in load_workbook(target).worksheets[0].iter_rows(min_row=4)]
    assert [(r[1], r[6]) for r in rows] == [(f"{n}-од", "зарезервирован: выданы вручную") for n in (60, 61, 62)]
    register = Register(ws.register)
    request_2026 = request(day=date(2026, 9, 1))
    assert register.next_number(request_2026, fmt) == "53-од"


def journal_with_everything(ws) -> Register:
    """A register holding each kind of entry: published, given, void, reserved, signed, out of order."""
    register = Register(ws.register)
    a, b = issue(register, "a" * 64, request(day=date(2026, 9, 1)), request(1, day=date(2026, 9, 2)))
    register.mark_published(a.id, ["2026-09-01 Приказ № 1-од.docx", "2026-09-01 Приказ № 1-од.pdf"])
    register.mark_published(b.id, ["2026-09-02 Приказ № 2-од.docx"])
    register.void(b.id, "ошибка в дате")
    register.mark_signed("1-од", date(2026, 9, 2), "Директор З.А. Сафарова")
    register.reserve("orders", 2026, 3, 4, "выданы вручную", date(2026, 9, 2), lambda n: f"{n}-од")
    [given] = issue(register, "c" * 64, request(given="7-од", day=date(2026, 9, 5)))
    register.mark_published(given.id, ["2026-09-05 Приказ № 7-од.docx"])
    [late] = issue(register, "d" * 64, request(day=date(2026, 8, 30), allow_out_of_order=True))
    assert (late.number, late.out_of_order) == ("5-од", 1)  # the smallest free, before 1-од of 01.09: out of order
    return register


def journal_rows(path):
    book = load_workbook(path)
    return {sheet.title: [[c.value for c in row][1:8] + [[c.value for c in row][9]] for row in sheet.iter_rows(min_row=4)]
            for sheet in book.worksheets}


def test_import_of_an_exported_journal_gives_the_same_journal(ws, tmp_path):
    journal_with_everything(ws)
    first = tmp_path / "first.xlsx"
    assert main(["-w", str(ws.root), "register", "export", "-o", str(first)]) == 0
    other = Workspace(tmp_path / "other")
    init_workspace(other.root, demo=True)
    assert main(["-w", str(other.root), "register", "import", str(first)]) == 0
    second = tmp_path / "second.xlsx"
    assert main(["-w", str(other.root), "register", "export", "-o", str(second)]) == 0
    before, after = journal_rows(first), journal_rows(second)
    assert list(before) == list(after)
    for sheet in before:
        for old, new in zip(before[sheet], after[sheet], strict=True):
            assert old[:5] == new[:5] and old[6:] == new[6:]  # number, date, heading, signer, executor, files
            old_marks = [m for m in (old[5] or "").split("; ") if m and m != "номер выдан, документ не выпущен"]
            assert [m for m in (new[5] or "").split("; ") if m != "внесён из журнала"] == old_marks
    imported = Register(other.register)
    by_number = {e.number: e for e in imported.entries()}
    assert by_number["2-од"].status == "void" and by_number["2-од"].void_reason == "ошибка в дате"
    assert by_number["3-од"].status == "reserved" and by_number["3-од"].note == "выданы вручную"
    assert by_number["1-од"].signed_on == "2026-09-02" and by_number["1-од"].signed_by == "Директор З.А. Сафарова"
    assert by_number["5-од"].out_of_order and by_number["7-од"].origin == "imported"
    assert_nothing_lost(other, [])
    [next_one] = issue(imported, "e" * 64, request(day=date(2026, 9, 6)))
    assert next_one.number == "8-од"  # every imported number is taken


def test_importing_twice_is_refused_naming_each_row_and_nothing_is_half_imported(ws, tmp_path):
    journal_with_everything(ws)
    target = tmp_path / "j.xlsx"
    main(["-w", str(ws.root), "register", "export", "-o", str(target)])
    other = Workspace(tmp_path / "other")
    init_workspace(other.root, demo=True)
    register = Register(other.register)
    issue(register, "z", request(given="7-од", day=date(2026, 9, 5)))
    with pytest.raises(RegisterError) as refused:
        from docgen.journal import read_journal

        register.import_entries(read_journal(target, other.load_settings().series))
    text = str(refused.value)
    assert "ни одна строка не внесена" in text
    assert "Лист «Приказы по основной… 2026», строка 9: номер 7-од уже есть в журнале регистрации" in text
    assert numbers(register) == ["7-од"]


def write_journal(path, rows, caption="Журнал регистрации: Приказы по основной деятельности, 2026 год"):
    book = Workbook()
    sheet = book.active
    sheet.title = "Приказы 2026"
    sheet["A1"] = caption
    from docgen.journal import COLUMNS

    for col, (header, _) in enumerate(COLUMNS, 1):
        sheet.cell(3, col, header)
    for i, row in enumerate(rows, 1):
        sheet.append([i, *row])
    book.save(path)
    return path


def test_an_import_with_duplicates_dates_out_of_order_and_bad_numbers_names_each_row(ws, tmp_path):
    path = write_journal(tmp_path / "paper.xlsx", [
        ["1-од", "01.09.2026", "О начале года"],
        ["2-од", "05.09.2026", "О кружках"],
        ["2-ОД", "06.09.2026", "О повторе"],       # the same number in another case
        ["3-од", "03.09.2026", "О дате назад"],    # dated before 2-од
        ["4-лс", "07.09.2026", "Не та серия"],
        ["5-од", "07.09.2025", "Не тот год"],
        ["6-од", "", "Без даты"],
    ])
    assert main(["-w", str(ws.root), "register", "import", str(path)]) == 2
    problems = {
        "строка 6: номер 2-ОД повторяется (уже есть: Лист «Приказы 2026», строка 5)",
        "строка 7: номер 3-од датирован 03.09.2026 — раньше, чем предыдущий номер 2-од",
        "строка 8: номер «4-лс» не подходит к формату",
        "строка 9: номер 5-од от 07.09.2025 не относится к 2026 году",
        "строка 10: номер 6-од — дата не указана",
    }
    from docgen.journal import read_journal

    with pytest.raises(RegisterError) as refused:
        read_journal(path, ws.load_settings().series)
    for problem in problems:
        assert problem in str(refused.value)
    assert Register(ws.register).entries() == []
    write_journal(tmp_path / "bad.xlsx", [["1-од", "01.09.2026"]], caption="Журнал регистрации: Неведомая серия, 2026 год")
    with pytest.raises(RegisterError, match="серия «Неведомая серия» не описана"):
        read_journal(tmp_path / "bad.xlsx", ws.load_settings().series)


def test_an_old_register_is_migrated_in_place(tmp_path):
    path = tmp_path / "register.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(OLD_SCHEMA)
    conn.executemany(
        "INSERT INTO entries(series, year, sequence, number, doc_date, type_id, input_sha256, input_name, doc_index,"
        " status, created_at, updated_at) VALUES ('orders', 2026, ?, ?, '2026-09-01', 'pair_order', ?, 'a.json', 0,"
        " 'published', 'x', 'x')", [(1, "1-од", "a"), (None, "2-ОД", "b")])
    conn.commit()
    conn.close()
    register = Register(path)
    with register._connect() as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == 1
        indexes = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "entries_live_key" not in indexes and "entries_live_document" in indexes
    old = register.entries()
    assert [(e.number, e.canonical, e.origin) for e in old] == [("1-од", "1-од", "auto"), ("2-ОД", "2-од", "given")]
    assert issue(register, "c", request())[0].number == "3-од"  # steps over the old given «2-ОД»
    with pytest.raises(RegisterError, match="уже есть"):
        issue(register, "d", request(given="2-од", type_id="reward_order"))
    Register(path)  # opening again migrates nothing twice
    assert len(register.entries()) == 3


OLD_SCHEMA = """
CREATE TABLE inputs (sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL, received_at TEXT NOT NULL,
    finished_at TEXT, note TEXT);
CREATE TABLE entries (id INTEGER PRIMARY KEY AUTOINCREMENT, series TEXT, year INTEGER, sequence INTEGER, number TEXT,
    doc_date TEXT NOT NULL, type_id TEXT NOT NULL, heading TEXT NOT NULL DEFAULT '', signer TEXT NOT NULL DEFAULT '',
    executor TEXT NOT NULL DEFAULT '', input_sha256 TEXT NOT NULL, input_name TEXT NOT NULL, doc_index INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'issued', void_reason TEXT, outputs TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (series, year, sequence), UNIQUE (series, year, number));
CREATE INDEX entries_status ON entries(status);
CREATE UNIQUE INDEX entries_live_key ON entries(input_sha256, doc_index) WHERE status != 'void';
"""


# --- 6. corrections keep their number ------------------------------------------------------------------------------

def test_a_correction_keeps_the_number_and_sets_the_old_version_aside(ws, pipeline, capsys):
    order = load_example("pair_order.json")
    first = pipeline.process(drop(ws, "Приказ.json", {**order, "title": "О закреплении наставнических пар"}))
    old_docx = ws.outbox / first.documents[0]["docx"].rsplit("/", 1)[1]
    old_bytes = old_docx.read_bytes()
    fixed = {**order, "title": "О закреплении наставнических пар (исправлено)", "number": "1\u2011ОД"}
    second = pipeline.process(drop(ws, "Приказ исправленный.json", fixed))
    assert second.ok, second.message
    assert second.documents[0]["number"] == "1-од"
    [entry] = pipeline.register.entries()
    assert (entry.number, entry.version, entry.status, entry.input_name) == ("1-од", 2, "published",
                                                                              "Приказ исправленный.json")
    assert "(исправлено)" in docx_text(ws.outbox / entry.outputs[0])
    aside = list((ws.outbox / REPLACED_FOLDER).iterdir())
    assert [p.name for p in aside] == [old_docx.stem + " (версия 1).docx"] and aside[0].read_bytes() == old_bytes
    [previous] = pipeline.register.versions(entry.id)
    assert (previous.version, previous.input_name, previous.outputs) == (1, "Приказ.json", [old_docx.name])
    assert previous.registered_at and previous.replaced_at
    assert_nothing_lost(ws, ["Приказ.json", "Приказ исправленный.json"])
    capsys.readouterr()
    main(["-w", str(ws.root), "register", "list"])
    assert "исправлен (версия 2)" in capsys.readouterr().out
    assert main(["-w", str(ws.root), "register", "history", "1-од"]) == 0
    history = capsys.readouterr().out
    assert f"версия 1: зарегистрирована {previous.registered_at}, файл «Приказ.json»" in history
    assert f"Заменённые/{old_docx.stem} (версия 1).docx" in history
    assert "версия 2 (действующая)" in history and "«Приказ исправленный.json»" in history


def test_a_file_without_the_number_is_a_new_document_never_a_guessed_correction(ws, pipeline):
    order = load_example("pair_order.json")
    pipeline.process(drop(ws, "Приказ.json", order))
    again = pipeline.process(drop(ws, "Приказ.json", {**order, "title": "О парах (исправлено)"}))
    assert again.documents[0]["number"] == "2-од"
    assert not (ws.outbox / REPLACED_FOLDER).exists()


def test_a_signed_document_is_never_replaced(ws, pipeline):
    order = load_example("pair_order.json")
    pipeline.process(drop(ws, "Приказ.json", order))
    pipeline.register.mark_signed("1-од", date(2023, 9, 1), "Директор")
    refused = pipeline.process(drop(ws, "исправление.json", {**order, "title": "Другое", "number": "1-од"}))
    assert not refused.ok
    assert "подписан" in refused.message and "изменяется только новым приказом" in refused.message
    [entry] = pipeline.register.entries()
    assert entry.version == 1 and len(list(ws.outbox.glob("*.docx"))) == 1


def test_a_correction_that_fails_leaves_the_previous_version_standing(ws, pipeline, monkeypatch):
    order = load_example("pair_order.json")
    pipeline.process(drop(ws, "Приказ.json", order))
    before = sorted(p.name for p in ws.outbox.iterdir() if p.is_file())

    def broken(*args):
        raise ValueError("шаблон сломан")

    monkeypatch.setattr(pipeline.hooks, "render_document", broken)
    outcome = pipeline.process(drop(ws, "исправление.json", {**order, "title": "Новое", "number": "1-од"}))
    assert not outcome.ok
    [entry] = pipeline.register.entries()
    assert (entry.status, entry.version, entry.input_name) == ("published", 1, "Приказ.json")
    assert sorted(p.name for p in ws.outbox.iterdir() if p.is_file()) == before
    assert list((ws.outbox / REPLACED_FOLDER).iterdir()) == []
    assert pipeline.register.versions(entry.id) == []
    report = (ws.failed / "исправление.json — ОШИБКИ.txt").read_text(encoding="utf-8-sig")
    assert "Исправленная версия документов №\u00a01-од НЕ выпущена; в силе остаётся прежняя версия" in report
    assert "аннулированы" not in report


def test_cli_process_leaves_a_file_open_in_excel_alone(ws, capsys):
    path = drop(ws, "Приказ.json", load_example("pair_order.json"))
    (ws.inbox / ".~lock.Приказ.json#").write_text("lock", encoding="utf-8")
    assert main(["-w", str(ws.root), "process", str(path)]) == 1
    assert "открыт в редакторе" in capsys.readouterr().out
    assert path.exists() and Register(ws.register).entries() == []


def fake_pdf(path, pages: int = 1):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as handle:
        writer.write(handle)


def test_correcting_one_document_of_a_batch_rebuilds_the_batchs_pack_without_the_old_version(ws, pipeline):
    from pypdf import PdfReader

    register = pipeline.register
    entries = issue(register, "batch", *(request(i, day=date(2026, 9, 1)) for i in range(3)))
    for i, entry in enumerate(entries):
        names = [f"2026-09-01 Приказ № {entry.number}.docx", f"2026-09-01 Приказ № {entry.number}.pdf"]
        (ws.outbox / names[0]).write_bytes(b"PK docx")
        fake_pdf(ws.outbox / names[1], pages=i + 1)  # 1, 2 and 3 pages: the pack shows who is in it
        register.mark_published(entry.id, names)
    old_pack = ws.outbox / "2026-09-01 Комплект для печати — batch (3 док.).pdf"
    fake_pdf(old_pack, pages=6)
    register.set_pack("batch", old_pack.name, [[e.id, e.version] for e in entries])
    [corrected] = issue(register, "fix", request(given="2-од", day=date(2026, 9, 1)))
    assert corrected.version == 2
    pipeline.set_aside.replaced(corrected)
    [pack] = ws.outbox.glob("*Комплект для печати*.pdf")
    assert pack.name == "2026-09-01 Комплект для печати — batch (2 док.).pdf"
    assert len(PdfReader(str(pack)).pages) == 1 + 3  # documents 1 and 3; the replaced 2-од (2 pages) is out
    assert sorted(p.name for p in (ws.outbox / REPLACED_FOLDER).iterdir()) == sorted(
        ["2026-09-01 Приказ № 2-од (версия 1).docx", "2026-09-01 Приказ № 2-од (версия 1).pdf", old_pack.name])
    assert pipeline.set_aside.rebuild_pack("batch", REPLACED_FOLDER) == pack  # nothing changed: nothing made again


# --- 7. voided means gone from the director's desk -----------------------------------------------------------------

def test_register_void_moves_the_files_aside(ws, pipeline, capsys):
    outcome = pipeline.process(drop(ws, "Приказ.json", load_example("pair_order.json")))
    name = outcome.documents[0]["docx"].rsplit("/", 1)[1]
    assert main(["-w", str(ws.root), "register", "void", "1-ОД", "--reason", "приказ не нужен"]) == 0
    assert "перенесены в папку outbox/Аннулированные/" in capsys.readouterr().out
    assert not (ws.outbox / name).exists() and (ws.outbox / VOID_FOLDER / name).is_file()
    assert_nothing_lost(ws, ["Приказ.json"])


def test_numbers_voided_in_recovery_and_in_a_failed_publish_move_their_files_aside(ws, pipeline):
    register = pipeline.register
    [entry] = register.issue("f" * 64, "пропавший.json", [request(day=date(2023, 8, 31))], fmt)
    stray = ws.outbox / "2023-08-31 Приказ № 1-од.docx"
    stray.write_bytes(b"PK half of a document")
    register.add_output(entry.id, stray.name)
    pipeline.recover()  # its input is nowhere: voided, and its file leaves the desk
    assert register.entry(entry.id).status == "void"
    assert (ws.outbox / VOID_FOLDER / stray.name).read_bytes() == b"PK half of a document"
    assert not stray.exists()


def test_a_crash_between_void_and_moving_the_files_is_finished_at_start(ws, pipeline):
    outcome = pipeline.process(drop(ws, "Приказ.json", load_example("pair_order.json")))
    name = outcome.documents[0]["docx"].rsplit("/", 1)[1]
    pipeline.register.void_number("1-од", "ошибка")  # the register changed, the files not yet moved
    assert (ws.outbox / name).exists()
    pipeline.recover()
    assert (ws.outbox / VOID_FOLDER / name).is_file() and not (ws.outbox / name).exists()
    assert_nothing_lost(ws, ["Приказ.json"])


@pytest.mark.libreoffice
def test_voiding_one_of_a_batch_rebuilds_its_print_pack_without_it(tmp_path):
    from pypdf import PdfReader

    ws = workspace(tmp_path, conversion=True)
    orders = [{**load_example("pair_order.json"), "title": f"О парах часть {i}"} for i in range(1, 4)]
    pipeline = Pipeline(ws)
    try:
        outcome = pipeline.process(drop(ws, "Три приказа.json", orders))
    finally:
        pipeline.close()
    old_pack = ws.outbox / outcome.pack.rsplit("/", 1)[1]
    assert len(PdfReader(str(old_pack)).pages) >= 3 and "(3 док.)" in old_pack.name
    assert main(["-w", str(ws.root), "register", "void", "2-од", "--reason", "отменён"]) == 0
    packs = list(ws.outbox.glob("*Комплект для печати*.pdf"))
    assert [p.name for p in packs] == [old_pack.name.replace("(3 док.)", "(2 док.)")]
    text = "\n".join(page.extract_text() for page in PdfReader(str(packs[0])).pages)
    assert "часть 1" in text and "часть 3" in text and "часть 2" not in text
    assert (ws.outbox / VOID_FOLDER / old_pack.name).is_file()
    assert sorted(p.suffix for p in (ws.outbox / VOID_FOLDER).iterdir()) == [".docx", ".pdf", ".pdf"]
    assert_nothing_lost(ws, ["Три приказа.json"])


# --- 8. signed -----------------------------------------------------------------------------------------------------

def test_mark_signed_by_entry_id_or_number_and_what_it_refuses(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    a, b, c = issue(register, "a", request(), request(1), request(2))
    register.mark_published(a.id, ["a.docx"])
    register.mark_published(b.id, ["b.docx"])
    signed = register.mark_signed(a, DAY, "Директор З.А. Сафарова", details={"note": "на совещании"})
    assert (signed.signed_on, signed.signed_by, signed.sign_method) == ("2026-09-03", "Директор З.А. Сафарова", "hand")
    assert json.loads(signed.sign_details) == {"note": "на совещании"}
    assert register.mark_signed(a.id, DAY, "Директор З.А. Сафарова").signed_on == "2026-09-03"  # the same again
    again = register.mark_signed("1-од", DAY + timedelta(days=1), "Другой", method="electronic")
    assert (again.signed_on, again.signed_by, again.sign_method) == ("2026-09-03", "Директор З.А. Сафарова", "hand")
    with pytest.raises(RegisterError, match="раньше даты документа"):
        register.mark_signed("2-ОД", DAY - timedelta(days=1), "Директор")
    with pytest.raises(RegisterError, match="ещё не наступила"):
        register.mark_signed("2-од", date.today() + timedelta(days=2), "Директор")
    with pytest.raises(RegisterError, match="ещё не выпущен"):
        register.mark_signed(c.id, DAY, "Директор")
    electronic = register.mark_signed("2-од", DAY, "Сафарова З.А.", method="electronic", details={"serial": "01AB"})
    assert electronic.sign_method == "electronic"
    with pytest.raises(RegisterError, match="подписанный приказ не аннулируют"):
        register.void_number("1-од", "передумали")
    with pytest.raises(RegisterError, match="подписанный приказ не аннулируют"):
        register.void(a.id, "передумали")
    assert register.entry(a.id).status == "published"


def test_cli_sign_keeps_the_scan_and_shows_in_list_and_export(ws, pipeline, tmp_path, capsys):
    pipeline.process(drop(ws, "Приказ.json", load_example("pair_order.json")))
    scan = tmp_path / "скан.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    root = ["-w", str(ws.root)]
    assert main(root + ["register", "sign", "1-од", "--date", "01.09.2023", "--scan", str(scan)]) == 0
    out = capsys.readouterr().out
    assert "отмечен подписанным 01.09.2023 (Директор Сафарова Зарина Алиевна)" in out
    [entry] = Register(ws.register).entries()
    kept = ws.root / entry.signed_scan
    assert kept.read_bytes() == b"%PDF-1.4 scan" and kept.parent == ws.outbox / "Подписанные" and "1-од" in kept.name
    assert main(root + ["register", "list"]) == 0
    assert "подписан 01.09.2023 (Директор Сафарова Зарина Алиевна)" in capsys.readouterr().out
    target = tmp_path / "j.xlsx"
    main(root + ["register", "export", "-o", str(target)])
    assert load_workbook(target).worksheets[0]["G4"].value == "подписан 01.09.2023 (Директор Сафарова Зарина Алиевна)"
    assert main(root + ["register", "void", "1-од", "--reason", "x"]) == 2
    assert "новым приказом" in capsys.readouterr().err
    assert main(root + ["register", "sign", "1-од"]) == 2  # no date
    assert main(root + ["register", "sign", "1-од", "--date", "02.09.2023"]) == 2
    assert "уже отмечен подписанным" in capsys.readouterr().err
    assert_nothing_lost(ws, ["Приказ.json"])


# --- fixtures ------------------------------------------------------------------------------------------------------

def workspace(tmp_path, conversion: bool = False) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    init_workspace(ws.root, demo=True)
    if not conversion:
        disable_conversion(ws)
    return ws


@pytest.fixture
def ws(tmp_path):
    return workspace(tmp_path)


@pytest.fixture
def pipeline(ws):
    pipeline = Pipeline(ws)
    yield pipeline
    pipeline.close()


# --- the docs stay honest ------------------------------------------------------------------------------------------

def test_register_guide_covers_every_register_command_and_the_reliability_map_names_real_tests():
    import re
    from pathlib import Path

    from helpers import function_names

    from docgen.cli import build_parser

    root = Path(__file__).resolve().parent.parent
    guide = (root / "docs" / "register.md").read_text(encoding="utf-8")
    register_parser = build_parser()._subparsers._group_actions[0].choices["register"]
    actions = next(a for a in register_parser._actions if a.dest == "action").choices
    for action in actions:
        assert f"docgen register {action}" in guide, f"docs/register.md does not show «docgen register {action}»"
    for folder in (REPLACED_FOLDER, VOID_FOLDER, "Подписанные"):
        assert f"outbox/{folder}/" in guide
    text = (root / "docs" / "reliability.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (J\d+) \|[^|]*\| (.*) \|$", text, re.M)
    assert [r[0] for r in rows] == [f"J{i}" for i in range(1, len(rows) + 1)] and len(rows) >= 13
    for case, cell in rows:
        for file, name in re.findall(r"(tests/\w+\.py)::(\w+)", cell):
            assert name in function_names(file), f"{case}: {name}"


def test_import_reads_the_signature_marks_of_docgen_signing(ws, tmp_path):
    from docgen.journal import read_journal

    path = write_journal(tmp_path / "signed.xlsx", [
        ["1-од", "01.09.2026", "О начале года", "Директор З.А. Сафарова", "",
         "подписан ЭП 02.09.2026: сертификат 01AB, владелец Сафарова З.А., действителен с 01.01.2026 по 01.01.2027"],
        ["2-од", "03.09.2026", "О кружках", "Директор З.А. Сафарова", "",
         "подписан собственноручно 04.09.2026 (Директор З.А. Сафарова)"],
    ])
    first, second = read_journal(path, ws.load_settings().series)
    assert (first.signed_on, first.signed_by) == ("2026-09-02", "Директор З.А. Сафарова")
    assert (second.signed_on, second.signed_by) == ("2026-09-04", "Директор З.А. Сафарова")
