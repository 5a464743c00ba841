"""Templates of per-person documents: consent to personal data processing and the thank-you letter."""
from __future__ import annotations

from . import CENTER, JUSTIFY, LEFT, date_number_line, letterhead, new_document, para, signature


def consent():
    doc = new_document()
    para(doc, "СОГЛАСИЕ", CENTER, bold=True)
    para(doc, "на обработку персональных данных", CENTER, bold=True, space_after=12)
    para(doc, "{%p for paragraph in paragraphs %}")
    para(doc, "{{ paragraph }}", JUSTIFY, indent=True)
    para(doc, "{%p endfor %}")
    para(doc, "{{ date|date_long }}", LEFT, space_before=18)
    para(doc, "____________ / {{ signer_line }}", LEFT, space_before=12)
    return doc


def thank_you_letter():
    doc = new_document()
    letterhead(doc, "")
    date_number_line(doc)
    para(doc, "{%p for line in address %}")
    para(doc, "{{ line }}", LEFT)
    para(doc, "{%p endfor %}")
    para(doc, "БЛАГОДАРСТВЕННОЕ ПИСЬМО", CENTER, bold=True, size=16, space_before=18, space_after=12)
    para(doc, "{{ greeting }}", CENTER, bold=True, space_after=12)
    para(doc, "{{ body }}", JUSTIFY, indent=True)
    signature(doc)
    return doc


BUILDERS = {"consent": consent, "thank_you_letter": thank_you_letter}
