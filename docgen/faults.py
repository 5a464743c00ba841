"""Processing events: one log line per step, and pause points for fault-injection tests.

Every step of the pipeline calls ``step(event, file, number)``: it writes one
log line («numbered: «Приказ.json» № 5-од») that names the input file and the
registration number, never personal data. The same call is a pause point:
with ``DOCGEN_PAUSE_AT=<event>`` in the environment the process stops itself
there, by ``SIGKILL`` (``DOCGEN_PAUSE_MODE=kill``, the default: a crash as
``kill -9`` makes it) or ``SIGSTOP`` (``DOCGEN_PAUSE_MODE=stop``: frozen but
alive, holding its locks). The crash sweep in tests/test_crash_sweep.py kills
the pipeline at each step in turn this way.
"""
from __future__ import annotations

import logging
import os
import signal

from .names import escape_controls

log = logging.getLogger("docgen.events")

PAUSE_AT = "DOCGEN_PAUSE_AT"
PAUSE_MODE = "DOCGEN_PAUSE_MODE"

# The steps, in processing order. "stable" is logged by the inbox watcher.
STEPS = ("received", "stable", "claimed", "validated", "numbered", "rendered", "converted", "published",
         "finishing", "done", "failed")
# Pause points that log nothing: "moved" (the input is in processed/, the register not yet told).
# How the admin's log says each step (docgen.service formats records with this wording; the record's own
# message keeps the step id, which tests and tools read).
RUSSIAN_STEPS = {
    "received": "получен", "stable": "не меняется, беру в работу", "claimed": "взят в работу",
    "validated": "проверен", "numbered": "номер выдан", "rendered": "DOCX собран", "converted": "PDF сделан",
    "published": "выложен в outbox", "finishing": "завершаю", "done": "готово", "failed": "не обработан",
}


def step(event: str, file: str, number: str | None = None, detail: str = "") -> None:
    """Log one processing event and stop here if a test asked to."""
    where = f"«{escape_controls(file)}»" + (f" № {number}" if number else "") + (f" ({detail})" if detail else "")
    russian = f"{RUSSIAN_STEPS.get(event, event)}: {where}"
    (log.warning if event == "failed" else log.info)(f"{event}: {where}", extra={"russian": russian})
    pause_if_asked(event)


def pause_if_asked(event: str) -> None:
    if os.environ.get(PAUSE_AT) != event:
        return
    for handler in logging.getLogger().handlers:
        handler.flush()
    mode = os.environ.get(PAUSE_MODE, "kill")
    os.kill(os.getpid(), signal.SIGSTOP if mode == "stop" else signal.SIGKILL)
