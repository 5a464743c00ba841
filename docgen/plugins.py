"""Loading plugins and calling hooks: the plugin manager and a typed facade over it.

Plugins come from three places, in this order (a later one wins):
1. the built-in types in the repository's ``plugins/`` folder and docgen's own
   default hook implementations;
2. installed packages declaring an entry point in group ``docgen``;
3. ``.py`` files and packages in the workspace's ``plugins/`` folder.
A plugin that fails to import or implements a hook that does not exist is
reported by name (``docgen plugins``) and left out; the rest keep working.
"""
from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs
from .doctypes import DocumentType, TypeRegistry

log = logging.getLogger("docgen.plugins")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILTIN_PLUGINS_DIR = PROJECT_ROOT / "plugins"
BUILTIN_TEMPLATES_DIR = PROJECT_ROOT / "doc_templates"
DEFAULT_PLUGINS = ("docgen.reading", "docgen.numbering", "docgen.rendering", "docgen.vocabulary")
ENTRY_POINT_GROUP = "docgen"


@dataclass
class PluginInfo:
    """One loaded (or refused) plugin, as ``docgen plugins`` shows it."""

    name: str
    origin: str  # built-in | entry point | workspace
    location: str
    error: str = ""
    templates: str = ""


class Hooks:
    """A typed facade: the only way the core calls hooks (always by keyword)."""

    def __init__(self, pm: pluggy.PluginManager, infos: list[PluginInfo], workspace_template_dirs: list[Path]):
        self.pm = pm
        self.infos = infos
        self._workspace_template_dirs = workspace_template_dirs
        self._registry: TypeRegistry | None = None
        self._filters: dict | None = None

    @property
    def broken(self) -> list[PluginInfo]:
        return [i for i in self.infos if i.error]

    def registry(self) -> TypeRegistry:
        if self._registry is None:
            registry = TypeRegistry()
            self.pm.hook.docgen_register_types(registry=registry)
            for doc_type in registry.all():
                self.pm.hook.docgen_extend_schema(doc_type=doc_type, schema=doc_type.schema)
            self._registry = registry
        return self._registry

    def closed_lists(self) -> dict[str, list[str]]:
        merged: dict[str, list[str]] = {}
        for result in reversed(self.pm.hook.docgen_closed_lists()):
            for name, values in (result or {}).items():
                items = merged.setdefault(name, [])
                items.extend(v for v in values if v not in items)
        return merged

    def read_input(self, path: Path, settings: Any) -> list:
        return self.pm.hook.docgen_read_input(path=path, registry=self.registry(), settings=settings)

    def check_document(self, doc_type: DocumentType, data: dict) -> list:
        problems: list = []
        for result in self.pm.hook.docgen_check_document(doc_type=doc_type, data=data):
            problems.extend(result or [])
        return problems

    def format_number(self, series: str, year: int, sequence: int, pattern: str, data: dict) -> str:
        return self.pm.hook.docgen_format_number(
            series=series, year=year, sequence=sequence, pattern=pattern, data=data
        )

    def template_dirs(self) -> list[Path]:
        dirs = list(self._workspace_template_dirs)
        for result in self.pm.hook.docgen_template_dirs():
            dirs.extend(Path(d) for d in result or [])
        unique: list[Path] = []
        for d in dirs:
            if d not in unique:
                unique.append(d)
        return unique

    def jinja_filters(self) -> dict:
        if self._filters is None:
            filters: dict = {}
            for result in reversed(self.pm.hook.docgen_jinja_filters()):
                filters.update(result or {})
            self._filters = filters
        return self._filters

    def update_context(self, doc_type: DocumentType, data: dict, context: dict) -> None:
        self.pm.hook.docgen_update_context(doc_type=doc_type, data=data, context=context)

    def render_document(self, template_path: Path, context: dict, output_path: Path) -> None:
        self.pm.hook.docgen_render_document(
            template_path=template_path, context=context, output_path=output_path, filters=self.jinja_filters()
        )

    def document_published(self, document: dict, files: list[Path], settings: Any) -> None:
        try:
            self.pm.hook.docgen_document_published(document=document, files=files, settings=settings)
        except Exception as exc:  # a post-processing plugin must not undo publishing
            log.error("Дополнительная обработка документа %s не удалась: %s", document.get("number"), exc)


def unknown_hooks(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    """Names of ``docgen_*`` functions in a plugin for which no hook exists (misspellings)."""
    return sorted(
        name for name in dir(plugin)
        if name.startswith("docgen_") and callable(getattr(plugin, name)) and not hasattr(pm.hook, name)
    )


def _register(pm: pluggy.PluginManager, plugin: object, info: PluginInfo, infos: list[PluginInfo]) -> None:
    misspelt = unknown_hooks(pm, plugin)
    if misspelt:
        info.error = "неизвестные хуки: " + ", ".join(misspelt) + " (опечатка в имени?)"
        log.error("Плагин %s не загружен: %s", info.name, info.error)
    else:
        try:
            pm.register(plugin, name=info.name)
        except Exception as exc:
            info.error = f"{type(exc).__name__}: {exc}"
            log.error("Плагин %s не загружен: %s", info.name, info.error)
    infos.append(info)


def _import_file(module_name: str, path: Path) -> ModuleType:
    """Import a plugin from a ``.py`` file or a package folder under a unique module name."""
    target = path / "__init__.py" if path.is_dir() else path
    locations = [str(path)] if path.is_dir() else None
    spec = importlib.util.spec_from_file_location(module_name, target, submodule_search_locations=locations)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def _plugin_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(("_", ".")):
            continue
        if entry.suffix == ".py" or (entry.is_dir() and (entry / "__init__.py").exists()):
            found.append(entry)
    return found


def _load_folder(pm, folder: Path, prefix: str, origin: str, infos: list[PluginInfo]) -> None:
    for path in _plugin_files(folder):
        name = f"{prefix}{path.stem}"
        info = PluginInfo(name=path.stem, origin=origin, location=str(path))
        try:
            module = _import_file(name, path)
        except Exception as exc:
            info.error = f"{type(exc).__name__}: {exc}"
            log.error("Плагин %s (%s) не загружен: %s", path.stem, path, info.error)
            infos.append(info)
            continue
        _register(pm, module, info, infos)


def _load_entry_points(pm, infos: list[PluginInfo]) -> None:
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist.name if entry_point.dist else "?"
        info = PluginInfo(name=entry_point.name, origin="entry point", location=f"{dist}: {entry_point.value}")
        try:
            plugin = entry_point.load()
        except Exception as exc:
            info.error = f"{type(exc).__name__}: {exc}"
            log.error("Плагин %s не загружен: %s", entry_point.name, info.error)
            infos.append(info)
            continue
        _register(pm, plugin, info, infos)


def workspace_template_dirs(folder: Path) -> list[Path]:
    """``plugins/doc_templates`` and ``plugins/<package>/doc_templates`` of a workspace."""
    if not folder.is_dir() or folder.resolve() == BUILTIN_PLUGINS_DIR:
        return []
    dirs = [folder / "doc_templates"] + [p / "doc_templates" for p in sorted(folder.iterdir()) if p.is_dir()]
    return [d for d in dirs if d.is_dir()]


def get_plugin_manager(workspace_plugins: Path | None = None, entry_points: bool = True) -> Hooks:
    """Build the plugin manager: defaults and built-ins, entry points, the workspace folder."""
    pm = pluggy.PluginManager("docgen")
    pm.add_hookspecs(hookspecs)
    infos: list[PluginInfo] = []
    for module_name in DEFAULT_PLUGINS:
        _register(pm, importlib.import_module(module_name), PluginInfo(module_name, "built-in", module_name), infos)
    _load_folder(pm, BUILTIN_PLUGINS_DIR, "docgen_builtin_", "built-in", infos)
    if entry_points:
        _load_entry_points(pm, infos)
    ws_dirs: list[Path] = []
    if workspace_plugins is not None and workspace_plugins.resolve() != BUILTIN_PLUGINS_DIR:
        _load_folder(pm, workspace_plugins, f"docgen_ws_{abs(hash(str(workspace_plugins)))}_", "workspace", infos)
        ws_dirs = workspace_template_dirs(workspace_plugins)
    pm.check_pending()
    if os.environ.get("DOCGEN_TRACE_PLUGINS") == "1":
        pm.trace.root.setwriter(lambda message: sys.stderr.write(message))
        pm.enable_tracing()
    return Hooks(pm, infos, ws_dirs)
