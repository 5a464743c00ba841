"""Several workers on one inbox with the register in PostgreSQL: claim rows with a lease and a heartbeat
(docgen/leases.py). Two and four watchers, each a process with its own state folder, share one inbox and one
database: 50 files, each claimed and published once, the journal gap-free; a dead worker's file is taken over."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from helpers import drop, load_example, wait_for
from docgen.leases import Leases
from docgen.register import Register
from docgen.register.db import RegisterLocation, school_schema
from docgen.settings import Workspace
from docgen.testing import use_register
from docgen.workspace_init import init_workspace
from invariants import assert_nothing_lost

ROOT = Path(__file__).resolve().parent.parent
FILES = 50



def pg_workspace(tmp_path: Path, url: str, lease_seconds: float | None = None) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    init_workspace(ws.root, demo=True)
    text = ws.config.read_text(encoding="utf-8")
    text = text.replace("[conversion]\n", "[conversion]\nenabled = false\n")  # DOCX only: no LibreOffice
    text = re.sub(r"^stability_delay = .*$", "stability_delay = 0.5", text, flags=re.M)
    text = re.sub(r"^poll_interval = .*$", "poll_interval = 0.5", text, flags=re.M)
    ws.config.write_text(text, encoding="utf-8")
    use_register(ws, url, "school-5")
    if lease_seconds is not None:
        with open(ws.config, "a", encoding="utf-8") as handle:
            handle.write(f"lease_seconds = {lease_seconds}\n")
    return ws


# --- the leases themselves -----------------------------------------------------------------------------------------

def test_a_lease_is_held_by_one_worker_renewed_by_its_heartbeat_and_taken_over_when_it_stops(tmp_path, docgen_pg_url):
    location = RegisterLocation(docgen_pg_url, "school-5")
    first = Leases(Register(tmp_path / "a" / "register.sqlite", location=location), lease_seconds=0.6)
    second = Leases(Register(tmp_path / "b" / "register.sqlite", location=location), lease_seconds=0.6)
    try:
        assert first.take("file:Приказ.json")
        assert first.take("file:Приказ.json")  # already ours
        assert not second.take("file:Приказ.json") and second.held_elsewhere("file:Приказ.json")
        time.sleep(1.5)  # more than two leases: the heartbeat kept it
        assert not second.take("file:Приказ.json")
        first.close()  # the worker dies: no more heartbeats
        time.sleep(0.9)
        assert second.take("file:Приказ.json")  # the lease ran out: taken over
        assert first.renew() == 0 and not first.held_elsewhere("file:x") and first.held_elsewhere("file:Приказ.json")
        second.release("file:Приказ.json")
        assert first.take("file:Приказ.json")
    finally:
        first.close()
        second.close()


def claims_rows(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(f"SELECT key, owner FROM {school_schema('school-5')}.claims ORDER BY key").fetchall()


def test_a_claim_left_by_a_worker_of_another_machine_waits_for_its_lease_then_is_taken_over(tmp_path, docgen_pg_url):
    from docgen.pipeline import Pipeline

    ws = pg_workspace(tmp_path, docgen_pg_url)
    ws.ensure()
    owner = "424242@другая-машина@abcd1234"
    claimed = ws.processing / f"{owner}~Приказ.json"
    claimed.write_text(Path(ROOT / "examples" / "pair_order.json").read_text(encoding="utf-8"), encoding="utf-8")
    with psycopg.connect(docgen_pg_url) as conn:
        Pipeline(ws).close()  # creates the school's claims table
        conn.execute(f"INSERT INTO {school_schema('school-5')}.claims(key, owner, lease_until)"
                     " VALUES ('file:Приказ.json', %s, now() + interval '1 hour')", (owner,))
    pipeline = Pipeline(ws)
    try:
        assert pipeline.recover() == [] and claimed.is_file()  # its owner's lease is live: left alone
        with psycopg.connect(docgen_pg_url) as conn:
            conn.execute(f"UPDATE {school_schema('school-5')}.claims SET lease_until = now() - interval '1 second'")
        [outcome] = pipeline.recover()
        assert outcome.ok and outcome.documents[0]["number"] == "1-од"
    finally:
        pipeline.close()
    assert (ws.processed / "Приказ.json").is_file() and not claimed.exists()
    assert claims_rows(docgen_pg_url) == []  # the row went with the file
    assert_nothing_lost(ws, ["Приказ.json"])


# --- several watchers on one inbox -----------------------------------------------------------------------------------

def start_watchers(ws: Workspace, tmp_path: Path, count: int) -> list[tuple[subprocess.Popen, Path]]:
    watchers = []
    for i in range(count):
        state = tmp_path / f"state-{i}"
        env = {**os.environ, "DOCGEN_STATE_DIR": str(state)}
        process = subprocess.Popen([sys.executable, "-m", "docgen", "-w", str(ws.root), "watch", "--polling"],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        watchers.append((process, state / "docgen.log"))
    for _, log in watchers:
        wait_for(lambda: log.exists() and "следит за папкой" in log.read_text(encoding="utf-8"), 120, "a watcher")
    return watchers


@pytest.mark.parametrize("workers", [2, 4])
def test_watchers_with_their_own_state_folders_share_one_inbox_and_one_database(tmp_path, docgen_pg_url, workers):
    ws = pg_workspace(tmp_path, docgen_pg_url)
    watchers = start_watchers(ws, tmp_path, workers)
    names = [f"Приказ {i:02d}.json" for i in range(FILES)]
    try:
        for i, name in enumerate(names):
            order = load_example("pair_order.json")
            order["title"] = f"О закреплении наставнических пар (группа {i})"
            drop(ws, name, order)
        wait_for(lambda: len(list(ws.processed.glob("*.json"))) == FILES, 600, "every file processed")
    finally:
        for process, _ in watchers:
            process.send_signal(signal.SIGTERM)
        errors = "".join(process.communicate(timeout=120)[1] for process, _ in watchers)
    assert "Traceback" not in errors, errors
    register = assert_nothing_lost(ws, names)
    entries = register.entries()
    assert sorted(e.sequence for e in entries) == list(range(1, FILES + 1))  # gap-free, each number once
    assert {e.status for e in entries} == {"published"} and sorted(e.input_name for e in entries) == names
    assert len(list(ws.outbox.glob("*.docx"))) == FILES
    logs = [log.read_text(encoding="utf-8") for _, log in watchers]
    for name in names:  # each file claimed by exactly one watcher, once
        assert sum(text.count(f"взят в работу: «{name}»") for text in logs) == 1, name
    assert sum(1 for text in logs if "готово:" in text) >= 2  # the work was shared
    assert claims_rows(docgen_pg_url) == []
