"""Many schools, one service: workspaces under one folder served by one process with one converter."""
from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import pytest

from helpers import load_example, run_docgen
from docgen.pdf.converter import Converter
from docgen.schools import SchoolsService, find_workspaces
from docgen.settings import ConversionOptions, Workspace
from docgen.testing import docx_text, pdf_text
from docgen.workspace_init import init_workspace

DEMO_NAME = "Средняя общеобразовательная школа № 7 имени А.С. Пушкина"
DEMO_SHORT = "МБОУ «СОШ № 7 им. А.С. Пушкина»"


def make_school(root: Path, number: int, suffix: str, extra: str = "") -> Workspace:
    """A demo workspace turned into school № ``number``, whose orders are numbered «1-``suffix``»."""
    init_workspace(root, demo=True)
    config = root / "docgen.toml"
    text = config.read_text(encoding="utf-8")
    for before, after in ((DEMO_NAME, f"Средняя общеобразовательная школа № {number}"),
                          (DEMO_SHORT, f"МБОУ «СОШ № {number}»"), ('format = "{n}-од"', f'format = "{{n}}-{suffix}"')):
        assert before in text
        text = text.replace(before, after)
    config.write_text(text + extra, encoding="utf-8")
    return Workspace(root)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def drop_order(workspace: Workspace, name: str = "Приказ о парах.json") -> Path:
    path = workspace.inbox / name
    path.write_text(json.dumps(load_example("pair_order.json"), ensure_ascii=False), encoding="utf-8")
    return path


def wait_for(predicate, seconds: float = 90.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def district(tmp_path):
    """A folder of three schools (№ 1, 2, 3; orders «N-А», «N-Б», «N-В») and a folder that is no workspace."""
    root = tmp_path / "schools"
    schools = [make_school(root / f"school-{n}", n, suffix) for n, suffix in ((1, "А"), (2, "Б"), (3, "В"))]
    (root / "archive").mkdir()
    return root, schools


@pytest.fixture
def serving(district, tmp_path):
    """The district served in a thread by one SchoolsService with one converter (one warm LibreOffice)."""
    root, schools = district
    converter = Converter(ConversionOptions(workers=1), tmp_path / "service-state")
    outcomes: list[tuple[str, object]] = []
    service = SchoolsService([root], converter, lambda school, outcome: outcomes.append((school, outcome)), rescan=0.5)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    yield service, schools, outcomes
    service.stop()
    thread.join(60)
    converter.close()
    assert not thread.is_alive()


def test_workspaces_are_the_folders_with_a_docgen_toml(district, tmp_path):
    root, schools = district
    lone = make_school(tmp_path / "department", 99, "УО")
    assert find_workspaces([root, lone.root]) == [s.root for s in schools] + [lone.root]
    assert find_workspaces([root, root / "school-2"]) == [s.root for s in schools]  # each once


def orders_of(service: SchoolsService, school: Workspace) -> list[str]:
    return [entry.number for entry in service.served[school.root].pipeline.register.entries()]


@pytest.mark.libreoffice
def test_three_schools_served_by_one_process_each_with_its_own_letterhead_and_numbers(serving):
    service, schools, outcomes = serving
    for school in schools:
        drop_order(school)
    for school in schools:
        assert wait_for(lambda: (school.processed / "Приказ о парах.json").exists()), school.root.name
    for number, (school, suffix) in enumerate(zip(schools, "АБВ"), start=1):
        [docx] = school.outbox.glob("*.docx")
        [pdf] = school.outbox.glob("*.pdf")
        assert f"1-{suffix}" in docx.name and f"1-{suffix}" in plain(pdf_text(pdf))
        letterhead = plain(docx_text(docx))
        assert f"Средняя общеобразовательная школа № {number}" in letterhead
        others = {1, 2, 3} - {number}
        assert not any(f"школа № {other}" in letterhead for other in others)
        assert DEMO_NAME not in letterhead
        assert orders_of(service, school) == [f"1-{suffix}"]
    assert sorted(name for name, outcome in outcomes if outcome.ok and outcome.documents) == \
        ["school-1", "school-2", "school-3"]
    pools = {id(service.served[s.root].pipeline.converter) for s in schools}
    registers = {id(service.served[s.root].pipeline.register) for s in schools}
    hooks = {id(service.served[s.root].pipeline.hooks) for s in schools}
    assert len(pools) == 1 and len(registers) == 3 and len(hooks) == 3


@pytest.mark.libreoffice
def test_a_broken_workspace_is_reported_and_skipped_and_a_new_one_is_picked_up(district, tmp_path, caplog):
    root, schools = district
    broken = schools[1]
    broken.config.write_text(broken.config.read_text(encoding="utf-8").replace(
        'year_start = "01-01"', 'year_start = "1 сентября"', 1), encoding="utf-8")
    converter = Converter(ConversionOptions(workers=1), tmp_path / "service-state")
    service = SchoolsService([root], converter, lambda school, outcome: None, rescan=0.3)
    thread = threading.Thread(target=service.run, daemon=True)
    with caplog.at_level(logging.INFO, logger="docgen"):
        thread.start()
        try:
            drop_order(schools[0])
            drop_order(broken)
            assert wait_for(lambda: (schools[0].processed / "Приказ о парах.json").exists())
            late = make_school(root / "school-4", 4, "Г")  # a school added while the service runs
            drop_order(late)
            assert wait_for(lambda: (late.processed / "Приказ о парах.json").exists())
            assert orders_of(service, late) == ["1-Г"]
        finally:
            service.stop()
            thread.join(60)
            converter.close()
    assert broken.root not in service.served
    assert (broken.inbox / "Приказ о парах.json").exists()  # untouched: nothing taken, nothing drawn
    assert not broken.register.exists()
    refusals = [r.getMessage() for r in caplog.records if "не обслуживается" in r.getMessage()]
    assert len(refusals) == 1, "reported once, not at every scan"
    assert f"рабочая папка «{broken.root}» не обслуживается, пока её не исправят" in refusals[0]
    assert "«1 сентября» — не день в виде ММ-ДД" in refusals[0]


@pytest.mark.slow
def test_the_command_serves_the_department_and_the_schools_and_names_each(district, tmp_path):
    root, schools = district
    department = make_school(tmp_path / "department", 99, "УО",
                             extra='\n[service]\nworkspaces = ["../schools"]\nrescan = 0.5\n')  # from its own folder
    text = department.config.read_text(encoding="utf-8").replace("[conversion]\n", "[conversion]\nenabled = false\n", 1)
    department.config.write_text(text, encoding="utf-8")  # DOCX only: this test is about the serving
    (schools[2].config).write_text("[organization\n", encoding="utf-8")
    for workspace in (department, *schools):
        drop_order(workspace)
    result = run_docgen("--workspace", str(department.root), "watch", "--seconds", "12", timeout=120)
    assert result.returncode == 0, result.stderr
    for workspace, suffix in ((department, "УО"), (schools[0], "А"), (schools[1], "Б")):
        [docx] = workspace.outbox.glob("*.docx")
        assert f"1-{suffix}" in docx.name
        listing = run_docgen("--workspace", str(workspace.root), "register", "list")
        assert f"1-{suffix}" in listing.stdout
        assert not any(f"1-{other}" in listing.stdout for other in {"УО", "А", "Б"} - {suffix})
        assert f"[{workspace.root.name}] Готово: " in result.stdout
    assert f"[school-3] рабочая папка «{schools[2].root}» не обслуживается" in result.stderr
    assert "ошибка записи" in result.stderr and "Traceback" not in result.stderr
    assert (schools[2].inbox / "Приказ о парах.json").exists()
    assert (department.state / "docgen.log").is_file()


NUMBERING_PLUGIN = '''"""This school's own numbers: «N/{tag}» for every series."""
from docgen import hookimpl


@hookimpl
def docgen_format_number(series, year, sequence, pattern, data):
    return f"{{sequence}}/{tag}"
'''


def test_a_schools_plugins_reach_no_other_school(district, tmp_path):
    root, schools = district
    for school, tag in ((schools[0], "один"), (schools[1], "два")):  # the same module name, different code
        (school.plugins / "numbering.py").write_text(NUMBERING_PLUGIN.format(tag=tag), encoding="utf-8")
    converter = Converter(ConversionOptions(enabled=False), tmp_path / "service-state")
    service = SchoolsService([root], converter, lambda school, outcome: None, rescan=0.3)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    try:
        for school in schools:
            drop_order(school)
        for school in schools:
            assert wait_for(lambda: (school.processed / "Приказ о парах.json").exists(), 60), school.root.name
        numbers = [orders_of(service, school) for school in schools]
    finally:
        service.stop()
        thread.join(60)
        converter.close()
    assert numbers == [["1/один"], ["1/два"], ["1-В"]]


@pytest.mark.libreoffice
def test_watch_workspaces_runs_outside_any_workspace_and_keeps_its_state_beside_the_schools(district, tmp_path):
    root, schools = district
    for school in schools:
        drop_order(school)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = run_docgen("watch", "--workspaces", root, "--seconds", "20", timeout=180, cwd=outside)
    assert result.returncode == 0, result.stderr
    for school, suffix in zip(schools, "АБВ"):
        [pdf] = school.outbox.glob("*.pdf")
        assert f"1-{suffix}" in plain(pdf_text(pdf))
    assert (root / ".docgen" / "docgen.log").is_file()
    assert list(outside.iterdir()) == []  # nothing made where it was started


def test_schools_sharing_one_postgresql_keep_their_journals_apart(tmp_path, docgen_pg_url):
    """Three schools, the same series «N-од», one PostgreSQL database: each draws and sees only its own numbers."""
    from docgen.testing import disable_conversion, use_register

    root = tmp_path / "schools"
    schools = [make_school(root / f"school-{n}", n, "од") for n in (1, 2, 3)]
    for school in schools:
        use_register(school, docgen_pg_url)  # no school key: each is kept apart under its folder's name
        disable_conversion(school)
    converter = Converter(ConversionOptions(enabled=False), tmp_path / "service-state")
    service = SchoolsService([root], converter, lambda school, outcome: None, rescan=0.5)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    try:
        assert wait_for(lambda: len(service.served) == 3)
        for count, school in zip((2, 1, 0), schools):
            for i in range(count):  # two different orders (the same bytes twice would be a repeat)
                order = load_example("pair_order.json")
                order["date"] = f"2023-09-0{i + 1}"
                (school.inbox / f"Приказ {i}.json").write_text(json.dumps(order, ensure_ascii=False), encoding="utf-8")
        for count, school in zip((2, 1, 0), schools):
            assert wait_for(lambda: len(list(school.processed.glob("*.json"))) == count, 30), \
                (school.root.name, sorted(p.name for p in school.inbox.rglob("*")))
        assert [orders_of(service, s) for s in schools] == [["1-од", "2-од"], ["1-од"], []]
        for number, school in enumerate(schools[:2], start=1):
            for docx in school.outbox.glob("*.docx"):
                assert f"Средняя общеобразовательная школа № {number}" in plain(docx_text(docx))
    finally:
        service.stop()
        thread.join(timeout=30)
        converter.close()
