"""Thank-you letters: outgoing numbers, dative address blocks, greetings by gender, one page each, a print pack."""
from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from helpers import drop, load_example
from docgen.doctypes import RenderInfo
from docgen.testing import docx_text, pdf_pages, pdf_text


def plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u2011", "-").split())


@pytest.fixture
def letter_context(docgen_hooks, docgen_workspace):
    """Build a letter's context the way the pipeline does, without rendering."""
    settings = docgen_workspace.load_settings()
    letter_type = docgen_hooks.registry().get("thank_you_letter")

    def build(data: dict) -> dict:
        data = {"type": "thank_you_letter", **data}
        info = RenderInfo(number="01-12/1", date=date(2024, 5, 31), settings=settings,
                          organization=settings.organization, signer=settings.director, executor=None)
        return letter_type.build_context(data, info)

    return build


@pytest.fixture
def letter_check(docgen_hooks):
    return docgen_hooks.registry().get("thank_you_letter").check


@pytest.mark.libreoffice
def test_four_letters_four_numbers_four_greetings_one_pack(docgen_workspace, docgen_pipeline):
    outcome = docgen_pipeline.process(drop(docgen_workspace, "Благодарности.json", load_example("thank_you_letter.json")))
    assert outcome.ok, outcome.message
    numbers = [d["number"] for d in outcome.documents]
    assert numbers == ["01-12/1", "01-12/2", "01-12/3", "01-12/4"]
    texts = [plain(docx_text(d["docx"])) for d in outcome.documents]
    greetings = ["Уважаемая Мария Петровна!", "Уважаемый Дмитрий Викторович!",
                 "Уважаемые Магомед Расулович и Патимат Гаджиевна!", "Уважаемый Пётр Петрович!"]
    addresses = [["Учителю математики МБОУ «СОШ № 7 им. А.С. Пушкина»", "Ивановой Марии Петровне"],
                 ["Учителю физики МБОУ «СОШ № 7 им. А.С. Пушкина»", "Ковальчуку Дмитрию Викторовичу"],
                 ["Магомедову Магомеду Расуловичу", "Магомедовой Патимат Гаджиевне"],
                 ["Директору ООО «Рога & Копыта»", "П.П. Петрову"]]
    for text, number, greeting, address in zip(texts, numbers, greetings, addresses):
        assert "БЛАГОДАРСТВЕННОЕ ПИСЬМО" in text
        assert f"31.05.2024 № {number}" in text
        assert greeting in text
        for line in address:
            assert line in text, line
        assert "ИНН 3900000007" in text and "Директор" in text and "З.А. Сафарова" in text
        assert "{{" not in text and "{%" not in text
    assert "выражает Вам искреннюю благодарность за высокий профессионализм" in texts[0]
    assert "Ваш сын Магомедов Али Магомедович, обучающийся 9 «А» класса, — пример" in texts[2]
    assert "за воспитание сына" in texts[2] and "Спасибо Вам за его воспитание!" not in texts[2]  # said once
    assert "выражает Вам и коллективу ООО «Рога & Копыта» искреннюю благодарность" in texts[3]
    assert "&amp;" not in texts[3]
    pdfs = [Path(d["pdf"]) for d in outcome.documents]
    assert [pdf_pages(p) for p in pdfs] == [1, 1, 1, 1]
    assert "ООО «Рога & Копыта»" in plain(pdf_text(pdfs[3]))
    assert outcome.pack is not None
    pack = Path(outcome.pack)
    assert pdf_pages(pack) == sum(pdf_pages(p) for p in pdfs)
    pack_text = plain(pdf_text(pack))
    positions = [pack_text.index(f"31.05.2024 № {n}") for n in numbers]
    assert positions == sorted(positions)
    names = [Path(d["docx"]).name for d in outcome.documents]
    assert names == sorted(names)
    assert names[0] == "2024-05-31 Благодарственное письмо № 01-12-1.docx"
    assert names[3] == "2024-05-31 Благодарственное письмо № 01-12-4 ООО «Рога & Копыта».docx"
    assert {e.heading for e in docgen_pipeline.register.entries()} == {"Благодарственное письмо"}


@pytest.mark.libreoffice
def test_a_long_letter_still_fits_one_page(docgen_workspace, docgen_pipeline):
    letter = copy.deepcopy(load_example("thank_you_letter.json")[3])
    letter["text"] = ("за многолетнее сотрудничество, организацию профессиональных проб, экскурсий на производство, "
                      "мастер-классов и стажировок для обучающихся 8–11 классов, за участие специалистов компании "
                      "в программе наставничества «Работодатель – ученик» в качестве наставников, "
                      "за помощь в оснащении кабинета робототехники и поддержку проектной деятельности школьников")
    letter["executor"] = {"name": "Гурьева Ирина Владимировна", "phone": "+7 (40153) 0-00-08"}
    outcome = docgen_pipeline.process(drop(docgen_workspace, "long.json", letter))
    assert outcome.ok, outcome.message
    assert pdf_pages(outcome.documents[0]["pdf"]) == 1
    assert "Гурьева Ирина Владимировна" in pdf_text(outcome.documents[0]["pdf"])


def test_one_parent_and_a_daughter(letter_context):
    context = letter_context({"addressee": {"kind": "parents", "names": [{"name": "Магомедова Патимат Гаджиевна"}],
                                            "child": {"name": "Магомедова Заира Магомедовна", "position": "7 «Б» класс"}},
                              "text": "за воспитание дочери"})
    assert context["greeting"] == "Уважаемая Патимат Гаджиевна!"
    assert context["address"] == ["Магомедовой Патимат Гаджиевне"]
    assert "Ваша дочь Магомедова Заира Магомедовна, обучающаяся 7 «Б» класса," in context["body"][1]
    assert "Спасибо Вам за" not in " ".join(context["body"])  # the letter's own reason already thanks for it
    assert "воспитание" not in " ".join(context["body"][1:])


def test_parents_letter_without_its_own_reason_thanks_for_the_upbringing_once(letter_context):
    context = letter_context({"addressee": {"kind": "parents", "names": [{"name": "Алиев Мамед Гасан оглы"}],
                                            "child": {"name": "Алиев Али Мамедович", "position": "9 «А» класс"}}})
    body = " ".join(context["body"])
    assert body.count("Спасибо Вам за его воспитание!") == 1 and body.count("благодарность") == 1
    assert "обучающийся 9 «А» класса" in body


def test_organization_without_a_head_is_greeted_as_colleagues(letter_context):
    context = letter_context({"addressee": {"kind": "organization", "organization": "АО «Янтарь»"},
                              "text": "за поддержку программы"})
    assert context["greeting"] == "Уважаемые коллеги!"
    assert [plain(line) for line in context["address"]] == ["Руководителю АО «Янтарь»"]


def test_body_replaces_the_built_text_paragraph_by_paragraph(letter_context):
    context = letter_context({"addressee": {"name": "Шевчук Ольга Ивановна", "position": "учитель истории",
                                            "organization": "МАОУ «Гимназия № 1»"},
                              "body": "Первый абзац.\n\nВторой абзац."})
    assert context["body"] == ["Первый абзац.", "Второй абзац."]
    assert [plain(line) for line in context["address"]] == ["Учителю истории МАОУ «Гимназия № 1»", "Шевчук Ольге Ивановне"]
    assert "МАОУ\u00a0«Гимназия №\u00a01»" in context["address"][0]  # never broken across lines
    assert context["greeting"] == "Уважаемая Ольга Ивановна!"


def test_explicit_gender_wins_and_unknown_gender_is_asked_for(letter_context, letter_check):
    data = {"addressee": {"name": "Ким Саша", "gender": "ж"}, "text": "за помощь"}
    assert letter_context(data)["greeting"] == "Уважаемая Саша!"
    problems = letter_check({"addressee": {"name": "Ким Саша"}, "text": "за помощь"})
    assert [(path, "пол" in message) for path, message in problems] == [(("addressee", "gender"), True)]


@pytest.mark.parametrize("addressee, greeting", [
    ({"kind": "organization", "organization": "ООО «Балтийские технологии»", "name": "Мюллер Анна", "gender": "f",
      "position": "генеральный директор"}, "Уважаемая Анна Мюллер!"),
    ({"name": "Смит Джон", "gender": "m", "position": "учитель английского языка"}, "Уважаемый Джон Смит!"),
    ({"kind": "parents", "names": [{"name": "Смит Джон", "gender": "m"}, {"name": "Смит Мэри", "gender": "f"}]},
     "Уважаемые Джон Смит и Мэри Смит!"),
    ({"kind": "parents", "names": [{"name": "Ли Мин", "gender": "f"}]}, "Уважаемая Мин Ли!"),
    ({"name": "Ким Саша", "gender": "f", "position": "7 «Б» класс"}, "Уважаемая Саша!"),  # a pupil: by first name
    ({"name": "Гусейнов Рамиз Гусейн оглы", "position": "учитель"}, "Уважаемый Рамиз Гусейн оглы!"),
])
def test_an_adult_without_a_patronymic_is_greeted_by_first_name_and_surname(letter_context, addressee, greeting):
    assert letter_context({"addressee": addressee, "text": "за помощь"})["greeting"] == greeting


@pytest.mark.parametrize("data, path, words", [
    ({"addressee": {"kind": "parents"}, "text": "за всё"}, ("addressee", "names"), "родителей"),
    ({"addressee": {"kind": "organization", "name": "Петров Пётр Петрович"}, "text": "за всё"},
     ("addressee", "organization"), "название"),
])
def test_incomplete_letters_are_refused_with_the_place_named(letter_check, data, path, words):
    problems = letter_check(data)
    assert [p for p, _ in problems] == [path]
    assert words in problems[0][1]


def test_without_a_reason_the_letter_thanks_for_the_programme(letter_context):
    person = letter_context({"addressee": {"name": "Иванова Мария Петровна"}})
    parents = letter_context({"addressee": {"kind": "parents", "names": [{"name": "Магомедов Магомед Расулович"}]}})
    assert person["body"][0].endswith("выражает Вам искреннюю благодарность за участие в программе наставничества.")
    assert parents["body"][0].endswith("благодарность за поддержку программы наставничества.")
    assert parents["greeting"] == "Уважаемый Магомед Расулович!"


def test_an_incomplete_letter_fails_the_whole_file_in_russian(docgen_workspace, docgen_pipeline):
    batch = load_example("thank_you_letter.json")
    batch[3]["addressee"].pop("organization")
    outcome = docgen_pipeline.process(drop(docgen_workspace, "bad.json", batch))
    assert not outcome.ok
    assert "Документ 4" in outcome.message and "название" in outcome.message
    assert docgen_pipeline.register.entries() == []
    assert not list(docgen_workspace.outbox.iterdir())
