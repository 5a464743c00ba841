"""The kill -9 sweep (RELIABILITY.md 26, 27; issue 22): a kill at every durable step, found in the code itself.

Every durable operation passes through ``faults.durable(point)`` (tests/test_durable_gate.py
holds that). For each scenario a tracing run (``DOCGEN_FAULT_TRACE``) records every fault point
and occurrence the code hits, in order; then, for each one, a fresh copy of the workspace runs
``docgen process`` with ``DOCGEN_FAULT_AT=<point>#<n>`` (the process SIGKILLs itself right after
that step), and the same command runs again, as a secretary or a service manager would. After
the restart every invariant of RELIABILITY.md must hold (tests/invariants.py: every number has
its documents or is void with a reason, the input in exactly one place, no temporary file, no
file in outbox/ the journal does not know, no two files for one number and kind, ``PRAGMA
integrity_check`` ok), the register must hold exactly the numbers of an uncrashed run (never a
second number), and outbox/ the same files. Every run goes through tests/gatekeeper.py, so no
durable step of recovery bypasses the gate either.

Scenarios: each built-in type with one document and with several, DOCX only (no LibreOffice, two
at a time); a representative subset with PDF (each step of the first PDF and of the print pack,
one at a time); and kills during recovery itself (a kill, then a kill at each fault point of the
recovery run, then a restart).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import drop, load_example
from docgen.register import Register
from docgen.settings import Workspace
from docgen.testing import use_register
from docgen.workspace_init import init_workspace
from docgen.testing import disable_conversion
from invariants import assert_nothing_lost, places_of

ROOT = Path(__file__).resolve().parent.parent
GATEKEEPER = Path(__file__).resolve().parent / "gatekeeper.py"
INPUT = "Документы.json"
PARALLEL = max(1, min(2, os.cpu_count() or 1))  # DOCX-only runs do not start LibreOffice

pytestmark = pytest.mark.slow


def docs(example: str) -> list[dict]:
    data = load_example(example)
    return data if isinstance(data, list) else [data]


def two_orders(example: str) -> list[dict]:
    first, second = docs(example)[0], dict(docs(example)[0])
    second["title"] = f"{first.get('title') or 'Приказ'} (часть 2)"
    return [first, second]


SCENARIOS = {  # built-in type → (one document, several documents)
    "pair_order": (docs("pair_order.json"), two_orders("pair_order.json")),
    "reward_order": (docs("reward_order.json"), two_orders("reward_order.json")),
    "consent": (docs("consent.json")[:1], docs("consent.json")),
    "thank_you_letter": (docs("thank_you_letter.json")[:1], docs("thank_you_letter.json")[:2]),
    "roadmap": (docs("roadmap.json"), docs("roadmap.json") + docs("roadmap_school4.json")),
}


@dataclass(frozen=True)
class Outcome:
    """What an uncrashed run leaves: the register's numbers and statuses, the files in outbox/, the input's place."""

    entries: list[tuple]
    files: dict[str, int]
    place: list[str]


def prepare(folder: Path, documents: list[dict], conversion: bool, pg_url: str = "") -> Workspace:
    """A workspace with the input in its inbox; with ``pg_url`` its register is in PostgreSQL, the school's key
    being the folder's name (so each copy the sweep makes has a journal of its own, empty like the file's)."""
    ws = Workspace(folder)
    init_workspace(ws.root, demo=True)
    if pg_url:
        use_register(ws, pg_url)
    if not conversion:
        disable_conversion(ws)
    drop(ws, INPUT, documents)
    return ws


def copy_of(ws: Workspace, folder: Path) -> Workspace:
    shutil.copytree(ws.root, folder, symlinks=True)
    return Workspace(folder)


def run(ws: Workspace, fault_at: str | None = None, trace: Path | None = None) -> subprocess.CompletedProcess:
    """``docgen process`` on the input, under the gatekeeper (violations in <ws>.violations)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCGEN_PAUSE", "DOCGEN_FAULT"))}
    env.update(DOCGEN_GATE_ROOT=str(ws.root), DOCGEN_GATE_LOG=str(violations_of(ws)))
    if fault_at:
        env["DOCGEN_FAULT_AT"] = fault_at
    if trace:
        env["DOCGEN_FAULT_TRACE"] = str(trace)
    command = [sys.executable, str(GATEKEEPER), "-w", str(ws.root), "process", str(ws.inbox / INPUT)]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def violations_of(ws: Workspace) -> Path:
    return ws.root.with_name(ws.root.name + ".violations")


def outcome_of(ws: Workspace) -> Outcome:
    files: dict[str, int] = {}
    for path in ws.outbox.iterdir():
        if path.is_file():
            kind = "pack" if "Комплект для печати" in path.name else path.suffix
            files[kind] = files.get(kind, 0) + 1
    entries = [(e.number, e.status, e.doc_index) for e in Register(ws.register).entries()]
    return Outcome(entries, files, places_of(ws, INPUT))


def traced(ws: Workspace, folder: Path) -> tuple[list[str], Outcome]:
    """The fault points an uncrashed run passes, in order, and what it leaves."""
    ws = copy_of(ws, folder)
    trace = folder.with_name(folder.name + ".trace")
    run(ws, trace=trace)
    assert_nothing_lost(ws, [INPUT])
    return trace.read_text(encoding="utf-8").split(), outcome_of(ws)


def assert_recovered(ws: Workspace, expected: Outcome, what: str) -> None:
    assert violations_of(ws).read_text(encoding="utf-8") == "", f"{what}: durable steps outside the gate"
    assert_nothing_lost(ws, [INPUT])
    got = outcome_of(ws)
    assert got.place == expected.place, f"{what}: the input is in {got.place}, not {expected.place}"
    assert got.entries == expected.entries, f"{what}: the register differs from an uncrashed run"
    assert got.files == expected.files, f"{what}: outbox differs from an uncrashed run"


def kill_then_restart(start: Workspace, folder: Path, point: str, expected: Outcome) -> None:
    ws = copy_of(start, folder)
    violations_of(ws).touch()
    killed = run(ws, fault_at=point)
    assert killed.returncode == -signal.SIGKILL, f"{point}: not killed\n{killed.stderr[-1500:]}"
    restarted = run(ws)
    assert restarted.returncode in ((0,) if expected.place == ["processed"] else (0, 1)), \
        f"after a kill at {point}:\n{restarted.stdout}{restarted.stderr[-3000:]}"
    assert_recovered(ws, expected, f"kill at {point}")


def sweep(tasks: list, parallel: int) -> None:
    """Run every task; fail listing each one that failed (not only the first)."""
    def attempt(task):
        try:
            task()
        except AssertionError as exc:
            return str(exc).split("\n")[0]
        return None

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        failures = [f for f in pool.map(attempt, tasks) if f]
    assert not failures, f"{len(failures)} of {len(tasks)} kill points not recovered:\n" + "\n".join(failures)


@pytest.mark.parametrize("type_id, how_many", [(t, n) for t in SCENARIOS for n in ("one", "several")])
def test_kill_9_at_each_step_then_restart_loses_nothing(tmp_path, type_id, how_many):
    documents = SCENARIOS[type_id][how_many == "several"]
    start = prepare(tmp_path / "start", documents, conversion=False)
    points, expected = traced(start, tmp_path / "uncrashed")
    assert len(expected.entries) == len(documents) and expected.files[".docx"] == len(documents)
    assert expected.place == ["processed"]
    assert {"input.claim#1", "register.issue#1", "publish.docx.link#1", "input.to_processed#1"} <= set(points)
    sweep([lambda p=p, i=i: kill_then_restart(start, tmp_path / f"kill-{i}", p, expected)
           for i, p in enumerate(points)], PARALLEL)


@pytest.mark.parametrize("type_id", ["pair_order", "consent"])
def test_kill_9_at_each_step_with_the_register_in_postgresql_loses_nothing(tmp_path, docgen_pg_url, type_id):
    """The representative subset on PostgreSQL: two documents of an order and of a consent, every fault point."""
    documents = SCENARIOS[type_id][1]
    start = prepare(tmp_path / "start", documents, conversion=False, pg_url=docgen_pg_url)
    points, expected = traced(start, tmp_path / "uncrashed")
    assert Register(Workspace(tmp_path / "uncrashed").register).journal.kind == "postgresql"
    assert not (tmp_path / "uncrashed" / "register.sqlite").exists()
    assert len(expected.entries) == len(documents) and expected.place == ["processed"]
    assert {"register.issue#1", "register.mark_published#1", "input.to_processed#1"} <= set(points)
    sweep([lambda p=p, i=i: kill_then_restart(start, tmp_path / f"kill-{i}", p, expected)
           for i, p in enumerate(points)], PARALLEL)


def test_kill_9_at_each_step_of_setting_a_bad_file_aside_then_restart_loses_nothing(tmp_path):
    documents = two_orders("pair_order.json")
    documents[1]["date"] = "31.02.2023"  # impossible: the file goes to failed/ with a report, no number drawn
    start = prepare(tmp_path / "start", documents, conversion=False)
    points, expected = traced(start, tmp_path / "uncrashed")
    assert expected.place == ["failed"] and expected.entries == []
    assert {"report.write#1", "input.to_failed#1"} <= set(points)
    sweep([lambda p=p, i=i: kill_then_restart(start, tmp_path / f"kill-{i}", p, expected)
           for i, p in enumerate(points)], PARALLEL)


def pdf_points(points: list[str]) -> list[str]:
    """The steps of the first PDF and of the print pack, with the register step between each fsync and link."""
    chosen = []
    for before, point in zip([""] + points, points):
        if point.startswith(("publish.pdf.", "publish.pack.")) and (point.endswith("#1") or "pack" in point):
            chosen.append(point)
        elif point.startswith("register.reserve_output") and before in ("publish.pdf.fsync#1", "publish.pack.fsync#1"):
            chosen.append(point)
    return chosen


@pytest.mark.libreoffice
def test_kill_9_at_each_step_of_pdf_and_print_pack_then_restart_loses_nothing(tmp_path):
    start = prepare(tmp_path / "start", two_orders("pair_order.json"), conversion=True)
    points, expected = traced(start, tmp_path / "uncrashed")
    assert expected.files == {".docx": 2, ".pdf": 2, "pack": 1}
    chosen = pdf_points(points)
    assert len(chosen) == 10, chosen  # fsync, reserve, link, unlink of the temporary name, fsync_dir: PDF and pack
    sweep([lambda p=p, i=i: kill_then_restart(start, tmp_path / f"kill-{i}", p, expected)
           for i, p in enumerate(chosen)], parallel=1)


FIRST_KILLS = ["register.issue#1", "publish.docx.link#1", "register.mark_published#1", "input.to_processed#1"]


@pytest.mark.parametrize("first", FIRST_KILLS)
def test_a_crash_during_recovery_is_recovered_too(tmp_path, first):
    """Killed at ``first``; the restart killed in turn at each fault point of its recovery; then restarted."""
    start = prepare(tmp_path / "start", two_orders("pair_order.json"), conversion=False)
    _, expected = traced(start, tmp_path / "uncrashed")
    crashed = copy_of(start, tmp_path / "crashed")
    violations_of(crashed).touch()
    assert run(crashed, fault_at=first).returncode == -signal.SIGKILL
    recovery_points, _ = traced(crashed, tmp_path / "recovered")
    assert len(recovery_points) >= 2, recovery_points
    sweep([lambda p=p, i=i: kill_then_restart(crashed, tmp_path / f"kill-{i}", p, expected)
           for i, p in enumerate(recovery_points)], PARALLEL)


def test_after_a_kill_between_moving_the_input_and_telling_the_register_the_same_bytes_are_a_duplicate(tmp_path):
    start = prepare(tmp_path / "start", two_orders("pair_order.json"), conversion=False)
    _, expected = traced(start, tmp_path / "uncrashed")
    kill_then_restart(start, tmp_path / "killed", "input.to_processed#1", expected)
    ws = Workspace(tmp_path / "killed")
    (ws.inbox / INPUT).write_bytes((ws.processed / INPUT).read_bytes())
    again = run(ws)
    assert again.returncode == 1 and "уже был обработан" in again.stdout
    assert (ws.failed / INPUT).is_file()
    assert outcome_of(ws).entries == expected.entries


@pytest.mark.libreoffice
def test_kill_after_the_print_pack_makes_no_second_pack(tmp_path):
    ws = prepare(tmp_path / "ws", two_orders("pair_order.json"), conversion=True)
    violations_of(ws).touch()
    assert run(ws, fault_at="publish.pack.fsync_dir#1").returncode == -signal.SIGKILL
    packs = list(ws.outbox.glob("*Комплект для печати*.pdf"))
    assert len(packs) == 1
    result = run(ws)
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(ws.outbox.glob("*Комплект для печати*.pdf")) == packs
    assert_nothing_lost(ws, [INPUT])
