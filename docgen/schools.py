"""Many schools, one service: every workspace under a folder served by one process, sharing one converter.

``docgen watch --workspaces DIR`` (or ``[service] workspaces = [DIR, …]`` in
the service's own ``docgen.toml``) serves each workspace it finds: an entry is
either a workspace itself (it holds ``docgen.toml``) or a folder whose
subfolders with a ``docgen.toml`` are workspaces. The service's own workspace
(``--workspace``, e.g. the education department's) is served too when it has
a ``docgen.toml``: it issues the department's documents like any school.

Each workspace gets its own ``Pipeline``, built exactly as ``docgen watch``
builds one in that folder: its own settings (organisation, director, series),
plugin manager (its ``plugins/`` loaded under a module name of its own path),
register, inbox, outbox and reports, and its own watcher thread. Only the
converter is shared: one pool of warm LibreOffice (and ``[conversion]
servers``) configured by the service's ``[conversion]``, with its profiles in
the service's ``.docgen/``; the schools' own ``[conversion]`` is not used here.

A workspace that cannot be served (a broken ``docgen.toml``, details not
filled in) is reported in Russian and skipped; the others are served. It is
tried again when its ``docgen.toml`` changes. A workspace whose journal does not
answer yet (its PostgreSQL is down) is not refused: it is said in Russian and
tried again at every scan, claiming nothing meanwhile. A workspace folder that appears
later is picked up by the next scan (``[service] rescan`` seconds, 30 by
default). Every log line says whose it is: «[school-7] …».
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .pdf.converter import Converter
from .errors import DocgenError
from .inbox import InboxWatcher
from .settings import ConversionOptions, Settings, Workspace

if TYPE_CHECKING:
    from .pipeline import Pipeline

log = logging.getLogger("docgen.schools")

RESCAN_SECONDS = 30.0
_current = threading.local()


@dataclass(frozen=True)
class ServiceOptions:
    """``[service]`` of the service's ``docgen.toml``: which workspaces to serve and how often to look for new ones."""

    workspaces: tuple[str, ...] = ()
    rescan: float = RESCAN_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings | None) -> "ServiceOptions":
        raw = settings.raw.get("service", {}) if settings is not None else {}
        return cls(tuple(raw.get("workspaces", ())), float(raw.get("rescan", RESCAN_SECONDS)))


def find_workspaces(entries: list[Path]) -> list[Path]:
    """Workspace folders named by ``entries``: each a workspace itself or a folder of workspaces (sorted, unique)."""
    found: dict[Path, None] = {}
    for entry in entries:
        entry = Path(entry).resolve()
        if Workspace(entry).config.is_file():
            found[entry] = None
            continue
        try:
            children = sorted(p for p in entry.iterdir() if p.is_dir() and not p.name.startswith("."))
        except OSError as exc:
            log.error("папка рабочих папок школ «%s» недоступна (%s); проверю её снова позже", entry, exc)
            continue
        for child in children:
            if Workspace(child).config.is_file():
                found[child] = None
    return list(found)


class SchoolTag(logging.Filter):
    """Prefixes a log line with the workspace folder of the thread that wrote it: «[school-7] …»."""

    def filter(self, record: logging.LogRecord) -> bool:
        school = getattr(_current, "school", None)
        if school and not getattr(record, "school_tagged", False):
            record.school_tagged = True
            if getattr(record, "russian", None):
                record.russian = f"[{school}] {record.russian}"
            else:
                record.msg = f"[{school}] {record.msg}"
        return True


def tag_log_lines() -> None:
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, SchoolTag) for f in handler.filters):
            handler.addFilter(SchoolTag())


@dataclass
class ServedSchool:
    """One workspace in service: its pipeline, its watcher and the thread the watcher runs in."""

    workspace: Workspace
    pipeline: "Pipeline"
    watcher: InboxWatcher
    thread: threading.Thread | None = None
    stop_signed: threading.Event | None = None

    @property
    def name(self) -> str:
        return self.workspace.root.name


@dataclass
class SchoolsService:
    """Finds the workspaces, serves each in its own thread, looks for new ones every ``rescan`` seconds."""

    entries: list[Path]
    converter: Converter
    report: Callable[[str, object], None]
    home: Workspace | None = None
    polling: bool | None = None
    rescan: float = RESCAN_SECONDS
    signed_poller: Callable | None = None  # (workspace, settings) -> stop event, as `docgen watch` starts one
    served: dict[Path, ServedSchool] = field(default_factory=dict)
    refused: dict[Path, float] = field(default_factory=dict)  # workspace → mtime of the docgen.toml refused
    stop_event: threading.Event = field(default_factory=threading.Event)

    def roots(self) -> list[Path]:
        home = [self.home.root] if self.home is not None and self.home.config.is_file() else []
        return list(dict.fromkeys(home + find_workspaces(self.entries)))

    def scan(self) -> None:
        """Serve every workspace not yet served; retry a refused one only when its docgen.toml has changed."""
        for root in self.roots():
            if self.stop_event.is_set():
                return
            if root in self.served or self.refused.get(root) == config_mtime(root):
                continue
            self.serve(Workspace(root))

    def serve(self, workspace: Workspace) -> None:
        from .pipeline import Pipeline
        from .register import RegisterUnavailable

        _current.school = workspace.root.name
        try:
            pipeline = Pipeline(workspace, converter=self.converter)
        except RegisterUnavailable as exc:  # a database that is down comes back: try again at the next scan
            log.warning("%s Рабочая папка «%s» пока не обслуживается; повторю через %.0f с.",
                        exc.russian(), workspace.root, self.rescan)
            return
        except (DocgenError, OSError) as exc:
            self.refused[workspace.root] = config_mtime(workspace.root)
            why = exc.russian() if isinstance(exc, DocgenError) else f"нет доступа к файлам папки ({exc})"
            log.error("рабочая папка «%s» не обслуживается, пока её не исправят: %s", workspace.root, why)
            return
        finally:
            _current.school = None
        self.refused.pop(workspace.root, None)
        school = ServedSchool(workspace, pipeline, InboxWatcher(
            workspace.inbox, lambda path: self.report(workspace.root.name, pipeline.process(path)),
            pipeline.settings.inbox, workspace.failed, polling=self.polling))
        school.thread = threading.Thread(target=self.run_school, args=(school,), name=f"docgen-{school.name}",
                                         daemon=True)
        self.served[workspace.root] = school
        school.thread.start()

    def run_school(self, school: ServedSchool) -> None:
        """The thread of one workspace: recovery after a crash, then its watch loop until the service stops."""
        _current.school = school.name
        try:
            for outcome in school.pipeline.recover():
                self.report(school.name, outcome)
            if self.signed_poller is not None:
                school.stop_signed = self.signed_poller(school.workspace, school.pipeline.settings)
            if school.pipeline.settings.demo:
                log.warning("рабочая папка демонстрационная (demo = true): документы выходят с реквизитами "
                            "вымышленной школы")
            log.info("слежу за папкой %s", school.workspace.inbox)
            school.watcher.run()
        except Exception:  # one school's failure must not end the others
            log.exception("рабочая папка «%s» остановлена из-за сбоя; остальные обслуживаются", school.workspace.root)
        finally:
            if school.stop_signed is not None:
                school.stop_signed.set()
            school.pipeline.close()

    def run(self, max_seconds: float | None = None) -> None:
        """Serve until ``stop()`` (or for ``max_seconds``), then stop every school and wait for each."""
        self.converter.warm_up()
        deadline = None if max_seconds is None else time.monotonic() + max_seconds
        try:
            while not self.stop_event.is_set():
                self.scan()
                left = self.rescan if deadline is None else min(self.rescan, deadline - time.monotonic())
                if left <= 0 or self.stop_event.wait(left):
                    break
        finally:
            self.stop_schools()

    def stop(self) -> None:
        self.stop_event.set()
        for school in list(self.served.values()):
            school.watcher.stop()

    def stop_schools(self) -> None:
        self.stop()
        for school in list(self.served.values()):
            if school.thread is not None:
                school.thread.join()


def config_mtime(root: Path) -> float:
    try:
        return Workspace(root).config.stat().st_mtime
    except OSError:
        return 0.0


def shared_converter(home: Workspace | None, home_settings: Settings | None, entries: list[Path]) -> Converter:
    """The one converter of the service: the home workspace's ``[conversion]``, profiles in its ``.docgen/``."""
    options = home_settings.conversion if home_settings is not None else ConversionOptions()
    state = home.state if home is not None and home.config.is_file() else Path(entries[0]).resolve() / ".docgen"
    return Converter(options, state)


__all__ = ["SchoolsService", "ServiceOptions", "find_workspaces", "shared_converter", "tag_log_lines"]
