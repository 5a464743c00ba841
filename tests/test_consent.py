"""Consents to personal data processing: every element of 152-ФЗ ст. 9 ч. 4, the minor's variants, the
dissemination form (ст. 10.1), and passport numbers kept out of everything docgen writes but the consent."""
from __future__ import annotations

import copy
import re
import logging
import stat
from pathlib import Path

import pytest

from helpers import drop, load_example, run_docgen
from docgen.testing import docx_text, pdf_text


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u2011", "-").split())


def process(pipeline, workspace, name, payload):
    return pipeline.process(drop(workspace, name, payload))


def minor(birth_date: str, name: str = "Петров Иван Сергеевич") -> dict:
    consent = copy.deepcopy(load_example("consent.json")[1])
    consent["subject"]["birth_date"] = birth_date
    consent["subject"]["name"] = name
    return consent


def test_two_person_batch_holds_every_element_of_article_9(docgen_workspace, docgen_docx_pipeline):
    outcome = process(docgen_docx_pipeline, docgen_workspace, "Согласия 5А.json", load_example("consent.json"))
    assert outcome.ok, outcome.message
    adult, child = (plain(docx_text(d["docx"])) for d in outcome.documents)
    assert [d["number"] for d in outcome.documents] == ["1-ПД", "2-ПД"]
    assert [Path(d["docx"]).name for d in outcome.documents] == [
        "2023-08-25 Согласие № 1-ПД.docx", "2023-08-25 Согласие № 2-ПД.docx"]
    operator = ("оператору — Муниципальному бюджетному общеобразовательному учреждению «Средняя общеобразовательная "
                "школа № 7 имени А.С. Пушкина» (МБОУ «СОШ № 7 им. А.С. Пушкина»)", "ИНН 3900000007", "ОГРН 1023900000007",
                "236000, Калининградская область, г. Светлогорск, ул. Школьная, д. 7")
    common = (
        "СОГЛАСИЕ", "на обработку персональных данных", "статьёй 9 Федерального закона от 27.07.2006 № 152-ФЗ",
        *operator,
        "Цель обработки: участие в программе наставничества Оператора; персонифицированный учёт наставников и "
        "наставляемых; мониторинг реализации программы наставничества",
        "Перечень персональных данных", "фамилия, имя, отчество", "данные документа, удостоверяющего личность",
        "Перечень действий с персональными данными: сбор, запись", "уничтожение",
        "смешанная обработка — автоматизированная и без использования средств автоматизации",
        "Срок действия: согласие действует со дня его подписания",
        "Порядок отзыва: согласие может быть отозвано", "письменным заявлением",
        "25 августа 2023 г.", "(подпись)",
    )
    for expected in common:
        assert expected in adult, expected
        assert expected in child, expected
    for expected in ("Я, Иванова Мария Петровна, 02.11.1985 года рождения",
                     "адрес места жительства: 236000, Калининградская обл., г. Светлогорск, ул. Мира, д. 5, кв. 12",
                     "паспорт серия 2709 № 615243, выдан 10.12.2009, кем выдан: ОУФМС России по Калининградской обл.",
                     "моих персональных данных", "в качестве наставника",
                     "по поручению Оператора осуществляет: ГАУ КО «Институт развития образования», адрес: 236016, "
                     "г. Калининград, ул. Томская, д. 63", "М.П. Иванова", "(расшифровка подписи)"):
        assert expected in adult, expected
    for expected in ("Я, Петрова Анна Викторовна", "паспорт серия 2711 № ____",
                     "являясь законным представителем (матерью) несовершеннолетнего Петрова Ивана Сергеевича, "
                     "14.03.2012 года рождения, не достигшего возраста 14 лет",
                     "свидетельство о рождении серия I-РЕ № 731902, выдано 01.04.2012, кем выдано: Отдел ЗАГС",
                     "полномочия законного представителя подтверждаются свидетельством о рождении ребёнка I-РЕ № 731902",
                     "персональных данных Субъекта, а также моих персональных данных",
                     "третьим лицам по поручению Оператора не поручается",
                     "в качестве наставляемого", "А.В. Петрова", "(законный представитель)"):
        assert expected in child, expected
    assert "несовершеннолетний)" not in child  # no countersignature under 14
    headings = {e.heading for e in docgen_docx_pipeline.register.entries()}
    assert headings == {"Согласие на обработку персональных данных"}


def test_consent_files_are_readable_by_the_owner_only(docgen_workspace, docgen_docx_pipeline):
    outcome = process(docgen_docx_pipeline, docgen_workspace, "c.json", load_example("consent.json")[:1])
    mode = stat.S_IMODE(Path(outcome.documents[0]["docx"]).stat().st_mode)
    assert mode == 0o600


def test_teenager_countersigns_and_grammar_follows_gender(docgen_workspace, docgen_docx_pipeline):
    teen = minor("2008-01-20", "Петрова Ольга Сергеевна")
    outcome = process(docgen_docx_pipeline, docgen_workspace, "teen.json", teen)
    assert outcome.ok, outcome.message
    text = plain(docx_text(outcome.documents[0]["docx"]))
    assert "законным представителем (матерью) несовершеннолетней Петровой Ольги Сергеевны" in text
    assert "достигшей возраста 14 лет" in text and "не достигш" not in text and "достигшего" not in text
    assert "С настоящим согласием ознакомлена и согласна (несовершеннолетняя)" in text
    assert "О.С. Петрова" in text and "А.В. Петрова" in text


def test_missing_identity_details_become_blank_lines(docgen_workspace, docgen_docx_pipeline):
    consent = {"type": "consent", "date": "2023-09-01", "subject": {"name": "Сидоров Олег Игоревич"}}
    outcome = process(docgen_docx_pipeline, docgen_workspace, "blank.json", consent)
    assert outcome.ok, outcome.message
    text = plain(docx_text(outcome.documents[0]["docx"]))
    assert re.search(r"Я, Сидоров Олег Игоревич, _{8,} года рождения, адрес места жительства: _{20,},", text)
    assert "документ ____________ (вид) серия ________ № ____________, выдан ________ (дата), кем выдан: ____" in text


def test_a_minor_without_representative_is_refused_in_russian(docgen_workspace, docgen_pipeline):
    consent = minor("2012-03-14")
    del consent["representative"]
    outcome = process(docgen_pipeline, docgen_workspace, "minor.json", consent)
    assert not outcome.ok
    assert "нет 18 лет" in outcome.message and "representative" in outcome.message
    assert docgen_pipeline.register.entries() == []
    assert not list(docgen_workspace.outbox.iterdir())


def test_seventeen_on_the_document_date_still_needs_a_representative(docgen_workspace, docgen_docx_pipeline):
    consent = minor("2005-08-26")  # turns 18 the day after the consent date 2023-08-25
    del consent["representative"]
    assert not process(docgen_docx_pipeline, docgen_workspace, "a.json", consent).ok
    consent["subject"]["birth_date"] = "2005-08-25"  # 18 on the day
    consent["date"] = "2023-08-25"
    assert process(docgen_docx_pipeline, docgen_workspace, "b.json", consent).ok


def test_dissemination_consent_is_its_own_form(docgen_workspace, docgen_docx_pipeline):
    payload = [
        {"type": "consent_dissemination", "date": "2023-08-25", "role": "наставник",
         "subject": {"name": "Иванова Мария Петровна",
                     "contacts": {"phone": "+7 900 000-00-01", "email": "ivanova@example.ru"}},
         "allowed_data": ["фамилия, имя, отчество", "должность", "фотография"],
         "prohibitions": "не разрешаю передачу данных третьим лицам", "valid_until": "2024-08-31"},
        {"type": "Согласие на распространение", "date": "2023-08-25",
         "subject": {"name": "Петров Иван Сергеевич", "birth_date": "2012-03-14"},
         "representative": {"name": "Петрова Анна Викторовна", "authority": "мать",
                            "contacts": {"phone": "+7 900 000-00-02"}}},
    ]
    outcome = process(docgen_docx_pipeline, docgen_workspace, "pub.json", payload)
    assert outcome.ok, outcome.message
    adult, child = (plain(docx_text(d["docx"])) for d in outcome.documents)
    for expected in ("разрешённых субъектом персональных данных для распространения", "статьёй 10.1",
                     "контактная информация: телефон +7 900 000-00-01, электронная почта ivanova@example.ru",
                     "ИНН 3900000007", "ОГРН 1023900000007", "https://school7.example.ru",
                     "общие персональные данные — фамилия, имя, отчество; должность; фотография",
                     "неограниченным кругом лиц: не разрешаю передачу данных третьим лицам",
                     "действует со дня его подписания до 31 августа 2024 г.", "М.П. Иванова"):
        assert expected in adult, expected
    for expected in ("являясь законным представителем (матерью) несовершеннолетнего Петрова Ивана Сергеевича",
                     "полномочия законного представителя подтверждаются свидетельством о рождении Субъекта",
                     "телефон +7 900 000-00-02, электронная почта ____",
                     "в целях информирования о ходе и результатах программы наставничества",
                     "неограниченным кругом лиц: не устанавливаю", "А.В. Петрова"):
        assert expected in child, expected
    assert Path(outcome.documents[0]["docx"]).name == "2023-08-25 Согласие на распространение № 1-ПД.docx"


# --- personal data never leaves the consent --------------------------------------------------------------

PLANTED_SERIES, PLANTED_NUMBER = "4516", "805317"


def planted_batch() -> list[dict]:
    batch = load_example("consent.json")
    batch[0]["subject"]["document"].update(series=PLANTED_SERIES, number=PLANTED_NUMBER)
    batch[1]["representative"]["document"].update(number=PLANTED_NUMBER, issued_by=f"ТП № {PLANTED_NUMBER}")
    batch[1]["representative"]["authority"] = f"мать, свидетельство {PLANTED_NUMBER}"
    return batch


def planted_invalid_batch() -> list[dict]:
    """Every identity field wrong in a way a message could quote, plus a minor without a representative."""
    batch = planted_batch()
    batch[0]["subject"]["document"]["issued_on"] = PLANTED_NUMBER  # not a date: the message must not quote it
    batch[0]["subject"]["birth_date"] = f"{PLANTED_NUMBER}-01-01"
    batch[0]["subject"]["address"] = int(PLANTED_NUMBER)  # wrong type
    batch[0]["subject"]["document"]["number"] = int(PLANTED_NUMBER)
    batch[0]["subject"]["contacts"] = {"phone": int(PLANTED_NUMBER)}
    del batch[1]["representative"]
    batch[1]["subject"]["document"]["number"] = PLANTED_NUMBER
    return batch


def written_text(path: Path) -> str:
    """What a file says: DOCX and PDF through their text, everything else as raw bytes (SQLite, logs, reports)."""
    if path.suffix == ".docx":
        return docx_text(path)
    if path.suffix == ".pdf":
        return pdf_text(path)
    return path.read_bytes().decode("utf-8", errors="replace")


def leaks(workspace, allowed: set[Path]) -> list[str]:
    found = []
    for path in sorted(workspace.root.rglob("*")):
        relative = str(path.relative_to(workspace.root))
        if PLANTED_NUMBER in relative:
            found.append(f"name: {relative}")
        if path.is_file() and path not in allowed and PLANTED_NUMBER in written_text(path):
            found.append(f"content: {relative}")
    return found


def run_cli(workspace, *args: str) -> str:
    """The ``docgen`` command in its own process, as the secretary runs it (it writes .docgen/docgen.log)."""
    result = run_docgen(*args, workspace=workspace, timeout=120)
    return result.stdout + result.stderr


@pytest.mark.libreoffice  # the PDFs and the print pack are scanned too
def test_planted_passport_number_stays_inside_the_consents(docgen_workspace, docgen_pipeline, caplog):
    caplog.set_level(logging.DEBUG)
    good = process(docgen_pipeline, docgen_workspace, "согласия.json", planted_batch())
    bad = process(docgen_pipeline, docgen_workspace, "ошибки.json", planted_invalid_batch())
    assert good.ok, good.message
    assert not bad.ok
    assert "скрыто: персональные данные" in bad.message and "нет 18 лет" in bad.message
    # the inputs are the secretary's own files; the consents are where the number belongs
    inputs = {docgen_workspace.processed / "согласия.json", docgen_workspace.failed / "ошибки.json"}
    consents = {Path(p) for d in good.documents for p in (d["docx"], d["pdf"]) if p}
    if good.pack:
        consents.add(Path(good.pack))
    assert all(PLANTED_NUMBER in written_text(p) for p in inputs | consents if p.suffix in (".docx", ".json"))
    assert leaks(docgen_workspace, inputs | consents) == []
    assert (docgen_workspace.failed / "ошибки.json — ОШИБКИ.txt").exists()  # the report was scanned
    assert docgen_workspace.register.exists()  # and the register
    assert PLANTED_NUMBER not in caplog.text
    cli_output = run_cli(docgen_workspace, "-v", "validate", str(docgen_workspace.failed / "ошибки.json"))
    cli_output += run_cli(docgen_workspace, "-v", "process", str(drop(docgen_workspace, "ещё.json", planted_invalid_batch()[:1])))
    assert "скрыто: персональные данные" in cli_output and PLANTED_NUMBER not in cli_output
    assert (docgen_workspace.state / "docgen.log").exists()
    inputs.add(docgen_workspace.failed / "ещё.json")
    assert leaks(docgen_workspace, inputs | consents) == []  # again, now with the command's log
    assert PLANTED_NUMBER not in bad.message and PLANTED_NUMBER not in good.message
    for entry in docgen_pipeline.register.entries():
        assert PLANTED_NUMBER not in repr(entry)
    for path in consents:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_planted_number_in_a_bad_spreadsheet_is_not_quoted(docgen_workspace, docgen_pipeline, caplog):
    caplog.set_level(logging.DEBUG)
    path = docgen_workspace.inbox / "consent.csv"
    path.write_text("ФИО;Дата рождения;Серия;Номер;Дата выдачи;Адрес\n"
                    f"Петров Иван Сергеевич;{PLANTED_NUMBER};{PLANTED_SERIES};{PLANTED_NUMBER};{PLANTED_NUMBER};"
                    f"ул. {PLANTED_NUMBER}\n", encoding="utf-8")
    outcome = docgen_pipeline.process(path)
    assert not outcome.ok and "скрыто: персональные данные" in outcome.message
    assert PLANTED_NUMBER not in outcome.message and PLANTED_NUMBER not in caplog.text
    assert leaks(docgen_workspace, {docgen_workspace.failed / "consent.csv"}) == []
