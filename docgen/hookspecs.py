"""The plugin contract: every ``docgen_*`` hook, grouped by pipeline phase.

A plugin implements any of these with ``@docgen.hookimpl``. Hooks that decide
one answer are ``firstresult``; built-in defaults are registered ``trylast`` so
that a region's plugin always wins. The core calls hooks only through
``docgen.plugins.Hooks`` with keyword arguments.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("docgen")


# --- loading ---------------------------------------------------------------

@hookspec
def docgen_register_types(registry: Any) -> None:
    """Add document types: call ``registry.add(DocumentType(...))`` for each.

    Called once when the plugin manager is built. When two plugins add a type
    under the same id, the one loaded later wins (workspace folder over
    installed package over built-in), so a region can replace a built-in type.
    """


@hookspec
def docgen_extend_schema(doc_type: Any, schema: dict) -> None:
    """Change a type's JSON Schema in place (e.g. require a СНИЛС field in consents).

    Called once per type after all types are registered.
    """


@hookspec
def docgen_closed_lists() -> dict[str, list[str]]:
    """Return closed lists of choices to add to, keyed by list name.

    Known names: ``mentoring_forms`` (формы наставничества), ``reward_kinds``.
    The lists of all plugins are joined; they feed blank-form drop-downs and
    the spelling that documents use.
    """


# --- reading -----------------------------------------------------------------

@hookspec(firstresult=True)
def docgen_read_input(path: Path, registry: Any, settings: Any) -> list | None:
    """Read an input file into a list of ``docgen.reading.RawDocument``.

    Return None when the file is not of a format this plugin reads. The
    built-in readers (JSON, xlsx, ods, csv) run last.
    """


# --- validation ----------------------------------------------------------------

@hookspec
def docgen_check_document(doc_type: Any, data: dict) -> list:
    """Return extra problems found in data the schema accepted, as ``(path, message)`` pairs.

    ``path`` is a tuple of keys and list indexes (``("pairs", 0, "period")``),
    ``message`` the Russian text; docgen adds the place (sheet, row, column).

    Runs before any number is drawn; one problem fails the whole input file.
    """


# --- numbering -------------------------------------------------------------------

@hookspec(firstresult=True)
def docgen_format_number(series: str, year: int, sequence: int, pattern: str, data: dict) -> str | None:
    """Turn a drawn sequence number into the registration number printed on the document.

    The built-in default fills ``pattern`` (e.g. ``{n}-од``; fields ``n``,
    ``year``, ``yy``). Return a string to use another format.
    """


# --- rendering --------------------------------------------------------------------

@hookspec
def docgen_template_dirs() -> list[Path]:
    """Return folders holding ``.docx`` templates named by type id.

    Folders of plugins loaded from the workspace come first, then installed
    packages', then the built-in ``doc_templates/``.
    """


@hookspec
def docgen_jinja_filters() -> dict[str, Any]:
    """Return Jinja filters for templates, by name (e.g. Russian case forms)."""


@hookspec
def docgen_update_context(doc_type: Any, data: dict, context: dict) -> None:
    """Change the template context of one document in place (letterhead, extra requisites)."""


@hookspec(firstresult=True)
def docgen_render_document(template_path: Path, context: dict, output_path: Path, filters: dict) -> bool | None:
    """Render one DOCX from a template with the given Jinja filters; return True when done.

    The built-in docxtpl renderer runs last. Wrappers (``wrapper=True``) may
    time or audit rendering.
    """


# --- publishing ----------------------------------------------------------------------

@hookspec
def docgen_document_published(document: dict, files: list[Path], settings: Any) -> None:
    """Called after a document's files are in ``outbox/`` (e.g. copy them to a regional system).

    ``document`` holds type, number, date and heading, never personal data.
    An exception here is logged and does not undo publishing.
    """
