"""The proofreader on a corpus: every built-in type (but the roadmap) rendered to DOCX for ≥ 200 generated people.

People come from tests/data/names_corpus.tsv and names_foreign.tsv (Russian,
«ё», double and indeclinable surnames, foreign, hyphenated, -оглы/-кызы, no
patronymic), both genders, minors of each age with a representative of the
other gender. On the text of each DOCX: every word that agrees with a person
agrees with the person it is about, and no raw value leaks (straight quotes,
doubled full stops, English identifiers, template tags). DOCX only: fast.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from docgen.russian import CASES, detect_gender, inflect_name
from docgen.proofreading import THING_AGREEMENT, person_agreeing, words
from proofreading import render

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
GENDER_TAG = {"m": "masc", "f": "femn"}
POSITIONS = ("учитель математики", '7 "Б" класс', "педагог-психолог", "10 «А» класс", "старший воспитатель")
# Words that keep one form whoever they describe (official usage).
COMMON_GENDER = {"законный", "законным", "законного"}
LATIN = re.compile(r"[A-Za-z]{2,}")
ADDRESSES = re.compile(r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:ru|рф|com|org)\b|e-mail")


def people() -> list[dict]:
    rows = []
    for name in ("names_corpus.tsv", "names_foreign.tsv"):
        with (DATA / name).open(encoding="utf-8") as fh:
            rows += list(csv.DictReader(fh, delimiter="\t"))
    found = []
    for i, row in enumerate(rows):
        gender = row["gender"] or detect_gender(row["name"])
        if gender:
            found.append({"name": row["name"], "gender": gender, "position": POSITIONS[i % len(POSITIONS)]})
    return found


PEOPLE = people()


def test_the_corpus_is_large_and_varied():
    assert len(PEOPLE) >= 200
    genders = {p["gender"] for p in PEOPLE}
    assert genders == {"m", "f"}
    names = " ".join(p["name"] for p in PEOPLE)
    for sample in ("ё", "оглы", "кызы", "Жан-Поль", "-"):
        assert sample in names


SIGNERS: list[dict] = []  # the director of the test workspace, whose name every document prints


def name_words(*persons: dict) -> set[str]:
    found = set()
    for person in [*persons, *SIGNERS]:
        for case in CASES:
            found.update(w.lower() for w in words(inflect_name(person["name"], case, person["gender"])))
    return found


def leaks(text: str) -> list[str]:
    problems = []
    if '"' in text or "'" in text:
        problems.append("straight quote")
    if re.search(r"(?<!\.)\.\.(?!\.)", text):
        problems.append("doubled full stop")
    if "{{" in text or "{%" in text or "None" in text:
        problems.append("template tag or None")
    latin = LATIN.findall(ADDRESSES.sub(" ", text.replace("PAGE", " ")))
    if latin:
        problems.append(f"English words {latin[:3]}")
    return problems


def disagreements(text: str, expected: str, names: set[str]) -> list[str]:
    """Person-agreeing words of ``text`` not in the gender ``expected`` ("masc"/"femn")."""
    wrong = []
    for word in words(text):
        low = word.lower()
        if low in names or low in COMMON_GENDER or low in THING_AGREEMENT:
            continue
        grammemes = person_agreeing(word)
        if grammemes and grammemes <= {"masc", "femn"} and expected not in grammemes:
            wrong.append(word)
    return wrong


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    from docgen.plugins import get_plugin_manager
    from docgen.settings import Workspace
    from docgen.workspace_init import init_workspace

    root = tmp_path_factory.mktemp("corpus") / "ws"
    init_workspace(root, demo=True)
    workspace = Workspace(root)
    hooks = get_plugin_manager(workspace.plugins, entry_points=False)
    settings = workspace.load_settings()
    out = root / "doc.docx"
    signer = {"name": settings.director["name"], "gender": detect_gender(settings.director["name"])}
    SIGNERS[:] = [signer]
    return lambda type_id, data: render(hooks, settings, type_id, data, out)


def check(report: list, label: str, text: str, gender: str, names: set[str]) -> None:
    for problem in leaks(text):
        report.append(f"{label}: {problem}")
    wrong = disagreements(text, GENDER_TAG[gender], names)
    if wrong:
        report.append(f"{label}: {wrong} should agree with a {'man' if gender == 'm' else 'woman'}")


BIRTHS = ("2015-03-01", "2010-03-01", "1985-03-01")  # under 14, 14–18, adult (on 01.09.2025)


@pytest.mark.parametrize("type_id", ["consent", "consent_dissemination"])
def test_consents_agree_with_the_subject(renderer, type_id):
    report = []
    for i, person in enumerate(PEOPLE):
        other = next(p for p in PEOPLE[i + 1:] + PEOPLE if p["gender"] != person["gender"])
        subject = {"name": person["name"], "gender": person["gender"], "birth_date": BIRTHS[i % 3],
                   "address": 'г. Светлогорск, ул. "Мира", д. 5', "contacts": {"email": "x@example.ru"},
                   "document": {"kind": ("свидетельство о рождении", "паспорт", "вид на жительство")[i % 3],
                                "number": "123456"}}
        data = {"date": "2025-09-01", "subject": subject, "role": "наставляемый"}
        if i % 3 < 2 or i % 7 == 0:
            data["representative"] = {"name": other["name"], "gender": other["gender"],
                                      "relation": "мать" if other["gender"] == "f" else "отец"}
        text = renderer(type_id, data)
        check(report, f"{type_id} #{i}", text, person["gender"], name_words(person, other))
    assert not report, "\n".join(report[:30])


def test_letters_agree_with_the_addressee_and_the_child(renderer):
    report = []
    for i, person in enumerate(PEOPLE):
        if i % 2:
            data = {"addressee": {"name": person["name"], "gender": person["gender"], "position": "учитель"},
                    "text": 'за участие в проекте "Наставник"'}
            text = renderer("thank_you_letter", data)
            check(report, f"letter #{i}", text, person["gender"], name_words(person))
        else:
            parent = next(p for p in PEOPLE[i + 1:] + PEOPLE if p["gender"] == "f")
            data = {"addressee": {"kind": "parents", "names": [parent],
                                  "child": {"name": person["name"], "gender": person["gender"],
                                            "position": "7 «Б» класс"}}}
            text = renderer("thank_you_letter", data)
            greeting, _, rest = text.partition("!")
            check(report, f"parents letter #{i}", greeting, "f", name_words(parent))
            check(report, f"parents letter #{i} (child)", rest, person["gender"], name_words(person, parent))
    assert not report, "\n".join(report[:30])


def test_reward_orders_agree_with_the_one_person_rewarded(renderer):
    report = []
    for i, person in enumerate(PEOPLE):
        kind = ("благодарность", "грамота", "премия")[i % 3]
        data = {"reason": "за успешную работу в 2025 г.",
                "rewards": [{"person": person, "kind": kind, **({"amount": 5000} if kind == "премия" else {})}]}
        text = renderer("reward_order", data)
        check(report, f"reward #{i}", text, person["gender"], name_words(person))
    assert not report, "\n".join(report[:30])


def test_pair_orders_agree_with_the_one_mentee(renderer):
    report = []
    for i in range(0, len(PEOPLE) - 1, 2):
        mentor, mentee = PEOPLE[i], PEOPLE[i + 1]
        text = renderer("pair_order", {"pairs": [{"mentor": mentor, "mentee": mentee, "form": "Ученик – ученик"}]})
        check(report, f"pair #{i}", text.split("С приказом")[0].split("Наставник")[-1], mentee["gender"],
              name_words(mentor, mentee))
        for problem in leaks(text):
            report.append(f"pair #{i}: {problem}")
        if "С приказом ознакомлены:" not in text:
            report.append(f"pair #{i}: two persons, the heading must be plural")
    assert not report, "\n".join(report[:30])
