"""The real watcher end to end, and the stability rules of the inbox."""
from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time

import pytest

from helpers import load_example
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


# --- the watch loop against real files (RELIABILITY.md 1–10) ---------------------------------------------------

from docgen.settings import InboxOptions  # noqa: E402


class Recorder:
    """A stand-in for the pipeline: records what it was given (name and bytes) and takes the file away."""

    def __init__(self, done_dir):
        self.done_dir = done_dir
        self.jobs: list[tuple[str, bytes]] = []

    def __call__(self, path):
        self.jobs.append((path.name, path.read_bytes()))
        path.rename(self.done_dir / path.name)


def start_watcher(workspace, polling=False, **options):
    settings = {"stability_delay": 0.3, "poll_interval": 0.1, "rescan_interval": 0.3, "empty_file_timeout": 60.0,
                **options}
    done = workspace.processed
    recorder = Recorder(done)
    watcher = InboxWatcher(workspace.inbox, recorder, InboxOptions(**settings), workspace.failed, polling=polling)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    time.sleep(0.2)
    return watcher, thread, recorder


@pytest.fixture
def watching(docgen_workspace):
    started = []

    def start(**kwargs):
        started.append(start_watcher(docgen_workspace, **kwargs))
        return started[-1][2]

    yield start
    for watcher, thread, _ in started:
        watcher.stop()
        thread.join(10)
        assert not thread.is_alive()


PAYLOAD = json.dumps({"type": "pair_order", "date": "2024-01-09"}, ensure_ascii=False).encode("utf-8") * 40


@pytest.mark.slow
@pytest.mark.parametrize("polling", [False, True])
def test_a_writer_pausing_mid_write_gives_exactly_one_job_with_the_whole_file(docgen_workspace, watching, polling):
    recorder = watching(polling=polling, stability_delay=1.0)
    path = docgen_workspace.inbox / "медленно.json"
    with open(path, "wb") as handle:  # Excel saving, a slow network copy: three bursts with pauses shorter than the delay
        for part in range(3):
            handle.write(PAYLOAD[part * len(PAYLOAD) // 3:(part + 1) * len(PAYLOAD) // 3])
            handle.flush()
            time.sleep(0.3)
    assert wait_for(lambda: recorder.jobs, 10)
    time.sleep(0.8)
    assert recorder.jobs == [("медленно.json", PAYLOAD)]


def test_a_file_changed_after_it_was_judged_stable_is_checked_again_before_opening(docgen_workspace):
    now = [0.0]
    recorder = Recorder(docgen_workspace.processed)
    watcher = InboxWatcher(docgen_workspace.inbox, recorder, InboxOptions(stability_delay=1.0), docgen_workspace.failed)
    watcher.tracker.clock = lambda: now[0]
    path = docgen_workspace.inbox / "a.json"
    path.write_bytes(b"{}")
    watcher.scan()
    now[0] = 5.0
    path.write_bytes(b'{"more": 1}')  # changed between the scan and the hand-over
    assert watcher.handle_ready() == 0 and recorder.jobs == []
    now[0] = 10.0
    watcher.scan()
    assert watcher.handle_ready() == 1 and recorder.jobs == [("a.json", b'{"more": 1}')]


def test_an_empty_file_is_never_processed_and_is_set_aside_after_the_timeout(docgen_workspace, watching):
    recorder = watching(empty_file_timeout=0.8)
    (docgen_workspace.inbox / "пустой.json").write_bytes(b"")
    report = docgen_workspace.failed / "пустой.json — ОШИБКИ.txt"
    assert wait_for(report.exists, 10)
    assert recorder.jobs == []
    assert (docgen_workspace.failed / "пустой.json").exists()
    assert "пустой (0 байт)" in report.read_text(encoding="utf-8-sig")


def test_a_file_created_and_deleted_before_it_is_stable_makes_no_job_and_no_error(docgen_workspace, watching, caplog):
    recorder = watching(stability_delay=0.6)
    path = docgen_workspace.inbox / "мимолётный.json"
    path.write_bytes(PAYLOAD)
    time.sleep(0.2)
    path.unlink()
    time.sleep(1.2)
    assert recorder.jobs == []
    assert not list(docgen_workspace.failed.iterdir())
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_upload_under_a_temporary_name_is_processed_once_under_its_final_name(docgen_workspace, watching):
    recorder = watching()
    for temporary in ("x.xlsx.tmp", "y.json.part"):
        (docgen_workspace.inbox / temporary).write_bytes(PAYLOAD)
    time.sleep(0.8)
    assert recorder.jobs == []  # half-uploaded files are not inputs
    (docgen_workspace.inbox / "x.xlsx.tmp").rename(docgen_workspace.inbox / "x.xlsx")
    (docgen_workspace.inbox / "y.json.part").rename(docgen_workspace.inbox / "y.json")
    assert wait_for(lambda: len(recorder.jobs) == 2, 10)
    time.sleep(0.6)
    assert sorted(name for name, _ in recorder.jobs) == ["x.xlsx", "y.json"]


def test_lock_files_and_system_files_in_the_inbox_are_never_reported(docgen_workspace, watching):
    recorder = watching()
    for name in ("~$x.xlsx", ".~lock.x.ods#", "Thumbs.db", "desktop.ini", ".DS_Store", "._x.json", ".hidden.json"):
        (docgen_workspace.inbox / name).write_bytes(b"junk")
    time.sleep(1.0)
    assert recorder.jobs == [] and not list(docgen_workspace.failed.iterdir())


def test_polling_finds_files_where_inotify_sees_nothing(docgen_workspace, watching, monkeypatch):
    class Blind:  # a network share: the inotify observer must not be used at all
        def __init__(self, *args, **kwargs):
            raise AssertionError("inotify observer used in polling mode")

    monkeypatch.setattr("docgen.inbox.Observer", Blind)
    recorder = watching(polling=True, poll_interval=0.2)
    (docgen_workspace.inbox / "с другой машины.json").write_bytes(PAYLOAD)
    assert wait_for(lambda: recorder.jobs, 10)


class Deaf:
    """An observer that never reports anything (missed events)."""

    def __init__(self, *args, **kwargs):
        pass

    def schedule(self, *args, **kwargs):
        pass

    def start(self):
        pass

    def stop(self):
        pass

    def join(self, timeout=None):
        pass

    def is_alive(self):
        return True


def test_missed_events_are_caught_by_the_periodic_rescan(docgen_workspace, watching, monkeypatch):
    monkeypatch.setattr("docgen.inbox.Observer", Deaf)
    recorder = watching(rescan_interval=0.5)
    time.sleep(0.3)
    (docgen_workspace.inbox / "пропущенный.json").write_bytes(PAYLOAD)
    assert wait_for(lambda: recorder.jobs, 10)
    assert recorder.jobs == [("пропущенный.json", PAYLOAD)]


def test_files_waiting_at_start_up_pass_the_same_stability_check(docgen_workspace, monkeypatch):
    monkeypatch.setattr("docgen.inbox.Observer", Deaf)
    path = docgen_workspace.inbox / "ждал.json"
    path.write_bytes(PAYLOAD[:10])  # still being written when the service starts
    recorder = Recorder(docgen_workspace.processed)
    watcher = InboxWatcher(docgen_workspace.inbox, recorder,
                           InboxOptions(stability_delay=0.6, rescan_interval=100), docgen_workspace.failed)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        time.sleep(0.3)
        assert recorder.jobs == []
        with open(path, "ab") as handle:
            handle.write(PAYLOAD[10:])
        assert wait_for(lambda: recorder.jobs, 10)
        assert recorder.jobs == [("ждал.json", PAYLOAD)]
    finally:
        watcher.stop()
        thread.join(10)


@pytest.mark.parametrize("polling", [False, True])
def test_the_watcher_survives_the_inbox_disappearing_and_coming_back(docgen_workspace, watching, caplog, polling):
    caplog.set_level(logging.INFO)
    recorder = watching(polling=polling)
    inbox, away = docgen_workspace.inbox, docgen_workspace.root / "inbox-away"
    inbox.rename(away)  # the share drops
    assert wait_for(lambda: any("недоступна" in r.getMessage() for r in caplog.records), 10)
    (away / "пока не было.json").write_bytes(PAYLOAD)
    time.sleep(0.5)
    away.rename(inbox)  # and comes back
    assert wait_for(lambda: any("снова доступна" in r.getMessage() for r in caplog.records), 10)
    assert wait_for(lambda: recorder.jobs, 10)
    (inbox / "после.json").write_bytes(PAYLOAD + b" ")
    assert wait_for(lambda: len(recorder.jobs) == 2, 10)
    assert sorted(n for n, _ in recorder.jobs) == ["пока не было.json", "после.json"]


def test_a_new_inbox_folder_in_place_of_the_old_one_is_watched(docgen_workspace, watching, caplog):
    caplog.set_level(logging.INFO)
    recorder = watching(rescan_interval=0.5)
    inbox = docgen_workspace.inbox
    shutil.rmtree(inbox)  # a share remounted: a different directory under the same path
    time.sleep(0.5)
    inbox.mkdir()
    (inbox / "новый.json").write_bytes(PAYLOAD)
    assert wait_for(lambda: recorder.jobs, 10)
    assert any("перезапускаю наблюдение" in r.getMessage() for r in caplog.records)


def test_stray_events_on_a_queued_file_make_one_job(docgen_workspace, watching):
    recorder = watching(stability_delay=0.5)
    path = docgen_workspace.inbox / "a.json"
    path.write_bytes(PAYLOAD)
    for _ in range(5):  # attribute-only events (touch with the same mtime) while it waits
        os.utime(path, (time.time(), path.stat().st_mtime))
        time.sleep(0.05)
    assert wait_for(lambda: recorder.jobs, 10)
    time.sleep(1.0)
    assert len(recorder.jobs) == 1


def test_stable_and_received_are_logged_once_each_by_name(docgen_workspace, watching, caplog):
    caplog.set_level(logging.INFO)
    recorder = watching()
    (docgen_workspace.inbox / "Приказ.json").write_bytes(PAYLOAD)
    assert wait_for(lambda: recorder.jobs, 10)
    events = [r.getMessage() for r in caplog.records if r.name == "docgen.faults"]
    assert events == ["received: «Приказ.json»", "stable: «Приказ.json»"]
