"""Publishing into ``outbox/``: file names a person finds, atomic writes, no overwrites, print packs.

A file appears under its final name only when complete: it is written to a
temporary name in the same folder, flushed to disk, then linked to a name
that does not exist yet. Names are safe on Windows shares and never leave
the outbox.
"""
from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

from pypdf import PdfReader, PdfWriter

TMP_PREFIX = ".docgen-tmp-"
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 150


def safe_stem(text: str) -> str:
    """A file name stem safe on Windows and POSIX: no separators, no reserved names, no dots at the ends."""
    text = text.replace("\u00a0", " ").replace('"', "«").replace("/", "-").replace("\\", "-")
    text = re.sub(r'[<>:|?*\x00-\x1f]', "", text)
    text = " ".join(text.split()).strip(" .")
    text = text.replace("..", ".")
    if text.upper().split(".")[0] in WINDOWS_RESERVED:
        text = "_" + text
    if len(text) > MAX_STEM:
        text = text[:MAX_STEM].rstrip(" .") + "…"
    return text or "документ"


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
    except OSError:  # file systems without hard links (some shares)
        if target.exists():
            return False
        os.replace(tmp, target)
        return True
    tmp.unlink()
    return True


def publish_file(source: Path, folder: Path, stem: str, suffix: str, mode: int | None = None) -> Path:
    """Copy ``source`` into ``folder`` under a free name built from ``stem``; return the final path.

    ``mode`` (e.g. 0o600 for personal data) is set before the file gets its final name."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = safe_stem(stem)
    tmp = folder / f"{TMP_PREFIX}{uuid.uuid4().hex}{suffix}"
    try:
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
    finally:
        if tmp.exists():
            tmp.unlink()


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
