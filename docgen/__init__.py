"""docgen: documents of a school's mentoring programme, from data to signed-ready DOCX and PDF.

The plugin API is ``docgen.api`` (everything a document type needs, declared in its ``__all__``); the few
names here stay for plugins written before it.
"""
from __future__ import annotations

from .doctypes import Column, DocumentType, Field, RenderInfo, SheetSpec
from .errors import DocgenError, InputError, Problem
from .hookspecs import hookimpl

__version__ = "0.1.0"

__all__ = [
    "hookimpl", "DocumentType", "DocgenError", "InputError", "Problem",
    "Column", "Field", "SheetSpec", "RenderInfo", "__version__",
]
