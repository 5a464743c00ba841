"""The declared plugin API (``docgen.api``): plugins import from it only, and it holds what they need.

The built-in types (``plugins/``) and the region example are read as source: every ``import`` of a docgen
module anywhere in them (a function's body too) must name ``docgen.api``, and every name taken from it
must be declared in its ``__all__``.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import docgen.api as api
from docgen.errors import DocgenError
from docgen.settings import settings_from_dict

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_SOURCES = (ROOT / "plugins", ROOT / "examples" / "docgen-region-example" / "docgen_region_example")


def plugin_modules() -> list[Path]:
    return sorted(path for folder in PLUGIN_SOURCES for path in folder.rglob("*.py"))


def docgen_imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every absolute import of a docgen module in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                node.module.split(".")[0] == "docgen":
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names if alias.name.split(".")[0] == "docgen"]
    return found


def test_the_walk_sees_every_builtin_type_and_the_region_example():
    names = {path.relative_to(ROOT).as_posix() for path in plugin_modules()}
    assert {"plugins/pair_order.py", "plugins/consent.py", "plugins/roadmap/sheet.py",
            "examples/docgen-region-example/docgen_region_example/report.py"} <= names


@pytest.mark.parametrize("path", plugin_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_plugin_module_imports_docgen_only_through_the_api(path):
    wrong = [f"{path.name}:{line} {module}" for line, module, _ in docgen_imports(path) if module != "docgen.api"]
    assert wrong == [], "a plugin imports docgen's private modules; export the name from docgen.api"
    undeclared = [f"{path.name}:{line} {name}" for line, module, names in docgen_imports(path)
                  for name in names if name not in api.__all__]
    assert undeclared == []


@pytest.mark.parametrize("path", plugin_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_plugin_module_has_no_late_imports(path):
    assert "noqa: E402" not in path.read_text(encoding="utf-8")


def test_every_declared_name_exists_and_nothing_private_is_declared():
    assert len(api.__all__) == len(set(api.__all__))
    assert [name for name in api.__all__ if not hasattr(api, name)] == []
    assert [name for name in api.__all__ if name.startswith("_")] == []


def test_the_builtin_types_are_made_of_the_api(docgen_hooks):
    """The API is enough to write a type: the built-in ones load from it and none is refused."""
    assert [info.name for info in docgen_hooks.infos if info.error] == []
    assert {"pair_order", "reward_order", "consent", "thank_you_letter", "roadmap"} <= \
        {t.id for t in docgen_hooks.registry().all()}


def demo_settings(**extra: object):
    return settings_from_dict({"organization": {"name": "МБОУ «СОШ № 1»"}, "director": {"name": "Иванов И. И."},
                               **extra})


def test_plugin_config_is_the_plugins_own_table_as_a_copy():
    settings = demo_settings(region_example={"share": "/mnt/uo", "types": ["mentoring_report"]})
    table = settings.plugin_config("region_example")
    assert table == {"share": "/mnt/uo", "types": ["mentoring_report"]}
    table["types"].append("consent")
    assert settings.plugin_config("region_example")["types"] == ["mentoring_report"]
    assert settings.plugin_config("absent_plugin") == {}


def test_plugin_config_refuses_a_core_section():
    with pytest.raises(DocgenError, match=r"\[organization\].*не плагина"):
        demo_settings().plugin_config("organization")
