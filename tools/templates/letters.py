"""Templates of per-person documents: the consents (152-ФЗ ст. 9 and ст. 10.1) and the thank-you letter.

The legal wording of the consents lives here, in the template, so a region can
change it in Word; the plugins compute only the pieces (names in cases,
identity details or blank lines, the operator's requisites). Consents are set
in 12 pt (a form, ГОСТ allows 12–14) so that one usually fits a page; the
letter keeps 14 pt and the «угловой» letterhead: the organisation block with
date and outgoing number on the left, the addressee in the dative on the right.
"""
from __future__ import annotations

from docx.shared import Cm, Pt

from . import (CENTER, JUSTIFY, LEFT, RIGHT, cant_split, cell_text, executor_mark, new_document, no_borders, para, set_widths,
               signature)
from . import qr_code

FORM_PT = 12
CAPTION_PT = 9


def form_document():
    doc = new_document()
    doc.styles["Normal"].font.size = Pt(FORM_PT)
    return doc


def cell_paragraph(cell, text: str, align=LEFT, bold: bool = False, size: int = FORM_PT, first: bool = False):
    """A paragraph in a table cell: the cell's own first paragraph, or a new one."""
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    return paragraph


def borderless_row(doc, texts: list[str], widths_cm: list[float], aligns: list, size: int = FORM_PT):
    table = doc.add_table(rows=1, cols=len(texts))
    no_borders(table)
    for cell, text, align in zip(table.rows[0].cells, texts, aligns):
        cell_text(cell, text, align, size=size)
    set_widths(table, widths_cm)
    return table


def consent_signature(doc, person_expr: str, caption: str, spacer: bool = True) -> None:
    """«25 августа 2023 г.   ____________   А.В. Петрова» with small captions under it, kept together."""
    if spacer:
        para(doc, "", space_before=6, keep_next=True)
    table = doc.add_table(rows=2, cols=3)
    no_borders(table)
    aligns = [LEFT, CENTER, RIGHT]
    values = ["{{ date|date_long }}", "____________________", f"{{{{ {person_expr}.signature }}}}"]
    for cell, text, align in zip(table.rows[0].cells, values, aligns):
        cell_text(cell, text, align, size=FORM_PT)
        cell.paragraphs[0].paragraph_format.keep_with_next = True
    for cell, text, align in zip(table.rows[1].cells, ["(дата)", "(подпись)", caption], aligns):
        cell_text(cell, text, align, size=CAPTION_PT)
    for row in table.rows:
        cant_split(row)
    set_widths(table, [5.0, 5.5, 6.5])


def consent_title(doc, *lines: str) -> None:
    para(doc, "СОГЛАСИЕ", CENTER, bold=True, size=14)
    for line in lines:
        para(doc, line, CENTER, bold=True)
    doc.paragraphs[-1].paragraph_format.space_after = Pt(8)
    borderless_row(doc, ["{{ place }}", "{% if number %}рег. №\u00a0{{ number }}{% endif %}", "{{ date|date_long }}"],
                   [6.0, 5.0, 6.0], [LEFT, CENTER, RIGHT])


def numbered(doc, text: str):
    return para(doc, text, JUSTIFY, indent=True, space_after=2)


SUBJECT_INTRO = (
    "Я, {% if representative %}{{ representative.name }}, адрес места жительства: {{ representative.address }}, "
    "{{ representative.document }}, являясь законным представителем "
    "{% if variant != 'represented' %}{{ minor_word }} {% endif %}{{ subject.genitive }}, "
    "{{ subject.birth }} года рождения"
    "{% if variant == 'under14' %}, не достигшего возраста 14 лет{% elif variant == 'teen' %}, достигшего возраста "
    "14 лет{% endif %}, адрес места жительства: {{ subject.address }}, {{ subject.document }} (далее — Субъект), "
    "на основании: {{ representative.authority }},"
    "{% else %}{{ subject.name }}, {{ subject.birth }} года рождения, адрес места жительства: {{ subject.address }}, "
    "{{ subject.document }},{% endif %}"
)


DISSEMINATION_INTRO = (
    "Я, {% if representative %}{{ representative.name }}, являясь законным представителем "
    "{% if variant != 'represented' %}{{ minor_word }} {% endif %}{{ subject.genitive }}, {{ subject.birth }} года "
    "рождения (далее — Субъект), на основании: {{ representative.authority }}, контактная информация: "
    "{{ representative.contacts }},{% else %}{{ subject.name }}, контактная информация: {{ subject.contacts }},"
    "{% endif %}"
)


def consent():
    doc = form_document()
    consent_title(doc, "на обработку персональных данных")
    para(doc, SUBJECT_INTRO
         + " в соответствии со статьёй 9 Федерального закона от 27.07.2006 №\u00a0152-ФЗ «О персональных данных» "
           "свободно, своей волей и в {% if representative %}интересе Субъекта{% else %}своём интересе{% endif %} "
           "даю согласие оператору — {{ operator }} (далее — Оператор) на обработку "
           "{% if representative %}персональных данных Субъекта, а также моих персональных данных, указанных в "
           "настоящем согласии,{% else %}моих персональных данных{% endif %} в связи с участием "
           "{% if representative %}Субъекта {% endif %}в программе наставничества{{ role_phrase }} "
           "на следующих условиях.", JUSTIFY, indent=True, space_after=3, space_before=8)
    numbered(doc, "1. Цель обработки: {{ purpose }}.")
    numbered(doc, "2. Перечень персональных данных, на обработку которых даётся согласие: "
                  "{{ data_list|join('; ') }}.")
    numbered(doc, "3. {% if third_party %}Обработку персональных данных по поручению Оператора осуществляет: "
                  "{{ third_party }}.{% else %}Обработка персональных данных третьим лицам по поручению Оператора "
                  "не поручается.{% endif %}")
    numbered(doc, "4. Перечень действий с персональными данными: сбор, запись, систематизация, накопление, хранение, "
                  "уточнение (обновление, изменение), извлечение, использование, передача (предоставление, доступ) "
                  "в случаях, установленных законодательством Российской Федерации{% if third_party %}, и лицу, "
                  "указанному в пункте 3{% endif %}, обезличивание, блокирование, удаление, уничтожение. "
                  "Способы обработки: смешанная обработка — автоматизированная и без использования средств "
                  "автоматизации.")
    numbered(doc, "5. Срок действия: согласие действует со дня его подписания {{ validity }}.")
    last = numbered(doc, "6. Порядок отзыва: согласие может быть отозвано в любой момент письменным заявлением, "
                  "направленным Оператору по адресу: {{ revoke_address }} или переданным лично; Оператор прекращает "
                  "обработку и уничтожает персональные данные в срок, не превышающий десяти рабочих дней с даты "
                  "получения отзыва, если иное не предусмотрено федеральным законом.")
    consent_ending(doc, last)
    return doc


def consent_ending(doc, last_clause) -> None:
    """The signer's signature kept with the last clause, then the teenager's countersignature."""
    last_clause.paragraph_format.keep_with_next = True
    consent_signature(doc, "signer_person", "{% if representative %}(законный представитель){% else %}"
                                            "(расшифровка подписи){% endif %}")
    countersignature(doc)


def countersignature(doc) -> None:
    """From 14 to 18 the teenager may countersign under the parent's consent."""
    para(doc, "{%p if countersign %}")
    para(doc, "С настоящим согласием {{ acquainted }} и {{ agreed }} ({{ teen_word }}):", LEFT, space_before=10,
         keep_next=True)
    consent_signature(doc, "subject", "({{ teen_word }})", spacer=False)
    para(doc, "{%p endif %}")


def consent_dissemination():
    doc = form_document()
    consent_title(doc, "на обработку персональных данных,", "разрешённых субъектом персональных данных для распространения")
    para(doc, DISSEMINATION_INTRO
         + " руководствуясь статьёй 10.1 Федерального закона от 27.07.2006 "
           "№\u00a0152-ФЗ «О персональных данных», даю согласие оператору — {{ operator }} (далее — Оператор) "
           "на распространение (предоставление неограниченному кругу лиц) "
           "{% if representative %}персональных данных Субъекта{% else %}моих персональных данных{% endif %} "
           "в целях: {{ purpose }}.", JUSTIFY, indent=True, space_after=3, space_before=8)
    numbered(doc, "1. Информационные ресурсы Оператора, посредством которых осуществляется распространение: "
                  "{{ resources|join(', ') }}.")
    numbered(doc, "2. Категории и перечень персональных данных, разрешённых к распространению: "
                  "общие персональные данные — {{ allowed_data|join('; ') }}. Специальные категории и биометрические "
                  "персональные данные к распространению не разрешаются.")
    numbered(doc, "3. Запреты на передачу (кроме предоставления доступа) этих данных Оператором неограниченному кругу "
                  "лиц, а также запреты на обработку или условия обработки (кроме получения доступа) этих данных "
                  "неограниченным кругом лиц: {{ prohibitions }}.")
    numbered(doc, "4. Условия, при которых полученные персональные данные могут передаваться Оператором только по его "
                  "внутренней сети, обеспечивающей доступ к информации лишь для строго определённых сотрудников, "
                  "либо с использованием информационно-телекоммуникационных сетей, либо без передачи: не устанавливаю.")
    last = numbered(doc, "5. Срок действия: согласие действует со дня его подписания {{ validity }}. Согласие может быть "
                  "отозвано письменным требованием, содержащим фамилию, имя, отчество, контактную информацию и "
                  "перечень персональных данных, обработка которых подлежит прекращению; действие согласия "
                  "прекращается с момента поступления требования Оператору.")
    consent_ending(doc, last)
    return doc


def letter_head(doc) -> None:
    """Organisation block with date and outgoing number (left); the addressee in the dative (right)."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    left, right = table.rows[0].cells
    cell_paragraph(left, "{%p if org.parent %}", first=True)
    cell_paragraph(left, "{{ org.parent }}", CENTER, size=11)
    cell_paragraph(left, "{%p endif %}")
    cell_paragraph(left, "{{ org.name }}", CENTER, bold=True, size=12)
    cell_paragraph(left, "{%p if org.short_name %}")
    cell_paragraph(left, "({{ org.short_name }})", CENTER, size=12)
    cell_paragraph(left, "{%p endif %}")
    cell_paragraph(left, "{{ org.address }}", CENTER, size=10)
    cell_paragraph(left, "{%p if contacts_line %}")
    cell_paragraph(left, "{{ contacts_line }}", CENTER, size=10)
    cell_paragraph(left, "{%p endif %}")
    cell_paragraph(left, "{%p if requisites_line %}")
    cell_paragraph(left, "{{ requisites_line }}", CENTER, size=10)
    cell_paragraph(left, "{%p endif %}")
    number = cell_paragraph(left, "{{ date|date_short }} №\u00a0{{ number }}", CENTER, size=12)
    number.paragraph_format.space_before = Pt(10)
    cell_paragraph(right, "{%p for line in address %}", first=True)
    cell_paragraph(right, "{{ line }}", LEFT, size=14).paragraph_format.left_indent = Cm(1.0)
    cell_paragraph(right, "{%p endfor %}")
    set_widths(table, [8.5, 8.5])


def thank_you_letter():
    doc = new_document()
    letter_head(doc)
    qr_code(doc)
    para(doc, "БЛАГОДАРСТВЕННОЕ ПИСЬМО", CENTER, bold=True, size=16, space_before=30, space_after=18)
    para(doc, "{{ greeting }}", CENTER, bold=True, space_after=12)
    para(doc, "{%p for paragraph in body %}")
    para(doc, "{{ paragraph }}", JUSTIFY, indent=True, space_after=6)
    para(doc, "{%p endfor %}")
    signature(doc)
    executor_mark(doc)
    return doc


BUILDERS = {"consent": consent, "consent_dissemination": consent_dissemination, "thank_you_letter": thank_you_letter}
