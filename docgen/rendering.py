"""Rendering DOCX from templates with docxtpl: template lookup, the Jinja environment, caching.

Autoescape is always on, so «&», «<» and ``{{ … }}`` in data print as typed
and never become markup or template code. Every printed value passes through
``docgen.typography.typography`` (the environment's ``finalize``), whatever its
source, and the rendered text through ``fix_joined_text`` (a value's «г.»
meeting the template's full stop). Compiled templates are cached by
their XML source (and docxtpl's clean-up of that source before Jinja too), so a batch parses
each template once. Tables longer than a few hundred
rows are cut into several after rendering (``docgen.longtables``: LibreOffice lays out one long
table in more than linear time).
"""
from __future__ import annotations

import io
import re
import threading
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined

from markupsafe import Markup

from .hookspecs import hookimpl
from .errors import DocgenError
from .longtables import cut_long_tables
from .typography import fix_joined_text, typography

_CACHE_LIMIT = 64

# The variables every template gets (``docgen.pipeline.Pipeline.context``); a type's ``build_context`` adds its own.
# docs/plugins.md lists them (tools/plugin_reference.py, checked by tests/test_plugin_reference.py).
COMMON_VARIABLES = {
    "org": "the organisation: [organization] of docgen.toml, the input's «organization» over it",
    "signer": "who signs: [director] of docgen.toml, or the input's «signer»",
    "executor": "the executor the input names («executor»: name, phone), or None",
    "number": "the registration number («5-од»); empty for a type without a series",
    "date": "the document's date (a date: print it with date_long or date_short)",
    "heading": "the type's heading of this document («О закреплении наставнических пар (групп)»)",
    "data": "the validated input as it is (dates as ISO text)",
    "qr": "the QR code of the document's check link (a picture), or \"\" when the type has none",
}


class CachingEnvironment(Environment):
    """A Jinja environment that compiles each distinct template source once."""

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: dict[str, object] = {}
        self._lock = threading.Lock()

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's signature
        if globals or template_class:
            return super().from_string(source, globals, template_class)
        with self._lock:
            compiled = self._compiled.get(source)
            if compiled is None:
                if len(self._compiled) >= _CACHE_LIMIT:
                    self._compiled.clear()
                compiled = self._compiled[source] = super().from_string(source)
        return compiled


def typeset(value):
    """Jinja ``finalize``: plain strings get Russian typography; markup and non-strings pass as they are."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return typography(value)
    return value


_TEXT_NODE = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")


_patched: dict[str, str] = {}  # a part's XML → docxtpl's Jinja-ready form of it (the same for every document)
_patched_lock = threading.Lock()


class TypesetTemplate(DocxTemplate):
    """docxtpl's template, with the joined text of every rendered part cleaned (``fix_joined_text``)."""

    def patch_xml(self, src_xml):
        """docxtpl's clean-up of a part before Jinja (a few dozen regular expressions), done once per source."""
        with _patched_lock:
            known = _patched.get(src_xml)
        if known is None:
            known = super().patch_xml(src_xml)
            with _patched_lock:
                if len(_patched) >= _CACHE_LIMIT:
                    _patched.clear()
                _patched[src_xml] = known
        return known

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        rendered = super().render_xml_part(src_xml, part, context, jinja_env)
        return _TEXT_NODE.sub(lambda m: m.group(1) + fix_joined_text(m.group(2)) + m.group(3), rendered)


_environments: dict[int, tuple[dict, CachingEnvironment]] = {}


def jinja_environment(filters: dict) -> CachingEnvironment:
    """The environment for a set of filters (one per plugin manager).

    Keyed by the dict's id and checked by identity: a freed dict's id may be
    reused by another manager's filters.
    """
    known = _environments.get(id(filters))
    if known is None or known[0] is not filters:
        env = CachingEnvironment(autoescape=True, undefined=StrictUndefined, trim_blocks=False, finalize=typeset)
        env.filters.update(filters)
        known = _environments[id(filters)] = (filters, env)
    return known[1]


def find_template(name: str, dirs: list[Path]) -> Path:
    """The first template of that name along the search path (workspace, packages, built-in)."""
    for folder in dirs:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    searched = ", ".join(str(d) for d in dirs)
    raise DocgenError(f"Не найден шаблон {name} (искали в: {searched}).")


def with_images(template: DocxTemplate, context: dict) -> dict:
    """Context values that are pictures (the QR code of docgen.signing.qr) become docxtpl InlineImages."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    from .signing.qr import QrImage

    images = {k: v for k, v in context.items() if isinstance(v, QrImage)}
    if not images:
        return context
    return {**context, **{k: InlineImage(template, io.BytesIO(v.png()), width=Mm(v.width_mm)) for k, v in images.items()}}


def render_docx(template_path: Path, context: dict, output_path: Path, filters: dict) -> None:
    """Render one document; ``filters`` is the plugin manager's merged filter dict."""
    template = TypesetTemplate(str(template_path))
    context = with_images(template, context)
    template.render(context, jinja_env=jinja_environment(filters), autoescape=True)
    cut_long_tables(template.docx.element.body)
    template.save(str(output_path))


@hookimpl(trylast=True)
def docgen_render_document(template_path: Path, context: dict, output_path: Path, filters: dict) -> bool:
    render_docx(template_path, context, output_path, filters)
    return True


@hookimpl
def docgen_template_dirs() -> list[Path]:
    from .plugins import BUILTIN_TEMPLATES_DIR

    return [BUILTIN_TEMPLATES_DIR]


@hookimpl
def docgen_jinja_filters() -> dict:
    from . import russian

    return russian.jinja_filters()
