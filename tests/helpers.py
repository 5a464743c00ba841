"""Shared test helpers: where the repository and its example inputs are, and a way to drop a JSON input.

Imported by the tests as ``from helpers import …`` (the tests folder is on the path); fixtures live in
``docgen.testing`` and ``conftest.py``.
"""
from __future__ import annotations

import ast
import functools
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def load_example(name: str) -> dict | list:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def drop(workspace, name: str, payload) -> Path:
    """Write a JSON input into the workspace inbox, as the secretary would."""
    path = workspace.inbox / name
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def wait_for(predicate, timeout: float, what: str) -> None:
    """Poll ``predicate`` until it holds, or fail the test naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@functools.lru_cache(maxsize=None)
def function_names(file: str) -> frozenset[str]:
    """The names of the functions defined in a file of the repository (``tests/x.py``), read from its source."""
    tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
    return frozenset(node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef))


def test_function_names() -> frozenset[str]:
    """The names of every test function under tests/."""
    names = frozenset()
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        names |= {name for name in function_names(f"tests/{path.name}") if name.startswith("test_")}
    return names


test_function_names.__test__ = False
