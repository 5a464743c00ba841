"""The workspace and its ``docgen.toml``: organisation, director, series, inbox and PDF options.

A workspace is a folder with ``docgen.toml``, ``inbox/`` and ``outbox/``;
``Workspace`` knows every path docgen uses inside it.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DocgenError

CONFIG_NAME = "docgen.toml"


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


@dataclass(frozen=True)
class ConversionOptions:
    """``[conversion]``: how PDFs are made (see docgen.conversion)."""

    enabled: bool = True
    workers: int = 0  # warm LibreOffice instances; 0: one per core
    timeout: float = 120.0  # seconds one document may take before LibreOffice is killed
    restart_after: int = 200  # documents before an instance is restarted (memory growth)
    pdfa: bool = False  # PDF/A-2b (SelectPdfVersion=2)
    soffice: str = ""  # path to soffice; "" finds it on PATH
    warm: bool = True  # keep LibreOffice running; false: a cold soffice run per document
    uno_python: str = ""  # a Python with the uno module for the warm bridge; "" finds one


@dataclass
class Settings:
    organization: dict
    director: dict
    series: dict[str, Series]
    documents: dict[str, str]
    inbox: InboxOptions = field(default_factory=InboxOptions)
    conversion: ConversionOptions = field(default_factory=ConversionOptions)
    raw: dict = field(default_factory=dict)

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
        return self.root / ".docgen"

    @property
    def register(self) -> Path:
        return self.root / "register.sqlite"

    @property
    def plugins(self) -> Path:
        return self.root / "plugins"

    def ensure(self) -> None:
        for folder in (self.inbox, self.outbox, self.processed, self.failed, self.processing, self.state):
            folder.mkdir(parents=True, exist_ok=True)

    def load_settings(self) -> Settings:
        if not self.config.exists():
            raise DocgenError(
                f"В папке {self.root} нет файла {CONFIG_NAME}. Создайте рабочую папку командой «docgen init {self.root}»."
            )
        try:
            raw = tomllib.loads(self.config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DocgenError(f"Файл {CONFIG_NAME} содержит ошибку: {exc}") from None
        return settings_from_dict(raw)


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
    """Build ``Settings`` from the parsed ``docgen.toml``."""
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
    )
