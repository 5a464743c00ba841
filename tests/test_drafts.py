"""A form still open in Excel or LibreOffice is a draft: never taken while its lock file is beside it (issue 13, 5)."""
from __future__ import annotations

import threading
import time

import pytest

from docgen.inbox import InboxWatcher, draft_lock, lock_names
from docgen.pipeline import Pipeline
from docgen.settings import InboxOptions, Workspace
from docgen.workspace_init import init_workspace
from docgen.testing import disable_conversion
from test_blank_forms import filled_form

NAME = "Приказ о закреплении пар 7Б.xlsx"
LOCKS = {
    "excel": "~$" + NAME,
    "excel, long name shortened": "~$" + NAME[2:],
    "word-style, one character dropped": "~$" + NAME[1:],
    "libreoffice": ".~lock." + NAME + "#",
    "excel on a share, other case": ("~$" + NAME).upper(),
}


def test_lock_names_cover_office_and_libreoffice(tmp_path):
    assert "~$приказ.xlsx" in lock_names("Приказ.xlsx") and ".~lock.приказ.xlsx#" in lock_names("Приказ.xlsx")
    assert "~$иказ.xlsx" in lock_names("Приказ.xlsx")  # Excel drops the first two characters of a long name
    (tmp_path / "Другой.xlsx").write_bytes(b"x")
    (tmp_path / "~$Другой.xlsx").write_bytes(b"lock")
    assert draft_lock(tmp_path / "Приказ.xlsx") is None  # another file's lock does not hold this one
    assert draft_lock(tmp_path / "Другой.xlsx") == "~$другой.xlsx"


@pytest.fixture
def ws(tmp_path):
    ws = Workspace(tmp_path / "ws")
    init_workspace(ws.root, demo=True)
    disable_conversion(ws)
    return ws


def run_watcher(ws: Workspace, pipeline: Pipeline, delay: float):
    options = InboxOptions(stability_delay=delay, poll_interval=0.1, rescan_interval=0.3)
    watcher = InboxWatcher(ws.inbox, pipeline.process, options, ws.failed)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    return watcher, thread


@pytest.mark.slow
@pytest.mark.parametrize("lock", list(LOCKS.values()), ids=list(LOCKS))
def test_saving_an_open_form_three_times_issues_nothing_until_it_is_closed(ws, lock):
    pipeline = Pipeline(ws)
    form = filled_form(pipeline.hooks, "pair_order")
    (ws.inbox / lock).write_bytes(b"\x00lock of the editor")  # opened in the editor
    watcher, thread = run_watcher(ws, pipeline, delay=0.3)
    try:
        for _ in range(3):  # the secretary presses «Сохранить» three times while still editing
            form.save(ws.inbox / NAME)
            time.sleep(0.8)
        assert pipeline.register.entries() == []
        assert (ws.inbox / NAME).exists() and not list(ws.processed.iterdir())
        (ws.inbox / lock).unlink()  # closed
        deadline = time.monotonic() + 30
        while not (ws.processed / NAME).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (ws.processed / NAME).exists()
        time.sleep(0.5)
        entries = pipeline.register.entries()
        assert [e.number for e in entries] == ["1-од"] and entries[0].status == "published"
    finally:
        watcher.stop()
        thread.join(10)
        pipeline.close()


def test_the_stability_delay_runs_again_once_the_lock_is_gone(ws):
    now = [0.0]
    taken = []
    watcher = InboxWatcher(ws.inbox, lambda p: taken.append(p.name), InboxOptions(stability_delay=2.0), ws.failed)
    watcher.tracker.clock = lambda: now[0]
    (ws.inbox / NAME).write_bytes(b"form")
    (ws.inbox / ("~$" + NAME)).write_bytes(b"lock")
    watcher.scan()
    now[0] = 5.0
    assert watcher.handle_ready() == 0  # stable, but open in Excel
    (ws.inbox / ("~$" + NAME)).unlink()
    now[0] = 7.5
    watcher.scan()
    assert watcher.handle_ready() == 0  # the lock went away just now: wait the delay again
    now[0] = 9.0
    assert watcher.handle_ready() == 0
    now[0] = 9.6
    assert watcher.handle_ready() == 1 and taken == [NAME]
