"""A pytest plugin for docgen and its plugin authors: a temporary workspace, a plugin manager, helpers.

Loaded automatically (entry point ``pytest11``) wherever docgen is installed.
Fixtures: ``docgen_workspace`` (a fresh workspace from ``docgen init``),
``docgen_hooks`` (the plugin manager of that workspace), ``docgen_pipeline``.
Helpers: ``docx_text`` and ``pdf_text`` read what a document says.
Tests marked ``libreoffice`` are skipped without LibreOffice, except when
``CI=true``: there they fail, so a PDF test can never silently skip in CI.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from .conversion import find_soffice


def docx_text(path: Path) -> str:
    """All text of a DOCX (body, tables, headers), paragraphs joined by newlines."""
    import re

    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n)]
        xml = "\n".join(archive.read(n).decode("utf-8") for n in sorted(parts))
    xml = re.sub(r"</w:p>", "\n", xml)
    xml = re.sub(r"<w:tab/>", "\t", xml)
    text = re.sub(r"<[^>]+>", "", xml)
    import html

    return html.unescape(text)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "libreoffice: needs LibreOffice (never skipped when CI=true)")


def pytest_runtest_setup(item) -> None:
    if item.get_closest_marker("libreoffice") and find_soffice() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("LibreOffice is required in CI (CI=true) but soffice was not found", pytrace=False)
        pytest.skip("LibreOffice (soffice) is not installed")


@pytest.fixture
def docgen_workspace(tmp_path: Path):
    from .settings import Workspace
    from .workspace_init import init_workspace

    root = tmp_path / "ws"
    init_workspace(root)
    return Workspace(root)


@pytest.fixture
def docgen_hooks(docgen_workspace):
    from .plugins import get_plugin_manager

    return get_plugin_manager(docgen_workspace.plugins)


@pytest.fixture
def docgen_pipeline(docgen_workspace, docgen_hooks):
    from .pipeline import Pipeline

    pipeline = Pipeline(docgen_workspace, hooks=docgen_hooks)
    yield pipeline
    pipeline.close()
