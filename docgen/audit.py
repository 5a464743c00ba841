"""Cross-cutting watch over plugins: a timing/audit wrapper around rendering and the hook-call trace.

``docgen_render_document`` is wrapped (``wrapper=True``) so the log says which
template file made each document and how long it took, whichever plugin
rendered it. ``DOCGEN_TRACE_PLUGINS=1`` traces every hook call: its name, the
argument names and the plugins called, in order; never argument values,
which may hold personal data.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Callable

import pluggy

from .hookspecs import hookimpl

log = logging.getLogger("docgen.audit")


@hookimpl(wrapper=True)
def docgen_render_document(template_path: Path, context: dict, output_path: Path, filters: dict):
    started = time.perf_counter()
    try:
        result = yield
    except Exception as exc:
        log.warning("шаблон %s: ошибка %s через %.0f мс", template_path, type(exc).__name__, _ms_since(started))
        raise
    log.debug("шаблон %s: документ сформирован за %.0f мс", template_path, _ms_since(started))
    return result


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def trace_hook_calls(pm: pluggy.PluginManager, write: Callable[[str], object]) -> Callable[[], None]:
    """Write one line before and after every hook call; return a function that stops tracing."""
    started: list[float] = []

    def before(hook_name, impls, kwargs) -> None:
        started.append(time.perf_counter())
        plugins = ", ".join(impl.plugin_name for impl in reversed(impls)) or "нет реализаций"
        write(f"[docgen trace] {hook_name}({', '.join(kwargs)}) → {plugins}\n")

    def after(outcome, hook_name, impls, kwargs) -> None:
        elapsed = _ms_since(started.pop())
        if outcome.exception is not None:
            write(f"[docgen trace] {hook_name}: исключение {type(outcome.exception).__name__} ({elapsed:.1f} мс)\n")
        else:
            write(f"[docgen trace] {hook_name}: готово ({elapsed:.1f} мс)\n")

    return pm.add_hookcall_monitoring(before, after)
