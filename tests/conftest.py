"""Fixtures of docgen's own suite beyond docgen.testing's; plain helpers are in ``helpers.py``."""
from __future__ import annotations

import pytest

from helpers import load_example

pytest_plugins = ["pytester"]


@pytest.fixture
def example():
    return load_example
