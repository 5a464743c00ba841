"""Shared test helpers: where the repository and its example inputs are, a way to drop a JSON input, and
``run_docgen`` — the ``docgen`` command in a process of its own, as the secretary or the admin runs it.

Imported by the tests as ``from helpers import …`` (the tests folder is on the path); fixtures live in
``docgen.testing`` and ``conftest.py``.
"""
from __future__ import annotations

import ast
import functools
import json
import os
import subprocess
import sys
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


def run_docgen(*args, workspace=None, cwd=None, stdin: str = "", env: dict | None = None,
               timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m docgen ARGS`` in its own process: its output as text, stdin ``stdin`` (empty: no prompt waits).

    ``workspace`` (a Workspace or a folder) goes first as ``--workspace``; ``env`` changes this process's
    environment for the child (a value None removes the variable, e.g. ``{"DOCGEN_PAUSE_AT": None}``)."""
    command = [sys.executable, "-m", "docgen"]
    if workspace is not None:
        command += ["--workspace", str(getattr(workspace, "root", workspace))]
    child_env = None
    if env is not None:
        child_env = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    return subprocess.run([*command, *map(str, args)], input=stdin, capture_output=True, text=True, cwd=cwd,
                          env=child_env, timeout=timeout)


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
