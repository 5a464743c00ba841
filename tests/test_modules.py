"""The modules show the architecture: no import cycles, and each docgen module imports on its own.

The import graph is read from the source (every ``import`` of a docgen module, those inside functions too,
but not the ones under ``if TYPE_CHECKING:``) and must have no cycle. Then every module is imported alone,
each in a fresh child of an interpreter that has imported no docgen module, so a module that works only
when another one happened to be imported first fails here.
"""
from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import docgen

PACKAGE = Path(docgen.__file__).resolve().parent
NOT_IMPORTED_ALONE = {"docgen.__main__"}  # running it is running the command


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_module(current: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")
    if MODULES[current].name != "__init__.py":
        base = base[:-1]
    base = base[:len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def under_type_checking(node: ast.If) -> bool:
    test = node.test
    return getattr(test, "id", None) == "TYPE_CHECKING" or getattr(test, "attr", None) == "TYPE_CHECKING"


def known(name: str) -> str:
    """The docgen module an imported name lives in (``docgen.sheets.values.derive`` → ``docgen.sheets.values``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports_of(current: str) -> set[str]:
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and under_type_checking(node):
            nodes = node.orelse
        else:
            nodes = list(ast.iter_child_nodes(node))
        if isinstance(node, ast.ImportFrom):
            module = imported_module(current, node)
            found.update(known(f"{module}.{alias.name}") or known(module) for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(known(alias.name) for alias in node.names)
        for child in nodes:
            visit(child)

    visit(ast.parse(MODULES[current].read_text(encoding="utf-8")))
    return {name for name in found if name.startswith("docgen") and name != current}


def a_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of the graph (as a path that returns to its start), or []."""
    state: dict[str, str] = {}
    path: list[str] = []

    def walk(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (found := walk(target)):
                return found
        state[node] = "done"
        path.pop()
        return []

    for start in sorted(graph):
        if start not in state and (found := walk(start)):
            return found
    return []


def test_the_graph_sees_lazy_imports_and_the_sub_packages():
    graph = {name: imports_of(name) for name in MODULES}
    assert "docgen.sheets.intake" in graph["docgen.reading"]
    assert "docgen.signing.qr" in graph["docgen.rendering"]  # imported inside with_images
    assert a_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_docgen_module_imports_itself_back_through_others():
    cycle = a_cycle({name: imports_of(name) for name in MODULES})
    assert cycle == [], "import cycle: " + " → ".join(cycle)


CHILD = textwrap.dedent('''
    import importlib, os, sys, traceback
    for name in sys.argv[1:]:
        pid = os.fork()
        if pid == 0:
            try:
                importlib.import_module(name)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        if status:
            print("FAILED", name, flush=True)
''')


@pytest.mark.slow
def test_every_module_imports_alone_in_a_fresh_interpreter():
    names = sorted(set(MODULES) - NOT_IMPORTED_ALONE)
    result = subprocess.run([sys.executable, "-c", CHILD, *names], capture_output=True, text=True, timeout=600,
                            cwd=PACKAGE.parent)
    failed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("FAILED")]
    assert result.returncode == 0 and failed == [], result.stderr[-3000:]
    assert len(names) > 50
