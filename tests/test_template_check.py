"""``docgen templates check`` and the gate at load: templates edited in Word are accepted and render, or are refused.

The committed DOCX files are the templates' only source. These tests run the
check on docgen's own templates and the region example's (as CI does), then
simulate what a methodist's Word does to a template — a re-save through
LibreOffice, a changed text, a tag split across runs of different formatting,
a broken tag, an unknown variable, «ёлочки» typed into a tag — and require
each to be either accepted and rendered correctly or refused with a Russian
message naming the file and the place, before any number is drawn.
"""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from docgen.cli import main
from docgen.pipeline import Pipeline, sample_pipeline
from docgen.plugins import BUILTIN_TEMPLATES_DIR, EXAMPLES_DIR, get_plugin_manager
from docgen.templatecheck import check_templates
from docgen.testing import docx_text, drop_input, soffice_convert
from helpers import EXAMPLES, load_example

REGION_DIR = EXAMPLES / "docgen-region-example"
REGION_TEMPLATES = REGION_DIR / "docgen_region_example" / "doc_templates"


def edited(source: Path, target: Path, edit) -> Path:
    """A copy of the template ``source`` at ``target`` with ``edit(document_xml) -> document_xml`` applied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "word/document.xml":
                changed = edit(data.decode("utf-8"))
                assert changed != data.decode("utf-8"), "the edit changed nothing"
                data = changed.encode("utf-8")
            copy.writestr(item, data)
    target.write_bytes(out.getvalue())
    return target


def workspace_pair_order(workspace, edit) -> Path:
    """The built-in pair order, edited, saved as the workspace's own (it wins over the built-in)."""
    target = workspace.plugins / "doc_templates" / "pair_order.docx"
    return edited(BUILTIN_TEMPLATES_DIR / "pair_order.docx", target, edit)


def issue_pair_order(workspace, hooks):
    from docgen.testing import disable_conversion

    disable_conversion(workspace)
    pipeline = Pipeline(workspace, hooks=hooks)
    try:
        return pipeline.process(drop_input(workspace, "Пары.json", load_example("pair_order.json"))), pipeline
    finally:
        pipeline.close()


def org_name(workspace) -> str:
    """The school's name as documents print it (typeset: a non-breaking space after «№»)."""
    from docgen.typography import typography

    return typography(workspace.load_settings().organization["name"])


# --- the templates docgen ships, and the region example's -----------------------------------------------------

def test_docgen_templates_check_passes_on_the_built_in_templates(docgen_workspace, capsys):
    code = main(["--workspace", str(docgen_workspace.root), "templates", "check", str(BUILTIN_TEMPLATES_DIR)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Проверено шаблонов: 6; ошибок: 0" in out
    assert "нет примера" not in out  # every built-in type is filled with its example


def test_the_region_example_templates_pass_the_check(docgen_hooks, docgen_register_plugin, monkeypatch):
    monkeypatch.syspath_prepend(str(REGION_DIR))
    import docgen_region_example

    docgen_register_plugin(docgen_region_example, "region_example")
    report = check_templates(docgen_hooks, sample_pipeline, EXAMPLES_DIR, REGION_TEMPLATES, [REGION_DIR / "example.json"])
    assert {p.name for p in report.templates} == {"mentoring_report.docx", "pair_order.docx"}
    assert report.errors == [], "\n".join(f.russian() for f in report.errors)
    assert not [f for f in report.findings if "нет примера" in f.message]


def test_the_check_exits_non_zero_and_names_file_place_and_variable(tmp_path, docgen_workspace, capsys):
    edited(BUILTIN_TEMPLATES_DIR / "thank_you_letter.docx", tmp_path / "t" / "thank_you_letter.docx",
           lambda xml: xml.replace("{{ org.name }}", "{{ org.fax }}", 1))
    code = main(["--workspace", str(docgen_workspace.root), "templates", "check", str(tmp_path / "t")])
    out = capsys.readouterr().out
    assert code == 1
    [line] = [line for line in out.splitlines() if line.startswith("thank_you_letter.docx: ошибка:")]
    assert "основной текст, абзац" in line and "(«{{ org.fax }}»)" in line and "переменная «org.fax» не задана" in line
    assert "ошибок: 1" in out


def test_a_literal_gendered_word_is_reported_with_the_filter_to_use(tmp_path, docgen_hooks):
    edited(BUILTIN_TEMPLATES_DIR / "thank_you_letter.docx", tmp_path / "thank_you_letter.docx",
           lambda xml: xml.replace("{{ org.name }}", "{{ org.name }} ознакомлена", 1))
    [finding] = check_templates(docgen_hooks, sample_pipeline, EXAMPLES_DIR, tmp_path).errors
    assert "слово «ознакомлена» относится к человеку" in finding.message and "|agree(" in finding.message


def test_a_style_the_text_names_but_the_file_lacks_is_reported(tmp_path, docgen_hooks):
    edited(BUILTIN_TEMPLATES_DIR / "thank_you_letter.docx", tmp_path / "thank_you_letter.docx",
           lambda xml: xml.replace("<w:pPr>", '<w:pPr><w:pStyle w:val="Заголовок-региона"/>', 1))
    [finding] = check_templates(docgen_hooks, sample_pipeline, EXAMPLES_DIR, tmp_path).errors
    assert "стиль «Заголовок-региона», которого нет в файле" in finding.message


# --- a Word edit, accepted and rendered -------------------------------------------------------------------------

def test_a_changed_text_is_accepted_and_printed(docgen_workspace):
    workspace_pair_order(docgen_workspace, lambda xml: xml.replace("ПРИКАЗЫВАЮ", "ПРИКАЗЫВАЮ ПО ШКОЛЕ", 1))
    hooks = get_plugin_manager(docgen_workspace.plugins, entry_points=False)
    assert "pair_order" in hooks.registry()
    outcome, _ = issue_pair_order(docgen_workspace, hooks)
    assert outcome.ok, outcome.message
    assert "ПРИКАЗЫВАЮ ПО ШКОЛЕ" in docx_text(outcome.documents[0]["docx"])


def split_org_name(xml: str) -> str:
    """``{{ org.`` and ``name }}`` in two runs of different formatting, as Word leaves a tag retyped in part."""
    return xml.replace("<w:t>{{ org.name }}</w:t></w:r>",
                       '<w:t>{{ org.</w:t></w:r><w:proofErr w:type="spellStart"/>'
                       '<w:r><w:rPr><w:i/><w:color w:val="FF0000"/></w:rPr>'
                       '<w:t xml:space="preserve">name }}</w:t></w:r>', 1)


def test_a_tag_split_across_runs_is_accepted_and_rendered(docgen_workspace, tmp_path):
    template = workspace_pair_order(docgen_workspace, split_org_name)
    hooks = get_plugin_manager(docgen_workspace.plugins, entry_points=False)
    assert check_templates(hooks, sample_pipeline, EXAMPLES_DIR, template.parent).errors == []
    outcome, _ = issue_pair_order(docgen_workspace, hooks)
    assert outcome.ok, outcome.message
    text = docx_text(outcome.documents[0]["docx"])
    assert org_name(docgen_workspace) in text and "{{" not in text and "org." not in text


@pytest.mark.libreoffice
def test_a_template_re_saved_by_libreoffice_is_accepted_and_rendered(docgen_workspace, tmp_path):
    resaved = soffice_convert(BUILTIN_TEMPLATES_DIR / "pair_order.docx", "docx:MS Word 2007 XML", tmp_path)
    target = docgen_workspace.plugins / "doc_templates" / "pair_order.docx"
    target.parent.mkdir(parents=True)
    shutil.copy(resaved, target)
    assert target.read_bytes() != (BUILTIN_TEMPLATES_DIR / "pair_order.docx").read_bytes()
    hooks = get_plugin_manager(docgen_workspace.plugins, entry_points=False)
    assert check_templates(hooks, sample_pipeline, EXAMPLES_DIR, target.parent).errors == []
    outcome, _ = issue_pair_order(docgen_workspace, hooks)
    assert outcome.ok, outcome.message
    text = docx_text(outcome.documents[0]["docx"])
    assert org_name(docgen_workspace) in text and "{{" not in text and "{%" not in text
    assert "С приказом ознакомлены:" in " ".join(text.split())  # the agree filter with quotes LibreOffice escaped


# --- a Word edit, refused before a number is drawn ------------------------------------------------------------

@pytest.mark.parametrize("edit, told", [
    (lambda xml: xml.replace("{{ org.name }}", "{{ org.name }", 1), "тег «{{ org.name }» не закрыт в этом абзаце"),
    (lambda xml: xml.replace("{{ acquainted|agree('ознакомлен') }}", "{{ acquainted|agree(«ознакомлен») }}", 1),
     "кавычки-ёлочки"),
    (lambda xml: xml.replace("{{ org.name }}", "{{ org.name|uppercase }}", 1), "неизвестный фильтр «uppercase»"),
    (lambda xml: xml.replace("{{ org.name }}", "{{ org.fax }}", 1), "переменная «org.fax» не задана"),
], ids=["broken tag", "guillemets in a tag", "unknown filter", "unknown variable"])
def test_a_broken_template_is_refused_at_load_and_no_number_is_drawn(docgen_workspace, edit, told):
    workspace_pair_order(docgen_workspace, edit)
    hooks = get_plugin_manager(docgen_workspace.plugins, entry_points=False)
    outcome, pipeline = issue_pair_order(docgen_workspace, hooks)
    registry = hooks.registry()
    assert "pair_order" not in registry and "reward_order" in registry  # the type is not offered; the rest load
    refusal = registry.refusal("pair_order")
    assert "pair_order.docx" in refusal and told in refusal and "docgen templates check" in refusal
    assert not outcome.ok
    assert "отключён" in outcome.message and told in outcome.message and "Номер не выдан" in outcome.message
    assert pipeline.register.entries() == []
    assert (docgen_workspace.failed / "Пары.json").exists()


def test_the_refused_type_is_still_checked_and_its_problem_shown(docgen_workspace, capsys):
    workspace_pair_order(docgen_workspace, lambda xml: xml.replace("{{ org.name }}", "{{ org.name }", 1))
    code = main(["--workspace", str(docgen_workspace.root), "templates", "check"])
    out = capsys.readouterr().out
    assert code == 1
    assert re.search(r"pair_order\.docx: ошибка: основной текст, абзац \d+ \(«\{\{ org\.name \}»\): тег", out), out
    assert sum("ошибка" in line for line in out.splitlines() if line.startswith("pair_order.docx")) == 1


def test_the_other_types_of_a_workspace_still_work_when_one_template_is_refused(docgen_workspace):
    workspace_pair_order(docgen_workspace, lambda xml: xml.replace("{{ org.name }}", "{{ org.name }", 1))
    hooks = get_plugin_manager(docgen_workspace.plugins, entry_points=False)
    from docgen.testing import disable_conversion

    disable_conversion(docgen_workspace)
    pipeline = Pipeline(docgen_workspace, hooks=hooks)
    try:
        outcome = pipeline.process(drop_input(docgen_workspace, "Премии.json", load_example("reward_order.json")))
    finally:
        pipeline.close()
    assert outcome.ok, outcome.message
    assert "ПРИКАЗ" in docx_text(outcome.documents[0]["docx"])


def test_the_gate_reuses_its_verdict_for_an_unchanged_template(docgen_workspace, monkeypatch):
    workspace_pair_order(docgen_workspace, lambda xml: xml.replace("ПРИКАЗЫВАЮ", "ПРИКАЗЫВАЮ ПО ШКОЛЕ", 1))
    Pipeline(docgen_workspace, hooks=get_plugin_manager(docgen_workspace.plugins, entry_points=False)).close()
    import docgen.templatecheck as templatecheck

    monkeypatch.setattr(templatecheck, "load_render_findings", lambda *a: pytest.fail("rendered again"))
    hooks = get_plugin_manager(docgen_workspace.plugins, entry_points=False)
    Pipeline(docgen_workspace, hooks=hooks).close()
    assert "pair_order" in hooks.registry()


def test_a_plugin_failing_while_the_gate_fills_a_template_refuses_that_type_only(docgen_workspace):
    workspace_pair_order(docgen_workspace, lambda xml: xml.replace("ПРИКАЗЫВАЮ", "ПРИКАЗЫВАЮ ПО ШКОЛЕ", 1))
    (docgen_workspace.plugins / "failing_context.py").write_text(
        "from docgen import hookimpl\n\n@hookimpl\ndef docgen_update_context(doc_type, data, context):\n"
        "    if doc_type.id == 'pair_order':\n        raise RuntimeError('нет связи с сервером')\n", encoding="utf-8")
    hooks = get_plugin_manager(docgen_workspace.plugins, entry_points=False)
    Pipeline(docgen_workspace, hooks=hooks).close()
    registry = hooks.registry()
    assert "pair_order" not in registry and "reward_order" in registry
    assert "нет связи с сервером" in registry.refusal("pair_order")
