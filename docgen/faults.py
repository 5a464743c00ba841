"""Processing events, and the one gate every durable operation passes through (the fault points).

Every step of the pipeline calls ``step(event, file, number)``: it writes one
log line («numbered: «Приказ.json» № 5-од») that names the input file and the
registration number, never personal data. The same call is a pause point:
with ``DOCGEN_PAUSE_AT=<event>`` in the environment the process stops itself
there, by ``SIGKILL`` (``DOCGEN_PAUSE_MODE=kill``, the default: a crash as
``kill -9`` makes it) or ``SIGSTOP`` (``DOCGEN_PAUSE_MODE=stop``: frozen but
alive, holding its locks).

Every durable operation (a rename or link into a final name, an fsync, a
register commit, a move of an input between inbox/, .processing/,
processed/ and failed/, a file removed from outbox/) runs inside
``durable("<point>")``::

    with durable("publish.link"):
        os.link(tmp, target)

Each entry counts an occurrence of its point in this process. With
``DOCGEN_FAULT_AT=<point>#<n>`` (``:before`` or ``:after``, the default) the
process kills itself (or freezes, by ``DOCGEN_PAUSE_MODE``) right after (or
before) the n-th occurrence of that point; with ``DOCGEN_FAULT_TRACE=<file>``
it appends «<point>#<n>» to the file for every occurrence that completed. The
crash sweep (tests/test_crash_sweep.py) records the points of a run and then
kills at each one in turn; tests/test_durable_gate.py fails when a durable
operation happens outside this gate.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from .names import escape_controls

log = logging.getLogger("docgen.faults")  # the processing events of step() and the fault gate

PAUSE_AT = "DOCGEN_PAUSE_AT"
PAUSE_MODE = "DOCGEN_PAUSE_MODE"
FAULT_AT = "DOCGEN_FAULT_AT"
FAULT_TRACE = "DOCGEN_FAULT_TRACE"

# The steps, in processing order. "stable" is logged by the inbox watcher.
STEPS = ("received", "stable", "claimed", "validated", "numbered", "replaced", "rendered", "converted", "published",
         "finishing", "done", "failed")
# Pause points that log nothing: "moved" (the input is in processed/, the register not yet told);
# "setting_aside" (a number is voided or a document corrected in the register, its files not yet moved
# to outbox/Аннулированные/ or outbox/Заменённые/: docgen/setaside.py); "reserving" (inside the
# transaction of «docgen register reserve», before its commit); "signed" (inside «mark_signed»);
# "numbering" (inside the transaction that issues an input's numbers, before its commit).
# How the admin's log says each step (docgen.service formats records with this wording; the record's own
# message keeps the step id, which tests and tools read).
RUSSIAN_STEPS = {
    "received": "получен", "stable": "не меняется, беру в работу", "claimed": "взят в работу",
    "validated": "проверен", "numbered": "номер выдан", "replaced": "прежняя версия отложена в Заменённые",
    "draft": "открыт в редакторе, жду закрытия", "rendered": "DOCX собран", "converted": "PDF сделан",
    "published": "выложен в outbox", "finishing": "завершаю", "done": "готово", "failed": "не обработан",
}

_counts: dict[str, int] = {}
_counts_lock = threading.Lock()
_local = threading.local()


def step(event: str, file: str, number: str | None = None, detail: str = "") -> None:
    """Log one processing event and stop here if a test asked to."""
    where = f"«{escape_controls(file)}»" + (f" № {number}" if number else "") + (f" ({detail})" if detail else "")
    russian = f"{RUSSIAN_STEPS.get(event, event)}: {where}"
    (log.warning if event == "failed" else log.info)(f"{event}: {where}", extra={"russian": russian})
    pause_if_asked(event)


def pause_if_asked(event: str) -> None:
    if os.environ.get(PAUSE_AT) == event:
        stop_here()


def stop_here() -> None:
    """Die as ``kill -9`` makes a process die (or freeze, with DOCGEN_PAUSE_MODE=stop), logs flushed first."""
    for handler in logging.getLogger().handlers:
        handler.flush()
    mode = os.environ.get(PAUSE_MODE, "kill")
    os.kill(os.getpid(), signal.SIGSTOP if mode == "stop" else signal.SIGKILL)


def inside_durable() -> bool:
    """Whether the calling thread is inside a ``durable()`` block (the gate test asks this)."""
    return getattr(_local, "depth", 0) > 0


def fault_target() -> tuple[str, int, str] | None:
    """(point, occurrence, "before"|"after") from DOCGEN_FAULT_AT, or None."""
    text = os.environ.get(FAULT_AT, "").strip()
    if not text:
        return None
    text, _, when = text.partition(":")
    point, _, occurrence = text.partition("#")
    return point, int(occurrence or 1), when or "after"


@contextmanager
def durable(point: str) -> Iterator[None]:
    """The gate of one durable operation: a named fault point the crash sweep can stop at."""
    with _counts_lock:
        occurrence = _counts[point] = _counts.get(point, 0) + 1
    target = fault_target()
    hit = target is not None and target[:2] == (point, occurrence)
    if hit and target[2] == "before":
        stop_here()
    _local.depth = getattr(_local, "depth", 0) + 1
    try:
        yield
    finally:
        _local.depth -= 1
    record(point, occurrence)
    if hit:
        stop_here()


def record(point: str, occurrence: int) -> None:
    trace = os.environ.get(FAULT_TRACE)
    if trace:
        with open(trace, "a", encoding="utf-8") as handle:
            handle.write(f"{point}#{occurrence}\n")
