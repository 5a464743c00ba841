"""Hostile and broken input (RELIABILITY.md 35–41): each attack that once took the service down, leaked or lied.

Every hostile file is made here, in the test. Each test processes it the way
the service does (``Pipeline.process`` on a file in the inbox, or a real
``docgen`` subprocess) and checks the outcome a person would see: the file in
``inbox/failed/`` with a Russian report that says what happened, no number
drawn, nothing personal quoted, the service still working.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import drop, load_example, run_docgen
from docgen.register import Register
from docgen.reports import REPORT_SUFFIX
from docgen.settings import Workspace
from docgen.workspace_init import init_workspace

ROOT = Path(__file__).resolve().parent.parent

# --- hostile files, made by hand --------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Пары" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>')
HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Наставник</t></is></c>'
          '<c r="B1" t="inlineStr"><is><t>Наставляемый</t></is></c></row>')


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def raw_xlsx(path: Path, rows: str, after_data: str = "", before_data: str = "") -> Path:
    """A minimal xlsx written byte by byte: nothing a library would tidy up."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'{before_data}<sheetData>{rows}</sheetData>{after_data}</worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


# --- workspace helpers ---------------------------------------------------------------------------------


def configure(ws: Workspace, section: str, lines: str) -> None:
    """Set ``lines`` («key = value») under ``[section]`` of the workspace's docgen.toml (a key already there is replaced)."""
    import re

    text = ws.config.read_text(encoding="utf-8")
    rest = []
    for line in lines.splitlines():
        key = line.split("=", 1)[0].strip()
        text, found = re.subn(rf"(?m)^{re.escape(key)}\s*=.*$", line.replace("\\", "\\\\"), text, count=1)
        if not found:
            rest.append(line)
    lines = "\n".join(rest)
    if not lines:
        pass
    elif f"[{section}]\n" in text:
        text = text.replace(f"[{section}]\n", f"[{section}]\n{lines}\n", 1)
    else:
        text += f"\n[{section}]\n{lines}\n"
    ws.config.write_text(text, encoding="utf-8")


@pytest.fixture
def ws(tmp_path) -> Workspace:
    workspace = Workspace(tmp_path / "ws")
    init_workspace(workspace.root, demo=True)
    configure(workspace, "conversion", "enabled = false")
    return workspace


def process(ws: Workspace, path: Path):
    from docgen.pipeline import Pipeline

    pipeline = Pipeline(ws)
    try:
        return pipeline.process(path)
    finally:
        pipeline.close()


def reports(ws: Workspace) -> dict[str, str]:
    """Report name → text of every report in failed/."""
    return {p.name: p.read_text(encoding="utf-8-sig") for p in ws.failed.iterdir() if p.name.endswith(REPORT_SUFFIX)}


def only_report(ws: Workspace) -> str:
    found = reports(ws)
    assert len(found) == 1, sorted(found)
    return next(iter(found.values()))


def numbers(ws: Workspace) -> list[str]:
    return [e.number for e in Register(ws.register).entries()]


def assert_set_aside(ws: Workspace, name: str, *phrases: str) -> str:
    """The input is in failed/ with a Russian report saying each phrase; no number was drawn."""
    assert (ws.failed / name).exists(), sorted(p.name for p in ws.failed.iterdir())
    assert not list(ws.processing.iterdir())
    text = only_report(ws)
    assert "номера НЕ выдавались" in text
    for phrase in phrases:
        assert phrase in text, text
    assert numbers(ws) == []
    assert "Error" not in text and "Traceback" not in text
    return text


# --- 1. untrusted files are parsed where a crash cannot reach the service ----------------------------------


FAR_CELLS = {
    # calamine allocated 16384 × 1048576 cells (512 GiB) and aborted the whole process
    "empty value far away": HEADER + '<row r="1048576"><c r="XFD1048576" t="str"><v></v></c></row>',
    "blank value far away": HEADER + '<row r="1048576"><c r="XFD1048576"><v> </v></c></row>',
    "lower-case reference": HEADER.replace("</row>", inline("xfd1048576", "x") + "</row>"),
    # the row element says 1, the cell says row 99 999 999: calamine wanted > 3 GB
    "cell below its row": HEADER.replace("</row>", inline("A99999999", "x") + "</row>"),
    "absolute reference": HEADER.replace("</row>", inline("$XFD$1048576", "x") + "</row>"),
}


@pytest.mark.parametrize("attack", sorted(FAR_CELLS))
def test_a_cell_far_away_that_crashed_the_reader_is_refused_in_russian(ws, attack):
    path = raw_xlsx(ws.inbox / "Пары.xlsx", FAR_CELLS[attack])
    assert path.stat().st_size < 2000
    outcome = process(ws, path)
    assert not outcome.ok
    assert_set_aside(ws, "Пары.xlsx", "заполнены ячейки слишком далеко")


def test_overlapping_merged_ranges_are_refused_at_once(ws):
    rows = HEADER + "".join(f'<row r="{r}">{inline(f"A{r}", "Иванов И.И.")}{inline(f"B{r}", "Петров")}</row>'
                            for r in range(2, 4000))
    merges = "".join(f'<mergeCell ref="A{r}:B20000"/>' for r in range(2, 4000))
    path = raw_xlsx(ws.inbox / "Пары.xlsx", rows, f'<mergeCells count="3998">{merges}</mergeCells>')
    assert path.stat().st_size < 300_000
    process(ws, path)
    assert_set_aside(ws, "Пары.xlsx", "объединённые ячейки накладываются")


def test_too_many_merged_ranges_are_refused(ws):
    merges = "".join(f'<mergeCell ref="C{r}:D{r}"/>' for r in range(2, 6003))
    path = raw_xlsx(ws.inbox / "Пары.xlsx", HEADER, f'<mergeCells count="6001">{merges}</mergeCells>')
    process(ws, path)
    assert_set_aside(ws, "Пары.xlsx", "объединённых ячеек слишком много")


def test_a_reader_that_runs_out_of_memory_aborts_in_its_child_and_the_file_gets_a_report(ws):
    # a valid sheet whose far corner makes the native reader allocate ~190 MB: more than this workspace allows
    configure(ws, "inbox", "parse_memory_mb = 100")
    corner = HEADER + '<row r="20000"><c r="KN20000"><v>1</v></c></row>'
    path = raw_xlsx(ws.inbox / "Пары.xlsx", corner)
    outcome = process(ws, path)
    assert not outcome.ok
    assert_set_aside(ws, "Пары.xlsx", "повреждён или слишком сложен", "больше 100 МБ памяти")


@pytest.mark.slow
def test_a_parse_longer_than_the_time_limit_is_stopped(ws):
    configure(ws, "inbox", "parse_timeout = 1")
    columns = [chr(65 + c // 26) + chr(65 + c % 26) for c in range(80)]  # AA … DB: 80 columns
    body = HEADER + "".join(f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>{r}</v></c>' for col in columns) + "</row>"
                            for r in range(2, 19000))  # 1.5 million cells: several seconds of parsing on any machine
    path = raw_xlsx(ws.inbox / "Пары.xlsx", body)
    process(ws, path)
    assert_set_aside(ws, "Пары.xlsx", "повреждён или слишком сложен", "больше 1 с")


def test_the_parse_result_comes_back_as_plain_data_only(tmp_path):
    import pickle

    from docgen.sandbox import read_result

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo owned",))

    target = tmp_path / "result.pickle"
    target.write_bytes(pickle.dumps(("ok", Evil())))
    assert read_result(target) is None
    target.write_bytes(pickle.dumps(("ok", [{"rows": [[1.5, "a", None]], "hidden_rows": {1}}])))
    assert read_result(target)[1][0]["hidden_rows"] == {1}


def crash_workspace(tmp_path: Path) -> Workspace:
    workspace = Workspace(tmp_path / "ws")
    init_workspace(workspace.root, demo=True)
    configure(workspace, "conversion", "enabled = false")
    drop(workspace, "Приказ.json", load_example("pair_order.json"))
    return workspace


def run_process(ws: Workspace, *files: Path, pause_at: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return run_docgen("process", *files, workspace=ws, cwd=ROOT, env={"DOCGEN_PAUSE_AT": pause_at or None},
                      timeout=timeout)


@pytest.mark.slow
def test_start_up_recovery_never_loops_on_a_file_that_keeps_killing_its_worker(tmp_path):
    ws = crash_workspace(tmp_path)
    path = ws.inbox / "Приказ.json"
    for _ in range(3):  # the first run and two recoveries die on this file
        assert run_process(ws, path, pause_at="numbered").returncode == -9
    [drawn] = numbers(ws)
    result = run_process(ws, path)
    assert (ws.failed / "Приказ.json").exists(), result.stdout + result.stderr
    text = only_report(ws)
    assert "несколько раз подряд аварийно остановила программу" in text
    assert f"№\u00a0{drawn}" in text and "аннулированы" in text and "НЕ выдавались" not in text
    [entry] = Register(ws.register).entries()
    assert entry.status == "void" and entry.void_reason
    assert not list(ws.processing.iterdir())
    drop(ws, "Другой.json", {**load_example("pair_order.json"), "title": "О другом"})
    again = run_process(ws, ws.inbox / "Другой.json")
    assert again.returncode == 0, again.stdout + again.stderr


# --- 2. validation is the gate ---------------------------------------------------------------------------------


def example_documents() -> dict[str, dict]:
    """One valid document per built-in type, from examples/ (consent_dissemination from the consent example)."""
    found: dict[str, dict] = {}
    for path in sorted((ROOT / "examples").glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        for item in payload if isinstance(payload, list) else [payload]:
            found.setdefault(item["type"], item)
    found.setdefault("consent_dissemination", {**found["consent"], "type": "consent_dissemination"})
    return found


def schema_fields(schema: dict, prefix: tuple = ()):
    """(path, sub-schema) of every property of a schema, list items entered at index 0."""
    for key, sub in (schema.get("properties") or {}).items():
        if not isinstance(sub, dict):
            continue
        yield prefix + (key,), sub
        yield from schema_fields(sub, prefix + (key,))
        if isinstance(sub.get("items"), dict):
            yield from schema_fields(sub["items"], prefix + (key, 0))


def declared_types(sub: dict) -> set[str]:
    """The JSON types a field accepts: its ``type``, or the types of its ``enum`` values."""
    declared = sub.get("type")
    if declared:
        return set(declared if isinstance(declared, list) else [declared])
    names = {str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null"}
    return {names.get(type(v), "object") for v in sub.get("enum", [])}


WRONG_VALUES = {
    # name: (value, the schema types that would accept it)
    "a list": (["a", {"b": 1}], {"array"}),
    "an object": ({"x": 1}, {"object"}),
    "null": (None, {"null"}),
    "a number": (5, {"integer", "number"}),
    "true": (True, {"boolean"}),
    "NaN": (float("nan"), set()),
    "Infinity": (float("inf"), set()),
    "a negative number": (-5, {"string"}),
    "a lone surrogate": ("Ив\ud800ан", set()),
    "a control character": ("a\x07b", set()),
    "a direction override": ("Иванов\u202eexe.docx", set()),
    "an absurdly long text": ("я" * 200_000, set()),
}


def put(document: dict, path: tuple, value) -> bool:
    node = document
    for part in path[:-1]:
        if isinstance(part, int):
            if not isinstance(node, list) or not node:
                return False
            node = node[0]
        elif isinstance(node, dict):
            node = node.setdefault(part, {})
        else:
            return False
    if not isinstance(node, dict):
        return False
    node[path[-1]] = value
    return True


@pytest.mark.slow
def test_every_field_of_every_built_in_schema_refuses_wrong_values_at_validation():
    import copy

    from docgen.errors import InputError
    from docgen.plugins import get_plugin_manager
    from docgen.reading import RawDocument
    from docgen.validation import validate_all

    hooks = get_plugin_manager(None, entry_points=False)
    registry = hooks.registry()
    examples = example_documents()
    passed, tried = [], 0
    for doc_type in registry.all():
        base = examples[doc_type.id]
        validate_all([RawDocument(copy.deepcopy(base), 0)], registry, hooks)  # the example itself is valid
        for path, sub in schema_fields(doc_type.schema):
            types = declared_types(sub)
            assert types, f"{doc_type.id}.{'.'.join(map(str, path))}: a field without a type lets anything through"
            for label, (value, accepted_by) in WRONG_VALUES.items():
                if types & accepted_by:
                    continue
                if isinstance(value, str) and "string" not in types:
                    continue
                if label == "a negative number" and not types & {"integer", "number"}:
                    continue
                document = copy.deepcopy(base)
                if not put(document, path, value):
                    continue
                tried += 1
                try:
                    validate_all([RawDocument(document, 0)], registry, hooks)
                except InputError as exc:
                    assert all("Error" not in p.message for p in exc.problems)
                    continue
                passed.append(f"{doc_type.id}.{'.'.join(map(str, path))} = {label}")
    assert tried > 500
    assert passed == []


ORDER = "pair_order.json"


def order_with(change) -> dict:
    data = load_example(ORDER)
    change(data)
    return data


VALUES_THAT_BROKE_LATER = {
    "NaN amount": ("reward_order.json", lambda d: d["rewards"][0].__setitem__("amount", float("nan")), "NaN"),
    "Infinity amount": ("reward_order.json", lambda d: d["rewards"][0].__setitem__("amount", float("inf")), "Infinity"),
    "organisation name as a list": (ORDER, lambda d: d.__setitem__("organization", {"name": ["a", {"b": 1}]}),
                                    "organization.name"),
    "null where text is expected": (ORDER, lambda d: d.__setitem__("title", None), "title"),
    "lone surrogate in a name": (ORDER, lambda d: d["pairs"][0]["mentor"].__setitem__("name", "Ив\ud800анов И.И."),
                                 "суррогат"),
    "control character in a name": (ORDER, lambda d: d["pairs"][0]["mentor"].__setitem__("name", "Иванов\x1bИ.И."),
                                     "управляющий символ"),
    "a year 99999 date": (ORDER, lambda d: d.__setitem__("date", "31.12.99999"), "date"),
    "a year 9999 date": (ORDER, lambda d: d.__setitem__("date", "31.12.9999"), "год — от 1900 до 2100"),
    "a megabyte in one field": (ORDER, lambda d: d.__setitem__("basis", "я" * 1_000_000), "слишком длинный текст"),
    "a negative registration number": (ORDER, lambda d: d.__setitem__("number", -5), "слишком мало"),
}


def json_text(payload) -> str:
    return json.dumps(payload, ensure_ascii=True, allow_nan=True)  # \ud800 and NaN written as an attacker would


@pytest.mark.parametrize("attack", sorted(VALUES_THAT_BROKE_LATER))
def test_values_that_passed_validation_and_broke_later_are_refused_before_a_number(ws, attack):
    example, change, phrase = VALUES_THAT_BROKE_LATER[attack]
    data = load_example(example)
    change(data)
    path = ws.inbox / "Приказ.json"
    path.write_text(json_text(data), encoding="utf-8")
    outcome = process(ws, path)
    assert not outcome.ok
    assert_set_aside(ws, "Приказ.json", phrase)
    assert not list(ws.outbox.iterdir())


@pytest.mark.parametrize("text, phrase", [
    ("[" * 100_000 + "]" * 100_000, "вложенность"),
    ('{"type": "pair_order", "x": ' + "[" * 50 + "1" + "]" * 50 + "}", "вложенность"),
    ('{"type": "pair_order", "n": 1' + "0" * 5000 + "}", "число из тысяч цифр"),
    ("{" + ", ".join(f'"k{i}": {i}' for i in range(600_000)) + "}", "больше"),
], ids=["100 000 brackets", "nesting of 50", "a number of 5000 digits", "600 000 keys"])
def test_json_too_deep_or_too_big_is_refused_in_russian(ws, text, phrase):
    path = ws.inbox / "Приказ.json"
    path.write_text(text, encoding="utf-8")
    process(ws, path)
    assert_set_aside(ws, "Приказ.json", phrase)


@pytest.mark.slow
def test_a_json_array_of_100000_documents_is_refused_with_one_short_message(ws):
    path = ws.inbox / "Приказы.json"
    path.write_text(json.dumps([{"type": "pair_order", "title": "x"}] * 100_000), encoding="utf-8")
    process(ws, path)
    text = assert_set_aside(ws, "Приказы.json", "100000 документов", "до 1000")
    assert len(text) < 2000


# --- 3. reports tell the truth and stay readable ----------------------------------------------------------------


def broken_template(ws: Workspace, name: str) -> None:
    """A template that fails only for an order of one pair: the example (four pairs) fills it, so the check at
    load lets it through, and only a real input finds the fault."""
    from docx import Document

    folder = ws.plugins / "doc_templates"
    folder.mkdir(parents=True, exist_ok=True)
    document = Document()
    document.add_paragraph("Приказ {% if data.pairs|length == 1 %}{{ org.nothing_here }}{% endif %}")
    document.save(folder / name)


def test_a_number_drawn_and_voided_is_named_in_the_report(ws):
    broken_template(ws, "pair_order.docx")
    data = load_example(ORDER)
    data["pairs"] = data["pairs"][:1]
    path = drop(ws, "Приказ.json", data)
    outcome = process(ws, path)
    assert not outcome.ok
    [entry] = Register(ws.register).entries()
    assert entry.status == "void"
    text = only_report(ws)
    assert "НЕ выдавались" not in text
    assert f"№\u00a0{entry.number}" in text and "аннулированы" in text
    assert "pair_order.docx" in text and "Error" not in text
    assert "Error" not in entry.void_reason and "nothing_here" not in entry.void_reason


@pytest.mark.slow
def test_a_hundred_thousand_problems_make_a_short_report(ws):
    data = load_example(ORDER)
    pair = data["pairs"][0]
    data["pairs"] = [{**pair, "mentor": {**pair["mentor"], "name": ""}} for _ in range(4000)]
    path = drop(ws, "Приказ.json", data)
    outcome = process(ws, path)
    text = assert_set_aside(ws, "Приказ.json", "… и ещё 3950 (всего 4000)")
    assert len(text.encode("utf-8")) < 20_000
    assert len(outcome.message) < 20_000


CONSENT_HEADER = "ФИО;Дата рождения;Адрес;Роль;Документ;Серия;Номер;Пол"


def test_a_shifted_csv_row_quotes_no_cell_of_a_personal_sheet(ws):
    # the address holds an unquoted «;»: every later cell moves one column right, the number lands in «Пол»
    rows = [CONSENT_HEADER, "Сидорова Анна Петровна;14.03.2012;г. Тула; ул. Мира, д. 1;наставляемый;"
                            "свидетельство о рождении;II-ДН;654321;ж"]
    path = ws.inbox / "Согласия.csv"
    path.write_bytes("\r\n".join(rows).encode("cp1251"))
    process(ws, path)
    text = assert_set_aside(ws, "Согласия.csv")
    for secret in ("654321", "II-ДН", "Мира", "Сидорова", "14.03.2012"):
        assert secret not in text, text


def test_a_personal_document_number_is_never_quoted_back(ws):
    data = load_example("consent.json")[0]
    data["subject"]["document"] = {"kind": "свидетельство о рождении", "series": "II-ДН", "number": "654321",
                                   "issued_on": "31.02.2015"}
    data["subject"]["gender"] = "654321"
    path = drop(ws, "Согласие.json", data)
    process(ws, path)
    text = assert_set_aside(ws, "Согласие.json", "issued_on")
    assert "654321" not in text and "31.02.2015" not in text


# --- 4. names are data, never control ---------------------------------------------------------------------------


def log_lines(ws: Workspace) -> list[str]:
    return (ws.state / "docgen.log").read_text(encoding="utf-8").splitlines()


@pytest.mark.slow
def test_a_newline_in_a_file_name_cannot_forge_a_log_line(ws):
    forged = "2026-01-01 00:00:00,000 INFO docgen.faults: done: «Подделка.json» № 999-од"
    path = ws.inbox / f"Приказ\n{forged}\n.json"
    path.write_text("{ broken", encoding="utf-8")
    result = run_process(ws, path)
    assert result.returncode == 1
    lines = log_lines(ws)
    assert not any(line.startswith(forged) for line in lines), lines
    assert any(forged in line for line in lines)  # the name is there, inside one line of its own event
    [failed] = [p for p in ws.failed.iterdir() if not p.name.endswith(REPORT_SUFFIX)]
    assert "\n" not in failed.name and failed.name.endswith(".json")
    assert reports(ws)


def test_log_lines_escape_control_characters_whatever_logs_them(caplog):
    import logging

    from docgen.faults import step
    from docgen.names import EscapingFormatter

    with caplog.at_level("INFO", logger="docgen.faults"):
        step("received", "a\nb\u202ec\udcc8.json")
    [record] = caplog.records
    assert record.getMessage() == "received: «a\\nb\\u202ec\\xc8.json»"
    line = EscapingFormatter("%(message)s").format(logging.makeLogRecord({"msg": "x %s", "args": ("1\r\n2",)}))
    assert line == "x 1\\r\\n2"


def test_a_name_in_windows_1251_bytes_gets_a_readable_name_and_a_full_report(ws):
    raw = os.fsencode(ws.inbox) + b"/" + "Приказ о парах.json".encode("cp1251")
    with open(raw, "wb") as handle:
        handle.write(b"{ broken")
    process(ws, Path(os.fsdecode(raw)))
    assert (ws.failed / "Приказ о парах.json").exists(), os.listdir(ws.failed)
    text = only_report(ws)
    assert "Файл: Приказ о парах.json" in text and "ошибка в записи JSON" in text
    assert (ws.failed / ("Приказ о парах.json" + REPORT_SUFFIX)).stat().st_size > 100


@pytest.mark.parametrize("good", [True, False], ids=["valid", "broken"])
def test_a_241_byte_cyrillic_name_is_moved_and_reported(ws, good):
    name = "П" * 118 + ".json"
    assert len(name.encode("utf-8")) == 241
    path = ws.inbox / name
    path.write_text(json.dumps(load_example(ORDER), ensure_ascii=False) if good else "{ broken", encoding="utf-8")
    outcome = process(ws, path)
    assert outcome.ok is good
    assert not path.exists() and not list(ws.processing.iterdir())
    folder = ws.processed if good else ws.failed
    [moved] = [p for p in folder.iterdir() if not p.name.endswith(REPORT_SUFFIX)]
    assert moved.name.startswith("П" * 50) and moved.name.endswith("….json")
    if not good:
        assert "ошибка в записи JSON" in only_report(ws)
    else:
        assert len(numbers(ws)) == 1


def test_direction_overrides_and_invisible_characters_never_reach_an_output_or_report_name(ws):
    from docgen.publishing import output_stem

    name = "Приказ\u202egpj.exe\u200b\u2066.json"
    path = ws.inbox / name
    path.write_text("{ broken", encoding="utf-8")
    process(ws, path)
    names = [p.name for p in ws.failed.iterdir()]
    assert "Приказgpj.exe.json" in names and all(not any(c in n for c in "\u202e\u200b\u2066") for n in names)
    stem = output_stem("2026-01-01", "Приказ", "1-од", "О парах\u202excod.exe")
    assert "\u202e" not in stem


def test_a_windows_device_name_is_defused(ws):
    path = ws.inbox / "CON.json"
    path.write_text("{ broken", encoding="utf-8")
    process(ws, path)
    assert (ws.failed / "_CON.json").exists()
    assert (ws.failed / ("_CON.json" + REPORT_SUFFIX)).exists()


def test_names_of_only_dots_and_hidden_names_are_never_inputs(ws):
    from docgen.inbox import list_inbox

    for name in ("...json", "..json", ".json", ". .json"):
        (ws.inbox / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in list_inbox(ws.inbox)] == []


# --- 5. only regular files are inputs ---------------------------------------------------------------------------


def test_a_symlink_in_the_inbox_is_never_followed(ws, tmp_path):
    outside = tmp_path / "секрет.json"
    outside.write_text(json.dumps(load_example(ORDER), ensure_ascii=False), encoding="utf-8")
    link = ws.inbox / "Приказ.json"
    link.symlink_to(outside)
    outcome = process(ws, link)
    assert not outcome.ok and "ссылка" in outcome.message
    assert link.is_symlink() and outside.exists()
    assert numbers(ws) == [] and not list(ws.outbox.iterdir())


@pytest.mark.slow
def test_docgen_process_on_a_fifo_does_not_hang(ws, tmp_path):
    inside, outside = ws.inbox / "Приказ.json", tmp_path / "канал.json"
    os.mkfifo(inside)
    os.mkfifo(outside)
    result = run_process(ws, inside, outside, timeout=60)
    assert result.returncode == 1
    assert result.stdout.count("именованный канал") == 2, result.stdout
    assert inside.exists() and outside.exists() and numbers(ws) == []


def test_special_files_in_the_inbox_are_reported_once_and_left_alone(ws, tmp_path, caplog):
    import socket

    from docgen.inbox import InboxWatcher

    os.mkfifo(ws.inbox / "канал.json")
    (ws.inbox / "Новая папка").mkdir()
    (ws.inbox / "ссылка.json").symlink_to(tmp_path / "нет такого")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(ws.inbox / "сокет.json"))
    seen = []
    settings = ws.load_settings()
    watcher = InboxWatcher(ws.inbox, seen.append, settings.inbox, ws.failed, polling=True)
    with caplog.at_level("WARNING", logger="docgen.inbox"):
        for _ in range(3):
            watcher.scan()
            watcher.handle_ready()
    server.close()
    assert seen == []
    messages = [r.getMessage() for r in caplog.records]
    for name in ("канал.json", "Новая папка", "ссылка.json", "сокет.json"):
        assert sum(f"«{name}»" in m for m in messages) == 1, messages
    assert not any("processed" in m or "failed" in m for m in messages)
    assert (ws.inbox / "канал.json").exists() and (ws.inbox / "ссылка.json").is_symlink()


def test_a_file_replaced_by_a_fifo_after_its_stability_check_is_given_back_untouched(ws):
    from docgen.claims import claim_file

    path = ws.inbox / "Приказ.json"
    os.mkfifo(path)
    assert claim_file(path, ws.processing) is None
    assert path.exists() and not list(ws.processing.iterdir())


def test_a_file_replaced_under_the_same_size_and_time_starts_its_stability_over(tmp_path):
    from docgen.inbox import StabilityTracker

    clock = [0.0]
    tracker = StabilityTracker(1.0, clock=lambda: clock[0])
    path = tmp_path / "x.json"
    path.write_text("{}")
    tracker.observe(path)
    clock[0] = 5.0
    stat = path.stat()
    replacement = tmp_path / "y.json"
    replacement.write_text("[]")
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    replacement.rename(path)
    assert not tracker.still_stable(path)


# --- 6. plugins cannot hang or end the service ------------------------------------------------------------------


def workspace_plugin(ws: Workspace, name: str, source: str) -> None:
    ws.plugins.mkdir(exist_ok=True)
    (ws.plugins / f"{name}.py").write_text(source, encoding="utf-8")


@pytest.mark.slow
def test_a_plugin_calling_sys_exit_at_import_is_named_and_docgen_goes_on(ws):
    workspace_plugin(ws, "выход", "import sys\nsys.exit(3)\n")
    listed = run_docgen("plugins", workspace=ws, cwd=ROOT, timeout=120)
    assert listed.returncode == 1 and "выход" in listed.stdout and "SystemExit" in listed.stdout
    path = drop(ws, "Приказ.json", load_example(ORDER))
    result = run_process(ws, path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list(ws.processed.iterdir())) == 1 and len(numbers(ws)) == 1


@pytest.mark.slow
def test_a_plugin_looping_at_import_is_stopped_and_named(ws, monkeypatch):
    from docgen import plugins

    monkeypatch.setattr(plugins, "IMPORT_TIME_LIMIT", 1.0)
    workspace_plugin(ws, "петля", "while True:\n    try:\n        pass\n    except Exception:\n        pass\n")
    hooks = plugins.get_plugin_manager(ws.plugins, entry_points=False)
    [broken] = hooks.broken
    assert broken.name == "петля" and "дольше 1 с" in broken.error
    assert hooks.registry().find("pair_order") is not None


HOOK_PLUGIN = '''
import sys
from docgen import hookimpl

@hookimpl
def docgen_check_document(doc_type, data):
    if "взрыв" in str(data.get("title", "")):
        {action}
    return []

@hookimpl
def docgen_update_context(doc_type, data, context):
    if "рендер" in str(data.get("title", "")):
        {action}
'''


@pytest.mark.parametrize("action", ["raise ValueError('Иванов')", "sys.exit(1)", "raise BaseException('x')"],
                         ids=["ValueError", "SystemExit", "BaseException"])
@pytest.mark.parametrize("where", ["взрыв", "рендер"], ids=["in validation", "in rendering"])
def test_a_plugin_failing_in_a_hook_is_named_in_the_report_and_the_next_file_goes_through(ws, action, where):
    from docgen.pipeline import Pipeline

    workspace_plugin(ws, "хрупкий", HOOK_PLUGIN.replace("{action}", action))
    pipeline = Pipeline(ws)
    try:
        bad = drop(ws, "Плохой.json", {**load_example(ORDER), "title": f"О {where}"})
        outcome = pipeline.process(bad)
        good = drop(ws, "Хороший.json", {**load_example(ORDER), "title": "О закреплении"})
        after = pipeline.process(good)
    finally:
        pipeline.close()
    assert not outcome.ok and after.ok
    text = only_report(ws)
    assert "хрупкий (workspace)" in text, text
    assert "Иванов" not in text and "Error" not in text and "Внутренняя ошибка" not in text
    entries = Register(ws.register).entries()
    if where == "взрыв":
        assert "номера НЕ выдавались" in text and len(entries) == 1
    else:
        voided = [e for e in entries if e.status == "void"]
        assert len(voided) == 1 and f"№\u00a0{voided[0].number}" in text
        assert "хрупкий" in voided[0].void_reason and "Иванов" not in voided[0].void_reason


@pytest.mark.slow
def test_conversion_disabled_never_starts_libreoffice(ws, tmp_path):
    marker = tmp_path / "soffice-started"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\ntouch {marker}\nsleep 30\n")
    fake.chmod(0o755)
    configure(ws, "conversion", f'soffice = "{fake}"')
    drop(ws, "Приказ.json", load_example(ORDER))
    result = run_docgen("watch", "--seconds", "4", workspace=ws, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(list(ws.processed.iterdir())) == 1
    assert not marker.exists()


# --- 7. CSV encodings and sizes ---------------------------------------------------------------------------------

PAIRS_HEADER = "Наставник;Наставляемый"


def test_a_csv_in_two_encodings_at_once_is_refused_not_issued_as_mojibake(ws):
    data = (PAIRS_HEADER + "\r\nИванов Иван Иванович;Петров Пётр\r\n").encode("utf-8") + \
        "Сидорова Анна Петровна;Кузнецов Олег\r\n".encode("cp1251")
    path = ws.inbox / "Пары.csv"
    path.write_bytes(data)
    process(ws, path)
    assert_set_aside(ws, "Пары.csv", "в разных кодировках", "(строки: 1, 2)", "(строки: 3)")


def test_a_csv_with_a_utf8_bom_and_windows_1251_lines_is_refused(ws):
    path = ws.inbox / "Пары.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (PAIRS_HEADER + "\r\n").encode("utf-8") + "Иванов;Петров\r\n".encode("cp1251"))
    process(ws, path)
    assert_set_aside(ws, "Пары.csv", "в разных кодировках")


def test_a_csv_in_no_known_encoding_is_refused(ws):
    path = ws.inbox / "Пары.csv"
    path.write_bytes(PAIRS_HEADER.encode("cp1251") + b"\r\n\x98\x98;\x98\r\n")
    process(ws, path)
    assert_set_aside(ws, "Пары.csv", "Не удалось определить кодировку")


def test_a_csv_cell_over_128_kb_is_read_and_refused_in_russian(ws):
    path = ws.inbox / "Пары.csv"
    path.write_bytes((PAIRS_HEADER + "\r\n" + "Иванов " + "я" * 140_000 + ";Петров Пётр\r\n").encode("utf-8"))
    process(ws, path)
    text = assert_set_aside(ws, "Пары.csv", "слишком длинный текст", "Строка 2")
    assert "field" not in text


def test_a_csv_of_a_thousand_columns_is_refused(ws):
    path = ws.inbox / "Пары.csv"
    path.write_bytes((PAIRS_HEADER + ";x" * 1000 + "\r\n").encode("utf-8"))
    process(ws, path)
    assert_set_aside(ws, "Пары.csv", "больше 300 столбцов")


# --- 8. the next attacks ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("blocker", [".processing", "failed", "processed"])
@pytest.mark.slow
def test_a_file_named_like_docgens_own_folders_does_not_stop_it(ws, blocker):
    (ws.inbox / blocker).rmdir() if (ws.inbox / blocker).is_dir() else None
    (ws.inbox / blocker).write_text("не папка", encoding="utf-8")
    path = drop(ws, "Приказ.json", load_example(ORDER))
    result = run_process(ws, path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (ws.inbox / blocker).is_dir()
    [kept] = list(ws.inbox.glob(f"{blocker}.не-папка-*"))
    assert kept.read_text(encoding="utf-8") == "не папка"


def test_a_zip_of_thousands_of_entries_is_refused_quickly(ws):
    path = raw_xlsx(ws.inbox / "Пары.xlsx", HEADER)
    with zipfile.ZipFile(path, "a") as archive:
        for i in range(5001):
            archive.writestr(f"xl/media/{i}.bin", b"")
    process(ws, path)
    assert_set_aside(ws, "Пары.xlsx", "слишком велика")


def test_formulas_hyperlinks_and_dde_in_cells_print_as_text_and_never_become_formulas_in_the_journal(ws, tmp_path):
    from openpyxl import load_workbook

    from docgen.journal import export_journal
    from docgen.testing import docx_text

    title = "=HYPERLINK(\"http://example.invalid\",\"Откройте\")"
    dde = "=cmd|' /C calc'!A0"
    data = {**load_example(ORDER), "title": title}
    data["pairs"][0]["mentor"]["position"] = dde
    outcome = process(ws, drop(ws, "Приказ.json", data))
    assert outcome.ok, outcome.message
    text = docx_text(Path(outcome.documents[0]["docx"]))
    from docgen.typography import typography

    assert typography(dde) in text  # printed as typed text (typeset like every value), never a formula
    target = tmp_path / "journal.xlsx"
    export_journal(Register(ws.register).entries(), target, {})
    with zipfile.ZipFile(target) as archive:
        sheets = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets and "HYPERLINK" in sheets
    [sheet] = load_workbook(target).worksheets
    assert any(cell.data_type == "s" and str(cell.value).startswith("=HYPERLINK") for row in sheet.iter_rows() for cell in row)


def test_an_xlsx_linking_an_external_workbook_is_read_without_following_the_link(ws, tmp_path):
    secret = tmp_path / "секрет.xlsx"
    secret.write_bytes(b"never read")
    rows = HEADER + f'<row r="2">{inline("A2", "Иванов Иван Иванович")}<c r="B2" t="str"><f>[1]Лист1!A1</f><v>Петров Пётр</v></c></row>'
    path = raw_xlsx(ws.inbox / "Пары.xlsx", rows)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
        archive.writestr("xl/externalLinks/_rels/externalLink1.xml.rels",
                         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         f'<Relationship Id="rId1" Type="externalLinkPath" Target="file://{secret}" TargetMode="External"/>'
                         "</Relationships>")
    os.chmod(secret, 0)
    try:
        outcome = process(ws, path)
    finally:
        os.chmod(secret, 0o644)
    assert outcome.ok, outcome.message
    assert len(numbers(ws)) == 1


def ods_cell(value: str, attributes: str = "") -> str:
    return f'<table:table-cell office:value-type="string" {attributes}><text:p>{value}</text:p></table:table-cell>'


ODS_HEADER = f"<table:table-row>{ods_cell('Наставник')}{ods_cell('Наставляемый')}</table:table-row>"


def raw_ods(path: Path, rows: str, doctype: str = "") -> Path:
    """A minimal ods written byte by byte: one table «Пары» of ``rows``; ``doctype`` before its root element."""
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    content = (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<office:document-content xmlns:office="{office}" '
               f'xmlns:table="{table}" xmlns:text="{text}" office:version="1.2"><office:body><office:spreadsheet>'
               f'<table:table table:name="Пары">{rows}</table:table></office:spreadsheet></office:body>'
               "</office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml",
                         '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                         '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                         '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                         "</manifest:manifest>", compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_an_ods_repeating_an_empty_row_a_million_times_is_read_as_it_looks(ws):
    path = raw_ods(ws.inbox / "Пары.ods", ODS_HEADER + f"<table:table-row>{ods_cell('Иванов Иван Иванович')}"
                   f"{ods_cell('Петров Пётр')}</table:table-row>" + '<table:table-row table:number-rows-repeated="1048574">'
                   '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    outcome = process(ws, path)
    assert outcome.ok, outcome.message
    assert len(numbers(ws)) == 1


# --- 7. attacks of the sixty-file corpus (tools/hostile_corpus.py) -------------------------------------------

LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)) + "]>")
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
SHARED_RELS = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
               'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>{}</t></si></sst>'


def xlsx_with_shared_strings(path: Path, shared: str) -> Path:
    """An xlsx whose mentor cell is shared string 0 of ``shared`` (the sharedStrings part)."""
    raw_xlsx(path, HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c>' + inline("B2", "Петров Пётр Петрович") + "</row>")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["xl/_rels/workbook.xml.rels"] = WORKBOOK_RELS.replace("</Relationships>", SHARED_RELS).encode("utf-8")
    members["xl/sharedStrings.xml"] = shared.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def doctype_sheet(path: Path, doctype: str, entity: str) -> Path:
    """An xlsx whose sheet XML declares ``doctype`` and uses ``entity`` as the mentor's name."""
    raw_xlsx(path, "")
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode("utf-8")
    rows = HEADER + f'<row r="2">{inline("A2", entity)}{inline("B2", "Петров Пётр Петрович")}</row>'
    members["xl/worksheets/sheet1.xml"] = sheet.replace("?>", "?>" + doctype, 1).replace(
        "<sheetData></sheetData>", f"<sheetData>{rows}</sheetData>").encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


DOCTYPE_ATTACKS = {
    "billion laughs in the sheet": lambda path: doctype_sheet(path.with_suffix(".xlsx"), LAUGHS, "&lol9;"),
    "billion laughs in shared strings": lambda path: xlsx_with_shared_strings(
        path.with_suffix(".xlsx"), '<?xml version="1.0" encoding="UTF-8"?>' + LAUGHS + SST.format("&lol9;")),
    "/etc/passwd as an entity in shared strings": lambda path: xlsx_with_shared_strings(
        path.with_suffix(".xlsx"), '<?xml version="1.0" encoding="UTF-8"?>' + XXE + SST.format("&xxe;")),
    "a parameter entity": lambda path: doctype_sheet(
        path.with_suffix(".xlsx"), '<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>', "Иванов Иван Иванович"),
    "billion laughs in an ods": lambda path: raw_ods(path.with_suffix(".ods"), ODS_HEADER.replace("Наставник", "&lol9;"), LAUGHS),
    "/etc/passwd as an entity in an ods": lambda path: raw_ods(path.with_suffix(".ods"), ODS_HEADER + (
        f"<table:table-row>{ods_cell('&xxe;')}{ods_cell('Петров Пётр')}</table:table-row>"), XXE),
}


@pytest.mark.parametrize("attack", sorted(DOCTYPE_ATTACKS))
def test_xml_declaring_entities_is_refused_before_any_parser_reads_it(ws, attack):
    path = DOCTYPE_ATTACKS[attack](ws.inbox / "Пары")
    outcome = process(ws, path)
    assert not outcome.ok
    text = assert_set_aside(ws, path.name, "DOCTYPE", "Откройте таблицу в Excel или LibreOffice Calc и сохраните заново")
    assert "root:" not in text and "lollol" not in text and "внутри нет листов" not in text


@pytest.mark.parametrize("count", ['table:number-rows-spanned="-3"', 'table:number-columns-repeated="1e9"'])
def test_an_ods_with_a_broken_repeat_or_span_count_is_refused_as_damaged(ws, count):
    rows = ODS_HEADER + f"<table:table-row>{ods_cell('Иванов Иван Иванович', count)}{ods_cell('Петров Пётр')}</table:table-row>"
    path = raw_ods(ws.inbox / "Пары.ods", rows)
    process(ws, path)
    assert_set_aside(ws, "Пары.ods", "неверное число повторов или объединения", "сохраните заново")


@pytest.mark.parametrize("where", ["top", "nested"])
def test_a_json_key_given_twice_is_refused_not_silently_overwritten(ws, where):
    text = json_text(load_example(ORDER))
    if where == "top":  # a reward order hidden under a pair order: the last «type» would win
        text = '{"type": "reward_order", ' + text[1:]
    else:
        text = text.replace('"name":', '"name": "Сидоров Сидор Сидорович", "name":', 1)
    path = ws.inbox / "Приказ.json"
    path.write_text(text, encoding="utf-8")
    process(ws, path)
    field = "type" if where == "top" else "name"
    assert_set_aside(ws, "Приказ.json", f"Поле «{field}» указано в одном объекте дважды", "Оставьте одно")
    assert not list(ws.outbox.iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["utf-16", "utf-32-le"], ids=["UTF-16 with a BOM", "UTF-32 without"])
def test_json_saved_as_unicode_by_notepad_is_read(ws, encoding):
    path = ws.inbox / "Приказ.json"
    path.write_bytes(json_text(load_example(ORDER)).encode(encoding))
    outcome = process(ws, path)
    assert outcome.ok, outcome.message
    assert len(numbers(ws)) == 1 and (ws.processed / "Приказ.json").exists()
    from docgen.testing import docx_text

    docx = next(ws.outbox.glob("*.docx"))
    assert "О закреплении наставнических пар" in docx_text(docx)


@pytest.mark.slow
def test_a_hard_link_in_the_inbox_is_set_aside_unread_and_the_next_file_goes_through(ws, tmp_path):
    outside = tmp_path / "чужой.json"
    original = json_text(load_example(ORDER))
    outside.write_text(original, encoding="utf-8")
    link = ws.inbox / "Приказ.json"
    os.link(outside, link)
    outcome = process(ws, link)
    assert not outcome.ok
    text = assert_set_aside(ws, "Приказ.json", "жёсткая ссылка", "Положите в inbox обычную копию файла")
    assert "Иванова" not in text
    assert outside.read_text(encoding="utf-8") == original and os.stat(outside).st_nlink == 2
    assert not list(ws.outbox.iterdir())
    drop(ws, "Копия.json", load_example(ORDER))
    assert process(ws, ws.inbox / "Копия.json").ok
    assert len(numbers(ws)) == 1


@pytest.mark.parametrize("name, expected", [
    ("Приказ о закреплении наставнических пар на 2024–2025 учебный год в МОУ СОШ № 4 имени героя "
     "Советского Союза Ивана Ивановича Иванова, с приложениями и согласованиями.json", None),
    ("Приказ\u202egpj.exe.json", "Приказgpj.exe.json"),
    ("При\u200bказ\u2066.json", "Приказ.json"),
    ("CON.json", "_CON.json"),
], ids=["a long Cyrillic name", "a direction override", "invisible characters", "a Windows device name"])
def test_an_upload_from_the_web_office_gets_the_inbox_s_safe_name(ws, name, expected):
    from docgen.web.uploads import Uploads

    uploads = Uploads(ws, Register(ws.register), 1024 * 1024)
    uploads.put(name, json_text(load_example(ORDER)).encode("utf-8"), "secretary")
    [put] = [p for p in ws.inbox.iterdir() if p.is_file()]
    assert len(os.fsencode(put.name)) <= 255 and put.suffix == ".json"
    if expected:
        assert put.name == expected
    else:
        assert put.name.startswith("Приказ о закреплении") and "…" in put.name
        assert process(ws, put).ok and len(numbers(ws)) == 1  # the cut name goes on to processed/ and a report


@pytest.mark.slow
@pytest.mark.parametrize("good", [True, False], ids=["valid", "invalid"])
def test_an_input_removed_from_processing_by_another_program_mid_run_ends_cleanly(ws, monkeypatch, caplog, good):
    import docgen.pipeline as pipeline_module

    real = pipeline_module.validate_all

    def quarantined(*args, **kwargs):  # an antivirus takes the claimed file away while docgen validates it
        for claimed in ws.processing.iterdir():
            claimed.unlink()
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline_module, "validate_all", quarantined)
    data = load_example(ORDER)
    if not good:
        data["date"] = "31.02.2023"
    drop(ws, "Приказ.json", data)
    outcome = process(ws, ws.inbox / "Приказ.json")
    assert outcome.ok is good, outcome.message
    assert "пропал из inbox/.processing во время обработки" in caplog.text
    assert not list(ws.processing.iterdir()) and not (ws.processed / "Приказ.json").exists()
    entries = Register(ws.register).entries()
    assert [e.status for e in entries] == (["published"] if good else [])
    if not good:
        assert "номера НЕ выдавались" in only_report(ws)
    monkeypatch.setattr(pipeline_module, "validate_all", real)
    drop(ws, "Следующий.json", {**load_example(ORDER), "date": "2023-09-01"})
    assert process(ws, ws.inbox / "Следующий.json").ok


@pytest.mark.parametrize("content", ["ole", "xlsx"], ids=["an Excel 97-2003 file", "an xlsx renamed .xls"])
def test_an_old_excel_file_is_set_aside_with_how_to_save_it_not_left_unreported(ws, content):
    path = ws.inbox / "Пары.xls"
    if content == "ole":
        path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4088)
    else:
        raw_xlsx(path, HEADER)
    process(ws, path)
    assert_set_aside(ws, "Пары.xls", "Файлы .xls (Excel 97–2003) docgen не читает", "«Книга Excel (.xlsx)»")


def test_a_sheet_name_with_line_breaks_and_direction_marks_cannot_forge_a_report_line(ws):
    path = raw_xlsx(ws.inbox / "Пары.xlsx", HEADER + f'<row r="2">{inline("A2", "Иванов Иван Иванович")}</row>')
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    forged = "Пары&#10;&#13;Файл: подделка.json\u202e\u2066"
    members["xl/workbook.xml"] = WORKBOOK.replace('name="Пары"', f'name="{forged}"').encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    outcome = process(ws, path)
    text = assert_set_aside(ws, "Пары.xlsx", "Файл: подделка.json», строка 2, столбец «Наставляемый»: не заполнено")
    assert not any(line.startswith("Файл: подделка") for line in text.splitlines())
    assert "\u202e" not in text + outcome.message and "\u2066" not in text and "\n" not in outcome.message.strip()


@pytest.mark.slow
def test_a_sparse_file_of_64_gb_is_refused_by_its_size_without_being_read_at_start_up_or_in_processing(ws):
    import time

    from docgen.pipeline import Pipeline

    path = ws.inbox / "Приказ.json"
    with open(path, "wb") as handle:
        handle.truncate(64 * 1024 ** 3)  # a few blocks on disk, 64 GB to read: hashing it took minutes
    started = time.monotonic()
    pipeline = Pipeline(ws)
    try:
        pipeline.recover()  # start-up looks at every file of the inbox
        outcome = pipeline.process(path)
    finally:
        pipeline.close()
    assert time.monotonic() - started < 20
    assert not outcome.ok
    assert_set_aside(ws, "Приказ.json", "Файл слишком большой (65536.0 МБ")


@pytest.mark.parametrize("when", ["dropped", "left claimed by a dead worker"])
def test_a_file_docgen_may_not_read_is_set_aside_with_a_report_not_stuck_in_processing(ws, monkeypatch, when):
    import docgen.claims as claims

    drop(ws, "Приказ.json", load_example(ORDER))
    path = ws.inbox / "Приказ.json"
    path.chmod(0)
    if os.geteuid() == 0:  # root reads any file: make the claim see it as another user's service would
        real_open = os.open
        monkeypatch.setattr(claims, "readable", lambda p: False)
        monkeypatch.setattr(claims.os, "open", lambda p, flags, *a: (_ for _ in ()).throw(PermissionError(13, "denied"))
                            if Path(p).parent == ws.processing else real_open(p, flags, *a))
    if when == "dropped":
        outcome = process(ws, path)
    else:
        ws.processing.mkdir(exist_ok=True)
        path.rename(ws.processing / f"4194000@{claims.host_name()}@0badc0de~Приказ.json")  # its worker is dead
        from docgen.pipeline import Pipeline

        pipeline = Pipeline(ws)
        try:
            [outcome] = pipeline.recover()
        finally:
            pipeline.close()
    assert not outcome.ok
    assert_set_aside(ws, "Приказ.json", "нет прав на чтение этого файла", "положите его снова")
    assert not list(ws.processing.iterdir())


def test_one_merge_over_the_whole_sheet_is_a_problem_named_in_russian_not_an_internal_error(ws):
    rows = HEADER + f'<row r="2">{inline("A2", "Иванов Иван Иванович")}{inline("B2", "Петров Пётр Петрович")}</row>'
    path = raw_xlsx(ws.inbox / "Пары.xlsx", rows, '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    outcome = process(ws, path)
    assert not outcome.ok
    text = assert_set_aside(ws, "Пары.xlsx", "Лист «Пары»: нет столбца «Наставляемый (ФИО)»")
    assert "Внутренняя ошибка" not in text


# --- one watcher survives all of them ---------------------------------------------------------------------------


def drop_every_attack(ws: Workspace, tmp_path: Path) -> set[str]:
    """Put every hostile input of this file into the inbox at once; return the names expected in failed/."""
    expected = set()
    for i, attack in enumerate(sorted(FAR_CELLS)):
        raw_xlsx(ws.inbox / f"Пары {i}.xlsx", FAR_CELLS[attack])
        expected.add(f"Пары {i}.xlsx")
    raw_xlsx(ws.inbox / "Пары память.xlsx", HEADER + '<row r="20000"><c r="KN20000"><v>1</v></c></row>')
    merges = "".join(f'<mergeCell ref="A{r}:B20000"/>' for r in range(2, 3000))
    raw_xlsx(ws.inbox / "Пары слияния.xlsx", HEADER + "".join(
        f'<row r="{r}">{inline(f"A{r}", "Иванов")}</row>' for r in range(2, 3000)), f"<mergeCells>{merges}</mergeCells>")
    expected |= {"Пары память.xlsx", "Пары слияния.xlsx"}
    for _attack, (example, change, _) in sorted(VALUES_THAT_BROKE_LATER.items()):
        data = load_example(example)
        change(data)
        name = f"Значения {len(expected)}.json"
        (ws.inbox / name).write_text(json_text(data), encoding="utf-8")
        expected.add(name)
    (ws.inbox / "Глубокий.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (ws.inbox / "Сто тысяч.json").write_text(json.dumps([{"type": "pair_order"}] * 100_000), encoding="utf-8")
    (ws.inbox / "Приказ\nподделка.json").write_text("{", encoding="utf-8")
    with open(os.fsencode(ws.inbox) + b"/" + "Кодировка.json".encode("cp1251"), "wb") as handle:
        handle.write(b"{")
    (ws.inbox / ("Д" * 118 + ".json")).write_text("{", encoding="utf-8")
    (ws.inbox / "Приказ\u202egpj.exe.json").write_text("{", encoding="utf-8")
    (ws.inbox / "CON.json").write_text("{", encoding="utf-8")
    (ws.inbox / "Смесь.csv").write_bytes((PAIRS_HEADER + "\r\nИванов;Петров\r\n").encode("utf-8") + "Сидоров;Орлов\r\n".encode("cp1251"))
    (ws.inbox / "Плохой плагин.json").write_text(json.dumps({**load_example(ORDER), "title": "О взрыв"}, ensure_ascii=False),
                                                  encoding="utf-8")
    expected |= {"Глубокий.json", "Сто тысяч.json", "Приказ подделка.json", "Кодировка.json", "Д" * 118 + ".json",
                 "Приказgpj.exe.json", "_CON.json", "Смесь.csv", "Плохой плагин.json"}
    DOCTYPE_ATTACKS["/etc/passwd as an entity in shared strings"](ws.inbox / "Пары сущность")
    broken_span = ods_cell("x", 'table:number-rows-spanned="-3"')
    raw_ods(ws.inbox / "Пары повторы.ods", ODS_HEADER + f"<table:table-row>{broken_span}</table:table-row>")
    (ws.inbox / "Дважды.json").write_text('{"type": "reward_order", ' + json_text(load_example(ORDER))[1:], encoding="utf-8")
    (ws.inbox / "Старая таблица.xls").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 4088)
    expected |= {"Пары сущность.xlsx", "Пары повторы.ods", "Дважды.json", "Жёсткая.json", "Старая таблица.xls"}
    outside = tmp_path / "вне.json"
    outside.write_text(json.dumps(load_example(ORDER), ensure_ascii=False), encoding="utf-8")
    os.link(outside, ws.inbox / "Жёсткая.json")
    (ws.inbox / "Ссылка.json").symlink_to(outside)
    os.mkfifo(ws.inbox / "Канал.json")
    (ws.inbox / "Папка.json").mkdir()
    return expected


@pytest.mark.slow
def test_one_watcher_survives_every_attack_at_once_and_then_issues_a_good_file(ws, tmp_path):
    import time

    configure(ws, "inbox", "stability_delay = 0.3\nparse_memory_mb = 100\nparse_timeout = 30")
    workspace_plugin(ws, "выход", "import sys\nsys.exit(3)\n")
    workspace_plugin(ws, "хрупкий", HOOK_PLUGIN.replace("{action}", "sys.exit(1)"))
    expected = drop_every_attack(ws, tmp_path)
    watcher = subprocess.Popen([sys.executable, "-m", "docgen", "-w", str(ws.root), "watch", "--seconds", "600"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        def failed_inputs() -> set[str]:
            return {p.name for p in ws.failed.iterdir() if not p.name.endswith(REPORT_SUFFIX)}

        deadline = time.monotonic() + 400
        while time.monotonic() < deadline and len(failed_inputs()) < len(expected) and watcher.poll() is None:
            time.sleep(0.5)
        assert watcher.poll() is None, watcher.communicate()
        moved = failed_inputs()
        assert {n[:40] for n in expected} == {n[:40] for n in moved}, (sorted(expected), sorted(moved))
        drop(ws, "Хороший приказ.json", load_example(ORDER))
        while time.monotonic() < deadline and not (ws.processed / "Хороший приказ.json").exists():
            time.sleep(0.5)
        assert (ws.processed / "Хороший приказ.json").exists()
    finally:
        watcher.terminate()
        out, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, err
    assert len(numbers(ws)) == 1 and list(ws.outbox.glob("*.docx"))
    texts = reports(ws)
    assert len(texts) == len(expected)
    assert all(text.strip() and "Traceback" not in text for text in texts.values())
    assert (ws.inbox / "Ссылка.json").is_symlink() and (ws.inbox / "Канал.json").exists()
    log = (ws.state / "docgen.log").read_text(encoding="utf-8")
    assert "«Ссылка.json»" in log and "«Канал.json»" in log and "выход" in log
    assert not any(line.startswith("подделка") for line in log.splitlines())
    assert not list(ws.processing.iterdir())
