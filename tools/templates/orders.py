"""Templates of the two orders: pair order (with its annex) and reward order."""
from __future__ import annotations

from . import (CENTER, JUSTIFY, LEFT, RIGHT, date_number_line, executor_mark, grid_table, letterhead, new_document,
               page_break, para, signature)


def order_opening(doc) -> None:
    letterhead(doc, "ПРИКАЗ")
    date_number_line(doc)
    para(doc, "{{ heading }}", LEFT, bold=True, space_before=12, space_after=12)
    para(doc, "{{ preamble }}", JUSTIFY, indent=True)
    para(doc, "ПРИКАЗЫВАЮ:", LEFT, bold=True, space_before=6, space_after=6)
    para(doc, "{%p for point in points %}")
    para(doc, "{{ point }}", JUSTIFY, indent=True)
    para(doc, "{%p endfor %}")


def acknowledgement(doc) -> None:
    para(doc, "{%p if acquainted %}")
    para(doc, "С приказом ознакомлены:", LEFT, space_before=18, space_after=6, keep_next=True)
    grid_table(doc, ["ФИО", "Подпись", "Дата"], [8.5, 4.0, 4.0],
               ["{{ person }}", "", ""], "person in acquainted")
    para(doc, "{%p endif %}")


def pair_order():
    doc = new_document()
    order_opening(doc)
    signature(doc)
    executor_mark(doc)
    acknowledgement(doc)
    page_break(doc)
    para(doc, "Приложение № 1", RIGHT, size=12)
    para(doc, "к приказу от {{ date|date_short }} №\u00a0{{ number }}", RIGHT, size=12, space_after=12)
    para(doc, "{{ annex_title }}", CENTER, bold=True, space_after=12)
    grid_table(
        doc,
        ["№ п/п", "Наставник (ФИО, должность)", "Наставляемый (ФИО, должность или класс)", "Форма наставничества", "Срок"],
        [1.2, 4.6, 4.6, 3.2, 3.4],
        ["{{ row.n }}", "{{ row.mentor }}", "{{ row.mentees }}", "{{ row.form }}", "{{ row.period }}"],
        "row in rows",
    )
    return doc


def reward_order():
    doc = new_document()
    order_opening(doc)
    signature(doc)
    executor_mark(doc)
    acknowledgement(doc)
    return doc


BUILDERS = {"pair_order": pair_order, "reward_order": reward_order}
