"""The plugin API: every name a document type or a regional plugin needs, declared in ``__all__``.

Plugins import from here only (``from docgen.api import DocumentType, hookimpl, …``); the built-in types
in ``plugins/`` and the region example in ``examples/`` do the same, and ``tests/test_api.py`` fails when a
plugin module imports any other corner of docgen. A name missing here is a gap in the API, not a reason
to reach into a private module. What each group holds:

- the contract: ``hookimpl``, ``DocumentType``, ``RenderInfo``, ``TypeRegistry``, ``RawDocument``,
  ``Settings`` (``settings.plugin_config(name)`` is a plugin's own ``docgen.toml`` table), the errors;
- schema building blocks (``docgen.schemas``): ``document_schema``, ``person``, ``DATE``, ``PERIOD``, …;
- spreadsheet form (``docgen.sheets``): ``SheetSpec``, ``Column``, ``Field``, ``common_fields``, ``derive``,
  header lookup (``title_lookup``, ``find_item``) and ``build_blank_form``;
- Russian grammar and typography (``docgen.russian``, ``docgen.typography``): cases of names and
  positions, agreement, dates, sums in words, organisation names;
- the wording of orders (``docgen.ordertext``): persons in cases, the control point, the
  acknowledgement list;
- the printed font (``docgen.fonts``): ``serif_available``, ``text_width`` — Liberation Serif widths;
- ``import_beside`` for a helper module beside a plugin file (workspace plugins are loaded by path).
"""
from __future__ import annotations

from .doctypes import Column, DocumentType, Field, RenderInfo, SheetSpec, TypeRegistry, common_fields, normalize_title
from .errors import DocgenError, InputError, Problem
from .fonts import serif_available, text_width
from .hookspecs import hookimpl
from .ordertext import (acknowledgement_list, control_point, described, gender_of, gender_problems, in_organisation,
                        instrumental_title, join_listing, name_in, of_organisation, person_in, person_key, position_in,
                        position_key, same_person, short_in, typed_grounds, typed_heading,
                        typed_preamble, unique_persons)
from .plugins import import_beside
from .rawdocument import RawDocument
from .russian import (DOCUMENT_KINDS, Line, agree_phrase, agreed_word, amount_in_words, dear, dear_plural,
                      detect_gender, document_gender, first_and_patronymic, format_date_long, format_date_short,
                      format_month_year, gendered, head_noun_gender, in_sentence, inflect_name, inflect_position,
                      initials_after, initials_before, issued_word, normalize_spaces, organization_name,
                      organization_short_or_full, past_participle, plural_form)
from .schemas import CASES, DATE, EXECUTOR, GENDER, PERIOD, document_schema, gender_code, parse_date, person
from .settings import Settings
from .sheets.forms import build_blank_form
from .sheets.intake import DOCUMENT_SHEET, find_item, title_lookup
from .sheets.values import derive
from .typography import NBSP, fix_joined_text, typography

__all__ = [
    # the contract
    "hookimpl", "DocumentType", "RenderInfo", "TypeRegistry", "RawDocument", "Settings",
    "DocgenError", "InputError", "Problem", "import_beside",
    # schema building blocks
    "document_schema", "person", "parse_date", "gender_code", "DATE", "PERIOD", "GENDER", "CASES", "EXECUTOR",
    # spreadsheet form
    "SheetSpec", "Column", "Field", "common_fields", "normalize_title", "derive", "DOCUMENT_SHEET",
    "title_lookup", "find_item", "build_blank_form",
    # Russian grammar
    "normalize_spaces", "in_sentence", "detect_gender", "inflect_name", "inflect_position", "initials_before",
    "initials_after",
    "first_and_patronymic", "gendered", "dear", "dear_plural", "agree_phrase", "agreed_word", "past_participle",
    "plural_form", "format_date_long", "format_date_short", "format_month_year", "amount_in_words",
    "organization_name", "organization_short_or_full", "issued_word", "document_gender", "head_noun_gender",
    "DOCUMENT_KINDS", "Line",
    # typography
    "typography", "fix_joined_text", "NBSP",
    # the printed font's widths (laying out a table by estimate)
    "serif_available", "text_width",
    # the wording of orders
    "person_in", "name_in", "position_in", "short_in", "described", "gender_of", "gender_problems",
    "unique_persons", "acknowledgement_list", "same_person", "control_point", "in_organisation",
    "of_organisation", "instrumental_title", "join_listing", "person_key", "position_key", "typed_preamble",
    "typed_grounds", "typed_heading",
]
