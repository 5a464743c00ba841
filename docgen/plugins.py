"""Loading plugins and calling hooks: the plugin manager and a typed facade over it.

Plugins come from three places only, in this order (a later one wins):
1. docgen's own default hook implementations and the built-in types in the
   repository's ``plugins/`` folder (installed inside the package as
   ``docgen._builtin``, see ``installed_folder``);
2. installed packages declaring an entry point in group ``docgen``;
3. ``.py`` files and package folders in the workspace's ``plugins/`` folder.
Nothing else is searched (not the current folder, not ``sys.path``).
A plugin that fails to import, implements a hook that does not exist, or
raises in a hook while the manager is built is reported by name
(``docgen plugins``) and left out; the rest keep working.
"""
from __future__ import annotations

import contextlib
import copy
import dataclasses
import difflib
import hashlib
import importlib
import importlib.metadata
import importlib.resources
import importlib.util
import logging
import os
import signal
import sys
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator

import pluggy

from . import hookspecs
from .doctypes import DocumentType, TypeRegistry

log = logging.getLogger("docgen.plugins")



def installed_folder(package: str) -> Path:
    """A folder installed inside docgen as a package: the same lookup in a clone (editable) and from a wheel.

    pyproject.toml maps ``plugins/``, ``doc_templates/`` and ``examples/`` to
    ``docgen._builtin``, ``docgen._templates`` and ``docgen._examples``.
    """
    return Path(str(importlib.resources.files(package))).resolve()


PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the clone's root (meaningful in an editable install only)
BUILTIN_PLUGINS_DIR = installed_folder("docgen._builtin")
BUILTIN_TEMPLATES_DIR = installed_folder("docgen._templates")
EXAMPLES_DIR = installed_folder("docgen._examples")
DEFAULT_PLUGINS = ("docgen.reading", "docgen.numbering", "docgen.rendering")
ENTRY_POINT_GROUP = "docgen"

TEMPLATES_FOLDER = "doc_templates"
TRACE_VARIABLE = "DOCGEN_TRACE_PLUGINS"
CROSS_CUTTING_PLUGINS = ("docgen.audit",)
HOOK_NAMES = frozenset(name for name in dir(hookspecs) if name.startswith("docgen_"))
ORIGIN_KEYS = {"built-in": "builtin", "entry point": "package", "workspace": "workspace", "added": "added"}


@dataclass
class PluginInfo:
    """One loaded (or refused) plugin, as ``docgen plugins`` shows it."""

    name: str
    origin: str  # built-in | entry point | workspace | added
    location: str
    error: str = ""
    templates: str = ""  # the plugin's own doc_templates/ folder, if it has one
    key: str = ""  # the origin-qualified name it is registered under («workspace:pair_order»)
    plugin: object = field(default=None, repr=False)


IMPORT_TIME_LIMIT = 10.0  # seconds a plugin may take to import


class PluginImportTimeout(BaseException):
    """A plugin's import ran past the time limit (a BaseException, so its own ``except Exception`` cannot hide it)."""


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise PluginImportTimeout in the main thread after ``seconds``; elsewhere, no limit can be set."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise PluginImportTimeout(f"импорт длится дольше {seconds:g} с (зациклился?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def plugin_failure(exc: BaseException) -> bool:
    """Whether an exception from plugin code is the plugin's failure (everything but the user's Ctrl+C)."""
    return not isinstance(exc, KeyboardInterrupt)


class PluginFailed(Exception):
    """A plugin raised in a hook the manager calls while it is being built."""

    def __init__(self, key: str, hook: str, error: BaseException):
        super().__init__(f"{key}: {hook}: {error}")
        self.key, self.hook, self.error = key, hook, error


class _PluginRegistry:
    """What one plugin's ``docgen_register_types`` sees: the registry, noting who adds what.

    Each added type gets its own copy of its schema, so ``docgen_extend_schema``
    never changes a module-level schema shared with another plugin manager.
    """

    def __init__(self, registry: TypeRegistry, adder: str, origins: dict[str, str]):
        self._registry, self._adder, self._origins = registry, adder, origins

    def add(self, doc_type: DocumentType) -> None:
        if doc_type.id in self._registry:
            log.debug("тип %s от %s заменён типом от %s", doc_type.id, self._adder, self._origins[doc_type.id])
            return
        self._registry.add(dataclasses.replace(doc_type, schema=copy.deepcopy(doc_type.schema)))
        self._origins[doc_type.id] = self._adder

    def __contains__(self, type_id: str) -> bool:
        return type_id in self._registry

    def __getattr__(self, name: str) -> Any:
        return getattr(self._registry, name)


class Hooks:
    """A typed facade: the only way the core calls hooks (always by keyword).

    Registration-time hooks (types, schemas, lists, template folders,
    filters) run once, in ``settle()``, plugin by plugin, so a plugin that
    raises there is named and left out instead of breaking the others.
    """

    def __init__(self, pm: pluggy.PluginManager, infos: list[PluginInfo], workspace_template_dirs: list[Path]):
        self.pm = pm
        self.infos = infos
        self._workspace_template_dirs = workspace_template_dirs
        self._reset()

    def _reset(self) -> None:
        self._registry: TypeRegistry | None = None
        self._lists: dict[str, list[str]] | None = None
        self._dirs: list[Path] | None = None
        self._filters: dict | None = None
        self._suffixes: frozenset[str] | None = None
        self.type_origins: dict[str, str] = {}

    @property
    def broken(self) -> list[PluginInfo]:
        return [i for i in self.infos if i.error]

    # --- building ------------------------------------------------------------------

    def settle(self) -> None:
        """Run every registration-time hook now; leave out and report each plugin that fails."""
        while True:
            self._reset()
            try:
                self.registry()
                self.closed_lists()
                self.template_dirs()
                self.jinja_filters()
                self.input_suffixes()
                self._refuse_unrenderable_types()
                return
            except PluginFailed as failure:
                self._refuse(failure.key, f"ошибка в {failure.hook}: {type(failure.error).__name__}: {failure.error}")

    def _refuse_unrenderable_types(self) -> None:
        """Take out each type whose DOCX template cannot be rendered at all (``docgen.templatexml``), so no number
        is drawn for a document that would fail; the other types stay. (The pipeline also fills a template
        other than docgen's own with its type's examples: ``docgen.templatecheck.refuse_unfillable_types``.)"""
        from .templatexml import fatal_findings

        for doc_type in self._registry.all():
            path = self.docx_template(doc_type)
            problems = fatal_findings(path, self._filters) if path else []
            if problems:
                self.refuse_type(doc_type.id, path, problems)

    def docx_template(self, doc_type: DocumentType) -> Path | None:
        """The ``.docx`` file the type renders with, first along the search path (None: missing or another format)."""
        path = next((d / doc_type.template for d in self.template_dirs() if (d / doc_type.template).is_file()), None)
        return path if path is not None and path.suffix.lower() == ".docx" else None

    def refuse_type(self, type_id: str, path: Path, problems: list) -> None:
        """Take a type out because of its template's ``problems`` (``templatexml.Finding``), saying why in Russian."""
        reason = (f"его шаблон {path} нельзя заполнить: " + "; ".join(p.russian() for p in problems[:3])
                  + ". Исправьте шаблон в Word (или плагин) и проверьте: docgen templates check")
        self._registry.refuse(type_id, reason)
        log.error("Тип документа %s отключён: %s", type_id, reason)

    def add_plugin(self, plugin: object, name: str | None = None) -> PluginInfo:
        """Register a plugin object (a module, a class instance) above all others; for tests and embedding."""
        label = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        info = PluginInfo(label, "added", "in memory")
        register_plugin(self.pm, plugin, info, self.infos)
        self.settle()
        return info

    def _refuse(self, key: str, error: str) -> None:
        info = next(i for i in self.infos if i.key == key)
        info.error = error
        log.error("Плагин %s (%s) отключён: %s", info.name, info.origin, error)
        if self.pm.is_registered(info.plugin):
            self.pm.unregister(info.plugin)
        info.plugin = None

    def _by_precedence(self) -> list[PluginInfo]:
        """Working plugins, the highest precedence (workspace) first."""
        return [i for i in reversed(self.infos) if not i.error and i.plugin is not None]

    def _each(self, hook: str, kwargs: dict | Callable[[str], dict], *, ascending: bool = False,
              on_error: str = "refuse") -> Iterator[tuple[str, Any]]:
        """Call one hook plugin by plugin, yielding ``(plugin key, result)``.

        Highest precedence first, or lowest first with ``ascending``. A failure
        raises ``PluginFailed`` (``on_error="refuse"``), is logged and skipped
        (``"log"``), or propagates as it is (``"raise"``).
        """
        impls = [i for i in reversed(getattr(self.pm.hook, hook).get_hookimpls()) if not (i.wrapper or i.hookwrapper)]
        if ascending:
            impls.reverse()
        for impl in impls:
            others = [p for p in self.pm.get_plugins() if p is not impl.plugin]
            call = self.pm.subset_hook_caller(hook, remove_plugins=others)
            arguments = kwargs(impl.plugin_name) if callable(kwargs) else kwargs
            try:
                results = call(**arguments)
            except BaseException as exc:
                if not plugin_failure(exc):
                    raise
                if on_error == "refuse":
                    raise PluginFailed(impl.plugin_name, hook, exc) from exc
                if on_error == "raise":
                    raise
                log.error("Плагин %s: ошибка в %s: %s", impl.plugin_name, hook, type(exc).__name__)
                continue
            yield impl.plugin_name, (results[0] if results else None)

    # --- registration-time hooks ----------------------------------------------------------

    def registry(self) -> TypeRegistry:
        if self._registry is None:
            registry, origins = TypeRegistry(), {}
            for _ in self._each("docgen_register_types", lambda key: {"registry": _PluginRegistry(registry, key, origins)}):
                pass
            for doc_type in registry.all():
                for _ in self._each("docgen_extend_schema", {"doc_type": doc_type, "schema": doc_type.schema}, ascending=True):
                    pass
            self._registry, self.type_origins = registry, origins
        return self._registry

    def closed_lists(self) -> dict[str, list[str]]:
        if self._lists is None:
            merged: dict[str, list[str]] = {}
            for _, result in self._each("docgen_closed_lists", {}, ascending=True):
                for name, values in (result or {}).items():
                    items = merged.setdefault(name, [])
                    items.extend(v for v in values if v not in items)
            self._lists = merged
        return self._lists

    def template_dirs(self) -> list[Path]:
        """Where templates are looked for: workspace first, then each plugin by precedence, built-in last."""
        if self._dirs is None:
            declared = dict(self._each("docgen_template_dirs", {}))
            dirs = list(self._workspace_template_dirs)
            for info in self._by_precedence():
                if info.templates:
                    dirs.append(Path(info.templates))
                dirs.extend(Path(d) for d in declared.get(info.key) or [])
            self._dirs = list(dict.fromkeys(dirs))
        return self._dirs

    def jinja_filters(self) -> dict:
        if self._filters is None:
            filters: dict = {}
            for _, result in self._each("docgen_jinja_filters", {}, ascending=True):
                filters.update(result or {})
            self._filters = filters
        return self._filters

    def input_suffixes(self) -> frozenset[str]:
        """Every suffix a plugin reads (``docgen_input_suffixes``), lower case with its dot: what the inbox watches."""
        if self._suffixes is None:
            suffixes: set[str] = set()
            for _, result in self._each("docgen_input_suffixes", {}):
                suffixes.update(f".{str(s).lower().lstrip('.')}" for s in result or ())
            self._suffixes = frozenset(suffixes)
        return self._suffixes

    def blame(self, exc: BaseException) -> str | None:
        """The plugin whose code raised ``exc`` (the innermost frame in a plugin's file), as «name (origin)».

        docgen's own default implementations are the core, never blamed.
        """
        files: dict[str, PluginInfo] = {}
        for info in self.infos:
            if info.origin == "built-in" and info.name in DEFAULT_PLUGINS + CROSS_CUTTING_PLUGINS:
                continue
            module = info.plugin if isinstance(info.plugin, ModuleType) else None
            source = getattr(module, "__file__", None) or (info.location if info.location.endswith(".py") else "")
            if source:
                location = Path(source).resolve()
                files[str(location.parent if location.name == "__init__.py" else location)] = info
        for frame, _ in reversed(list(traceback.walk_tb(exc.__traceback__))):
            path = Path(frame.f_code.co_filename)
            for candidate in (path, *path.parents):
                info = files.get(str(candidate))
                if info is not None:
                    return f"{info.name} ({info.origin})"
        return None

    # --- per-document hooks ----------------------------------------------------------------

    def read_input(self, path: Path, settings: Any, name: str | None = None) -> list:
        return self.pm.hook.docgen_read_input(path=path, name=name or Path(path).name, registry=self.registry(),
                                              settings=settings)

    def check_document(self, doc_type: DocumentType, data: dict) -> list:
        problems: list = []
        for result in self.pm.hook.docgen_check_document(doc_type=doc_type, data=data):
            problems.extend(result or [])
        return problems

    def format_number(self, series: str, year: int, sequence: int, pattern: str, data: dict) -> str:
        return self.pm.hook.docgen_format_number(series=series, year=year, sequence=sequence, pattern=pattern, data=data)

    def update_context(self, doc_type: DocumentType, data: dict, context: dict) -> None:
        arguments = {"doc_type": doc_type, "data": data, "context": context}
        for _ in self._each("docgen_update_context", arguments, ascending=True, on_error="raise"):
            pass

    def render_document(self, template_path: Path, context: dict, output_path: Path) -> None:
        self.pm.hook.docgen_render_document(
            template_path=template_path, context=context, output_path=output_path, filters=self.jinja_filters()
        )

    def document_published(self, document: dict, files: list[Path], settings: Any) -> None:
        """Post-processing: a failing plugin is logged by name and never undoes publishing."""
        arguments = {"document": document, "files": files, "settings": settings}
        for _ in self._each("docgen_document_published", arguments, on_error="log"):
            pass


# --- checking and registering one plugin ---------------------------------------------------------

def hook_name_problems(plugin: object) -> list[str]:
    """Misspelt hook names (``docgen_*`` functions no hook has) and hooks missing ``@hookimpl``."""
    problems = []
    for name in sorted(dir(plugin)):
        if not name.startswith("docgen_") or not callable(getattr(plugin, name, None)):
            continue
        if name not in HOOK_NAMES:
            close = difflib.get_close_matches(name, HOOK_NAMES, n=1)
            problems.append(f"неизвестный хук {name}" + (f" (может быть, {close[0]}?)" if close else ""))
        elif not hasattr(getattr(plugin, name), "docgen_impl"):
            problems.append(f"функция {name} без декоратора @hookimpl")
    return problems


def unspecified_hooks(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    """``@hookimpl`` functions whose name is no hook (e.g. ``register_types`` without the prefix)."""
    return sorted(f"неизвестный хук {c.name}" for c in pm.get_hookcallers(plugin) or [] if not c.has_spec())


def own_templates(plugin: object) -> str:
    """The ``doc_templates/`` folder beside a plugin's module, if there is one."""
    module = plugin if isinstance(plugin, ModuleType) else sys.modules.get(getattr(plugin, "__module__", "") or "")
    source = getattr(module, "__file__", None)
    if not source:
        return ""
    folder = Path(source).resolve().parent / TEMPLATES_FOLDER
    return str(folder) if folder.is_dir() else ""


def register_plugin(pm: pluggy.PluginManager, plugin: object, info: PluginInfo, infos: list[PluginInfo]) -> None:
    """Register one plugin, or record why it is refused; either way it is listed in ``infos``."""
    info.key = f"{ORIGIN_KEYS.get(info.origin, info.origin)}:{info.name}"
    problems = hook_name_problems(plugin)
    if not problems:
        try:
            pm.register(plugin, name=info.key)
        except Exception as exc:
            problems = [f"{type(exc).__name__}: {exc}"]
        else:
            problems = unspecified_hooks(pm, plugin)
            if problems:
                pm.unregister(plugin)
    if problems:
        info.error = "; ".join(problems)
        log.error("Плагин %s (%s) не загружен: %s", info.name, info.location, info.error)
    else:
        info.plugin, info.templates = plugin, own_templates(plugin)
    infos.append(info)


# --- the three places ---------------------------------------------------------------------------------

def _import_file(module_name: str, path: Path) -> ModuleType:
    """Import a plugin from a ``.py`` file or a package folder by its path, under a unique module name."""
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


def import_beside(plugin_file: str, name: str) -> ModuleType:
    """Import the helper module ``<name>.py`` lying beside a plugin file (plugins are loaded by path).

    Helper modules start with «_», so the loader does not take them for plugins.
    """
    module_name = f"docgen_helper_{hashlib.sha1(str(Path(plugin_file).parent).encode()).hexdigest()[:8]}_{name}"
    if module_name not in sys.modules:
        _import_file(module_name, Path(plugin_file).with_name(f"{name}.py"))
    return sys.modules[module_name]


def plugin_files(folder: Path) -> list[Path]:
    """``*.py`` files and package folders of a plugins folder (not ``_private`` or hidden ones)."""
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(("_", ".")):
            continue
        if (entry.suffix == ".py" and entry.is_file()) or (entry.is_dir() and (entry / "__init__.py").exists()):
            found.append(entry)
    return found


def _refuse_unloadable(info: PluginInfo, exc: BaseException, infos: list[PluginInfo]) -> None:
    """Record a plugin that failed to import, by name, so ``docgen plugins`` shows it."""
    info.key = f"{ORIGIN_KEYS[info.origin]}:{info.name}"
    info.error = f"{type(exc).__name__}: {exc}"
    log.error("Плагин %s (%s) не загружен: %s", info.name, info.location, info.error)
    infos.append(info)


def _load_folder(pm: pluggy.PluginManager, folder: Path, prefix: str, origin: str, infos: list[PluginInfo]) -> None:
    for path in plugin_files(folder):
        info = PluginInfo(name=path.stem, origin=origin, location=str(path))
        _load_guarded(pm, lambda: _import_file(f"{prefix}{path.stem}", path), info, infos)


def _load_entry_points(pm: pluggy.PluginManager, infos: list[PluginInfo]) -> None:
    seen: set[tuple[str, str]] = set()
    for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if (entry_point.name, entry_point.value) in seen:
            continue  # the same distribution found twice along sys.path
        seen.add((entry_point.name, entry_point.value))
        dist = entry_point.dist.name if entry_point.dist else "?"
        info = PluginInfo(name=entry_point.name, origin="entry point", location=f"{dist}: {entry_point.value}")
        _load_guarded(pm, entry_point.load, info, infos)


def _load_guarded(pm: pluggy.PluginManager, load, info: PluginInfo, infos: list[PluginInfo]) -> None:
    """Import one plugin under the time limit and register it; one that fails to load is refused with its
    reason and docgen goes on (``plugin_failure`` says which failures those are)."""
    try:
        with time_limit(IMPORT_TIME_LIMIT):
            plugin = load()
    except BaseException as exc:
        if not plugin_failure(exc):
            raise
        _refuse_unloadable(info, exc, infos)
        return
    register_plugin(pm, plugin, info, infos)


def workspace_module_prefix(folder: Path) -> str:
    digest = hashlib.sha1(str(folder.resolve()).encode("utf-8")).hexdigest()[:8]
    return f"docgen_workspace_{digest}_"


def get_plugin_manager(workspace_plugins: Path | None = None, entry_points: bool = True) -> Hooks:
    """Build the plugin manager: defaults and built-ins, entry points, the workspace folder."""
    from . import audit

    pm = pluggy.PluginManager("docgen")
    pm.add_hookspecs(hookspecs)
    if os.environ.get(TRACE_VARIABLE) == "1":
        audit.trace_hook_calls(pm, sys.stderr.write)
    infos: list[PluginInfo] = []
    for module_name in DEFAULT_PLUGINS + CROSS_CUTTING_PLUGINS:
        register_plugin(pm, importlib.import_module(module_name), PluginInfo(module_name, "built-in", module_name), infos)
    _load_folder(pm, BUILTIN_PLUGINS_DIR, "docgen_builtin_", "built-in", infos)
    if entry_points:
        _load_entry_points(pm, infos)
    ws_dirs: list[Path] = []
    if workspace_plugins is not None and workspace_plugins.resolve() != BUILTIN_PLUGINS_DIR:
        _load_folder(pm, workspace_plugins, workspace_module_prefix(workspace_plugins), "workspace", infos)
        ws_dirs = [workspace_plugins / TEMPLATES_FOLDER]
    pm.check_pending()  # every unknown hook was refused above; this guards that promise
    hooks = Hooks(pm, infos, ws_dirs)
    hooks.settle()
    return hooks
