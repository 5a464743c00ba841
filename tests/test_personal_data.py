"""Personal data stays inside the documents: never in file names, the register, the audit trail or the logs.

Every example input is processed (DOCX only: the file names are the same with a PDF), then every
surname found in the inputs is looked for in the names of everything under ``outbox/`` and
``inbox/``'s result folders, in every text value of the register, and in every log record.
"""
from __future__ import annotations

import json
import logging
import re
import sqlite3
from pathlib import Path

import pytest

from docgen.pipeline import Pipeline
from docgen.plugins import get_plugin_manager
from docgen.settings import Workspace
from docgen.testing import disable_conversion
from docgen.workspace_init import init_workspace

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PERSON = re.compile(r"^[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)? [А-ЯЁ][а-яё]+(?: [А-ЯЁ][а-яё]+)*$")


OFFICIALS = {"signer", "executor"}  # the journal's «кем подписан» and «исполнитель» columns name them by rule


def person_names(value, key: str = "") -> set[str]:
    """Full names of people anywhere in an input («Фамилия Имя Отчество» under a ``…name`` key)."""
    if isinstance(value, dict):
        return {n for k, v in value.items() for n in person_names(v, k)}
    if isinstance(value, list):
        return {n for v in value for n in person_names(v, key)}
    if isinstance(value, str) and key.endswith("name") and PERSON.match(value.strip()):
        return {value.strip()}
    return set()


def official_names(value) -> set[str]:
    """Names under ``signer``/``executor`` anywhere in an input."""
    if isinstance(value, dict):
        own = {n for k in OFFICIALS if k in value for n in person_names(value[k], k)}
        return own | {n for v in value.values() for n in official_names(v)}
    if isinstance(value, list):
        return {n for v in value for n in official_names(v)}
    return set()


def surname_stems(names: set[str]) -> set[str]:
    """«Иванова Мария Петровна» → «иванов»: the stem that every case form of the surname keeps."""
    return {name.split()[0].lower()[:-1] for name in names if len(name.split()[0]) >= 5}


def register_texts(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [str(value) for table in tables for row in conn.execute(f'SELECT * FROM "{table}"')
                for value in row if isinstance(value, str)]


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "ws"
    init_workspace(root, demo=True)
    ws = Workspace(root)
    disable_conversion(ws)
    return ws


@pytest.mark.slow
def test_no_surname_of_an_input_leaves_the_documents(workspace, caplog):
    inputs = sorted(p for p in EXAMPLES.glob("*.json"))
    payloads = [json.loads(example.read_text(encoding="utf-8")) for example in inputs]
    stems = {stem for payload in payloads for stem in surname_stems(person_names(payload))}
    officials = {name for payload in payloads for name in official_names(payload)}
    private = stems - surname_stems(officials)
    assert len(private) >= 10, private  # the examples name many people: the test looks for something real
    caplog.set_level(logging.DEBUG)
    pipeline = Pipeline(workspace, hooks=get_plugin_manager(workspace.plugins, entry_points=False))
    try:
        for example in inputs:
            target = workspace.inbox / f"вход {example.stem}.json"
            target.write_bytes(example.read_bytes())
            outcome = pipeline.process(target)
            assert outcome.documents, (example.name, outcome)
    finally:
        pipeline.close()
    names = [p.name for p in workspace.outbox.rglob("*")] + [p.name for p in workspace.inbox.rglob("*")]
    assert any(n.endswith(".docx") for n in names)
    places = {"file name": (names, stems), "register": (register_texts(workspace.register), private),
              "log": ([record.getMessage() for record in caplog.records], stems)}
    for place, (texts, watched) in places.items():
        for text in texts:
            leaked = [stem for stem in watched if stem in text.lower()]
            assert not leaked, f"{place}: {text!r} carries {leaked}"
