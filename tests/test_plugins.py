"""Plugins: the three places they load from, precedence, broken plugins, every hook, tracing, the region example.

Installed packages are made real without installing anything: a package and
its ``*.dist-info`` (METADATA + entry_points.txt) are written to a folder put
on ``sys.path`` (in-process) or ``PYTHONPATH`` (subprocesses), so
``importlib.metadata`` finds the entry point exactly as after ``pip install``.
The region example is checked the same way; nothing is installed into the
venv, so the rest of the suite never sees the region's overrides.
"""
from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import textwrap
import uuid
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from helpers import EXAMPLES, ROOT, drop, load_example, run_docgen
from docgen import DocumentType, InputError, hookimpl
from docgen.plugins import BUILTIN_TEMPLATES_DIR, get_plugin_manager
from docgen.reading import RawDocument
from docgen.rendering import find_template
from docgen.testing import docx_text, pdf_text
from docgen.validation import validate_all

REGION_DIR = EXAMPLES / "docgen-region-example"
BUILTIN_PAIR_ORDER_TITLE = "Приказ о закреплении наставнических пар (групп)"


# --- making plugins in a test ---------------------------------------------------------------

def write_template(path: Path, text: str) -> Path:
    """A one-paragraph .docx template."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = Document()
    doc.add_paragraph(text)
    doc.save(str(path))
    return path


def write_dist_info(folder: Path, dist: str, entry_points: dict[str, str]) -> None:
    """What ``pip install`` leaves behind that ``importlib.metadata`` reads: METADATA and entry_points.txt."""
    info = folder / f"{dist.replace('-', '_')}-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1.0\n", encoding="utf-8")
    lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
    (info / "entry_points.txt").write_text(f"[docgen]\n{lines}", encoding="utf-8")


def installed_package(site: Path, code: str, templates: dict[str, str] | None = None) -> str:
    """A package in ``site`` with an entry point in group ``docgen``; returns its (unique) name."""
    name = f"regionpkg_{uuid.uuid4().hex[:8]}"
    package = site / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(code), encoding="utf-8")
    for file_name, text in (templates or {}).items():
        write_template(package / "doc_templates" / file_name, text)
    write_dist_info(site, name.replace("_", "-"), {name: name})
    return name


LAYER_PLUGIN = '''
from docgen import DocumentType, hookimpl

LAYER = "{layer}"


@hookimpl
def docgen_register_types(registry):
    registry.add(DocumentType(id="pair_order", title=LAYER + " pair order", schema={{"type": "object"}},
                              template="pair_order.docx", build_context=lambda data, info: {{}},
                              heading=lambda data: "", kind_label="Приказ"))


@hookimpl
def docgen_format_number(series, year, sequence, pattern, data):
    return f"{{LAYER}}-{{sequence}}"


@hookimpl
def docgen_jinja_filters():
    return {{"date_short": lambda value: LAYER}}


@hookimpl
def docgen_update_context(doc_type, data, context):
    context["layer"] = LAYER


@hookimpl
def docgen_closed_lists():
    return {{"mentoring_forms": ["Форма " + LAYER]}}
'''


def workspace_package(workspace, name: str, code: str, templates: dict[str, str] | None = None) -> Path:
    package = workspace.plugins / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(code), encoding="utf-8")
    for file_name, text in (templates or {}).items():
        write_template(package / "doc_templates" / file_name, text)
    return package


def workspace_file(workspace, name: str, code: str) -> Path:
    path = workspace.plugins / name
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def entry_point_sites(monkeypatch) -> list[Path]:
    """In-process managers see only the distributions of the folders a test adds here.

    So a regional plugin really installed in the venv cannot change these tests.
    Subprocesses are not affected.
    """
    sites: list[Path] = []
    real_entry_points = importlib.metadata.entry_points

    def entry_points(group: str | None = None, **options):
        if group != "docgen":  # other libraries' plugins (pymorphy3's dictionaries) stay visible
            return real_entry_points(**({"group": group} if group else {}), **options)
        found = [ep for dist in importlib.metadata.distributions(path=[str(s) for s in sites])
                 for ep in dist.entry_points if ep.group == group]
        return importlib.metadata.EntryPoints(found)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    return sites


# --- precedence: workspace > installed package > built-in ------------------------------------------

@pytest.mark.parametrize("layers", [(), ("package",), ("workspace",), ("package", "workspace")])
def test_precedence_of_types_templates_filters_and_firstresult_hooks(layers, docgen_workspace, tmp_path, monkeypatch,
                                                                     entry_point_sites):
    if "package" in layers:
        site = tmp_path / "site"
        installed_package(site, LAYER_PLUGIN.format(layer="package"), {"pair_order.docx": "package template"})
        monkeypatch.syspath_prepend(str(site))
        entry_point_sites.append(site)
    if "workspace" in layers:
        workspace_package(docgen_workspace, "wslayer", LAYER_PLUGIN.format(layer="workspace"),
                          {"pair_order.docx": "workspace template"})
    hooks = get_plugin_manager(docgen_workspace.plugins)
    assert not hooks.broken
    winner = layers[-1] if layers else None

    pair_order = hooks.registry().get("pair_order")
    assert pair_order.title == (f"{winner} pair order" if winner else BUILTIN_PAIR_ORDER_TITLE)
    assert hooks.type_origins["pair_order"].split(":")[0] == {"package": "package", "workspace": "workspace",
                                                             None: "builtin"}[winner]
    template = find_template("pair_order.docx", hooks.template_dirs())
    assert docx_text(template).strip() == f"{winner} template" if winner else template.parent == BUILTIN_TEMPLATES_DIR
    assert hooks.jinja_filters()["date_short"](date(2023, 8, 31)) == (winner or "31.08.2023")
    assert hooks.format_number("orders", 2023, 7, "{n}-од", {}) == (f"{winner}-7" if winner else "7-од")
    context: dict = {}
    hooks.update_context(pair_order, {}, context)
    assert context.get("layer") == winner
    forms = hooks.closed_lists().get("mentoring_forms", [])
    assert [f for f in forms if f.startswith("Форма ")] == [f"Форма {layer}" for layer in layers]


@pytest.mark.libreoffice
def test_hook_template_dirs_of_a_drop_in_py_override_a_template(docgen_workspace, docgen_pipeline):
    """A single .py in the workspace's plugins/ points docgen at its own letterhead."""
    write_template(docgen_workspace.plugins / "blanks" / "pair_order.docx",
                   "{{ org.short_name }} — РЕГИОНАЛЬНЫЙ БЛАНК — приказ №\u00a0{{ number }} от {{ date|date_short }}")
    workspace_file(docgen_workspace, "region_blanks.py", '''
        from pathlib import Path
        from docgen import DocumentType, InputError, hookimpl

        @hookimpl
        def docgen_template_dirs():
            return [Path(__file__).parent / "blanks"]
    ''')
    docgen_pipeline.hooks = get_plugin_manager(docgen_workspace.plugins)
    outcome = docgen_pipeline.process(drop(docgen_workspace, "pairs.json", load_example("pair_order.json")))
    assert outcome.ok, outcome.message
    expected = "МБОУ «СОШ №\u00a07 им.\u00a0А.С.\u00a0Пушкина» — РЕГИОНАЛЬНЫЙ БЛАНК — приказ №\u00a01-од от 31.08.2023"
    assert docx_text(outcome.documents[0]["docx"]).strip() == expected
    assert "РЕГИОНАЛЬНЫЙ БЛАНК" in pdf_text(outcome.documents[0]["pdf"])


def test_templates_in_workspace_plugins_folder_override_without_code(docgen_workspace):
    write_template(docgen_workspace.plugins / "doc_templates" / "consent.docx", "свой бланк согласия")
    hooks = get_plugin_manager(docgen_workspace.plugins)
    assert docx_text(find_template("consent.docx", hooks.template_dirs())).strip() == "свой бланк согласия"
    assert find_template("roadmap.docx", hooks.template_dirs()).parent == BUILTIN_TEMPLATES_DIR


# --- broken plugins: reported by name, the rest keep working ------------------------------------------

BROKEN = {
    "missing_module.py": ("import no_such_module_for_docgen\n", "ModuleNotFoundError"),
    "misspelt.py": ("from docgen import hookimpl\n\n@hookimpl\ndef docgen_register_type(registry):\n    pass\n",
                    "неизвестный хук docgen_register_type (может быть, docgen_register_types?)"),
    "no_prefix.py": ("from docgen import hookimpl\n\n@hookimpl\ndef register_types(registry):\n    pass\n",
                     "неизвестный хук register_types"),
    "undecorated.py": ("def docgen_closed_lists():\n    return {}\n", "функция docgen_closed_lists без декоратора @hookimpl"),
    "wrong_argument.py": ("from docgen import hookimpl\n\n@hookimpl\ndef docgen_register_types(types):\n    pass\n",
                          "PluginValidationError"),
    "raises.py": ("from docgen import hookimpl\n\n@hookimpl\ndef docgen_register_types(registry):\n"
                  "    raise RuntimeError('нет связи с региональным сервером')\n\n"
                  "@hookimpl\ndef docgen_format_number(series, year, sequence, pattern, data):\n    return 'СЛОМАНО'\n",
                  "ошибка в docgen_register_types: RuntimeError: нет связи с региональным сервером"),
}


def test_each_broken_plugin_is_named_and_left_out(docgen_workspace):
    for name, (code, _) in BROKEN.items():
        (docgen_workspace.plugins / name).write_text(code, encoding="utf-8")
    workspace_file(docgen_workspace, "good.py", '''
        from docgen import DocumentType, InputError, hookimpl

        @hookimpl
        def docgen_closed_lists():
            return {"mentoring_forms": ["Наставник – молодой специалист"]}
    ''')
    hooks = get_plugin_manager(docgen_workspace.plugins)
    errors = {info.name: info.error for info in hooks.broken}
    assert sorted(errors) == sorted(Path(n).stem for n in BROKEN)
    for name, (_, expected) in BROKEN.items():
        assert expected in errors[Path(name).stem], errors[Path(name).stem]
    assert hooks.format_number("orders", 2023, 3, "{n}-од", {}) == "3-од"  # the failed plugin's hooks are gone
    assert "pair_order" in hooks.registry()
    assert "Наставник – молодой специалист" in hooks.closed_lists()["mentoring_forms"]


@pytest.mark.slow
def test_docgen_plugins_names_the_broken_plugin_and_fails(docgen_workspace):
    (docgen_workspace.plugins / "misspelt.py").write_text(BROKEN["misspelt.py"][0], encoding="utf-8")
    result = run_docgen("plugins", workspace=docgen_workspace, cwd=ROOT)
    assert result.returncode == 1
    line = next(line for line in result.stdout.splitlines() if line.startswith("misspelt"))
    assert "workspace" in line and "ОШИБКА: неизвестный хук docgen_register_type" in line
    assert any(line.startswith("pair_order") and "загружен" in line for line in result.stdout.splitlines())


@pytest.mark.libreoffice
def test_broken_plugins_do_not_take_the_watcher_down(docgen_workspace):
    for name in ("missing_module.py", "raises.py"):
        (docgen_workspace.plugins / name).write_text(BROKEN[name][0], encoding="utf-8")
    drop(docgen_workspace, "pairs.json", load_example("pair_order.json"))
    result = run_docgen("watch", "--polling", "--seconds", "10", workspace=docgen_workspace, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Плагин missing_module" in result.stderr and "Плагин raises" in result.stderr
    assert (docgen_workspace.processed / "pairs.json").exists()
    assert len(list(docgen_workspace.outbox.glob("*1-од*.pdf"))) == 1


def test_hook_document_published_failure_is_logged_by_name_and_others_still_run(docgen_hooks, caplog, tmp_path):
    calls = []

    class Failing:
        @hookimpl
        def docgen_document_published(self, document, files, settings):
            raise OSError("share is offline")

    class Recording:
        @hookimpl
        def docgen_document_published(self, document, files, settings):
            calls.append(document["number"])

    docgen_hooks.add_plugin(Recording(), "recording")
    docgen_hooks.add_plugin(Failing(), "failing")
    docgen_hooks.document_published({"type": "pair_order", "number": "5-од"}, [tmp_path / "x.docx"], None)
    assert calls == ["5-од"]
    assert any("added:failing" in r.getMessage() and "docgen_document_published" in r.getMessage() for r in caplog.records)


# --- plugins load only from the configured places (RELIABILITY.md case 34) --------------------------------

@pytest.mark.slow
def test_nothing_is_loaded_from_the_current_folder(docgen_workspace, tmp_path):
    """Neither a plugins/ folder nor modules in the current folder are searched."""
    here = tmp_path / "here"
    (here / "plugins").mkdir(parents=True)
    marker = tmp_path / "imported.txt"
    stray = f"from pathlib import Path\nPath({str(marker)!r}).write_text('imported')\n"
    (here / "plugins" / "stray.py").write_text(stray, encoding="utf-8")
    (here / "cwd_probe.py").write_text(stray, encoding="utf-8")
    site = tmp_path / "site"
    write_dist_info(site, "cwd-probe", {"cwd_probe": "cwd_probe"})  # names a module only the current folder has
    result = run_docgen("plugins", cwd=here, env={"PYTHONPATH": str(site)}, workspace=docgen_workspace)
    assert not marker.exists()
    assert "stray" not in result.stdout
    probe = next(line for line in result.stdout.splitlines() if line.startswith("cwd_probe"))
    assert "ModuleNotFoundError" in probe
    assert result.returncode == 1


# --- every hook ------------------------------------------------------------------------------------------

def test_hook_extend_schema_changes_only_this_managers_copy(docgen_workspace, docgen_hooks):
    class RequireCurator:
        @hookimpl
        def docgen_extend_schema(self, doc_type, schema):
            if doc_type.id == "pair_order":
                schema["required"] = [*schema["required"], "curator"]

    docgen_hooks.add_plugin(RequireCurator())
    data = load_example("pair_order.json")
    del data["curator"]
    with pytest.raises(InputError) as refused:
        validate_all([RawDocument(data, 0)], docgen_hooks.registry(), docgen_hooks)
    assert refused.value.russian() == "не заполнено (куратор)"
    other = get_plugin_manager(docgen_workspace.plugins)
    assert "curator" not in other.registry().get("pair_order").schema["required"]
    assert validate_all([RawDocument(data, 0)], other.registry(), other)


def test_hook_check_document_problem_names_the_field(docgen_hooks):
    class NoWeekendOrders:
        @hookimpl
        def docgen_check_document(self, doc_type, data):
            if doc_type.id == "pair_order" and date.fromisoformat(data["date"]).weekday() >= 5:
                return [(("date",), "приказ не издаётся в выходной день")]
            return []

    docgen_hooks.add_plugin(NoWeekendOrders())
    data = {**load_example("pair_order.json"), "date": "2023-09-02"}
    with pytest.raises(InputError) as refused:
        validate_all([RawDocument(data, 0, lambda path: f"Поле «{'.'.join(map(str, path))}»")],
                     docgen_hooks.registry(), docgen_hooks)
    assert "Поле «date»: приказ не издаётся в выходной день" in str(refused.value)


def test_hook_read_input_reads_a_plugins_own_format(docgen_workspace, docgen_hooks):
    class PairsText:
        """Reads «mentor; mentee» lines of a .pairs file into a pair order."""

        @hookimpl
        def docgen_read_input(self, path, registry, settings):
            if path.suffix != ".pairs":
                return None
            lines = [line.split(";") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            pairs = [{"mentor": {"name": m.strip()}, "mentee": {"name": e.strip()}} for m, e in lines]
            return [RawDocument({"type": "pair_order", "date": "2023-08-31", "pairs": pairs}, 0)]

    docgen_hooks.add_plugin(PairsText())
    source = docgen_workspace.inbox / "пары.pairs"
    source.write_text("Иванова Мария Петровна; Петров Сергей Олегович\n", encoding="utf-8")
    settings = docgen_workspace.load_settings()
    [raw] = docgen_hooks.read_input(source, settings)
    assert raw.data["pairs"][0]["mentee"]["name"] == "Петров Сергей Олегович"
    json_input = drop(docgen_workspace, "pairs.json", load_example("pair_order.json"))
    assert docgen_hooks.read_input(json_input, settings)[0].data["type"] == "pair_order"  # built-in reader still works


def test_hook_format_number_by_series(docgen_hooks):
    class LettersWithYear:
        @hookimpl
        def docgen_format_number(self, series, year, sequence, pattern, data):
            return f"01-12/{sequence}/{year % 100}" if series == "letters" else None

    docgen_hooks.add_plugin(LettersWithYear())
    assert docgen_hooks.format_number("letters", 2024, 45, "01-12/{n}", {}) == "01-12/45/24"
    assert docgen_hooks.format_number("orders", 2024, 45, "{n}-од", {}) == "45-од"


def test_hook_jinja_filters_and_a_render_document_wrapper(docgen_hooks, tmp_path, caplog):
    class Shout:
        @hookimpl
        def docgen_jinja_filters(self):
            return {"shout": lambda text: str(text).upper() + "!"}

    docgen_hooks.add_plugin(Shout())
    template = write_template(tmp_path / "t.docx", "{{ name|shout }} {{ day|date_short }}")
    caplog.set_level("DEBUG", logger="docgen.audit")
    output = tmp_path / "out.docx"
    docgen_hooks.render_document(template, {"name": "наставник", "day": date(2023, 8, 31)}, output)
    assert docx_text(output).strip() == "НАСТАВНИК! 31.08.2023"
    [record] = [r for r in caplog.records if r.name == "docgen.audit"]
    assert str(template) in record.getMessage() and "мс" in record.getMessage()


def test_hook_render_document_can_replace_the_renderer(docgen_hooks, tmp_path):
    class CopyTemplate:
        @hookimpl
        def docgen_render_document(self, template_path, context, output_path, filters):
            output_path.write_bytes(template_path.read_bytes())
            return True

    docgen_hooks.add_plugin(CopyTemplate())
    template = write_template(tmp_path / "t.docx", "{{ untouched }}")
    docgen_hooks.render_document(template, {}, tmp_path / "out.docx")
    assert docx_text(tmp_path / "out.docx").strip() == "{{ untouched }}"


def test_hook_closed_lists_are_joined_without_repeats(docgen_hooks):
    class Region:
        @hookimpl
        def docgen_closed_lists(self):
            return {"mentoring_forms": ["Наставник – молодой специалист", "Учитель – учитель"],
                    "reward_kinds": ["нагрудный знак"]}

    before = docgen_hooks.closed_lists().get("mentoring_forms", [])
    docgen_hooks.add_plugin(Region())
    lists = docgen_hooks.closed_lists()
    assert lists["mentoring_forms"][:len(before)] == before
    assert lists["mentoring_forms"].count("Учитель – учитель") == 1
    assert "Наставник – молодой специалист" in lists["mentoring_forms"] and "нагрудный знак" in lists["reward_kinds"]


def test_hook_update_context_has_the_last_word_of_an_added_plugin(docgen_hooks):
    class Region:
        @hookimpl
        def docgen_update_context(self, doc_type, data, context):
            context["heading"] = context["heading"].upper()

    info = docgen_hooks.add_plugin(Region(), "region")
    pair_order = docgen_hooks.registry().get("pair_order")
    context = {"heading": "о закреплении"}
    docgen_hooks.update_context(pair_order, {}, context)
    assert context["heading"] == "О ЗАКРЕПЛЕНИИ" and info.key == "added:region"
    assert docgen_hooks.type_origins["pair_order"] == "builtin:pair_order"


def test_hook_register_types_adds_a_type_named_after_its_plugin(docgen_hooks, docgen_workspace):
    class Monitoring:
        @hookimpl
        def docgen_register_types(self, registry):
            from docgen.schemas import document_schema

            registry.add(DocumentType(id="monitoring", title="Мониторинг наставничества",
                                      schema=document_schema("monitoring", "Мониторинг", {}, []),
                                      template="monitoring.docx", build_context=lambda data, info: {},
                                      heading=lambda data: "О мониторинге", kind_label="Справка", aliases=("мониторинг",)))

    assert "monitoring" not in docgen_hooks.registry()
    docgen_hooks.add_plugin(Monitoring(), "monitoring")
    registry = docgen_hooks.registry()
    assert registry.find("Мониторинг") is registry.get("monitoring")
    assert registry.get("monitoring").heading({}) == "О мониторинге"
    assert docgen_hooks.type_origins["monitoring"] == "added:monitoring"
    assert "monitoring" not in get_plugin_manager(docgen_workspace.plugins, entry_points=False).registry()


# --- tracing -------------------------------------------------------------------------------------------------

def test_trace_names_hooks_and_plugins_but_never_values(docgen_workspace, monkeypatch, capsys):
    monkeypatch.setenv("DOCGEN_TRACE_PLUGINS", "1")
    hooks = get_plugin_manager(docgen_workspace.plugins)
    data = {"type": "consent", "subject": {"name": "Петров Сергей", "document": {"number": "987654"}}}
    hooks.check_document(hooks.registry().get("consent"), data)
    trace = capsys.readouterr().err
    assert "[docgen trace] docgen_register_types(registry) → builtin:pair_order" in trace
    assert "[docgen trace] docgen_check_document(doc_type, data)" in trace
    assert "987654" not in trace and "Петров" not in trace


def test_no_trace_without_the_variable(docgen_workspace, monkeypatch, capsys):
    monkeypatch.delenv("DOCGEN_TRACE_PLUGINS", raising=False)
    get_plugin_manager(docgen_workspace.plugins).registry()
    assert "[docgen trace]" not in capsys.readouterr().err


# --- docgen.testing -----------------------------------------------------------------------------------------------

def test_suite_ignores_installed_plugins_but_fixture_registers_them(request, tmp_path, monkeypatch, entry_point_sites):
    site = tmp_path / "site"
    name = installed_package(site, LAYER_PLUGIN.format(layer="package"))
    monkeypatch.syspath_prepend(str(site))
    entry_point_sites.append(site)
    hooks = request.getfixturevalue("docgen_hooks")  # this suite sets docgen_entry_points = false
    assert not [i for i in hooks.infos if i.origin == "entry point"]
    register = request.getfixturevalue("docgen_register_plugin")
    module = __import__(name)
    assert register(module).key == f"added:{name}"
    assert register(module).key == f"added:{name}"  # not added twice
    assert hooks.registry().get("pair_order").title == "package pair order"


# --- the region example, as installed ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def region_installed(tmp_path_factory) -> dict:
    """Environment for a subprocess in which the example is an installed distribution with its entry point."""
    site = tmp_path_factory.mktemp("region-site")
    entry_points = textwrap.dedent((REGION_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    assert 'region_example = "docgen_region_example"' in entry_points
    write_dist_info(site, "docgen-region-example", {"region_example": "docgen_region_example"})
    return {"PYTHONPATH": os.pathsep.join([str(site), str(REGION_DIR)])}


@pytest.mark.slow
def test_installed_example_adds_its_type(region_installed, docgen_workspace):
    result = run_docgen("types", env=region_installed, workspace=docgen_workspace, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "mentoring_report" in result.stdout and "Отчёт о реализации программы наставничества" in result.stdout
    plugins = run_docgen("plugins", env=region_installed, workspace=docgen_workspace, cwd=ROOT)
    line = next(line for line in plugins.stdout.splitlines() if line.startswith("region_example"))
    assert "entry point" in line and "загружен" in line and plugins.returncode == 0


@pytest.mark.libreoffice
def test_installed_example_processes_its_example(region_installed, docgen_workspace):
    example = REGION_DIR / "example.json"
    result = run_docgen("process", str(example), env=region_installed, workspace=docgen_workspace, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    [docx] = docgen_workspace.outbox.glob("*Отчёт*01-12-1*.docx")
    [pdf] = docgen_workspace.outbox.glob("*Отчёт*01-12-1*.pdf")
    assert "Министерство образования Калининградской области" in docx_text(docx)
    assert "Наставник – молодой специалист" in " ".join(pdf_text(pdf).split())
    assert json.loads(example.read_text(encoding="utf-8"))["type"] == "mentoring_report"


@pytest.mark.libreoffice
@pytest.mark.slow
def test_example_plugin_own_test_suite_passes(region_installed):
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=REGION_DIR,
                            env={**os.environ, **region_installed}, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout
