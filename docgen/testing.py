"""A pytest plugin for docgen and its plugin authors: a temporary workspace, a plugin manager, helpers.

Loaded automatically (entry point ``pytest11``) wherever docgen is installed.
Fixtures: ``docgen_workspace`` (a fresh workspace from ``docgen init``),
``docgen_hooks`` (the plugin manager of that workspace: built-ins, installed
plugins, the workspace's ``plugins/``), ``docgen_pipeline`` (processes files
with those hooks), ``docgen_register_plugin`` (adds a plugin object above all
others, e.g. your module when it is not installed), ``docgen_process`` (drops
a JSON payload into the inbox and processes it).
Helpers: ``docx_text``, ``pdf_text``, ``pdf_pages`` read what a document says;
``drop_input`` writes an input into a workspace's inbox.
Ini option ``docgen_entry_points`` (default true): false keeps installed
plugins out of ``docgen_hooks`` (docgen's own suite uses it, so a regional
plugin installed in the same environment cannot change its results).
Tests marked ``libreoffice`` are skipped without LibreOffice, except when
``CI=true``: there they fail, so a PDF test can never silently skip in CI.
"""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

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


def drop_input(workspace, name: str, payload: Any) -> Path:
    """Write an input into the workspace's inbox: JSON for a dict or list, else text or bytes as given."""
    path = workspace.inbox / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(payload, bytes):
        path.write_bytes(payload)
    elif isinstance(payload, str):
        path.write_text(payload, encoding="utf-8")
    else:
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def pytest_addoption(parser) -> None:
    parser.addini("docgen_entry_points", "load installed docgen plugins (entry points) in docgen_hooks",
                  type="bool", default=True)


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
def docgen_hooks(docgen_workspace, request):
    from .plugins import get_plugin_manager

    return get_plugin_manager(docgen_workspace.plugins, entry_points=request.config.getini("docgen_entry_points"))


@pytest.fixture
def docgen_register_plugin(docgen_hooks):
    """``register(plugin, name=None)``: add a plugin object to ``docgen_hooks`` above all others.

    A plugin already loaded (e.g. through its entry point) is not added twice.
    A plugin docgen refuses (a misspelt hook, an exception while registering)
    fails the test with docgen's reason.
    """

    def register(plugin: object, name: str | None = None):
        for info in docgen_hooks.infos:
            if info.plugin is plugin:
                return info
        info = docgen_hooks.add_plugin(plugin, name)
        if info.error:
            pytest.fail(f"docgen refused plugin {info.name}: {info.error}", pytrace=False)
        return info

    return register


@pytest.fixture
def docgen_pipeline(docgen_workspace, docgen_hooks):
    from .pipeline import Pipeline

    pipeline = Pipeline(docgen_workspace, hooks=docgen_hooks)
    yield pipeline
    pipeline.close()


@pytest.fixture
def docgen_process(docgen_workspace, docgen_pipeline):
    """``process(payload, name="input.json")``: drop an input into the inbox and process it; returns the Outcome."""

    def process(payload: Any, name: str = "input.json"):
        return docgen_pipeline.process(drop_input(docgen_workspace, name, payload))

    return process
