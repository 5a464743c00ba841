"""Warm LibreOffice: one bridge process (``bridge.py``) per worker thread, fed from one queue.

Owns the lifetime of every LibreOffice docgen starts: each worker thread
starts its own instance (its own profile under ``.docgen/libreoffice/``,
locked so two docgen processes never share one), sends it one document at a
time with a deadline, kills and restarts it on a hang or crash, restarts it
after ``restart_after`` documents, and falls back to a cold
``soffice --convert-to pdf`` when a warm instance cannot be had. Instances
die with docgen: the bridge and LibreOffice carry PR_SET_PDEATHSIG, share one
process group that ``close()`` kills, and the bridge quits when its stdin closes.
"""
from __future__ import annotations

import json
import logging
import os
import queue
import select
import signal
import subprocess
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import ConversionError

try:
    import fcntl
except ImportError:  # Windows: profiles are made unique by process id instead of a lock
    fcntl = None

log = logging.getLogger("docgen.conversion")

BRIDGE = Path(__file__).with_name("bridge.py")
START_SECONDS = 120.0
QUIT_SECONDS = 10.0
WARM_RETRY_AFTER = 60.0  # after a failed start, convert cold for this long before trying warm again
_STOP = object()
STOPPED = "Преобразование в PDF прервано: программа завершает работу."


class OfficeHung(Exception):
    """The instance did not answer within the deadline (it has been killed)."""


class OfficeDied(Exception):
    """The instance went away or failed to start (it has been killed)."""


@dataclass
class Job:
    docx: Path
    pdf: Path
    title: str
    author: str
    subject: str
    future: Future
    destinations: bool = False  # bookmarks as PDF named destinations (a combined document, see pdfbatch)
    handed_back: int = 0  # times a remote converter gave the job back to the queue (docgen.remote)


@dataclass(frozen=True)
class Converted:
    """How a PDF was made: ``warm`` (metadata already inside) or ``cold`` (metadata still to write)."""

    method: str
    metadata_embedded: bool


class Office:
    """One running bridge + LibreOffice pair, spoken to over the bridge's stdin/stdout."""

    def __init__(self, uno_python: str, soffice: str, slot_dir: Path):
        self.profile = slot_dir / "profile"
        stderr = open(slot_dir / "bridge.log", "ab")
        try:
            self.process = subprocess.Popen(
                [uno_python, "-I", str(BRIDGE), "--soffice", soffice, "--profile", str(self.profile),
                 "--parent", str(os.getpid())],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, cwd=slot_dir, start_new_session=True,
            )
        finally:
            stderr.close()
        self.buffer = b""
        self.office_pid: int | None = None
        try:
            ready = self.read_reply(time.monotonic() + START_SECONDS)
        except (OfficeHung, OfficeDied) as exc:
            raise OfficeDied(f"LibreOffice did not start: {exc}") from None
        if not ready.get("ready"):
            self.kill()
            raise OfficeDied(ready.get("error", "LibreOffice did not start"))
        self.office_pid = ready.get("pid")

    def convert(self, job: Job, pdfa: bool, timeout: float) -> dict:
        request = {"op": "convert", "docx": str(job.docx), "pdf": str(job.pdf), "title": job.title,
                   "author": job.author, "subject": job.subject, "pdfa": pdfa, "destinations": job.destinations}
        self.send(request)
        return self.read_reply(time.monotonic() + timeout)

    def send(self, payload: dict) -> None:
        try:
            self.process.stdin.write((json.dumps(payload, ensure_ascii=False) + "\n").encode("utf-8"))
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            self.kill()
            raise OfficeDied("the bridge closed its input") from None

    def read_reply(self, deadline: float) -> dict:
        """The next JSON line from the bridge, or OfficeHung/OfficeDied (the instance then killed)."""
        fd = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise OfficeHung()
            readable, _, _ = select.select([fd], [], [], left)
            if readable:
                chunk = os.read(fd, 65536)
                if not chunk:
                    self.kill()
                    raise OfficeDied(f"the bridge exited (code {self.process.poll()})")
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def stop(self) -> None:
        """Close LibreOffice politely, then make sure nothing of it is left."""
        if self.process.poll() is None:
            try:
                self.send({"op": "quit"})
                self.process.wait(timeout=QUIT_SECONDS)
            except (OfficeDied, subprocess.TimeoutExpired):
                pass
        self.kill()

    def signal_kill(self) -> None:
        """SIGKILL the bridge's process group (the bridge and its LibreOffice); safe from any thread."""
        for kill, pid in ((os.killpg, self.process.pid), (os.kill, self.office_pid)):
            if pid:  # LibreOffice is killed by pid too, in case it ever left the group
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass

    def kill(self) -> None:
        """Kill the instance and reap it (only from the thread that owns it)."""
        self.signal_kill()
        try:
            self.process.wait(timeout=QUIT_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.office_pid = None


class Slot:
    """A worker's own folder (profile, log), held by a file lock for the life of the worker."""

    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        self.handle = None
        for index in range(100 if fcntl else 0):
            handle = open(root / f"worker-{index}.lock", "a+")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            self.handle = handle
            self.dir = root / f"worker-{index}"
            break
        else:  # no file locks here (Windows) or every slot taken: a folder of this process alone
            self.dir = root / f"pid{os.getpid()}-{threading.get_ident()}"
        self.dir.mkdir(parents=True, exist_ok=True)

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class HandedBack(Exception):
    """The job went back to the queue; its future is completed by whoever takes it."""


class QueueWorker(threading.Thread):
    """A converter thread fed from its pool's one queue: the loop every kind of worker shares.

    Takes jobs until the pool puts ``_STOP`` (or ``ready_for_next`` says no), skips a cancelled one, and
    completes each job's future with ``convert``'s result or its failure (a ``ConversionError``; anything
    else becomes one); a job handed back to the queue is completed by the worker that takes it next."""

    def __init__(self, pool: "WarmPool", name: str):
        super().__init__(name=name, daemon=True)
        self.pool = pool
        self.converted = 0
        self.busy = threading.Event()

    def serve(self) -> None:
        while self.ready_for_next():
            job = self.pool.jobs.get()
            if job is _STOP:
                break
            if not job.future.set_running_or_notify_cancel():
                continue
            self.busy.set()
            try:
                self.complete(job)
            finally:
                self.busy.clear()

    def ready_for_next(self) -> bool:
        """False when this worker should stop taking jobs (the pool is closing)."""
        return True

    def complete(self, job: Job) -> None:
        try:
            job.future.set_result(self.convert(job))
        except HandedBack:
            pass
        except BaseException as exc:  # noqa: BLE001 - every failure reaches the caller's future
            job.future.set_exception(exc if isinstance(exc, ConversionError) else
                                     ConversionError(f"PDF не сделан: внутренняя ошибка ({type(exc).__name__})."))

    def convert(self, job: Job) -> Converted:
        raise NotImplementedError

    def refuse_when_closing(self) -> None:
        if self.pool.closing:
            raise ConversionError(STOPPED)


class Worker(QueueWorker):
    """Takes jobs from the pool's queue and converts them with its own warm LibreOffice."""

    def __init__(self, pool: "WarmPool", index: int):
        super().__init__(pool, f"docgen-libreoffice-{index}")
        self.office: Office | None = None
        self.warm_failed_at: float | None = None

    # The thread that starts an instance must live as long as it: PR_SET_PDEATHSIG
    # fires when the *thread* that forked the bridge ends.
    def run(self) -> None:
        self.slot = Slot(self.pool.profiles)
        try:
            if self.pool.can_go_warm():
                self.start_office_quietly()
            self.serve()
        finally:
            self.shut_office()
            self.slot.release()

    def convert(self, job: Job) -> Converted:
        if self.pool.can_go_warm() and not self.cooling_down():
            for attempt in (1, 2):
                self.refuse_when_closing()
                try:
                    return self.convert_warm(job)
                except OfficeDied as exc:
                    log.warning("LibreOffice (%s) упал или не запустился (%s); попытка %d", self.name, exc, attempt)
        self.refuse_when_closing()
        log.info("PDF делается холодным запуском LibreOffice: %s", job.docx.name)
        self.pool.cold(job, self.slot.dir / "profile")
        return Converted("cold", metadata_embedded=False)

    def convert_warm(self, job: Job) -> Converted:
        office = self.ensure_office()
        options = self.pool.options
        try:
            reply = office.convert(job, options.pdfa, options.timeout)
        except OfficeHung:
            self.office = None
            log.error("LibreOffice (%s) не ответил за %g с и был остановлен", self.name, options.timeout)
            raise ConversionError(
                f"LibreOffice не ответил за {options.timeout:g} с и был остановлен (он будет перезапущен). "
                "DOCX готов; если документ очень большой, увеличьте [conversion] timeout в docgen.toml."
            ) from None
        except OfficeDied:
            self.office = None
            raise
        if not reply.get("ok"):
            if reply.get("fatal"):
                office.kill()
                self.office = None
                raise OfficeDied(reply.get("error", ""))
            raise ConversionError(f"LibreOffice не смог сделать PDF из этого DOCX ({reply.get('error', '')}).")
        self.converted += 1
        if self.converted >= max(1, self.pool.options.restart_after):
            log.info("LibreOffice (%s) перезапускается после %d документов", self.name, self.converted)
            self.shut_office()
            if not self.pool.closing:
                self.start_office_quietly()
        return Converted("warm", metadata_embedded=True)

    def ensure_office(self) -> Office:
        if self.office is None or self.office.process.poll() is not None:
            if self.office is not None:
                self.office.kill()
            self.office = None
            self.converted = 0
            try:
                self.office = Office(self.pool.uno_python, self.pool.soffice, self.slot.dir)
            except OfficeDied:
                self.warm_failed_at = time.monotonic()
                raise
            self.warm_failed_at = None
            log.info("LibreOffice (%s) запущен, pid %s", self.name, self.office.office_pid)
        return self.office

    def start_office_quietly(self) -> None:
        try:
            self.ensure_office()
        except OfficeDied as exc:
            log.warning("LibreOffice (%s) не перезапустился: %s", self.name, exc)

    def cooling_down(self) -> bool:
        return self.warm_failed_at is not None and time.monotonic() - self.warm_failed_at < WARM_RETRY_AFTER

    def shut_office(self) -> None:
        if self.office is not None:
            self.office.stop()
            self.office = None

    def interrupt(self) -> None:
        """Called from another thread: kill the instance so a document in progress ends now."""
        office = self.office
        if office is not None:
            office.signal_kill()


class WarmPool:
    """Worker threads with warm LibreOffice instances, started together on first use."""

    def __init__(self, options, profiles: Path, soffice: str, uno_python: str | None,
                 cold: Callable[[Job, Path], None]):
        self.options = options
        self.profiles = profiles
        self.soffice = soffice
        self.uno_python = uno_python
        self.cold = cold
        self.jobs: queue.Queue = queue.Queue()
        self.workers: list[Worker] = []
        self.closing = False
        self.lock = threading.Lock()

    def can_go_warm(self) -> bool:
        return bool(self.uno_python) and self.options.warm

    def start(self) -> None:
        with self.lock:
            if self.workers or self.closing:
                return
            count = self.options.workers if self.options.workers > 0 else (os.cpu_count() or 1)
            self.workers = [Worker(self, i) for i in range(count)]
            for worker in self.workers:
                worker.start()

    def submit(self, job: Job) -> None:
        if self.closing:
            raise ConversionError(STOPPED)
        self.start()
        self.jobs.put(job)

    def office_pids(self) -> list[int]:
        """Process ids of the running LibreOffice instances (for tests and diagnostics)."""
        return [w.office.office_pid for w in self.workers if w.office is not None and w.office.office_pid]

    def close(self) -> None:
        """Stop every instance (killing any in the middle of a document) and wait for the workers."""
        with self.lock:
            self.closing = True
            workers = list(self.workers)
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                break
            if job is not _STOP and job.future.set_running_or_notify_cancel():
                job.future.set_exception(ConversionError(STOPPED))
        for worker in workers:
            if worker.busy.is_set():
                worker.interrupt()
            self.jobs.put(_STOP)
        for worker in workers:
            worker.join(timeout=QUIT_SECONDS + 5)
