"""The kill -9 sweep over the journal's own steps (issue 13): corrections, reservations, voided files
set aside and signatures, each killed at a named pause point (``DOCGEN_PAUSE_AT``), then restarted;
the invariants of RELIABILITY.md must hold after (tests/invariants.py). The sweep over every durable
operation of publishing and recovery is tests/test_crash_sweep.py.
"""
from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT, TWO_ORDERS, drop, load_example, run_docgen, two_orders_workspace
from docgen.register import Register
from docgen.testing import docx_text
from docgen.settings import Workspace
from invariants import assert_nothing_lost

INPUT = TWO_ORDERS

pytestmark = pytest.mark.slow


def run(ws: Workspace, pause_at: str | None = None) -> subprocess.CompletedProcess:
    """``docgen process`` on the input, killed at ``pause_at`` when one is given."""
    return run_cli(ws, ["process", str(ws.inbox / INPUT)], pause_at)


def assert_killed(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]


def assert_recovered_with_the_same_numbers(ws: Workspace, before: list[tuple]) -> None:
    register = assert_nothing_lost(ws, [INPUT])
    assert (ws.processed / INPUT).exists()
    entries = [(e.id, e.number, e.status) for e in register.entries()]
    assert [(n, s) for _, n, s in entries] == [("1-од", "published"), ("2-од", "published")]
    for entry_id, number in before:  # numbers drawn before the crash are the ones the documents carry now
        assert (entry_id, number, "published") in entries
    assert len(list(ws.outbox.glob("*.docx"))) == 2


# --- the journal's durable steps: corrections, reservations, voided files, signatures (issue 13) ------------------

CORRECTION = "Исправление приказа 1-од.json"
CORRECTION_STEPS = ["claimed", "validated", "numbered", "setting_aside", "replaced", "rendered", "published",
                    "finishing", "moved"]


def run_cli(ws: Workspace, args: list[str], pause_at: str | None = None) -> subprocess.CompletedProcess:
    """A docgen command in its own process, killed at ``pause_at`` (never at one this test process was given)."""
    return run_docgen(*args, workspace=ws, cwd=ROOT, env={"DOCGEN_PAUSE_AT": pause_at or None})


def processed_workspace(tmp_path: Path, location=None) -> Workspace:
    ws = two_orders_workspace(tmp_path, conversion=False, location=location)
    result = run(ws)
    assert result.returncode == 0, result.stdout + result.stderr
    return ws


@pytest.mark.parametrize("step, backend", [(step, "sqlite") for step in CORRECTION_STEPS]
                         + [("numbered", "postgresql"), ("setting_aside", "postgresql"), ("moved", "postgresql")])
def test_kill_9_during_a_correction_then_restart_gives_one_corrected_version(tmp_path, request, step, backend):
    from docgen.register.db import RegisterLocation

    location = RegisterLocation(request.getfixturevalue("docgen_pg_url"), "ws") if backend == "postgresql" else None
    ws = processed_workspace(tmp_path, location)
    [old_docx] = [p for p in ws.outbox.glob("*.docx") if "№ 1-од" in p.name]
    data = load_example("pair_order.json")
    data.update(title="О закреплении наставнических пар (исправленная редакция)", number="1-од")
    drop(ws, CORRECTION, data)
    assert_killed(run_cli(ws, ["process", str(ws.inbox / CORRECTION)], pause_at=step))
    restarted = run_cli(ws, ["process", str(ws.inbox / CORRECTION)])
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    register = assert_nothing_lost(ws, [INPUT, CORRECTION])
    entries = register.entries()
    assert [(e.number, e.status, e.version) for e in entries] == [("1-од", "published", 2), ("2-од", "published", 1)]
    assert entries[0].input_name == CORRECTION
    docx = sorted(ws.outbox.glob("*.docx"))
    assert len(docx) == 2 and not any(" (2)" in p.name for p in docx)  # one file per number: never a duplicate
    assert "исправленная редакция" in docx_text(ws.outbox / entries[0].outputs[0])
    replaced = [p.name for p in (ws.outbox / "Заменённые").iterdir()]
    assert replaced == [old_docx.stem + " (версия 1).docx"]
    [previous] = register.versions(entries[0].id)
    assert previous.input_name == INPUT and previous.outputs == [old_docx.name]


def test_kill_9_inside_a_reservation_leaves_none_and_the_next_run_reserves_all(tmp_path, register_location):
    ws = two_orders_workspace(tmp_path, conversion=False, location=register_location)
    reserve = ["register", "reserve", "1-2", "--series", "orders", "--year", "2023", "--reason", "выданы на бумаге"]
    assert_killed(run_cli(ws, reserve, pause_at="reserving"))
    assert Register(ws.register).entries() == []  # the transaction died with the process: nothing half-reserved
    assert run_cli(ws, reserve).returncode == 0
    result = run(ws)
    assert result.returncode == 0, result.stdout + result.stderr
    register = assert_nothing_lost(ws, [INPUT])
    assert [(e.number, e.status) for e in register.entries()] == [
        ("1-од", "reserved"), ("2-од", "reserved"), ("3-од", "published"), ("4-од", "published")]


def test_kill_9_between_void_and_moving_its_files_is_finished_at_the_next_start(tmp_path, register_location):
    ws = processed_workspace(tmp_path, register_location)
    [docx] = [p for p in ws.outbox.glob("*.docx") if "№ 2-од" in p.name]
    assert_killed(run_cli(ws, ["register", "void", "2-од", "--reason", "приказ отменён"], pause_at="setting_aside"))
    assert Register(ws.register).entries()[1].status == "void" and docx.exists()  # the window the sweep closes
    assert run_cli(ws, ["process", str(ws.inbox / INPUT)]).returncode == 0  # any start recovers
    assert_nothing_lost(ws, [INPUT])
    assert not docx.exists() and (ws.outbox / "Аннулированные" / docx.name).is_file()


def test_kill_9_while_marking_signed_leaves_it_unsigned(tmp_path, register_location):
    ws = processed_workspace(tmp_path, register_location)
    sign = ["register", "sign", "1-од", "--date", "01.09.2023"]
    assert_killed(run_cli(ws, sign, pause_at="signed"))
    assert not Register(ws.register).entries()[0].signed
    assert run_cli(ws, sign).returncode == 0
    assert Register(ws.register).entries()[0].signed_on == "2023-09-01"
