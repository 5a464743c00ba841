"""Moving a file into a folder without overwriting: an input between inbox/, processed/ and failed/, a
report beside it. Each move is a durable operation (``faults.durable``); a taken name gets «name (2).ext».
"""
from __future__ import annotations

import shutil
from pathlib import Path

from .faults import durable
from .names import clean_name


def free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or «name (2).ext» … if taken. A report without its file (a crash came between
    writing the report and moving the file beside it) does not take the name: it is written again."""
    stem, suffix = Path(name).stem, Path(name).suffix
    for attempt in range(1, 10000):
        target = folder / (name if attempt == 1 else f"{stem} ({attempt}){suffix}")
        if not target.exists():
            return target
    raise FileExistsError(name)


def move_free(source: Path, folder: Path, name: str | None = None, point: str = "input.move",
              target: Path | None = None) -> Path:
    """Move a file into ``folder`` under its name, or «name (2).ext» if taken; never overwrite."""
    folder.mkdir(parents=True, exist_ok=True)
    target = target or free_name(folder, clean_name(name or source.name))
    with durable(point):
        shutil.move(str(source), str(target))
    return target
