"""docgen.toml is checked when any command starts: each mistake an admin makes, with its Russian message.

Also: a new workspace holds placeholders and issues nothing until filled in; the
repository's own workspace is the demo school; a folder that is not a workspace
is refused with nothing created in it.
"""
from __future__ import annotations

import dataclasses
import tomllib

import pytest

from helpers import EXAMPLES, ROOT, run_docgen
from docgen.config_schema import CONFIG_SCHEMA, ConfigError
from docgen.errors import DocgenError
from docgen.settings import ConversionOptions, InboxOptions, Workspace
from docgen.workspace_init import EXAMPLE_CONFIG, init_workspace

DEMO = EXAMPLE_CONFIG.read_text(encoding="utf-8")


def workspace_with(tmp_path, old: str, new: str) -> Workspace:
    """The demo workspace with one piece of its docgen.toml changed, as an admin would edit it."""
    text = DEMO
    for before, after in zip(old.split("|"), new.split("|")):  # «|» separates several edits
        assert before in text, before
        text = text.replace(before, after, 1)
    init_workspace(tmp_path, demo=True)
    (tmp_path / "docgen.toml").write_text(text, encoding="utf-8")
    return Workspace(tmp_path)


def problems_of(workspace: Workspace) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        workspace.load_settings()
    return caught.value.problems


CASES = {
    "misspelt key": ("stability_delay = 1.0", "stabilty_delay = 1.0",
                     "docgen.toml, [inbox] stabilty_delay: неизвестный параметр; возможно, вы имели в виду «stability_delay»"),
    "misspelt section": ("[organization]", "[organisation]",
                         "docgen.toml, [organisation]: неизвестный раздел; возможно, вы имели в виду «organization»"),
    "key in a series": ('format = "{n}-од"', 'fromat = "{n}-од"',
                        "docgen.toml, [series.orders] fromat: неизвестный параметр; возможно, вы имели в виду «format»"),
    "number as text": ("stability_delay = 1.0", 'stability_delay = "1 секунда"',
                       'docgen.toml, [inbox] stability_delay: должно быть число, а указано "1 секунда"'),
    "flag as text": ("polling = false", 'polling = "нет"',
                     'docgen.toml, [inbox] polling: должно быть true или false, а указано "нет"'),
    "fraction of workers": ("workers = 0", "workers = 1.5",
                            "docgen.toml, [conversion] workers: должно быть целое число, а указано 1.5"),
    "negative delay": ("stability_delay = 1.0", "stability_delay = -1",
                       "docgen.toml, [inbox] stability_delay: должно быть не меньше 0, а указано -1"),
    "zero interval": ("poll_interval = 2.0", "poll_interval = 0",
                      "docgen.toml, [inbox] poll_interval: должно быть больше 0, а указано 0"),
    "name as number": ('position = "Директор"', "position = 5",
                       "docgen.toml, [director] position: должно быть текст в кавычках, а указано 5"),
    "empty director": ('name = "Сафарова Зарина Алиевна"', 'name = ""', "docgen.toml, [director] name: не заполнено"),
    "no director": ('name = "Сафарова Зарина Алиевна"', 'fio = "Сафарова Зарина Алиевна"',
                    "docgen.toml, [director]: не указан обязательный параметр name (ФИО руководителя)"),
    "no director section": ('[director]\nname = "Сафарова Зарина Алиевна"\nposition = "Директор"\n', "",
                            "docgen.toml: нет обязательного раздела [director] (руководитель)"),
    "year of a series start": ('year_start = "01-01"', 'year_start = "01-01"\nstart = { 26 = 53 }',
                               "docgen.toml, [series.orders.start]: «26» — нужен год из четырёх цифр, например 2026"),
    "qr as text": ("[inbox]\n", '[signing]\nqr = "да"\n\n[inbox]\n',
                   'docgen.toml, [signing] qr: должно быть true или false или список, а указано "да"'),
    "port out of range": ("[inbox]\n", "[web]\nport = 80800\n\n[inbox]\n",
                          "docgen.toml, [web] port: должно быть не больше 65535, а указано 80800"),
    "pattern without n": ('format = "{n}-од"', 'format = "од"',
                          "docgen.toml, [series.orders] format: в формате номера «од» нет {n}"),
    "unknown placeholder": ('format = "{n}-од"', 'format = "{n}-{month}"',
                            "docgen.toml, [series.orders] format: неизвестная подстановка {month} в формате номера"),
    "unbalanced brace": ('format = "{n}-од"', 'format = "{n-од"',
                         "docgen.toml, [series.orders] format: непарная фигурная скобка"),
    "year start in words": ('[series.orders]\ntitle = "Приказы по основной деятельности"\nformat = "{n}-од"\nyear_start = "01-01"',
                            '[series.orders]\ntitle = "Приказы по основной деятельности"\nformat = "{n}-од"\nyear_start = "1 сентября"',
                            'docgen.toml, [series.orders] year_start: «1 сентября» — не день в виде ММ-ДД (месяц-день); '
                            'напишите, например, "09-01" для 1 сентября'),
    "impossible day": ('year_start = "01-01"', 'year_start = "02-30"',
                       "docgen.toml, [series.orders] year_start: «02-30»: такого дня нет"),
    "year start as date": ('year_start = "01-01"', 'year_start = 2023-09-01',
                           "docgen.toml, [series.orders] year_start: должно быть текст в кавычках, а указано 2023-09-01"),
    "missing series": ('pair_order = "orders"', 'pair_order = "order"',
                       "docgen.toml, [documents] pair_order: серия «order» не описана (нет раздела [series.order]); "
                       "возможно, вы имели в виду «orders»"),
    "section as value": ("demo = true\n|[inbox]\n", "demo = true\ninbox = 5\n|[inbox_old]\n",
                         "docgen.toml, inbox: должно быть раздел (таблица), а указано 5"),
    "demo as text": ("demo = true\n", 'demo = "да"\n', 'docgen.toml, demo: должно быть true или false, а указано "да"'),
}


@pytest.mark.parametrize("old, new, message", CASES.values(), ids=CASES.keys())
def test_each_configuration_mistake_has_a_russian_message_with_its_key(tmp_path, old, new, message):
    problems = problems_of(workspace_with(tmp_path, old, new))
    assert any(message in p for p in problems), problems


def test_every_mistake_is_listed_at_once(tmp_path):
    ws = workspace_with(tmp_path, "stability_delay = 1.0\n", 'stabilty_delay = 1.0\n')
    config = ws.config.read_text(encoding="utf-8").replace("max_file_mb = 20.0", 'max_file_mb = "много"')
    ws.config.write_text(config, encoding="utf-8")
    problems = problems_of(ws)
    assert len(problems) == 2, problems
    assert any("[inbox] stabilty_delay" in p for p in problems) and any("[inbox] max_file_mb" in p for p in problems)


def test_a_toml_syntax_error_names_the_line(tmp_path):
    ws = workspace_with(tmp_path, 'place = "г. Светлогорск"', 'place = г. Светлогорск')
    with pytest.raises(DocgenError, match=r"docgen.toml, строка \d+, позиция \d+: ошибка записи"):
        ws.load_settings()


def test_a_config_saved_in_windows_1251_is_named(tmp_path):
    init_workspace(tmp_path, demo=True)
    (tmp_path / "docgen.toml").write_bytes(DEMO.encode("cp1251", errors="replace"))
    with pytest.raises(DocgenError, match="не в UTF-8"):
        Workspace(tmp_path).load_settings()


def test_the_schema_declares_exactly_the_options_docgen_reads():
    for name, options in (("inbox", InboxOptions), ("conversion", ConversionOptions)):
        declared = set(CONFIG_SCHEMA["properties"][name]["properties"])
        assert {f.name for f in dataclasses.fields(options)} <= declared, name


def test_the_demo_and_the_init_template_pass_the_schema():
    for text in (DEMO, (ROOT / "docgen.toml").read_text(encoding="utf-8")):
        Workspace  # noqa: B018 - parsed and checked below
        from docgen.config_schema import check_config

        check_config(tomllib.loads(text))


@pytest.mark.parametrize("args", [("process", str(EXAMPLES / "pair_order.json")), ("validate", str(EXAMPLES / "pair_order.json")),
                                  ("register", "list"), ("types",), ("plugins",)], ids=lambda a: a[0])
@pytest.mark.slow
def test_every_command_refuses_a_broken_config_at_start(tmp_path, args):
    workspace_with(tmp_path, "stability_delay = 1.0", "stabilty_delay = 1.0")
    result = run_docgen("--workspace", str(tmp_path), *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "[inbox] stabilty_delay: неизвестный параметр; возможно, вы имели в виду «stability_delay»" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "register.sqlite").exists() and list((tmp_path / "outbox").iterdir()) == []


def test_watch_refuses_to_start_on_a_broken_config(tmp_path):
    workspace_with(tmp_path, 'year_start = "01-01"', 'year_start = "1 сентября"')
    (tmp_path / "inbox" / "pair_order.json").write_bytes((EXAMPLES / "pair_order.json").read_bytes())
    result = run_docgen("watch", "--workspace", str(tmp_path), "--seconds", "30", timeout=60)
    assert result.returncode == 2
    assert 'year_start: «1 сентября» — не день в виде ММ-ДД (месяц-день); напишите, например, "09-01"' in result.stderr
    assert "Внутренняя ошибка" not in result.stderr + result.stdout and "ValueError" not in result.stderr
    assert (tmp_path / "inbox" / "pair_order.json").exists()  # not taken
    assert not (tmp_path / "register.sqlite").exists()


@pytest.mark.slow
def test_a_new_workspace_issues_nothing_until_the_school_is_filled_in(tmp_path):
    assert run_docgen("init", str(tmp_path)).returncode == 0
    config = (tmp_path / "docgen.toml").read_text(encoding="utf-8")
    assert "Сафарова" not in config and "СОШ № 7" not in config and "demo = true" not in config
    assert 'name = "ЗАПОЛНИТЕ: ФИО руководителя"' in config
    # checking is allowed, issuing is not
    assert run_docgen("validate", str(EXAMPLES / "pair_order.json"), "-w", str(tmp_path)).returncode == 0
    result = run_docgen("process", str(EXAMPLES / "pair_order.json"), "-w", str(tmp_path))
    assert result.returncode == 2
    assert "не заполнены реквизиты школы: [organization] name" in result.stderr and "[director] name" in result.stderr
    assert "впишите их вместо строк «ЗАПОЛНИТЕ: …»" in result.stderr
    assert not (tmp_path / "register.sqlite").exists() and list((tmp_path / "outbox").iterdir()) == []
    watch = run_docgen("watch", "-w", str(tmp_path), "--seconds", "5", timeout=60)
    assert watch.returncode == 2 and "не заполнены реквизиты школы" in watch.stderr


@pytest.mark.libreoffice
def test_once_filled_in_the_new_workspace_issues_with_the_schools_own_details(tmp_path):
    init_workspace(tmp_path)
    config = tmp_path / "docgen.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('"ЗАПОЛНИТЕ: полное наименование по уставу"', '"МАОУ «Лицей № 3»"')
    text = text.replace('"ЗАПОЛНИТЕ: ФИО руководителя"', '"Орлов Пётр Ильич"')
    for line in [ln for ln in text.splitlines() if "ЗАПОЛНИТЕ" in ln]:
        text = text.replace(line, line.split("=")[0] + '= ""')
    config.write_text(text, encoding="utf-8")
    result = run_docgen("process", str(EXAMPLES / "pair_order.json"), "-w", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1-од" in result.stdout and "демонстрационная" not in result.stderr
    from docgen.testing import pdf_text

    [pdf] = (tmp_path / "outbox").glob("*.pdf")
    text = pdf_text(pdf)
    assert "Лицей №\u00a03" in text and "Орлов" in text and "ЗАПОЛНИТЕ" not in text and "Сафарова" not in text


def test_the_repository_workspace_is_the_demo_and_says_so(tmp_path):
    settings = Workspace(ROOT).load_settings()
    assert settings.demo and not settings.unfilled()
    assert (ROOT / "docgen.toml").read_text(encoding="utf-8") == DEMO


@pytest.mark.parametrize("args", [("register", "list"), ("register", "export"), ("process", "x.json"),
                                  ("watch", "--seconds", "1"), ("plugins",), ("validate", "x.json")], ids=" ".join)
@pytest.mark.slow
def test_a_folder_that_is_not_a_workspace_is_refused_and_nothing_is_created(tmp_path, args):
    result = run_docgen(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert f"Папка {tmp_path} — не рабочая папка docgen: в ней нет файла docgen.toml" in result.stderr
    assert "docgen init" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_plugins_own_section_is_accepted_and_a_misspelt_one_is_not(tmp_path):
    ws = workspace_with(tmp_path, "demo = true\n", "demo = true\n")
    (tmp_path / "plugins" / "region_example.py").write_text("", encoding="utf-8")
    with open(ws.config, "a", encoding="utf-8") as config:
        config.write('\n[region_example]\nshare = "/mnt/uo"\n')
    assert ws.load_settings().raw["region_example"] == {"share": "/mnt/uo"}
    ws.config.write_text(ws.config.read_text(encoding="utf-8").replace("[region_example]", "[region_exmple]"),
                         encoding="utf-8")
    assert problems_of(ws) == ["docgen.toml, [region_exmple]: неизвестный раздел; возможно, вы имели в виду «region_example»"]
    # a plugin added in memory (tests, embedding) names its section too
    (tmp_path / "plugins" / "region_example.py").unlink()
    assert ws.load_settings(plugin_names=["region_exmple"]).raw["region_exmple"]["share"] == "/mnt/uo"


def test_a_misspelt_document_type_in_documents_is_named_at_start(tmp_path, caplog):
    from docgen.pipeline import Pipeline

    ws = workspace_with(tmp_path, 'reward_order = "orders"', 'reward_ordr = "orders"')
    Pipeline(ws).close()
    assert ("docgen.toml, [documents] reward_ordr: такого типа документа нет; возможно, вы имели в виду «reward_order»"
            in caplog.text)
