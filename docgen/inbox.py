"""Watching ``inbox/``: which files are inputs, when a file is stable, claims, and the watch loop.

A file is processed only after its size and mtime have stayed the same for
the stability delay and it is not empty; it is checked again just before
processing. Events from watchdog (inotify, or its polling observer for network
shares) only wake the loop early: a periodic rescan and the start-up scan
find whatever events missed. If the inbox disappears (a share drops), the
loop says so in its log and resumes when it is back (with a new observer if
the folder came back as a different directory, or the observer died).

Claims: a worker takes a file by an atomic rename into ``inbox/.processing``
under a name carrying its owner («<pid>@<host>@<token>~<name>») and holds an
``flock`` on the open file while it works. At start-up a worker takes back
only abandoned claims: lock free and (on this host) the owner's process gone.
"""
from __future__ import annotations

import fcntl
import logging
import os
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .errors import DocgenError
from .faults import step
from .reading import INPUT_SUFFIXES
from .reports import REPORT_SUFFIX, write_failure_report
from .settings import InboxOptions

log = logging.getLogger("docgen.inbox")

IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db"}
TEMPORARY_SUFFIXES = {".tmp", ".part", ".crdownload", ".partial", ".download", ".swp", ".bak"}


def is_candidate(path: Path) -> bool:
    """An input file docgen should look at (not a lock file, hidden file or half-uploaded file)."""
    name = path.name
    if name.lower() in IGNORED_NAMES or name.startswith(("~$", ".~lock", "._", ".", "~")):
        return False
    if name.endswith(REPORT_SUFFIX) or path.suffix.lower() in TEMPORARY_SUFFIXES:
        return False
    return path.suffix.lower() in INPUT_SUFFIXES


@dataclass
class Seen:
    size: int
    mtime: float
    since: float


class StabilityTracker:
    """Remembers each file's size and mtime and since when they have not changed."""

    def __init__(self, delay: float, clock: Callable[[], float] = time.monotonic):
        self.delay = delay
        self.clock = clock
        self.files: dict[Path, Seen] = {}

    def observe(self, path: Path) -> None:
        try:
            stat = path.stat()
        except OSError:
            self.files.pop(path, None)  # deleted before it was stable: forget it, no error
            return
        now = self.clock()
        seen = self.files.get(path)
        if seen is None or (seen.size, seen.mtime) != (stat.st_size, stat.st_mtime):
            self.files[path] = Seen(stat.st_size, stat.st_mtime, now)

    def stable(self) -> list[Path]:
        now = self.clock()
        return sorted(p for p, s in self.files.items() if s.size > 0 and now - s.since >= self.delay)

    def empty_for(self, timeout: float) -> list[Path]:
        now = self.clock()
        return sorted(p for p, s in self.files.items() if s.size == 0 and now - s.since >= timeout)

    def still_stable(self, path: Path) -> bool:
        """Checked just before opening: unchanged since it was judged stable."""
        seen = self.files.get(path)
        try:
            stat = path.stat()
        except OSError:
            return False
        return seen is not None and (stat.st_size, stat.st_mtime) == (seen.size, seen.mtime) and stat.st_size > 0

    def forget(self, path: Path) -> None:
        self.files.pop(path, None)



# --- claims --------------------------------------------------------------------------

FOREIGN_CLAIM_GRACE = 10.0  # seconds before an unlocked claim of another host counts as abandoned


def host_name() -> str:
    return re.sub(r"[^\w.-]", "-", socket.gethostname()) or "host"


def owner_tag() -> str:
    """Who this process is, as written into its claims and temporary files: «<pid>@<host>»."""
    return f"{os.getpid()}@{host_name()}"


def claim_owner(claimed: Path) -> tuple[int, str] | None:
    """(pid, host) from a claim name «<pid>@<host>@<token>~<name>», None for an older format."""
    prefix = claimed.name.split("~", 1)[0]
    parts = prefix.split("@")
    if len(parts) != 3 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1]


def original_name(claimed: Path) -> str:
    """The name the secretary gave a file, from its claimed name."""
    return claimed.name.split("~", 1)[1] if "~" in claimed.name else claimed.name


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Claim:
    """A file this worker holds: its current path, the name it came with, and the locked descriptor."""

    path: Path
    name: str
    fd: int

    def moved_to(self, path: Path) -> None:
        self.path = path

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing drops the flock
            self.fd = -1


def _lock(path: Path) -> int | None:
    """An open descriptor holding an exclusive flock on ``path``; None if someone else holds it or it is gone."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(fd).st_ino != os.stat(path).st_ino:  # renamed away while we were locking
            raise FileNotFoundError(path)
    except OSError:
        os.close(fd)
        return None
    return fd


def lock_input(locks: Path, sha256: str) -> Claim | None:
    """Hold the lock of one input's content (its SHA-256) so two workers never process the same bytes at once."""
    locks.mkdir(parents=True, exist_ok=True)
    path = locks / f"{sha256}.lock"
    for _ in range(5):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return Claim(path, sha256, fd)
        os.close(fd)  # the previous holder removed it while we were opening: try the new file
    return None


def release_input(lock: Claim) -> None:
    lock.path.unlink(missing_ok=True)
    lock.release()


def claim_file(path: Path, processing: Path) -> Claim | None:
    """Take ``path`` for this worker by an atomic rename into ``processing``; None if another took it first."""
    processing.mkdir(exist_ok=True)
    target = processing / f"{owner_tag()}@{uuid.uuid4().hex[:8]}~{path.name}"
    try:
        path.rename(target)
    except FileNotFoundError:
        return None
    fd = _lock(target)
    if fd is None:  # taken back in the instant between rename and lock: it is someone else's now
        return None
    return Claim(target, path.name, fd)


def copy_claim(source: Path, processing: Path) -> Claim:
    """Claim a copy of a file that lives outside the inbox (given on the command line); the original stays."""
    processing.mkdir(parents=True, exist_ok=True)
    target = processing / f"{owner_tag()}@{uuid.uuid4().hex[:8]}~{source.name}"
    fd = os.open(target, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    with open(source, "rb") as src:
        while block := src.read(1 << 20):
            os.write(fd, block)
    os.fsync(fd)
    return Claim(target, source.name, fd)


def claim_is_abandoned(claimed: Path, held: set[Path]) -> bool:
    """Whether a claim's owner is gone (never true for a claim a live worker holds)."""
    if claimed in held:
        return False
    owner = claim_owner(claimed)
    if owner is not None:
        pid, host = owner
        if host == host_name() and pid != os.getpid() and process_alive(pid):
            return False
        if host != host_name():
            try:
                if time.time() - claimed.stat().st_ctime < FOREIGN_CLAIM_GRACE:
                    return False
            except OSError:
                return False
    return True


def take_back_abandoned(processing: Path, held: set[Path]) -> list[Claim]:
    """Claims whose owner died: locked for this worker, still under their claimed names."""
    taken = []
    if not processing.is_dir():
        return taken
    for claimed in sorted(processing.iterdir()):
        if not claimed.is_file() or not claim_is_abandoned(claimed, held):
            continue
        fd = _lock(claimed)
        if fd is None:
            continue  # a live owner holds it (or another worker is taking it back right now)
        log.warning("забираю файл, оставленный после сбоя: %s", original_name(claimed))
        taken.append(Claim(claimed, original_name(claimed), fd))
    return taken


class _Wake(FileSystemEventHandler):
    def __init__(self, event: threading.Event):
        self.event = event

    def on_any_event(self, event) -> None:
        self.event.set()


def folder_identity(folder: Path) -> tuple[int, int] | None:
    try:
        stat = folder.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def list_inbox(inbox: Path) -> list[Path]:
    return [p for p in inbox.iterdir() if p.is_file() and is_candidate(p)]


class InboxWatcher:
    """Runs the watch loop: finds stable files and hands each to ``process`` once."""

    def __init__(self, inbox: Path, process: Callable[[Path], object], options: InboxOptions, failed_dir: Path,
                 polling: bool | None = None):
        self.inbox = inbox
        self.process = process
        self.options = options
        self.failed_dir = failed_dir
        self.polling = options.polling if polling is None else polling
        self.tracker = StabilityTracker(options.stability_delay)
        self.wake = threading.Event()
        self.stop_event = threading.Event()
        self.observer = None
        self.inbox_identity: tuple[int, int] | None = None
        self.available = True

    def start_observer(self) -> None:
        observer_class = PollingObserver if self.polling else Observer
        try:
            observer = observer_class(timeout=self.options.poll_interval) if self.polling else observer_class()
            observer.schedule(_Wake(self.wake), str(self.inbox), recursive=False)
            observer.start()
            self.observer = observer
        except OSError as exc:
            log.warning("наблюдение за папкой inbox не запущено (%s); работаю опросом", exc)
            self.observer = None
        self.inbox_identity = folder_identity(self.inbox)

    def stop_observer(self) -> None:
        if self.observer is not None:
            try:
                self.observer.stop()
                self.observer.join(timeout=5)
            except Exception:  # a dead share may make stopping fail too
                pass
            self.observer = None

    def restart_observer_if_stale(self) -> None:
        """A share that came back is a new directory, and a dead observer sees nothing: start a new one."""
        identity = folder_identity(self.inbox)
        died = self.observer is not None and not self.observer.is_alive()
        if identity != self.inbox_identity or died or self.observer is None:
            log.warning("перезапускаю наблюдение за папкой inbox")
            self.stop_observer()
            self.start_observer()

    def scan(self) -> bool:
        """Look at every file in the inbox; False if the inbox cannot be read now."""
        try:
            paths = list_inbox(self.inbox)
        except OSError as exc:
            if self.available:
                log.error("папка inbox недоступна (%s); жду её возвращения", exc)
                self.available = False
                self.stop_observer()
            return False
        if not self.available:
            log.warning("папка inbox снова доступна; продолжаю работу")
            self.available = True
        self.restart_observer_if_stale()
        for path in paths:
            if path not in self.tracker.files:
                step("received", path.name)
        for path in set(paths) | set(self.tracker.files):
            self.tracker.observe(path)
        return True

    def handle_ready(self) -> int:
        handled = 0
        for path in self.tracker.stable():
            if self.stop_event.is_set():
                break
            if not self.tracker.still_stable(path):
                self.tracker.observe(path)
                continue
            self.tracker.forget(path)
            step("stable", path.name)
            try:
                self.process(path)
            except Exception:  # the service goes on whatever one file does
                log.exception("ошибка при обработке %s", path.name)
            handled += 1
        for path in self.tracker.empty_for(self.options.empty_file_timeout):
            self.tracker.forget(path)
            self.set_aside_empty(path)
        return handled

    def set_aside_empty(self, path: Path) -> None:
        from .pipeline import move_free

        try:
            target = move_free(path, self.failed_dir)
        except OSError:
            return
        write_failure_report(target, DocgenError(
            f"Файл пустой (0 байт) дольше {self.options.empty_file_timeout:g} с. Скопируйте его в inbox ещё раз."
        ))
        step("failed", path.name, detail="пустой файл")

    def tick_seconds(self) -> float:
        base = self.options.poll_interval if self.polling else 0.2
        return max(0.05, min(base, self.options.stability_delay / 2 or base))

    def run(self, max_seconds: float | None = None) -> None:
        """Watch until ``stop()`` (or for ``max_seconds``); the start-up scan comes first."""
        self.start_observer()
        started = last_scan = time.monotonic()
        self.scan()
        try:
            while not self.stop_event.is_set():
                if max_seconds is not None and time.monotonic() - started > max_seconds:
                    break
                woke = self.wake.wait(self.tick_seconds())
                self.wake.clear()
                due = time.monotonic() - last_scan >= (self.options.poll_interval if self.polling else self.options.rescan_interval)
                try:
                    if woke or due or self.tracker.files or not self.available:
                        self.scan()
                        last_scan = time.monotonic() if (due or woke) else last_scan
                    if self.available:
                        self.handle_ready()
                except Exception:  # the loop itself must outlive any surprise (a share dropping mid-scan)
                    log.exception("сбой в цикле наблюдения за inbox; продолжаю")
                    self.stop_event.wait(1.0)
        finally:
            self.stop_observer()

    def stop(self) -> None:
        self.stop_event.set()
        self.wake.set()
