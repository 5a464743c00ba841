"""docgen as a long-running service: its log (Russian, rotated) and a clean stop on SIGTERM/SIGINT.

The log goes to stderr (the journal under systemd) and, in a workspace, to
``.docgen/docgen.log``, rotated at ``LOG_MAX_BYTES`` with ``LOG_BACKUPS`` old
files kept. Lines are Russian: processing events (``docgen.faults.step``)
carry their Russian wording, and level names are Russian too. Other
libraries speak only from WARNING up (``--verbose``: everything).

``stop_on_signals`` turns the first SIGTERM or SIGINT into a request to stop
after the current file (the watcher finishes it, takes no other, and the
pipeline then closes LibreOffice); a second SIGINT (Ctrl+C twice) interrupts
at once, and whatever file was in hand is taken back at the next start.
"""
from __future__ import annotations

import logging
import logging.handlers
import signal
import sys
from pathlib import Path
from typing import Callable

from .names import EscapingFormatter

log = logging.getLogger("docgen")

LOG_NAME = "docgen.log"
LOG_MAX_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 5
LEVEL_NAMES = {"DEBUG": "отладка", "INFO": "сведения", "WARNING": "внимание", "ERROR": "ошибка", "CRITICAL": "авария"}


class RussianFormatter(EscapingFormatter):
    """Russian level names, and the Russian wording a record carries in ``russian`` (processing events);
    control characters escaped, so a newline in a file name cannot forge a log line."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.levelname = LEVEL_NAMES.get(record.levelname, record.levelname)
        russian = getattr(record, "russian", None)
        if russian:
            record.msg, record.args = russian, None
        return super().format(record)


def configure_logging(state_dir: Path | None, verbose: bool = False) -> None:
    """Log to stderr and, when ``state_dir`` is given, to its rotated ``docgen.log``."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if state_dir is not None:
        state_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            state_dir / LOG_NAME, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8",
            errors="backslashreplace"))
    formatter = RussianFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in handlers:
        handler.setFormatter(formatter)
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, handlers=handlers, force=True)
    log.setLevel(logging.DEBUG if verbose else logging.INFO)


def stop_on_signals(stop: Callable[[], None]) -> None:
    """The first SIGTERM or SIGINT calls ``stop``; a second SIGINT raises KeyboardInterrupt."""
    asked: list[str] = []

    def handler(signum, frame) -> None:
        name = signal.Signals(signum).name
        if asked and signum == signal.SIGINT:
            raise KeyboardInterrupt
        if not asked:
            log.info("получен сигнал %s: дообрабатываю текущий файл и останавливаюсь", name)
        asked.append(name)
        stop()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, handler)


def interrupt_on_sigterm() -> None:
    """For one-shot commands: SIGTERM unwinds like Ctrl+C, so LibreOffice is closed on the way out."""
    def handler(signum, frame) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
