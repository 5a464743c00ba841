"""The proofreader: words of a template's literal text that agree with a person yet are written in one gender.

A participle, short adjective, past verb or noun of role that refers to a
person must go through the agreement filter (``{{ person|agree("достигший") }}``)
so it follows the person's gender and number; ``literal_slips`` finds such a
word written out in a template (pymorphy3 tags), sparing words that agree with
a thing named beside them. Used by ``docgen templates check`` and the tests.
"""
from __future__ import annotations

import io
import re
import zipfile

from .russian import _morph

# Lemmas of words that agree with the person they describe (beyond short forms, past verbs and active
# participles, which the detector catches by their tags).
PERSON_LEMMAS = {"несовершеннолетний", "законный", "уважаемый", "наставляемый", "обучающийся", "учащийся",
                 "ученик", "ученица", "гражданин", "гражданка", "студент", "студентка", "воспитанник",
                 "воспитанница", "участник", "участница", "дорогой"}
# Words that agree with a thing named right beside them, never with a person: word → that noun.
THING_AGREEMENT = {
    "превышающий": "срок",  # «в срок, не превышающий тридцати дней» (152-ФЗ ст. 21 ч. 5)
    "обеспечивающей": "сети",  # «по его внутренней сети, обеспечивающей доступ …» (152-ФЗ ст. 10.1)
    "содержащему": "требованию",  # «по требованию, содержащему фамилию …»
    "направленным": "заявлением", "переданным": "заявлением",  # «письменным заявлением, направленным …»
    "указанным": "свидетельством",  # «свидетельством о рождении Субъекта, указанным выше»
    "удостоверяющего": "документа",  # «данные документа, удостоверяющего личность»
    "выдан": "паспорт", "выдано": "свидетельство", "выдана": "справка",  # document requisites
}


# Generic phrases that name no particular person of the document (removed before the check).
GENERIC_PHRASES = ("его законным представителем",)  # «отозвано Субъектом или его законным представителем»


def person_agreeing(word: str) -> set[str]:
    """The grammemes («masc», «femn», «plur») in which ``word`` can agree with a person; empty when it cannot.

    Singular: short forms, past verbs, active participles and the words of
    PERSON_LEMMAS. Plural: short forms and past verbs only («ознакомлены»,
    «прибыли»); a plural full form is generic («следующих», «наставляемых»).
    """
    found = set()
    parses = _morph().parse(word.lower())
    if parses and parses[0].tag.POS == "NOUN" and parses[0].normal_form not in PERSON_LEMMAS:
        return found  # «пример» is a noun first, never a short adjective
    for parse in parses:
        tag = parse.tag
        short_or_past = tag.POS in ("PRTS", "ADJS") or (tag.POS == "VERB" and "past" in tag)
        singular_only = (tag.POS == "PRTF" and "actv" in tag) or parse.normal_form in PERSON_LEMMAS
        if "plur" in tag:
            if short_or_past:
                found.add("plur")
        elif (short_or_past or singular_only) and tag.gender in ("masc", "femn"):
            found.add(tag.gender)
    return found


def words(text: str) -> list[str]:
    return re.findall(r"[А-Яа-яЁё]+", text)


JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def paragraphs(docx: bytes) -> list[str]:
    """The text of each paragraph of every part a template renders (body, headers, footers)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = [n for n in archive.namelist() if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n)]
        xml = "".join(archive.read(n).decode("utf-8") for n in parts)
    found = []
    for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, re.DOTALL):
        found.append("".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", paragraph)))
    return found


def slipped_words(text: str) -> tuple[list[str], str]:
    """The words of one paragraph's literal text (outside Jinja tags) that agree with a person, and that text.

    A word agreeing with the thing named beside it («в срок, не превышающий …») is spared.
    """
    literal = JINJA.sub(" ", text)
    for phrase in GENERIC_PHRASES:
        literal = literal.replace(phrase, " ")
    slips = []
    for word in words(literal):
        if not person_agreeing(word):
            continue
        noun = THING_AGREEMENT.get(word.lower())
        if noun and noun in literal:
            continue
        slips.append(word)
    return slips, literal.strip()


def literal_slips(docx: bytes) -> list[str]:
    """Words outside Jinja tags that agree with a person, unless they agree with the thing beside them."""
    slips = []
    for text in paragraphs(docx):
        found, literal = slipped_words(text)
        slips += [f"«{word}» in «{literal[:90]}»" for word in found]
    return slips
