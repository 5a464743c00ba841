"""The region's plugin through docgen's own pipeline, with the ``docgen.testing`` fixtures."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import docgen_region_example
from docgen.reading import RawDocument
from docgen.testing import docx_text, pdf_text
from docgen.validation import validate_all
from docgen_region_example.report import TYPE_ID

EXAMPLE = Path(__file__).resolve().parent.parent / "example.json"
MINISTRY = "Министерство образования Калининградской области"
PAIR_ORDER = {
    "type": "pair_order", "date": "2023-08-31",
    "pairs": [{"form": "Наставник – молодой специалист",
               "mentor": {"name": "Иванова Мария Петровна", "position": "учитель математики"},
               "mentee": {"name": "Петров Сергей Олегович", "position": "учитель математики"}}],
}


@pytest.fixture
def region(docgen_register_plugin):
    """The plugin, whether it came in through its entry point (installed) or not."""
    return docgen_register_plugin(docgen_region_example, "region_example")


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_adds_the_report_type(region, docgen_hooks):
    registry = docgen_hooks.registry()
    report = registry.get(TYPE_ID)
    assert report.title == "Отчёт о реализации программы наставничества"
    assert registry.find("отчёт о наставничестве") is report
    assert docgen_hooks.type_origins[TYPE_ID] == region.key
    assert [c.key for c in report.sheet.columns] == ["form", "pairs", "mentors", "mentees"]


def test_adds_its_form_of_mentoring(region, docgen_hooks):
    assert "Наставник – молодой специалист" in docgen_hooks.closed_lists()["mentoring_forms"]


def test_its_templates_come_before_the_built_in_ones(region, docgen_hooks):
    ours = Path(docgen_region_example.__file__).parent / "doc_templates"
    dirs = docgen_hooks.template_dirs()
    assert ours in dirs
    assert dirs.index(ours) < len(dirs) - 1  # the built-in folder stays last


@pytest.mark.libreoffice
def test_example_becomes_a_numbered_report(region, docgen_process):
    outcome = docgen_process(example(), "отчёт.json")
    assert outcome.ok, outcome.message
    [doc] = outcome.documents
    assert doc["number"] == "01-12/1"
    text = docx_text(doc["docx"])
    for expected in (MINISTRY, "Начальнику управления образования администрации города Светлогорска", "Т.В.\u00a0Ивановой",
                     "О\u00a0реализации программы наставничества", "Наставник\u00a0– молодой специалист",
                     "Итоговая конференция «Наставничество: лучшие практики»", "24.05.2024"):
        assert expected in text, expected
    pdf = " ".join(pdf_text(doc["pdf"]).split())
    assert "Формы наставничества" in pdf and "Итого 12 12 16" in pdf
    assert "{{" not in pdf and "{%" not in pdf


@pytest.mark.libreoffice
def test_report_counts_the_pair_orders_of_the_register(region, docgen_process):
    assert docgen_process(PAIR_ORDER, "пары.json").ok
    outcome = docgen_process(example(), "отчёт.json")
    assert outcome.ok, outcome.message
    text = docx_text(outcome.documents[0]["docx"])
    assert "Издано приказов о\u00a0закреплении наставнических пар (от 31.08.2023 №\u00a01-од)\n1" in text


@pytest.mark.libreoffice
def test_pair_order_carries_the_region_letterhead(region, docgen_process):
    outcome = docgen_process(PAIR_ORDER, "пары.json")
    assert outcome.ok, outcome.message
    text = docx_text(outcome.documents[0]["docx"])
    assert MINISTRY in text and text.index(MINISTRY) < text.index("Управление образования") < text.index("ПРИКАЗ")
    assert MINISTRY in pdf_text(outcome.documents[0]["pdf"])


def test_period_ending_before_it_starts_is_refused(region, docgen_process, docgen_workspace):
    data = example()
    data["period"] = {"from": "2024-05-31", "to": "2023-09-01"}
    outcome = docgen_process(data, "отчёт.json")
    assert not outcome.ok
    assert "отчётный период заканчивается раньше, чем начинается" in outcome.message
    assert (docgen_workspace.failed / "отчёт.json").exists()


def consent(snils: str) -> list[RawDocument]:
    return [RawDocument({"type": "consent", "subject": {"name": "Петров Сергей Олегович", "snils": snils}}, 0)]


def test_consent_snils_is_checked_without_quoting_it(region, docgen_hooks):
    from docgen.errors import InputError

    [doc] = validate_all(consent("112-233-445 95"), docgen_hooks.registry(), docgen_hooks)
    assert doc.data["subject"]["snils"] == "112-233-445 95"
    with pytest.raises(InputError) as wrong_digits:
        validate_all(consent("112-233-445 96"), docgen_hooks.registry(), docgen_hooks)
    with pytest.raises(InputError) as wrong_shape:
        validate_all(consent("11223344596"), docgen_hooks.registry(), docgen_hooks)
    assert "СНИЛС с неверными контрольными цифрами" in wrong_digits.value.russian()
    assert "неверный формат" in wrong_shape.value.russian()
    for error in (wrong_digits.value, wrong_shape.value):
        assert "445" not in error.russian()


@pytest.mark.libreoffice
def test_published_report_is_copied_to_the_department_share(region, docgen_workspace, docgen_hooks, tmp_path):
    from docgen.pipeline import Pipeline

    share = tmp_path / "share"
    with open(docgen_workspace.config, "a", encoding="utf-8") as config:
        config.write(f'\n[region_example]\nshare = "{share}"\n')
    pipeline = Pipeline(docgen_workspace, hooks=docgen_hooks)
    try:
        outcome = pipeline.process(_drop(docgen_workspace, example()))
        pair = pipeline.process(_drop(docgen_workspace, PAIR_ORDER, "пары.json"))
    finally:
        pipeline.close()
    assert outcome.ok and pair.ok
    copied = sorted(p.name for p in share.iterdir())
    assert copied == sorted(Path(outcome.documents[0][kind]).name for kind in ("docx", "pdf"))


def _drop(workspace, payload, name="отчёт.json") -> Path:
    from docgen.testing import drop_input

    return drop_input(workspace, name, payload)


def test_blank_form_offers_the_region_form_and_reads_back(region, docgen_hooks, docgen_workspace, tmp_path):
    """The type's spreadsheet: its blank form, filled as a secretary would, becomes the same report data."""
    from docgen.sheets.forms import build_blank_form

    report = docgen_hooks.registry().get(TYPE_ID)
    form = build_blank_form(report, docgen_hooks.closed_lists())
    offered = {c.value for row in form["docgen"].iter_rows() for c in row}
    assert "Наставник – молодой специалист" in offered and "Учитель – учитель" in offered
    listing = form["Формы наставничества"]
    titles = {c.value: c.column for c in listing[1] if c.value}
    for r, (name, pairs, mentors, mentees) in enumerate(
            [("Наставник – молодой специалист", 2, 2, 2), ("Ученик – ученик", 6, 6, 9)], start=2):
        for title, value in (("Форма наставничества", name), ("Пар (групп)", pairs), ("Наставников", mentors),
                             ("Наставляемых", mentees)):
            listing.cell(r, titles[title], value)
    document = form["Документ"]
    labels = {row[0].value: row[0].row for row in document.iter_rows(min_row=2) if row[0].value}
    for label, value in (("Дата отчёта", "14.06.2024"), ("Отчётный период с", "01.09.2023"),
                         ("Отчётный период по", "31.05.2024"),
                         ("Кому: должность (в дательном падеже)", "Начальнику управления образования"),
                         ("Кому: инициалы и фамилия (в дательном падеже)", "Т.В. Ивановой")):
        document.cell(labels[label], 2, value)
    path = docgen_workspace.inbox / "отчёт о наставничестве.xlsx"
    form.save(path)
    [raw] = docgen_hooks.read_input(path, docgen_workspace.load_settings())
    [doc] = validate_all([raw], docgen_hooks.registry(), docgen_hooks)
    assert doc.type.id == TYPE_ID
    assert doc.data["period"] == {"from": "2023-09-01", "to": "2024-05-31"}
    assert [(f["form"], f["pairs"], f["mentees"]) for f in doc.data["forms"]] == [
        ("Наставник – молодой специалист", 2, 2), ("Ученик – ученик", 6, 9)]
