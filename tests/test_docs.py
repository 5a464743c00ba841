"""The plugin guide is kept honest: every hook is documented with its real signature, and has a test.

After datasette's ``test_plugin_hooks_are_documented`` and
``test_plugin_hooks_have_tests``.
"""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from docgen import hookspecs
from helpers import test_function_names

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "plugins.md"
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("docgen_"))
HEADING = re.compile(r"^### (docgen_\w+)\(([^)]*)\)\s*$", re.MULTILINE)


def documented() -> dict[str, list[str]]:
    """Hook headings of the guide: name → argument names as written."""
    text = GUIDE.read_text(encoding="utf-8")
    return {name: [a.strip() for a in args.split(",") if a.strip()] for name, args in HEADING.findall(text)}


def section(name: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"### {name}(")
    end = text.find("\n### ", start + 1)
    return text[start:end if end != -1 else len(text)]


def hook_arguments(name: str) -> list[str]:
    return list(inspect.signature(getattr(hookspecs, name)).parameters)


def is_firstresult(name: str) -> bool:
    return bool(getattr(getattr(hookspecs, name), "docgen_spec", {}).get("firstresult"))


def test_hooks_are_found():
    assert len(HOOKS) >= 11 and "docgen_register_types" in HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_are_documented(hook):
    guide = documented()
    assert hook in guide, f"{hook} has no «### {hook}(…)» section in docs/plugins.md"
    assert guide[hook] == hook_arguments(hook), f"docs/plugins.md shows {hook} with other arguments"
    assert ("**firstresult.**" in section(hook)) == is_firstresult(hook), f"firstresult of {hook} misstated"
    assert "@hookimpl" in section(hook), f"the section on {hook} has no example"


def test_guide_documents_no_hook_that_does_not_exist():
    assert sorted(documented()) == HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_have_tests(hook):
    """A test function named ``test_hook_<hook without docgen_>…`` exists (datasette's rule), not a mere mention."""
    wanted = ("test_hook_" + hook.removeprefix("docgen_"), "test_hook_" + hook)
    assert any(name.startswith(w) for w in wanted for name in test_function_names()), (
        f"no test function named {wanted[0]}… under tests/: write one that exercises {hook}")


def test_guide_python_examples_are_valid_python():
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= len(HOOKS)
    for block in blocks:
        compile(block, str(GUIDE), "exec")


def test_guide_names_the_real_fixtures_and_settings():
    from docgen import plugins, testing

    text = GUIDE.read_text(encoding="utf-8")
    fixtures = [name for name, value in vars(testing).items() if not name.startswith("_") and (
                hasattr(value, "_pytestfixturefunction") or type(value).__name__ == "FixtureFunctionDefinition")]
    assert fixtures, "no fixtures found in docgen.testing"
    for name in fixtures + [plugins.TRACE_VARIABLE, plugins.ENTRY_POINT_GROUP, plugins.TEMPLATES_FOLDER]:
        assert name in text, f"docs/plugins.md does not mention {name}"
