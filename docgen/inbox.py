"""Watching ``inbox/``: which files are inputs, when a file is stable, and the watch loop.

A file is processed only after its size and mtime have stayed the same for
the stability delay and it is not empty; it is checked again just before
processing. Events from watchdog (inotify, or its polling observer for network
shares) only wake the loop early: a periodic rescan and the start-up scan
find whatever events missed. If the inbox disappears (a share drops), the
loop says so in its log and resumes when it is back (with a new observer if
the folder came back as a different directory, or the observer died).
A file open in Excel, Word or LibreOffice is a draft: while its lock file
is beside it (``~$name.xlsx``, which Office shortens for long names by
dropping the first characters, or ``.~lock.name.xlsx#``) it is not taken,
and once the lock is gone the stability delay starts again.
Claiming a file for one worker is docgen/claims.py.
"""
from __future__ import annotations

import logging
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Collection

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from .errors import DocgenError
from .faults import step
from .moves import free_name, move_free
from .reading import INPUT_SUFFIXES
from .reports import REPORT_SUFFIX, write_failure_report
from .settings import InboxOptions

log = logging.getLogger("docgen.inbox")


class WatchdogStopRace(logging.Filter):
    """watchdog's inotify thread logs an ERROR when it is asked for events while it is being stopped (a race
    inside watchdog's own shutdown, not a fault of the inbox): dropped, so a clean stop logs no error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "called when the thread is inactive" not in record.getMessage()


logging.getLogger("watchdog.observers.inotify").addFilter(WatchdogStopRace())

IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db"}
TEMPORARY_SUFFIXES = {".tmp", ".part", ".crdownload", ".partial", ".download", ".swp", ".bak"}


def lock_names(name: str) -> set[str]:
    """The names an office suite gives the lock file of ``name``, case-folded (Windows shares ignore case).

    Microsoft Office writes «~$» + the name, and for longer names replaces its first one or two
    characters with «~$»; LibreOffice writes «.~lock.<name>#».
    """
    names = {f"~${name}", f"~${name[1:]}", f"~${name[2:]}", f".~lock.{name}#"}
    return {n.casefold() for n in names if len(n) > 2}


def draft_lock(path: Path, listing: set[str] | None = None) -> str | None:
    """The lock file that shows ``path`` is still open in an editor, or None."""
    try:
        present = listing if listing is not None else {p.name.casefold() for p in path.parent.iterdir()}
    except OSError:
        return None
    found = lock_names(path.name) & present
    return min(found) if found else None


def is_candidate(path: Path, suffixes: Collection[str] = INPUT_SUFFIXES) -> bool:
    """An input file docgen should look at: of a suffix some reader declares (``Hooks.input_suffixes``), not a
    lock file, hidden file or half-uploaded file."""
    name = path.name
    if name.lower() in IGNORED_NAMES or name.startswith(("~$", ".~lock", "._", ".", "~")):
        return False
    if name.endswith(REPORT_SUFFIX) or path.suffix.lower() in TEMPORARY_SUFFIXES:
        return False
    return path.suffix.lower() in suffixes


@dataclass
class Seen:
    size: int
    mtime: float
    since: float
    inode: int = 0  # a file replaced by another (a rename over it) starts its stability over


class StabilityTracker:
    """Remembers each file's size and mtime and since when they have not changed."""

    def __init__(self, delay: float, clock: Callable[[], float] = time.monotonic):
        self.delay = delay
        self.clock = clock
        self.files: dict[Path, Seen] = {}

    def observe(self, path: Path) -> None:
        try:
            found = os.lstat(path)
        except OSError:
            self.files.pop(path, None)  # deleted before it was stable: forget it, no error
            return
        now = self.clock()
        seen = self.files.get(path)
        if seen is None or (seen.size, seen.mtime, seen.inode) != (found.st_size, found.st_mtime, found.st_ino):
            self.files[path] = Seen(found.st_size, found.st_mtime, now, found.st_ino)

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
            found = os.lstat(path)
        except OSError:
            return False
        return (seen is not None and stat.S_ISREG(found.st_mode) and found.st_size > 0
                and (found.st_size, found.st_mtime, found.st_ino) == (seen.size, seen.mtime, seen.inode))

    def forget(self, path: Path) -> None:
        self.files.pop(path, None)

    def hold(self, path: Path) -> None:
        """Still a draft: the stability delay starts again from now."""
        seen = self.files.get(path)
        if seen is not None:
            seen.since = self.clock()



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


EXPECTED_FOLDERS = {"processed", "failed"}
SPECIAL_KINDS = ((stat.S_ISLNK, "ссылка (symlink)"), (stat.S_ISFIFO, "именованный канал (FIFO)"),
                 (stat.S_ISSOCK, "сокет"), (stat.S_ISDIR, "папка"), (stat.S_ISCHR, "устройство"),
                 (stat.S_ISBLK, "устройство"))


def special_kind(path: Path) -> str | None:
    """What a path is if it is not a regular file (never followed: ``lstat``); None for a file or nothing."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in SPECIAL_KINDS if test(mode)), "не обычный файл")


def scan_inbox(inbox: Path, suffixes: Collection[str] = INPUT_SUFFIXES) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Regular candidate files, and the other things lying there that a person may have meant as inputs."""
    files, specials = [], []
    with os.scandir(inbox) as entries:
        for entry in entries:
            path = Path(entry.path)
            if entry.is_file(follow_symlinks=False):
                if is_candidate(path, suffixes):
                    files.append(path)
                continue
            if entry.name.startswith(".") or entry.name in EXPECTED_FOLDERS:
                continue
            specials.append((path, special_kind(path) or "не обычный файл"))
    return files, specials


def list_inbox(inbox: Path, suffixes: Collection[str] = INPUT_SUFFIXES) -> list[Path]:
    return scan_inbox(inbox, suffixes)[0]


class InboxWatcher:
    """Runs the watch loop: finds stable files and hands each to ``process`` once."""

    def __init__(self, inbox: Path, process: Callable[[Path], object], options: InboxOptions, failed_dir: Path,
                 polling: bool | None = None, suffixes: Collection[str] = INPUT_SUFFIXES):
        self.inbox = inbox
        self.suffixes = frozenset(suffixes)  # what the readers read (``Hooks.input_suffixes``)
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
        self.reported_specials: set[tuple[str, str]] = set()
        self.drafts: set[Path] = set()  # files seen with their lock file beside them (logged once each)

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
            paths, specials = scan_inbox(self.inbox, self.suffixes)
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
        self.report_specials(specials)
        for path in paths:
            if path not in self.tracker.files:
                step("received", path.name)
        for path in set(paths) | set(self.tracker.files):
            self.tracker.observe(path)
        return True

    def report_specials(self, specials: list[tuple[Path, str]]) -> None:
        """Say once, in the log, what lies in the inbox that is not a file; it is never opened or followed."""
        for path, kind in specials:
            key = (path.name, kind)
            if key not in self.reported_specials:
                self.reported_specials.add(key)
                log.warning("в папке inbox не файл, а %s: «%s» — не обрабатывается; положите туда сам файл",
                            kind, path.name)

    def is_draft(self, path: Path, listing: set[str]) -> bool:
        """Open in Excel or LibreOffice: held back (logged once) until its lock file is gone."""
        lock = draft_lock(path, listing)
        if lock is None:
            if path not in self.drafts:
                return False
            self.drafts.discard(path)  # closed just now: the stability delay runs once more from here
            log.info("файл «%s» закрыт в редакторе; беру его после проверки на неизменность", path.name)
            self.tracker.hold(path)
            return True
        if path not in self.drafts:
            self.drafts.add(path)
            step("draft", path.name, detail="открыт в редакторе, жду закрытия")
        self.tracker.hold(path)
        return True

    def listing(self) -> set[str]:
        try:
            return {p.name.casefold() for p in self.inbox.iterdir()}
        except OSError:
            return set()

    def handle_ready(self) -> int:
        handled = 0
        ready = self.tracker.stable()
        listing = self.listing() if ready else set()
        for path in ready:
            if self.stop_event.is_set():
                break
            if self.is_draft(path, listing):
                continue
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
        try:
            target = free_name(self.failed_dir, path.name)
            self.failed_dir.mkdir(parents=True, exist_ok=True)
            write_failure_report(target, DocgenError(  # the report first: an input in failed/ always has one
                f"Файл пустой (0 байт) дольше {self.options.empty_file_timeout:g} с. Скопируйте его в inbox ещё раз."
            ))
            move_free(path, self.failed_dir, point="input.to_failed", target=target)
        except OSError:
            return
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
