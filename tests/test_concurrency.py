"""Several processes drawing numbers at once (RELIABILITY.md 21–25): no duplicate, no gap, no half-issued number.

Every test runs on both backends (``register_location``: the SQLite file, a fresh PostgreSQL database):
the same guarantees come from each database's own lock, never from a lock in Python."""
from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from datetime import date

import psycopg
import pytest

from docgen.errors import RegisterError
from docgen.register import NumberRequest, Register, RegisterBusy

WORKERS = 5
PER_WORKER = 8
CONTEXT = multiprocessing.get_context("fork")


def request(index: int, day: date, series: str = "orders") -> NumberRequest:
    return NumberRequest(doc_index=index, type_id="pair_order", doc_date=day, series=series, pattern="{n}-од",
                         year_start="01-01", heading="О закреплении", signer="Директор", executor="")


def fmt(req, year, sequence):
    return req.pattern.format(n=sequence)


def draw(db: str, location, worker: int, series: str, day: date, count: int, barrier) -> None:
    """One process: wait for all, then issue ``count`` numbers, one input file each."""
    register = Register(db, busy_timeout=0.05, location=location)  # a short busy timeout: the retry does the work
    barrier.wait()
    for i in range(count):
        register.issue(f"sha-{series}-{worker}-{i}", f"{worker}-{i}.json", [request(0, day, series)], fmt)


def run_workers(db, location, jobs) -> None:
    barrier = CONTEXT.Barrier(len(jobs))
    processes = [CONTEXT.Process(target=draw, args=(str(db), location, w, series, day, count, barrier))
                 for w, (series, day, count) in enumerate(jobs)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert [p.exitcode for p in processes] == [0] * len(processes)


def sequences(register: Register, series: str, year: int) -> list[int]:
    return sorted(e.sequence for e in register.entries(year=year) if e.series == series)


def test_many_processes_one_series_get_1_to_n_exactly(tmp_path, new_register, register_location):
    db = tmp_path / "r.sqlite"
    new_register(db)
    run_workers(db, register_location, [("orders", date(2024, 3, 1), PER_WORKER)] * WORKERS)
    register = new_register(db)
    total = WORKERS * PER_WORKER
    assert sequences(register, "orders", 2024) == list(range(1, total + 1))
    numbers = [e.number for e in register.entries()]
    assert len(set(numbers)) == total
    assert register.integrity_ok()


def test_different_series_at_once_count_independently(tmp_path, new_register, register_location):
    db = tmp_path / "r.sqlite"
    new_register(db)
    series = ["orders", "letters", "consents"]
    run_workers(db, register_location, [(s, date(2024, 5, 5), PER_WORKER) for s in series for _ in range(2)])
    register = new_register(db)
    for name in series:
        assert sequences(register, name, 2024) == list(range(1, 2 * PER_WORKER + 1)), name


def test_first_document_of_a_new_year_drawn_concurrently_only_one_gets_1(tmp_path, new_register, register_location):
    db = tmp_path / "r.sqlite"
    register = new_register(db)
    register.issue("old", "old.json", [request(0, date(2024, 12, 30))] * 1, fmt)  # last year ran to 1
    run_workers(db, register_location, [("orders", date(2025, 1, 9), 1)] * 6)
    firsts = [e for e in register.entries(year=2025) if e.sequence == 1]
    assert len(firsts) == 1
    assert sequences(register, "orders", 2025) == [1, 2, 3, 4, 5, 6]
    assert sequences(register, "orders", 2024) == [1]


def hold_write_lock(register: Register, seconds: float, started: threading.Event) -> None:
    """Another writer holding the journal's lock: SQLite's write lock, or the school's advisory lock in PostgreSQL."""
    if register.journal.kind == "sqlite":
        conn = sqlite3.connect(register.path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
    else:
        conn = psycopg.connect(register.journal.url)
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (register.journal.lock,))
    started.set()
    time.sleep(seconds)
    conn.rollback() if register.journal.kind != "sqlite" else conn.execute("ROLLBACK")
    conn.close()


def transient_error(register: Register) -> Exception:
    """What a busy database says mid-transaction: SQLite «locked», PostgreSQL a serialisation failure."""
    if register.journal.kind == "sqlite":
        return sqlite3.OperationalError("database is locked")
    return psycopg.errors.SerializationFailure("could not serialize access")


def test_busy_database_past_the_timeout_is_retried_whole(tmp_path, new_register):
    db = tmp_path / "r.sqlite"
    register = new_register(db, busy_timeout=0.1)
    started = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(register, 0.8, started))
    holder.start()
    started.wait(5)
    began = time.monotonic()
    [entry] = register.issue("sha", "a.json", [request(0, date(2024, 3, 1))], fmt)
    holder.join()
    assert time.monotonic() - began >= 0.5  # it really waited past its 0.1 s busy timeout, then retried
    assert entry.number == "1-од"
    assert [e.number for e in register.entries()] == ["1-од"]


def test_busy_in_the_middle_of_a_transaction_reruns_all_of_it(tmp_path, new_register):
    register = new_register(tmp_path / "r.sqlite")
    calls = []

    def flaky_format(req, year, sequence):
        calls.append(sequence)
        if len(calls) == 2:  # the second document of the first attempt: the first one is already inserted
            raise transient_error(register)
        return fmt(req, year, sequence)

    entries = register.issue("sha", "a.json", [request(0, date(2024, 3, 1)), request(1, date(2024, 3, 1))], flaky_format)
    assert [e.number for e in entries] == ["1-од", "2-од"]
    assert calls == [1, 2, 1, 2]  # the whole transaction ran again from the start
    assert [e.number for e in register.entries()] == ["1-од", "2-од"]  # nothing half-issued left behind


def test_busy_for_too_long_gives_up_with_nothing_written(tmp_path, new_register):
    db = tmp_path / "r.sqlite"
    register = new_register(db, busy_timeout=0.05, retry_seconds=0.3)
    started = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(register, 1.0, started))
    holder.start()
    started.wait(5)
    with pytest.raises(RegisterBusy, match="занят"):
        register.issue("sha", "a.json", [request(0, date(2024, 3, 1))], fmt)
    holder.join()
    assert register.entries() == [] and register.input_status("sha") is None
    assert issubclass(RegisterBusy, RegisterError)


# --- automatic and given numbers at once (issue 13, 1) ---------------------------------------------------------------

GIVEN = {1: [3, 7, 8, 12, 20, 21], 3: [5, 9, 15, 16, 30, 40],  # odd workers give numbers by hand (never the same)
         5: [2, 11, 18, 25, 33, 45], 7: [4, 13, 22, 27, 36, 50]}


def draw_mixed(db: str, location, worker: int, count: int, barrier, results) -> None:
    """Even workers issue automatic numbers; odd ones give numbers by hand, some of which autos reach first."""
    register = Register(db, busy_timeout=0.05, location=location)
    barrier.wait()
    for i in range(count):
        given = GIVEN.get(worker)
        req = NumberRequest(doc_index=0, type_id="pair_order", doc_date=date(2026, 9, 1), series="orders",
                            pattern="{n}-од", year_start="01-01", heading="", signer="", executor="",
                            given_number=f"{given[i]}-од" if given else None)
        try:
            [entry] = register.issue(f"sha-{worker}-{i}", f"{worker}-{i}.json", [req], fmt)
            results.put((worker, entry.origin, entry.sequence))
        except RegisterError as exc:  # a given number an automatic one took first: refused, never a duplicate
            results.put((worker, "refused", given[i] if given else str(exc)))


@pytest.mark.parametrize("workers", [4, 8])
def test_processes_drawing_automatic_and_given_numbers_at_once(tmp_path, new_register, register_location, workers):
    db = tmp_path / "r.sqlite"
    new_register(db)
    count = 6
    barrier, results = CONTEXT.Barrier(workers), CONTEXT.Queue()
    processes = [CONTEXT.Process(target=draw_mixed, args=(str(db), register_location, w, count, barrier, results))
                 for w in range(workers)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in range(workers * count)]
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0] * workers
    register = new_register(db)
    entries = register.entries()
    autos = sorted(e.sequence for e in entries if e.origin == "auto")
    given = sorted(e.sequence for e in entries if e.origin == "given")
    halves = workers // 2 * count
    assert len(autos) == halves  # no jam: every automatic document got its number
    assert len({e.number for e in entries}) == len(entries) == len(set(autos) | set(given))  # all distinct
    refused = [value for worker, origin, value in outcomes if origin == "refused"]
    assert all(isinstance(n, int) and n in autos for n in refused)  # refused only because an automatic one had it
    assert len(given) + len(refused) == halves
    taken = set(autos) | set(given)
    assert set(range(1, max(autos) + 1)) <= taken  # the automatic ones are the smallest free: no hole below them
    assert register.integrity_ok()
