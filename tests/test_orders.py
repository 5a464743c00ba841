"""The two orders as the director reads them: case forms, points, annex, acknowledgement list, layout.

Most tests render the DOCX only (``docgen_docx_pipeline``: PDFs switched off,
LibreOffice never started); those marked ``libreoffice`` check
the PDF as well: page numbers from page 2, a 300-pair annex.
"""
from __future__ import annotations

import copy
import re
import zipfile

import pytest
from pypdf import PdfReader

from helpers import drop, load_example
from docgen.pipeline import Pipeline
from docgen.testing import disable_conversion, docx_text, pdf_text

NBSP = "\u00a0"


def issue(workspace, pipeline, payload, name="order.json") -> dict:
    outcome = pipeline.process(drop(workspace, name, payload))
    assert outcome.ok, outcome.message
    [document] = outcome.documents
    return document


def flat(text: str) -> str:
    """Text with NBSP and line breaks folded to single spaces, for phrase checks."""
    return " ".join(text.replace(NBSP, " ").replace("\u2011", "-").split())


def document_xml(docx_path) -> str:
    with zipfile.ZipFile(docx_path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def person(name, position, **extra):
    return {"name": name, "position": position, **extra}


def realistic_pair_order() -> dict:
    return {
        "type": "pair_order", "date": "2023-08-31",
        "programme": "Программа наставничества МБОУ «СОШ № 7 им. А.С. Пушкина»",
        "period": {"from": "2023-09-01", "to": "2024-05-31"},
        "curator": person("Гурьева Ирина Владимировна", "заместитель директора по ВР"),
        "control": person("Римский-Корсаков Николай Андреевич", "заместитель директора по УВР"),
        "pairs": [
            {"form": "Учитель – учитель",
             "mentor": person("Шевчук Ольга Ивановна", "учитель истории", gender="f"),
             "mentees": [person("Бондаренко Кирилл Сергеевич", "учитель истории"),
                         person("Мамедова Айгюн Рафик кызы", "учитель обществознания")]},
            {"form": "Ученик – ученик",
             "mentor": person("Алиев Рашид Гусейн оглы", "10 «А» класс"),
             "mentee": person("Бондаренко Анна Сергеевна", "7 «Б» класс")},
            {"form": "Педагог – педагог",
             "mentor": person("Гурьева Ирина Владимировна", "заместитель директора по ВР"),
             "mentee": person("Магомедов Магомед Расулович", "педагог-психолог")},
        ],
    }


# --- pair order ---------------------------------------------------------------------------------------

def test_pair_order_declines_names_and_positions(docgen_workspace, docgen_docx_pipeline):
    document = issue(docgen_workspace, docgen_docx_pipeline, realistic_pair_order())
    text = flat(docx_text(document["docx"]))
    assert ("Назначить куратором реализации программы наставничества заместителя директора по ВР "
            "Гурьеву Ирину Владимировну.") in text
    assert ("Контроль за исполнением настоящего приказа возложить на заместителя директора по УВР "
            "Римского-Корсакова Николая Андреевича.") in text
    assert "Куратору Гурьевой И.В.:" in text
    assert "оставляю за собой" not in text
    # the annex keeps every name in the nominative, as typed
    for typed in ("Шевчук Ольга Ивановна, учитель истории", "Бондаренко Кирилл Сергеевич, учитель истории",
                  "Мамедова Айгюн Рафик кызы, учитель обществознания", "Алиев Рашид Гусейн оглы, 10 «А» класс",
                  "Бондаренко Анна Сергеевна, 7 «Б» класс", "Магомедов Магомед Расулович, педагог-психолог"):
        assert typed in text, typed


def test_pair_order_has_every_requisite(docgen_workspace, docgen_docx_pipeline):
    document = issue(docgen_workspace, docgen_docx_pipeline, realistic_pair_order())
    raw = docx_text(document["docx"])
    text = flat(raw)
    for expected in ("Управление образования администрации города Светлогорска",
                     "(МБОУ «СОШ № 7 им. А.С. Пушкина»)", "ПРИКАЗ", "31.08.2023", "г. Светлогорск",
                     "О закреплении наставнических пар (групп)", "ПРИКАЗЫВАЮ:",
                     "от 25.12.2019 № Р-145", "Положением о наставничестве в МБОУ «СОШ № 7 им. А.С. Пушкина»",
                     "в целях реализации программы наставничества МБОУ «СОШ № 7 им. А.С. Пушкина»,",
                     "1. Закрепить наставнические пары и группы на срок с 01.09.2023 по 31.05.2024 "
                     "согласно приложению № 1 к настоящему приказу.",
                     "3. Наставникам:", "3.1. совместно с наставляемыми", "4. Куратору"):
        assert expected in text, expected
    assert f"№{NBSP}1-од" in raw
    assert f"З.А.{NBSP}Сафарова" in raw
    assert re.search(r"Директор\t_{6,}\tЗ\.А\.\u00a0Сафарова", raw)
    # teachers mentor teachers: the teacher-mentoring recommendations are cited too
    assert "№ АЗ-1128/08/657" in text


def test_pair_order_annex_mark_and_reference(docgen_workspace, docgen_docx_pipeline):
    document = issue(docgen_workspace, docgen_docx_pipeline, realistic_pair_order())
    raw = docx_text(document["docx"])
    assert f"Приложение №{NBSP}1\nк приказу от 31.08.2023 №{NBSP}1-од\n" in raw
    assert "согласно приложению № 1 к настоящему приказу" in flat(raw)


def test_pair_order_lists_each_person_once(docgen_workspace, docgen_docx_pipeline):
    document = issue(docgen_workspace, docgen_docx_pipeline, realistic_pair_order())
    text = flat(docx_text(document["docx"]))
    listing = text.split("С приказом ознакомлены:")[1].split("Приложение")[0]
    expected = ["Гурьева И.В.", "Римский-Корсаков Н.А.", "Шевчук О.И.", "Бондаренко К.С.", "Мамедова А.Р.",
                "Алиев Р.Г.", "Бондаренко А.С.", "Магомедов М.Р."]
    found = re.findall(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)? [А-ЯЁ]\.(?:[А-ЯЁ]\.)?", listing)
    assert found == expected  # the curator who also mentors appears once; the director not at all
    assert "Сафарова" not in listing


def test_pair_order_namesakes_are_told_apart_by_full_name(docgen_workspace, docgen_docx_pipeline):
    data = realistic_pair_order()
    data["pairs"][1]["mentee"] = person("Шевчук Оксана Игоревна", "7 «Б» класс")
    text = flat(docx_text(issue(docgen_workspace, docgen_docx_pipeline, data)["docx"]))
    listing = text.split("С приказом ознакомлены:")[1]
    assert "Шевчук Ольга Ивановна" in listing and "Шевчук Оксана Игоревна" in listing
    assert "Шевчук О.И." not in listing


def test_pair_order_groups_merge_mentor_cells(docgen_workspace, docgen_docx_pipeline):
    document = issue(docgen_workspace, docgen_docx_pipeline, realistic_pair_order())
    xml = document_xml(document["docx"])
    annex = xml[xml.index("Приложение"):]
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", annex, flags=re.S)
    assert len(rows) == 1 + 4  # header + one row per mentee (2 + 1 + 1)
    assert "<w:tblHeader" in rows[0]
    second = rows[2]  # the group's second mentee: its number, mentor, form and period continue the merge
    assert second.count('w:vMerge w:val="continue"') == 4
    assert "Мамедова Айгюн Рафик кызы" in second and "Шевчук Ольга" not in second
    assert rows[1].count('w:vMerge w:val="restart"') == 4
    assert "{%" not in xml and "{{" not in xml


def test_pair_order_signer_keeps_control_by_default(docgen_workspace, docgen_docx_pipeline):
    data = realistic_pair_order()
    del data["control"]
    del data["curator"]
    data["pairs"] = data["pairs"][:1]
    text = flat(docx_text(issue(docgen_workspace, docgen_docx_pipeline, data)["docx"]))
    assert "3. Контроль за исполнением настоящего приказа оставляю за собой." in text
    assert "Наставнику Шевчук О.И.:" in text  # one mentor: dative, a woman's Шевчук unchanged
    assert "Назначить куратором" not in text and "Куратору" not in text
    assert "Закрепить наставническую группу" in text and "Закрепить наставнические группы" not in text  # one group


def test_control_given_to_the_director_reads_as_kept(docgen_workspace, docgen_docx_pipeline):
    data = realistic_pair_order()
    data["control"] = person("Сафарова  Зарина Алиевна", "директор")
    text = flat(docx_text(issue(docgen_workspace, docgen_docx_pipeline, data)["docx"]))
    assert "Контроль за исполнением настоящего приказа оставляю за собой." in text
    assert "Сафарова" not in text.split("С приказом ознакомлены:")[1]


@pytest.mark.parametrize("director", [person("Сафарова Зарина Алиевна", "директор"),
                                      person("Сафарова  Зарина  Алиевна", "Директор")])
def test_a_director_who_is_also_the_curator_keeps_the_curators_functions(
        docgen_workspace, docgen_docx_pipeline, director):
    """The signer named as curator: no «назначить куратором» of oneself, no duties and report addressed to oneself."""
    data = realistic_pair_order()
    data["curator"] = director
    text = flat(docx_text(issue(docgen_workspace, docgen_docx_pipeline, data)["docx"]))
    body = text.split("С приказом ознакомлены:")[0]
    assert "2. Функции куратора реализации программы наставничества оставляю за собой." in body
    assert "Назначить куратором" not in body and "Куратору" not in body
    assert "Сафаров" not in body.split("ПРИКАЗЫВАЮ:")[1].rsplit("Директор", 1)[0]
    assert "Сафарова" not in text.split("С приказом ознакомлены:")[1]
    numbers = re.findall(r"(?:^|\s)(\d)\. [А-Я]", body.split("ПРИКАЗЫВАЮ:")[1])
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]


def test_case_overrides_and_explicit_gender_win(docgen_workspace, docgen_docx_pipeline):
    data = realistic_pair_order()
    data["curator"] = person("Шевчук Саша", "педагог-организатор", gender="m")
    data["control"] = person("Оганесян Ашот Гарегинович", "заместитель директора по АХЧ",
                             cases={"accusative": "Оганесяна Ашота Гарегиновича (по доверенности)"})
    text = flat(docx_text(issue(docgen_workspace, docgen_docx_pipeline, data)["docx"]))
    assert "Назначить куратором реализации программы наставничества педагога-организатора Шевчука Сашу." in text
    assert "возложить на заместителя директора по АХЧ Оганесяна Ашота Гарегиновича (по доверенности)." in text


def test_name_of_unknown_gender_is_refused_before_a_number_is_drawn(docgen_workspace, docgen_docx_pipeline):
    data = realistic_pair_order()
    data["curator"] = person("Ли Ен", "педагог-психолог")
    outcome = docgen_docx_pipeline.process(drop(docgen_workspace, "unknown.json", data))
    assert not outcome.ok
    assert "«Ли Ен»" in outcome.message and "укажите пол" in outcome.message
    assert docgen_docx_pipeline.register.entries() == []
    data["curator"]["gender"] = "ж"
    document = issue(docgen_workspace, docgen_docx_pipeline, data, "fixed.json")
    assert "педагога-психолога Ли Ен." in flat(docx_text(document["docx"]))


def test_column_widths_are_written_to_the_table_grid(docgen_workspace, docgen_docx_pipeline):
    xml = document_xml(issue(docgen_workspace, docgen_docx_pipeline, realistic_pair_order())["docx"])
    annex = xml[xml.index("Приложение"):]
    grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', annex)]
    assert len(grid) == 5 and grid[0] < 700 and grid[1] > 2500  # № narrow, names wide (twips)
    assert abs(sum(grid) - 9638) < 10  # 17 cm: the text width


def test_executor_mark_is_a_bottom_left_frame_only_when_given(docgen_workspace, docgen_docx_pipeline):
    data = realistic_pair_order()
    without = document_xml(issue(docgen_workspace, docgen_docx_pipeline, data, "a.json")["docx"])
    assert "framePr" not in without
    data["executor"] = {"name": "Гурьева Ирина Владимировна", "phone": "+7 (40153) 0-00-17"}
    with_mark = document_xml(issue(docgen_workspace, docgen_docx_pipeline, data, "b.json")["docx"])
    frame = re.search(r"<w:p>(?:(?!</w:p>).)*w:framePr(?:(?!</w:p>).)*</w:p>", with_mark, flags=re.S).group()
    assert 'w:yAlign="bottom"' in frame and 'w:xAlign="left"' in frame
    assert "+7\u00a0(40153)\u00a00\u201100\u201117" in frame and 'w:val="20"' in frame  # 10 pt


# --- reward order -------------------------------------------------------------------------------------

def test_reward_order_groups_points_by_kind_with_right_cases(docgen_workspace, docgen_docx_pipeline):
    document = issue(docgen_workspace, docgen_docx_pipeline, load_example("reward_order.json"))
    text = flat(docx_text(document["docx"]))
    reason = "за успешную реализацию программы наставничества в 2023–2024 учебном году"
    for expected in (
        "1. Объявить благодарность:",
        f"1.1. учителю математики Ивановой Марии Петровне {reason};",
        f"1.2. учителю музыки Римскому-Корсакову Николаю Андреевичу {reason};",
        "1.3. обучающемуся 10 «А» класса Смирнову Артёму Дмитриевичу за активное участие",
        f"2. Наградить почётной грамотой {reason}:",
        "2.1. преподавателя-организатора ОБЗР Ковальчука Дмитрия Викторовича;",
        "2.2. учителя физической культуры Магомедова Магомеда Расуловича.",
        f"3. Выплатить премию {reason}:",
        "3.1. учителю истории Шевчук Ольге Ивановне в размере 5 000 (пять тысяч) рублей 00 копеек;",
        "3.2. педагогу дополнительного образования Бондаренко Кириллу Сергеевичу в размере "
        "3 500 (три тысячи пятьсот) рублей 50 копеек.",
        "4. Бухгалтерии произвести начисление и выплату премий, указанных в пункте 3 настоящего приказа",
        "5. Контроль за исполнением настоящего приказа оставляю за собой.",
        "Основание: представление куратора программы наставничества Гурьевой И.В. от 27.05.2024",
        "О поощрении участников наставнической деятельности",
    ):
        assert expected in text, expected
    assert text.index("Объявить благодарность") < text.index("Наградить") < text.index("Выплатить премию")


def test_reward_order_basis_cites_pay_regulation_only_for_bonuses(docgen_workspace, docgen_docx_pipeline):
    data = load_example("reward_order.json")
    text = flat(docx_text(issue(docgen_workspace, docgen_docx_pipeline, data, "a.json")["docx"]))
    assert ("В соответствии с Положением о наставничестве в МБОУ «СОШ № 7 им. А.С. Пушкина» и Положением "
            "об оплате труда работников МБОУ «СОШ № 7 им. А.С. Пушкина»,") in text
    no_bonus = copy.deepcopy(data)
    no_bonus["rewards"] = [r for r in data["rewards"] if r["kind"] != "премия"]
    text = flat(docx_text(issue(docgen_workspace, docgen_docx_pipeline, no_bonus, "b.json")["docx"]))
    assert "оплате труда" not in text and "Бухгалтерии" not in text and "Выплатить" not in text
    own = copy.deepcopy(data)
    own["pay_regulation"] = "Положение о стимулирующих выплатах работникам школы"
    text = flat(docx_text(issue(docgen_workspace, docgen_docx_pipeline, own, "c.json")["docx"]))
    assert "и Положением о стимулирующих выплатах работникам школы," in text


def test_reward_order_single_person_points_and_control(docgen_workspace, docgen_docx_pipeline):
    data = {"type": "reward_order", "date": "2024-05-31", "reason": "за наставничество",
            "control": person("Гурьева Ирина Владимировна", "заместитель директора по ВР"),
            "rewards": [
                {"person": person("Шевчук Ольга Ивановна", "учитель истории", gender="f"), "kind": "грамота"},
                {"person": person("Черных Пётр Ильич", "учитель химии"), "kind": "bonus", "amount": 12500,
                 "reason": "за подготовку молодого специалиста"}]}
    raw = docx_text(issue(docgen_workspace, docgen_docx_pipeline, data)["docx"])
    text = flat(raw)
    assert "1. Наградить почётной грамотой учителя истории Шевчук Ольгу Ивановну за наставничество." in text
    assert ("2. Выплатить премию учителю химии Черных Петру Ильичу в размере 12 500 (двенадцать тысяч пятьсот) "
            "рублей 00 копеек за подготовку молодого специалиста.") in text
    assert "3. Бухгалтерии произвести начисление и выплату премии, указанной в пункте 2 настоящего приказа" in text
    assert ("4. Контроль за исполнением настоящего приказа возложить на заместителя директора по ВР "
            "Гурьеву Ирину Владимировну.") in text
    assert f"12{NBSP}500" in raw
    listing = text.split("С приказом ознакомлены:")[1]
    assert re.findall(r"[А-ЯЁ][а-яё]+ [А-ЯЁ]\.[А-ЯЁ]\.", listing) == ["Шевчук О.И.", "Черных П.И.", "Гурьева И.В."]


def test_reward_order_lists_a_person_rewarded_twice_once(docgen_workspace, docgen_docx_pipeline):
    data = load_example("reward_order.json")
    data["rewards"].append({"person": person("Иванова  Мария Петровна", "учитель математики"),
                            "kind": "премия", "amount": 1000})
    text = flat(docx_text(issue(docgen_workspace, docgen_docx_pipeline, data)["docx"]))
    listing = text.split("С приказом ознакомлены:")[1]
    assert listing.count("Иванова М.П.") == 1
    assert "учителю математики Ивановой Марии Петровне в размере 1 000 (одна тысяча) рублей 00 копеек." in text


def test_reward_order_bonus_without_amount_is_refused(docgen_workspace, docgen_docx_pipeline):
    data = load_example("reward_order.json")
    del data["rewards"][5]["amount"]
    outcome = docgen_docx_pipeline.process(drop(docgen_workspace, "r.json", data))
    assert not outcome.ok and "для премии укажите сумму" in outcome.message
    assert docgen_docx_pipeline.register.entries() == []


def test_reward_order_series_is_configurable(docgen_workspace):
    config = docgen_workspace.root / "docgen.toml"
    text = config.read_text(encoding="utf-8")
    assert re.search(r'(?m)^reward_order = "orders"$', text)
    config.write_text(re.sub(r'(?m)^reward_order = "orders"$', 'reward_order = "personnel"', text), encoding="utf-8")
    disable_conversion(docgen_workspace)
    pipeline = Pipeline(docgen_workspace)
    try:
        document = issue(docgen_workspace, pipeline, load_example("reward_order.json"))
    finally:
        pipeline.close()
    assert document["number"] == "1-лс"
    assert f"№{NBSP}1-лс" in docx_text(document["docx"])


# --- PDF ----------------------------------------------------------------------------------------------

SURNAMES = [("Иванов", "Иванова"), ("Шевчук", "Шевчук"), ("Бондаренко", "Бондаренко"), ("Петров", "Петрова"),
            ("Римский-Корсаков", "Римская-Корсакова"), ("Магомедов", "Магомедова"), ("Черных", "Черных"),
            ("Кузнецов", "Кузнецова"), ("Оганесян", "Оганесян"), ("Смирнов", "Смирнова")]
FIRST = [("Сергей", "Мария"), ("Артём", "Алёна"), ("Рашид", "Айгюн"), ("Кирилл", "Дарья"), ("Николай", "Ольга")]
PATRONYMIC = [("Олегович", "Олеговна"), ("Андреевич", "Андреевна"), ("Расулович", "Расуловна")]


def invented_person(i: int, position: str) -> dict:
    g = i % 2
    name = f"{SURNAMES[i % 10][g]} {FIRST[(i // 10) % 5][g]} {PATRONYMIC[(i // 50) % 3][g]}"
    return person(name, position)


def big_pair_order(pairs: int) -> dict:
    data = realistic_pair_order()
    data["pairs"] = [
        {"form": "Ученик – ученик", "mentor": invented_person(2 * i, "10 «А» класс"),
         "mentee": person(f"Наставляемый{i:03d} Иван Петрович", "7 «Б» класс")}
        for i in range(pairs)
    ]
    return data


@pytest.mark.libreoffice
@pytest.mark.slow
def test_300_pairs_render_with_repeated_header_and_page_numbers(docgen_workspace, docgen_pipeline):
    document = issue(docgen_workspace, docgen_pipeline, big_pair_order(300))
    xml = document_xml(document["docx"])
    annex = xml[xml.index("Приложение"):]
    parts = [re.findall(r"<w:tr[ >].*?</w:tr>", table, flags=re.S)
             for table in re.findall(r"<w:tbl>.*?</w:tbl>", annex, flags=re.S)]
    assert len(parts) == 1  # an annex of 300 rows stays one table (docgen.longtables cuts only very long ones)
    assert all("<w:tblHeader" in rows[0] for rows in parts)  # each with the header
    rows = [row for rows in parts for row in rows if "<w:tblHeader" not in row]
    assert len(rows) == 300 and all(f"Наставляемый{i:03d} Иван Петрович" in rows[i] for i in range(300))

    pages = [page.extract_text() or "" for page in PdfReader(document["pdf"]).pages]
    assert len(pages) > 10
    assert not pages[0].lstrip().startswith("1")
    for number, page in enumerate(pages[1:], start=2):
        assert page.lstrip().split("\n")[0].strip() == str(number), (number, page[:40])
    annex_pages = [p for p in pages if "Иван Петрович" in p]  # the acknowledgement list has initials
    assert len(annex_pages) > 3 and all("Наставник (ФИО, должность)" in flat(p) for p in annex_pages)  # header repeated
    text = flat("\n".join(pages))
    assert "Наставляемый000 Иван Петрович" in text and "Наставляемый299 Иван Петрович" in text


@pytest.mark.libreoffice
def test_both_orders_make_clean_pdfs(docgen_workspace, docgen_pipeline):
    pair = issue(docgen_workspace, docgen_pipeline, load_example("pair_order.json"), "p.json")
    reward = issue(docgen_workspace, docgen_pipeline, load_example("reward_order.json"), "r.json")
    assert [pair["number"], reward["number"]] == ["1-од", "1-од"]  # 2023 and 2024: each year restarts
    pair_text, reward_text = flat(pdf_text(pair["pdf"])), flat(pdf_text(reward["pdf"]))
    for text in (pair_text, reward_text):
        assert "{{" not in text and "{%" not in text
        assert "Директор ____________ З.А. Сафарова" in text
    assert "заместителя директора по ВР Гурьеву Ирину Владимировну" in pair_text
    assert "Приложение № 1 к приказу от 31.08.2023 № 1-од" in pair_text
    assert "5 000 (пять тысяч) рублей 00 копеек" in reward_text
    for path in (pair["pdf"], reward["pdf"]):  # the signature never stands alone on a page
        [signed] = [flat(p.extract_text()) for p in PdfReader(path).pages if "Сафарова" in p.extract_text()]
        assert "Контроль за исполнением" in signed


# --- what a secretary types: names in capitals, capitals mid-sentence, a pupil's word -------------------------------

def typed_as_in_a_spreadsheet() -> dict:
    """A reward order as an exported staff list gives it: names in capitals or small letters, positions and
    reasons with a capital, a girl's class typed «обучающийся»."""
    return {"type": "reward_order", "date": "2026-12-28",
            "reason": "За успешную реализацию программы наставничества в первом полугодии.",
            "rewards": [
                {"person": person("ЧЕРНЫХ ЕЛЕНА ИЛЬИНИЧНА", "Заместитель директора по учебно-воспитательной работе"),
                 "kind": "благодарность"},
                {"person": person("гуревич анна кузьминична", "Учитель начальных классов"), "kind": "грамота"},
                {"person": person("ГУСЬ ЮЛИЯ АНДРЕЕВНА", "обучающийся 9 «А» класса"), "kind": "грамота",
                 "reason": "За помощь младшим"},
                {"person": person("АЛИЕВ РАШИД ГУСЕЙН ОГЛЫ", "Педагог-психолог"), "kind": "премия", "amount": 2501.75},
            ]}


TYPED_POINTS = (
    "1. Объявить благодарность заместителю директора по учебно-воспитательной работе Черных Елене Ильиничне "
    "за успешную реализацию программы наставничества в первом полугодии.",
    "2.1. учителя начальных классов Гуревич Анну Кузьминичну за успешную реализацию программы наставничества в "
    "первом полугодии;",
    "2.2. обучающуюся 9 «А» класса Гусь Юлию Андреевну за помощь младшим.",
    "3. Выплатить премию педагогу-психологу Алиеву Рашиду Гусейн оглы в размере 2 501 (две тысячи пятьсот один) "
    "рубль 75 копеек за успешную реализацию программы наставничества в первом полугодии.",
)


def test_names_positions_and_reasons_typed_anyhow_print_as_a_director_writes_them(docgen_workspace,
                                                                                 docgen_docx_pipeline):
    text = flat(docx_text(issue(docgen_workspace, docgen_docx_pipeline, typed_as_in_a_spreadsheet())["docx"]))
    for point in TYPED_POINTS:
        assert point in text, point
    listing = text.split("С приказом ознакомлены:")[1]
    assert all(short in listing for short in ("Черных Е.И.", "Гуревич А.К.", "Гусь Ю.А.", "Алиев Р.Г."))
    assert not re.search(r"[А-ЯЁ]{3,} [А-ЯЁ]{3,}", text.replace("ПРИКАЗЫВАЮ", ""))  # no name left in capitals


@pytest.mark.parametrize("mentor, mentee, annex, listing", [
    (person("ДОЛГИХ ПЁТР ИЛЬИЧ", "Учитель истории"), person("ерёменко инна викторовна", "Учитель истории"),
     ("Долгих Пётр Ильич, учитель истории", "Ерёменко Инна Викторовна, учитель истории"),
     ("Долгих П.И.", "Ерёменко И.В.")),
    (person("белых дарья олеговна", "обучающийся 9 «Б» класса"), person("ЧЕРНЫХ ИВАН ПЕТРОВИЧ", "5 «А» класс"),
     ("Белых Дарья Олеговна, обучающаяся 9 «Б» класса", "Черных Иван Петрович, 5 «А» класс"),
     ("Белых Д.О.", "Черных И.П.")),
])
def test_pair_order_annex_and_list_show_names_and_positions_as_written(docgen_workspace, docgen_docx_pipeline,
                                                                       mentor, mentee, annex, listing):
    data = {"type": "pair_order", "date": "2026-10-01", "pairs": [{"form": "Учитель – учитель", "mentor": mentor,
                                                                   "mentee": mentee}]}
    text = flat(docx_text(issue(docgen_workspace, docgen_docx_pipeline, data)["docx"]))
    table = text.split("Список наставнических пар")[1]
    assert all(row in table for row in annex)
    assert all(line in text.split("С приказом ознакомлены:")[1] for line in listing)
    assert f"Наставнику {listing[0].split()[0]}" in text  # the surname, in the dative, with its capitals


@pytest.mark.libreoffice
def test_typed_anyhow_reads_right_in_the_pdf(docgen_workspace, docgen_pipeline):
    document = issue(docgen_workspace, docgen_pipeline, typed_as_in_a_spreadsheet())
    text = flat(pdf_text(document["pdf"]).replace("-\n", "-"))  # «учебно-» at a line's end
    for point in TYPED_POINTS:
        assert point in text, point
    assert "ЧЕРНЫХ" not in text and "гуревич" not in text and " За " not in text
