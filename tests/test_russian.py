"""Tests for docgen.russian: names corpus, positions, agreement, dates, money, filters."""
import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest

from docgen import russian as ru
from docgen.russian import (
    CASES, NBSP, amount_in_words, dear, dear_plural, detect_gender, first_and_patronymic,
    format_date_long, format_date_short, format_month_year, gendered, inflect_name,
    inflect_position, initials_after, initials_before, jinja_filters, past_participle,
    plural_form,
)

CORPUS = Path(__file__).parent / "data" / "names_corpus.tsv"


def load_corpus():
    with CORPUS.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


# ------------------------------------------------------------ names corpus
def test_corpus_is_large_enough():
    rows = load_corpus()
    assert len(rows) >= 160
    assert len({r["name"] + r["gender"] for r in rows}) == len(rows)


def test_corpus_declines_correctly():
    mismatches = []
    for row in load_corpus():
        for case in ("dative", "accusative", "genitive"):
            got = inflect_name(row["name"], case, row["gender"] or None)
            if got != row[case]:
                mismatches.append(f"{row['name']} [{case}]: got {got!r}, want {row[case]!r}")
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches)


@pytest.mark.parametrize("name, case, expected", [
    ("Иванова Мария Петровна", "instrumental", "Ивановой Марией Петровной"),
    ("Иванова Мария Петровна", "prepositional", "Ивановой Марии Петровне"),
    ("Пушкина Анна Сергеевна", "instrumental", "Пушкиной Анной Сергеевной"),
    ("Пушкин Игорь Петрович", "instrumental", "Пушкиным Игорем Петровичем"),
    ("Толстой Лев Николаевич", "instrumental", "Толстым Львом Николаевичем"),
    ("Толстой Лев Николаевич", "prepositional", "Толстом Льве Николаевиче"),
    ("Сухой Павел Осипович", "instrumental", "Сухим Павлом Осиповичем"),
    ("Трубецкой Николай Сергеевич", "instrumental", "Трубецким Николаем Сергеевичем"),
    ("Новиков-Прибой Алексей Силыч", "instrumental", "Новиковым-Прибоем Алексеем Силычем"),
    ("Новиков-Прибой Алексей Силыч", "prepositional", "Новикове-Прибое Алексее Силыче"),
    ("Гусейнов Рамиз Гусейн оглы", "instrumental", "Гусейновым Рамизом Гусейн оглы"),
    ("Кузнецова Любовь Ивановна", "instrumental", "Кузнецовой Любовью Ивановной"),
    ("Шевчук Оксана Ивановна", "instrumental", "Шевчук Оксаной Ивановной"),
    ("Кузнец Игорь Владимирович", "prepositional", "Кузнеце Игоре Владимировиче"),
    ("Алексеев Илья Павлович", "instrumental", "Алексеевым Ильёй Павловичем"),
    ("Фёдоров Пётр Семёнович", "prepositional", "Фёдорове Петре Семёновиче"),
])
def test_instrumental_and_prepositional(name, case, expected):
    assert inflect_name(name, case) == expected


def test_nominative_is_the_normalised_input():
    name = "  Иванова\u00a0Мария   Петровна "
    assert inflect_name(name, "nominative") == "Иванова Мария Петровна"


def test_whitespace_is_normalised_before_declension():
    assert inflect_name("Иванова\u00a0Мария\t Петровна", "dative") == "Ивановой Марии Петровне"


def test_yo_is_kept_as_typed():
    assert inflect_name("Королёва Алёна Семёновна", "genitive") == "Королёвой Алёны Семёновны"
    assert inflect_name("Королева Алена Семеновна", "genitive") == "Королевой Алены Семеновны"


def test_capitals_are_kept():
    assert inflect_name("ИВАНОВ ИВАН ИВАНОВИЧ", "dative") == "ИВАНОВУ ИВАНУ ИВАНОВИЧУ"


def test_surname_only_with_gender():
    assert inflect_name("Шевчук", "dative", "m") == "Шевчуку"
    assert inflect_name("Шевчук", "dative", "f") == "Шевчук"


def test_explicit_gender_wins_in_declension():
    # an odd record: the explicit gender is trusted over the patronymic
    assert inflect_name("Шевчук Саша Иванович", "dative", "f") == "Шевчук Саше Ивановичу"


def test_unknown_case_and_unknown_gender_raise():
    with pytest.raises(ValueError):
        inflect_name("Иванов Иван", "vocative")
    with pytest.raises(ValueError):
        inflect_name("Ли Саша", "dative")  # Саша is both; surname tells nothing
    with pytest.raises(ValueError):
        inflect_name("   ", "dative")


def test_overrides_win_for_their_case_only():
    overrides = {"dative": "Оглы-Заде  Айтен Рафиковне", "genitive": ""}
    name = "Оглы-Заде Айтен Рафиковна"
    assert inflect_name(name, "dative", overrides=overrides) == "Оглы-Заде Айтен Рафиковне"
    assert inflect_name(name, "genitive", overrides=overrides) == "Оглы-Заде Айтен Рафиковны"
    assert inflect_name(name, "accusative", overrides=overrides) == "Оглы-Заде Айтен Рафиковну"


# ------------------------------------------------------------ gender
@pytest.mark.parametrize("name, expected", [
    ("Иванов Иван Иванович", "m"),
    ("Обломов Илья Ильич", "m"),
    ("Новиков-Прибой Алексей Силыч", "m"),
    ("Иванова Мария Петровна", "f"),
    ("Ульянова Мария Ильинична", "f"),
    ("Гусейнов Рамиз Гусейн оглы", "m"),
    ("Серикбаев Айдар Нурланулы", "m"),
    ("Жумабеков Азамат Бакыт уулу", "m"),
    ("Мамедова Айгюн Аликызы", "f"),
    ("Мамедова Айгюн Али кызы", "f"),
    ("Гасанова Лейла Ахмед гызы", "f"),
    ("Карпович Елена Игоревна", "f"),
    ("Каримова Гульнара", "f"),
    ("Сидоров Денис", "m"),
    ("Смит Джон", "m"),
    ("Юлдашева Дилноза", "f"),  # unknown first name, the surname decides
    ("Мамедова Айгюн", None),  # pymorphy3 says Айгюн is male: a conflict, so no guess
    ("Ли Саша", None),
    ("Ким", None),
])
def test_detect_gender_from_the_name(name, expected):
    assert detect_gender(name) == expected


@pytest.mark.parametrize("explicit, expected", [
    ("m", "m"), ("M", "m"), ("м", "m"), ("male", "m"), ("МУЖ", "m"),
    ("f", "f"), ("Ж", "f"), ("female", "f"), ("жен", "f"),
])
def test_explicit_gender_wins(explicit, expected):
    other = "Иванова Мария Петровна" if expected == "m" else "Иванов Иван Иванович"
    assert detect_gender(other, explicit) == expected


def test_bad_explicit_gender_raises():
    with pytest.raises(ValueError):
        detect_gender("Иванов Иван Иванович", "x")


# ------------------------------------------------------------ initials
def test_initials_before_uses_nbsp_and_case():
    assert initials_before("Сафарова Зарина Алиевна") == f"З.А.{NBSP}Сафарова"
    assert initials_before("Сафарова Зарина Алиевна", "dative") == f"З.А.{NBSP}Сафаровой"
    assert initials_before("Иванов Иван Иванович", "genitive") == f"И.И.{NBSP}Иванова"


def test_initials_after_uses_nbsp_and_case():
    assert initials_after("Сафарова Зарина Алиевна", "dative") == f"Сафаровой{NBSP}З.А."
    assert initials_after("Шевчук Оксана Ивановна", "genitive") == f"Шевчук{NBSP}О.И."


def test_initials_without_patronymic():
    assert initials_after("Сафарова Зарина", "genitive") == f"Сафаровой{NBSP}З."
    assert initials_before("Сафарова Зарина") == f"З.{NBSP}Сафарова"


def test_initials_of_particle_patronymic_and_overrides():
    assert initials_before("Гусейнов Рамиз Гусейн оглы", "dative") == f"Р.Г.{NBSP}Гусейнову"
    overrides = {"dative": "Дюма Александру Александровичу"}
    assert initials_after("Дюма Александр Александрович", "dative", overrides=overrides) \
        == f"Дюма{NBSP}А.А."


def test_first_and_patronymic():
    assert first_and_patronymic("Иванова  Мария Петровна") == "Мария Петровна"
    assert first_and_patronymic("Гусейнов Рамиз Гусейн оглы") == "Рамиз Гусейн оглы"
    assert first_and_patronymic("Каримова Гульнара") == "Гульнара"


# ------------------------------------------------------------ positions
@pytest.mark.parametrize("position, case, expected", [
    ("учитель математики", "dative", "учителю математики"),
    ("старший воспитатель", "genitive", "старшего воспитателя"),
    ("заместитель директора по ВР", "accusative", "заместителя директора по ВР"),
    ("Заместитель директора по УВР", "dative", "Заместителю директора по УВР"),
    ("педагог-психолог", "dative", "педагогу-психологу"),
    ("учитель-логопед", "dative", "учителю-логопеду"),
    ("социальный педагог", "dative", "социальному педагогу"),
    ("директор", "dative", "директору"),
    ("Директор", "genitive", "Директора"),
    ("преподаватель", "accusative", "преподавателя"),
    ("методист", "dative", "методисту"),
    ("воспитатель", "genitive", "воспитателя"),
    ("советник директора по воспитанию", "dative", "советнику директора по воспитанию"),
    ("педагог дополнительного образования", "accusative",
     "педагога дополнительного образования"),
    ("классный руководитель 5 «А» класса", "dative", "классному руководителю 5 «А» класса"),
    ("классный руководитель 5 «А» класса", "instrumental",
     "классным руководителем 5 «А» класса"),
    ("руководитель ОО", "genitive", "руководителя ОО"),
    ("заведующий библиотекой", "dative", "заведующему библиотекой"),
    ("заведующая хозяйством", "accusative", "заведующую хозяйством"),
    ("медицинская сестра", "genitive", "медицинской сестры"),
    ("тьютор", "accusative", "тьютора"),
    ("учитель ИЗО", "dative", "учителю ИЗО"),
    ("научно-методический руководитель", "dative", "научно-методическому руководителю"),
    ("обучающийся 7 «Б» класса", "dative", "обучающемуся 7 «Б» класса"),
    ("обучающаяся 7 «Б» класса", "dative", "обучающейся 7 «Б» класса"),
    ("7 «Б» класс", "dative", "обучающемуся 7 «Б» класса"),
    ("7 «Б» класс", "genitive", "обучающегося 7 «Б» класса"),
    ("11А класс", "dative", "обучающемуся 11А класса"),
    ("7 «Б» класс", "nominative", "7 «Б» класс"),
    ("учитель\u00a0 математики", "nominative", "учитель математики"),
])
def test_inflect_position(position, case, expected):
    assert inflect_position(position, case) == expected


def test_class_label_for_a_girl():
    assert inflect_position("7 «Б» класс", "dative", gender="f") == "обучающейся 7 «Б» класса"


def test_position_that_is_not_a_noun_phrase_is_kept():
    assert inflect_position("ВРИО директора", "dative") == "ВРИО директора"


@pytest.mark.parametrize("position, gender, forms", [
    ("обучающийся 9 «А» класса", "f", ("обучающаяся 9 «А» класса", "обучающейся 9 «А» класса",
                                        "обучающуюся 9 «А» класса")),
    ("обучающаяся 9 «А» класса", "m", ("обучающийся 9 «А» класса", "обучающемуся 9 «А» класса",
                                        "обучающегося 9 «А» класса")),
    ("Учащийся 11 класса", "ж", ("Учащаяся 11 класса", "Учащейся 11 класса", "Учащуюся 11 класса")),
    ("ученик 5 «Б» класса", "f", ("ученица 5 «Б» класса", "ученице 5 «Б» класса", "ученицу 5 «Б» класса")),
    ("ученица 5 «Б» класса", "m", ("ученик 5 «Б» класса", "ученику 5 «Б» класса", "ученика 5 «Б» класса")),
    ("студент 2 курса", "f", ("студентка 2 курса", "студентке 2 курса", "студентку 2 курса")),
    ("обучающийся 9 «А» класса", None, ("обучающийся 9 «А» класса", "обучающемуся 9 «А» класса",
                                         "обучающегося 9 «А» класса")),
])
def test_a_pupils_word_agrees_with_the_pupil_in_every_case(position, gender, forms):
    assert tuple(inflect_position(position, case, gender) for case in ("nominative", "dative", "accusative")) == forms


@pytest.mark.parametrize("position", ["учитель истории", "заведующий библиотекой", "старший вожатый",
                                      "педагог-психолог", "советник директора по воспитанию"])
def test_a_staff_position_keeps_its_typed_gender_for_a_woman(position):
    assert inflect_position(position, "nominative", "f") == position
    assert inflect_position(position, "dative", "f") == inflect_position(position, "dative", "m")


@pytest.mark.parametrize("typed, printed", [
    ("Учитель истории", "учитель истории"), ("Педагог-психолог", "педагог-психолог"),
    ("За помощь младшим", "за помощь младшим"), ("В связи с окончанием года", "в связи с окончанием года"),
    ("Заместитель директора по УВР", "заместитель директора по УВР"),
    ("ВРИО директора", "ВРИО директора"), ("МБОУ «СОШ № 3»", "МБОУ «СОШ № 3»"), ("7 «Б» класс", "7 «Б» класс"),
    ("И.о. директора", "и.о. директора"), ("И.О. директора", "И.О. директора"),
    ("Зам. директора по ВР", "зам. директора по ВР"), ("«Наставник года»", "«Наставник года»"), ("", ""),
])
def test_in_sentence_lowers_only_a_typed_capital_word(typed, printed):
    assert ru.in_sentence(typed) == printed


@pytest.mark.parametrize("typed, printed", [
    ("ИВАНОВА МАРИЯ ПЕТРОВНА", "Иванова Мария Петровна"),
    ("иванова мария петровна", "Иванова Мария Петровна"),
    ("Иванова мария Петровна", "Иванова Мария Петровна"),
    ("ПЕТРОВА-ВОДКИНА АЛИСА СЕРГЕЕВНА", "Петрова-Водкина Алиса Сергеевна"),
    ("АЛИЕВ РАШИД ГУСЕЙН ОГЛЫ", "Алиев Рашид Гусейн оглы"),
    ("мамедова айгюн али кызы", "Мамедова Айгюн Али кызы"),
    ("ФЁДОРОВ АРТЁМ ИЛЬИЧ", "Фёдоров Артём Ильич"),
    ("ИВАНОВА М.П.", "Иванова М.П."),
    ("Алиев Рашид Гусейн оглы", "Алиев Рашид Гусейн оглы"),
    ("МакКой Джон", "МакКой Джон"),
    ("Ли Юрий", "Ли Юрий"),
])
def test_a_name_typed_in_capitals_or_small_letters_gets_its_capitals(typed, printed):
    assert ru.name_letters(typed) == printed
    assert inflect_name(ru.name_letters(typed), "nominative") == printed


# ------------------------------------------------------------ agreement
def test_gendered_and_participles():
    assert gendered("m", "назначен", "назначена") == "назначен"
    assert gendered("ж", "назначен", "назначена") == "назначена"
    assert past_participle("назначен", "f") == "назначена"
    assert past_participle("ознакомлен", "f") == "ознакомлена"
    assert past_participle("ознакомлен", "m") == "ознакомлен"
    assert past_participle("ознакомлен", None) == "ознакомлен(а)"
    assert past_participle("ознакомился", "f") == "ознакомилась"
    assert past_participle("ознакомился", None) == "ознакомился(ась)"
    assert gendered(None, "он", "она") == "он(а)"
    assert gendered(None, "его", "её") == "его/её"


def test_dear():
    assert dear("m") == "Уважаемый"
    assert dear("f") == "Уважаемая"
    assert dear(None) == "Уважаемый(ая)"
    assert dear_plural() == "Уважаемые"


@pytest.mark.parametrize("n, expected", [
    (1, "пара"), (2, "пары"), (4, "пары"), (5, "пар"), (11, "пар"), (12, "пар"),
    (14, "пар"), (21, "пара"), (22, "пары"), (25, "пар"), (111, "пар"), (101, "пара"), (0, "пар"),
])
def test_plural_form(n, expected):
    assert plural_form(n, "пара", "пары", "пар") == expected


# ------------------------------------------------------------ dates
def test_dates():
    # NBSP (not babel's U+202F) keeps «г.» on the line of the year
    assert format_date_long(date(2023, 8, 31)) == f"31 августа 2023{NBSP}г."
    assert format_date_long(date(2023, 9, 1)) == f"1 сентября 2023{NBSP}г."
    assert format_date_long("2024-05-09") == f"9 мая 2024{NBSP}г."
    assert format_date_long(datetime(2024, 1, 10, 8, 0)) == f"10 января 2024{NBSP}г."
    assert format_date_short(date(2023, 8, 31)) == "31.08.2023"
    assert format_date_short(datetime(2023, 9, 1, 10, 30)) == "01.09.2023"
    assert format_date_short("2023-09-01") == "01.09.2023"
    assert format_month_year(date(2023, 9, 1)) == f"сентябрь 2023{NBSP}г."
    assert format_month_year("2024-03-15") == f"март 2024{NBSP}г."


# ------------------------------------------------------------ money
@pytest.mark.parametrize("amount, expected", [
    (1, "1 (один) рубль 00 копеек"),
    (2, "2 (два) рубля 00 копеек"),
    (5, "5 (пять) рублей 00 копеек"),
    (11, "11 (одиннадцать) рублей 00 копеек"),
    (21, "21 (двадцать один) рубль 00 копеек"),
    (1000, "1 000 (одна тысяча) рублей 00 копеек"),
    (5000, "5 000 (пять тысяч) рублей 00 копеек"),
    (12500, "12 500 (двенадцать тысяч пятьсот) рублей 00 копеек"),
    (1000000, "1 000 000 (один миллион) рублей 00 копеек"),
    ("1 500,50", "1 500 (одна тысяча пятьсот) рублей 50 копеек"),
    (Decimal("1500.5"), "1 500 (одна тысяча пятьсот) рублей 50 копеек"),
    (0.5, "0 (ноль) рублей 50 копеек"),
    (2.01, "2 (два) рубля 01 копейка"),
    (3.22, "3 (три) рубля 22 копейки"),
])
def test_amount_in_words(amount, expected):
    assert amount_in_words(amount) == expected.replace(" 000", f"{NBSP}000").replace(
        " 500 (", f"{NBSP}500 (")


def test_amount_groups_with_nbsp():
    assert amount_in_words(12500).startswith(f"12{NBSP}500 (")


@pytest.mark.parametrize("bad", [-1, "-0.01", "abc"])
def test_bad_amount_raises(bad):
    with pytest.raises(ValueError):
        amount_in_words(bad)


# ------------------------------------------------------------ Jinja filters
PERSON = {"name": "Сафарова Зарина Алиевна", "gender": None, "cases": {}}
MAN = {"name": "Шевчук Саша", "gender": "м", "cases": {"genitive": "Шевчука Александра"}}


def render(source, **context):
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.filters.update(jinja_filters())
    return env.from_string(source).render(**context)


def test_filter_names_are_complete():
    expected = {"dative", "accusative", "genitive", "instrumental", "prepositional", "initials",
                "initials_after", "position_dative", "position_accusative",
                "position_genitive", "date_long", "date_short", "month_year", "amount_words",
                "gendered", "dear", "first_patronymic"}
    assert expected <= set(jinja_filters())


def test_filters_on_a_person_dict():
    out = render("{{ p|dear }} {{ p|first_patronymic }}! Выдана {{ p|dative }}, "
                 "{{ p|gendered('ознакомлен', 'ознакомлена') }}. {{ p|initials }}; "
                 "{{ p|initials('genitive') }}; {{ p|initials_after('dative') }}; "
                 "{{ p|instrumental }}; {{ p|prepositional }}; {{ p|accusative }}",
                 p=PERSON)
    assert out == ("Уважаемая Зарина Алиевна! Выдана Сафаровой Зарине Алиевне, ознакомлена. "
                   f"З.А.{NBSP}Сафарова; З.А.{NBSP}Сафаровой; Сафаровой{NBSP}З.А.; "
                   "Сафаровой Зариной Алиевной; Сафаровой Зарине Алиевне; "
                   "Сафарову Зарину Алиевну")


def test_filters_honour_gender_and_case_overrides():
    out = render("{{ p|dative }} / {{ p|genitive }} / {{ p|dear }} / "
                 "{{ p|initials_after('genitive') }}", p=MAN)
    assert out == f"Шевчуку Саше / Шевчука Александра / Уважаемый / Шевчука{NBSP}С."


def test_filters_on_plain_strings_and_dates():
    out = render("{{ name|dative }}; {{ pos|position_dative }}; {{ pos|position_genitive }}; "
                 "{{ pos|position_accusative }}; {{ d|date_long }}; {{ d|date_short }}; "
                 "{{ d|month_year }}; {{ s|amount_words }}; "
                 "{{ 'f'|gendered('принят', 'принята') }}",
                 name="Иванов Иван Иванович", pos="старший воспитатель", d="2023-09-01",
                 s=5)
    assert out == ("Иванову Ивану Ивановичу; старшему воспитателю; старшего воспитателя; "
                   f"старшего воспитателя; 1 сентября 2023{NBSP}г.; 01.09.2023; "
                   f"сентябрь 2023{NBSP}г.; "
                   "5 (пять) рублей 00 копеек; принята")


def test_module_constants():
    assert CASES == ("nominative", "genitive", "dative", "accusative", "instrumental",
                     "prepositional")
    assert ru.__doc__ and "owns" in ru.__doc__


# ------------------------------------------------------------ foreign and hyphenated first names
FOREIGN = Path(__file__).parent / "data" / "names_foreign.tsv"


def test_foreign_corpus_declines_correctly():
    with FOREIGN.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) >= 15 and sum("-" in r["name"].split()[1] for r in rows) >= 8
    wrong = [(r["name"], case, inflect_name(r["name"], case, r["gender"] or None), r[case])
             for r in rows for case in ("dative", "accusative", "genitive")
             if inflect_name(r["name"], case, r["gender"] or None) != r[case]]
    assert not wrong


def test_hyphenated_first_name_keeps_its_override():
    assert inflect_name("Дюбуа Жан-Поль", "genitive", "m", {"genitive": "Дюбуа Жана-Поля"}) == "Дюбуа Жана-Поля"


# ------------------------------------------------------------ agreement with a person
@pytest.mark.parametrize("phrase, feminine, plural", [
    ("не достигшего возраста 14 лет", "не достигшей возраста 14 лет", "не достигших возраста 14 лет"),
    ("ознакомлен", "ознакомлена", "ознакомлены"),
    ("согласен", "согласна", "согласны"),
    ("являющийся законным представителем", "являющаяся законным представителем",
     "являющиеся законными представителями"),
    ("проживающего по адресу", "проживающей по адресу", "проживающих по адресу"),
    ("обучающемуся", "обучающейся", "обучающимся"),
    ("несовершеннолетнего", "несовершеннолетней", "несовершеннолетних"),
    ("законный представитель", "законный представитель", "законные представители"),
    ("назначен", "назначена", "назначены"),
    ("Уважаемый", "Уважаемая", "Уважаемые"),
    ("ученику", "ученице", "ученикам"),
])
def test_agree_phrase(phrase, feminine, plural):
    assert ru.agree_phrase(phrase, "m") == phrase
    assert ru.agree_phrase(phrase, "f") == feminine
    assert ru.agree_phrase(phrase, "m", plural=True) == plural


def test_agree_with_unknown_gender_gives_both_forms():
    assert ru.agree_phrase("не достигшего возраста", None) == "не достигшего(ей) возраста"
    assert ru.agree_phrase("ознакомлен", None) == "ознакомлен(а)"


def test_agree_filter_reads_persons_names_lines_and_lists():
    agree = jinja_filters()["agree"]
    assert agree({"name": "Мамедова Айгюн Рашид кызы"}, "достигшего") == "достигшей"
    assert agree({"name": "Шевчук Оксана", "gender": "ж"}, "достигшего") == "достигшей"
    assert agree("Алиев Мамед Гасан оглы", "ознакомлен") == "ознакомлен"
    assert agree("ж", "согласен") == "согласна"
    assert agree([ru.Line("Шевчук О.И.", "f")], "ознакомлен") == "ознакомлена"
    assert agree([ru.Line("a", "f"), ru.Line("b", "m")], "ознакомлен") == "ознакомлены"


# ------------------------------------------------------------ organisation in cases
ORG_SHAPES = [
    ("Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 7 имени А.С. Пушкина»",
     "Муниципальному бюджетному общеобразовательному учреждению «Средняя общеобразовательная школа № 7 имени "
     "А.С. Пушкина»",
     "Муниципального бюджетного общеобразовательного учреждения «Средняя общеобразовательная школа № 7 имени "
     "А.С. Пушкина»"),
    ("Муниципальное автономное общеобразовательное учреждение «Гимназия № 1»",
     "Муниципальному автономному общеобразовательному учреждению «Гимназия № 1»",
     "Муниципального автономного общеобразовательного учреждения «Гимназия № 1»"),
    ("Государственное бюджетное общеобразовательное учреждение города Москвы «Школа № 1234»",
     "Государственному бюджетному общеобразовательному учреждению города Москвы «Школа № 1234»",
     "Государственного бюджетного общеобразовательного учреждения города Москвы «Школа № 1234»"),
    ("Автономная некоммерческая организация «Центр развития „Наставник“»",
     "Автономной некоммерческой организации «Центр развития „Наставник“»",
     "Автономной некоммерческой организации «Центр развития „Наставник“»"),
    ("Лицей № 5 имени Ю.А. Гагарина", "Лицею № 5 имени Ю.А. Гагарина", "Лицея № 5 имени Ю.А. Гагарина"),
    ("Гимназия имени Н.М. Карамзина", "Гимназии имени Н.М. Карамзина", "Гимназии имени Н.М. Карамзина"),
    ("Колледж информатики и права", "Колледжу информатики и права", "Колледжа информатики и права"),
    ("Центр образования № 3", "Центру образования № 3", "Центра образования № 3"),
    ("МБОУ «СОШ № 4»", "МБОУ «СОШ № 4»", "МБОУ «СОШ № 4»"),
    ("Государственное автономное профессиональное образовательное учреждение Калининградской области «Колледж сервиса»",
     "Государственному автономному профессиональному образовательному учреждению Калининградской области «Колледж "
     "сервиса»",
     "Государственного автономного профессионального образовательного учреждения Калининградской области «Колледж "
     "сервиса»"),
]


@pytest.mark.parametrize("name, dative, genitive", ORG_SHAPES)
def test_organization_name_declines_its_head_and_keeps_the_quoted_name(name, dative, genitive):
    assert ru.organization_name({"name": name}, "dative") == dative
    assert ru.organization_name({"name": name}, "genitive") == genitive
    assert ru.organization_name({"name": name}, "nominative") == name


def test_organization_case_override_from_settings_wins():
    org = {"name": "Лицей «Ступени»", "cases": {"dative": "Лицею «Ступени» (особая форма)"}}
    assert ru.organization_name(org, "dative") == "Лицею «Ступени» (особая форма)"
    assert ru.organization_name(org, "genitive") == "Лицея «Ступени»"
    assert jinja_filters()["org_name"](org, "dative") == "Лицею «Ступени» (особая форма)"


# ------------------------------------------------------------ identity documents
@pytest.mark.parametrize("kind, word", [
    ("паспорт", "выдан"), ("паспорт гражданина Российской Федерации", "выдан"),
    ("свидетельство о рождении", "выдано"), ("вид на жительство", "выдан"),
    ("паспорт иностранного гражданина", "выдан"), ("удостоверение беженца", "выдано"),
    ("разрешение на временное проживание", "выдано"), ("справка", "выдана"),
    ("Свидетельство о рождении", "выдано"),
])
def test_issued_word_follows_the_document(kind, word):
    assert ru.issued_word(kind) == word
