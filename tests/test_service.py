"""docgen watch as a service: a clean stop on SIGTERM/SIGINT, a Russian rotated log, and its systemd unit."""
from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import EXAMPLES, ROOT, wait_for
from docgen.service import LOG_BACKUPS, LOG_MAX_BYTES, configure_logging
from docgen.workspace_init import init_workspace

UNIT = ROOT / "deploy" / "docgen.service"



def office_processes(workspace: Path) -> list[int]:
    """LibreOffice processes whose profile lies in this workspace."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if "soffice" in cmdline and str(workspace) in cmdline:
            pids.append(int(proc.name))
    return pids


@pytest.mark.libreoffice
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_file_finishes_that_file_ends_libreoffice_and_logs_no_error(tmp_path, signum):
    ws = tmp_path / "ws"
    init_workspace(ws, demo=True)
    stderr = (tmp_path / "stderr.txt").open("w+", encoding="utf-8")
    # the watcher freezes itself (SIGSTOP) right after drawing the number: the signal lands mid-file
    env = {**os.environ, "DOCGEN_PAUSE_AT": "numbered", "DOCGEN_PAUSE_MODE": "stop"}
    watcher = subprocess.Popen([sys.executable, "-m", "docgen", "watch", "-w", str(ws)], stdout=subprocess.PIPE,
                               stderr=stderr, text=True, env=env)
    try:
        log = ws / ".docgen" / "docgen.log"
        wait_for(lambda: log.exists() and "следит за папкой" in log.read_text(encoding="utf-8"), 120, "the watcher")
        shutil.copy(EXAMPLES / "pair_order.json", ws / "inbox" / "pair_order.json")
        wait_for(lambda: Path(f"/proc/{watcher.pid}/stat").read_text().split(") ")[1].startswith("T"), 120, "the pause")
        watcher.send_signal(signum)
        watcher.send_signal(signal.SIGCONT)
        out, _ = watcher.communicate(timeout=180)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    stderr.seek(0)
    errors = stderr.read()
    assert watcher.returncode == 0, errors
    assert "Готово: pair_order.json" in out and "1-од" in out
    assert (ws / "inbox" / "processed" / "pair_order.json").exists()
    assert list((ws / "inbox" / ".processing").iterdir()) == []
    assert len(list((ws / "outbox").glob("*.pdf"))) == 1
    logged = (ws / ".docgen" / "docgen.log").read_text(encoding="utf-8")
    assert f"получен сигнал {signal.Signals(signum).name}: дообрабатываю текущий файл" in logged
    assert logged.index("получен сигнал") < logged.index("готово: «pair_order.json»") < logged.index("наблюдение остановлено")
    for text in (errors, logged):
        assert "Traceback" not in text and " ERROR " not in text and " ошибка " not in text, text
    assert office_processes(ws) == []


@pytest.mark.libreoffice
def test_a_stop_while_idle_is_immediate_and_clean(tmp_path):
    ws = tmp_path / "ws"
    init_workspace(ws, demo=True)
    watcher = subprocess.Popen([sys.executable, "-m", "docgen", "watch", "-w", str(ws)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    log = ws / ".docgen" / "docgen.log"
    wait_for(lambda: log.exists() and "следит за папкой" in log.read_text(encoding="utf-8"), 120, "the watcher")
    wait_for(lambda: office_processes(ws), 60, "LibreOffice")
    watcher.send_signal(signal.SIGTERM)
    _, errors = watcher.communicate(timeout=60)
    assert watcher.returncode == 0 and "Traceback" not in errors and " ошибка " not in errors
    assert office_processes(ws) == []


def test_the_log_is_russian_and_rotated(tmp_path):
    from docgen.faults import step

    configure_logging(tmp_path)
    try:
        handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler))
        assert (handler.maxBytes, handler.backupCount) == (LOG_MAX_BYTES, LOG_BACKUPS)
        step("numbered", "Приказ.json", "5-од")
        logging.getLogger("pymorphy3.wrapper").info("Loading dictionaries")  # a library's chatter stays out
        handler.flush()
        text = (tmp_path / "docgen.log").read_text(encoding="utf-8")
        assert "сведения docgen.faults: номер выдан: «Приказ.json» № 5-од" in text
        assert "Loading dictionaries" not in text and "INFO" not in text
        handler.maxBytes = 200
        for _ in range(20):
            step("done", "Приказ.json")
        assert (tmp_path / "docgen.log.1").exists()
    finally:
        logging.basicConfig(force=True, handlers=[logging.NullHandler()])


def read_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit as {section: {key: [values, in order]}} (keys may repeat, e.g. Environment)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        assert current is not None and _, f"not a unit line: {line}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_the_unit_runs_docgen_as_its_own_user_in_the_workspace_and_restarts_on_failure():
    unit = read_unit(UNIT)
    service = {key: values[-1] for key, values in unit["Service"].items()}
    assert service["User"] == "docgen" and service["Group"] == "docgen"
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"] == "2"  # a broken docgen.toml stops it instead of a restart loop
    assert service["WorkingDirectory"] == "/srv/docgen/school"
    assert f"DOCGEN_WORKSPACE={service['WorkingDirectory']}" in unit["Service"]["Environment"]
    command = service["ExecStart"].split()
    assert command[0] == "/opt/docgen/.venv/bin/docgen" and command[1:] == ["watch"]
    assert service["KillSignal"] == "SIGTERM" and int(service["TimeoutStopSec"]) >= 180  # a file may take 120 s
    assert service["StandardOutput"] == service["StandardError"] == "journal"
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]
    assert "network-online.target" in unit["Unit"]["After"][0]
    # the paths the unit names are the ones docs/install.md tells the admin to create
    guide = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    for path in ("/opt/docgen", "/srv/docgen/school", "deploy/docgen.service", "useradd"):
        assert path in guide, path


def test_systemd_analyze_accepts_the_units_where_it_is_installed(tmp_path):
    """``systemd-analyze verify`` where the machine has it; the parsed checks above run everywhere."""
    units = sorted((ROOT / "deploy").glob("docgen*.*"))
    assert [u.name for u in units] == ["docgen-backup.service", "docgen-backup.timer", "docgen.service"]
    for unit in units:
        read_unit(unit)  # every line is a section or a key=value
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return
    for unit in units:  # the programs the units run are not installed here: /bin/true stands in
        text = unit.read_text(encoding="utf-8").replace("/opt/docgen/.venv/bin/docgen", "/bin/true")
        (tmp_path / unit.name).write_text(text.replace("/opt/docgen/.venv/bin/python", "/bin/true"), encoding="utf-8")
    result = subprocess.run([analyze, "verify", *(str(tmp_path / u.name) for u in units)], capture_output=True,
                            text=True, timeout=60)
    problems = [line for line in (result.stdout + result.stderr).splitlines() if "docgen" in line]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr


@pytest.mark.slow
def test_the_register_backup_is_a_sound_copy_taken_while_the_register_is_open(tmp_path):
    import sqlite3
    from datetime import date

    from docgen.register import NumberRequest, Register

    register = Register(tmp_path / "register.sqlite")
    requests = [NumberRequest(doc_index=i, type_id="pair_order", doc_date=date(2024, 3, 1), series="orders",
                              pattern="{n}-од", year_start="01-01", heading="О закреплении", signer="", executor="")
                for i in range(3)]
    register.issue("sha", "a.json", requests, lambda req, year, n: f"{n}-од")
    holder = sqlite3.connect(tmp_path / "register.sqlite")  # the watcher keeps it open, mid-transaction
    holder.execute("BEGIN IMMEDIATE")
    try:
        backups = tmp_path / "backups"
        for _ in range(3):
            result = subprocess.run([sys.executable, str(ROOT / "deploy" / "backup_register.py"), str(tmp_path),
                                     str(backups), "--keep", "2"], capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, result.stderr
            assert "Копия журнала сохранена" in result.stdout
            time.sleep(1.1)  # copies are named by the second
    finally:
        holder.rollback()
        holder.close()
    copies = sorted(backups.glob("register-*.sqlite"))
    assert len(copies) == 2 and not list(backups.glob("*.partial"))
    numbers = sorted(row[0] for row in sqlite3.connect(copies[-1]).execute("SELECT number FROM entries"))
    assert numbers == ["1-од", "2-од", "3-од"]
    missing = subprocess.run([sys.executable, str(ROOT / "deploy" / "backup_register.py"), str(tmp_path / "нет"),
                              str(backups)], capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0 and "Нет журнала регистрации" in missing.stderr


def test_the_backup_of_a_postgresql_register_is_that_school_s_journal_as_a_sqlite_file(tmp_path, docgen_pg_url):
    from datetime import date

    from docgen.register import NumberRequest, Register
    from docgen.register.db import location_from_config
    from docgen.settings import Workspace
    from docgen.testing import use_register

    ws = Workspace(tmp_path / "school")
    init_workspace(ws.root, demo=True)
    use_register(ws, docgen_pg_url, "school-a")
    register = Register(ws.register, location=location_from_config(ws.root))
    requests = [NumberRequest(doc_index=i, type_id="pair_order", doc_date=date(2024, 3, 1), series="orders",
                              pattern="{n}-од", year_start="01-01", heading="О закреплении", signer="", executor="")
                for i in range(3)]
    register.issue("sha", "a.json", requests, lambda req, year, n: f"{n}-од")
    register.close()
    backups = tmp_path / "backups"
    result = subprocess.run([sys.executable, str(ROOT / "deploy" / "backup_register.py"), str(ws.root), str(backups)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not ws.register.exists()  # the journal is in PostgreSQL: no SQLite file was made in the workspace
    [copy] = backups.glob("register-*.sqlite")
    assert sorted(p.name for p in backups.iterdir()) == [copy.name]  # one self-contained file, no -wal beside it
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    assert sorted(row[0] for row in conn.execute("SELECT number FROM entries")) == ["1-од", "2-од", "3-од"]
    conn.close()
    ws.config.write_text(ws.config.read_text(encoding="utf-8").replace(docgen_pg_url, "postgresql://127.0.0.1:9/nobase")
                         + "retry_seconds = 1\n", encoding="utf-8")  # the [register] section is the last one
    unreachable = subprocess.run([sys.executable, str(ROOT / "deploy" / "backup_register.py"), str(ws.root),
                                  str(backups)], capture_output=True, text=True, timeout=300)
    assert unreachable.returncode != 0 and "Копию журнала сделать не удалось" in unreachable.stderr
    assert [p.name for p in backups.iterdir()] == [copy.name]  # no half copy left beside the good one


def test_the_reliability_map_of_the_service_names_tests_that_exist():
    import ast

    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8").split("## The service and its set-up", 1)[1]
    cited = re.findall(r"(tests/\w+\.py)::(\w+)", text)
    assert len(cited) >= 7
    for file, name in cited:
        tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
        assert name in {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}, f"{file}::{name}"


def test_watchdogs_own_stop_race_is_not_logged_as_an_error(caplog):
    """watchdog's inotify thread, stopped while it reads, logs an ERROR of its own: a clean stop must not show it."""
    import logging

    import docgen.inbox  # noqa: F401 - installs the filter

    inotify_log = logging.getLogger("watchdog.observers.inotify")
    with caplog.at_level(logging.ERROR):
        inotify_log.error("InotifyEmitter.queue_events() called when the thread is inactive")
        inotify_log.error("a real inotify failure")
    assert [r.getMessage() for r in caplog.records] == ["a real inotify failure"]
