"""The register in PostgreSQL when the database fails: unreachable at start or mid-batch (the input stays in
the inbox, nothing drawn, the watcher waits and says so in Russian), and a connection cut inside the
numbering transaction (no half-issued number). The database is cut through a relay (tests/pgproxy.py),
or its backend ended with ``pg_terminate_backend``; the shared test server itself keeps running."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import psycopg
import pytest

from helpers import drop, load_example, wait_for
from docgen.register import NumberRequest, Register, RegisterUnavailable
from docgen.register.db import RegisterLocation, school_schema
from docgen.settings import Workspace
from docgen.testing import use_register
from docgen.workspace_init import init_workspace
from invariants import assert_nothing_lost
from pgproxy import CuttableProxy

ROOT = Path(__file__).resolve().parent.parent


def request(index: int) -> NumberRequest:
    return NumberRequest(doc_index=index, type_id="pair_order", doc_date=date(2026, 9, 1), series="orders",
                         pattern="{n}-од", year_start="01-01", heading="", signer="", executor="")


def fmt(req, year, sequence):
    return req.pattern.format(n=sequence)


def terminate_other_backends(admin_url: str, database_url: str) -> int:
    """End every session of the test database but the caller's own, as an administrator would."""
    name = psycopg.conninfo.conninfo_to_dict(database_url)["dbname"]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"
                            " AND pid <> pg_backend_pid() AND application_name = 'docgen'", (name,)).fetchall()
    return len(rows)


def entries_in_database(url: str, school: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT number, status FROM {school_schema(school)}.entries ORDER BY id").fetchall()


def pg_workspace(tmp_path: Path, url: str, retry_seconds: float | None = None) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    init_workspace(ws.root, demo=True)
    text = ws.config.read_text(encoding="utf-8")
    ws.config.write_text(text.replace("[conversion]\n", "[conversion]\nenabled = false\n"), encoding="utf-8")
    use_register(ws, url, "school-5")
    if retry_seconds is not None:
        with open(ws.config, "a", encoding="utf-8") as handle:
            handle.write(f"retry_seconds = {retry_seconds}\n")
    return ws


def two_orders() -> list[dict]:
    first, second = load_example("pair_order.json"), load_example("pair_order.json")
    second["title"] = "О закреплении наставнических пар (часть 2)"
    return [first, second]


# --- a connection cut inside the numbering transaction -------------------------------------------------------------

def test_a_backend_killed_inside_the_numbering_transaction_leaves_nothing_and_the_retry_issues_all(
        tmp_path, docgen_pg_server, docgen_pg_url):
    register = Register(tmp_path / "register.sqlite", location=RegisterLocation(docgen_pg_url, "school-5"))
    calls = []

    def cutting_format(req, year, sequence):
        calls.append(sequence)
        if len(calls) == 2:  # the first document is inserted, the transaction is open: its backend is ended
            assert terminate_other_backends(docgen_pg_server, docgen_pg_url) >= 1
        return fmt(req, year, sequence)

    entries = register.issue("sha", "a.json", [request(0), request(1)], cutting_format)
    assert [e.number for e in entries] == ["1-од", "2-од"]
    assert calls[:2] == [1, 2] and calls[2:] == [1, 2]  # the whole transaction ran again on a new connection
    assert entries_in_database(docgen_pg_url, "school-5") == [("1-од", "issued"), ("2-од", "issued")]


def test_a_cut_with_no_time_left_gives_up_in_russian_with_nothing_written(tmp_path, docgen_pg_server, docgen_pg_url):
    register = Register(tmp_path / "register.sqlite", location=RegisterLocation(docgen_pg_url, "school-5"),
                        retry_seconds=0)

    def cutting_format(req, year, sequence):
        terminate_other_backends(docgen_pg_server, docgen_pg_url)
        return fmt(req, year, sequence)

    with pytest.raises(RegisterUnavailable, match="(?i)недоступен.*номер не выдан.*inbox"):
        register.issue("sha", "a.json", [request(0), request(1)], cutting_format)
    assert entries_in_database(docgen_pg_url, "school-5") == []
    assert register.input_status("sha") is None  # the input row of that transaction is gone with it


def test_a_backend_ended_at_the_numbering_point_then_restart_issues_each_number_once(
        tmp_path, docgen_pg_server, docgen_pg_url):
    """``docgen process`` frozen inside the numbering transaction (DOCGEN_PAUSE_AT=numbering), its backend
    terminated by the administrator, the process killed: no number in the journal; the restart issues 1 and 2."""
    ws = pg_workspace(tmp_path, docgen_pg_url)
    drop(ws, "Приказы.json", two_orders())
    env = {**os.environ, "DOCGEN_PAUSE_AT": "numbering", "DOCGEN_PAUSE_MODE": "stop"}
    command = [sys.executable, "-m", "docgen", "-w", str(ws.root), "process", str(ws.inbox / "Приказы.json")]
    frozen = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: Path(f"/proc/{frozen.pid}/stat").read_text().split(") ")[1].startswith("T"), 60, "the pause")
        assert terminate_other_backends(docgen_pg_server, docgen_pg_url) >= 1
        assert entries_in_database(docgen_pg_url, "school-5") == []  # nothing half-issued
        frozen.send_signal(signal.SIGKILL)
        frozen.wait(30)
    finally:
        if frozen.poll() is None:
            frozen.kill()
    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert entries_in_database(docgen_pg_url, "school-5") == [("1-од", "published"), ("2-од", "published")]
    assert_nothing_lost(ws, ["Приказы.json"])


# --- the database unreachable ---------------------------------------------------------------------------------------

@pytest.fixture
def relay(docgen_pg_server):
    proxy = CuttableProxy(docgen_pg_server)
    yield proxy
    proxy.close()


def test_unreachable_mid_batch_keeps_the_input_in_the_inbox_and_draws_nothing(tmp_path, docgen_pg_url, relay):
    from docgen.pipeline import Pipeline

    ws = pg_workspace(tmp_path, relay.url(docgen_pg_url), retry_seconds=1)
    pipeline = Pipeline(ws)
    try:
        drop(ws, "первый.json", load_example("pair_order.json"))
        assert pipeline.process(ws.inbox / "первый.json").ok
        relay.cut()
        drop(ws, "второй.json", two_orders()[1])
        outcome = pipeline.process(ws.inbox / "второй.json")
        assert not outcome.ok and "недоступен" in outcome.message and "номер не выдан" in outcome.message.lower()
        assert (ws.inbox / "второй.json").is_file() and not (ws.failed / "второй.json").exists()
        assert entries_in_database(docgen_pg_url, "school-5") == [("1-од", "published")]
        relay.restore()
        again = pipeline.process(ws.inbox / "второй.json")
        assert again.ok, again.message
    finally:
        pipeline.close()
    assert entries_in_database(docgen_pg_url, "school-5") == [("1-од", "published"), ("2-од", "published")]
    assert_nothing_lost(ws, ["первый.json", "второй.json"])



def test_watch_started_while_the_database_is_unreachable_waits_says_so_and_then_works(tmp_path, docgen_pg_url, relay):
    ws = pg_workspace(tmp_path, relay.url(docgen_pg_url), retry_seconds=0.5)
    drop(ws, "Приказ.json", load_example("pair_order.json"))
    relay.cut()
    log = ws.state / "docgen.log"
    watcher = subprocess.Popen([sys.executable, "-m", "docgen", "-w", str(ws.root), "watch", "--seconds", "60"],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: log.exists() and "Повторю через" in log.read_text(encoding="utf-8"), 60, "the waiting line")
        assert (ws.inbox / "Приказ.json").is_file()  # nothing claimed while the journal does not answer
        assert not ws.processing.exists() or not any(ws.processing.iterdir())
        relay.restore()
        wait_for(lambda: (ws.processed / "Приказ.json").is_file(), 120, "the file processed")
    finally:
        watcher.send_signal(signal.SIGTERM)
        _, errors = watcher.communicate(timeout=60)
    logged = log.read_text(encoding="utf-8")
    assert "журнал регистрации (PostgreSQL, школа «school-5») недоступен" in logged
    assert "Traceback" not in errors + logged
    assert entries_in_database(docgen_pg_url, "school-5") == [("1-од", "published")]


def test_a_school_whose_database_is_down_when_the_service_starts_is_served_once_it_answers(
        tmp_path, docgen_pg_url, relay, caplog):
    """``watch --workspaces``: the school whose journal does not answer is said and retried at every scan (not
    refused until its docgen.toml changes), claims nothing meanwhile, and issues its order once it answers."""
    import threading

    from docgen.pdf.converter import Converter
    from docgen.schools import SchoolsService
    from docgen.settings import ConversionOptions

    ws = pg_workspace(tmp_path, relay.url(docgen_pg_url), retry_seconds=0.5)
    drop(ws, "Приказ.json", load_example("pair_order.json"))
    relay.cut()
    converter = Converter(ConversionOptions(enabled=False), tmp_path / "service-state")
    service = SchoolsService([ws.root], converter, lambda school, outcome: None, rescan=0.5)
    thread = threading.Thread(target=service.run, daemon=True)
    with caplog.at_level("WARNING", logger="docgen.schools"):
        thread.start()
        try:
            wait_for(lambda: sum("пока не обслуживается" in r.getMessage() for r in caplog.records) >= 2, 60,
                     "the school said twice to be waiting for its journal")
            assert ws.root not in service.refused and ws.root not in service.served
            assert (ws.inbox / "Приказ.json").is_file()  # nothing claimed while the journal does not answer
            relay.restore()
            wait_for(lambda: (ws.processed / "Приказ.json").is_file(), 60, "the order processed")
        finally:
            service.stop()
            thread.join(timeout=30)
            converter.close()
    assert "недоступен" in caplog.records[0].getMessage()
    assert entries_in_database(docgen_pg_url, "school-5") == [("1-од", "published")]
