"""docgen: documents of a school's mentoring programme, from data to signed-ready DOCX and PDF.

Public names for plugin authors: ``hookimpl``, ``DocumentType``, ``DocgenError``.
"""
from __future__ import annotations

import pluggy

__version__ = "0.1.0"

hookimpl = pluggy.HookimplMarker("docgen")

from .doctypes import Column, DocumentType, Field, RenderInfo, SheetSpec  # noqa: E402
from .errors import DocgenError, InputError, Problem  # noqa: E402

__all__ = [
    "hookimpl", "DocumentType", "DocgenError", "InputError", "Problem",
    "Column", "Field", "SheetSpec", "RenderInfo", "__version__",
]
