"""Crash windows between two durable steps, each with what recovery must do (issue 22, point 2).

The two windows the issue names: killed right after a document's ``.docx`` (or ``.pdf``) got
its final name in outbox/ and before the register recorded it. The kill is placed by
tests/kill_after_link.py, which watches the system calls that name a file, so these tests do
not depend on docgen's own fault points: on a docgen that names files before recording them,
recovery published the same document again as «… (2).docx» and left the first copy unknown to
the journal. Now every name is reserved in the register before the file gets it, and recovery
adopts the file. Further windows: a file of a voided number left in outbox/, a document the
register does not know, and the file an older docgen named before its crash.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from helpers import ROOT, TWO_ORDERS, drop, load_example, two_orders_workspace
from docgen.register import Register
from docgen.settings import Workspace
from invariants import assert_nothing_lost

KILLER = Path(__file__).resolve().parent / "kill_after_link.py"
INPUT = TWO_ORDERS


def clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(("DOCGEN_PAUSE", "DOCGEN_FAULT", "KILL_AFTER"))}


def run(ws: Workspace, *prefix: str, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, *prefix, "-w", str(ws.root), "process", str(ws.inbox / INPUT)]
    if not prefix:
        command[1:1] = ["-m", "docgen"]
    return subprocess.run(command, cwd=ROOT, env={**clean_env(), **(env or {})}, capture_output=True, text=True,
                          timeout=300)


def assert_two_orders_each_once(ws: Workspace, suffixes: tuple[str, ...]) -> None:
    register = assert_nothing_lost(ws, [INPUT])
    assert [(e.number, e.status) for e in register.entries()] == [("1-од", "published"), ("2-од", "published")]
    for suffix in suffixes:
        names = sorted(p.name for p in ws.outbox.glob(f"*№*{suffix}") if "Комплект" not in p.name)
        assert len(names) == 2 and not [n for n in names if "(2)" in n], names


@pytest.mark.parametrize("suffix", [".docx", pytest.param(".pdf", marks=pytest.mark.libreoffice)])
@pytest.mark.slow
def test_killed_right_after_a_file_got_its_final_name_recovery_adopts_it_and_makes_no_second_copy(tmp_path, suffix):
    ws = two_orders_workspace(tmp_path, conversion=suffix == ".pdf")
    killed = run(ws, str(KILLER), env={"KILL_AFTER_NAME": suffix})
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    [first] = [p for p in ws.outbox.glob(f"*{suffix}") if not p.name.startswith(".")]
    inode = first.stat().st_ino

    restarted = run(ws)
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    assert_two_orders_each_once(ws, (".docx", ".pdf") if suffix == ".pdf" else (".docx",))
    assert first.stat().st_ino == inode  # the very file of the crashed run, adopted, not made again
    owner = [e for e in Register(ws.register).entries() if first.name in e.outputs]
    assert len(owner) == 1 and owner[0].number == "1-од"


@pytest.mark.slow
def test_a_document_the_register_does_not_know_is_set_aside_with_a_log_line(tmp_path):
    ws = two_orders_workspace(tmp_path, conversion=False)
    assert run(ws).returncode == 0
    stray = ws.outbox / "2023-08-31 Приказ № 7-од О чём-то.docx"
    stray.write_bytes((next(ws.outbox.glob("*.docx"))).read_bytes())
    (ws.outbox / "Thumbs.db").write_bytes(b"\0")  # not a document: left alone
    drop(ws, "другой.json", load_example("reward_order.json"))
    result = subprocess.run([sys.executable, "-m", "docgen", "-w", str(ws.root), "process", str(ws.inbox / "другой.json")],
                            cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not stray.exists() and (ws.outbox / "Вне журнала" / stray.name).is_file()
    assert "файла нет в журнале регистрации, перенесён в outbox/Вне журнала: № 7-од, DOCX" in result.stderr
    assert "О чём-то" not in result.stderr  # a file name may carry a person's name: never logged
    assert (ws.outbox / "Thumbs.db").exists()
    assert_nothing_lost(ws, [INPUT, "другой.json"])


@pytest.mark.slow
def test_files_of_a_number_voided_by_a_run_that_crashed_before_removing_them_leave_the_outbox(tmp_path):
    ws = two_orders_workspace(tmp_path, conversion=False)
    assert run(ws).returncode == 0
    register = Register(ws.register)
    entry = register.entries()[0]
    register.void(entry.id, "ошибка в приказе")  # as `docgen register void` does, files not yet taken away
    assert all((ws.outbox / name).exists() for name in entry.outputs)
    drop(ws, "другой.json", load_example("reward_order.json"))
    result = subprocess.run([sys.executable, "-m", "docgen", "-w", str(ws.root), "process", str(ws.inbox / "другой.json")],
                            cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not any((ws.outbox / name).exists() for name in entry.outputs)
    assert_nothing_lost(ws, [INPUT, "другой.json"])


@pytest.mark.slow
def test_a_file_an_older_docgen_named_before_recording_it_is_adopted_by_its_number(tmp_path):
    """The state an older docgen left when killed after naming a file: the file, no record of it, the claim."""
    ws = two_orders_workspace(tmp_path, conversion=False)
    killed = run(ws, env={"DOCGEN_FAULT_AT": "publish.docx.fsync_dir#1"})  # the first DOCX is out under its name
    assert killed.returncode == -signal.SIGKILL
    with closing(sqlite3.connect(ws.register, isolation_level=None)) as conn:  # the old register: no reservations
        conn.execute("DELETE FROM outbox_files")
        conn.execute("UPDATE entries SET outputs = '[]'")
    [docx] = ws.outbox.glob("*.docx")
    inode = docx.stat().st_ino
    restarted = run(ws)
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    assert docx.stat().st_ino == inode
    assert "файл выпущен до сбоя и взят в журнал: № 1-од, DOCX" in restarted.stderr
    assert_two_orders_each_once(ws, (".docx",))


@pytest.mark.parametrize("point", ["input.copy_fsync#1", "input.claim#1"])
@pytest.mark.slow
def test_a_file_given_from_elsewhere_killed_while_being_claimed_is_processed_once_and_never_truncated(tmp_path, point):
    """`docgen process D:/файл.json`: the copy is written under a temporary name and renamed once whole.

    Killed before the rename: the temporary copy is removed and the file given again is processed.
    Killed after it: recovery processes the whole copy; the same file given again is then the same
    bytes a second time (RELIABILITY.md 28) — recognised, no new number."""
    ws = two_orders_workspace(tmp_path, conversion=False)
    outside = tmp_path / INPUT
    (ws.inbox / INPUT).rename(outside)
    command = [sys.executable, "-m", "docgen", "-w", str(ws.root), "process", str(outside)]
    killed = subprocess.run(command, cwd=ROOT, env={**clean_env(), "DOCGEN_FAULT_AT": point}, capture_output=True,
                            text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    assert outside.is_file()  # the secretary's original is never touched
    restarted = subprocess.run(command, cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=300)
    assert "Готово: Приказы о парах.json" in restarted.stdout, restarted.stdout + restarted.stderr
    if point == "input.claim#1":
        assert restarted.returncode == 1 and "уже был обработан" in restarted.stdout
        assert [p.name for p in ws.failed.iterdir() if p.suffix == ".json"] == [INPUT]
    else:
        assert restarted.returncode == 0, restarted.stdout + restarted.stderr
        assert not list(ws.failed.iterdir())
    register = assert_nothing_lost(ws, [])
    assert [(e.number, e.status) for e in register.entries()] == [("1-од", "published"), ("2-од", "published")]
    assert (ws.processed / INPUT).read_bytes() == outside.read_bytes()
    assert len(list(ws.outbox.glob("*.docx"))) == 2


def test_a_name_reserved_in_the_register_is_never_given_to_another_file(tmp_path):
    """Two writers: the one that reserved a name first gets it, even before its file exists."""
    from docgen.pipeline import OutboxNames
    from docgen.publishing import publish_file

    register = Register(tmp_path / "register.sqlite")
    outbox = tmp_path / "outbox"
    source = tmp_path / "x.docx"
    source.write_bytes(b"PK")
    assert register.reserve_output("2024-01-01 Письмо.docx", "a" * 64, "docx")  # writer A, its file not linked yet
    book = OutboxNames(register, "b" * 64, "docx")
    published = publish_file(source, outbox, "2024-01-01 Письмо", ".docx", names=book)
    assert published.name == "2024-01-01 Письмо (2).docx"
    assert not (outbox / "2024-01-01 Письмо.docx").exists()
    assert register.known_outputs() == {"2024-01-01 Письмо.docx", "2024-01-01 Письмо (2).docx"}
    again = publish_file(source, outbox, "2024-01-01 Письмо", ".docx", names=book, name="2024-01-01 Письмо.docx")
    assert again.name == "2024-01-01 Письмо.docx"  # writer A after its crash: its reserved name, as recorded


@pytest.mark.libreoffice
def test_a_print_pack_made_before_packs_were_recorded_stays_where_it_is(tmp_path):
    """An outbox from an older docgen: its print packs are recorded for their inputs, not set aside."""
    ws = two_orders_workspace(tmp_path, conversion=True)
    assert run(ws).returncode == 0
    [pack] = ws.outbox.glob("*Комплект для печати*.pdf")
    with closing(sqlite3.connect(ws.register, isolation_level=None)) as conn:
        conn.execute("DELETE FROM outbox_files WHERE kind = 'pack'")
    drop(ws, "другой.json", load_example("reward_order.json"))
    result = subprocess.run([sys.executable, "-m", "docgen", "-w", str(ws.root), "process", str(ws.inbox / "другой.json")],
                            cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert pack.is_file() and not (ws.outbox / "Вне журнала").exists()
    assert_nothing_lost(ws, [INPUT, "другой.json"])


def test_every_test_the_reliability_page_names_exists():
    """docs/reliability.md names tests outside its numbered table too (the window table): each must exist."""
    import re

    from helpers import function_names

    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    named = set(re.findall(r"(tests/\w+\.py)::(\w+)", text))
    assert ("tests/test_crash_windows.py",
            "test_killed_right_after_a_file_got_its_final_name_recovery_adopts_it_and_makes_no_second_copy") in named
    for file, name in named:
        assert name in function_names(file), f"{file}::{name}"
