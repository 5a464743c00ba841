"""The plugin contract: every ``docgen_*`` hook, grouped by pipeline phase.

A plugin implements any of these with ``@docgen.hookimpl``; an implementation
may take fewer arguments than the spec, never other ones. Hooks that decide one
answer are ``firstresult`` (the first plugin returning something other than
None wins); built-in defaults are registered ``trylast`` so that a region's
plugin always wins. Plugins are called from the highest precedence down:
workspace ``plugins/`` folder, then installed packages, then built-ins.
The core calls hooks only through ``docgen.plugins.Hooks``, by keyword.

Every hook here is documented in ``docs/plugins.md`` and exercised by a test
function named ``test_hook_<name without docgen_>…`` (``tests/test_docs.py`` checks both).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .doctypes import DocumentType, TypeRegistry
    from .rawdocument import RawDocument
    from .settings import Settings

hookspec = pluggy.HookspecMarker("docgen")
hookimpl = pluggy.HookimplMarker("docgen")  # what plugins mark their implementations with (``docgen.api.hookimpl``)


# --- loading: called once when the plugin manager is built -------------------------

@hookspec
def docgen_register_types(registry: TypeRegistry) -> None:
    """Add document types: call ``registry.add(DocumentType(...))`` for each.

    When two plugins add a type under the same id, the one of higher
    precedence wins (workspace folder over installed package over built-in),
    so a region can replace a built-in type. An exception here marks the
    plugin broken: it is reported by name and left out.
    """


@hookspec
def docgen_extend_schema(doc_type: DocumentType, schema: dict) -> None:
    """Change a type's JSON Schema in place (e.g. add a СНИЛС field to consents).

    Called once per registered type, after all types are registered, from the
    lowest precedence up (the workspace's plugin has the last word). ``schema``
    is this plugin manager's own copy: changing it never leaks into another
    workspace. Mark personal fields ``"x-personal": True`` so messages hide them.
    """


@hookspec
def docgen_closed_lists() -> dict[str, list[str]]:
    """Return closed lists of choices to add to, keyed by list name.

    Known names: ``mentoring_forms`` (формы наставничества), ``reward_kinds``.
    The lists of all plugins are joined (built-in values first, no repeats);
    they feed blank-form drop-downs and the spelling documents use.
    """


# --- reading -------------------------------------------------------------------------

@hookspec(firstresult=True)
def docgen_read_input(path: Path, name: str, registry: TypeRegistry, settings: Settings) -> list[RawDocument] | None:
    """Read an input file into a list of ``docgen.api.RawDocument``.

    Called once per input file. ``path`` is where the file is being read (a
    claimed copy under ``inbox/.processing/``); ``name`` is the name the
    secretary gave it, for anything that goes by the file name. Return None when the file is not of a format
    this plugin reads; the built-in readers (JSON, xlsx, ods, csv) run last.
    """


@hookspec
def docgen_input_suffixes() -> list[str]:
    """Return the file suffixes this plugin's ``docgen_read_input`` reads (e.g. ``[".txt"]``).

    The inbox watches, and the web office accepts, only files whose suffix some plugin declares; the
    suffixes of all plugins are joined (case does not matter, the dot may be left out). The built-in
    readers declare ``.json``, ``.xlsx``, ``.xlsm``, ``.ods`` and ``.csv``.
    """


# --- validation ------------------------------------------------------------------------

@hookspec
def docgen_check_document(doc_type: DocumentType, data: dict) -> list[tuple[tuple, str]]:
    """Return extra problems found in data the schema accepted, as ``(path, message)`` pairs.

    ``path`` is a tuple of keys and list indexes (``("pairs", 0, "period")``),
    ``message`` the Russian text; docgen adds the place (sheet, row, column).
    Called for every document of every type, before any number is drawn; one
    problem fails the whole input file. Never quote personal data in a message.
    """


# --- numbering ---------------------------------------------------------------------------

@hookspec(firstresult=True)
def docgen_format_number(series: str, year: int, sequence: int, pattern: str, data: dict) -> str | None:
    """Turn a drawn sequence number into the registration number printed on the document.

    Called inside the register's transaction, once per numbered document. The
    built-in default fills ``pattern`` from ``docgen.toml`` (``{n}-од``;
    fields ``n``, ``year``, ``yy``). Return a string to use another format,
    None to leave the decision to the next plugin. Keep it quick and pure.
    """


# --- rendering ------------------------------------------------------------------------------

@hookspec
def docgen_template_dirs() -> list[Path]:
    """Return extra folders holding ``.docx`` templates named as ``DocumentType.template``.

    A plugin package's own ``doc_templates/`` folder is found without this
    hook; use it for other places (e.g. a regional share of letterheads).
    Search order: the workspace's ``plugins/doc_templates``, then each
    plugin's folders from the highest precedence down, the built-in last.
    """


@hookspec
def docgen_jinja_filters() -> dict[str, Any]:
    """Return Jinja filters for templates, by name (e.g. Russian case forms).

    Called once per plugin manager; on a name clash the plugin of higher
    precedence wins.
    """


@hookspec
def docgen_update_context(doc_type: DocumentType, data: dict, context: dict) -> None:
    """Change the template context of one document in place (letterhead, extra requisites).

    Called for every document after the type's ``build_context`` and before
    rendering, by every plugin from the lowest precedence up, so that the
    workspace's plugin has the last word.
    """


@hookspec(firstresult=True)
def docgen_render_document(template_path: Path, context: dict, output_path: Path, filters: dict) -> bool | None:
    """Render one DOCX from a template with the given Jinja filters; return True when done.

    Called once per document. The built-in docxtpl renderer (autoescape on)
    runs last. Wrappers (``@hookimpl(wrapper=True)``) may time or audit
    rendering, as ``docgen.audit`` does.
    """


# --- publishing ----------------------------------------------------------------------------------

@hookspec
def docgen_document_published(document: dict, files: list[Path], settings: Settings) -> None:
    """Called after a document's files are in ``outbox/`` (e.g. copy them to a regional system).

    ``document`` holds type, number, date and heading, never personal data.
    An exception here is logged with the plugin's name and does not undo
    publishing or stop other plugins.
    """
