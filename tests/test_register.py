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


def test_numbers_count_per_series_and_restart_each_year(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    a = register.issue("sha-a", "a.json", [request(0, date(2023, 12, 30)), request(1, date(2023, 12, 31))], fmt)
    b = register.issue("sha-b", "b.json", [request(0, date(2024, 1, 9)), request(1, date(2024, 1, 9), series="letters")], fmt)
    c = register.issue("sha-c", "c.json", [request(0, date(2023, 6, 1))], fmt)  # dated last year: last year's series
    assert [e.number for e in a] == ["1-од", "2-од"]
    assert [(e.number, e.year) for e in b] == [("1-од", 2024), ("1-од", 2024)]
    assert [(e.number, e.year) for e in c] == [("3-од", 2023)]


def test_same_input_gets_the_same_numbers(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    first = register.issue("sha", "a.json", [request(0, date(2024, 3, 1))], fmt)
    again = register.issue("sha", "a.json", [request(0, date(2024, 3, 1))], fmt)
    assert [e.id for e in first] == [e.id for e in again]
    assert len(register.entries()) == 1


def test_given_number_is_recorded_and_a_taken_one_refused(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    [given] = register.issue("sha-1", "a.json", [request(0, date(2024, 3, 1), given="53-од")], fmt)
    assert given.number == "53-од" and given.sequence is None
    with pytest.raises(RegisterError, match="53-од уже есть"):
        register.issue("sha-2", "b.json", [request(0, date(2024, 4, 1), given="53-од")], fmt)
    assert len(register.entries()) == 1  # the refused transaction left nothing behind


def test_void_keeps_the_number_and_it_is_never_reused(tmp_path):
    register = Register(tmp_path / "r.sqlite")
    [entry] = register.issue("sha-1", "a.json", [request(0, date(2024, 3, 1))], fmt)
    register.void_number("1-од", "ошибка в приказе")
    [next_entry] = register.issue("sha-2", "b.json", [request(0, date(2024, 3, 2))], fmt)
    assert next_entry.number == "2-од"
    assert register.entry(entry.id).status == "void" and register.entry(entry.id).void_reason == "ошибка в приказе"


def test_school_year_boundary():
    assert register_year(date(2023, 8, 31), "09-01") == 2022
    assert register_year(date(2023, 9, 1), "09-01") == 2023
    assert register_year(date(2023, 1, 1)) == 2023
