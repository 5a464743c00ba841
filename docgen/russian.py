"""Russian grammar for docgen documents.

This module owns every grammatical decision docgen makes in Russian:
declension of personal names (ФИО) and staff positions, gender detection,
gender agreement of words, long/short dates, money amounts in words, number
agreement of nouns, and the Jinja filters exposing all of that to templates.

Names are declined by pytrovich (petrovich rules); a thin layer of fixes,
each backed by rows of tests/data/names_corpus.tsv, covers the cases where
measurement showed the library wrong.  Positions are declined by pymorphy3.
See docs/grammar.md for the measurements behind these choices.
"""
from __future__ import annotations

import logging
import os
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel.dates import format_date
from num2words import num2words
from pytrovich.enums import Case, Gender, NamePart
from pytrovich.maker import PetrovichDeclinationMaker

# pytrovich logs every name it declines at DEBUG: people's names must never reach a log.
logging.getLogger("pytrovich").setLevel(logging.WARNING)

CASES = ("nominative", "genitive", "dative", "accusative", "instrumental", "prepositional")
NBSP = "\u00a0"

_PETROVICH_CASE = {
    "genitive": Case.GENITIVE, "dative": Case.DATIVE, "accusative": Case.ACCUSATIVE,
    "instrumental": Case.INSTRUMENTAL, "prepositional": Case.PREPOSITIONAL,
}
_PYMORPHY_CASE = {
    "nominative": "nomn", "genitive": "gent", "dative": "datv", "accusative": "accs",
    "instrumental": "ablt", "prepositional": "loct",
}
_GENDER_WORDS = {
    "m": "m", "male": "m", "м": "m", "муж": "m", "мужской": "m",
    "f": "f", "female": "f", "ж": "f", "жен": "f", "женский": "f",
}
# Turkic patronymic particles: "Гусейн оглы", "Аликызы", "Нурланулы".
_MALE_PARTICLES = ("оглы", "улы", "уулу")
_FEMALE_PARTICLES = ("кызы", "гызы")
_VOWELS = set("аеёиоуыэюяьъй")


# ---------------------------------------------------------------- helpers
@lru_cache(maxsize=1)
def _petrovich() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3  # loaded lazily: the dictionaries take a while to open
    return pymorphy3.MorphAnalyzer()


def normalize_spaces(text: str) -> str:
    """Collapse any Unicode whitespace (NBSP, tabs, doubles) to single spaces."""
    text = re.sub(r"[\u2010\u2011]", "-", str(text))
    return " ".join(text.split())


_TITLE_START = re.compile(r"[А-ЯЁ][а-яё]*(?=[\s\-,.]|$)")


def in_sentence(text: str) -> str:
    """A phrase typed with a capital, to print inside a sentence: «Учитель истории» → «учитель истории»,
    «За помощь младшим» → «за помощь младшим», «Зам. директора» → «зам. директора». Only a first word in
    capital-then-small letters is lowered; abbreviations («ВР», «МБОУ», «И.О.»), class labels and quotes stay
    as typed."""
    text = normalize_spaces(text)
    if not _TITLE_START.match(text) or re.match(r"[А-ЯЁ]\.[А-ЯЁ]", text):  # «И.О. директора» stays
        return text
    return text[0].lower() + text[1:]


def _check_case(case: str) -> str:
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}; expected one of {CASES}")
    return case


def _match_capitals(model: str, word: str) -> str:
    """Give ``word`` the capitalisation of ``model`` (ИВАНОВ, Иванов, иванов)."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# ---------------------------------------------------------------- gender
def _gender_word(value) -> str | None:
    if value is None:
        return None
    return _GENDER_WORDS.get(str(value).strip().lower())


def _gender_from_patronymic(patronymic: str) -> str | None:
    last = patronymic.lower().split()[-1]
    if last.endswith(_MALE_PARTICLES) or last.endswith(("ич", "ыч")):
        return "m"
    if last.endswith(_FEMALE_PARTICLES) or last.endswith(("вна", "чна", "шна")):
        return "f"
    return None


def _gender_from_first_name(first: str) -> str | None:
    """pymorphy3 dictionary names only, and only when every reading agrees."""
    genders = {p.tag.gender for p in _morph().parse(first.lower())
               if p.is_known and {"Name", "nomn"} in p.tag}
    if genders == {"masc"}:
        return "m"
    if genders == {"femn"}:
        return "f"
    return None


def _gender_from_surname(surname: str) -> str | None:
    last = surname.lower().split("-")[-1]
    if last.endswith(("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")):
        return "f"
    if last.endswith(("ов", "ев", "ёв", "ин", "ын", "ский", "цкий")):
        return "m"
    return None


def detect_gender(full_name: str, explicit: str | None = None) -> str | None:
    """Return "m", "f" or None. An explicit value wins over the name itself.

    Then the patronymic decides; without one, the first name (pymorphy3) and
    a Russian surname ending vote, and any disagreement gives None
    (pymorphy3 takes «Айгюн» for a man's name; «Мамедова» says otherwise).
    """
    if explicit is not None and str(explicit).strip():
        gender = _gender_word(explicit)
        if gender is None:
            raise ValueError(f"unknown gender {explicit!r}")
        return gender
    surname, first, patronymic = _split_name(full_name)
    if patronymic:
        gender = _gender_from_patronymic(patronymic)
        if gender:
            return gender
    votes = {_gender_from_first_name(first) if first else None, _gender_from_surname(surname)}
    votes.discard(None)
    return votes.pop() if len(votes) == 1 else None


# ---------------------------------------------------------------- names
_LOWER_NAME_WORDS = set(_MALE_PARTICLES + _FEMALE_PARTICLES) | {"ибн", "бен", "фон"}


def _name_word(word: str, all_capitals: bool) -> str:
    """One part of a ФИО with a capital and small letters: «ИВАНОВА» → «Иванова», «мария» → «Мария»;
    particles («оглы», «кызы», «фон») small; a mixed spelling («МакКой») as typed."""
    if not word.isalpha():
        return word
    if word.lower() in _LOWER_NAME_WORDS and (word.islower() or all_capitals):
        return word.lower()
    if word.islower() or (all_capitals and word.isupper()):
        return word[:1].upper() + word[1:].lower()
    return word


def name_letters(full_name: str) -> str:
    """A ФИО typed in capitals or in small letters, as a document prints it: «ИВАНОВА МАРИЯ ПЕТРОВНА»,
    «иванова мария петровна» → «Иванова Мария Петровна» (both parts of a double name; «Гусейн оглы» stays).
    A name already written with capitals and small letters is returned as typed."""
    letters = [c for c in full_name if c.isalpha()]
    all_capitals = len(letters) > 1 and all(c.isupper() for c in letters)
    return re.sub(r"[^\s\-]+", lambda m: _name_word(m.group(0), all_capitals), full_name)


def _split_name(full_name: str) -> tuple[str, str | None, str | None]:
    """Split "Surname First [Patronymic]"; "Гусейн оглы" is one patronymic."""
    words = normalize_spaces(full_name).split(" ")
    if not words[0]:
        raise ValueError("empty name")
    if len(words) == 1:
        return words[0], None, None
    patronymic = " ".join(words[2:]) or None
    return words[0], words[1], patronymic


def _noun_surname(piece: str) -> bool:
    """A surname in -ой that is a common noun (Прибой), not an adjective (Толстой)."""
    if not piece.lower().endswith("ой"):
        return False
    parses = [p for p in _morph().parse(piece.lower()) if p.is_known]
    return (any({"NOUN", "masc", "sing", "nomn"} in p.tag for p in parses)
            and not any("ADJF" in p.tag or "Surn" in p.tag for p in parses))


def _decline_as_noun(piece: str, case: str) -> str:
    """Decline like the common noun; a person is animate (accusative = genitive)."""
    parse = next(p for p in _morph().parse(piece.lower()) if {"NOUN", "nomn"} in p.tag)
    form = parse.inflect({_PYMORPHY_CASE["genitive" if case == "accusative" else case]})
    return _match_capitals(piece, form.word) if form else piece


def _restore_fleeting_e(nominative: str, declined: str) -> str:
    """Кузнец → Кузнецу, not Кузнцу: keep -ец when dropping it leaves 3 consonants."""
    stem = nominative[:-2].lower()
    if (nominative.lower().endswith("ец") and declined.lower().startswith(stem + "ц")
            and len(stem) >= 2 and not set(stem[-2:]) & _VOWELS):
        return nominative + declined[len(stem) + 1:]
    return declined


def _fix_velar_instrumental(nominative: str, declined: str) -> str:
    """Сухой → Сухим (never «хы», «кы», «гы» in an adjectival ending)."""
    if nominative.lower().endswith(("кой", "гой", "хой")) and declined.endswith("ым"):
        return declined[:-2] + "им"
    return declined


def _pet(part: NamePart, word: str, case: str, gender: str) -> str:
    sex = Gender.MALE if gender == "m" else Gender.FEMALE
    return _petrovich().make(part, sex, _PETROVICH_CASE[case], word)


def _fix_surname_piece(nominative: str, declined: str, case: str, gender: str) -> str:
    if gender == "m" and _noun_surname(nominative):
        return _decline_as_noun(nominative, case)
    return _fix_velar_instrumental(nominative, _restore_fleeting_e(nominative, declined))


def _decline_surname(surname: str, case: str, gender: str) -> str:
    """pytrovich declines double surnames part by part (Римскому-Корсакову,
    Бонч-Бруевичу); the fixes then look at each part."""
    declined = _pet(NamePart.LASTNAME, surname, case, gender)
    pairs = zip(surname.split("-"), declined.split("-"))
    return "-".join(_fix_surname_piece(nom, out, case, gender) for nom, out in pairs)


def _decline_patronymic(patronymic: str, case: str, gender: str) -> str:
    if patronymic.lower().endswith(_MALE_PARTICLES + _FEMALE_PARTICLES):
        return patronymic  # "Гусейн оглы", "Аликызы" never change
    if patronymic.lower().endswith("ыч"):  # Силыч: the rules only know -ич
        as_ich = patronymic[:-2] + "ич"
        return patronymic + _pet(NamePart.MIDDLENAME, as_ich, case, gender)[len(as_ich):]
    return _pet(NamePart.MIDDLENAME, patronymic, case, gender)


def _decline_first_name(first: str, case: str, gender: str) -> str:
    """A hyphenated first name declines in its last part only (Жан-Поль → Жан-Поля, Ханс-Петер → Ханс-Петера);
    a woman's Slavic double name in -а/-я declines in both (Анна-Мария → Анны-Марии)."""
    pieces = first.split("-")
    if len(pieces) == 1:
        return _pet(NamePart.FIRSTNAME, first, case, gender)
    both = gender == "f" and all(p.lower().endswith(("а", "я")) for p in pieces)
    head = [_pet(NamePart.FIRSTNAME, p, case, gender) if both else p for p in pieces[:-1]]
    return "-".join(head + [_pet(NamePart.FIRSTNAME, pieces[-1], case, gender)])


def _override(overrides: dict | None, case: str) -> str | None:
    value = (overrides or {}).get(case)
    return normalize_spaces(value) if value and str(value).strip() else None


def _fix_capitals(original: str, declined: str) -> str:
    return " ".join(_match_capitals(o, d) for o, d in zip(original.split(" "), declined.split(" ")))


def inflect_name(full_name: str, case: str, gender: str | None = None,
                 overrides: dict | None = None) -> str:
    """Decline "Surname First [Patronymic]": dative of "Иванова Мария Петровна"
    is "Ивановой Марии Петровне". ``overrides[case]`` wins when given."""
    _check_case(case)
    forced = _override(overrides, case)
    if forced:
        return forced
    name = normalize_spaces(full_name)
    surname, first, patronymic = _split_name(name)
    if case == "nominative":
        return name
    sex = detect_gender(name, gender)
    if sex is None:
        raise ValueError(f"cannot tell the gender of {name!r}: pass gender='m' or 'f'")
    parts = [_decline_surname(surname, case, sex)]
    if first:
        parts.append(_decline_first_name(first, case, sex))
    if patronymic:
        parts.append(_decline_patronymic(patronymic, case, sex))
    return _fix_capitals(name, " ".join(parts))


def _surname_and_initials(full_name, case, gender, overrides) -> tuple[str, str]:
    surname = _split_name(inflect_name(full_name, case, gender, overrides))[0]
    _, first, patronymic = _split_name(full_name)
    initials = "".join("-".join(p[:1].upper() + "." for p in part.split(" ")[0].split("-"))
                       for part in (first, patronymic) if part)
    return surname, initials


def initials_before(full_name: str, case: str = "nominative", gender: str | None = None,
                    overrides: dict | None = None) -> str:
    """Signature style: "З.А.\u00a0Сафарова" (surname in ``case``)."""
    surname, initials = _surname_and_initials(full_name, case, gender, overrides)
    return f"{initials}{NBSP}{surname}" if initials else surname


def initials_after(full_name: str, case: str = "nominative", gender: str | None = None,
                   overrides: dict | None = None) -> str:
    """List style: "Сафаровой\u00a0З.А." (surname in ``case``)."""
    surname, initials = _surname_and_initials(full_name, case, gender, overrides)
    return f"{surname}{NBSP}{initials}" if initials else surname


def first_and_patronymic(full_name: str) -> str:
    """"Иванова Мария Петровна" → "Мария Петровна" (for «Уважаемая …!»)."""
    surname, first, patronymic = _split_name(full_name)
    return " ".join(p for p in (first, patronymic) if p) or surname


# ---------------------------------------------------------------- positions
_CLASS_LABEL = re.compile(r"^(\d{1,2}\s*(?:«[^»]*»|\"[^\"]*\"|[А-ЯA-Z])?)\s+класс$", re.IGNORECASE)


def _is_word(token: str) -> bool:
    """A Cyrillic word pymorphy3 may decline; abbreviations (ВР, УВР, ОО) never are."""
    return bool(re.fullmatch(r"[а-яё]+(?:-[а-яё]+)*", token, re.IGNORECASE)) and not token.isupper()


def _nominative_parses(word: str) -> list:
    return [p for p in _morph().parse(word.lower()) if {"nomn", "sing"} in p.tag]


def _adjective_parse(word: str):
    return next((p for p in _nominative_parses(word) if p.tag.POS in ("ADJF", "PRTF")), None)


def _noun_parse(word: str):
    nouns = [p for p in _nominative_parses(word) if p.tag.POS == "NOUN"]
    return next((p for p in nouns if "anim" in p.tag), nouns[0] if nouns else None)


def _find_head(words: list[str]) -> tuple[int, str] | None:
    """Index and kind ("noun"/"adjective") of the head of the leading noun phrase."""
    for i, word in enumerate(words):
        if not _is_word(word):
            return None
        nxt = words[i + 1] if i + 1 < len(words) else ""
        is_adjective = _adjective_parse(word.split("-")[-1]) is not None
        agrees_with_next = _is_word(nxt) and (
            _adjective_parse(nxt.split("-")[-1]) or _noun_parse(nxt.split("-")[0]))
        if is_adjective and agrees_with_next:
            continue  # «старший» in «старший воспитатель»
        if _noun_parse(word.split("-")[0]):
            return i, "noun"
        return (i, "adjective") if is_adjective else None  # «заведующий библиотекой»
    return None


def _inflect_segments(token: str, grammemes: set, kind: str) -> str:
    """Inflect each part of a hyphenated token (педагог-психолог → педагогу-психологу)."""
    out = []
    for segment in token.split("-"):
        parse = _noun_parse(segment) if kind == "noun" else _adjective_parse(segment)
        form = parse.inflect(grammemes) if parse else None
        out.append(_match_capitals(segment, form.word) if form else segment)
    return "-".join(out)


def _agreement(head_token: str, kind: str, case: str) -> set:
    grammemes = {_PYMORPHY_CASE[case]}
    parse = (_noun_parse if kind == "noun" else _adjective_parse)(head_token.split("-")[0])
    if case == "accusative" and parse.tag.gender == "masc":
        grammemes.add("anim" if kind == "adjective" or "anim" in parse.tag else "inan")
    return grammemes


def _pupil_word(word: str, gender: str | None) -> str:
    """The first word of a pupil's position agreed with the pupil: «обучающийся» → «обучающаяся» and
    «ученик» → «ученица» for a girl (and «обучающаяся» → «обучающийся» for a boy); other words as typed."""
    sex = _gender_word(gender)
    key = word.casefold().replace("ё", "е")
    if sex is None or not _is_word(word):
        return word
    if key in _PUPIL_PARTICIPLES:
        return _match_capitals(word, _PUPIL_PARTICIPLES[key][0 if sex == "m" else 1])
    if key in ROLE_NOUNS and sex == "f":
        return _match_capitals(word, ROLE_NOUNS[key])
    if key in _FEMININE_ROLE_NOUNS and sex == "m":
        return _match_capitals(word, _FEMININE_ROLE_NOUNS[key])
    return word


def _agreed_with_pupil(text: str, gender: str | None) -> str:
    first, space, rest = text.partition(" ")
    return _pupil_word(first, gender) + space + rest if first else text


def _class_label(label: str, case: str, gender: str | None) -> str:
    """«7 «Б» класс» → «обучающемуся 7 «Б» класса» (masculine unless gender='f')."""
    pupil = "обучающаяся" if _gender_word(gender) == "f" else "обучающийся"
    return inflect_position(f"{pupil} {label} класса", case)


@lru_cache(maxsize=4096)
def inflect_position(position: str, case: str, gender: str | None = None) -> str:
    """Decline only the head noun phrase: «учитель математики» → «учителю математики».

    A bare class label («7 «Б» класс») is a pupil's "position": outside the
    nominative it becomes «обучающемуся 7 «Б» класса» (``gender='f'`` gives
    «обучающейся»); in the nominative every position is returned as typed,
    except that a pupil's word agrees with the pupil's gender in every case
    («обучающийся 9 «А» класса» of a girl → «обучающаяся 9 «А» класса», «ученик» → «ученица»).
    """
    _check_case(case)
    text = _agreed_with_pupil(normalize_spaces(position), gender)
    if case == "nominative" or not text:
        return text
    label = _CLASS_LABEL.match(text)
    if label:
        return _class_label(label.group(1), case, gender)
    words = text.split(" ")
    head = _find_head(words)
    if head is None:
        return text
    index, kind = head
    grammemes = _agreement(words[index], kind, case)
    for i in range(index + 1):
        words[i] = _inflect_segments(words[i], grammemes, kind if i == index else "adjective")
    return " ".join(words)


# ---------------------------------------------------------------- agreement
def _both(masculine: str, feminine: str) -> str:
    """"назначен"/"назначена" → "назначен(а)"; "Уважаемый"/"Уважаемая" → "Уважаемый(ая)"."""
    common = len(os.path.commonprefix([masculine, feminine]))
    # the part in brackets starts with the ending: «достигшего(ей)», not «достигшего(й)»
    while common > 2 and common < len(masculine) and masculine[common - 1].lower() in "аеёиоуыэюя":
        common -= 1
    return f"{masculine}({feminine[common:]})" if common >= 2 else f"{masculine}/{feminine}"


def gendered(gender, masculine: str, feminine: str) -> str:
    """Pick the form for ``gender`` ("m"/"f"/"муж"/…); unknown gives both."""
    sex = _gender_word(gender)
    if sex == "m":
        return masculine
    if sex == "f":
        return feminine
    return _both(masculine, feminine)


def _feminine_verb(word: str) -> str:
    if word.endswith("ся"):  # ознакомился → ознакомилась
        return _feminine_verb(word[:-2]) + "сь"
    return word + "а"  # назначен → назначена, прибыл → прибыла


def past_participle(word_masc: str, gender) -> str:
    """Short participle or past verb in the masculine, agreed with ``gender``."""
    return gendered(gender, word_masc, _feminine_verb(word_masc))


def dear(gender) -> str:
    """«Уважаемый» or «Уважаемая» for ``gender`` (both forms when unknown)."""
    return gendered(gender, "Уважаемый", "Уважаемая")


def dear_plural() -> str:
    """«Уважаемые»: the greeting of several people (parents)."""
    return "Уважаемые"


def plural_form(n, one: str, few: str, many: str) -> str:
    """1 пара, 2 пары, 5 пар, 11 пар, 21 пара."""
    n = abs(int(n))
    if 11 <= n % 100 <= 14:
        return many
    return {1: one, 2: few, 3: few, 4: few}.get(n % 10, many)


# ---------------------------------------------------------------- dates and money
def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value.strip()[:10])
    raise TypeError(f"expected a date or an ISO string, got {value!r}")


def format_date_long(d) -> str:
    """"1 сентября 2023 г." (no leading zero; NBSP keeps «г.» with the year).

    Babel's "long" format puts U+202F there, which some document fonts lack.
    """
    return format_date(_as_date(d), "d MMMM y", locale="ru") + NBSP + "г."


def format_date_short(d) -> str:
    """"01.09.2023"."""
    return _as_date(d).strftime("%d.%m.%Y")


def format_month_year(d) -> str:
    """"сентябрь 2023 г." (nominative month, for periods)."""
    return format_date(_as_date(d), "LLLL y", locale="ru") + NBSP + "г."


def _to_money(amount) -> Decimal:
    if isinstance(amount, bool):
        raise TypeError("amount must be a number")
    text = re.sub(r"\s", "", str(amount)).replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not an amount: {amount!r}") from None
    if value < 0 or not value.is_finite():
        raise ValueError(f"amount must be a non-negative number: {amount!r}")
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def amount_in_words(amount) -> str:
    """12500 → "12 500 (двенадцать тысяч пятьсот) рублей 00 копеек" (NBSP in digits)."""
    value = _to_money(amount)
    rubles = int(value)
    kopecks = int((value - rubles) * 100)
    digits = f"{rubles:,}".replace(",", NBSP)
    words = num2words(rubles, lang="ru", gender="m")
    return (f"{digits} ({words}) {plural_form(rubles, 'рубль', 'рубля', 'рублей')} "
            f"{kopecks:02d} {plural_form(kopecks, 'копейка', 'копейки', 'копеек')}")


# ---------------------------------------------------------------- Jinja filters
def _person(value) -> tuple[str, str | None, dict | None]:
    """A full name string or a person dict {"name", "gender", "cases"}."""
    if isinstance(value, dict):
        return value["name"], value.get("gender"), value.get("cases")
    return str(value), None, None


def _gender_of(value) -> str | None:
    if isinstance(value, dict):
        name, gender, _ = _person(value)
        return detect_gender(name, gender)
    if value is None or _gender_word(value):
        return _gender_word(value)
    return detect_gender(str(value)) if len(str(value).split()) > 1 else None


def _name_filter(case: str):
    def name_in_case(value, gender=None):
        name, own_gender, cases = _person(value)
        return inflect_name(name, case, gender or own_gender, cases)
    name_in_case.__doc__ = (f"The full name of a person (or a ФИО) in the {case} case, "
                            f"``{{{{ mentor|{case} }}}}``; the person's own ``cases`` win.")
    return name_in_case


def _initials_filter(function, name: str, example: str):
    def initials(value, case="nominative"):
        full_name, gender, cases = _person(value)
        return function(full_name, case, gender, cases)
    initials.__doc__ = f"{example}, in a case: ``{{{{ signer|{name} }}}}``, ``{{{{ signer|{name}('dative') }}}}``."
    return initials


def _position_filter(case: str):
    def position_in_case(value, gender=None):
        if isinstance(value, dict):
            return inflect_position(value["position"], case, gender or value.get("gender"))
        return inflect_position(value, case, gender)
    position_in_case.__doc__ = (f"A person's position (or a position text) in the {case} case, agreed with the "
                                f"gender: ``{{{{ mentor|position_{case} }}}}``.")
    return position_in_case


def gendered_filter(value, masculine: str, feminine: str) -> str:
    """One of two written forms by the person's gender: ``{{ who|gendered("Ваш сын", "Ваша дочь") }}``."""
    return gendered(_gender_of(value), masculine, feminine)


def dear_filter(value) -> str:
    """«Уважаемый» or «Уважаемая» for the person: ``{{ addressee|dear }}``."""
    return dear(_gender_of(value))


def first_patronymic_filter(value) -> str:
    """«Мария Петровна»: the first name and patronymic of a person or a ФИО."""
    return first_and_patronymic(_person(value)[0])


def org_name_filter(org, case: str = "nominative") -> str:
    """The organisation's full name in a case, the quoted name kept: ``{{ org|org_name("dative") }}``."""
    return organization_name(org, case)


def jinja_filters() -> dict:
    """Filters for templates: {{ person|dative }}, {{ sum|amount_words }}, … (each documented in docs/plugins.md)."""
    filters = {case: _name_filter(case) for case in CASES[1:]}
    filters.update({
        "initials": _initials_filter(initials_before, "initials", "«И.В. Гурьева»: initials before the surname"),
        "initials_after": _initials_filter(initials_after, "initials_after", "«Гурьевой И.В.»: the surname, then the initials"),
        "position_dative": _position_filter("dative"),
        "position_accusative": _position_filter("accusative"),
        "position_genitive": _position_filter("genitive"),
        "date_long": format_date_long,
        "date_short": format_date_short,
        "month_year": format_month_year,
        "amount_words": amount_in_words,
        "gendered": gendered_filter,
        "dear": dear_filter,
        "first_patronymic": first_patronymic_filter,
        "agree": agree,
        "org_name": org_name_filter,
        "issued": issued_word,
    })
    return filters


# ---------------------------------------------------------------- agreement with a person
# Nouns of role that change with the person's gender; the rest of the role nouns
# (представитель, наставник, куратор, директор) are of common gender in official usage.
ROLE_NOUNS = {"ученик": "ученица", "гражданин": "гражданка", "студент": "студентка", "школьник": "школьница",
              "воспитанник": "воспитанница", "выпускник": "выпускница", "победитель": "победительница",
              "участник": "участница"}
_FEMININE_ROLE_NOUNS = {feminine: masculine for masculine, feminine in ROLE_NOUNS.items()}
# A pupil's participle, masculine and feminine (it always agrees with the pupil).
_PUPIL_PARTICIPLES = {word: pair for pair in (("обучающийся", "обучающаяся"), ("учащийся", "учащаяся"))
                      for word in pair}
_AGREEING_POS = ("ADJF", "PRTF", "ADJS", "PRTS", "VERB")


class Line(str):
    """A printed string that remembers the gender of the person it names (for ``agree``)."""

    gender: str | None = None

    def __new__(cls, text: str, gender: str | None = None):
        line = super().__new__(cls, text)
        line.gender = gender
        return line


def _masculine_parse(token: str):
    """The reading of ``token`` as a masculine (or past-tense masculine) agreeing word; genitive before accusative."""
    parses = [p for p in _morph().parse(token.lower())
              if p.tag.POS in _AGREEING_POS and "masc" in p.tag and "sing" in p.tag]
    parses.sort(key=lambda p: p.tag.case == "accs")
    return parses[0] if parses else None


def _role_noun(token: str, gender: str, plural: bool) -> str | None:
    parses = [p for p in _morph().parse(token.lower()) if p.tag.POS == "NOUN" and p.normal_form in ROLE_NOUNS]
    if not parses:
        return None
    parse = parses[0]
    if plural:
        form = parse.inflect({"plur", parse.tag.case})
        return _match_capitals(token, form.word) if form else token
    if gender == "m":
        return token
    feminine = next((p for p in _morph().parse(ROLE_NOUNS[parse.normal_form]) if p.tag.POS == "NOUN"), None)
    form = feminine.inflect({"sing", parse.tag.case}) if feminine else None
    return _match_capitals(token, form.word) if form else token


@lru_cache(maxsize=4096)
def agreed_word(token: str, gender: str, plural: bool = False) -> str:
    """One masculine word in the form agreeing with a person of ``gender`` ("m"/"f") or with several persons."""
    role = _role_noun(token, gender, plural)
    if role is not None:
        return role
    parse = _masculine_parse(token)
    if parse is None:
        return token
    if plural:
        wanted = {"plur"} | ({parse.tag.case} if parse.tag.case else set())
        if parse.tag.case == "accs" and parse.tag.POS in ("ADJF", "PRTF"):
            wanted.add("anim")
    elif gender == "f":
        wanted = {"femn"} | ({parse.tag.case} if parse.tag.case else set())
    else:
        return token
    form = parse.inflect(wanted)
    return _match_capitals(token, form.word) if form else token


def _is_noun(token: str) -> bool:
    return any(p.tag.POS == "NOUN" for p in _morph().parse(token.lower())[:2])


def _noun_in_number(token: str, plural: bool) -> str:
    if not plural:
        return token
    parse = next((p for p in _morph().parse(token.lower()) if p.tag.POS == "NOUN"), None)
    form = parse.inflect({"plur", parse.tag.case}) if parse and parse.tag.case else None
    return _match_capitals(token, form.word) if form else token


def _plain_adjective(token: str) -> bool:
    parse = _masculine_parse(token)
    return bool(parse and parse.tag.POS == "ADJF")


def _agreed_tokens(phrase: str, sex: str, plural: bool) -> str:
    """Agree each word; an adjective before a noun of common gender («законный представитель») follows the noun.

    A participle governs what follows it («достигшего возраста»); only a plain
    adjective agrees with the noun after it, and only such a noun changes number.
    """
    tokens = re.split(r"([А-Яа-яЁё]+)", phrase)
    original = list(tokens)
    words = list(range(1, len(tokens), 2))
    for position, i in enumerate(words):
        token = tokens[i]
        previous = original[words[position - 1]] if position else ""
        following = tokens[words[position + 1]] if position + 1 < len(words) else ""
        role = _role_noun(token, sex, plural)
        if role is not None:
            tokens[i] = role
        elif _is_noun(token) and not _masculine_parse(token):
            tokens[i] = _noun_in_number(token, plural and _plain_adjective(previous))
        elif (_plain_adjective(token) and following and _is_noun(following) and not _masculine_parse(following)
              and _role_noun(following, sex, plural) is None and not plural):
            continue  # «законный представитель» for a woman too
        else:
            tokens[i] = agreed_word(token, sex, plural)
    return "".join(tokens)


def agree_phrase(phrase: str, gender, plural: bool = False) -> str:
    """«не достигший возраста» → «не достигшая возраста» for a woman; every agreeing word of the phrase changes.

    The phrase is written as for one man; an unknown gender gives both forms
    («достигшего(ей)»), several persons the plural. An adjective before a
    noun of common gender keeps the noun's gender («законный представитель»).
    """
    sex = _gender_word(gender)
    if plural:
        return _agreed_tokens(phrase, "m", True)
    if sex == "m":
        return phrase
    feminine = _agreed_tokens(phrase, "f", False)
    if sex == "f" or feminine == phrase:
        return feminine
    return " ".join(_both(m, f) if m != f else m for m, f in zip(phrase.split(" "), feminine.split(" ")))


def _persons_gender(value) -> tuple[str | None, bool]:
    """(gender, plural) of what a template passes to ``agree``: a person, a name, a gender, a Line or a list."""
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            return None, True
        value = value[0]
    if isinstance(value, Line):
        return value.gender, False
    return _gender_of(value), False


def agree(value, phrase: str) -> str:
    """Jinja ``{{ person|agree("достигший") }}``: the phrase agreed with the person(s) in ``value``."""
    gender, plural = _persons_gender(value)
    return agree_phrase(phrase, gender, plural)


# ---------------------------------------------------------------- organisations
_ORG_CASE_KEYS = CASES


def organization_name(org: dict | str, case: str = "nominative") -> str:
    """The organisation's full name in ``case``: the head phrase declines, the quoted name stays.

    «Муниципальное бюджетное общеобразовательное учреждение «СОШ № 7»» →
    dative «Муниципальному бюджетному общеобразовательному учреждению «СОШ № 7»».
    ``[organization.cases]`` in docgen.toml (``org["cases"][case]``) overrides
    the generated form; an abbreviation («МБОУ «…»») never declines.
    """
    _check_case(case)
    if isinstance(org, str):
        org = {"name": org}
    forced = _override(org.get("cases"), case)
    if forced:
        return forced
    return inflect_position(org.get("name") or "", case)


def organization_short_or_full(org: dict, case: str) -> str:
    """The short name when there is one (it does not decline), else the full name in ``case``."""
    short = normalize_spaces(org.get("short_name") or "")
    return short or organization_name(org, case)


# ---------------------------------------------------------------- identity documents
DOCUMENT_KINDS = ("паспорт гражданина Российской Федерации", "паспорт", "свидетельство о рождении",
                  "паспорт иностранного гражданина", "вид на жительство", "удостоверение беженца",
                  "разрешение на временное проживание", "свидетельство о предоставлении временного убежища",
                  "временное удостоверение личности гражданина Российской Федерации", "военный билет",
                  "заграничный паспорт", "справка")
_ISSUED = {"masc": "выдан", "femn": "выдана", "neut": "выдано", "plur": "выданы"}


def head_noun_gender(text: str) -> str | None:
    """Gender ("masc"/"femn"/"neut"/"plur") of the first noun of a title or a document kind, quotes and brackets
    aside («Дорожная карта …» → "femn", «План мероприятий …» → "masc"); None when no word is a noun."""
    for word in re.findall(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*", text):
        parses = [p for p in _morph().parse(word.lower()) if p.tag.POS == "NOUN" and "nomn" in p.tag]
        if parses:
            tag = parses[0].tag
            return "plur" if "plur" in tag and "sing" not in tag else (tag.gender or "masc")
    return None


def document_gender(kind: str) -> str:
    """Gender ("masc"/"femn"/"neut"/"plur") of a document kind's head noun: паспорт, свидетельство, справка."""
    return head_noun_gender(normalize_spaces(kind)) or "masc"


def issued_word(kind: str) -> str:
    """«выдан» for a паспорт, «выдано» for a свидетельство, «выдана» for a справка."""
    return _ISSUED[document_gender(kind)]
