"""Helpers of the proofreader tests: render a built-in type to DOCX without the pipeline or LibreOffice,
and find the words of a text that agree in gender or number with a person (pymorphy3 tags)."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from docgen.doctypes import RenderInfo
from docgen.pipeline import ORGANIZATION_KEYS
from docgen.rendering import find_template, render_docx
from docgen.russian import _morph
from docgen.signing.qr import qr_for
from docgen.testing import docx_text

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


def render(hooks, settings, type_id: str, data: dict, out: Path, number: str = "7-од") -> str:
    """Render one document of ``type_id`` to ``out`` exactly as the pipeline would, and return its text."""
    doc_type = hooks.registry().get(type_id)
    organization = {**dict.fromkeys(ORGANIZATION_KEYS, ""), **settings.organization}
    info = RenderInfo(number=number, date=date(2025, 9, 1), settings=settings, organization=organization,
                      signer=dict(settings.director), executor=data.get("executor"))
    context = {"org": organization, "signer": info.signer, "executor": info.executor, "number": number,
               "date": info.date, "heading": doc_type.heading(data), "data": data}
    context["qr"] = qr_for(settings.raw, doc_type.id, doc_type.kind_label, context)
    context.update(doc_type.build_context(data, info))
    template = find_template(doc_type.template, hooks.template_dirs())
    render_docx(template, context, out, hooks.jinja_filters())
    return docx_text(out)
