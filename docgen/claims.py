"""Claims: each input file is taken by exactly one worker, and taken back only from a dead one.

A worker takes a file by an atomic rename into ``inbox/.processing`` under a
name carrying its owner («<pid>@<host>@<token>~<name>») and holds an
``fcntl.flock`` on the open file while it works. At start-up a worker takes
back only abandoned claims: the lock is free and the owner is gone (on this
host: its pid is dead, or is our own pid from an earlier life; from another
host: unlocked for a while). A lock file per SHA-256 keeps two workers from
processing the same bytes at once. The owner tag also names temporary files
in ``outbox/`` (docgen/publishing.py).
"""
from __future__ import annotations

import fcntl
import logging
import os
import re
import socket
import stat
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from .faults import durable
from .names import NAME_MAX, clean_name, fit_name

log = logging.getLogger("docgen.claims")

TMP_PREFIX = ".docgen-tmp-"  # a file being written (a claimed copy, an output): never an input, never final


class NotRegularFile(OSError):
    """A path that is a FIFO, socket, device or folder: never an input."""

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
    lease: str | None = None  # its claim row «file:<name>» when the register is in PostgreSQL (docgen/leases.py)

    def moved_to(self, path: Path) -> None:
        self.path = path

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing drops the flock
            self.fd = -1


def _lock(path: Path) -> int | None:
    """An open descriptor holding an exclusive flock on regular file ``path``; None if held, gone or not a file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(path)
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


def claimed_path(processing: Path, name: str) -> Path:
    """Where a file is claimed: «<pid>@<host>@<token>~<its safe name>», the name cut to fit the file system."""
    prefix = f"{owner_tag()}@{uuid.uuid4().hex[:8]}~"
    return processing / (prefix + fit_name(name, NAME_MAX - len(prefix.encode("utf-8"))))


def claim_file(path: Path, processing: Path) -> Claim | None:
    """Take ``path`` for this worker by an atomic rename into ``processing``; None if another took it first.

    Only a regular file is taken: a symlink, FIFO or socket put in its place is given back untouched.
    """
    processing.mkdir(exist_ok=True)
    name = clean_name(path.name)
    target = claimed_path(processing, name)
    try:
        with durable("input.claim"):
            path.rename(target)
    except FileNotFoundError:
        return None
    fd = _lock(target)
    if fd is None:  # taken back in the instant between rename and lock (or not a regular file)
        if target.is_symlink() or (target.exists() and not stat.S_ISREG(target.lstat().st_mode)):
            target.rename(path)  # replaced by something that is not a file: left alone where it was
        elif target.exists() and not readable(target):
            return Claim(target, name, -1)  # a file docgen may not read: set aside with a report, never stuck here
        return None
    return Claim(target, name, fd)


def readable(path: Path) -> bool:
    """Whether this process may open ``path`` for reading (a file copied in with another user's mode 600 is not)."""
    return os.access(path, os.R_OK, follow_symlinks=False)


def unreadable(claim: Claim) -> bool:
    return claim.fd < 0 and claim.path.exists() and not readable(claim.path)


def other_names(claim: Claim) -> int:
    """How many other names (hard links) the claimed file has: a file in the inbox that is also somewhere
    else can be read or changed through that other name, so it is never an input."""
    return os.fstat(claim.fd).st_nlink - 1 if claim.fd >= 0 else 0


def copy_claim(source: Path, processing: Path) -> Claim:
    """Claim a copy of a file that lives outside the inbox (given on the command line); the original stays.

    The copy is written under a temporary name and renamed once whole, so a crash never leaves a
    truncated claim to be processed as if it were the secretary's file."""
    processing.mkdir(parents=True, exist_ok=True)
    source_fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block us
    try:
        if not stat.S_ISREG(os.fstat(source_fd).st_mode):
            raise NotRegularFile(source)
        name = clean_name(Path(source).name)
        target = claimed_path(processing, name)
        tmp = processing / f"{TMP_PREFIX}{owner_tag()}-{uuid.uuid4().hex[:8]}"
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        with os.fdopen(os.dup(source_fd), "rb") as src:
            while block := src.read(1 << 20):
                os.write(fd, block)
        with durable("input.copy_fsync"):
            os.fsync(fd)
        with durable("input.claim"):
            os.rename(tmp, target)
    finally:
        os.close(source_fd)
    return Claim(target, name, fd)


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


def take_back_abandoned(processing: Path, held: set[Path], leased=None) -> list[Claim]:
    """Claims whose owner died: locked for this worker, still under their claimed names.

    ``leased(claimed)`` (PostgreSQL claim rows, docgen/leases.py) decides instead of the owner's pid and host:
    True — another worker's lease is live, the claim is left alone; False — its lease ran out (or there is none).
    """
    taken = []
    if not processing.is_dir():
        return taken
    for claimed in sorted(processing.iterdir()):
        if claimed.name.startswith(TMP_PREFIX) or not claimed.is_file() or claimed in held:
            continue
        if leased is None and not claim_is_abandoned(claimed, held):
            continue
        fd = _lock(claimed)
        if fd is None and not readable(claimed) and (leased is None or not leased(claimed)):
            taken.append(Claim(claimed, original_name(claimed), -1))  # unreadable: set aside with its report
            continue
        if fd is None:
            continue  # a live owner holds it (or another worker is taking it back right now)
        if leased is not None and leased(claimed):
            os.close(fd)  # its owner's lease is live (a worker on another machine, where a lock may not reach)
            continue
        log.warning("забираю файл, оставленный после сбоя: %s", original_name(claimed))
        taken.append(Claim(claimed, original_name(claimed), fd))
    return taken


# --- recovery attempts: a file that keeps killing its worker is set aside -------------------------

MAX_RECOVERY_ATTEMPTS = 2  # recoveries of one claim that may die before the file is set aside


def _attempts_file(state: Path, claimed: Path) -> Path:
    import hashlib

    return state / "attempts" / hashlib.sha1(claimed.name.encode("utf-8", "surrogateescape")).hexdigest()


def count_recovery_attempt(state: Path, claim: Claim) -> int:
    """Note one more attempt to recover ``claim`` (durably, before it starts); return how many there were."""
    path = _attempts_file(state, claim.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        count = int(path.read_text(encoding="ascii").strip() or 0) + 1
    except (OSError, ValueError):
        count = 1
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, str(count).encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return count


def forget_recovery_attempts(state: Path, claimed: Path) -> None:
    _attempts_file(state, claimed).unlink(missing_ok=True)
