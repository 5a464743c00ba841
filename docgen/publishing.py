"""Publishing into ``outbox/``: file names a person finds, atomic writes, no overwrites, print packs.

A file appears under its final name only when complete: it is written to a
temporary name in the same folder, flushed to disk, then linked to a name
that does not exist yet. Names are safe on Windows shares and never leave
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

from pypdf import PdfReader, PdfWriter

from .claims import host_name, owner_tag, process_alive
from .names import visible
from .errors import DocgenError

TMP_PREFIX = ".docgen-tmp-"
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


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _claim_name(tmp: Path, target: Path) -> bool:
    """Give ``tmp`` the name ``target`` only if nothing has it yet."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in NO_HARD_LINKS:
            raise
        if target.exists():  # file systems without hard links (some shares): check, then rename
            return False
        os.rename(tmp, target)
        return True
    tmp.unlink()
    return True


def temporary_name(suffix: str) -> str:
    return f"{TMP_PREFIX}{owner_tag()}-{uuid.uuid4().hex}{suffix}"


def publish_file(source: Path, folder: Path, stem: str, suffix: str, mode: int | None = None) -> Path:
    """Copy ``source`` into ``folder`` under a free name built from ``stem``; return the final path.

    ``mode`` (e.g. 0o600 for personal data) is set before the file gets its final name."""
    stem = safe_stem(stem)
    tmp = folder / temporary_name(suffix)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, tmp)
        if mode is not None:
            restrict(tmp, mode)
        _fsync_file(tmp)
        for attempt in range(1, 1000):
            candidate = folder / (f"{stem}{suffix}" if attempt == 1 else f"{stem} ({attempt}){suffix}")
            if candidate.resolve().parent != folder.resolve():
                raise ValueError("output name escapes the outbox")
            if _claim_name(tmp, candidate):
                _fsync_dir(folder)
                return candidate
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
            if leftover_is_abandoned(leftover):
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
