"""The wording a director would otherwise correct by pen, on new inputs of each kind (issue 14):
organisation in the case the sentence needs, identity documents, hyphenated names, text vs annex,
namesakes, typography from data, consent clauses against 152-ФЗ, letters. DOCX only (no LibreOffice)."""
from __future__ import annotations

import zipfile

import pytest

from proofreading import render

NBSP, NB_HYPHEN = "\u00a0", "\u2011"


def flat(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").replace(NB_HYPHEN, "-").split())


@pytest.fixture
def settings(docgen_workspace):
    return docgen_workspace.load_settings()


@pytest.fixture
def make(docgen_hooks, settings, tmp_path):
    def make_document(type_id: str, data: dict, raw: bool = False) -> str:
        out = tmp_path / f"{type_id}-{len(list(tmp_path.iterdir()))}.docx"
        text = render(docgen_hooks, settings, type_id, data, out)
        return text if raw else flat(text)
    return make_document


def minor_consent(**overrides) -> dict:
    data = {"date": "2025-09-01", "role": "наставляемый",
            "subject": {"name": "Мамедова Айгюн Рашид кызы", "birth_date": "2014-05-03",
                        "document": {"kind": "свидетельство о рождении", "series": "I-РЕ", "number": "731902",
                                     "issued_on": "2014-05-20", "issued_by": "Отдел ЗАГС г. Светлогорска"}},
            "representative": {"name": "Мамедов Рашид Гасан оглы", "relation": "отец",
                               "address": "г. Светлогорск, ул. Мира, д. 5",
                               "document": {"kind": "паспорт", "series": "2710", "number": "123456",
                                            "issued_on": "2010-01-12", "issued_by": "ОУФМС России"}}}
    data.update(overrides)
    return data


# --- 2. the organisation in every case --------------------------------------------------------------------------

ORGS = [
    ("Муниципальное автономное общеобразовательное учреждение \"Лицей № 2\"",
     "Муниципальному автономному общеобразовательному учреждению «Лицей № 2»",
     "Муниципального автономного общеобразовательного учреждения «Лицей № 2»"),
    ("Автономная некоммерческая организация «Центр образования «Наставник»»",
     "Автономной некоммерческой организации «Центр образования „Наставник“»",
     "Автономной некоммерческой организации «Центр образования „Наставник“»"),
    ("Гимназия имени Н.М. Карамзина", "Гимназии имени Н.М. Карамзина", "Гимназии имени Н.М. Карамзина"),
    ("Государственное бюджетное профессиональное образовательное учреждение «Колледж сервиса»",
     "Государственному бюджетному профессиональному образовательному учреждению «Колледж сервиса»",
     "Государственного бюджетного профессионального образовательного учреждения «Колледж сервиса»"),
]


@pytest.mark.parametrize("name, dative, genitive", ORGS)
def test_organisation_takes_the_case_of_each_sentence(make, settings, name, dative, genitive):
    settings.organization.update(name=name, short_name="")
    consent = make("consent", minor_consent())
    assert f"даю согласие оператору — {dative}, ИНН" in consent
    dissemination = make("consent_dissemination", minor_consent())
    assert f"даю согласие оператору — {dative}, ИНН" in dissemination
    letter = make("thank_you_letter", {"addressee": {"name": "Иванова Мария Петровна", "position": "учитель"}})
    assert f"Администрация {genitive} выражает" in letter and f"Учителю {genitive}" in letter
    reward = make("reward_order", {"rewards": [{"person": {"name": "Иванова Мария Петровна"}, "kind": "премия",
                                                 "amount": 1000}]})
    assert f"Положением об оплате труда работников {genitive}" in reward
    assert name.replace('"', "«", 1).replace('"', "»")[:20] in make("pair_order", {"pairs": [
        {"mentor": {"name": "Иванова Мария Петровна"}, "mentee": {"name": "Петров Олег Ильич"}}]})


def test_organisation_cases_from_settings_override_the_generated_ones(make, settings):
    settings.organization["cases"] = {"dative": "Школе-интернату «Надежда» (особая форма)",
                                      "genitive": "Школы-интерната «Надежда»"}
    assert "оператору — Школе-интернату «Надежда» (особая форма)" in make("consent", minor_consent())
    settings.organization["short_name"] = ""
    assert "Администрация Школы-интерната «Надежда»" in make(
        "thank_you_letter", {"addressee": {"name": "Иванова Мария Петровна"}})


def test_partner_organisation_is_declined_in_the_address_block_and_the_body(make):
    text = make("thank_you_letter", {"addressee": {"kind": "organization", "name": "Петров Пётр Петрович",
                                                   "position": "генеральный директор",
                                                   "organization": "Общество с ограниченной ответственностью «Ромашка»"}})
    assert "Генеральному директору Общества с ограниченной ответственностью «Ромашка»" in text
    assert "коллективу Общества с ограниченной ответственностью «Ромашка»" in text


# --- 1 and 3. agreement with persons and with documents ----------------------------------------------------------

@pytest.mark.parametrize("kind, verb", [
    ("свидетельство о рождении", "выдано"), ("паспорт", "выдан"), ("вид на жительство", "выдан"),
    ("паспорт иностранного гражданина", "выдан"), ("удостоверение беженца", "выдано"),
    ("разрешение на временное проживание", "выдано"),
])
def test_identity_document_verb_agrees_and_issuer_is_labelled(make, kind, verb):
    data = minor_consent()
    data["subject"]["document"]["kind"] = kind
    text = make("consent", data)
    assert f"{kind} серия I-РЕ № 731902, {verb} 20.05.2014, кем {verb}: Отдел ЗАГС г. Светлогорска" in text


@pytest.mark.parametrize("birth, gender_word", [("2014-05-03", "не достигшей"), ("2010-05-03", "достигшей")])
def test_minor_girl_and_her_father_agree_each_with_their_own_words(make, birth, gender_word):
    data = minor_consent()
    data["subject"]["birth_date"] = birth
    text = make("consent", data)
    assert "являясь законным представителем (отцом) несовершеннолетней Мамедовой Айгюн Рашид кызы" in text
    assert f"{gender_word} возраста 14 лет" in text and "достигшего" not in text
    assert "в качестве наставляемой" in text
    if birth.startswith("2010"):
        assert "С настоящим согласием ознакомлена и согласна (несовершеннолетняя)" in text


def test_acknowledgement_heading_agrees_with_one_person(make):
    text = make("reward_order", {"rewards": [{"person": {"name": "Шевчук Оксана", "gender": "ж"},
                                              "kind": "благодарность"}]})
    assert "С приказом ознакомлена:" in text


# --- 4. hyphenated foreign first names ----------------------------------------------------------------------------

def test_hyphenated_foreign_first_name_declines_in_its_last_part(make):
    text = make("reward_order", {"rewards": [{"person": {"name": "Дюбуа Жан-Поль", "gender": "м",
                                                        "position": "учитель французского языка"},
                                              "kind": "грамота"}]})
    assert "Наградить почётной грамотой учителя французского языка Дюбуа Жан-Поля." in text


# --- 5. the text agrees with the annex -----------------------------------------------------------------------------

def pair(mentor, mentees, period=None):
    data = {"mentor": {"name": mentor, "position": "учитель"}, "mentees": [{"name": m} for m in mentees]}
    if period:
        data["period"] = {"from": period[0], "to": period[1]}
    return data


def test_pairs_with_their_own_periods_are_fixed_for_the_periods_of_the_annex(make):
    text = make("pair_order", {"period": {"from": "2025-09-01", "to": "2026-05-31"}, "pairs": [
        pair("Иванова Мария Петровна", ["Петров Олег Ильич"], ("2025-09-01", "2025-12-31")),
        pair("Смирнова Ольга Ивановна", ["Котов Илья Ильич"])]})
    assert "на сроки, указанные в приложении" in text
    assert "на срок с 01.09.2025 по 31.05.2026" not in text
    assert "с 01.09.2025 по 31.12.2025" in text and "с 01.09.2025 по 31.05.2026" in text  # both in the annex


def test_one_shared_period_is_named_in_the_text(make):
    text = make("pair_order", {"pairs": [
        pair("Иванова Мария Петровна", ["Петров Олег Ильич"], ("2025-09-01", "2026-05-31")),
        pair("Смирнова Ольга Ивановна", ["Котов Илья Ильич"], ("2025-09-01", "2026-05-31"))]})
    assert "1. Закрепить наставнические пары на срок с 01.09.2025 по 31.05.2026 согласно приложению № 1" in text


@pytest.mark.parametrize("mentees, unit", [(["Петров Олег Ильич"], "наставническую пару"),
                                          (["Петров Олег Ильич", "Котов Илья Ильич"], "наставническую группу")])
def test_one_pair_or_group_takes_the_singular(make, mentees, unit):
    text = make("pair_order", {"pairs": [pair("Иванова Мария Петровна", mentees)]})
    assert f"1. Закрепить {unit} согласно приложению № 1" in text


def test_one_mentee_gets_singular_duties_agreeing_with_her(make):
    text = make("pair_order", {"pairs": [pair("Иванов Пётр Ильич", ["Котова Ирина Олеговна"])]})
    assert "совместно с наставляемой составить" in text and "оказывать ей помощь" in text


# --- 6. namesakes --------------------------------------------------------------------------------------------------

def test_namesakes_with_different_positions_get_two_lines(make):
    text = make("pair_order", {"pairs": [
        {"mentor": {"name": "Иванов Иван Иванович", "position": "учитель физики"},
         "mentee": {"name": "Иванов Иван Иванович", "position": "7 «Б» класс"}},
        {"mentor": {"name": "Иванов Иван Иванович", "position": "учитель физики"},
         "mentee": {"name": "Сидоров Пётр Ильич", "position": "7 «Б» класс"}}]})
    listing = text.split("С приказом ознакомлены:")[1].split("Приложение")[0]
    assert "Иванов Иван Иванович (учитель физики)" in listing
    assert "Иванов Иван Иванович (7 «Б» класс)" in listing
    assert listing.count("Иванов Иван Иванович") == 2  # the mentor of two pairs is one person


def test_one_person_named_with_and_without_position_is_one_line(make):
    text = make("reward_order", {"rewards": [
        {"person": {"name": "Шевчук Оксана Ивановна", "position": "учитель истории"}, "kind": "благодарность"},
        {"person": {"name": "Шевчук Оксана Ивановна"}, "kind": "грамота"}]})
    assert text.split("С приказом")[1].count("Шевчук") == 1


# --- 7. typography of values from the input and docgen.toml --------------------------------------------------------

def test_values_from_input_and_settings_are_typeset(make, settings):
    settings.organization["name"] = 'Муниципальное бюджетное общеобразовательное учреждение "Школа "Радуга""'
    settings.organization["address"] = "236000, г. Светлогорск, ул. Школьная, д. 7"
    raw = make("reward_order", {"reason": 'за проект "Наставник" до 30 июня 2026 г.', "rewards": [
        {"person": {"name": "Иванова Мария Петровна", "position": "учитель"}, "kind": "благодарность"}],
        "grounds": "представление куратора А. С. Пушкиной"}, raw=True)
    assert "«Школа „Радуга“»" in raw and '"' not in raw
    assert "за проект «Наставник» до 30\u00a0июня 2026\u00a0г." in raw and "г.." not in raw
    assert "А.С.\u00a0Пушкиной" in raw
    consent = make("consent", minor_consent(valid_until="2026-06-30"), raw=True)
    assert "г.." not in consent and "г.\u00a0Светлогорск, ул.\u00a0Школьная, д.\u00a07" in consent
    assert "152\u2011ФЗ" in consent


def test_autoescape_still_holds_after_typography(make):
    raw = make("thank_you_letter", {"addressee": {"name": "Иванова Мария Петровна"},
                                    "text": "за <b>помощь</b> & {{ поддержку }}"}, raw=True)
    assert "за <b>помощь</b> & {{ поддержку }}" in raw


# --- 8. consent texts against 152-ФЗ --------------------------------------------------------------------------------

def test_revocation_cites_the_thirty_days_of_article_21(make):
    text = make("consent", minor_consent())
    assert "в срок, не превышающий тридцати дней с даты поступления отзыва (часть 5 статьи 21" in text
    assert "десяти рабочих дней" not in text
    assert "пунктах 2–11 части 1 статьи 6, части 2 статьи 10 и части 2 статьи 11" in text


def test_dissemination_by_a_representative_keeps_every_entered_value(make):
    data = minor_consent()
    data["subject"].update(address="г. Светлогорск, ул. Мира, д. 5, кв. 1",
                           contacts={"email": "aigun@example.ru", "phone": "+7 900 111-22-33"})
    data["representative"]["contacts"] = {"phone": "+7 900 000-00-02"}
    text = make("consent_dissemination", data)
    for expected in ("Мамедов Рашид Гасан оглы, адрес места жительства: г. Светлогорск, ул. Мира, д. 5, паспорт "
                     "серия 2710 № 123456, выдан 12.01.2010, кем выдан: ОУФМС России",
                     "телефон +7 900 000-00-02", "aigun@example.ru", "+7 900 111-22-33",
                     "адрес места жительства: г. Светлогорск, ул. Мира, д. 5, кв. 1",
                     "свидетельство о рождении серия I-РЕ № 731902",
                     "полномочия законного представителя подтверждаются свидетельством о рождении Субъекта, "
                     "указанным выше", "в целях информирования о ходе"):
        assert expected in text, expected
    assert "на основании:" not in text and "в целях:" not in text


@pytest.mark.parametrize("representative, phrase", [
    ({"relation": "опекун", "authority_document": {"kind": "постановление администрации о назначении опекуна",
                                                   "number": "45", "issued_on": "2024-02-01",
                                                   "issued_by": "администрация г. Светлогорска"}},
     "являясь законным представителем (опекуном) несовершеннолетней Мамедовой Айгюн Рашид кызы"),
    ({"authority": "мать, свидетельство о рождении II-ДН № 123456"},
     "полномочия законного представителя подтверждаются свидетельством о рождении II-ДН № 123456"),
    ({}, "полномочия законного представителя подтверждаются документом: ____"),
])
def test_authority_is_a_composed_phrase_naming_the_document(make, representative, phrase):
    data = minor_consent()
    data["representative"] = {"name": "Мамедова Сева Алиевна", **representative}
    text = make("consent", data)
    assert phrase in text
    if "authority_document" in representative:
        assert ("подтверждаются постановлением администрации о назначении опекуна № 45, выдано 01.02.2024, "
                "кем выдано: администрация г. Светлогорска") in text


def test_dissemination_purpose_is_in_the_genitive_after_in_order_to(make):
    text = make("consent_dissemination", minor_consent(purpose="размещение фотографий на сайте; информирование "
                                                                "родителей"))
    assert "в целях размещения фотографий на сайте; информирования родителей." in text


# --- 9. letters ----------------------------------------------------------------------------------------------------

def test_letter_executor_mark_is_a_frame_at_the_bottom_left(make, tmp_path):
    make("thank_you_letter", {"addressee": {"name": "Иванова Мария Петровна"},
                              "executor": {"name": "Гурьева И.В.", "phone": "8 (40153) 2-11-07"}})
    [docx] = [p for p in tmp_path.iterdir() if p.name.startswith("thank_you_letter")]
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    frame = xml[xml.rindex("<w:p>", 0, xml.index("Гурьева")):xml.index("Гурьева")]
    assert 'w:yAlign="bottom"' in frame and 'w:xAlign="left"' in frame


# --- 10. what a secretary types: capitals, a pupil's word, one mentee ------------------------------------------------

CAPITAL_POSITIONS = [  # typed as in a staff list, with a capital → the accusative and the dative inside a sentence
    ("Заместитель директора по учебно-воспитательной работе", "заместителя директора по учебно-воспитательной работе",
     "заместителю директора по учебно-воспитательной работе"),
    ("Учитель начальных классов", "учителя начальных классов", "учителю начальных классов"),
    ("Педагог-психолог", "педагога-психолога", "педагогу-психологу"),
    ("Социальный педагог", "социального педагога", "социальному педагогу"),
    ("Советник директора по воспитанию", "советника директора по воспитанию", "советнику директора по воспитанию"),
]


@pytest.mark.parametrize("typed, accusative, dative", CAPITAL_POSITIONS)
def test_a_position_typed_with_a_capital_is_written_small_inside_the_sentence(make, typed, accusative, dative):
    curator = {"name": "Черных Елена Ильинична", "position": typed}
    pair_order = make("pair_order", {"curator": curator, "control": {"name": "Кравец Игорь Никитич", "position": typed},
                                     "pairs": [{"mentor": {"name": "Гуревич Анна Кузьминична", "position": typed},
                                                "mentee": {"name": "Лукашенко Артём Фёдорович"}}]})
    assert f"Назначить куратором реализации программы наставничества {accusative} Черных Елену Ильиничну." in pair_order
    assert f"возложить на {accusative} Кравца Игоря Никитича." in pair_order
    assert f"Гуревич Анна Кузьминична, {typed[0].lower()}{typed[1:]}" in pair_order  # the annex, after a comma
    reward = make("reward_order", {"rewards": [{"person": curator, "kind": "благодарность"},
                                               {"person": curator, "kind": "грамота"}]})
    assert f"Объявить благодарность {dative} Черных Елене Ильиничне." in reward
    assert f"Наградить почётной грамотой {accusative} Черных Елену Ильиничну." in reward
    letter = make("thank_you_letter", {"addressee": curator})
    assert f"{dative[0].upper()}{dative[1:]}" in letter  # the address block starts with a capital


@pytest.mark.parametrize("typed, printed", [
    ("За успешную реализацию программы наставничества.", "за успешную реализацию программы наставничества"),
    ("За помощь младшим обучающимся", "за помощь младшим обучающимся"),
    ("  В связи с завершением учебного года; ", "в связи с завершением учебного года"),
])
def test_a_reason_typed_as_a_sentence_continues_the_sentence(make, typed, printed):
    person = {"name": "Фёдоров Артём Ильич", "position": "учитель физики"}
    reward = make("reward_order", {"reason": typed, "rewards": [{"person": person, "kind": "благодарность"}]})
    assert f"Объявить благодарность учителю физики Фёдорову Артёму Ильичу {printed}." in reward
    own = make("reward_order", {"rewards": [
        {"person": person, "kind": "премия", "amount": 1000, "reason": typed},
        {"person": {"name": "Белых Дарья Олеговна", "position": "учитель химии"}, "kind": "премия", "amount": 500}]})
    assert f"Фёдорову Артёму Ильичу в размере 1 000 (одна тысяча) рублей 00 копеек {printed};" in own
    letter = make("thank_you_letter", {"addressee": person, "text": typed})
    assert f"выражает Вам искреннюю благодарность {printed}." in letter


PUPILS = [  # the pupil's word as typed, the pupil, and the accusative («наградить») / dative («объявить благодарность»)
    ("обучающийся 9 «А» класса", "Гусь Юлия Андреевна", "обучающуюся 9 «А» класса Гусь Юлию Андреевну",
     "обучающейся 9 «А» класса Гусь Юлии Андреевне", "обучающаяся 9 «А» класса"),
    ("ученик 5 «Б» класса", "Головко Анна Сергеевна", "ученицу 5 «Б» класса Головко Анну Сергеевну",
     "ученице 5 «Б» класса Головко Анне Сергеевне", "ученица 5 «Б» класса"),
    ("обучающаяся 10 «А» класса", "Цой Виктор Робертович", "обучающегося 10 «А» класса Цоя Виктора Робертовича",
     "обучающемуся 10 «А» класса Цою Виктору Робертовичу", "обучающийся 10 «А» класса"),
    ("Учащийся 11 класса", "Алиева Лейла Тофик кызы", "учащуюся 11 класса Алиеву Лейлу Тофик кызы",
     "учащейся 11 класса Алиевой Лейле Тофик кызы", "учащаяся 11 класса"),
]


@pytest.mark.parametrize("typed, name, accusative, dative, nominative", PUPILS)
def test_a_pupils_word_agrees_with_the_pupil(make, typed, name, accusative, dative, nominative):
    pupil = {"name": name, "position": typed}
    reward = make("reward_order", {"reason": "за помощь младшим", "rewards": [
        {"person": pupil, "kind": "грамота"}, {"person": pupil, "kind": "благодарность"}]})
    assert f"Наградить почётной грамотой {accusative} за помощь младшим." in reward
    assert f"Объявить благодарность {dative} за помощь младшим." in reward
    pair_order = make("pair_order", {"pairs": [{"mentor": pupil, "mentee": {"name": "Петров Олег Ильич"}}]})
    assert f"{name}, {nominative}" in pair_order  # the annex


@pytest.mark.parametrize("mentee, with_whom, pronoun", [
    ({"name": "Ерёменко Инна Викторовна"}, "с наставляемой", "ей"),
    ({"name": "Лукашенко Артём Фёдорович"}, "с наставляемым", "ему"),
    ({"name": "Смит Джон", "gender": "m"}, "с наставляемым", "ему"),
    ({"name": "Дурново Мария Никитична", "gender": "f", "position": "6 «В» класс"}, "с наставляемой", "ей"),
])
def test_one_mentee_has_one_plan(make, mentee, with_whom, pronoun):
    text = make("pair_order", {"pairs": [{"mentor": {"name": "Долгих Пётр Ильич"}, "mentee": mentee}]})
    assert (f"3.1. совместно {with_whom} составить индивидуальный план развития и представить его куратору;"
            in text.replace("2.1.", "3.1."))
    assert f"оказывать {pronoun} помощь" in text and "индивидуальные планы" not in text


def test_a_group_or_several_pairs_keep_the_plans_in_the_plural(make):
    for pairs in ([{"mentor": {"name": "Долгих Пётр Ильич"}, "mentees": [{"name": "Цой Виктор Робертович"},
                                                                        {"name": "Гусь Юлия Андреевна"}]}],
                  [{"mentor": {"name": "Долгих Пётр Ильич"}, "mentee": {"name": "Цой Виктор Робертович"}},
                   {"mentor": {"name": "Белых Дарья Олеговна"}, "mentee": {"name": "Гусь Юлия Андреевна"}}]):
        text = make("pair_order", {"pairs": pairs})
        assert "совместно с наставляемыми составить индивидуальные планы развития и представить их куратору" in text


@pytest.mark.parametrize("role, relation, phrases", [
    ("Наставляемый", "Мать", ("являясь законным представителем (матерью) несовершеннолетней",
                              "в качестве наставляемой")),
    ("Наставник", "Отец", ("являясь законным представителем (отцом) несовершеннолетней", "в качестве наставника")),
    ("наставляемый", "Опекун", ("являясь законным представителем (опекуном) несовершеннолетней",
                                "в качестве наставляемой")),
])
def test_a_consents_role_and_relation_typed_with_a_capital_read_inside_the_sentence(make, role, relation, phrases):
    data = minor_consent(role=role)
    data["representative"] = {**data["representative"], "relation": relation}
    text = make("consent", data)
    assert all(phrase in text for phrase in phrases), [p for p in phrases if p not in text]


@pytest.mark.parametrize("type_id, data", [
    ("pair_order", {"pairs": [{"mentor": {"name": "Долгих Пётр Ильич"}, "mentee": {"name": "Цой Виктор Робертович"}}]}),
    ("reward_order", {"rewards": [{"person": {"name": "Долгих Пётр Ильич"}, "kind": "благодарность"}]}),
])
@pytest.mark.parametrize("title, basis, grounds", [
    ("о закреплении наставников за обучающимися 5-х классов.", "В соответствии с Уставом школы, ПРИКАЗЫВАЮ:",
     "Основание: представление куратора от 25.05.2027."),
    ("О закреплении наставников за обучающимися 5-х классов", "В соответствии с Уставом школы,  приказываю",
     "основание: представление куратора от 25.05.2027"),
])
def test_heading_preamble_and_grounds_copied_from_an_old_order_are_printed_once(make, type_id, data, title, basis,
                                                                                 grounds):
    text = make(type_id, {**data, "title": title, "basis": basis, "grounds": grounds})
    assert "О закреплении наставников за обучающимися 5-х классов В соответствии с Уставом школы, ПРИКАЗЫВАЮ:" in text
    assert text.count("ПРИКАЗЫВАЮ") == 1 and "классов." not in text
    if type_id == "reward_order":
        assert "Основание: представление куратора от 25.05.2027 Директор" in text
        assert text.count("снование") == 1


@pytest.mark.parametrize("programme, phrase", [
    ("Программа наставничества «Шаг вперёд» на 2026–2027 учебный год.",
     "в целях реализации программы наставничества «Шаг вперёд» на 2026–2027 учебный год, ПРИКАЗЫВАЮ:"),
    ("программы наставничества МАОУ «Гимназия № 2»,", "в целях реализации программы наставничества МАОУ «Гимназия № 2», ПРИКАЗЫВАЮ:"),
    ("«Вместе»", "в целях реализации программы наставничества «Вместе», ПРИКАЗЫВАЮ:"),
])
def test_a_programme_typed_as_a_sentence_fits_the_preamble(make, programme, phrase):
    text = make("pair_order", {"programme": programme, "pairs": [
        {"mentor": {"name": "Долгих Пётр Ильич"}, "mentee": {"name": "Цой Виктор Робертович"}}]})
    assert phrase in text


@pytest.mark.parametrize("regulation, phrase", [
    ("Положение о стимулирующих выплатах работникам МАОУ «Гимназия № 2».",
     "и Положением о стимулирующих выплатах работникам МАОУ «Гимназия № 2», ПРИКАЗЫВАЮ:"),
    ("положение об оплате труда,", "и Положением об оплате труда, ПРИКАЗЫВАЮ:"),
])
def test_a_pay_regulation_typed_with_a_final_stop_fits_the_preamble(make, regulation, phrase):
    text = make("reward_order", {"pay_regulation": regulation, "rewards": [
        {"person": {"name": "Долгих Пётр Ильич"}, "kind": "премия", "amount": 1000}]})
    assert phrase in text


@pytest.mark.parametrize("purpose, printed", [
    ("Участие в программе наставничества «Шаг вперёд».", "1. Цель обработки: участие в программе наставничества "
                                                        "«Шаг вперёд». 2. Перечень"),
    ("Мониторинг реализации программы;", "1. Цель обработки: мониторинг реализации программы. 2. Перечень"),
])
def test_a_consents_purpose_typed_as_a_sentence_reads_after_the_colon(make, purpose, printed):
    assert printed in make("consent", minor_consent(purpose=purpose))


@pytest.mark.parametrize("purpose, printed", [
    ("Информирование родителей о ходе программы.", "в целях информирования родителей о ходе программы."),
    ("Размещение фотографий на сайте; Информирование родителей",
     "в целях размещения фотографий на сайте; информирования родителей."),
])
def test_a_dissemination_purpose_typed_with_capitals_reads_after_in_order_to(make, purpose, printed):
    assert printed in make("consent_dissemination", minor_consent(purpose=purpose))
