"""The proofreader: no template on the search path prints a literal word that agrees with a person.

Every participle, short adjective, past verb or noun of role that refers to a
person must go through the agreement filter (``{{ person|agree("достигший") }}``),
so it follows the person's gender and number. This test reads the literal text
of every template docgen would find (built-in and the region example) and fails
on such a word written out in one gender; it also checks that the detector
catches a word planted into a copy of a template.
"""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from docgen.proofreading import literal_slips, paragraphs
from helpers import ROOT

TEMPLATE_DIRS = [ROOT / "doc_templates",
                 ROOT / "examples" / "docgen-region-example" / "docgen_region_example" / "doc_templates"]
TEMPLATES = sorted(p for folder in TEMPLATE_DIRS for p in folder.glob("*.docx"))
def test_every_template_on_the_search_path_is_read():
    names = {p.name for p in TEMPLATES}
    assert {"consent.docx", "consent_dissemination.docx", "pair_order.docx", "reward_order.docx",
            "thank_you_letter.docx", "roadmap.docx", "mentoring_report.docx"} <= names


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_no_literal_word_agrees_with_a_person(template):
    slips = literal_slips(template.read_bytes())
    assert not slips, (f"{template.name}: words agreeing with a person must go through "
                       f"{{{{ person|agree(\"…\") }}}}:\n" + "\n".join(slips))


def plant(docx: bytes, text: str) -> bytes:
    """A copy of the template with ``text`` added to its first paragraph that has text."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb"(<w:t(?: [^>]*)?>)([^<{]+)(</w:t>)",
                              lambda m: m.group(1) + m.group(2) + text.encode() + m.group(3), data, count=1)
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("planted", [" ознакомлен", " не достигшего возраста", " проживающая", " назначена",
                                     " законный представитель", " обучающийся", " прибыл", " ознакомлены",
                                     " Уважаемая"])
def test_the_proofreader_catches_a_planted_word(planted):
    docx = (ROOT / "doc_templates" / "thank_you_letter.docx").read_bytes()
    assert not literal_slips(docx)
    assert literal_slips(plant(docx, planted)), planted


@pytest.mark.parametrize("innocent", [" в срок, не превышающий тридцати дней", " Директор", " ПРИКАЗЫВАЮ:",
                                      " персональных данных", " Наставник (ФИО, должность)"])
def test_the_proofreader_passes_words_agreeing_with_things(innocent):
    docx = (ROOT / "doc_templates" / "thank_you_letter.docx").read_bytes()
    assert not literal_slips(plant(docx, innocent)), innocent


def test_the_agreement_filter_is_what_templates_use():
    consent = "\n".join(paragraphs((ROOT / "doc_templates" / "consent.docx").read_bytes()))
    assert "subject|agree('не достигшего')" in consent and "subject|agree('ознакомлен')" in consent
    order = "\n".join(paragraphs((ROOT / "doc_templates" / "pair_order.docx").read_bytes()))
    assert "acquainted|agree('ознакомлен')" in order
