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


# A workspace plugin adding one document type («Мониторинг»), as a region writes one in plugins/.
MONITORING_PLUGIN = (
    "from docgen import DocumentType, hookimpl\n"
    "from docgen.schemas import document_schema\n"
    "@hookimpl\n"
    "def docgen_register_types(registry):\n"
    "    registry.add(DocumentType(id='monitoring', title='Мониторинг', template='monitoring.docx',\n"
    "        schema=document_schema('monitoring', 'Мониторинг', {}, []), build_context=lambda d, i: {},\n"
    "        heading=lambda d: 'О мониторинге', kind_label='Отчёт'))\n")
TWO_ORDERS = "Приказы о парах.json"  # the crash tests' input: two pair orders in one file


def two_orders_workspace(tmp_path: Path, conversion: bool, location=None):
    """The demo workspace with ``TWO_ORDERS`` in its inbox (PDFs made only with ``conversion``; the register
    in PostgreSQL when ``location`` has a url)."""
    from docgen.settings import Workspace
    from docgen.testing import disable_conversion, use_register
    from docgen.workspace_init import init_workspace

    ws = Workspace(tmp_path / "ws")
    init_workspace(ws.root, demo=True)
    if location is not None and location.url:
        use_register(ws, location.url, location.school)
    if not conversion:
        disable_conversion(ws)
    documents = []
    for i in range(2):
        data = load_example("pair_order.json")
        data["title"] = f"О закреплении наставнических пар (часть {i + 1})"
        documents.append(data)
    drop(ws, TWO_ORDERS, documents)
    return ws


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
