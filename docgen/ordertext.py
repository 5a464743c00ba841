"""The wording of orders (pair_order, reward_order, a region's own): persons in cases, the control point,
the acknowledgement list, the organisation named in a preamble.

Part of the plugin API (``docgen.api`` exports every function here); grammar comes from ``docgen.russian``.
The regulations an order cites are its type's own (``plugins/pair_order.py``).
"""
from __future__ import annotations

import re

from docgen.russian import (Line, detect_gender, in_sentence, initials_after, inflect_name, inflect_position,
                            normalize_spaces, organization_name)

GENDER_HINT = ("не удаётся определить пол по ФИО «{name}»: укажите пол (м или ж) "
               "или формы ФИО в падежах")


def person_key(person: dict) -> str:
    """The same name however the secretary spaced or spelled «ё» it."""
    return normalize_spaces(person["name"]).casefold().replace("ё", "е")


def position_key(person: dict) -> str:
    """The same position (or class) however it was spaced, spelt with «ё» or quoted."""
    return normalize_spaces(person.get("position") or "").casefold().replace("ё", "е").replace('"', "«")


def gender_of(person: dict) -> str | None:
    """"m", "f" or None: the person's own gender, else the one the name tells."""
    return detect_gender(person["name"], person.get("gender"))


def name_in(person: dict, case: str) -> str:
    """The full name in ``case``; the person's own ``cases`` override the generated form."""
    return inflect_name(person["name"], case, person.get("gender"), person.get("cases"))


def position_in(person: dict, case: str) -> str:
    """The person's position in ``case``, agreed with the gender («учителю математики»), written to stand
    inside a sentence («Учитель истории» typed → «учителя истории»); "" without one."""
    position = in_sentence(person.get("position") or "")
    return inflect_position(position, case, gender_of(person)) if position else ""


def person_in(person: dict, case: str) -> str:
    """«учителю математики Ивановой Марии Петровне»: position, then the name, both in ``case``."""
    return " ".join(part for part in (position_in(person, case), name_in(person, case)) if part)


def short_in(person: dict, case: str) -> str:
    """«Гурьевой И.В.»: surname in ``case`` and initials."""
    return initials_after(person["name"], case, person.get("gender"), person.get("cases"))


def described(person: dict) -> str:
    """«Иванова Мария Петровна, учитель математики» (nominative, as typed but for a capital after the comma
    and a pupil's word agreed with the pupil: «обучающаяся 9 «А» класса»)."""
    name = normalize_spaces(person["name"])
    position = position_in(person, "nominative")
    return f"{name}, {position}" if position else name


def gender_problems(persons: list[tuple[tuple, dict]], cases: tuple[str, ...]) -> list[tuple[tuple, str]]:
    """Persons whose name must be declined but whose gender cannot be told and who give no case forms."""
    problems = []
    for path, person in persons:
        overridden = all((person.get("cases") or {}).get(case) for case in cases)
        if overridden or gender_of(person):
            continue
        problems.append((path, GENDER_HINT.format(name=normalize_spaces(person["name"]))))
    return problems


def unique_persons(persons: list[dict]) -> list[dict]:
    """Each person once, in the order first named.

    A person is one person only when the name and the position (or class)
    agree: a teacher and a pupil of the same ФИО are two. A mention without a
    position is the namesake with a position when there is exactly one.
    """
    people: list[dict] = []
    by_name: dict[str, list[int]] = {}  # person_key → places in ``people`` (linear time for long lists)
    for person in filter(None, persons):
        places = by_name.setdefault(person_key(person), [])
        namesakes = [people[i] for i in places]
        position = position_key(person)
        same = [p for p in namesakes if position_key(p) == position]
        if not same and not position and len(namesakes) == 1:
            same = namesakes
        if not same and len(namesakes) == 1 and not position_key(namesakes[0]):
            people[places[0]] = person  # the bare mention gets its position
            continue
        if not same:
            places.append(len(people))
            people.append(person)
    return people


def acknowledgement_list(persons: list[dict]) -> list[Line]:
    """«Иванова М.П.» for each person named, once; the full name where two would read alike, and the
    position after it for namesakes («Иванов Иван Иванович (7 «Б» класс)»). Each line knows its gender."""
    people = unique_persons(persons)
    shorts = [initials_after(normalize_spaces(p["name"])) for p in people]
    names = [normalize_spaces(p["name"]) for p in people]
    lines = []
    for person, short, name in zip(people, shorts, names):
        text = short if shorts.count(short) == 1 else name
        if names.count(name) > 1 and position_key(person):
            text = f"{text} ({normalize_spaces(person['position'])})"
        lines.append(Line(text, gender_of(person)))
    return lines


def same_person(one: dict | None, other: dict | None) -> bool:
    """Same name, and the same position unless one of them gives none."""
    if not (one and other and person_key(one) == person_key(other)):
        return False
    return not position_key(one) or not position_key(other) or position_key(one) == position_key(other)


def control_point(number: int, control: dict | None, signer: dict) -> str:
    """The last point: the signer keeps control, or it is given to someone (accusative)."""
    if not control or same_person(control, signer):
        return f"{number}. Контроль за исполнением настоящего приказа оставляю за собой."
    return f"{number}. Контроль за исполнением настоящего приказа возложить на {person_in(control, 'accusative')}."


def in_organisation(organisation: dict) -> str:
    """«в МБОУ «СОШ № 7 им. А.С. Пушкина»» (the short name does not decline), else the full name in the
    prepositional («в Муниципальном … учреждении «…»»)."""
    short = normalize_spaces(organisation.get("short_name") or "")
    if short:
        return f"в {short}"
    full = organization_name(organisation, "prepositional") if organisation.get("name") else ""
    return f"в {full}" if full else "в образовательной организации"


def of_organisation(organisation: dict) -> str:
    """The short name, else the full name in the genitive («Положение об оплате труда работников …»)."""
    short = normalize_spaces(organisation.get("short_name") or "")
    return short or (organization_name(organisation, "genitive") if organisation.get("name") else "")


def instrumental_title(title: str) -> str:
    """«Положение об оплате труда …» → «Положением об оплате труда …» (after «в соответствии с»); a final stop
    or comma typed after the title is dropped."""
    text = normalize_spaces(title).rstrip(".,;: ")
    first, _, rest = text.partition(" ")
    if first.casefold() == "положение":
        return " ".join(part for part in ("Положением", rest) if part)  # a local act's name, with its capital
    return text


def join_listing(items: list[str]) -> str:
    """«a, b и c»."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " и " + items[-1]


_TYPED_ORDER_WORD = re.compile(r"[\s,;:.]*приказываю\s*:?\s*$", re.IGNORECASE)
_TYPED_GROUNDS = re.compile(r"^\s*основани[ея]\s*:\s*", re.IGNORECASE)


def typed_preamble(basis: str) -> str:
    """A preamble typed by hand, ending with the comma before «ПРИКАЗЫВАЮ:» (which the template prints):
    «В соответствии с …, ПРИКАЗЫВАЮ:» copied from an old order loses its «ПРИКАЗЫВАЮ:»."""
    return _TYPED_ORDER_WORD.sub("", normalize_spaces(basis)).rstrip(",.; ") + ","


def typed_grounds(grounds: str) -> str:
    """What follows «Основание:»: the word typed again, and the final stop, are dropped."""
    return _TYPED_GROUNDS.sub("", normalize_spaces(grounds)).rstrip(".; ")


def typed_heading(title: str | None, default: str) -> str:
    """The heading «О …» with a capital and no final stop, however it was typed («о закреплении …» → «О …»)."""
    text = normalize_spaces(title or "").rstrip(". ") or default
    return text[:1].upper() + text[1:]
