"""Shared test helpers: example inputs and a way to drop a JSON document into a workspace inbox."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def load_example(name: str) -> dict | list:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def drop(workspace, name: str, payload) -> Path:
    """Write a JSON input into the workspace inbox, as the secretary would."""
    path = workspace.inbox / name
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@pytest.fixture
def example():
    return load_example
