"""Publishing into ``outbox/``: file names a person finds, atomic writes, no overwrites, print packs.

A file appears under its final name only when complete: it is written to a
temporary name in the same folder, flushed to disk, its name reserved in the
register (write-ahead: a file under a final name is never unknown to the
journal), then linked to a name that does not exist yet. Each fsync, link and
removal runs inside ``faults.durable`` (a fault point of the crash sweep). Names are safe on Windows shares and never leave
the outbox. A temporary name carries its writer («.docgen-tmp-<pid>@<host>-…»),
so the start-up cleanup removes only what a dead writer left. A full disk or
a read-only outbox raises ``PublishError`` (Russian text) with the temporary
file removed: nothing half-written ever has a final name.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import time
import uuid
from pathlib import Path
from typing import Protocol

from pypdf import PdfReader, PdfWriter

from .claims import TMP_PREFIX, host_name, owner_tag, process_alive
from .names import visible
from .errors import DocgenError
from .faults import durable

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM_BYTES = 180  # UTF-8 bytes: Linux allows 255 per name, Cyrillic takes two each
FOREIGN_TMP_AGE = 3600.0  # a temporary file of another host is a leftover after an hour
PROCESS_STARTED = time.time()
NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS}


class PublishError(DocgenError):
    """An output could not be written into the outbox (disk full, read-only, no rights)."""


def publish_error(exc: OSError, folder: Path) -> PublishError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "на диске нет свободного места"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        why = "папка доступна только для чтения или нет прав на запись"
    else:
        why = f"ошибка записи ({exc.strerror or type(exc).__name__})"
    return PublishError(f"Не удалось записать документ в папку «{folder.name}»: {why}. "
                        "Освободите место или проверьте права на папку.")


def safe_stem(text: str) -> str:
    """A file name stem safe on Windows and POSIX: no separators, no reserved names, no dots at the ends."""
    text = visible(text).replace("\u00a0", " ").replace('"', "«").replace("/", "-").replace("\\", "-")
    text = re.sub(r'[<>:|?*\x00-\x1f]', "", text)
    text = " ".join(text.split()).strip(" .")
    text = text.replace("..", ".")
    if text.upper().split(".")[0] in WINDOWS_RESERVED:
        text = "_" + text
    return shorten(text) or "документ"


def shorten(text: str, limit: int = MAX_STEM_BYTES) -> str:
    """Cut a name to ``limit`` UTF-8 bytes, at a word boundary where one is near, marking the cut with «…»."""
    if len(text.encode("utf-8")) <= limit:
        return text
    budget = limit - len("…".encode("utf-8"))
    cut = text.encode("utf-8")[:budget].decode("utf-8", "ignore")
    if " " in cut[len(cut) // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" .,;-") + "…"


def output_stem(doc_date: str, kind_label: str, number: str | None, label: str) -> str:
    """«2023-08-31 Приказ № 53-од О закреплении наставнических пар»."""
    parts = [doc_date, kind_label]
    if number:
        parts.append(f"№ {number}")
    if label:
        parts.append(label)
    return safe_stem(" ".join(parts))


class NameBook(Protocol):
    """Where final names are reserved before a file gets one (the register), and given back if unused."""

    def reserve(self, name: str) -> bool: ...

    def release(self, name: str) -> None: ...


class OutboxNames:
    """Reserves outbox/ names in the register (``Register.reserve_output``) for one kind of file:
    a document's DOCX or PDF (``entry_id`` given: the entry lists the name), a print pack, a
    signature copy or a marked copy (kept in the register's ``outbox_files`` only)."""

    def __init__(self, register, sha: str, kind: str, entry_id: int | None = None):
        self.register, self.sha, self.kind, self.entry_id = register, sha, kind, entry_id

    def reserve(self, name: str) -> bool:
        return self.register.reserve_output(name, self.sha, self.kind, self.entry_id)

    def release(self, name: str) -> None:
        self.register.release_output(name)


def fsync_file(path: Path, point: str = "publish.fsync") -> None:
    with open(path, "rb") as handle, durable(point):
        os.fsync(handle.fileno())


def fsync_dir(folder: Path, point: str = "publish.fsync_dir") -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with durable(point):
            os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _claim_name(tmp: Path, target: Path, point: str = "publish") -> bool:
    """Give ``tmp`` the name ``target`` only if nothing has it yet."""
    try:
        with durable(f"{point}.link"):
            os.link(tmp, target)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in NO_HARD_LINKS:
            raise
        if target.exists():  # file systems without hard links (some shares): check, then rename
            return False
        with durable(f"{point}.link"):
            os.rename(tmp, target)
        return True
    with durable(f"{point}.unlink"):  # the old name goes (a temporary file, or a published one moved aside)
        tmp.unlink()
    return True


def remove_published(path: Path) -> None:
    """Take a file out of outbox/ (the files of a voided number)."""
    with durable("outbox.remove"):
        path.unlink(missing_ok=True)


def set_aside(path: Path, folder: Path) -> Path:
    """Move a file out of the way into ``folder`` under a free name; never overwrite."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = path.stem, path.suffix
    for attempt in range(1, 10000):
        target = folder / (path.name if attempt == 1 else f"{stem} ({attempt}){suffix}")
        if not target.exists():
            with durable("outbox.set_aside"):
                os.rename(path, target)
            return target
    raise FileExistsError(path.name)


def temporary_name(suffix: str) -> str:
    return f"{TMP_PREFIX}{owner_tag()}-{uuid.uuid4().hex}{suffix}"


def candidate_names(stem: str, suffix: str, first: str | None = None):
    """The names a file may get, in order: a name recorded before a crash, then «stem», «stem (2)», …"""
    if first:
        yield first
    for attempt in range(1, 1000):
        yield f"{stem}{suffix}" if attempt == 1 else f"{stem} ({attempt}){suffix}"


def publish_file(source: Path, folder: Path, stem: str, suffix: str, mode: int | None = None,
                 names: NameBook | None = None, name: str | None = None, point: str = "publish") -> Path:
    """Copy ``source`` into ``folder`` under a free name built from ``stem``; return the final path.

    ``mode`` (e.g. 0o600 for personal data) is set before the file gets its final name. ``names``
    reserves each name before the file gets it (and gives back one it could not have); ``name`` is a
    name already reserved for this file (a crash came before the file got it), tried first. ``point``
    names the fault points of this file's steps: «<point>.fsync», «<point>.link», «<point>.fsync_dir»."""
    stem = safe_stem(stem)
    tmp = folder / temporary_name(suffix)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, tmp)
        if mode is not None:
            restrict(tmp, mode)
        fsync_file(tmp, f"{point}.fsync")
        tried: set[str] = set()
        for candidate_name in candidate_names(stem, suffix, name):
            if candidate_name in tried:
                continue
            already_reserved = not tried and candidate_name == name
            tried.add(candidate_name)
            candidate = folder / candidate_name
            if candidate.resolve().parent != folder.resolve():
                raise ValueError("output name escapes the outbox")
            if not already_reserved and (candidate.exists() or (names and not names.reserve(candidate_name))):
                continue
            if _claim_name(tmp, candidate, point):
                fsync_dir(folder, f"{point}.fsync_dir")
                return candidate
            if names:
                names.release(candidate_name)
        raise FileExistsError(f"no free name for {stem}")
    except OSError as exc:
        raise publish_error(exc, folder) from exc
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def leftover_is_abandoned(path: Path) -> bool:
    """A temporary file whose writer is gone (on this host) or that is old (another host's)."""
    tag = path.name[len(TMP_PREFIX):].rsplit("-", 1)[0]
    pid, _, host = tag.partition("@")
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return False
    if pid.isdigit() and host == host_name():
        if int(pid) == os.getpid():  # our own pid: a leftover only if older than this process (pid reused)
            return mtime < PROCESS_STARTED
        return not process_alive(int(pid))
    return time.time() - mtime > FOREIGN_TMP_AGE


def restrict(path: Path, mode: int) -> None:
    """Narrow a file's permissions where the OS supports it (POSIX); elsewhere the share's rights apply."""
    try:
        os.chmod(path, mode)
    except OSError:
        pass


def clean_leftovers(folder: Path) -> int:
    """Remove temporary files a crash left behind; return how many."""
    removed = 0
    if folder.is_dir():
        for leftover in folder.glob(f"{TMP_PREFIX}*"):
            if leftover.is_file() and leftover_is_abandoned(leftover):
                leftover.unlink(missing_ok=True)
                removed += 1
    return removed


def set_pdf_metadata(pdf: Path, title: str, author: str, subject: str) -> None:
    """Write title, author and subject (the registration number) into a PDF in place."""
    writer = PdfWriter(clone_from=str(pdf))
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Creator": "docgen"})
    with open(pdf, "wb") as handle:
        writer.write(handle)


def merge_pdfs(pdfs: list[Path], target: Path, title: str) -> None:
    """One print pack from several PDFs, in order."""
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(PdfReader(str(pdf)))
    writer.add_metadata({"/Title": title, "/Creator": "docgen"})
    with open(target, "wb") as handle:
        writer.write(handle)


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                block = fa.read(1 << 20)
                if block != fb.read(1 << 20):
                    return False
                if not block:
                    return True
    except OSError:
        return False


def move_aside(source: Path, folder: Path, name: str | None = None) -> Path | None:
    """Move a published file into ``folder`` under ``name`` (or «name (2)»), never overwriting; durable, idempotent.

    A source already gone was moved before (None is returned); a target with the same bytes is the
    same file moved by a run that crashed before removing the source, which is removed now.
    """
    if not source.is_file():
        return None
    name = name or source.name
    stem, suffix = Path(name).stem, Path(name).suffix
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, 1000):
            candidate = folder / (name if attempt == 1 else f"{stem} ({attempt}){suffix}")
            if candidate.exists() and _same_bytes(candidate, source):
                with durable("outbox.move_aside.unlink"):
                    source.unlink()
            elif not _claim_name(source, candidate, "outbox.move_aside"):
                continue
            fsync_dir(folder, "outbox.move_aside.fsync_dir")
            fsync_dir(source.parent, "outbox.move_aside.fsync_dir")
            return candidate
        raise FileExistsError(f"no free name for {name}")
    except OSError as exc:
        raise publish_error(exc, folder) from exc
