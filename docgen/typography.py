"""Russian typography for every text value that reaches a page.

One function, :func:`typography`, is applied to every ``{{ … }}`` value a
template prints (the Jinja ``finalize`` hook of docgen's environment, see
``docgen.rendering``), whatever the value's source: the input file,
``docgen.toml``, a plugin's wording. It is idempotent (applying it twice gives
the same text), so values a plugin already dressed pass through unchanged.
:func:`fix_joined_text` cleans what only appears once a value meets the
template's own text (a full stop after a value ending in «г.»).

What it does (ГОСТ Р 7.0.97 and the usual rules of Russian typesetting):

* straight quotes "…" become «…», quotes inside quotes „…“ (also for «…«…»…»);
  a straight apostrophe becomes ’;
* a doubled full stop («г..») becomes one; an ellipsis «...» stays;
* non-breaking spaces: after «№» and «§», between initials and a surname
  («А.С. Пушкина», «Пушкина А.С.»), after «г.», «ул.», «д.», «кв.» and the other
  address abbreviations, before «г.» / «года» after a year, between a day and
  its month, between digit groups («5 000») and before units («руб.», «%»),
  inside a class label («8 «А» класс»);
* non-breaking hyphens in act codes («152‑ФЗ», «Р‑145», «АЗ‑1128») and in phone
  numbers, whose spaces also stop breaking (registration numbers «53-од» keep theirs);
* a one-letter word («в», «к», «с», «о», «у», «и», «а», «я») stays with the word after it, and a dash «—» / «–»
  between words stays with the word before it, so neither starts or ends a line alone;
* runs of spaces collapse to one (a non-breaking space wins).
"""
from __future__ import annotations

import re

NBSP = "\u00a0"
NB_HYPHEN = "\u2011"

_OPEN_CONTEXT = set(" \u00a0\t\n([{«„—–-/")
_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря")
# Abbreviations that stay with the word after them.
_BEFORE_WORD = ("г", "гор", "ул", "д", "кв", "корп", "стр", "пер", "пр", "просп", "пл", "наб", "ш", "пос", "п",
                "пгт", "с", "дер", "мкр", "р-н", "обл", "им", "тел", "каб", "рег", "исх", "вх", "ст", "ч", "пп",
                "рис", "табл", "т", "гл", "разд")
# Abbreviations and units that stay with the number before them.
_AFTER_NUMBER = ("г", "гг", "года", "году", "годов", "руб", "рублей", "рубля", "рубль", "коп", "копеек", "копейки",
                 "тыс", "млн", "млрд", "чел", "%", "лет", "года", "кл", "класс", "класса", "ч", "мин", "мм", "см",
                 "км", "кг")
_WORD_ABBREVIATION = re.compile(
    r"(?<![А-ЯЁа-яёA-Za-z])(" + "|".join(re.escape(a) for a in sorted(_BEFORE_WORD, key=len, reverse=True))
    + r")\.[ \t]+(?=[«\"„(+А-ЯЁа-яё0-9])")
_NUMBER_UNIT = re.compile(
    r"(\d)[ \t]+(" + "|".join(re.escape(a) for a in sorted(set(_AFTER_NUMBER), key=len, reverse=True))
    + r")(?![А-ЯЁа-яё])")
_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})[ \t]+(" + "|".join(_MONTHS) + r")\b")
_DIGIT_GROUPS = re.compile(r"(?<![\d.,])(\d{1,3})(?:[ \t\u202f](\d{3}))+(?![\d])")
_SIGN = re.compile(r"(№|§)[ \t]*(?=\S)")
_INITIALS_SPACED = re.compile(r"(?<![А-ЯЁа-яё])([А-ЯЁ])\.[ \t]+([А-ЯЁ])\.(?=[ \t\u00a0]*[А-ЯЁ][а-яё])")
_INITIALS_BEFORE = re.compile(r"(?<![А-ЯЁа-яё.])((?:[А-ЯЁ]\.){1,2})[ \t]+(?=[А-ЯЁ][а-яё]+)")
_INITIALS_AFTER = re.compile(r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)[ \t]+(?=[А-ЯЁ]\.(?:[А-ЯЁ]\.)?(?![А-ЯЁа-яё]))")
# Act codes: «152-ФЗ», «131-КЗ», «Р-145», «АЗ-1128/08/657» (registration numbers «53-од» keep their hyphen).
_CODE_HYPHEN = re.compile(r"(?<![\w-])(\d+)-(?=[А-ЯЁ]{1,4}(?![\w-]))|(?<![\w-])([А-ЯЁ]{1,4})-(?=\d)")
_PHONE = re.compile(r"(?<![\w+])(?:\+7|8)[ \t\-\u00a0]*\(?\d{3,5}\)?[ \t\-\u00a0]*\d{1,3}(?:[ \t\-\u00a0]*\d{2,4}){1,3}(?!\d)")
_CLASS_LABEL = re.compile(r"(?<!\d)(\d{1,2})[ \t]*(«[А-ЯЁа-яё]»|\"[А-ЯЁа-яё]\"|[А-ЯЁ])[ \t]+(?=класс)")
_ONE_LETTER_WORD = re.compile(r"(?<![\w./\\)\-‑«„\"'])([ВКСОУИАЯвксоуиая])[ \t]+(?=[\w«„(\"])")
_DASH_BETWEEN_WORDS = re.compile(r"(?<=\S)[ \t]+([—–])(?=[ \t ])")
_DOUBLED_STOP = re.compile(r"(?<![.])\.\.(?![.])")
_SPACES = re.compile(r" *\u00a0[ \u00a0]*| {2,}")


def typography(text: str) -> str:
    """Typeset one text value (see the module docstring); idempotent."""
    if not text:
        return text
    text = _quotes(str(text))
    text = text.replace("'", "\u2019")
    text = _DOUBLED_STOP.sub(".", text)
    text = _PHONE.sub(_unbreakable_phone, text)
    text = _CODE_HYPHEN.sub(lambda m: (m.group(1) or m.group(2)) + NB_HYPHEN, text)
    text = _SIGN.sub(r"\1" + NBSP, text)
    text = _INITIALS_SPACED.sub(r"\1.\2.", text)
    text = _INITIALS_BEFORE.sub(r"\1" + NBSP, text)
    text = _INITIALS_AFTER.sub(r"\1" + NBSP, text)
    text = _WORD_ABBREVIATION.sub(r"\1." + NBSP, text)
    text = _DAY_MONTH.sub(r"\1" + NBSP + r"\2", text)
    text = _DIGIT_GROUPS.sub(lambda m: m.group(0).replace(" ", NBSP).replace("\t", NBSP).replace("\u202f", NBSP),
                             text)
    text = _NUMBER_UNIT.sub(r"\1" + NBSP + r"\2", text)
    text = _CLASS_LABEL.sub(lambda m: m.group(1) + NBSP + m.group(2) + NBSP, text)
    text = _ONE_LETTER_WORD.sub(r"\1" + NBSP, text)
    text = _DASH_BETWEEN_WORDS.sub(NBSP + r"\1", text)
    return _SPACES.sub(lambda m: NBSP if NBSP in m.group(0) else " ", text)


def fix_joined_text(text: str) -> str:
    """What only shows once values meet the template's text: «… 2026 г.» + «.» → «… 2026 г.»."""
    return _DOUBLED_STOP.sub(".", text)


def _unbreakable_phone(match: re.Match) -> str:
    return re.sub(r"[ \t]+", NBSP, match.group(0)).replace("-", NB_HYPHEN)


def _quotes(text: str) -> str:
    """Straight double quotes to «» and „“ by nesting depth; inner «» become „“ too.

    An opening quote follows a space, an opening bracket, a dash or the start;
    anything else closes. Unbalanced text keeps its «» as typed.
    """
    if '"' not in text and "«" not in text and "“" not in text:
        return text
    out, depth = [], 0
    for i, char in enumerate(text):
        before = text[i - 1] if i else " "
        if char in '"“”':
            opening = before in _OPEN_CONTEXT if char == '"' else char == "“" and before in _OPEN_CONTEXT
            if char == "”":
                opening = False
            if opening or depth == 0:
                out.append("«" if depth == 0 else "„")
                depth += 1
            else:
                out.append("»" if depth == 1 else "“")
                depth -= 1
        elif char in "«„":
            out.append("«" if depth == 0 else "„")
            depth += 1
        elif char == "»" and depth:
            out.append("»" if depth == 1 else "“")
            depth -= 1
        else:
            out.append(char)
    if depth:  # unbalanced: convert straight quotes only, keep the typed guillemets
        return _straight_only(text)
    return "".join(out)


def _straight_only(text: str) -> str:
    out, opened = [], False
    for i, char in enumerate(text):
        if char == '"':
            before = text[i - 1] if i else " "
            opening = not opened and before in _OPEN_CONTEXT
            out.append("«" if opening else "»")
            opened = opening
        else:
            out.append(char)
    return "".join(out)
