"""The workspace and its ``docgen.toml``: organisation, director, series, inbox and PDF options.

A workspace is a folder with ``docgen.toml``, ``inbox/`` and ``outbox/``;
``Workspace`` knows every path docgen uses inside it.
"""
from __future__ import annotations

import copy
import importlib.metadata
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config_schema import CONFIG_NAME, CONFIG_SCHEMA, check_config
from .errors import DocgenError

PLACEHOLDER = "ЗАПОЛНИТЕ"  # how `docgen init` marks the values the school must write in (docgen.workspace_init)


@dataclass(frozen=True)
class Series:
    """A numbering series: its pattern and the day its year starts (MM-DD)."""

    key: str
    title: str
    pattern: str = "{n}"
    year_start: str = "01-01"
    starts: tuple[tuple[int, int], ...] = ()  # ``start = {2026 = 53}``: the first automatic number of a year
    allow_out_of_order: bool = False  # a document dated before the latest one is registered, marked out of order


@dataclass(frozen=True)
class InboxOptions:
    polling: bool = False
    poll_interval: float = 2.0
    stability_delay: float = 1.0
    rescan_interval: float = 30.0
    empty_file_timeout: float = 300.0
    max_file_mb: float = 20.0
    parse_timeout: float = 60.0  # seconds one file's parsing may take (in a child process)
    parse_memory_mb: int = 1024  # address space of that child process


@dataclass(frozen=True)
class ConversionOptions:
    """``[conversion]``: how PDFs are made (see docgen.pdf.converter)."""

    enabled: bool = True
    workers: int = 0  # warm LibreOffice instances; 0: one per core
    timeout: float = 120.0  # seconds one document may take before LibreOffice is killed
    restart_after: int = 200  # documents before an instance is restarted (memory growth)
    pdfa: bool = False  # PDF/A-2b (SelectPdfVersion=2)
    combine: int = 10  # up to this many documents of one template converted as one (docgen.pdf.batch); 1: each alone
    soffice: str = ""  # path to soffice; "" finds it on PATH
    warm: bool = True  # keep LibreOffice running; false: a cold soffice run per document
    uno_python: str = ""  # a Python with the uno module for the warm bridge; "" finds one
    servers: tuple[str, ...] = ()  # remote unoserver converters «host:port» beside the local pool (docgen.pdf.remote)


@dataclass
class Settings:
    """The validated ``docgen.toml``: organisation, director, series, options; ``plugin_config(name)`` is a plugin's own table."""
    organization: dict
    director: dict
    series: dict[str, Series]
    documents: dict[str, str]
    inbox: InboxOptions = field(default_factory=InboxOptions)
    conversion: ConversionOptions = field(default_factory=ConversionOptions)
    raw: dict = field(default_factory=dict)
    demo: bool = False  # the invented demo school (the repository's own workspace, `docgen init --demo`)

    def unfilled(self) -> list[str]:
        """The organisation's and director's keys still holding the «ЗАПОЛНИТЕ: …» text `docgen init` wrote."""
        return [f"[{name}] {key}" for name, table in (("organization", self.organization), ("director", self.director))
                for key, value in table.items() if isinstance(value, str) and PLACEHOLDER in value]

    def require_filled_in(self) -> None:
        """Refuse to issue anything while the organisation or the director is still a placeholder."""
        unfilled = self.unfilled()
        if unfilled:
            by_section: dict[str, list[str]] = {}
            for path in unfilled:
                section, key = path.split(" ", 1)
                by_section.setdefault(section, []).append(key)
            keys = "; ".join(f"{section} {', '.join(names)}" for section, names in by_section.items())
            raise DocgenError(
                f"В {CONFIG_NAME} не заполнены реквизиты школы: {keys}. Откройте {CONFIG_NAME} "
                "в Блокноте и впишите их вместо строк «ЗАПОЛНИТЕ: …» (ненужное можно оставить пустым: \"\"). "
                "До этого docgen не выдаёт номеров и не делает документов."
            )

    def plugin_config(self, name: str) -> dict[str, Any]:
        """A plugin's own table of ``docgen.toml`` (``[name]``, named as the plugin), as a copy; ``{}`` without one.

        docgen accepts the table for every plugin it finds (``config_schema.schema_with_plugins``) and leaves
        its keys to the plugin; a core section (``organization``, ``series``, …) is not a plugin's to read.
        """
        if name in CONFIG_SCHEMA["properties"]:
            raise DocgenError(f"Раздел [{name}] файла {CONFIG_NAME} — настройки самой программы, а не плагина.")
        table = self.raw.get(name, {})
        if not isinstance(table, dict):
            raise DocgenError(f"В {CONFIG_NAME} «{name}» должен быть разделом [{name}] с настройками плагина.")
        return copy.deepcopy(table)

    def series_for(self, type_id: str, default: str | None) -> Series | None:
        """The series a document type is numbered in, or None if it is not numbered."""
        key = self.documents.get(type_id, default)
        if not key:
            return None
        try:
            return self.series[key]
        except KeyError:
            raise DocgenError(
                f"В docgen.toml для типа «{type_id}» указана серия «{key}», но раздела [series.{key}] нет."
            ) from None


STATE_VARIABLE = "DOCGEN_STATE_DIR"


@dataclass(frozen=True)
class Workspace:
    """Paths of one workspace."""

    root: Path

    @classmethod
    def locate(cls, explicit: str | os.PathLike | None = None) -> "Workspace":
        root = explicit or os.environ.get("DOCGEN_WORKSPACE") or os.getcwd()
        return cls(Path(root).resolve())

    @property
    def config(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def processed(self) -> Path:
        return self.inbox / "processed"

    @property
    def failed(self) -> Path:
        return self.inbox / "failed"

    @property
    def processing(self) -> Path:
        return self.inbox / ".processing"

    @property
    def state(self) -> Path:
        """The worker's own folder (log, locks, LibreOffice profile): ``.docgen``, or ``$DOCGEN_STATE_DIR`` for one of
        several workers serving one workspace (each its own, e.g. on a local disk when the workspace is a share)."""
        own = os.environ.get(STATE_VARIABLE)
        return Path(own) if own else self.root / ".docgen"

    @property
    def register(self) -> Path:
        return self.root / "register.sqlite"

    @property
    def plugins(self) -> Path:
        return self.root / "plugins"

    def ensure(self) -> None:
        for folder in (self.inbox, self.outbox, self.processed, self.failed, self.processing, self.state):
            if (folder.is_symlink() or folder.exists()) and not folder.is_dir():
                set_aside_blocker(folder)
            folder.mkdir(parents=True, exist_ok=True)

    def require(self) -> None:
        """Refuse a folder that is not a workspace (no ``docgen.toml``), creating nothing in it."""
        if not self.config.is_file():
            raise DocgenError(
                f"Папка {self.root} — не рабочая папка docgen: в ней нет файла {CONFIG_NAME}. Укажите рабочую папку "
                f"(--workspace ПАПКА или переменная DOCGEN_WORKSPACE) или создайте новую: «docgen init {self.root}»."
            )

    def load_settings(self, plugin_names: Iterable[str] = ()) -> Settings:
        """The validated settings of ``docgen.toml`` (``ConfigError`` lists every problem in Russian).

        A plugin's own section is allowed for every installed plugin, every plugin in the
        workspace's ``plugins/`` and each of ``plugin_names`` (plugins added in memory).
        """
        self.require()
        return settings_from_dict(read_config(self.config, {*plugin_section_names(self.plugins), *plugin_names}))


def plugin_section_names(workspace_plugins: Path) -> set[str]:
    """Names a plugin's own ``docgen.toml`` section may have, found without importing any plugin."""
    names = {entry_point.name for entry_point in importlib.metadata.entry_points(group="docgen")}
    if workspace_plugins.is_dir():
        names |= {entry.stem for entry in workspace_plugins.iterdir() if not entry.name.startswith(("_", "."))
                  and (entry.suffix == ".py" or (entry / "__init__.py").exists())}
    return names


def read_config(path: Path, plugin_sections: Iterable[str] = ()) -> dict:
    """Parse and validate ``docgen.toml``; its problems as a Russian ``DocgenError``."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise DocgenError(f"Файл {CONFIG_NAME} сохранён не в UTF-8. Откройте его в Блокноте и сохраните "
                          "в кодировке UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise DocgenError(f"{CONFIG_NAME}, {toml_position(str(exc))}: ошибка записи — проверьте кавычки, знак «=» "
                          f"и скобки разделов ({exc}).") from None
    check_config(raw, set(plugin_sections))
    return raw


def toml_position(message: str) -> str:
    """«строка 3, позиция 5» from tomllib's «… (at line 3, column 5)»."""
    match = re.search(r"at line (\d+), column (\d+)", message)
    if match:
        return f"строка {match.group(1)}, позиция {match.group(2)}"
    return "конец файла" if "end of document" in message else "место не определено"


def set_aside_blocker(folder: Path) -> None:
    """A file lying where docgen needs a folder («inbox/.processing» dropped as a file) is renamed, not lost."""
    import logging
    import time

    target = folder.with_name(f"{folder.name}.не-папка-{time.strftime('%Y%m%d-%H%M%S')}")
    folder.rename(target)
    logging.getLogger("docgen").warning("на месте папки %s лежал файл; переименован в %s", folder.name, target.name)


def series_starts(key: str, value) -> tuple[tuple[int, int], ...]:
    """``start = {2026 = 53}`` of ``[series.KEY]``: per numbering year, the first number docgen gives itself."""
    example = f"[series.{key}] start = {{ 2026 = 53 }}"
    if not isinstance(value, dict):
        raise DocgenError(f"В {CONFIG_NAME} в разделе [series.{key}] параметр start задаётся по годам, "
                          f"например: {example} (с какого номера продолжить в 2026 году).")
    starts = []
    for year, start in value.items():
        if not (str(year).isdigit() and len(str(year)) == 4) or not isinstance(start, int) or isinstance(start, bool) \
                or start < 1:
            raise DocgenError(f"В {CONFIG_NAME} в разделе [series.{key}] неверное значение start: «{year} = {start}». "
                              f"Нужен год из четырёх цифр и номер не меньше 1, например: {example}.")
        starts.append((int(year), start))
    return tuple(sorted(starts))


def settings_from_dict(raw: dict) -> Settings:
    """Build ``Settings`` from the parsed ``docgen.toml`` (``read_config`` has validated it against the schema)."""
    organization = dict(raw.get("organization", {}))
    director = dict(raw.get("director", {}))
    if not organization.get("name"):
        raise DocgenError(f"В {CONFIG_NAME} не указано полное наименование организации ([organization] name).")
    if not director.get("name"):
        raise DocgenError(f"В {CONFIG_NAME} не указан руководитель ([director] name).")
    director.setdefault("position", "Директор")
    series = {
        key: Series(
            key=key,
            title=str(value.get("title", key)),
            pattern=str(value.get("format", "{n}")),
            year_start=str(value.get("year_start", "01-01")),
            starts=series_starts(key, value.get("start", {})),
            allow_out_of_order=bool(value.get("allow_out_of_order", False)),
        )
        for key, value in raw.get("series", {}).items()
    }
    return Settings(
        organization=organization,
        director=director,
        series=series,
        documents={k: str(v) for k, v in raw.get("documents", {}).items()},
        inbox=InboxOptions(**raw.get("inbox", {})),
        conversion=ConversionOptions(**raw.get("conversion", {})),
        raw=raw,
        demo=bool(raw.get("demo", False)),
    )
