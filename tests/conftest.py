"""Fixtures of docgen's own suite beyond docgen.testing's; plain helpers are in ``helpers.py``."""
from __future__ import annotations

import pytest

from helpers import load_example

pytest_plugins = ["pytester"]


@pytest.fixture
def example():
    return load_example


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def register_location(request):
    """Where a test's register lives: the SQLite file (default) or a fresh PostgreSQL database."""
    from docgen.register.db import RegisterLocation

    if request.param == "sqlite":
        return RegisterLocation()
    return RegisterLocation(url=request.getfixturevalue("docgen_pg_url"), school="test-school")


@pytest.fixture
def new_register(register_location):
    """``new_register(path)``: a Register on the test's backend (the SQLite file at ``path``, or PostgreSQL)."""
    from docgen.register import Register

    opened = []

    def make(path, **options):
        opened.append(Register(path, location=register_location, **options))
        return opened[-1]
    yield make
    for register in opened:
        register.close()


@pytest.fixture
def backend_workspace(docgen_workspace, register_location):
    """The demo workspace with its register on the test's backend (docgen.toml's [register] for PostgreSQL)."""
    from docgen.testing import use_register

    if register_location.url:
        use_register(docgen_workspace, register_location.url, register_location.school)
    return docgen_workspace
