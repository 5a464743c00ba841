"""The kill -9 sweep (RELIABILITY.md 26, 27): ``docgen process`` is killed at each step in turn, then restarted.

``DOCGEN_PAUSE_AT=<step>`` makes the process SIGKILL itself at that step
(docgen/faults.py). After each kill the same command runs again, as a secretary
or a service manager would; then every invariant of RELIABILITY.md must hold:
every number has its documents or is void with a reason, no number twice, the
input in exactly one of inbox/, processed/, failed/, no temporary file under a
final name, ``PRAGMA integrity_check`` ok. Recovery must give the crashed
documents the numbers they had already drawn: never a second number.

PDF conversion is off to keep the sweep fast, except at the «converted» step.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import drop, load_example
from docgen.register import Register
from docgen.settings import Workspace
from docgen.workspace_init import init_workspace
from invariants import assert_nothing_lost

ROOT = Path(__file__).resolve().parent.parent
INPUT = "Приказы о парах.json"
STEPS = ["claimed", "validated", "numbered", "rendered",
         pytest.param("converted", marks=pytest.mark.libreoffice),
         "published", "finishing", "moved"]

pytestmark = pytest.mark.slow


def workspace(tmp_path: Path, conversion: bool) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    init_workspace(ws.root, demo=True)
    if not conversion:
        text = ws.config.read_text(encoding="utf-8")
        ws.config.write_text(text.replace("[conversion]\n", "[conversion]\nenabled = false\n"), encoding="utf-8")
    documents = []
    for i in range(2):
        data = load_example("pair_order.json")
        data["title"] = f"О закреплении наставнических пар (часть {i + 1})"
        documents.append(data)
    drop(ws, INPUT, documents)
    return ws


def run(ws: Workspace, pause_at: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_PAUSE_AT"}
    if pause_at:
        env["DOCGEN_PAUSE_AT"] = pause_at
    return subprocess.run([sys.executable, "-m", "docgen", "-w", str(ws.root), "process", str(ws.inbox / INPUT)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


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


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_at_each_step_then_restart_loses_nothing(tmp_path, step):
    ws = workspace(tmp_path, conversion=step == "converted")
    assert_killed(run(ws, pause_at=step))
    before = [(e.id, e.number) for e in Register(ws.register).entries()]
    if step in ("claimed", "validated"):
        assert before == []  # nothing is drawn before every document is valid
    else:
        assert [n for _, n in before] == ["1-од", "2-од"]
    restarted = run(ws)
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    assert_recovered_with_the_same_numbers(ws, before)
    if step == "converted":
        assert len(list(ws.outbox.glob("*.pdf"))) >= 2
    assert_same_bytes_again_are_a_duplicate(ws)


def assert_same_bytes_again_are_a_duplicate(ws: Workspace) -> None:
    (ws.inbox / INPUT).write_bytes((ws.processed / INPUT).read_bytes())
    again = run(ws)
    assert again.returncode == 1 and "уже был обработан" in again.stdout
    assert (ws.failed / INPUT).exists()
    assert [e.number for e in Register(ws.register).entries()] == ["1-од", "2-од"]


@pytest.mark.parametrize("first, second", [("numbered", "published"), ("published", "rendered"),
                                           ("rendered", "finishing"), ("finishing", "claimed")])
def test_a_crash_during_recovery_is_recovered_too(tmp_path, first, second):
    ws = workspace(tmp_path, conversion=False)
    assert_killed(run(ws, pause_at=first))
    before = [(e.id, e.number) for e in Register(ws.register).entries()]
    assert_killed(run(ws, pause_at=second))
    restarted = run(ws)
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    assert_recovered_with_the_same_numbers(ws, before)


@pytest.mark.libreoffice
def test_kill_after_the_print_pack_makes_no_second_pack(tmp_path):
    ws = workspace(tmp_path, conversion=True)
    assert_killed(run(ws, pause_at="finishing"))
    packs = list(ws.outbox.glob("*Комплект для печати*.pdf"))
    assert len(packs) == 1
    result = run(ws)
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(ws.outbox.glob("*Комплект для печати*.pdf")) == packs
    assert_recovered_with_the_same_numbers(ws, [(e.id, e.number) for e in Register(ws.register).entries()])
