"""Intake, claims, recovery and publishing faults (RELIABILITY.md 10, 11, 19, 20, 26–29, logs).

Conversion is switched off here (``[conversion] enabled = false``) so these
tests need no LibreOffice; the PDF path is covered by test_pipeline.py and the
crash sweep.
"""
from __future__ import annotations

import errno
import json
import logging
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from helpers import drop, load_example
from docgen.claims import claim_file, lock_input, owner_tag, release_input
from docgen.pipeline import Pipeline, sha256_of
from docgen.publishing import TMP_PREFIX, clean_leftovers, output_stem, publish_file
from docgen.register import Register
from docgen.testing import disable_conversion, docx_text
from invariants import assert_nothing_lost

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ws(docgen_workspace):
    disable_conversion(docgen_workspace)
    return docgen_workspace


@pytest.fixture
def pipeline(ws, docgen_hooks):
    pipe = Pipeline(ws, hooks=docgen_hooks)
    yield pipe
    pipe.close()


def order(i: int = 0, documents: int = 1) -> dict | list:
    """A pair order whose bytes differ by ``i``; a list of orders when ``documents`` > 1."""
    items = []
    for d in range(documents):
        data = load_example("pair_order.json")
        data["title"] = f"О закреплении наставнических пар (группа {i}.{d})"
        items.append(data)
    return items[0] if documents == 1 else items


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def docgen_command(workspace, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "docgen", "-w", str(workspace.root), *args], cwd=ROOT,
                            env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


# --- 10, 11: each file claimed once, even with two workers -------------------------------------------------

def test_a_file_already_claimed_is_not_taken_again(ws, pipeline):
    path = drop(ws, "a.json", order())
    claim = claim_file(path, ws.processing)
    assert claim is not None and claim.name == "a.json" and owner_tag() in claim.path.name
    assert pipeline.process(path).skipped  # a stray second event for the same file
    assert claim_file(path, ws.processing) is None
    claim.release()


def work_through(root: str, names: list[str]) -> None:
    from docgen.settings import Workspace

    pipe = Pipeline(Workspace(Path(root)))
    for name in names:
        pipe.process(pipe.workspace.inbox / name)


@pytest.mark.slow
def test_two_workers_on_one_inbox_claim_each_file_exactly_once(ws):
    names = [f"приказ {i}.json" for i in range(10)]
    for i, name in enumerate(names):
        drop(ws, name, order(i))
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=work_through, args=(str(ws.root), names[::step])) for step in (1, -1)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    register = assert_nothing_lost(ws, names)
    assert sorted(e.sequence for e in register.entries()) == list(range(1, 11))
    assert sorted(p.name for p in ws.processed.iterdir()) == sorted(names)
    assert len(list(ws.outbox.glob("*.docx"))) == 10


@pytest.mark.slow
def test_a_worker_starting_up_does_not_steal_a_live_workers_claim(ws):
    drop(ws, "a.json", order(1))
    frozen = docgen_command(ws, "process", str(ws.inbox / "a.json"),
                            env={"DOCGEN_PAUSE_AT": "numbered", "DOCGEN_PAUSE_MODE": "stop"})
    try:
        _, status = os.waitpid(frozen.pid, os.WUNTRACED)
        assert os.WIFSTOPPED(status)  # alive, holding its claim, its number committed
        [claimed] = list(ws.processing.iterdir())
        second = Pipeline(ws)
        assert second.recover() == []
        assert claimed.exists()
        assert [(e.number, e.status) for e in Register(ws.register).entries()] == [("1-од", "issued")]
        other = second.process(drop(ws, "b.json", order(2)))
        assert [d["number"] for d in other.documents] == ["2-од"]
    finally:
        frozen.kill()  # now the owner dies: kill -9
        frozen.wait()
    [outcome] = Pipeline(ws).recover()  # the next start takes the abandoned claim back
    assert outcome.ok and [d["number"] for d in outcome.documents] == ["1-од"]
    register = assert_nothing_lost(ws, ["a.json", "b.json"])
    assert [(e.number, e.status) for e in register.entries()] == [("1-од", "published"), ("2-од", "published")]


def test_a_claim_of_a_dead_worker_is_processed_again_with_its_name(ws, pipeline):
    source = drop(ws, "Приказ о парах.json", order())
    claimed = ws.processing / f"{dead_pid()}@{owner_tag().split('@')[1]}@deadbeef~Приказ о парах.json"
    source.rename(claimed)
    [outcome] = pipeline.recover()
    assert outcome.ok
    assert (ws.processed / "Приказ о парах.json").exists()
    assert_nothing_lost(ws, ["Приказ о парах.json"])


# --- 28: the same bytes twice -------------------------------------------------------------------------------

def test_same_bytes_twice_issue_no_new_number_and_the_note_names_the_first(ws, pipeline):
    first = pipeline.process(drop(ws, "Приказ.json", order()))
    second = pipeline.process(drop(ws, "копия приказа.json", order()))
    assert first.ok and second.duplicate and not second.ok
    report = (ws.failed / "копия приказа.json — ОШИБКИ.txt").read_text(encoding="utf-8-sig")
    assert "ПОВТОРНЫЙ ФАЙЛ" in report and "«Приказ.json»" in report and "№\u00a01-од" in report
    assert [e.number for e in pipeline.register.entries()] == ["1-од"]
    assert_nothing_lost(ws, ["Приказ.json", "копия приказа.json"])


def test_same_bytes_being_processed_by_another_worker_are_set_aside(ws, pipeline):
    path = drop(ws, "копия.json", order())
    held = lock_input(ws.state / "locks", sha256_of(path))  # another worker is processing these bytes now
    assert lock_input(ws.state / "locks", sha256_of(path)) is None
    try:
        outcome = pipeline.process(path)
    finally:
        release_input(held)
    assert outcome.duplicate
    assert (ws.failed / "копия.json").exists() and pipeline.register.entries() == []


# --- 27, recovery: numbers committed, outputs never published ------------------------------------------------

def test_numbers_whose_input_is_gone_are_voided_with_a_reason(ws, pipeline):
    drop(ws, "a.json", order())
    crashed = docgen_command(ws, "process", str(ws.inbox / "a.json"), env={"DOCGEN_PAUSE_AT": "numbered"})
    crashed.wait(60)
    assert crashed.returncode == -signal.SIGKILL
    [claimed] = list(ws.processing.iterdir())
    claimed.unlink()  # the input vanished (someone cleaned the folder by hand)
    assert pipeline.recover() == []
    [entry] = pipeline.register.entries()
    assert entry.status == "void" and "входной файл не найден" in entry.void_reason
    assert_nothing_lost(ws, [])


def test_recovery_leaves_a_number_alone_while_its_input_waits_in_the_inbox(ws, pipeline):
    path = drop(ws, "a.json", order())
    pipeline.register.issue(sha256_of(path), "a.json", [pipeline.number_request(d) for d in
                                                        pipeline.read_and_validate(path)], lambda r, y, n: f"{n}-од")
    pipeline.recover()
    assert [e.status for e in pipeline.register.entries()] == ["issued"]
    outcome = pipeline.process(path)
    assert [d["number"] for d in outcome.documents] == ["1-од"]  # the same number, re-rendered
    assert_nothing_lost(ws, ["a.json"])


# --- 29: disk full or read-only outbox while publishing -------------------------------------------------------

def fail_writes(monkeypatch, code: int, after_calls: int = 0) -> list:
    """Make copies into outbox/ fail with ``code`` (after ``after_calls`` good ones), half-writing first."""
    real_copy = shutil.copyfile
    calls = []

    def copyfile(src, dst, *args, **kwargs):
        calls.append(dst)
        if len(calls) <= after_calls:
            return real_copy(src, dst, *args, **kwargs)
        with open(dst, "wb") as handle:
            handle.write(Path(src).read_bytes()[:100])  # a half-written temporary file
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("docgen.publishing.shutil.copyfile", copyfile)
    return calls


@pytest.mark.parametrize("code, says", [(errno.ENOSPC, "нет свободного места"),
                                        (errno.EROFS, "только для чтения")])
def test_disk_full_or_read_only_outbox_keeps_the_input_and_voids_the_number(ws, pipeline, monkeypatch, code, says):
    fail_writes(monkeypatch, code)
    outcome = pipeline.process(drop(ws, "Приказ.json", order()))
    assert not outcome.ok and says in outcome.message
    assert list(ws.outbox.iterdir()) == []  # nothing under a final name, no temporary file either
    [entry] = pipeline.register.entries()
    assert entry.status == "void" and says in entry.void_reason
    report = (ws.failed / "Приказ.json — ОШИБКИ.txt").read_text(encoding="utf-8-sig")
    assert says in report and "аннулированы" in report and "№\u00a01-од" in report
    assert_nothing_lost(ws, ["Приказ.json"])

    monkeypatch.undo()  # space freed: the secretary puts the file back
    shutil.move(ws.failed / "Приказ.json", ws.inbox / "Приказ.json")
    again = pipeline.process(ws.inbox / "Приказ.json")
    assert again.ok and [d["number"] for d in again.documents] == ["2-од"]
    assert [(e.number, e.status) for e in pipeline.register.entries()] == [("1-од", "void"), ("2-од", "published")]


def test_disk_full_on_the_second_document_keeps_the_first(ws, pipeline, monkeypatch):
    fail_writes(monkeypatch, errno.ENOSPC, after_calls=1)
    outcome = pipeline.process(drop(ws, "два приказа.json", order(documents=2)))
    assert not outcome.ok
    register = assert_nothing_lost(ws, ["два приказа.json"])
    assert [(e.number, e.status) for e in register.entries()] == [("1-од", "published"), ("2-од", "void")]
    report = (ws.failed / "два приказа.json — ОШИБКИ.txt").read_text(encoding="utf-8-sig")
    assert "остаются в силе: №\u00a01-од" in report and "аннулированы" in report


def test_publish_never_overwrites_and_never_leaves_a_temporary_file(tmp_path):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    source = tmp_path / "doc.docx"
    source.write_bytes(b"first")
    first = publish_file(source, outbox, "2024-01-01 Приказ № 1-од", ".docx")
    source.write_bytes(b"second")
    second = publish_file(source, outbox, "2024-01-01 Приказ № 1-од", ".docx")
    assert first.read_bytes() == b"first" and second.name == "2024-01-01 Приказ № 1-од (2).docx"
    assert {p.name for p in outbox.iterdir()} == {first.name, second.name}


def test_leftovers_of_dead_writers_are_cleaned_at_start_and_live_ones_kept(tmp_path):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    host = owner_tag().split("@", 1)[1]
    dead = outbox / f"{TMP_PREFIX}{dead_pid()}@{host}-abc.docx"
    live = outbox / f"{TMP_PREFIX}{os.getppid()}@{host}-abc.docx"
    foreign_old = outbox / f"{TMP_PREFIX}1@elsewhere-abc.pdf"
    foreign_new = outbox / f"{TMP_PREFIX}1@elsewhere-def.pdf"
    final = outbox / "2024-01-01 Приказ № 1-од.docx"
    for path in (dead, live, foreign_old, foreign_new, final):
        path.write_bytes(b"x")
    os.utime(foreign_old, (time.time() - 7200, time.time() - 7200))
    assert clean_leftovers(outbox) == 2
    assert sorted(p.name for p in outbox.iterdir()) == sorted([live.name, foreign_new.name, final.name])


# --- 19, 20: big documents and awkward names --------------------------------------------------------------------

@pytest.mark.slow
def test_a_thousand_pairs_and_very_long_names_are_all_rendered(ws, pipeline):
    data = load_example("pair_order.json")
    long_name = "Константинопольская-Преображенская Александра-Мария Владимировна-Христофоровна"
    data["pairs"] = [{"form": "Ученик – ученик",
                      "mentor": {"name": f"{long_name} {i:04d}", "position": "учитель"},
                      "mentee": {"name": f"Наставляемый Номер{i:04d} Петрович", "position": "7 «Б» класс"}}
                     for i in range(1000)]
    outcome = pipeline.process(drop(ws, "большой.json", data))
    assert outcome.ok, outcome.message
    text = docx_text(outcome.documents[0]["docx"])
    assert all(f"Номер{i:04d}" in text for i in range(1000))
    assert f"{long_name} 0999" in text
    rows = sum(len(table.rows) for table in DocxDocument(outcome.documents[0]["docx"]).tables)
    assert rows >= 1000


def test_awkward_file_names_and_titles_never_escape_the_outbox(ws, pipeline):
    data = order()
    data["title"] = '../../../etc/passwd О «парах» "x" <a>:|?*\\ CON ..'
    name = 'Приказ "о парах" .. ?*: копия.json'
    outcome = pipeline.process(drop(ws, name, data))
    assert outcome.ok, outcome.message
    produced = Path(outcome.documents[0]["docx"])
    assert produced.parent == ws.outbox
    assert not any(ch in produced.name for ch in '<>:"|?*\\/')
    assert (ws.processed / name).exists()
    assert output_stem("2024-01-01", "CON", None, "") .startswith("2024-01-01 CON")
    assert_nothing_lost(ws, [name])


# --- logs: one line per event, file name and number, no personal data -----------------------------------------------

def test_each_step_is_one_log_line_with_file_and_number_and_no_personal_data(ws, pipeline, caplog, monkeypatch):
    from pypdf import PdfWriter

    from concurrent.futures import Future

    from docgen.pdf.pool import Converted

    def fake_submit(docx, pdf, *metadata):
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        with open(pdf, "wb") as handle:
            writer.write(handle)
        future = Future()
        future.set_result(Converted("fake", metadata_embedded=False))
        return future

    pipeline.settings.conversion = type(pipeline.settings.conversion)(enabled=True)
    pipeline.converter.options = pipeline.settings.conversion
    monkeypatch.setattr(pipeline.converter, "submit", fake_submit)
    caplog.set_level(logging.INFO)
    data = order()
    pipeline.process(drop(ws, "Приказ о парах.json", data))
    pipeline.process(drop(ws, "плохой.json", {"type": "pair_order", "date": "31.02.2023", "pairs": []}))
    events = [r.getMessage() for r in caplog.records if r.name == "docgen.faults"]
    kinds = [message.split(":", 1)[0] for message in events]
    assert kinds == ["claimed", "validated", "numbered", "rendered", "converted", "published", "finishing", "done",
                     "claimed", "failed"]
    for message in events[:8]:
        assert "«Приказ о парах.json»" in message
    for message in events[2:6]:
        assert "№ 1-од" in message
    text = "\n".join(r.getMessage() for r in caplog.records)
    people = [data["curator"]["name"]] + [p["mentor"]["name"] for p in data["pairs"]]
    for person in people:
        for part in person.split():
            assert part not in text, part


# --- 12, 13: bad input → failed/ with a Russian report, no number, the service goes on ------------------------------

BAD_INPUTS = {
    "обрыв.json": ('{"type": "pair_order", "pairs": [', "ошибка в записи JSON"),
    "не объект.json": ('"просто строка"', "ожидается объект"),
    "неизвестный.json": ('{"type": "приказ о чём-то"}', "неизвестный тип документа"),
    "минус.json": (json.dumps({"type": "reward_order", "date": "2024-03-01", "rewards": [
        {"person": {"name": "Иванова Мария Петровна", "position": "учитель"}, "kind": "премия", "amount": -500}]},
        ensure_ascii=False), "«rewards[1].amount»"),
    "тип поля.json": (json.dumps({"type": "pair_order", "date": "2024-03-01", "pairs": "все пары"},
                                 ensure_ascii=False), "«pairs»"),
    "31 февраля.json": (json.dumps({"type": "pair_order", "date": "31.02.2023", "pairs": []}), "такой даты нет"),
}


def test_bad_inputs_in_a_running_watcher_are_set_aside_and_good_ones_still_go_through(ws, pipeline):
    import threading

    from docgen.inbox import InboxWatcher
    from docgen.settings import InboxOptions

    for name, (content, _) in BAD_INPUTS.items():
        (ws.inbox / name).write_text(content, encoding="utf-8")
    drop(ws, "хороший.json", order())
    watcher = InboxWatcher(ws.inbox, pipeline.process, InboxOptions(stability_delay=0.2, poll_interval=0.1),
                           ws.failed)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (ws.processed / "хороший.json").exists():
            time.sleep(0.1)
    finally:
        watcher.stop()
        thread.join(10)
    for name, (content, expected) in BAD_INPUTS.items():
        report = (ws.failed / f"{name} — ОШИБКИ.txt").read_text(encoding="utf-8-sig")
        assert expected in report and "номера НЕ выдавались" in report, (name, report)
        assert (ws.failed / name).read_text(encoding="utf-8") == content
    register = assert_nothing_lost(ws, [*BAD_INPUTS, "хороший.json"])
    assert [(e.number, e.status) for e in register.entries()] == [("1-од", "published")]


# --- docs/reliability.md maps every case to a test that exists ------------------------------------------------------

def test_every_reliability_case_maps_to_a_test_that_exists():
    import re

    from helpers import function_names

    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    rows = {int(m.group(1)): m.group(2) for m in re.finditer(r"^\| (\d+) \|[^|]*\| (.*) \|$", text, re.M)}
    assert set(range(1, 42)) <= set(rows)
    for case, cell in rows.items():
        assert "tests/" in cell, f"case {case} has no test"
        assert "TODO" not in cell, f"case {case} still has a placeholder"
        for file, name in re.findall(r"(tests/\w+\.py)::(\w+)", cell):
            assert name in function_names(file), f"case {case}: {file}::{name} does not exist"


def test_long_cyrillic_titles_fit_the_file_name_limits(tmp_path):
    from docgen.publishing import output_stem, publish_file

    title = "по внедрению целевой модели наставничества обучающихся " * 6
    stem = output_stem("2024-05-31", "Дорожная карта", None, title)
    assert len(stem.encode("utf-8")) <= 180 and stem.endswith("…") and not stem.endswith(" …")
    source = tmp_path / "x.docx"
    source.write_bytes(b"PK")
    published = publish_file(source, tmp_path / "out", stem, ".docx")
    again = publish_file(source, tmp_path / "out", stem, ".docx")
    assert published.exists() and again.name.endswith("(2).docx")
    assert len(again.name.encode("utf-8")) < 255
