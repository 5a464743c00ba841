"""The typography function on its own: quotes, doubled stops, non-breaking spaces and hyphens; idempotence."""
from __future__ import annotations

import pytest

from docgen.typography import NB_HYPHEN, NBSP, fix_joined_text, typography


@pytest.mark.parametrize("raw, expected", [
    ('МБОУ "СОШ № 7"', "МБОУ «СОШ №\u00a07»"),
    ('ООО "Ромашка "Плюс""', "ООО «Ромашка „Плюс“»"),
    ('МАОУ «Гимназия «Вектор»»', "МАОУ «Гимназия „Вектор“»"),
    ('"Лицей" и "Гимназия"', "«Лицей» и «Гимназия»"),
    ("до 30 июня 2026 г..", "до 30\u00a0июня 2026\u00a0г."),
    ("и так далее...", "и так далее..."),
    ("А.С. Пушкина", "А.С.\u00a0Пушкина"),
    ("А. С. Пушкина", "А.С.\u00a0Пушкина"),
    ("Пушкину А.С.", "Пушкину\u00a0А.С."),
    ("Федеральный закон № 152-ФЗ", "Федеральный закон №\u00a0152\u2011ФЗ"),
    ("приказ № 53-од", "приказ №\u00a053-од"),
    ("закон Калининградской области № 131-КЗ", "закон Калининградской области №\u00a0131\u2011КЗ"),
    ("письмо № АЗ-1128/08/657", "письмо №\u00a0АЗ\u20111128/08/657"),
    ("распоряжение № Р-145", "распоряжение №\u00a0Р\u2011145"),
    ("г. Светлогорск, ул. Школьная, д. 7, кв. 12", "г.\u00a0Светлогорск, ул.\u00a0Школьная, д.\u00a07, кв.\u00a012"),
    ("тел. +7 (40153) 0-00-07", "тел.\u00a0+7\u00a0(40153)\u00a00\u201100\u201107"),
    ("8 912 345-67-89", "8\u00a0912\u00a0345\u201167\u201189"),
    ("5 000 руб.", "5\u00a0000\u00a0руб."),
    ("премия 12 500 рублей", "премия 12\u00a0500\u00a0рублей"),
    ("1 сентября 2023 г.", "1\u00a0сентября 2023\u00a0г."),
    ("д'Артаньян", "д\u2019Артаньян"),
    ("два  пробела", "два пробела"),
    ("Жан-Поль Дюбуа", "Жан-Поль Дюбуа"),
    ("учитель-логопед", "учитель-логопед"),
    ("Петров, 8 «А» класс", "Петров, 8\u00a0«А»\u00a0класс"),
    ('обучающийся 10 "Б" класса', "обучающийся 10\u00a0«Б»\u00a0класса"),
])
def test_typography(raw, expected):
    assert typography(raw) == expected


@pytest.mark.parametrize("raw", [
    'МБОУ "СОШ № 7 им. А.С. Пушкина"', "до 30 июня 2026 г..", "тел. 8 (40153) 2-11-07", 'ООО "А "Б" В"',
    "5 000 руб.", "Пушкину А. С.", "МАОУ «Гимназия «Вектор»»", 'открыта "кавычка',
])
def test_typography_is_idempotent(raw):
    once = typography(raw)
    assert typography(once) == once


def test_unbalanced_quotes_are_still_converted_without_breaking_guillemets():
    assert typography('школа "Вектор') == "школа «Вектор"
    assert '"' not in typography('a "b" «c» "d')


def test_joined_text_loses_the_doubled_stop_only():
    assert fix_joined_text("до 30 июня 2026 г..") == "до 30 июня 2026 г."
    assert fix_joined_text("так...") == "так..."


def test_constants_are_the_unicode_characters():
    assert NBSP == "\u00a0" and NB_HYPHEN == "\u2011"
