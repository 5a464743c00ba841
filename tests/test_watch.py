"""The real watcher end to end, and the stability rules of the inbox."""
from __future__ import annotations

import json
import threading
import time

import pytest

from conftest import load_example
from docgen.inbox import InboxWatcher, StabilityTracker, is_candidate
from docgen.testing import pdf_text


def wait_for(predicate, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.libreoffice
@pytest.mark.parametrize("polling", [False, True])
def test_watcher_turns_a_dropped_file_into_a_pdf(docgen_workspace, docgen_pipeline, polling):
    options = docgen_pipeline.settings.inbox.__class__(stability_delay=0.3, poll_interval=0.2)
    watcher = InboxWatcher(docgen_workspace.inbox, docgen_pipeline.process, options, docgen_workspace.failed, polling=polling)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        time.sleep(0.3)
        target = docgen_workspace.inbox / "Приказ о парах.json"
        data = json.dumps(load_example("pair_order.json"), ensure_ascii=False).encode("utf-8")
        with open(target, "wb") as handle:  # a slow writer: half, a pause, the rest
            handle.write(data[: len(data) // 2])
            handle.flush()
            time.sleep(0.15)
            handle.write(data[len(data) // 2:])
        assert wait_for(lambda: (docgen_workspace.processed / "Приказ о парах.json").exists())
        pdfs = list(docgen_workspace.outbox.glob("*.pdf"))
        assert len(pdfs) == 1 and "1-од" in pdfs[0].name
        assert "ПРИКАЗЫВАЮ" in pdf_text(pdfs[0])
        assert [e.number for e in docgen_pipeline.register.entries()] == ["1-од"]
    finally:
        watcher.stop()
        thread.join(10)


def test_files_present_at_start_are_processed_once(docgen_workspace):
    seen = []
    (docgen_workspace.inbox / "a.json").write_text("{}", encoding="utf-8")
    options = type("O", (), {"polling": False, "poll_interval": 0.1, "stability_delay": 0.1, "rescan_interval": 0.2,
                             "empty_file_timeout": 100})()

    def process(path):
        seen.append(path.name)
        path.unlink()

    watcher = InboxWatcher(docgen_workspace.inbox, process, options, docgen_workspace.failed)
    watcher.run(max_seconds=1.0)
    assert seen == ["a.json"]


@pytest.mark.parametrize("name", ["~$x.xlsx", ".~lock.x.ods#", "Thumbs.db", "desktop.ini", ".DS_Store", "._x.json",
                                  ".hidden.json", "x.xlsx.tmp", "x.part", "x.json — ОШИБКИ.txt", "notes.docx"])
def test_lock_hidden_and_partial_files_are_ignored(name, tmp_path):
    assert not is_candidate(tmp_path / name)


@pytest.mark.parametrize("name", ["x.json", "Пары 7Б.xlsx", "согласия.ods", "list.CSV"])
def test_inputs_are_candidates(name, tmp_path):
    assert is_candidate(tmp_path / name)


def test_stability_needs_unchanged_size_and_mtime_for_the_delay(tmp_path):
    now = [0.0]
    tracker = StabilityTracker(delay=1.0, clock=lambda: now[0])
    path = tmp_path / "a.json"
    path.write_text("{", encoding="utf-8")
    tracker.observe(path)
    now[0] = 0.9
    assert tracker.stable() == []
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("}")
    tracker.observe(path)  # changed: the timer restarts
    now[0] = 1.5
    assert tracker.stable() == []
    now[0] = 2.0
    tracker.observe(path)
    assert tracker.stable() == [path]
    assert tracker.still_stable(path)


def test_empty_and_vanished_files(tmp_path):
    now = [0.0]
    tracker = StabilityTracker(delay=0.5, clock=lambda: now[0])
    empty, gone = tmp_path / "empty.json", tmp_path / "gone.json"
    empty.write_bytes(b"")
    gone.write_text("{}", encoding="utf-8")
    tracker.observe(empty)
    tracker.observe(gone)
    gone.unlink()
    tracker.observe(gone)
    now[0] = 10
    assert tracker.stable() == []  # an empty file is never stable, a vanished one is forgotten
    assert tracker.empty_for(5) == [empty]
